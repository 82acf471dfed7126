"""pandera schemas for every stage's table; their exported form lives in `schemas/*.json`.

The models are the single definition of each table: `polars_schema()` derives the Polars dtypes
used to build frames from them, so a column cannot drift between the code and the contract.
"""

from __future__ import annotations

import inspect
import json
import warnings
from pathlib import Path
from typing import Any

import pandera.polars as pa
import polars as pl
from pandera.polars import PolarsData

from newsds.vocabulary import CLAIM_KINDS, SENTENCE_KINDS, SPANS, STANCES

# 2: claims gained range lists per role (*_spans) and a nullable cue; 3: documents gained published_at,
# published_raw and publisher, and doc_id is derived from each record's own identity (ids.document_id);
# 4: documents gained authors (a list, after byline), and rejected gained the reason not_article;
# 5: documents gained decode_replacements (invalid UTF-8 sequences read as U+FFFD), and rejected gained
# the reason wrong_type
SCHEMA_VERSION = "5"
HEX64 = r"^[0-9a-f]{64}$"
DOC_ID = r"^[0-9a-f]{16}$"
BOILERPLATE = pl.List(pl.Struct({"kind": pl.Utf8, "text": pl.Utf8}))
AUTHORS = pl.List(pl.Utf8)
STAGES = ("read", "parse", "dedupe")
# Stable reason codes of the rejected table (documented in the README).
REJECT_REASONS = (
    "unreadable",  # the file could not be read from disk
    "too_large",  # over max_bytes (or decompresses to more)
    "unsupported_format",  # a file type newsds has no reader for
    "empty",  # no bytes, only whitespace, or a JSON file with no records
    "binary",  # NUL or control bytes: not text
    "undecodable",  # no text encoding explains the bytes (or broken gzip)
    "malformed_json",  # a JSON file or JSONL line that does not parse
    "not_an_object",  # a JSON record that is not an object
    "wrong_type",  # a JSON record whose article text is a number or boolean, not a string
    "no_body",  # no article text left after extraction and cleaning
    "not_article",  # a web page that is no article: a homepage, section front, tag list, video page, redirect
    "duplicate",  # the same clean text as a document that was kept (see duplicate_of)
)
DOCUMENT_FORMATS = ("txt", "html", "json", "jsonl")
# The tables of a release, in the order its files and card list them.
CORE_TABLES = ("documents", "sentences", "claims", "rejected")
ANNOTATION_TABLES = ("annotated_documents", "claim_annotations", "annotation_rejected")
TABLES = CORE_TABLES + ANNOTATION_TABLES
# Human annotations: where they come from, and why an imported one was refused (documented in
# docs/annotation.md). `level` says what was refused: a whole file, one annotator's pass over one
# document, one attribution, or one region that belongs to no attribution.
ANNOTATION_FORMATS = ("label_studio", "brat")
ANNOTATION_LEVELS = ("file", "pass", "attribution", "region")
ANNOTATION_REJECT_REASONS = (
    "malformed",  # the file, or an item in it, does not have the format's structure
    "cancelled",  # a Label Studio annotation the annotator skipped (was_cancelled)
    "unknown_document",  # names no document of the release (or the brat .txt matches none)
    "text_mismatch",  # the annotator saw another text than the document's: its offsets cannot be trusted
    "reserved_annotator",  # an annotator id that is empty or claims to be one of newsds's extractors
    "superseded",  # an older pass by the same annotator over the same document
    "span_out_of_range",  # offsets outside the document text, or start >= end
    "span_mismatch",  # the offsets do not slice to the text the tool recorded for the span
    "unknown_label",  # a label, relation, stance or kind that the labelling scheme does not have
    "no_content",  # a cue linked to no content region
    "unlinked_region",  # a claimant or content region linked to no cue
)
RANGES = pl.List(pl.Struct({"start": pl.Int64, "end": pl.Int64, "text": pl.Utf8}))
ROLES = ("cue", "claimant", "content")
TIMESTAMP = pl.Datetime("us", "UTC")


