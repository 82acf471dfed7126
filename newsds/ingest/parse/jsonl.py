"""Read crawler exports (.json / .jsonl) into document rows, one result per record.

Why one result per record and never an exception: a JSONL export of 100,000 articles with one
truncated line must still load the other 99,999, and the bad line must be reported with its line
number so it can be fixed. So every record becomes a `JsonRecord` holding either a row or a
`ParseError`.

Why a field mapping: crawlers name the same thing differently (news-please `maintext`, newspaper
`text`, generic `body`). Each document column has candidate keys tried in order; the first one with a
usable value wins (empty strings, whitespace and null count as missing). Dotted keys reach into nested
objects ("meta.title"). The default mapping reads news-please, newspaper3k/4k and common generic exports:

============  ==========================================================================
column        candidate keys, in order
============  ==========================================================================
title         title, headline
text          maintext, text, article_body, articleBody, body, content
subtitle      subtitle, description, meta_description
url           url, link
published     date_publish, publish_date, datePublished, published, date
byline        byline, authors, author
language      language, meta_lang, lang
sitename      site_name, sitename, source_domain, source_url
publisher     publisher, source_name, source
id            id, _id, uuid, guid
============  ==========================================================================

`published` is read once into three columns: `published` (the day as written, in the source's own
zone), `published_at` (the UTC instant, when the value has a time and a zone or offset; epoch numbers
are UTC instants) and `published_raw` (the value as the source gave it, kept even when it is no date
newsds can read). `publisher` is the source's own name for it; when the record has none, the build uses
the registered domain of the document's URL (see `newsds.ingest.parse.publisher`).

`id` is not a document column: it names the record, for its doc_id (`newsds.ids.document_id`). A
record's identity is its id field when it has one, else its URL field, else the sha256 of its canonical
JSON text (sorted keys, no spaces), never its position: records appended, inserted or removed elsewhere
in the file leave its doc_id as it was. Map `id` to `[]` to name records by URL or content only.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from newsds.errors import NewsdsError, ParseError
from newsds.ids import record_identity, sha256_hex
from newsds.ingest.parse.publisher import NOT_GIVEN, Published, from_epoch, from_text
from newsds.reading import DEFAULT_MAPPING, FieldMapping
from newsds.textnorm import normalize

# 1.1.0: published_at, published_raw and publisher; doc_ids from each record's id, URL or content
# 1.2.0: a number, boolean or object for the body is wrong_type; lone surrogates become U+FFFD
PARSER_VERSION = "json/1.2.0"
FORMATS = ("json", "jsonl")
_T = TypeVar("_T")


@dataclass(frozen=True)
class JsonRecord:
    """One record of a JSON/JSONL file: a document row, or the error that kept it out."""

    record: int  # 0-based position of the record in the file
    line: int | None  # 1-based line number for JSONL, None for .json
    row: dict[str, Any] | None
    error: ParseError | None
    identity: str | None = None  # what names the record (ids.record_identity); set with the row
    sha256: str | None = None  # of the record's canonical JSON text: its own content, not the file's


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """normalize(), and lone surrogates (from JSON "\\ud800" escapes) replaced by U+FFFD, as a decoder
    marks what it could not read, so the text can be written."""
    return _SURROGATE.sub("\ufffd", normalize(text))


def _preview(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _lookup(obj: dict[str, Any], key: str) -> Any:
    """obj[key], else follow the dotted path; None when any step is missing."""
    if key in obj:
        return obj[key]
    value: Any = obj
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _scalar(value: Any) -> str | None:
    """A string, a number as text, or the "name" of an object ({"@type": "Person", "name": ...})."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return str(value)
    if isinstance(value, dict):
        return _scalar(value.get("name"))
    return None


def _joined(value: Any, sep: str) -> str | None:
    if isinstance(value, list):
        parts = [s for s in map(_scalar, value) if s is not None and s.strip()]
        return sep.join(parts) if parts else None
    return _scalar(value)


def _one_line(value: Any) -> str | None:
    """A short field (title, byline, ...): whitespace runs collapsed to one space; a list joined by ", "."""
    raw = _joined(value, ", ")
    if raw is None:
        return None
    return " ".join(_clean(raw).split()) or None


def _paragraphs(value: Any) -> str | None:
    """The body: each non-empty stripped line is a paragraph, joined by a blank line."""
    raw = _joined(value, "\n")
    if raw is None:
        return None
    lines = (line.strip() for line in _clean(raw).splitlines())
    return "\n\n".join(line for line in lines if line) or None


