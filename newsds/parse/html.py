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

The publication time and the publisher are read here from the page's own tags, before trafilatura, as
the source wrote them: trafilatura keeps only the day. The time comes from the first of: a JSON-LD
article's `datePublished` (`<script type="application/ld+json">`, objects, lists or `@graph`; any
type ending in Article or BlogPosting), a `<meta>` date (article:published_time, og:published_time,
datePublished, pubdate, date, dc.date; property=, name= or itemprop=), a `<time datetime>` inside
`<article>`, and last trafilatura's day (with no raw text, as it is not the page's own). The publisher
is the JSON-LD article's publisher name, else og:site_name, else trafilatura's site name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.settings import Document

from newsds.errors import ParseError
from newsds.parse.publisher import Published, from_text
from newsds.parse.txt import clean_body

# 1.1.0: published_at, published_raw and publisher from the page's JSON-LD, <meta> and <time> tags
PARSER_VERSION = f"html/1.1.0+trafilatura-{trafilatura.__version__}"

# A fixed upper bound: htmldate's default (today) would make a page's date depend on the build day.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "max_date": "2099-12-31"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_TOKEN = re.compile(r"\w+")
_TITLE_PARTS = re.compile(r"\s[|–—-]\s|:\s")  # "Opinion | Headline", "Headline - Site"
_MAX_TITLE_WORDS = 30
_ARTICLE_TYPE = re.compile(r"(?:Article|BlogPosting)$")  # schema.org NewsArticle, ReportageNewsArticle, ...
_META_DATES = ("article:published_time", "og:published_time", "datepublished", "pubdate", "date", "dc.date")
_META_KEYS = ("property", "name", "itemprop")


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


def _clean(value: Any) -> str | None:
    """A JSON-LD or attribute string on one line (lone surrogates replaced); None when blank or not text."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str):
        return None
    return " ".join(value.encode("utf-8", "replace").decode("utf-8").split()) or None


def _json_ld(root: lxml.etree._ElementTree) -> Iterator[dict[str, Any]]:
    """Every object of the page's JSON-LD scripts: top-level objects, array items and @graph members."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                yield from (g for g in graph if isinstance(g, dict)) if isinstance(graph, list) else ()


def _is_article(obj: dict[str, Any]) -> bool:
    kinds = obj.get("@type")
    return any(
        isinstance(k, str) and _ARTICLE_TYPE.search(k)
        for k in (kinds if isinstance(kinds, list) else [kinds])
    )


def _ld_publisher(article: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> str | None:
    """An article's publisher name; a reference ({"@id": ...}) is looked up among the page's objects."""
    publisher = article.get("publisher")
    if isinstance(publisher, list):
        publisher = next((p for p in publisher if p), None)
    if isinstance(publisher, dict) and "name" not in publisher and isinstance(publisher.get("@id"), str):
        publisher = by_id.get(publisher["@id"], publisher)
    return _clean(publisher)


def page_metadata(tree: lxml.html.HtmlElement) -> tuple[Published | None, str | None]:
    """The publication time and the publisher that the page's own tags give (see the module docstring)."""
    root = tree.getroottree()
    objects = list(_json_ld(root))
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    articles = [o for o in objects if _is_article(o)]
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        content = _clean(meta.get("content"))
        for attr in _META_KEYS:
            key = (meta.get(attr) or "").strip().lower()
            if key and content:
                metas.setdefault(key, content)
    candidates = [
        *(_clean(a.get("datePublished")) for a in articles),
        *(metas.get(key) for key in _META_DATES),
        *(_clean(t.get("datetime")) for t in root.xpath("//article//time[@datetime]")),
    ]
    published = next((p for p in map(from_text, candidates) if p is not None), None)
    publishers = [*(_ld_publisher(a, by_id) for a in articles), metas.get("og:site_name")]
    names = (p.lstrip("@") for p in publishers if p)  # "@politifact": a social-media handle
    return published, next((name for name in names if name), None)


def parse_html(text: str) -> dict[str, Any]:
    """One decoded HTML page -> document fields (title, byline, published, url, text, ...)."""
    text = _XML_DECLARATION.sub("", text, count=1)  # lxml refuses str input that declares an encoding
    try:
        tree = lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError(
            "no_body", f"the HTML could not be parsed ({exc}); check that the file is a web page"
        ) from exc
    published, publisher = page_metadata(tree)  # first: trafilatura may prune the tree it is given
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
    if published is None:  # trafilatura's date: a day it found or inferred, not the page's own text
        published = Published(_date(doc.date), None, None)
    lines = [line.strip() for line in (doc.text or "").split("\n") if line.strip()]
    lines = strip_header(lines, doc.title, doc.description)
    cleaned = clean_body("\n".join(lines))
    return {
        "title": doc.title or None,
        "subtitle": doc.description or None,
        "byline": doc.author or None,
        "published": published.day,
        "published_at": published.instant,
        "published_raw": published.raw,
        "url": doc.url or None,
        "sitename": doc.sitename or None,
        "publisher": publisher or _clean(doc.sitename),
        "dateline": cleaned.dateline,
        "text": cleaned.body,
        "boilerplate": [{"kind": b.kind, "text": b.text} for b in cleaned.boilerplate],
        "ai_generated_notice": cleaned.ai_generated_notice,
        "language": _language(tree),
    }
