"""Auditing a release: lineage in the manifest, verify on tampering, reproduce, ranges and context joins."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import newsds
from newsds.cli import main
from newsds.ids import sha256_hex
from newsds.ingest.parse import parse_records
from newsds.release import schema_fingerprints
from newsds.release.lineage import comparable, source_fingerprint


def test_the_manifest_records_code_libraries_stages_schemas_and_parameters(built_release: Path) -> None:
    manifest = json.loads((built_release / "0.1.0" / "manifest.json").read_text())
    code = manifest["code"]
    assert code["version"] == newsds.__version__ and code["source_sha256"] == source_fingerprint()
    if code["git"] is not None:  # a git checkout: the commit that last changed the code
        assert len(code["git"]["commit"]) == 40 and isinstance(code["git"]["dirty"], bool)
    assert {"polars", "pyarrow", "pandera", "trafilatura"} <= set(manifest["libraries"])
    assert set(manifest["stages"]) == {"parser", "splitter", "claims", "annotations"}
    assert manifest["schemas"] == schema_fingerprints()
    assert {"max_bytes", "json_mapping"} <= set(manifest["parameters"])


def test_every_document_traces_back_to_a_raw_input_and_its_sha256(built_release: Path) -> None:
    rel = newsds.load(root=built_release)
    inputs = rel.inputs().select(pl.col("path").alias("source_path"), pl.col("sha256").alias("source_sha256"))
    documents = rel.documents
    assert documents.join(inputs, on="source_path", how="anti").is_empty()  # every document has its input
    whole = documents.filter(pl.col("format").is_in(["txt", "html"])).select("source_path", "source_sha256")
    assert whole.join(inputs, on=["source_path", "source_sha256"], how="anti").is_empty()
    # a JSON record's sha256 is its own (canonical JSON), and the raw file's records give it back
    records = documents.filter(~pl.col("format").is_in(["txt", "html"]))
    assert records.height > 0
    for path in records["source_path"].unique():
        data = (built_release.parent / "raw" / path).read_bytes()
        assert sha256_hex(data) in inputs["source_sha256"].to_list()
        reread = {r.row["doc_id"]: r.row["source_sha256"] for r in parse_records(data, path) if r.row}
        mine = records.filter(pl.col("source_path") == path)
        assert dict(mine.select("doc_id", "source_sha256").iter_rows()).items() <= reread.items()


def test_comparable_ignores_only_the_code_identity() -> None:
    a = {"version": "1.0.0", "code": {"version": "1", "source_sha256": "a", "git": {"commit": "x"}}}
    b = {"version": "1.0.0", "code": {"version": "1", "source_sha256": "b", "git": None}}
    assert comparable(a) == comparable(b)
    assert comparable(a) != comparable({**b, "code": {"version": "2"}})


def test_verify_passes_on_a_clean_release(built_release: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--root", str(built_release)]) == 0
    out = capsys.readouterr().out
    assert "claims.parquet       ok" in out and "re-validated" in out


def test_verify_reports_every_tampered_file_and_exits_non_zero(
    release_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = release_root / "0.1.0"
    claims = pl.read_parquet(folder / "claims.parquet")
    claims.with_columns(pl.lit("deny").alias("stance")).write_parquet(folder / "claims.parquet")
    (folder / "report.html").unlink()
    assert main(["verify", "--root", str(release_root)]) == 1
    captured = capsys.readouterr()
    assert "claims.parquet       sha256" in captured.out and "report.html          missing" in captured.out
    assert "documents.parquet    ok" in captured.out
    assert "2 of" in captured.err and "restore" in captured.err


def test_verify_re_validates_and_catches_a_table_rewritten_with_its_checksum(
    release_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A forger who also fixes the manifest's sha256 is still caught by re-validation."""
    folder = release_root / "0.1.0"
    sentences = pl.read_parquet(folder / "sentences.parquet")
    sentences.with_columns(pl.col("start") + 1).write_parquet(folder / "sentences.parquet")
    manifest = json.loads((folder / "manifest.json").read_text())
    import hashlib

    digest = hashlib.sha256((folder / "sentences.parquet").read_bytes()).hexdigest()
    manifest["files"]["sentences.parquet"]["sha256"] = digest
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert main(["verify", "--root", str(release_root)]) == 1
    assert "sentences" in capsys.readouterr().err


def test_reproduce_rebuilds_and_compares_every_file(
    raw_copy: Path, release_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["reproduce", "0.1.0", "--raw", str(raw_copy), "--root", str(release_root), "--quiet"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "rebuild is byte-identical" in out and "DIFFERS" not in out
    (raw_copy / "wikinews_crane.txt").write_text("A different article.\n\nIt changes every table.\n")
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "documents.parquet" in out and "DIFFERS" in out


def test_reproduce_of_an_unpublished_version_says_what_to_do(
    raw_copy: Path, release_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reproduce", "7.0.0", "--raw", str(raw_copy), "--root", str(release_root)]) == 1
    assert "newsds build --version 7.0.0" in capsys.readouterr().err


def test_load_accepts_ranges_and_lists_versions_when_none_match(built_release: Path) -> None:
    assert newsds.load("^0.1", root=built_release).version == "0.1.0"
    assert newsds.load(">=0.1.0,<1", root=built_release, lazy=True).version == "0.1.0"
    with pytest.raises(newsds.ReleaseError, match=r"no release matches '\^2'.*available: 0\.1\.0"):
        newsds.load("^2", root=built_release)


def test_claims_with_context_joins_sentence_and_document(built_release: Path) -> None:
    rel = newsds.load(root=built_release)
    context = rel.claims_with_context()
    claims = rel.claims
    assert context.height == claims.height
    assert context["claim_id"].to_list() == claims["claim_id"].to_list()
    assert {"sentence", "sentence_kind", "title", "url", "source_path", "published"} <= set(context.columns)
    assert context.filter(pl.col("sentence").is_null()).is_empty()
    # the claim's sentence is the one that holds its cue
    outside = context.filter(
        (pl.col("cue_start") < pl.col("sentence_start")) | (pl.col("cue_end") > pl.col("sentence_end"))
    )
    assert outside.is_empty()
    lazy = newsds.load(root=built_release, lazy=True).claims_with_context()
    assert isinstance(lazy, pl.LazyFrame) and lazy.collect().equals(context)
