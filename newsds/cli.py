"""The `newsds` command: a thin layer over the library that turns its errors into clean messages."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from newsds import __version__
from newsds.errors import NewsdsError, SchemaValidationError
from newsds.ingest import DEFAULT_MAX_BYTES
from newsds.parse.jsonl import DEFAULT_MAPPING, load_mapping
from newsds.pipeline import STAGES, BuildConfig, build, run
from newsds.release import DEFAULT_ROOT, load, releases, validate_release, verify_checksums
from newsds.validate import require_valid, summarize, validate_tables


def _progress(quiet: bool) -> Callable[[str], None] | None:
    """Stage names on stderr when a person is watching; silent in pipelines and CI."""
    if quiet or not sys.stderr.isatty():
        return None

    def show(name: str) -> None:
        print(f"  … {name}", file=sys.stderr, flush=True)

    return show


def cmd_build(args: argparse.Namespace) -> int:
    existed = (Path(args.out) / (args.version or __version__)).exists() and not args.replace
    mapping = load_mapping(args.mapping) if args.mapping else DEFAULT_MAPPING
    rel = build(
        args.raw,
        args.out,
        args.version,
        replace=args.replace,
        max_bytes=args.max_bytes,
        mapping=mapping,
        on_stage=_progress(args.quiet),
    )
    counts = rel.manifest["counts"]
    print(
        f"release {rel.version} at {rel.path}: {counts['inputs']} inputs -> {counts['documents']} documents, "
        f"{counts['sentences']} sentences, {counts['claims']} claims, {counts['rejected']} rejected"
    )
    if existed:
        print(
            f"release {rel.version} was already published: rebuilt from {args.raw}, every file byte-identical"
        )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    if args.raw is not None:
        config = BuildConfig(Path(args.raw), max_bytes=args.max_bytes)
        result = validate_tables(run(config, STAGES[:-2]).tables)  # every stage up to validate
        label = f"raw folder {args.raw} (built in memory, not published)"
    else:
        rel = load(args.version, args.root, verify=False)
        result = validate_release(rel)
        label = f"release {rel.version}"
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    print(f"{label}: {summarize(result)}", file=sys.stderr if args.json else sys.stdout)
    require_valid(result)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    rel = load(args.version, args.root, verify=False)
    verify_checksums(rel.path, rel.manifest)
    report = validate_release(rel)
    require_valid(report)
    files = len(rel.manifest["files"])
    print(f"release {rel.version} at {rel.path}: {files} files match manifest.json; {summarize(report)}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    versions = releases(args.root)
    if not versions:
        print(f"no releases under {args.root}; build one with `newsds build`", file=sys.stderr)
        return 1
    for version in versions:
        try:
            counts = load(version, args.root, verify=False).manifest["counts"]
        except NewsdsError as exc:  # one damaged release does not hide the others
            print(f"{version}\tdamaged: {exc}")
            continue
        print(
            f"{version}\t{counts['documents']} documents\t{counts['sentences']} sentences\t"
            f"{counts['claims']} claims\t{counts['rejected']} rejected"
        )
    return 0


def _positive(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of bytes, not {value}")
    return number


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="newsds", description="Build, validate, verify and list newsds dataset releases."
    )
    top.add_argument("--version", action="version", version=f"newsds {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build a release from raw article files")
    b.add_argument("--raw", default="data/raw", help="folder of raw article files (default: data/raw)")
    b.add_argument("--out", default=str(DEFAULT_ROOT), help="releases folder (default: data/processed)")
    b.add_argument("--version", default=None, help=f"release version, semver (default: {__version__})")
    b.add_argument("--replace", action="store_true", help="overwrite the version if it already exists")
    b.add_argument(
        "--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES, help="reject raw files larger than this"
    )
    b.add_argument(
        "--mapping", default=None, help="JSON file mapping document columns to JSON/JSONL field names"
    )
    b.add_argument("--quiet", action="store_true", help="no progress output")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="validate a release's tables (or a raw folder with --raw)")
    v.add_argument("version", nargs="?", default=None, help="release version (default: the newest)")
    v.add_argument("--root", default=str(DEFAULT_ROOT), help="releases folder (default: data/processed)")
    v.add_argument("--raw", default=None, help="validate a raw folder's build in memory instead of a release")
    v.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES, help=argparse.SUPPRESS)
    v.add_argument("--json", action="store_true", help="print the full report as JSON")
    v.set_defaults(func=cmd_validate)

    c = sub.add_parser("verify", help="re-hash a release's files against its manifest and re-validate them")
    c.add_argument("version", nargs="?", default=None, help="release version (default: the newest)")
    c.add_argument("--root", default=str(DEFAULT_ROOT), help="releases folder (default: data/processed)")
    c.set_defaults(func=cmd_verify)

    ls = sub.add_parser("list", help="list published releases with their row counts")
    ls.add_argument("--root", default=str(DEFAULT_ROOT), help="releases folder (default: data/processed)")
    ls.set_defaults(func=cmd_list)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
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