def _ordered(start: str, end: str) -> pl.Expr:
    """Half-open spans: 0 <= start < end (a null span, for an optional role, passes)."""
    s, e = pl.col(start), pl.col(end)
    return (s.is_null() & e.is_null()) | ((s >= 0) & (e > s))


def _ranges_ordered(spans: str) -> pl.Expr:
    """Every range of a list has 0 <= start < end and ends before the next one starts (an empty list
    passes; a null list does not)."""
    start, end = pl.element().struct.field("start"), pl.element().struct.field("end")
    valid = ((start >= 0) & (end > start)).fill_null(False) & (end <= start.shift(-1)).fill_null(True)
    return pl.col(spans).list.eval(valid).list.all().fill_null(False)


def _envelope_matches(role: str) -> pl.Expr:
    """A role's start/end are the hull of its ranges, and its text is null exactly when it has none."""
    spans = pl.col(f"{role}_spans")
    first, last = spans.list.first().struct.field("start"), spans.list.last().struct.field("end")
    hull = pl.col(f"{role}_start").eq_missing(first) & pl.col(f"{role}_end").eq_missing(last)
    return (hull & (pl.col(role).is_null() == (spans.list.len() == 0))).fill_null(False)


class RawFileSchema(pa.DataFrameModel):
    """One row per raw input file, as read from disk (content is null when it was not read).

    `records` is how many inputs the file holds (JSON/JSONL: one per record), set by parsing.
    """

    source_path: str = pa.Field(unique=True)
    source_sha256: str = pa.Field(nullable=True, str_matches=HEX64)
    size: int = pa.Field(ge=0)
    content: pl.Binary = pa.Field(nullable=True)
    url: str = pa.Field(nullable=True)
    licence: str = pa.Field(nullable=True)
    records: int = pa.Field(nullable=True, ge=1)

    class Config:
        strict = True


class DocumentSchema(pa.DataFrameModel):
    """One row per clean article.

    `doc_id` is a hash of `source_path` and the record's own identity: the file's bytes for a .txt or
    .html file, a JSON record's id field, else its URL field, else its content (`ids.document_id`), so
    it is stable when other records or files change, and changes when the file is renamed. `published`
    is the day as the source wrote it (in its own zone), `published_at` the UTC instant when the source
    gave a time and a zone, `published_raw` the source's own text for it. `authors` lists the names that
    `byline` joins (a page's JSON-LD authors or author tags, a JSON record's author list, a text file's
    byline line; empty when none is given). `publisher` is the source's name for itself (a JSON field, a
    page's JSON-LD publisher or site name), else the registered domain of `url`. `source_sha256` is the
    sha256 of what the document was read from: the file for .txt and .html, the record's canonical JSON
    text for a JSON/JSONL record (the file's own is in the manifest's inputs), so a crawl file that grows
    changes no earlier record's row. `identity` is what names the record ("id:…", "url:…" or
    "sha256:…"), so every `doc_id` can be recomputed from its row."""

    doc_id: str = pa.Field(unique=True, str_matches=DOC_ID)
    source_path: str
    source_sha256: str = pa.Field(str_matches=HEX64)
    record: int = pa.Field(ge=0)
    identity: str = pa.Field(str_matches=r"^(?:id|url|sha256):[\s\S]+$")
    format: str = pa.Field(isin=list(DOCUMENT_FORMATS))
    encoding: str
    decode_replacements: int = pa.Field(ge=0)
    title: str = pa.Field(nullable=True)
    subtitle: str = pa.Field(nullable=True)
    byline: str = pa.Field(nullable=True)
    authors: AUTHORS = pa.Field(nullable=True)  # type: ignore[valid-type]
    published: pl.Date = pa.Field(nullable=True)
    published_at: TIMESTAMP = pa.Field(nullable=True)  # type: ignore[valid-type]
    published_raw: str = pa.Field(nullable=True)
    url: str = pa.Field(nullable=True)
    sitename: str = pa.Field(nullable=True)
    publisher: str = pa.Field(nullable=True)
    dateline: str = pa.Field(nullable=True)
    text: str = pa.Field(str_length={"min_value": 1})
    boilerplate: BOILERPLATE  # type: ignore[valid-type]
    ai_generated_notice: bool
    parser: str
    language: str = pa.Field(nullable=True)
    licence: str = pa.Field(nullable=True)

    class Config:
        strict = True
        unique = ["source_path", "record"]


