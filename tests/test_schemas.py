"""Schemas: the exported JSON is current, and validation reports every failure instead of raising."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import newsds
from newsds.release import validate_release
from newsds.schemas import export_all, polars_schema
from newsds.validate import require_valid, validate_table, validate_tables
from tests.conftest import REPO


def test_exported_schemas_are_up_to_date() -> None:
    exported = export_all()
    on_disk = {p.name: p.read_text() for p in (REPO / "schemas").glob("*.json")}
    stale = sorted(name for name in exported if on_disk.get(name) != exported[name])
    assert not stale, f"schemas/ is out of date for {stale}: run `nox -s schemas` and commit the result"
    assert set(on_disk) == set(exported)


def test_a_valid_release_validates(built_release: Path) -> None:
    report = validate_release(newsds.load(root=built_release))
    assert report["valid"], report
    assert {c["check"] for c in report["cross_table"]} == {
        "sentences_in_documents",
        "claims_in_sentences",
        "inputs_accounted",
        "ids_deterministic",
        "annotations_in_documents",
    }


def test_schema_failures_are_all_collected(built_release: Path) -> None:
    sentences = newsds.load(root=built_release).sentences
    broken = sentences.with_columns(
        pl.when(pl.col("index") == 0).then(-1).otherwise(pl.col("start")).alias("start"),
        pl.when(pl.col("index") == 1).then(pl.lit("poem")).otherwise(pl.col("kind")).alias("kind"),
    )
    result = validate_table("sentences", broken)
    assert not result["valid"]
    checks = {(c["column"], c["check"]) for c in result["by_check"]}
    assert ("start", "greater_than_or_equal_to(0)") in checks
    assert any(column == "kind" and check.startswith("isin") for column, check in checks)


def test_cross_table_checks_catch_spans_that_do_not_slice_back(built_release: Path) -> None:
    rel = newsds.load(root=built_release)
    tables = rel.tables()
    tables["sentences"] = tables["sentences"].with_columns((pl.col("end") + 1).alias("end"))
    tables["claims"] = tables["claims"].with_columns(pl.lit("x" * 16).alias("doc_id"))
    tables["raw"] = pl.DataFrame(
        {
            "source_path": ["lost.txt"],
            "source_sha256": [None],
            "size": [1],
            "content": [None],
            "url": [None],
            "licence": [None],
            "records": [None],
        },
        schema=polars_schema("raw"),
    )
    report = validate_tables(tables)
    failing = {c["check"]: c["failures"] for c in report["cross_table"] if not c["valid"]}
    assert failing["sentences_in_documents"] == tables["sentences"].height
    assert failing["claims_in_sentences"] == tables["claims"].height
    outputs = set(tables["documents"]["source_path"]) | set(tables["rejected"]["source_path"])
    assert failing["inputs_accounted"] == len(outputs) + 1  # every output file lacks its input, plus lost.txt
    with pytest.raises(newsds.SchemaValidationError, match="sentences_in_documents") as info:
        require_valid(report)
    assert info.value.report["valid"] is False


def test_polars_schema_follows_the_pandera_model() -> None:
    assert polars_schema("sentences")["index"] == pl.Int32
    assert polars_schema("documents")["published"] == pl.Date
    assert list(polars_schema("claims"))[:3] == ["claim_id", "doc_id", "sent_id"]