def _published(value: Any) -> Published | None:
    """An ISO 8601 day or date-time, or epoch seconds/ms (a UTC instant); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return from_epoch(value)
    if isinstance(value, str):
        return from_text(_clean(value))
    return None


def _unread_date(value: Any) -> Published | None:
    """A non-empty string that is no date newsds reads ("21 July 2017"): kept as published_raw only."""
    if isinstance(value, str) and value.strip():
        return Published(None, None, _clean(value).strip())
    return None


def _canonical(value: Any) -> str:
    """JSON text that does not depend on key order or spacing (the record's content, for its identity)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _id_value(value: Any) -> str | None:
    """A record id: a string or number (one line), or an object/array id ({"$oid": ...}) as canonical JSON."""
    if isinstance(value, dict | list):
        try:
            return _clean(_canonical(value)) if value else None
        except (ValueError, RecursionError):
            return None
    return _one_line(value)


def _content_sha256(value: dict[str, Any], row: dict[str, Any]) -> str:
    """sha256 of the record's canonical JSON text: the same record gives the same hash wherever it sits."""
    try:
        content = _canonical(value)
    except (ValueError, RecursionError):  # nested past the encoder's depth: the mapped fields instead
        content = _canonical({k: str(v) for k, v in row.items()})
    return sha256_hex(content.encode("utf-8", "surrogatepass"))


def _identity(value: dict[str, Any], mapping: FieldMapping, row: dict[str, Any], sha256: str) -> str:
    """The record's id field, else its URL field, else the sha256 of its canonical JSON text."""
    key = _first(value, mapping.id, _id_value)
    if key is not None:
        return record_identity("id", key)
    if row["url"] is not None:
        return record_identity("url", row["url"])
    return record_identity("sha256", sha256)


def _first(obj: dict[str, Any], keys: tuple[str, ...], convert: Callable[[Any], _T | None]) -> _T | None:
    """The first candidate key whose value converts to something usable."""
    for key in keys:
        result = convert(_lookup(obj, key))
        if result is not None:
            return result
    return None


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    names[dict] = "an object"
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _to_record(value: Any, record: int, line: int | None, mapping: FieldMapping) -> JsonRecord:
    """Map one decoded JSON value to a row, or to the ParseError that says what is wrong with it."""
    where = f"line {line}" if line is not None else f"record {record}"
    if not isinstance(value, dict):
        error = ParseError(
            "not_an_object",
            f"{where} is {_json_type(value)}, not an object; each record must be a JSON object "
            'like {"title": "...", "text": "..."}',
        )
        return JsonRecord(record, line, None, error)
    body = next((v for key in mapping.text if (v := _lookup(value, key)) is not None), None)
    if isinstance(body, dict) or (isinstance(body, bool | int | float) and "text" not in mapping.coerce):
        error = ParseError(
            "wrong_type",
            f"{where}: its article text is {_json_type(body)} ({_preview(body)}), not a string or a list "
            'of strings; fix the record (or map the text field), or add "coerce": ["text"] to the mapping '
            "to read numbers as text",
        )
        return JsonRecord(record, line, None, error)
    text = _first(value, mapping.text, _paragraphs)
    if text is None:
        keys = ", ".join(list(value)[:12]) or "none"
        error = ParseError(
            "no_body",
            f"{where} has no article text; its keys: {keys}; tried keys: {', '.join(mapping.text)}; "
            "map your field with a mapping file",
        )
        return JsonRecord(record, line, None, error)
    published = (
        _first(value, mapping.published, _published)
        or _first(value, mapping.published, _unread_date)
        or NOT_GIVEN
    )
    row: dict[str, Any] = {
        "title": _first(value, mapping.title, _one_line),
        "subtitle": _first(value, mapping.subtitle, _one_line),
        "byline": _first(value, mapping.byline, _one_line),
        "published": published.day,
        "published_at": published.instant,
        "published_raw": published.raw,
        "url": _first(value, mapping.url, _one_line),
        "language": _first(value, mapping.language, _one_line),
        "sitename": _first(value, mapping.sitename, _one_line),
        "publisher": _first(value, mapping.publisher, _one_line),
        "text": text,
        "boilerplate": [],
        "ai_generated_notice": False,
    }
    sha256 = _content_sha256(value, row)
    return JsonRecord(record, line, row, None, _identity(value, mapping, row, sha256), sha256)


def _decode(text: str) -> Any:
    """json.loads; ValueError also covers over-long integers, RecursionError absurd nesting."""
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc


def _reason(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at column {exc.colno}"
    return str(exc)


def parse_json_records(text: str, fmt: str, mapping: FieldMapping = DEFAULT_MAPPING) -> list[JsonRecord]:
    """fmt is "json" (one object, or an array of objects) or "jsonl" (one object per line; blank lines
    skipped, not records). A file with no records gives a single "empty" error, so nothing vanishes."""
    if fmt not in FORMATS:
        raise NewsdsError(f"unknown JSON format {fmt!r}; use one of: {', '.join(FORMATS)}")
    text = text.lstrip("\ufeff")
    records: list[JsonRecord] = []
    if fmt == "jsonl":
        for number, source in enumerate(text.split("\n"), start=1):
            if not source.strip():
                continue
            try:
                value = _decode(source)
            except ValueError as exc:
                message = f"line {number}: {_reason(exc)}; fix or remove that line"
                records.append(JsonRecord(len(records), number, None, ParseError("malformed_json", message)))
                continue
            records.append(_to_record(value, len(records), number, mapping))
    elif text.strip():
        try:
            value = _decode(text)
        except ValueError as exc:
            detail = _reason(exc)
            if isinstance(exc, json.JSONDecodeError):
                detail = f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
            hint = " (one object per line? name the file .jsonl)" if "Extra data" in detail else ""
            message = f"the file is not valid JSON: {detail}{hint}; fix the file"
            return [JsonRecord(0, None, None, ParseError("malformed_json", message))]
        values = value if isinstance(value, list) else [value]
        records = [_to_record(v, i, None, mapping) for i, v in enumerate(values)]
    if not records:
        empty = ParseError("empty", "the file holds no records; remove it or add JSON objects")
        return [JsonRecord(0, None, None, empty)]
    return records