class SentenceSchema(pa.DataFrameModel):
    """One row per sentence; `text` equals documents.text[start:end]."""

    sent_id: str = pa.Field(unique=True)
    doc_id: str = pa.Field(str_matches=DOC_ID)
    index: pl.Int32 = pa.Field(ge=0)
    paragraph: pl.Int32 = pa.Field(ge=0)
    start: int = pa.Field(ge=0)
    end: int = pa.Field(ge=1)
    text: str = pa.Field(str_length={"min_value": 1})
    kind: str = pa.Field(isin=list(SENTENCE_KINDS))

    class Config:
        strict = True
        unique = ["doc_id", "index"]

    @pa.dataframe_check
    @classmethod
    def span_ordered(cls, data: PolarsData) -> pl.LazyFrame:
        """start < end"""
        return data.lazyframe.select(_ordered("start", "end"))


class ClaimSchema(pa.DataFrameModel):
    """One row per attribution: who (claimant) says (cue) what (content), with stance and kind.

    Each role is a list of `{start, end}` ranges in text order (`*_spans`; several when the role is
    discontinuous, none when it is absent), and `*_start` / `*_end` / the role's text are its envelope:
    the first range's start, the last range's end and the text between them (null when absent). The
    content is never absent; the claimant is absent in "it was alleged that", the cue in a floating
    quotation (a quoted paragraph that continues an earlier claimant)."""

    claim_id: str = pa.Field(unique=True)
    doc_id: str = pa.Field(str_matches=DOC_ID)
    sent_id: str
    cue: str = pa.Field(nullable=True, str_length={"min_value": 1})
    cue_start: int = pa.Field(nullable=True, ge=0)
    cue_end: int = pa.Field(nullable=True, ge=1)
    claimant: str = pa.Field(nullable=True)
    claimant_start: int = pa.Field(nullable=True, ge=0)
    claimant_end: int = pa.Field(nullable=True, ge=1)
    content: str = pa.Field(str_length={"min_value": 1})
    content_start: int = pa.Field(ge=0)
    content_end: int = pa.Field(ge=1)
    cue_spans: SPANS  # type: ignore[valid-type]
    claimant_spans: SPANS  # type: ignore[valid-type]
    content_spans: SPANS  # type: ignore[valid-type]
    stance: str = pa.Field(isin=list(STANCES))
    kind: str = pa.Field(isin=list(CLAIM_KINDS))
    annotator: str
    claimant_resolved: str = pa.Field(nullable=True)  # a pronoun claimant's named antecedent
    claimant_group: str = pa.Field(nullable=True)  # one id for the variants of one claimant in a document

    class Config:
        strict = True

    @pa.dataframe_check
    @classmethod
    def spans_ordered(cls, data: PolarsData) -> pl.LazyFrame:
        """start < end for the cue, claimant and content envelopes (when present)"""
        return data.lazyframe.select(pl.all_horizontal([_ordered(f"{r}_start", f"{r}_end") for r in ROLES]))

    @pa.dataframe_check
    @classmethod
    def roles_complete(cls, data: PolarsData) -> pl.LazyFrame:
        """a role's text, start and end are all null or all set (cue and claimant may be absent)"""
        checks = []
        for role in ("cue", "claimant"):
            nulls = [pl.col(c).is_null() for c in (role, f"{role}_start", f"{role}_end")]
            checks.append(pl.all_horizontal(nulls) | ~pl.any_horizontal(nulls))
        return data.lazyframe.select(pl.all_horizontal(checks))

    @pa.dataframe_check
    @classmethod
    def ranges_ordered(cls, data: PolarsData) -> pl.LazyFrame:
        """every range of every role has 0 <= start < end, and a role's ranges are sorted and do not
        overlap"""
        return data.lazyframe.select(pl.all_horizontal([_ranges_ordered(f"{r}_spans") for r in ROLES]))

    @pa.dataframe_check
    @classmethod
    def envelope_matches_ranges(cls, data: PolarsData) -> pl.LazyFrame:
        """each role's start is its first range's start and its end its last range's end; its text,
        start and end are null exactly when it has no range"""
        return data.lazyframe.select(pl.all_horizontal([_envelope_matches(r) for r in ROLES]))

    @pa.dataframe_check
    @classmethod
    def content_present(cls, data: PolarsData) -> pl.LazyFrame:
        """the content has at least one range"""
        return data.lazyframe.select(pl.col("content_spans").list.len() >= 1)


