"""Validate every table with its pandera schema and the tables against each other; report, never trace.

The report is plain JSON (it is published as `validation.json`) and holds every failure at once:
pandera runs with `lazy=True` and at SCHEMA_AND_DATA depth, so data checks are never skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandera.polars as pa
import polars as pl
from pandera.config import ValidationDepth, config_context

from newsds.errors import SchemaValidationError
from newsds.ids import HUMAN, MACHINE, document_id
from newsds.schemas import ROLES, SCHEMA_VERSION, SCHEMAS
from newsds.vocabulary import RULES_PREFIX

MAX_EXAMPLES = 20
CLAIM_HASH = r"^[0-9a-f]{12}$"  # what follows `<doc_id>-<kind>` in a claim ID


# pandera's failure report adds a column named "index", which clashes with sentences.index:
# validation runs on a copy where that column (and the schema's) is renamed, and the report names it back.
_INDEX_ALIAS = "index__"


def _schema(name: str, frame: pl.DataFrame) -> tuple[Any, pl.DataFrame]:
    schema = SCHEMAS[name].to_schema()
    if "index" not in frame.columns:
        return schema, frame
    schema = schema.rename_columns({"index": _INDEX_ALIAS})
    if schema.unique:
        schema.unique = [_INDEX_ALIAS if c == "index" else c for c in schema.unique]
    return schema, frame.rename({"index": _INDEX_ALIAS})


def validate_table(name: str, frame: pl.DataFrame) -> dict[str, Any]:
    """One table against its schema: rows, validity and every failure case (first MAX_EXAMPLES)."""
    schema, renamed = _schema(name, frame)
    try:
        with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
            renamed.pipe(schema.validate, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.with_columns(
            pl.col("failure_case").cast(pl.Utf8), pl.col("column").replace(_INDEX_ALIAS, "index")
        )
        counts = cases.group_by("column", "check").len().sort("column", "check", nulls_last=True)
        return {
            "rows": frame.height,
            "valid": False,
            "failures": cases.height,
            "by_check": counts.to_dicts(),
            "examples": cases.head(MAX_EXAMPLES).to_dicts(),
        }
    return {"rows": frame.height, "valid": True, "failures": 0, "by_check": [], "examples": []}


def _slices_back(text_col: str, role: str, start_col: str, end_col: str) -> pl.Expr:
    """`text[start:end] == role` and the span lies inside the text (null roles pass)."""
    start, end = pl.col(start_col), pl.col(end_col)
    inside = end <= pl.col(text_col).str.len_chars()
    sliced = pl.col(text_col).str.slice(start, end - start) == pl.col(role)
    return pl.col(role).is_null() | (inside & sliced)


def _check_sentences(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    docs = tables["documents"].select("doc_id", pl.col("text").alias("doc_text"))
    joined = tables["sentences"].join(docs, on="doc_id", how="left")
    ok = pl.col("doc_text").is_not_null() & _slices_back("doc_text", "text", "start", "end")
    return joined.filter(~ok).select("sent_id", "doc_id", "start", "end")


def _ranges_inside(spans: str, length: pl.Expr) -> pl.Expr:
    """Every range of a role lies inside the text: 0 <= start < end <= len(text) (no range passes)."""
    start, end = pl.element().struct.field("start"), pl.element().struct.field("end")
    ordered = pl.col(spans).list.eval((start >= 0) & (end > start)).list.all()
    last = pl.col(spans).list.eval(end).list.max()
    return ordered & (last.is_null() | (last <= length))


def _check_claims(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    docs = tables["documents"].select("doc_id", pl.col("text").alias("doc_text"))
    sents = tables["sentences"].select(
        "sent_id", pl.col("doc_id").alias("sent_doc"), pl.col("start").alias("s0"), pl.col("end").alias("s1")
    )
    joined = tables["claims"].join(docs, on="doc_id", how="left").join(sents, on="sent_id", how="left")
    s0, s1 = pl.col("s0"), pl.col("s1")
    # The claim's anchor lies in its sentence: the cue, or where the content starts when there is no cue
    # (a floating quotation, whose content may run on over several sentences).
    anchored = (
        pl.when(pl.col("cue_start").is_not_null())
        .then((pl.col("cue_start") >= s0) & (pl.col("cue_end") <= s1))
        .otherwise((pl.col("content_start") >= s0) & (pl.col("content_start") < s1))
    )
    length = pl.col("doc_text").str.len_chars()
    ok = (
        pl.col("doc_text").is_not_null()
        & (pl.col("sent_doc") == pl.col("doc_id"))
        & anchored
        & pl.all_horizontal([_ranges_inside(f"{r}_spans", length) for r in ROLES])
        & pl.all_horizontal([_slices_back("doc_text", r, f"{r}_start", f"{r}_end") for r in ROLES])
    )
    return joined.filter(~ok.fill_null(False)).select("claim_id", "doc_id", "sent_id")


def _check_inputs(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Every input is exactly one document or rejected row, and every output comes from an input.

    A raw file holds `records` inputs (one unless it is JSON/JSONL); its outputs must number
    exactly that many, each record once. Files that were never parsed count as one input.
    """
    cols = ["source_path", "record"]
    outputs = pl.concat([tables["documents"].select(cols), tables["rejected"].select(cols)])
    per_file = outputs.group_by("source_path").agg(
        pl.len().alias("outputs"), pl.col("record").n_unique().alias("distinct_records")
    )
    inputs = tables["raw"].select("source_path", pl.col("records").fill_null(1).alias("records"))
    joined = inputs.join(per_file, on="source_path", how="full", coalesce=True)
    ok = (pl.col("records").fill_null(0) == pl.col("outputs").fill_null(0)) & (
        pl.col("distinct_records") == pl.col("outputs")
    )
    return joined.filter(~ok.fill_null(False)).sort("source_path")


