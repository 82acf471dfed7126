"""The committed releases under data/processed are valid, and the current one rebuilds byte for byte.

This is how CI runs the schema validation on the shipped dataset. When a code change alters the
output, the rebuild test fails until a new version is published (bump `version` in newsds.toml and run
`nox -s build`): a published release is never silently different from what its code builds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import newsds
from newsds.dataset import open_dataset, with_overrides
from newsds.pipeline import BuildConfig, rebuild_check
from newsds.release import validate_release
from tests.conftest import REPO

DATASET = open_dataset(REPO)  # the repository's own dataset: newsds.toml
PROCESSED = REPO / "data" / "processed"
VERSION = DATASET.version or "missing"


def test_the_current_version_is_published() -> None:
    assert DATASET.out == PROCESSED
    assert VERSION in newsds.releases(PROCESSED), (
        f"no committed release {VERSION}: run `nox -s build` and commit data/processed"
    )


def test_the_newest_committed_release_verifies_and_validates() -> None:
    rel = newsds.load(root=PROCESSED)  # verifies every sha256 in manifest.json
    report = validate_release(rel)
    assert report["valid"], [c for c in report["cross_table"] if not c["valid"]] or report["tables"]
    assert (
        rel.manifest["counts"]["inputs"]
        == rel.manifest["counts"]["documents"] + rel.manifest["counts"]["rejected"]
    )


@pytest.mark.parametrize("version", newsds.releases(PROCESSED))
def test_every_committed_release_matches_its_manifest(version: str) -> None:
    newsds.load(version, root=PROCESSED)  # raises ChecksumError naming any changed file


def test_data_raw_rebuilds_the_current_release_byte_for_byte(raw_copy: Path) -> None:
    check = rebuild_check(BuildConfig.of(with_overrides(DATASET, raw=raw_copy), VERSION))
    assert check.identical, (
        f"rebuilding data/raw changes {check.differing}: publish a new version (see module docstring)\n"
        + check.format()
    )
    assert {name for name, _, _ in check.files} >= {"claims.parquet", "README.md", "report.html"}
