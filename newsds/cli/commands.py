"""The commands that build and check: init, build, validate, reproduce and diff (they import the library
when they run, not when the command line starts)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import replace

from newsds.dataset import (
    CONFIG_FILE,
    Dataset,
    init_dataset,
    require_version,
    resolve_dataset,
    source_licences,
    with_overrides,
)
from newsds.defaults import DEFAULT_MAX_BYTES, DEFAULT_POLICY
from newsds.engines.stream import terminal_progress
from newsds.pipeline import STAGES, build, rebuild_check, run, streaming_options
from newsds.reading import load_mapping, mapping_from_dict
from newsds.release import load, releases, validate_release
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
