"""`python -m newsds.evaluate <task>`: one subcommand per gold set (html, sentences, claims).

Each task registers its parser with `_add_<task>` and sets `func`; `main` only dispatches and turns
newsds errors (a missing gold file above all) into a message and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence

from newsds.errors import NewsdsError
from newsds.evaluate import claims as claim_eval
from newsds.evaluate import sentences as sentence_eval
from newsds.evaluate.html import SYSTEMS, evaluate_html, format_table

_GOLD_HELP = "gold folder holding {file} (default: ../shared/gold relative to the current directory)"


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return n


def _common_arguments(p: argparse.ArgumentParser, gold_file: str, systems: Mapping[str, str]) -> None:
    """--gold, --json and --systems, which every scored task takes."""
    p.add_argument("--gold", metavar="PATH", help=_GOLD_HELP.format(file=gold_file))
    p.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    p.add_argument(
        "--systems",
        metavar="A,B,...",
        help=f"comma-separated subset, by key or table name (keys: {', '.join(systems)})",
    )


def _systems(args: argparse.Namespace) -> list[str] | None:
    return [s for s in args.systems.split(",") if s.strip()] if args.systems else None


def cmd_html(args: argparse.Namespace) -> int:
    results = evaluate_html(args.gold, systems=_systems(args), limit=args.limit)
    print(json.dumps(results, indent=2) if args.json else format_table(results))
    return 0


def _add_html(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "html",
        help="score HTML main text, titles, dates, authors and speed (newsds vs trafilatura, newspaper4k)",
        description="Bag-of-words precision/recall/F1 against the gold article bodies, macro-averaged over "
        "pages as the article-extraction-benchmark does; extraction speed in pages per second.",
    )
    _common_arguments(p, "html/aeb_dev.jsonl", SYSTEMS)
    p.add_argument("--limit", type=_positive, metavar="N", help="score only the first N pages")
    p.set_defaults(func=cmd_html)


def cmd_sentences(args: argparse.Namespace) -> int:
    results = sentence_eval.evaluate_sentences(args.gold, systems=_systems(args), repeats=args.repeats)
    speed = sentence_eval.throughput(args.gold, repeats=args.repeats) if args.throughput else None
    if args.json:
        print(json.dumps({"results": results, "throughput": speed} if speed else results, indent=2))
        return 0
    print(sentence_eval.format_table(results))
    if speed:
        print()
        print(sentence_eval.format_throughput(speed))
    return 0


def _add_sentences(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sentences",
        help="score sentence splitting (newsds vs pysbd, blingfire, syntok) on GUM news gold",
        description="Boundary precision/recall/F1 (a boundary is the start of every sentence but the first "
        "of its paragraph) and characters per second; every system splits the same gold paragraph texts.",
    )
    _common_arguments(p, "sentences/gum_news.jsonl", sentence_eval.SYSTEMS)
    p.add_argument("--repeats", type=_positive, default=3, metavar="N", help="timed runs per system (best)")
    p.add_argument(
        "--throughput",
        action="store_true",
        help="also time newsds against blingfire on a ~20 MB column and on single texts",
    )
    p.set_defaults(func=cmd_sentences)


def _add_claims(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "claims",
        help="score attribution extraction (cue, source, content) against PolNeAR; --help for options",
        add_help=False,  # `claims --help` reaches the claims command's own parser
    )
    p.set_defaults(func=lambda args: claim_eval.main_claims(list(args.rest)), takes_rest=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsds.evaluate", description=__doc__)
    sub = parser.add_subparsers(dest="task", required=True, metavar="TASK")
    _add_html(sub)
    _add_sentences(sub)
    _add_claims(sub)
    args, rest = parser.parse_known_args(argv)
    if rest and not getattr(args, "takes_rest", False):
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    args.rest = rest
    try:
        code: int = args.func(args)
    except (NewsdsError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