def _check_ids(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """IDs are the deterministic functions of their rows that the contract promises, and claim IDs are
    unique: a claim's ID is its document's ID, `c` (an extractor's claim) or `h` (a human gold claim)
    and 12 hex digits of the hash of its spans (`ids.claim_id`; the hash itself is checked by the tests,
    not on every build)."""
    docs = tables["documents"].select("doc_id", "source_path", "identity")
    expected = [document_id(path, key) for path, key in docs.select("source_path", "identity").iter_rows()]
    bad_docs = docs.with_columns(expected=pl.Series(expected, dtype=pl.Utf8)).filter(
        pl.col("doc_id") != pl.col("expected")
    )
    sents = tables["sentences"].filter(
        pl.col("sent_id") != pl.col("doc_id") + "-s" + pl.col("index").cast(pl.Utf8).str.zfill(4)
    )
    bad = [bad_docs.select(pl.col("doc_id").alias("id")), sents.select(pl.col("sent_id").alias("id"))]
    if "claims" in tables:
        claims = tables["claims"]
        kind = (
            pl.when(pl.col("annotator").str.starts_with(RULES_PREFIX))
            .then(pl.lit(MACHINE))
            .otherwise(pl.lit(HUMAN))
        )
        form = pl.col("claim_id").str.strip_prefix(pl.col("doc_id") + "-" + kind).str.contains(CLAIM_HASH)
        wrong = claims.filter(~form.fill_null(False) | pl.col("claim_id").is_duplicated())
        bad.append(wrong.select(pl.col("claim_id").alias("id")).unique(maintain_order=True))
    return pl.concat(bad)


def _check_annotations(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Every annotation's document exists and every range of every role slices back to its text."""
    if "claim_annotations" not in tables:
        return pl.DataFrame(schema={"annotation_id": pl.Utf8, "doc_id": pl.Utf8})
    docs = tables["documents"].select("doc_id", pl.col("text").alias("doc_text"))
    ranges = (
        pl.concat(
            [
                tables["claim_annotations"].select(
                    "annotation_id", "doc_id", pl.col(f"{role}_ranges").alias("r")
                )
                for role in ("cue", "claimant", "content")
            ]
        )
        .explode("r")
        .drop_nulls("r")
        .unnest("r")
    )
    joined = ranges.join(docs, on="doc_id", how="left")
    ok = (
        pl.col("doc_text").is_not_null()
        & (pl.col("start") >= 0)
        & (pl.col("end") > pl.col("start"))
        & _slices_back("doc_text", "text", "start", "end")
    )
    missing = (
        tables["claim_annotations"].join(docs, on="doc_id", how="anti").select("annotation_id", "doc_id")
    )
    bad = joined.filter(~ok.fill_null(False)).select("annotation_id", "doc_id")
    return pl.concat([missing, bad]).unique(maintain_order=True)


CROSS_CHECKS: dict[str, tuple[str, Callable[[Mapping[str, pl.DataFrame]], pl.DataFrame]]] = {
    "sentences_in_documents": (
        "every sentence's document exists and its span slices back to its text",
        _check_sentences,
    ),
    "claims_in_sentences": (
        "every claim's document and sentence exist, its cue (or, without one, its content's start) lies "
        "in that sentence, every range of every role lies inside the document text, and cue, claimant "
        "and content slice back to their text",
        _check_claims,
    ),
    "inputs_accounted": ("every raw input is exactly one document or one rejected row", _check_inputs),
    "ids_deterministic": (
        "doc_id is the hash of source_path and the record's identity, sent_id the function of doc_id and "
        "index; each claim_id is unique, and is its doc_id, c (extractor) or h (human) and a span hash",
        _check_ids,
    ),
    "annotations_in_documents": (
        "every human annotation's document exists and each range of each role slices back to its text",
        _check_annotations,
    ),
}


def validate_tables(
    tables: Mapping[str, pl.DataFrame], checks: Sequence[str] | None = None
) -> dict[str, Any]:
    """Validate every table present and run the cross-table checks (or only `checks`); return the report."""
    report_tables = {name: validate_table(name, tables[name]) for name in SCHEMAS if name in tables}
    cross = []
    for check, (description, run) in CROSS_CHECKS.items():
        if checks is not None and check not in checks:
            continue
        bad = run(tables)
        cross.append(
            {
                "check": check,
                "description": description,
                "valid": bad.height == 0,
                "failures": bad.height,
                "examples": bad.head(MAX_EXAMPLES).to_dicts(),
            }
        )
    valid = all(t["valid"] for t in report_tables.values()) and all(c["valid"] for c in cross)
    return {"schema_version": SCHEMA_VERSION, "valid": valid, "tables": report_tables, "cross_table": cross}


def summarize(report: Mapping[str, Any]) -> str:
    """A few human lines: each failing table or check with its failure count and top examples."""
    lines = []
    for name, table in report["tables"].items():
        if not table["valid"]:
            checks = ", ".join(f"{c['column']}:{c['check']} x{c['len']}" for c in table["by_check"][:5])
            lines.append(f"table {name}: {table['failures']} failure(s) ({checks})")
    for check in report["cross_table"]:
        if not check["valid"]:
            lines.append(
                f"check {check['check']}: {check['failures']} failure(s), e.g. {check['examples'][:2]}"
            )
    return "\n".join(lines) if lines else "all tables and cross-table checks valid"


def require_valid(report: Mapping[str, Any]) -> None:
    """Raise SchemaValidationError with a readable summary if the report holds any failure."""
    if not report["valid"]:
        raise SchemaValidationError(
            "validation failed; nothing was published:\n" + summarize(report), dict(report)
        )
