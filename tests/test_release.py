"""Releases: load verifies checksums, versions resolve, publishing is immutable and atomic."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsds
from newsds.pipeline import STAGES, BuildConfig, run
from newsds.release import publish
from newsds.release import store as release_mod
from newsds.stages import release_inputs


def test_load_gives_the_latest_release_as_polars_frames(built_release: Path) -> None:
    rel = newsds.load(root=built_release)
    assert rel.version == "0.1.0" and newsds.releases(built_release) == ["0.1.0"]
    assert isinstance(rel.documents, pl.DataFrame) and isinstance(rel.claims, pl.DataFrame)
    lazy = newsds.load(root=built_release, lazy=True)
    assert isinstance(lazy.sentences, pl.LazyFrame)
    assert lazy.sentences.collect().equals(rel.sentences)


def test_a_tampered_file_raises_a_checksum_error_naming_it(release_root: Path) -> None:
    claims = release_root / "0.1.0" / "claims.parquet"
    frame = pl.read_parquet(claims)
    frame.with_columns(pl.lit("deny").alias("stance")).write_parquet(claims)
    with pytest.raises(newsds.ChecksumError, match=r"claims\.parquet"):
        newsds.load(root=release_root)
    assert newsds.load(root=release_root, verify=False).version == "0.1.0"  # opt-out still opens it


def test_a_missing_file_is_reported(release_root: Path) -> None:
    (release_root / "0.1.0" / "validation.json").unlink()
    with pytest.raises(newsds.ChecksumError, match=r"validation\.json: missing"):
        newsds.load(root=release_root)


def test_unknown_version_lists_available_ones(built_release: Path) -> None:
    with pytest.raises(newsds.ReleaseError, match=r"available: 0\.1\.0"):
        newsds.load("9.9.9", root=built_release)


def test_no_releases_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(newsds.ReleaseError, match="newsds build"):
        newsds.load(root=tmp_path)


@pytest.mark.parametrize(
    "version", ["../escape", "/abs/path", "1.0", "v1.0.0", "1.0.0/../../x", "", "1.0.0 "]
)
def test_versions_must_be_semver_and_cannot_escape_the_root(
    version: str, raw_copy: Path, tmp_path: Path
) -> None:
    with pytest.raises(newsds.ReleaseError, match="semantic version"):
        newsds.build(raw_copy, tmp_path / "out", version)
    assert not (tmp_path / "out").exists()


def test_manifest_records_checksums_inputs_and_versions(built_release: Path) -> None:
    manifest = json.loads((built_release / "0.1.0" / "manifest.json").read_text())
    for name in ("documents.parquet", "sentences.parquet", "claims.parquet", "rejected.parquet"):
        entry = manifest["files"][name]
        assert len(entry["sha256"]) == 64 and entry["bytes"] > 0 and entry["rows"] >= 0
    assert {"validation.json", "README.md"} <= set(manifest["files"])
    assert "inputs" not in manifest  # the raw inputs are a file of the release since manifest format 3
    inputs = pl.read_parquet(built_release / "0.1.0" / "inputs.parquet")
    assert manifest["files"]["inputs.parquet"]["rows"] == inputs.height == manifest["counts"]["files"]
    assert inputs["records"].fill_null(1).sum() == manifest["counts"]["inputs"]
    assert inputs["sha256"].str.len_chars().eq(64).all()
    assert manifest["provenance"]["path"] == "SOURCES.csv"
    assert {"newsds", "polars", "pyarrow", "pandera", "trafilatura"} <= set(manifest["libraries"])
    assert set(manifest["schemas"]) == {
        "raw.json",
        "documents.json",
        "sentences.json",
        "claims.json",
        "rejected.json",
        "annotated_documents.json",
        "claim_annotations.json",
        "annotation_rejected.json",
    }


def test_a_crash_while_publishing_leaves_no_partial_release(
    raw_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    newsds.build(raw_copy, out, "0.1.0")
    before = sorted(p.name for p in (out / "0.1.0").iterdir())
    calls = {"n": 0}
    real = release_mod._write_parquet

    def crash_on_third(frame: pl.DataFrame, path: Path, table: str) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(frame, path, table)

    monkeypatch.setattr(release_mod, "_write_parquet", crash_on_third)
    with pytest.raises(OSError, match="disk full"):
        newsds.build(raw_copy, out, "0.2.0")
    assert sorted(p.name for p in out.iterdir()) == ["0.1.0"]  # no 0.2.0, no temp folder
    assert sorted(p.name for p in (out / "0.1.0").iterdir()) == before
    assert newsds.load(root=out).version == "0.1.0"


def test_publishing_an_existing_version_without_replace_fails(raw_copy: Path, tmp_path: Path) -> None:
    build = run(BuildConfig(raw_copy, tmp_path), STAGES[:-1])
    publish(release_inputs(build), tmp_path, "1.0.0")
    with pytest.raises(newsds.ReleaseExistsError, match="--replace"):
        publish(release_inputs(build), tmp_path, "1.0.0")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    bodies=st.lists(
        st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF), min_size=1, max_size=120).filter(
            str.strip
        ),
        min_size=1,
        max_size=4,
        unique=True,
    )
)
def test_a_release_round_trips_through_load(
    bodies: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    raw = tmp_path_factory.mktemp("raw")
    for i, body in enumerate(bodies):
        (raw / f"a{i}.txt").write_text(f"Title {i}\n\n{body}\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    build = run(BuildConfig(raw, out, "0.1.0"))
    rel = newsds.load(root=out)
    for name in ("documents", "sentences", "claims", "rejected"):
        assert rel.table(name).equals(build.tables[name]), name
