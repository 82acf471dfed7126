"""Raw files -> documents: one module per input format, dispatched by file extension.

Every failure is a `ParseError` with a stable reason code, so that the build turns it into a
rejected row and goes on: one bad file never stops a build.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from newsds.errors import ParseError
from newsds.ids import document_id, sha256_hex
from newsds.parse.txt import PARSER_VERSION as TXT_PARSER_VERSION
from newsds.parse.txt import parse_txt
from newsds.schemas import frame, rejected_row
from newsds.textnorm import decode, normalize

# Extension -> format name. Longest suffixes are matched first.
FORMATS: dict[str, str] = {".txt": "txt", ".text": "txt"}
SUPPORTED_FORMATS = tuple(sorted(set(FORMATS.values())))
PARSER_VERSIONS = {"txt": TXT_PARSER_VERSION}

# Common English function words: a cheap, dependency-free language check for news prose.
_ENGLISH = frozenset(
    "the of and to in a is that for on with as was by at from it he said his be are has have an were".split()
)
_WORD = re.compile(r"[a-z]+")


def detect_format(path: str) -> str | None:
    """The input format of a raw file from its name, or None when newsds cannot read it."""
    name = path.lower()
    for suffix in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(suffix):
            return FORMATS[suffix]
    return None


def guess_language(text: str) -> str | None:
    """'en' when English function words are frequent, else None (unknown) rather than a guess."""
    words = _WORD.findall(text[:20000].lower())
    if len(words) < 20:
        return None
    share = sum(w in _ENGLISH for w in words) / len(words)
    return "en" if share >= 0.15 else None


def _parse_txt_document(text: str) -> dict[str, Any]:
    doc = parse_txt(text)
    return {
        "title": doc.title,
        "subtitle": doc.subtitle,
        "byline": doc.byline,
        "published": doc.published,
        "url": None,
        "text": doc.body,
        "boilerplate": [{"kind": b.kind, "text": b.text} for b in doc.boilerplate],
        "ai_generated_notice": doc.ai_generated_notice,
        "parser": f"newsds.parse.{PARSER_VERSIONS['txt']}",
    }


_PARSERS: dict[str, Callable[[str], dict[str, Any]]] = {"txt": _parse_txt_document}


def parse_bytes(data: bytes, source_path: str, fmt: str | None = None) -> dict[str, Any]:
    """One raw file's bytes -> its document row (a dict with every documents column).

    Raises ParseError with a reason code (`unsupported_format`, `empty`, `binary`, `undecodable`,
    `no_body`) and a message that says what to do.
    """
    fmt = fmt or detect_format(source_path)
    if fmt is None or fmt not in _PARSERS:
        raise ParseError(
            "unsupported_format",
            f"cannot read {Path(source_path).name!r}: unknown file type; "
            f"supported: {', '.join(sorted(FORMATS))}. Rename the file or convert it to one of these",
        )
    raw_text, encoding = decode(data)
    text = normalize(raw_text)
    if not text.strip():
        raise ParseError("empty", "the file holds only whitespace; remove it or add the article text")
    row = _PARSERS[fmt](text)
    if not row["text"]:
        raise ParseError(
            "no_body",
            "no article body was left after removing the title, metadata and boilerplate; "
            "check that the file holds the article text",
        )
    sha = sha256_hex(data)
    return {
        "doc_id": document_id(sha, 0),
        "source_path": source_path,
        "source_sha256": sha,
        "record": 0,
        "format": fmt,
        "encoding": encoding,
        **row,
        "language": guess_language(row["text"]),
        "licence": None,
    }


def parse_file(path: str | Path) -> dict[str, Any]:
    """One raw file on disk -> its document row (dict). Raises newsds.ParseError on bad input."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError("unreadable", f"cannot read {path}: {exc.strerror or exc}") from exc
    return parse_bytes(data, path.name)


def documents_table(raw: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Parse every readable raw file: (documents, rejected). Exact duplicates are kept once.

    A duplicate is a document whose clean text equals an earlier one's (in source-path order);
    it becomes a rejected row with reason `duplicate` pointing at the doc_id that was kept.
    """
    documents: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    kept: dict[str, str] = {}  # clean text -> doc_id
    for row in raw.filter(pl.col("content").is_not_null()).iter_rows(named=True):
        path, sha = row["source_path"], row["source_sha256"]
        try:
            doc = parse_bytes(row["content"], path)
        except ParseError as exc:
            rejected.append(rejected_row(path, sha, "parse", exc.reason, exc.message))
            continue
        first = kept.get(doc["text"])
        if first is not None:
            message = f"same text as document {first}, which was kept; remove one of the two files"
            rejected.append(rejected_row(path, sha, "dedupe", "duplicate", message, duplicate_of=first))
            continue
        kept[doc["text"]] = doc["doc_id"]
        doc["url"] = doc["url"] or row["url"]
        doc["licence"] = row["licence"]
        documents.append(doc)
    return frame("documents", documents), frame("rejected", rejected)
