"""`newsds list` and `newsds verify`: answered from the release folders' manifests, without loading a table
(the full verify re-validates the tables, and only then imports what that needs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsds.errors import NewsdsError
from newsds.release.manifest import (
    check_expected,
    check_files,
    read_manifest,
    release_digest,
    releases,
    resolve,
)


def cmd_verify(args: argparse.Namespace) -> int:
    path = resolve(args.version, args.root)
    manifest = read_manifest(path)
    check_expected(path, args.expect, manifest["version"])
    version = manifest["version"]
    results = check_files(path, manifest)
    bad = [(name, status) for name, status in results if status != "ok"]
    for name, status in results:
        print(f"{name:20} {status}")
    if bad:
        print(
            f"release {version} at {path}: {len(bad)} of {len(results)} files do not match "
            f"manifest.json ({', '.join(name for name, _ in bad)}); the release was changed after "
            f"publishing: rebuild it (`newsds build --replace --version {version}`) or restore its files",
            file=sys.stderr,
        )
        return 1
    line = f"release {version} at {path}: {len(results)} files match manifest.json"
    if args.expect:
        line += f" ({release_digest(path)}, as expected)"
    if args.checksums_only:
        print(line)
        return 0
    from newsds.release import load, validate_release  # only the full check reads the tables

    report = validate_release(load(version, args.root, verify=False))
    from newsds.validate import require_valid, summarize

    require_valid(report)
    print(f"{line}; re-validated: {summarize(report)}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    versions = releases(args.root)
    if not versions:
        print(f"no releases under {args.root}; build one with `newsds build`", file=sys.stderr)
        return 1
    for version in versions:
        path = Path(args.root) / version
        try:
            counts = read_manifest(path)["counts"]
        except NewsdsError as exc:  # one damaged release does not hide the others
            print(f"{version}\tdamaged: {exc}")
            continue
        print(
            f"{version}\t{counts['documents']} documents\t{counts['sentences']} sentences\t"
            f"{counts['claims']} claims\t{counts['rejected']} rejected\t{release_digest(path)}"
        )
    return 0
