"""`python -m newsds.evaluate <task>`: one subcommand per gold set (html now; sentences, claims later).

Each task registers its parser with `_add_<task>` and sets `func`; `main` only dispatches and turns
newsds errors (a missing gold file above all) into a message and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from newsds.errors import NewsdsError
from newsds.evaluate.html import SYSTEMS, evaluate_html, format_table

_GOLD_HELP = "gold folder holding {file} (default: ../shared/gold relative to the current directory)"


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return n


def cmd_html(args: argparse.Namespace) -> int:
    systems = [s for s in args.systems.split(",") if s.strip()] if args.systems else None
    results = evaluate_html(args.gold, systems=systems, limit=args.limit)
    print(json.dumps(results, indent=2) if args.json else format_table(results))
    return 0


def _add_html(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "html",
        help="score HTML main-text extraction (newsds vs trafilatura, newspaper4k) on AEB dev pages",
        description="Bag-of-words precision/recall/F1 against the gold article bodies, macro-averaged over "
        "pages as the article-extraction-benchmark does; extraction speed in pages per second.",
    )
    p.add_argument("--gold", metavar="PATH", help=_GOLD_HELP.format(file="html/aeb_dev.jsonl"))
    p.add_argument("--limit", type=_positive, metavar="N", help="score only the first N pages")
    p.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    p.add_argument(
        "--systems",
        metavar="A,B,...",
        help=f"comma-separated subset, by key or table name (keys: {', '.join(SYSTEMS)})",
    )
    p.set_defaults(func=cmd_html)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsds.evaluate", description=__doc__)
    sub = parser.add_subparsers(dest="task", required=True, metavar="TASK")
    _add_html(sub)
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except (NewsdsError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