class RejectedSchema(pa.DataFrameModel):
    """One row per input (file or record) that did not become a document, with a stable reason code."""

    source_path: str
    source_sha256: str = pa.Field(nullable=True, str_matches=HEX64)
    record: int = pa.Field(nullable=True, ge=0)
    stage: str = pa.Field(isin=list(STAGES))
    reason: str = pa.Field(isin=list(REJECT_REASONS))
    message: str = pa.Field(str_length={"min_value": 1})
    duplicate_of: str = pa.Field(nullable=True)

    class Config:
        strict = True


class AnnotatedDocumentSchema(pa.DataFrameModel):
    """One row per document an annotator annotated (their latest pass), even with no attribution in it."""

    doc_id: str = pa.Field(str_matches=DOC_ID)
    annotator: str = pa.Field(str_length={"min_value": 1})
    format: str = pa.Field(isin=list(ANNOTATION_FORMATS))
    source_file: str
    source_sha256: str = pa.Field(str_matches=HEX64)
    source_ref: str
    created_at: TIMESTAMP = pa.Field(nullable=True)  # type: ignore[valid-type]
    updated_at: TIMESTAMP = pa.Field(nullable=True)  # type: ignore[valid-type]
    ground_truth: bool
    attributions: pl.Int32 = pa.Field(ge=0)

    class Config:
        strict = True
        unique = ["doc_id", "annotator"]


class ClaimAnnotationSchema(pa.DataFrameModel):
    """One row per attribution one human annotator marked; each role is a list of ranges (discontinuous
    spans have several), each range with its text, and `claim_id` names the gold claim it was
    adjudicated into (null when it was outvoted)."""

    annotation_id: str = pa.Field(unique=True)
    doc_id: str = pa.Field(str_matches=DOC_ID)
    annotator: str = pa.Field(str_length={"min_value": 1})
    format: str = pa.Field(isin=list(ANNOTATION_FORMATS))
    source_file: str
    source_ref: str
    created_at: TIMESTAMP = pa.Field(nullable=True)  # type: ignore[valid-type]
    updated_at: TIMESTAMP = pa.Field(nullable=True)  # type: ignore[valid-type]
    cue: str = pa.Field(str_length={"min_value": 1})
    cue_ranges: RANGES  # type: ignore[valid-type]
    claimant: str = pa.Field(nullable=True)
    claimant_ranges: RANGES  # type: ignore[valid-type]
    content: str = pa.Field(str_length={"min_value": 1})
    content_ranges: RANGES  # type: ignore[valid-type]
    stance: str = pa.Field(nullable=True, isin=list(STANCES))
    kind: str = pa.Field(nullable=True, isin=list(CLAIM_KINDS))
    claim_id: str = pa.Field(nullable=True)

    class Config:
        strict = True

    @pa.dataframe_check
    @classmethod
    def roles_present(cls, data: PolarsData) -> pl.LazyFrame:
        """cue and content have at least one range; claimant has a range exactly when it has a text"""
        n = {r: pl.col(f"{r}_ranges").list.len() for r in ("cue", "claimant", "content")}
        return data.lazyframe.select(
            (n["cue"] >= 1) & (n["content"] >= 1) & ((n["claimant"] == 0) == pl.col("claimant").is_null())
        )


