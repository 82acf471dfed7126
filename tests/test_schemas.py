"""Schemas: the exported JSON is current, and validation reports every failure instead of raising."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import newsds
from newsds.claims import CLAIMS_SCHEMA, SPANS
from newsds.ids import document_id, record_identity
from newsds.release import validate_release
from newsds.schemas import export_all, polars_schema
from newsds.sentences import sentences_table
from newsds.validate import _check_claims, _check_ids, require_valid, validate_table, validate_tables
from tests import strategies
from tests.conftest import REPO
from tests.strategies import claims_of


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
    assert polars_schema("documents")["published_at"] == pl.Datetime("us", "UTC")
    assert polars_schema("documents")["publisher"] == pl.Utf8
    assert list(polars_schema("claims"))[:3] == ["claim_id", "doc_id", "sent_id"]


# --- The claims table's range lists ---------------------------------------------------------------
FLOATING = 'Smith said the plan was late. "We won," Jones said.\n\n"It was a good day."'


def _claims() -> pl.DataFrame:
    claims = claims_of(FLOATING)
    assert claims["cue"].null_count() == 1  # the floating quotation: no cue of its own
    return claims


def _failing_checks(frame: pl.DataFrame) -> set[str]:
    return {c["check"] for c in validate_table("claims", frame)["by_check"]}


def _spans(*ranges: tuple[int, int]) -> pl.Expr:
    return pl.lit([{"start": s, "end": e} for s, e in ranges], dtype=SPANS)


def test_claims_schema_is_the_claims_stage_schema() -> None:
    assert polars_schema("claims") == CLAIMS_SCHEMA
    assert list(polars_schema("claims")) == list(CLAIMS_SCHEMA)


def test_a_floating_quotation_with_no_cue_is_valid() -> None:
    claims = _claims()
    assert validate_table("claims", claims)["valid"]
    floating = claims.filter(pl.col("cue").is_null()).row(0, named=True)
    assert (floating["cue_start"], floating["cue_end"], floating["cue_spans"]) == (None, None, [])
    assert floating["kind"] == "direct" and floating["claimant_resolved"] == "Jones"


def test_a_discontinuous_role_with_its_envelope_is_valid() -> None:
    claims = _claims()
    first = claims.row(0, named=True)  # "the plan was late": two ranges, "the plan" and "was late"
    start, end = first["content_start"], first["content_end"]
    split = claims.with_columns(
        content_spans=pl.when(pl.col("claim_id") == first["claim_id"])
        .then(_spans((start, start + 8), (start + 9, end)))
        .otherwise("content_spans")
    )
    assert validate_table("claims", split)["valid"]


@pytest.mark.parametrize(
    ("edit", "check"),
    [
        ({"content_spans": _spans((5, 3))}, "ranges_ordered"),  # start >= end
        ({"content_spans": _spans((-1, 3))}, "ranges_ordered"),
        ({"content_spans": _spans((10, 20), (15, 30))}, "ranges_ordered"),  # overlapping
        ({"content_spans": _spans((20, 30), (10, 15))}, "ranges_ordered"),  # not in text order
        ({"content_spans": _spans()}, "content_present"),
        ({"cue_end": pl.col("cue_end") + 1}, "envelope_matches_ranges"),  # not the last range's end
        ({"cue_spans": _spans()}, "envelope_matches_ranges"),  # a cue with no range
        ({"cue_start": pl.lit(None, pl.Int64)}, "roles_complete"),  # a cue text without its start
        ({"claimant": pl.lit(None, pl.Utf8)}, "roles_complete"),
    ],
)
def test_claims_schema_checks_ranges_envelopes_and_absent_roles(edit: dict[str, pl.Expr], check: str) -> None:
    """Each edit breaks the first claim ("Smith said the plan was late.") in one way."""
    first = pl.int_range(pl.len()) == 0
    broken = _claims().with_columns(
        **{name: pl.when(first).then(value).otherwise(pl.col(name)) for name, value in edit.items()}
    )
    assert check in _failing_checks(broken)


def test_a_range_for_an_absent_role_is_refused() -> None:
    floating = pl.col("cue").is_null()  # no cue and no claimant of its own
    for role in ("cue", "claimant"):
        broken = _claims().with_columns(
            **{f"{role}_spans": pl.when(floating).then(_spans((0, 5))).otherwise(f"{role}_spans")}
        )
        assert "envelope_matches_ranges" in _failing_checks(broken)


def _tables(claims: pl.DataFrame, text: str = FLOATING) -> dict[str, pl.DataFrame]:
    docs = strategies.documents(text)
    return {"documents": docs, "sentences": sentences_table(docs), "claims": claims}


def test_every_range_must_lie_inside_its_document_text() -> None:
    claims = _claims()
    assert _check_claims(_tables(claims)).height == 0
    n = len(FLOATING)
    outside = claims.with_columns(
        claimant_spans=pl.when(pl.col("cue").is_null()).then(_spans((n, n + 3))).otherwise("claimant_spans")
    )  # the envelope is not set: only the range lies outside the text
    assert (
        _check_claims(_tables(outside))["claim_id"].to_list()
        == claims.filter(pl.col("cue").is_null())["claim_id"].to_list()
    )


def test_a_claim_without_a_cue_is_anchored_by_its_content() -> None:
    claims = _claims()
    tables = _tables(claims)
    wrong = claims.with_columns(
        sent_id=pl.when(pl.col("cue").is_null()).then(pl.lit(claims["sent_id"][0])).otherwise("sent_id")
    )
    assert _check_claims(tables).height == 0 and _check_claims(_tables(wrong)).height == 1


def test_claim_ids_are_unique_and_name_their_document_and_kind() -> None:
    doc = document_id("a.txt", record_identity("sha256", "0" * 64))
    docs = strategies.documents(FLOATING, doc).with_columns(
        source_path=pl.lit("a.txt"),
        source_sha256=pl.lit("0" * 64),
        record=pl.lit(0),
        identity=pl.lit("sha256:" + "0" * 64),
        format=pl.lit("txt"),
    )
    claims = claims_of(FLOATING, doc_id=doc)
    ok = {"documents": docs, "sentences": sentences_table(docs), "claims": claims}
    assert _check_ids(ok).height == 0
    moved = docs.with_columns(source_path=pl.lit("b.txt"))  # the same identity in another file: another ID
    assert _check_ids({**ok, "documents": moved})["id"].to_list() == [doc]
    human = claims.with_columns(annotator=pl.lit("ann@example.org"))  # a human row needs an -h ID
    assert _check_ids({**ok, "claims": human}).height == claims.height
    relabelled = human.with_columns(claim_id=pl.col("claim_id").str.replace("-c", "-h", literal=True))
    assert _check_ids({**ok, "claims": relabelled}).height == 0
    ordinal = claims.with_columns(claim_id=pl.col("doc_id") + "-c" + pl.int_range(pl.len()).cast(pl.Utf8))
    assert _check_ids({**ok, "claims": ordinal}).height == claims.height
    twice = pl.concat([claims, claims.head(1)])
    assert _check_ids({**ok, "claims": twice})["id"].to_list() == [claims["claim_id"][0]]
