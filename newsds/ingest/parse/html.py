"""Saved web pages -> article text and metadata: trafilatura finds the main text, the page's own tags
give the metadata (`newsds.ingest.parse.page`), both on one lxml tree.

What trafilatura is asked, and what is done with its answer:
- fast mode without comments: as accurate as its fallback chain on news pages, and faster;
- the title, authors, date, URL, site name, publisher and description come from the page's JSON-LD,
  OpenGraph/`<meta>` and `<time>` tags, read on the same tree (`page.read_page`); trafilatura is asked
  for its metadata (`with_metadata=True`, a quarter of its time) only when those tags leave the title,
  the date or the authors empty, and only that field is taken from it: its visible-byline search for
  the authors, its headings for the title, htmldate's day (without the "extensive" text scan, which
  costs more than the extraction itself; with a fixed upper bound) for the date, with no raw text, as
  it is not the page's own;
- fields that change from run to run (the file date, fingerprints) are never read;
- a headline that repeats the title (or one of the page's headlines), and a dek after it that repeats
  the description, are dropped (both have their own columns);
- when the extraction kept only part of the article, the rest is taken back: the sibling chunks of a
  body cut into pieces (`newsds.ingest.parse.chunks`), or the page's JSON-LD `articleBody` when it is at least
  twice as long (a comment or moderation block chosen over the article);
- the plain-text furniture rules (share bars, newsletter prompts, reprint notices, ...) run over
  the extracted paragraphs, so HTML and plain text are cleaned the same way;
- a page that is not an article (a homepage, section front, tag list, video page or redirect stub;
  `page.not_article`) is refused with the reason `not_article` and a message naming the signal.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from typing import Any

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.settings import Document

from newsds.errors import ParseError
from newsds.ingest.parse import page
from newsds.ingest.parse.chunks import rejoin_chunks
from newsds.ingest.parse.publisher import Published
from newsds.ingest.parse.txt import clean_body
from newsds.textnorm import normalize

# 1.1.0: published_at, published_raw and publisher from the page's JSON-LD, <meta> and <time> tags;
# 1.2.0: all metadata from the page's tags (titles without the site name, an authors list), trafilatura
# without metadata, and pages that are not articles refused (not_article)
PARSER_VERSION = f"html/1.3.0+trafilatura-{trafilatura.__version__}"

# A fixed upper bound: htmldate's default (today) would make a page's date depend on the build day.
_DATE_PARAMS: dict[str, Any] = {"extensive_search": False, "original_date": True, "max_date": "2099-12-31"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_TOKEN = re.compile(r"\w+")
_TITLE_PARTS = re.compile(r"\s[|–—-]\s|:\s")  # "Opinion | Headline", "Headline - Site"
_MAX_TITLE_WORDS = 30
_AUTHOR_SEPARATOR = "; "  # how trafilatura joins the names it finds
BYLINE_SEPARATOR = ", "  # how the authors list is joined into the byline column


def _tokens(text: str | None) -> set[str]:
    return set(_TOKEN.findall((text or "").lower()))


def _similar(a: str | None, b: str | None, threshold: float) -> bool:
    """Word-set Jaccard similarity: robust to a site name, a section label or punctuation."""
    ta, tb = _tokens(a), _tokens(b)
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= threshold


def strip_header(lines: list[str], title: str | list[str] | None, description: str | None) -> list[str]:
    """Drop a leading headline that repeats the title (or any of the titles given), and a dek after it
    that repeats the description.

    Both have their own columns. The description alone is not dropped: many sites reuse the
    article's first paragraph as their description, and that paragraph is body text.
    """
    if not lines or len(lines[0].split()) > _MAX_TITLE_WORDS:
        return lines
    titles = [t for t in ([title] if isinstance(title, str) or title is None else title) if t]
    if not any(_repeats(lines[0], t) for t in titles):
        return lines
    rest = lines[1:]
    if rest and _similar(rest[0], description, 0.9):
        rest = rest[1:]
    return rest


def _repeats(line: str, title: str) -> bool:
    parts = [p for p in _TITLE_PARTS.split(title) if len(_tokens(p)) >= 3]
    return _similar(line, title, 0.8) or any(_similar(line, p, 1.0) for p in parts)


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _fallback_authors(doc: Document, site: page.SiteNames) -> tuple[str, ...]:
    """trafilatura's authors (its tags, then its search of the visible byline), for a page whose tags
    name none."""
    names = [n.strip() for n in (doc.author or "").split(_AUTHOR_SEPARATOR) if n.strip()]
    return page.tidy_authors(names, site)


_ARTICLE_BODY_GAIN = 2.0  # the page's own articleBody replaces an extraction less than half its length


_BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "br")


def _plain(body: str) -> str:
    """A JSON-LD `articleBody` as text: some sites put HTML in it (`<p>…</p>`, `&amp;`)."""
    if "<" in body:
        try:
            fragment = lxml.html.fragment_fromstring(body, create_parent="div")
        except (lxml.etree.ParserError, ValueError):
            return html_lib.unescape(body)
        for block in fragment.iter(*_BLOCK_TAGS):
            block.tail = "\n" + (block.tail or "")
        return str(fragment.text_content())
    return html_lib.unescape(body)


def _whole_article(tree: lxml.html.HtmlElement, lines: list[str]) -> list[str]:
    """The extracted lines, or more of the article when the extraction kept only part of it: the sibling
    chunks of a body cut into pieces (`newsds.ingest.parse.chunks`), or the JSON-LD `articleBody` when
    the page declares one at least twice as long (a comment or moderation block chosen over the article)."""
    extracted = "\n".join(lines)
    rejoined = rejoin_chunks(tree, extracted)
    if rejoined is not None:
        extracted = rejoined
    declared = max(
        (
            o["articleBody"]
            for o in page.json_ld(tree.getroottree())
            if page.is_article(o) and isinstance(o.get("articleBody"), str)
        ),
        key=len,
        default="",
    )
    if len(declared) > _ARTICLE_BODY_GAIN * len(extracted):
        extracted = normalize(_plain(declared))
    return [line.strip() for line in extracted.split("\n") if line.strip()]


def parse_html(text: str) -> dict[str, Any]:
    """One decoded HTML page -> document fields (title, byline, authors, published, url, text, ...).

    Raises ParseError "no_body" (no text), or "not_article" (a homepage, section front, tag list, video
    page or redirect stub: the message names the signal)."""
    text = _XML_DECLARATION.sub("", text, count=1)  # lxml refuses str input that declares an encoding
    try:
        tree = lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError(
            "no_body", f"the HTML could not be parsed ({exc}); check that the file is a web page"
        ) from exc
    meta = page.read_page(tree)
    # trafilatura's metadata only when the page's tags leave a field empty: it costs a quarter of the time
    complete = bool(meta.title and meta.published and meta.authors)
    doc = trafilatura.bare_extraction(  # works on a copy: `tree` is left as it was
        tree,
        fast=True,
        include_comments=False,
        include_tables=True,
        with_metadata=not complete,
        date_extraction_params=_DATE_PARAMS,
    )
    if not isinstance(doc, Document) or not (doc.text or "").strip():
        reason = page.not_article(meta, tree, "")
        if reason:
            raise ParseError("not_article", reason)
        raise ParseError(
            "no_body",
            "no article text was found in the page (it may be an index page, a login wall or empty); "
            "save the article page itself",
        )
    lines = [line.strip() for line in (doc.text or "").split("\n") if line.strip()]
    lines = _whole_article(tree, lines)
    lines = strip_header(lines, [t for t in (meta.title, *meta.headlines) if t], meta.description)
    cleaned = clean_body("\n".join(lines))
    reason = page.not_article(meta, tree, cleaned.body)
    if reason:
        raise ParseError("not_article", reason)
    authors = meta.authors or _fallback_authors(doc, meta.site)
    # trafilatura's day: one it found or inferred (URL, visible dates), not the page's own text
    published = meta.published or Published(_date(doc.date), None, None)
    title = meta.title or page.one_line(doc.title)
    return {
        "title": title,
        "subtitle": meta.description,
        "byline": BYLINE_SEPARATOR.join(authors) or None,
        "authors": list(authors),
        "published": published.day,
        "published_at": published.instant,
        "published_raw": published.raw,
        "url": meta.url,
        "sitename": meta.sitename,
        "publisher": meta.publisher or meta.sitename,
        "dateline": cleaned.dateline,
        "text": cleaned.body,
        "boilerplate": [{"kind": b.kind, "text": b.text} for b in cleaned.boilerplate],
        "ai_generated_notice": cleaned.ai_generated_notice,
        "language": meta.language,
    }
