"""End to end: raw folder -> validated tables -> release; bad input is quarantined, nothing is lost."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsds
from newsds.ingest.files import list_raw_files
from newsds.pipeline import STAGES, BuildConfig, run


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_build_publishes_every_file_of_a_release(raw_copy: Path, tmp_path: Path) -> None:
    rel = newsds.build(raw_copy, tmp_path / "out", "0.1.0")
    names = {p.name for p in rel.path.iterdir()}
    assert names == {
        "documents.parquet",
        "sentences.parquet",
        "claims.parquet",
        "rejected.parquet",
        "annotated_documents.parquet",
        "claim_annotations.parquet",
        "annotation_rejected.parquet",
        "inputs.parquet",
        "agreement.json",
        "manifest.json",
        "validation.json",
        "README.md",
        "CHANGES.json",
        "datapackage.json",
        "croissant.json",
        "report.html",
    }
    assert set(rel.manifest["files"]) == names - {"manifest.json"}  # every file is checksummed
    counts = rel.manifest["counts"]
    assert counts["files"] == len(list_raw_files(raw_copy)) == rel.inputs().height
    assert (
        counts["documents"] + counts["rejected"] == counts["inputs"] > counts["files"]
    )  # JSONL: many records
    assert rel.manifest["rejected_by_reason"] == {
        "malformed_json": 1
    }  # the truncated line of the shipped export
    assert counts["sentences"] > 500 and counts["claims"] > 20
    assert rel.documents["source_path"].to_list() == sorted(rel.documents["source_path"].to_list())
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]  # no temp folders left


def test_documents_carry_metadata_lineage_and_clean_text(built_release: Path) -> None:
    docs = newsds.load(root=built_release).documents
    seed = docs.filter(pl.col("source_path") == "000_7cda765537e03049.txt").row(0, named=True)
    assert seed["title"] == "Astana Denies Claims Tatarstan Attack from Kazakhstan"
    assert "Image by" not in seed["text"] and "Previous Article" not in seed["text"]
    assert {b["kind"] for b in seed["boilerplate"]} >= {"image_credit", "caption", "navigation"}
    assert (
        seed["source_sha256"]
        == hashlib.sha256(
            Path(__file__).parents[1].joinpath("data/raw", seed["source_path"]).read_bytes()
        ).hexdigest()
    )
    ai = docs.filter(pl.col("source_path") == "003_2a186d871b2908a7.txt").row(0, named=True)
    assert ai["ai_generated_notice"] is True and "AI-generated" not in ai["text"]
    wiki = docs.filter(pl.col("source_path") == "wikinews_crane.txt").row(0, named=True)
    assert str(wiki["published"]) == "2015-09-12"
    assert wiki["licence"] == "CC BY 2.5" and wiki["url"].startswith("https://en.wikinews.org/")
    assert wiki["language"] == "en"


def test_bad_inputs_become_rejected_rows_with_reasons(raw_copy: Path, tmp_path: Path) -> None:
    (raw_copy / "empty.txt").write_bytes(b"")
    (raw_copy / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (raw_copy / "latin1.txt").write_bytes(
        "Café society\n\nThe café owner said it would close.".encode("latin-1")
    )
    (raw_copy / "broken.txt").write_bytes(b"\xef\xbb\xbfCaf\xe9 society")  # UTF-8 mark, not UTF-8
    (raw_copy / "notes.docx").write_bytes(b"whatever")
    (raw_copy / "zz_copy.txt").write_bytes((raw_copy / "wikinews_crane.txt").read_bytes() + b"\n\n")
    (raw_copy / "big.txt").write_bytes(b"x" * 300_000)
    rel = newsds.build(raw_copy, tmp_path / "out", "0.1.0", max_bytes=200_000)
    rejected = {r["source_path"]: r for r in rel.rejected.iter_rows(named=True)}
    assert {p: r["reason"] for p, r in rejected.items()} == {
        "empty.txt": "empty",
        "image.txt": "binary",
        "broken.txt": "undecodable",
        "notes.docx": "unsupported_format",
        "zz_copy.txt": "duplicate",
        "big.txt": "too_large",
        "newsplease_export.jsonl": "malformed_json",
    }
    latin1 = rel.documents.filter(pl.col("source_path") == "latin1.txt").row(0, named=True)
    assert (latin1["title"], latin1["encoding"]) == ("Café society", "cp1252")
    kept = rel.documents.filter(pl.col("source_path") == "wikinews_crane.txt")["doc_id"].item()
    assert rejected["zz_copy.txt"]["duplicate_of"] == kept
    assert all(r["message"] for r in rejected.values())
    counts = rel.manifest["counts"]
    assert counts["inputs"] == counts["documents"] + counts["rejected"]
    assert counts["files"] == len(list_raw_files(raw_copy))
    assert rel.manifest["rejected_by_reason"]["duplicate"] == 1


def test_rebuilds_are_byte_identical(raw_copy: Path, tmp_path: Path) -> None:
    first = newsds.build(raw_copy, tmp_path / "a", "0.1.0")
    second = newsds.build(raw_copy, tmp_path / "b", "0.1.0")
    assert digests(first.path) == digests(second.path)


def test_building_an_existing_version_rebuilds_and_compares(raw_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = newsds.build(raw_copy, out, "0.1.0")
    before = digests(first.path)
    again = newsds.build(raw_copy, out, "0.1.0")  # same inputs: confirms the bytes, changes nothing
    assert digests(again.path) == before
    (raw_copy / "wikinews_crane.txt").write_text("Changed title\n\nA different body, said the editor.\n")
    with pytest.raises(newsds.ReleaseExistsError, match="immutable") as info:
        newsds.build(raw_copy, out, "0.1.0")
    assert "documents.parquet" in str(info.value)
    assert digests(out / "0.1.0") == before  # the published release is untouched
    replaced = newsds.build(raw_copy, out, "0.1.0", replace=True)
    assert digests(replaced.path) != before
    newer = newsds.build(raw_copy, out, "0.2.0")
    assert newer.manifest["previous_version"] == "0.1.0"
    assert "## Changes since 0.1.0" in (newer.path / "README.md").read_text()
    changes = json.loads((newer.path / "CHANGES.json").read_text())
    assert changes["old_version"] == "0.1.0" and changes["tables"]["documents"]["changed"] == 0
    newer_digests = digests(newer.path)
    rechecked = newsds.build(raw_copy, out, "0.2.0")  # a later release rebuilds against its history too
    assert digests(rechecked.path) == newer_digests


_FILES = st.dictionaries(
    st.from_regex(r"[a-z]{1,8}\.(txt|json|bin)", fullmatch=True),
    st.binary(max_size=200) | st.text(max_size=300).map(str.encode),
    max_size=6,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=_FILES)
def test_every_input_is_a_document_or_a_rejected_row(
    files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> None:
    raw = tmp_path_factory.mktemp("raw")
    (raw / "_anchor.txt").write_text("Anchor story\n\nThe mayor said the bridge would reopen.\n")
    for name, data in files.items():
        (raw / name).write_bytes(data)
    build = run(BuildConfig(raw), STAGES[:-1])  # every stage up to and including validation
    tables = build.tables
    assert tables["raw"].height == len(files) + 1
    assert tables["documents"].height + tables["rejected"].height == tables["raw"].height
    assert set(tables["documents"]["source_path"]) | set(tables["rejected"]["source_path"]) == set(
        tables["raw"]["source_path"]
    )
    assert build.report is not None and build.report["valid"]


def test_missing_raw_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(newsds.NewsdsError, match="raw folder not found"):
        newsds.build(tmp_path / "nope", tmp_path / "out", "1.0.0")
