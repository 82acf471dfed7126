"""Raw files -> documents: one module per input format, dispatched by file name.

Every failure is a `ParseError` with a stable reason code, so that the build turns it into a
rejected row and goes on: one bad file (or one bad JSONL line) never stops a build. A file holds
one record (text, HTML) or many (JSON, JSONL); each record becomes a document or a rejected row.

A document's ID is its file's path and its record's own identity (`newsds.ids.document_id`): the file's
bytes for a single-document file, a JSON record's id field, else its URL field, else its content. Two
records of one file with the same identity are one document: the later one is a rejected `duplicate`.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from newsds.errors import ParseError
from newsds.ids import document_id, record_identity, sha256_hex
from newsds.ingest.dedupe import KeptDocuments
from newsds.ingest.parse import html as html_reader
from newsds.ingest.parse import jsonl as json_reader
from newsds.ingest.parse import txt as txt_reader
from newsds.ingest.parse.language import detect_language
from newsds.ingest.parse.publisher import from_text as published_from_text
from newsds.ingest.parse.publisher import registered_domain
from newsds.reading import DEFAULT_MAPPING, FieldMapping
from newsds.schemas import frame, rejected_row
from newsds.textnorm import Decoded, decode, is_blank, normalize

# File-name suffix -> format. A further ".gz" is decompressed first ("page.html.gz").
FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
SUPPORTED_SUFFIXES = tuple(sorted(FORMATS)) + tuple(f"{s}.gz" for s in sorted(FORMATS))
PARSER_VERSIONS = {
    "txt": txt_reader.PARSER_VERSION,
    "html": html_reader.PARSER_VERSION,
    "json": json_reader.PARSER_VERSION,
    "jsonl": json_reader.PARSER_VERSION,
}


def detect_format(path: str) -> tuple[str | None, bool]:
    """(format, gzipped) from a file name; format is None when newsds cannot read the file."""
    name = path.lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[:-3]
    for suffix, fmt in FORMATS.items():
        if name.endswith(suffix):
            return fmt, gzipped
    return None, gzipped


def _txt_fields(text: str, layout: str = "auto") -> dict[str, Any]:
    doc = txt_reader.parse_txt(text, layout=layout)
    stamp = published_from_text(doc.published_raw)
    return {
        "title": doc.title,
        "subtitle": doc.subtitle,
        "byline": doc.byline,
        "authors": [doc.byline] if doc.byline else [],
        "published": doc.published,
        # a date line with an ISO time and zone gives the instant too; "May 1, 2020 8:30 AM EST" a day
        "published_at": None if stamp is None else stamp.instant,
        "published_raw": doc.published_raw,
        "url": None,
        "sitename": None,
        "publisher": None,  # the build fills in the registered domain of the SOURCES.csv URL
        "dateline": doc.dateline,
        "text": doc.body,
        "boilerplate": [{"kind": b.kind, "text": b.text} for b in doc.boilerplate],
        "ai_generated_notice": doc.ai_generated_notice,
        "language": None,
    }


def _json_authors(value: Any, mapping: FieldMapping) -> list[str]:
    """The authors of a JSON record: the items of its mapped byline field when that is a list (each on
    one line, an object's "name"), else the one byline; the same key wins as for the byline column."""
    for key in mapping.byline:
        found = json_reader._lookup(value, key)
        if json_reader._one_line(found) is None:
            continue
        items = found if isinstance(found, list) else [found]
        return [name for name in map(json_reader._one_line, items) if name is not None]
    return []


def _json_fields(fields: dict[str, Any], authors: list[str] | None = None) -> dict[str, Any]:
    """A JSON record's mapped fields, its body cleaned by the same furniture rules as plain text.

    `authors` is the record's authors list (`_json_authors`); without it, the byline alone."""
    cleaned = txt_reader.clean_body(fields["text"])
    if authors is None:
        authors = fields.get("authors") or ([fields["byline"]] if fields.get("byline") else [])
    return {
        **fields,
        "authors": authors,
        "dateline": cleaned.dateline,
        "text": cleaned.body,
        "boilerplate": [{"kind": b.kind, "text": b.text} for b in cleaned.boilerplate],
        "ai_generated_notice": cleaned.ai_generated_notice,
    }


def _html_fields(text: str, layout: str = "auto") -> dict[str, Any]:
    return html_reader.parse_html(text)  # `layout` is for plain text only


_SINGLE: dict[str, Callable[[str, str], dict[str, Any]]] = {"txt": _txt_fields, "html": _html_fields}


@dataclass(frozen=True)
class Record:
    """One record of a raw file: a document row, or the ParseError that kept it from being one."""

    record: int | None  # position in a multi-record file; None for a file-level outcome
    row: dict[str, Any] | None
    error: ParseError | None


def _gunzip(data: bytes, limit: int) -> bytes:
    """Every member of a gzip file, up to `limit` bytes; a truncated or corrupt file is an error."""
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(rest, limit + 1 - len(out))
        except zlib.error as exc:
            raise ParseError(
                "undecodable", f"the file is not valid gzip ({exc}); re-compress it or unzip it"
            ) from exc
        if len(out) > limit:
            raise ParseError(
                "too_large", f"it decompresses to more than {limit} bytes; split it or raise max_bytes"
            )
        if not inflater.eof:
            raise ParseError("undecodable", "the gzip data is truncated; re-download or re-compress the file")
        rest = inflater.unused_data.lstrip(b"\x00")  # a further member, or trailing padding
    return bytes(out)


class _RecordValues:
    """The decoded JSON value of a record, decoded again only when asked (for its authors list: the
    mapped row has the byline joined into one string)."""

    def __init__(self, text: str, fmt: str) -> None:
        self._text = text.lstrip("\ufeff")
        self._fmt = fmt
        self._lines: list[str] | None = None
        self._values: list[Any] | None = None

    def get(self, rec: json_reader.JsonRecord) -> Any:
        if self._fmt == "jsonl" and rec.line is not None:
            if self._lines is None:
                self._lines = self._text.split("\n")
            return json.loads(self._lines[rec.line - 1])
        if self._values is None:
            value = json.loads(self._text)
            self._values = value if isinstance(value, list) else [value]
        return self._values[rec.record]


def _replaced_in(row: Mapping[str, Any], limit: int) -> int:
    """U+FFFD characters in a record's fields, at most the file's count of replaced sequences: which
    record of a file holds a replaced sequence is not tracked, and a file with none reports none."""
    if limit == 0:
        return 0
    return min(limit, sum(v.count("\ufffd") for v in row.values() if isinstance(v, str)))


def _finish(
    fields: dict[str, Any],
    fmt: str,
    decoded: Decoded,
    sha: str,
    source_path: str,
    record: int,
    identity: str,
    replacements: int,
) -> dict[str, Any]:
    if not fields["text"] or is_blank(fields["text"]):
        raise ParseError(
            "no_body",
            "no article body was left after removing the title, metadata and boilerplate; "
            "check that the input holds the article text",
        )
    return {
        "doc_id": document_id(source_path, identity),
        "source_path": source_path,
        "source_sha256": sha,
        "record": record,
        "identity": identity,
        "format": fmt,
        "encoding": decoded.encoding,
        "decode_replacements": replacements,
        "title": fields["title"],
        "subtitle": fields["subtitle"],
        "byline": fields["byline"],
        "authors": fields.get("authors"),
        "published": fields["published"],
        "published_at": fields["published_at"],
        "published_raw": fields["published_raw"],
        "url": fields["url"],
        "sitename": fields["sitename"],
        "publisher": fields["publisher"] or registered_domain(fields["url"]),
        "dateline": fields["dateline"],
        "text": fields["text"],
        "boilerplate": fields["boilerplate"],
        "ai_generated_notice": fields["ai_generated_notice"],
        "parser": f"newsds.parse.{PARSER_VERSIONS[fmt]}",  # the recorded reader id, kept as published
        # Detected from the body; the page's or record's declared language only breaks a near-tie.
        "language": detect_language(fields["text"], declared=fields["language"]),
        "licence": None,
    }


def parse_records(
    data: bytes,
    source_path: str,
    *,
    mapping: FieldMapping = DEFAULT_MAPPING,
    max_bytes: int = 50 * 1024 * 1024,
    layout: str = "auto",
) -> list[Record]:
    """Every record of one raw file. Never raises ParseError: failures are returned as records.

    `layout` is passed to the plain-text reader (`txt.parse_txt`); other formats ignore it."""
    sha = sha256_hex(data)
    try:
        fmt, gzipped = detect_format(source_path)
        if fmt is None:
            raise ParseError(
                "unsupported_format",
                f"cannot read {Path(source_path).name!r}: unknown file type; supported: "
                f"{', '.join(SUPPORTED_SUFFIXES)}. Rename the file or convert it to one of these",
            )
        if gzipped:
            data = _gunzip(data, max_bytes)
        decoded = decode(data)
        text = normalize(decoded.text)
        if is_blank(text):
            raise ParseError(
                "empty",
                "the file holds only whitespace or invisible characters; remove it or add the article text",
            )
        if fmt in _SINGLE:
            fields = _SINGLE[fmt](text, layout)
            identity = record_identity("sha256", sha)
            row = _finish(fields, fmt, decoded, sha, source_path, 0, identity, decoded.replacements)
            return [Record(None, row, None)]
    except ParseError as exc:
        return [Record(None, None, exc)]
    out = []
    values = _RecordValues(text, fmt)
    for rec in json_reader.parse_json_records(text, fmt, mapping):
        if rec.error is not None or rec.row is None:
            out.append(Record(rec.record, None, rec.error))
            continue
        assert rec.identity is not None and rec.sha256 is not None, "a JSON record with a row has both"
        try:
            # the record's own hash, not the file's: appending a record changes no other document's row
            authors = None if rec.row["byline"] is None else _json_authors(values.get(rec), mapping)
            fields = _json_fields(rec.row, authors)
            replaced = _replaced_in(rec.row, decoded.replacements)
            row = _finish(fields, fmt, decoded, rec.sha256, source_path, rec.record, rec.identity, replaced)
            out.append(Record(rec.record, row, None))
        except ParseError as exc:
            out.append(
                Record(rec.record, None, ParseError(exc.reason, f"record {rec.record}: {exc.message}"))
            )
    return out


def parse_bytes(data: bytes, source_path: str, *, layout: str = "auto") -> dict[str, Any]:
    """One raw file's bytes -> its document row. Raises ParseError (see parse_records for many)."""
    records = parse_records(data, source_path, layout=layout)
    if len(records) != 1:
        raise ParseError(
            "multiple_records",
            f"{source_path} holds {len(records)} records; "
            "read them all with newsds.ingest.parse.parse_file_records(path)",
        )
    if records[0].error is not None:
        raise records[0].error
    assert records[0].row is not None
    return records[0].row


def _read(path: str | Path) -> tuple[Path, bytes]:
    path = Path(path)
    try:
        return path, path.read_bytes()
    except OSError as exc:
        raise ParseError("unreadable", f"cannot read {path}: {exc.strerror or exc}") from exc


def parse_file(path: str | Path, *, layout: str = "auto") -> dict[str, Any]:
    """One raw file on disk -> its document row (dict). Raises newsds.ParseError on bad input.

    Its source_path, and so its doc_id, is the file's name (a build uses the path under the raw folder)."""
    path, data = _read(path)
    return parse_bytes(data, path.name, layout=layout)


def parse_file_records(path: str | Path, *, layout: str = "auto") -> list[dict[str, Any]]:
    """Every document row of a raw file (JSON/JSONL hold many); bad records raise newsds.ParseError."""
    path, data = _read(path)
    rows = []
    for rec in parse_records(data, path.name, layout=layout):
        if rec.error is not None:
            raise rec.error
        assert rec.row is not None
        rows.append(rec.row)
    return rows


def duplicate_row(doc: Mapping[str, Any], first: str, *, same_text: bool | None = None) -> dict[str, Any]:
    """The rejected row of a document that duplicates the kept document `first`.

    A document duplicates `first` by its text, or by its doc_id: the same record identity (id or URL
    field, or content) in the same file. `same_text` says whether the two texts are equal, when the
    caller knows; by doc_id with other text, the message says the record id/URL was repeated."""
    record = None if doc["format"] in _SINGLE else doc["record"]  # a single-document file has no record
    if first != doc["doc_id"] or same_text:
        message = f"same text as document {first}, which was kept; remove one of the two inputs"
    elif same_text is None:
        message = (
            f"same record identity (its id or URL field, or its content) as document {first} in the same "
            "file, which was kept; give each record its own id or remove one of the two"
        )
    else:
        message = (
            f"same record id/url as document {first} in the same file, with other text; the first was "
            "kept: give each record its own id or URL, or remove the outdated one"
        )
    return rejected_row(
        doc["source_path"],
        doc["source_sha256"],
        "dedupe",
        "duplicate",
        message,
        record=record,
        duplicate_of=first,
    )


def documents_table(
    raw: pl.DataFrame,
    mapping: FieldMapping = DEFAULT_MAPPING,
    max_bytes: int = 50 * 1024 * 1024,
    *,
    layout: str = "auto",
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Parse every readable raw file: (documents, rejected, raw with its `records` count).

    Exact duplicates (the same clean text as an earlier document, in source-path order) are kept
    once, and so are records of one file with the same identity (the same doc_id: a repeated id or URL
    field); the others become rejected rows with reason `duplicate` pointing at the kept doc_id.
    A document without a URL of its own takes its SOURCES.csv row's, and then, without a publisher of
    its own, that URL's registered domain as its publisher.
    """
    documents: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    kept = KeptDocuments()
    texts: dict[str, str] = {}  # doc_id -> text of the kept documents (they are all in memory anyway)
    counts: dict[str, int] = {}
    for row in raw.filter(pl.col("content").is_not_null()).iter_rows(named=True):
        path, sha = row["source_path"], row["source_sha256"]
        records = parse_records(row["content"], path, mapping=mapping, max_bytes=max_bytes, layout=layout)
        counts[path] = len(records)
        for rec in records:
            if rec.error is not None:
                rejected.append(
                    rejected_row(path, sha, "parse", rec.error.reason, rec.error.message, record=rec.record)
                )
                continue
            doc = rec.row
            assert doc is not None
            first = kept.keep(doc["doc_id"], doc["text"])
            if first is not None:
                same = texts[first] == doc["text"] if first == doc["doc_id"] else True
                rejected.append(duplicate_row(doc, first, same_text=same))
                continue
            texts[doc["doc_id"]] = doc["text"]
            doc["url"] = doc["url"] or row["url"]
            doc["publisher"] = doc["publisher"] or registered_domain(doc["url"])
            doc["licence"] = row["licence"]
            documents.append(doc)
    records_col = pl.col("source_path").replace_strict(counts, default=1, return_dtype=pl.Int64)
    return frame("documents", documents), frame("rejected", rejected), raw.with_columns(records=records_col)