class AnnotationRejectedSchema(pa.DataFrameModel):
    """One row per imported item that did not become an annotation, with a stable reason code."""

    source_file: str
    source_sha256: str = pa.Field(nullable=True, str_matches=HEX64)
    format: str = pa.Field(isin=list(ANNOTATION_FORMATS))
    level: str = pa.Field(isin=list(ANNOTATION_LEVELS))
    source_ref: str = pa.Field(nullable=True)
    doc_id: str = pa.Field(nullable=True)
    annotator: str = pa.Field(nullable=True)
    reason: str = pa.Field(isin=list(ANNOTATION_REJECT_REASONS))
    message: str = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True


SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "raw": RawFileSchema,
    "documents": DocumentSchema,
    "sentences": SentenceSchema,
    "claims": ClaimSchema,
    "rejected": RejectedSchema,
    "annotated_documents": AnnotatedDocumentSchema,
    "claim_annotations": ClaimAnnotationSchema,
    "annotation_rejected": AnnotationRejectedSchema,
}

# Polars dtypes of the pandera annotations that are Python types.
_PY_TO_POLARS: dict[str, pl.DataType] = {
    "String": pl.Utf8(),
    "Int64": pl.Int64(),
    "Int32": pl.Int32(),
    "Boolean": pl.Boolean(),
    "Date": pl.Date(),
    "Binary": pl.Binary(),
    "Datetime(time_unit='us', time_zone='UTC')": TIMESTAMP,
}


def polars_schema(table: str) -> dict[str, pl.DataType]:
    """The Polars dtype of every column of a table, in contract order."""
    out: dict[str, pl.DataType] = {}
    for name, column in SCHEMAS[table].to_schema().columns.items():
        dtype = column.dtype.type
        out[name] = dtype if isinstance(dtype, pl.DataType) else _PY_TO_POLARS[str(column.dtype)]
    return out


def empty_frame(table: str) -> pl.DataFrame:
    """A zero-row frame with the table's exact schema."""
    return pl.DataFrame(schema=polars_schema(table))


def export_schema(table: str) -> dict[str, Any]:
    """The JSON form of a table's schema: pandera's own export plus the names of custom checks."""
    model = SCHEMAS[table]
    schema = model.to_schema()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # custom checks are listed below instead
        exported: dict[str, Any] = json.loads(schema.to_json())
    exported["schema_version"] = SCHEMA_VERSION
    exported["description"] = inspect.cleandoc(model.__doc__ or "")
    exported["unique_together"] = list(getattr(model.Config, "unique", None) or [])
    exported["dataframe_checks"] = {check.name: _check_text(model, check) for check in schema.checks}
    return exported


def _check_text(model: type[pa.DataFrameModel], check: Any) -> str:
    """What a dataframe check asserts: its error message, else its docstring on one line."""
    text = getattr(check, "error", None) or inspect.getdoc(getattr(model, check.name, None)) or ""
    return " ".join(str(text).split())


def export_all() -> dict[str, str]:
    """Every exported schema as canonical JSON text, keyed by file name."""
    return {
        f"{table}.json": json.dumps(export_schema(table), indent=2, sort_keys=True) + "\n"
        for table in SCHEMAS
    }


def frame(table: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows (dicts) as a frame with the table's exact schema; zero rows give an empty frame."""
    return pl.DataFrame(rows, schema=polars_schema(table)) if rows else empty_frame(table)


def rejected_row(
    source_path: str,
    source_sha256: str | None,
    stage: str,
    reason: str,
    message: str,
    *,
    record: int | None = None,
    duplicate_of: str | None = None,
) -> dict[str, Any]:
    """One rejected-table row: which input, at which stage, why (stable code) and what to do (message)."""
    return {
        "source_path": source_path,
        "source_sha256": source_sha256,
        "record": record,
        "stage": stage,
        "reason": reason,
        "message": message,
        "duplicate_of": duplicate_of,
    }


def write_exports(folder: str | Path) -> list[str]:
    """Write every exported schema into folder; return the file names written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in export_all().items():
        (out / name).write_text(text)
    return sorted(export_all())
