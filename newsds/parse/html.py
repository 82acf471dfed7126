"""Saved web pages -> article text and metadata, with trafilatura doing the extraction.

trafilatura finds the main text and the metadata (title, author, date, canonical URL, site name,
description); this module only decides what it is asked and cleans what it leaves behind:
- fast mode without comments: as accurate as its fallback chain on news pages, and faster;
- date search without the "extensive" text scan, which costs more than the extraction itself;
- fields that change from run to run (the file date, fingerprints) are never read;
- a headline that repeats the title, and a dek after it that repeats the description, are
  dropped (both have their own columns);
- the plain-text furniture rules (share bars, newsletter prompts, reprint notices, ...) run over
  the extracted paragraphs, so HTML and plain text are cleaned the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.settings import Document

from newsds.errors import ParseError
from newsds.parse.txt import clean_body

PARSER_VERSION = f"html/1.0.0+trafilatura-{trafilatura.__version__}"

# A fixed upper bound: htmldate's default (today) would make a page's date depend on the build day.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "max_date": "2099-12-31"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_TOKEN = re.compile(r"\w+")
_TITLE_PARTS = re.compile(r"\s[|–—-]\s|:\s")  # "Opinion | Headline", "Headline - Site"
_MAX_TITLE_WORDS = 30


def _tokens(text: str | None) -> set[str]:
    return set(_TOKEN.findall((text or "").lower()))


def _similar(a: str | None, b: str | None, threshold: float) -> bool:
    """Word-set Jaccard similarity: robust to a site name, a section label or punctuation."""
    ta, tb = _tokens(a), _tokens(b)
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= threshold


def strip_header(lines: list[str], title: str | None, description: str | None) -> list[str]:
    """Drop a leading headline that repeats the title, and a dek after it that repeats the description.

    Both have their own columns. The description alone is not dropped: many sites reuse the
    article's first paragraph as their description, and that paragraph is body text.
    """
    if not lines or len(lines[0].split()) > _MAX_TITLE_WORDS:
        return lines
    parts = [p for p in _TITLE_PARTS.split(title or "") if len(_tokens(p)) >= 3]
    if not (_similar(lines[0], title, 0.8) or any(_similar(lines[0], p, 1.0) for p in parts)):
        return lines
    rest = lines[1:]
    if rest and _similar(rest[0], description, 0.9):
        rest = rest[1:]
    return rest


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _language(tree: lxml.html.HtmlElement) -> str | None:
    """The page's declared language (`<html lang="en-GB">` -> "en"), if any."""
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip().lower()
    code = lang.split("-")[0].split("_")[0]
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def parse_html(text: str) -> dict[str, Any]:
    """One decoded HTML page -> document fields (title, byline, published, url, text, ...)."""
    text = _XML_DECLARATION.sub("", text, count=1)  # lxml refuses str input that declares an encoding
    try:
        tree = lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError(
            "no_body", f"the HTML could not be parsed ({exc}); check that the file is a web page"
        ) from exc
    doc = trafilatura.bare_extraction(
        tree,
        fast=True,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        date_extraction_params=_DATE_PARAMS,
    )
    if not isinstance(doc, Document) or not (doc.text or "").strip():
        raise ParseError(
            "no_body",
            "no article text was found in the page (it may be an index page, a login wall or empty); "
            "save the article page itself",
        )
    lines = [line.strip() for line in (doc.text or "").split("\n") if line.strip()]
    lines = strip_header(lines, doc.title, doc.description)
    cleaned = clean_body("\n".join(lines))
    return {
        "title": doc.title or None,
        "subtitle": doc.description or None,
        "byline": doc.author or None,
        "published": _date(doc.date),
        "url": doc.url or None,
        "sitename": doc.sitename or None,
        "dateline": cleaned.dateline,
        "text": cleaned.body,
        "boilerplate": [{"kind": b.kind, "text": b.text} for b in cleaned.boilerplate],
        "ai_generated_notice": cleaned.ai_generated_notice,
        "language": _language(tree),
    }
