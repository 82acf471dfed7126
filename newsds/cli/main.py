"""The `newsds` command: a thin layer over the library that turns its errors into clean messages."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace

from newsds import __version__
from newsds.annotations import DEFAULT_POLICY
from newsds.claims import DEFAULT_EXTRACTOR, EXTRACTORS
from newsds.cli import annotate as cli_annotate
from newsds.cli import train as cli_train
from newsds.dataset import (
    CONFIG_FILE,
    ROOT_HELP,
    TXT_LAYOUTS,
    Dataset,
    init_dataset,
    require_version,
    resolve_dataset,
    source_licences,
    with_overrides,
)
from newsds.engines.stream import terminal_progress
from newsds.errors import NewsdsError, SchemaValidationError
from newsds.ingest.files import DEFAULT_MAX_BYTES
from newsds.pipeline import ENGINES, STAGES, build, rebuild_check, run, streaming_options
from newsds.reading import load_mapping, mapping_from_dict
from newsds.release import check_files, load, releases, validate_release
from newsds.stages import BuildConfig, annotations_folder
from newsds.validate import require_valid, summarize, validate_tables


def _progress(quiet: bool) -> Callable[[int, int], None] | None:
    """A progress bar (files, files/s, ETA) when a person watches; silent in pipelines and CI."""
    return None if quiet else terminal_progress()


def _dataset(args: argparse.Namespace) -> Dataset:
    """The dataset a command works on (--dataset, else the newsds.toml here or above), with its flags."""
    dataset = resolve_dataset(args.dataset, getattr(args, "raw", None), getattr(args, "out", None))
    return with_overrides(
        dataset,
        raw=getattr(args, "raw", None),
        out=getattr(args, "out", None),
        txt_layout=getattr(args, "layout", None),
        mapping=load_mapping(args.mapping) if getattr(args, "mapping", None) else None,
    )


def cmd_init(args: argparse.Namespace) -> int:
    file = init_dataset(args.folder, args.name, args.title)
    print(
        f"wrote {file} and {file.parent / 'raw'}/: put your article files (.txt, .html, .json, .jsonl) in "
        f"raw/, fill in the title, licence and authors in {CONFIG_FILE}, then run `newsds build` there"
    )
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    dataset = _dataset(args)
    version = require_version(dataset, args.version)
    existed = (dataset.out / version).exists() and not args.replace
    rel = build(
        version=version,
        dataset=dataset,
        replace=args.replace,
        max_bytes=args.max_bytes,
        jobs=args.jobs,
        engine=args.engine,
        batch_files=args.batch_files,
        progress=_progress(args.quiet),
        annotations=args.annotations or "auto",
        policy=args.policy,
        claims=args.claims,
    )
    counts = rel.manifest["counts"]
    if dataset.config_file is not None and dataset.released is None:
        print(
            f"newsds build: note: {dataset.config_file} sets no `released` date, so the card's citation has "
            "no year and croissant.json no datePublished; set released = YYYY-MM-DD when you publish",
            file=sys.stderr,
        )
    print(
        f"release {rel.version} at {rel.path}: {counts['inputs']} inputs -> {counts['documents']} documents, "
        f"{counts['sentences']} sentences, {counts['claims']} claims, {counts['rejected']} rejected"
    )
    print(f"release digest {rel.digest} (pin it: newsds verify {rel.version} --expect {rel.digest})")
    if existed:
        print(
            f"release {rel.version} was already published: rebuilt from {dataset.raw}, "
            "every file byte-identical"
        )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    if args.raw is not None:
        config = BuildConfig.of(_dataset(args), "0.0.0", max_bytes=args.max_bytes)
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
    rel = load(args.version, args.root, verify=False, expect=args.expect)
    results = check_files(rel.path, rel.manifest)
    bad = [(name, status) for name, status in results if status != "ok"]
    for name, status in results:
        print(f"{name:20} {status}")
    if bad:
        print(
            f"release {rel.version} at {rel.path}: {len(bad)} of {len(results)} files do not match "
            f"manifest.json ({', '.join(name for name, _ in bad)}); the release was changed after "
            f"publishing: rebuild it (`newsds build --replace --version {rel.version}`) or restore its files",
            file=sys.stderr,
        )
        return 1
    line = f"release {rel.version} at {rel.path}: {len(results)} files match manifest.json"
    if args.expect:
        line += f" ({rel.digest}, as expected)"
    if args.checksums_only:
        print(line)
        return 0
    report = validate_release(rel)
    require_valid(report)
    print(f"{line}; re-validated: {summarize(report)}")
    return 0


def cmd_reproduce(args: argparse.Namespace) -> int:
    dataset = _dataset(args)
    version = require_version(dataset, args.version)
    if version not in releases(args.root):
        print(
            f"newsds reproduce: release {version} is not published under {args.root}, so there is nothing "
            f"to compare with; build it first (`newsds build --version {version}`). "
            f"Published: {', '.join(releases(args.root)) or 'none'}",
            file=sys.stderr,
        )
        return 1
    # The release is rebuilt as it was built: its recorded parameters and metadata, the code and raw
    # files of today. (`newsds build` over a published version compares with newsds.toml as it is now.)
    manifest = load(version, args.root, verify=False).manifest
    parameters = manifest.get("parameters", {})
    recorded = with_overrides(
        dataset,
        out=args.root,
        txt_layout=parameters.get("txt_layout"),
        mapping=mapping_from_dict(parameters["json_mapping"]) if "json_mapping" in parameters else None,
        sources=source_licences(manifest["dataset"]) if "dataset" in manifest else None,
    )
    config = BuildConfig.of(
        recorded,
        version,
        max_bytes=args.max_bytes or parameters.get("max_bytes", DEFAULT_MAX_BYTES),
        policy=parameters.get("annotation_policy", DEFAULT_POLICY),
        claims=parameters.get("claims_extractor", "rules"),  # releases before the model used the rules
    )
    if "dataset" in manifest:
        config = replace(config, dataset=manifest["dataset"])
    if args.annotations is not None:
        config = replace(config, annotations_root=annotations_folder(dataset.raw, args.annotations))
    check = rebuild_check(config, **streaming_options(args.jobs, args.engine, None, _progress(args.quiet)))
    print(check.format())
    published, rebuilt = check.code
    for label, code in (("published by", published), ("rebuilt by", rebuilt)):
        if code:
            git = code.get("git") or {}
            print(
                f"{label:13} newsds {code.get('version')}, source {code.get('source_sha256', '')[:12]}, "
                f"git {git.get('commit') or 'n/a'}{' (dirty)' if git.get('dirty') else ''}"
            )
    return 0 if check.identical else 1


def cmd_diff(args: argparse.Namespace) -> int:
    from newsds.release import diff

    changes = diff(args.a, args.b, args.root)
    if args.json:
        print(json.dumps(changes.summary(), indent=2, sort_keys=True))
    else:
        print(changes.format(limit=args.limit))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    versions = releases(args.root)
    if not versions:
        print(f"no releases under {args.root}; build one with `newsds build`", file=sys.stderr)
        return 1
    for version in versions:
        try:
            rel = load(version, args.root, verify=False)
        except NewsdsError as exc:  # one damaged release does not hide the others
            print(f"{version}\tdamaged: {exc}")
            continue
        counts = rel.manifest["counts"]
        print(
            f"{version}\t{counts['documents']} documents\t{counts['sentences']} sentences\t"
            f"{counts['claims']} claims\t{counts['rejected']} rejected\t{rel.digest}"
        )
    return 0


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
        help=f"worker processes for parsing (default: all cores, {cores})",
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
    i.set_defaults(func=cmd_init)

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
        metavar="|".join(EXTRACTORS) + "|DIR",
        help=f"claims extractor: the shipped model, the rules, or a model folder from `newsds train claims` "
        f"(default: {DEFAULT_EXTRACTOR})",
    )
    b.add_argument("--quiet", action="store_true", help="no progress output")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="validate a release's tables (or a raw folder with --raw)")
    v.add_argument("version", nargs="?", default=None, help="release version (default: the newest)")
    v.add_argument("--root", default=None, help=ROOT_HELP)
    v.add_argument("--raw", default=None, help="validate a raw folder's build in memory instead of a release")
    v.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES, help=argparse.SUPPRESS)
    v.add_argument("--json", action="store_true", help="print the full report as JSON")
    v.set_defaults(func=cmd_validate)

    c = sub.add_parser("verify", help="re-hash a release's files against its manifest and re-validate them")
    c.add_argument("version", nargs="?", default=None, help="release version or range (default: the newest)")
    c.add_argument("--root", default=None, help=ROOT_HELP)
    c.add_argument("--checksums-only", action="store_true", help="re-hash the files, skip re-validation")
    c.add_argument(
        "--expect",
        metavar="sha256:HEX",
        help="fail unless the release digest (sha256 of manifest.json, as `newsds list` shows) is this one",
    )
    c.set_defaults(func=cmd_verify)

    r = sub.add_parser("reproduce", help="rebuild a published release from raw files and compare every byte")
    r.add_argument("version", nargs="?", default=None, help=f"release version (default: {CONFIG_FILE}'s)")
    r.add_argument("--raw", default=None, help=f"folder of raw article files (default: {CONFIG_FILE}'s)")
    r.add_argument("--root", default=None, help=ROOT_HELP)
    r.add_argument("--max-bytes", type=_positive, default=None, help=argparse.SUPPRESS)
    _scale_options(r)
    _annotation_option(r)
    r.add_argument("--quiet", action="store_true", help="no progress output")
    r.set_defaults(func=cmd_reproduce)

    d = sub.add_parser("diff", help="row-level changes between two releases (documents, sentences, claims)")
    d.add_argument("a", help="the older release: version, range or 'latest'")
    d.add_argument("b", help="the newer release: version, range or 'latest'")
    d.add_argument("--root", default=None, help=ROOT_HELP)
    d.add_argument("--limit", type=int, default=10, help="example rows shown per change (default: 10)")
    d.add_argument("--json", action="store_true", help="print the summary as JSON (as in CHANGES.json)")
    d.set_defaults(func=cmd_diff)

    ls = sub.add_parser("list", help="list published releases with their row counts")
    ls.add_argument("--root", default=None, help=ROOT_HELP)
    ls.set_defaults(func=cmd_list)

    cli_annotate.add_parser(sub)
    cli_train.add_parser(sub)
    _add_dataset_option(sub)
    return top


def _add_dataset_option(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`--dataset PATH` on every command (and every command of a group such as `annotate`)."""
    for name, command in sub.choices.items():
        if name == "init":  # it makes a dataset; it works on none
            continue
        groups = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        if groups:
            for group in groups:
                _add_dataset_option(group)
            continue
        command.add_argument(
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
