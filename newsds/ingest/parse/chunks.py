"""An article split into sibling chunks: the paragraphs the extractor dropped inside the article's container.

Why: many sites cut one article body into several sibling blocks of the same tag and class (between
them: ad slots, newsletter boxes, "most popular" rails). trafilatura picks the best single block and
loses the rest: half of a long article, with no error. When the block holding the extracted text's
opening paragraphs has same-class siblings that read as continuations (no headings, no nested
`<article>`: a teaser list or a feed of stories has those), the prose paragraphs of all of them, in
page order, are the article; they replace the extraction only when they hold clearly more text. The
search climbs at most two classed levels above the paragraph (a chunk, then the chunk's own wrapper), and
a chunk whose text is mostly links (a rail of teasers) means the siblings are not one article.

Prose paragraphs are `<p>` with 40+ characters, at most half of it link text, outside page chrome
(`nav`, `aside`, `footer`, `header`, `form`, figure captions, and blocks whose class or id names a
comment, share, related, newsletter, ad or menu box). Minor headings (h4) and quotes inside a chunk are
kept, each block once (a paragraph inside a quote is not repeated).
"""

from __future__ import annotations

import re

import lxml.html

_MIN_CHARS = 40  # a prose paragraph, not a label or a button
_MAX_LINK_SHARE = 0.5  # a paragraph that is mostly links is a list of links
_GAIN = 1.3  # the chunks must hold clearly more text than the extraction
_ANCHORS = 3  # the extraction's opening paragraphs used to find its block
_CHROME_TAGS = frozenset({"nav", "aside", "footer", "header", "form", "figcaption", "script", "style"})
_CHROME = re.compile(
    r"(?<![a-z])(?:comments?|footer|sidebar|related|promo|newsletter|share|social|nav|navigation|menu|cookie"
    r"|subscribe|recirc|advert|ad|ads)(?![a-z])",
    re.I,
)
_TEXT_BLOCKS = ("p", "h4", "blockquote")
_CLASSED_LEVELS = 2  # how far above the paragraph the chunks may start
_MAX_CHUNK_LINKS = 0.5  # a chunk mostly of link text is a list of links to other pages


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _in_chrome(element: lxml.html.HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            return False
        if ancestor.tag in _CHROME_TAGS:
            return True
        if _CHROME.search(f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"):
            return True
    return False


def _prose(element: lxml.html.HtmlElement) -> str | None:
    """The paragraph's text when it is prose (see the module docstring), else None."""
    text = _text(element)
    if len(text) < _MIN_CHARS:
        return None
    links = sum(len(_text(a)) for a in element.iter("a"))
    if links > _MAX_LINK_SHARE * len(text) or _in_chrome(element):
        return None
    return text


def _chunks(anchor: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement] | None:
    """The same-class siblings of a classed ancestor just above the paragraph, when they are continuations."""
    classed = 0
    for ancestor in anchor.iterancestors():
        if ancestor.tag in ("body", "html") or classed == _CLASSED_LEVELS:
            return None
        parent, cls = ancestor.getparent(), ancestor.get("class")
        if parent is None or not cls:
            continue
        classed += 1
        chunks = [s for s in parent if s.tag == ancestor.tag and s.get("class") == cls]
        if len(chunks) < 2:
            continue
        if any(chunk.xpath(".//h1|.//h2|.//h3|.//article") for chunk in chunks):
            return None  # a list of stories or teasers, not one article in pieces
        if any(_link_share(chunk) > _MAX_CHUNK_LINKS for chunk in chunks):
            return None
        return chunks
    return None


def _nested(element: lxml.html.HtmlElement, chunk: lxml.html.HtmlElement) -> bool:
    """Whether a text block sits inside another text block of the chunk."""
    for ancestor in element.iterancestors():
        if ancestor is chunk:
            return False
        if ancestor.tag in _TEXT_BLOCKS:
            return True
    return False


def _link_share(element: lxml.html.HtmlElement) -> float:
    text = len(_text(element))
    return sum(len(_text(a)) for a in element.iter("a")) / text if text else 1.0


def rejoin_chunks(tree: lxml.html.HtmlElement, extracted: str) -> str | None:
    """The article's text from all its sibling chunks, one block per line, when the extraction (`extracted`,
    paragraphs separated by newlines) kept only some of them; None when there is nothing to add."""
    opening = [line for line in extracted.split("\n") if len(line.strip()) >= _MIN_CHARS][:_ANCHORS]
    if not opening:
        return None
    starts = {" ".join(line.split())[:60] for line in opening}
    anchor = next(
        (p for p in tree.iter("p") if _text(p)[:60] in starts and _prose(p) is not None),
        None,
    )
    chunks = None if anchor is None else _chunks(anchor)
    if chunks is None:
        return None
    blocks: list[str] = []
    for chunk in chunks:
        for element in chunk.iter(*_TEXT_BLOCKS):
            if _nested(element, chunk):
                continue  # inside a quote or paragraph already taken whole
            text = _prose(element) if element.tag == "p" else _text(element)
            if text:
                blocks.append(text)
    joined = "\n".join(blocks)
    return joined if len(joined) > _GAIN * len(extracted) else None
