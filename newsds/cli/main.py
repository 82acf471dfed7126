"""The `newsds` command: a thin layer over the library that turns its errors into clean messages."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from newsds import __version__
from newsds.cli import annotate as cli_annotate
from newsds.cli import train as cli_train
from newsds.cli.dispatch import command
from newsds.dataset import CONFIG_FILE, ROOT_HELP, TXT_LAYOUTS, resolve_dataset
from newsds.defaults import DEFAULT_EXTRACTOR, DEFAULT_MAX_BYTES, DEFAULT_POLICY, ENGINES, EXTRACTOR_NAMES
from newsds.errors import NewsdsError, SchemaValidationError


def _at_least_one(unit: str) -> Callable[[str], int]:
    """An argparse type: a whole number of `unit`, at least 1."""

    def parse(value: str) -> int:
        number = int(value)
        if number < 1:
            raise argparse.ArgumentTypeError(f"must be a positive number of {unit} (at least 1), not {value}")
        return number

    return parse


_positive, _jobs, _files = _at_least_one("bytes"), _at_least_one("processes"), _at_least_one("files")


def _scale_options(command: argparse.ArgumentParser) -> None:
    cores = os.cpu_count() or 1
    command.add_argument(
        "--jobs",
        type=_jobs,
        default=cores,
        help=f"processes that run the batches: this one and N-1 workers (default: all cores, {cores})",
    )
    command.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help="local processes, or Ray Data (pip install 'newsds[ray]')",
    )


def _annotation_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--annotations",
        default=None,
        help=f"folder of human annotation files (default: {CONFIG_FILE}'s, else 'annotations' beside raw)",
    )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="newsds",
        description="Build, validate, verify, reproduce, diff and list newsds dataset releases.",
    )
    top.add_argument("--version", action="version", version=f"newsds {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    i = sub.add_parser("init", help=f"make a folder a dataset: a commented {CONFIG_FILE} and raw/")
    i.add_argument("folder", nargs="?", default=".", help="the dataset's folder (default: this one)")
    i.add_argument("--name", default=None, help="machine name (default: from the folder's name)")
    i.add_argument("--title", default=None, help="human title (default: from the name)")
    i.set_defaults(func=command("newsds.cli.commands", "cmd_init"))

    b = sub.add_parser("build", help="build a release from raw article files")
    b.add_argument("--raw", default=None, help=f"folder of raw article files (default: {CONFIG_FILE}'s)")
    b.add_argument("--out", default=None, help=ROOT_HELP)
    b.add_argument("--version", default=None, help=f"release version, semver (default: {CONFIG_FILE}'s)")
    b.add_argument("--replace", action="store_true", help="overwrite the version if it already exists")
    b.add_argument(
        "--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES, help="reject raw files larger than this"
    )
    b.add_argument(
        "--mapping", default=None, help="JSON file mapping document columns to JSON/JSONL field names"
    )
    b.add_argument(
        "--layout", choices=TXT_LAYOUTS, default=None, help="does a .txt file's first line hold the title"
    )
    _scale_options(b)
    b.add_argument(
        "--batch-files", type=_files, default=None, help="raw files per batch (default: 1024; bounds memory)"
    )
    _annotation_option(b)
    b.add_argument(
        "--policy",
        default=DEFAULT_POLICY,
        help="how annotations become gold claims: majority or adjudicator:ID",
    )
    b.add_argument(
        "--claims",
        default=DEFAULT_EXTRACTOR,
        metavar="|".join(EXTRACTOR_NAMES) + "|DIR",
        help=f"claims extractor: the shipped model, the rules, or a model folder from `newsds train claims` "
        f"(default: {DEFAULT_EXTRACTOR})",
    )
    b.add_argument("--quiet", action="store_true", help="no progress output")
    b.set_defaults(func=command("newsds.cli.commands", "cmd_build"))

    v = sub.add_parser("validate", help="validate a release's tables (or a raw folder with --raw)")
    v.add_argument("version", nargs="?", default=None, help="release version (default: the newest)")
    v.add_argument("--root", default=None, help=ROOT_HELP)
    v.add_argument("--raw", default=None, help="validate a raw folder's build in memory instead of a release")
    v.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES, help=argparse.SUPPRESS)
    v.add_argument("--json", action="store_true", help="print the full report as JSON")
    v.set_defaults(func=command("newsds.cli.commands", "cmd_validate"))

    c = sub.add_parser("verify", help="re-hash a release's files against its manifest and re-validate them")
    c.add_argument("version", nargs="?", default=None, help="release version or range (default: the newest)")
    c.add_argument("--root", default=None, help=ROOT_HELP)
    c.add_argument("--checksums-only", action="store_true", help="re-hash the files, skip re-validation")
    c.add_argument(
        "--expect",
        metavar="sha256:HEX",
        help="fail unless the release digest (sha256 of manifest.json, as `newsds list` shows) is this one",
    )
    c.set_defaults(func=command("newsds.cli.releases", "cmd_verify"))

    r = sub.add_parser("reproduce", help="rebuild a published release from raw files and compare every byte")
    r.add_argument("version", nargs="?", default=None, help=f"release version (default: {CONFIG_FILE}'s)")
    r.add_argument("--raw", default=None, help=f"folder of raw article files (default: {CONFIG_FILE}'s)")
    r.add_argument("--root", default=None, help=ROOT_HELP)
    r.add_argument("--max-bytes", type=_positive, default=None, help=argparse.SUPPRESS)
    _scale_options(r)
    _annotation_option(r)
    r.add_argument("--quiet", action="store_true", help="no progress output")
    r.set_defaults(func=command("newsds.cli.commands", "cmd_reproduce"))

    d = sub.add_parser("diff", help="row-level changes between two releases (documents, sentences, claims)")
    d.add_argument("a", help="the older release: version, range or 'latest'")
    d.add_argument("b", help="the newer release: version, range or 'latest'")
    d.add_argument("--root", default=None, help=ROOT_HELP)
    d.add_argument("--limit", type=int, default=10, help="example rows shown per change (default: 10)")
    d.add_argument("--json", action="store_true", help="print the summary as JSON (as in CHANGES.json)")
    d.set_defaults(func=command("newsds.cli.commands", "cmd_diff"))

    ls = sub.add_parser("list", help="list published releases with their row counts")
    ls.add_argument("--root", default=None, help=ROOT_HELP)
    ls.set_defaults(func=command("newsds.cli.releases", "cmd_list"))

    cli_annotate.add_parser(sub)
    cli_train.add_parser(sub)
    _add_dataset_option(sub)
    return top


def _add_dataset_option(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`--dataset PATH` on every command (and every command of a group such as `annotate`)."""
    for name, sub_command in sub.choices.items():
        if name == "init":  # it makes a dataset; it works on none
            continue
        groups = [a for a in sub_command._actions if isinstance(a, argparse._SubParsersAction)]
        if groups:
            for group in groups:
                _add_dataset_option(group)
            continue
        sub_command.add_argument(
            "--dataset",
            default=None,
            help=f"the dataset's folder or {CONFIG_FILE} (default: the nearest {CONFIG_FILE} here or above)",
        )


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if getattr(args, "root", "") is None:  # a command on published releases: the dataset's folder
            args.root = str(resolve_dataset(args.dataset).out)
        return int(args.func(args))
    except SchemaValidationError as exc:
        print(f"newsds {args.command}: {exc}", file=sys.stderr)
        return 1
    except NewsdsError as exc:
        print(f"newsds {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a folder that cannot be created or read: say which, no traceback
        print(f"newsds {args.command}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
