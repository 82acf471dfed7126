"""`newsds annotate`: its options (the commands are in `annotate_commands`, imported when one runs)."""

from __future__ import annotations

import argparse
from typing import Any

from newsds.cli.dispatch import command
from newsds.dataset import ROOT_HELP
from newsds.defaults import DEFAULT_POLICY

FORMATS = ("label-studio", "brat")


def add_parser(sub: Any) -> None:
    """The `annotate` command group."""
    a = sub.add_parser(
        "annotate", help="export tasks for annotators; import, compare and adjudicate annotations"
    )
    group = a.add_subparsers(dest="action", required=True, metavar="ACTION")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--release", default=None, help="release the documents come from (default: the newest)"
        )
        p.add_argument("--root", default=None, help=ROOT_HELP)

    e = group.add_parser(
        "export", help="Label Studio tasks (with the machine claims as predictions) or brat files"
    )
    common(e)
    e.add_argument("--out", required=True, help="folder to write the tasks and the labelling config into")
    e.add_argument("--format", choices=FORMATS, default="label-studio", help="default: label-studio")
    e.add_argument("--docs", nargs="*", default=[], help="documents by doc_id or source_path")
    e.add_argument("--sample", type=int, default=None, help="a seeded sample of N documents")
    e.add_argument("--seed", default="newsds", help="the sample's seed (default: newsds)")
    e.set_defaults(func=command("newsds.cli.annotate_commands", "cmd_export"))

    for name, func, text in (
        (
            "import",
            command("newsds.cli.annotate_commands", "cmd_import"),
            "check annotation files against a release and report what was refused",
        ),
        (
            "agreement",
            command("newsds.cli.annotate_commands", "cmd_agreement"),
            "agreement between annotators and the machine claims' scores against the gold",
        ),
        (
            "adjudicate",
            command("newsds.cli.annotate_commands", "cmd_adjudicate"),
            "write the gold claims a policy makes of the annotations",
        ),
    ):
        p = group.add_parser(name, help=text)
        common(p)
        p.add_argument(
            "files", nargs="+", help="Label Studio JSON exports, brat .ann files, or folders of them"
        )
        p.add_argument("--policy", default=DEFAULT_POLICY, help="majority (default) or adjudicator:ID")
        p.set_defaults(func=func)
        if name == "import":
            p.add_argument("--out", default=None, help="folder to write the three annotation tables to")
            p.add_argument("--show", type=int, default=20, help="refused items to list (default: 20)")
            p.add_argument("--strict", action="store_true", help="exit 1 when any item was refused")
        elif name == "agreement":
            p.add_argument("--json", action="store_true", help="the full report as JSON")
        else:
            p.add_argument("--out", required=True, help="Parquet file for the gold claims")
