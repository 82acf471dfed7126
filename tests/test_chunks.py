"""An article body cut into sibling chunks is read whole; a list of stories is never glued together."""

from __future__ import annotations

import lxml.html
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from newsds.ingest.parse.chunks import rejoin_chunks

WORDS = "council water bridge minister residents officials storm budget vote river road school".split()
PARAGRAPH = st.lists(st.sampled_from(WORDS), min_size=10, max_size=25).map(
    lambda words: " ".join(words).capitalize() + "."
)


def page(chunks: list[list[str]], *, heading: bool = False) -> str:
    parts = []
    for i, paragraphs in enumerate(chunks):
        head = f"<h2>Story {i}</h2>" if heading else ""
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        parts.append(f'<div class="body chunk">{head}{body}</div><div class="ad-slot"><p>Advert</p></div>')
    return f"<html><body><article><div class='chunks'>{''.join(parts)}</div></article></body></html>"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(PARAGRAPH, min_size=1, max_size=4, unique=True), min_size=2, max_size=5))
def test_the_chunks_after_the_first_are_added_in_order(chunks: list[list[str]]) -> None:
    everything = [p for chunk in chunks for p in chunk]
    assume(len(set(everything)) == len(everything))
    assume(len("\n".join(chunks[0])) * 1.3 < len("\n".join(everything)))  # the gain rule
    tree = lxml.html.fromstring(page(chunks))
    assert rejoin_chunks(tree, "\n".join(chunks[0])) == "\n".join(everything)


def test_a_list_of_stories_is_not_one_article() -> None:
    chunks = [[f"The {w} story is about the {w} and the council meeting on Monday night."] for w in WORDS[:4]]
    tree = lxml.html.fromstring(page(chunks, heading=True))
    assert rejoin_chunks(tree, chunks[0][0]) is None


def test_a_whole_extraction_is_left_alone() -> None:
    chunks = [["The council voted on Monday to close the old bridge over the river for repairs."]]
    tree = lxml.html.fromstring(page(chunks))
    assert rejoin_chunks(tree, chunks[0][0]) is None  # no sibling chunks
    assert rejoin_chunks(tree, "") is None


def test_link_lists_and_chrome_are_not_prose() -> None:
    link = "<a href='/x'>" + "A long link text that names another story in full " * 2 + "</a>"
    html = (
        "<html><body><div class='c'>"
        "<p>The council voted on Monday to close the old bridge for repairs.</p></div>"
        f"<div class='c'><p>{link}</p><nav><p>The council voted again on Tuesday, and the vote was close.</p>"
        "</nav><p>Engineers said the bridge would reopen in May after the repairs were finished.</p></div>"
        "</body></html>"
    )
    tree = lxml.html.fromstring(html)
    first = "The council voted on Monday to close the old bridge for repairs."
    assert rejoin_chunks(tree, first) == (
        first + "\nEngineers said the bridge would reopen in May after the repairs were finished."
    )


def test_a_quote_is_taken_once_and_a_rail_of_links_is_no_chunk() -> None:
    first = "The council voted on Monday to close the old bridge over the river for repairs."
    quote = "We had no other choice, the engineers told us the bridge was unsafe, said the mayor."
    html = (
        f"<html><body><div class='c'><p>{first}</p></div>"
        f"<div class='c'><blockquote><p>{quote}</p></blockquote></div></body></html>"
    )
    assert rejoin_chunks(lxml.html.fromstring(html), first) == f"{first}\n{quote}"
    rail = "".join(
        f"<p><a href='/s{i}'>Another story about the council and the bridge, number {i}</a></p>"
        for i in range(3)
    )
    html = f"<html><body><div class='col'><p>{first}</p></div><div class='col'>{rail}</div></body></html>"
    assert rejoin_chunks(lxml.html.fromstring(html), first) is None


def test_chunks_are_looked_for_just_above_the_paragraph() -> None:
    first = "The council voted on Monday to close the old bridge over the river for repairs."
    more = "Engineers said the bridge would reopen in May after the repairs were finished, officials said."
    deep = f"<div class='a'><div class='b'><div class='c'><p>{first}</p></div></div></div>"
    html = f"<html><body><div class='page'>{deep}</div><div class='page'><p>{more}</p></div></body></html>"
    assert rejoin_chunks(lxml.html.fromstring(html), first) is None  # three classed levels up: layout


def test_the_pages_own_article_body_replaces_a_much_shorter_extraction() -> None:
    import json

    from newsds.ingest.parse.html import parse_html

    paragraphs = [
        "The council voted on Monday to close the old bridge over the river for repairs.",
        "Engineers said the bridge would reopen in May after the repairs were finished.",
        "Drivers will have to use the ring road, which adds twenty minutes to the trip.",
        "Shop owners near the bridge said they feared a quiet spring without passing trade.",
    ]
    body = "".join(f"<p>{p.replace('twenty', 'twenty &amp; more')}</p>" for p in paragraphs)
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Bridge closes",
        "articleBody": body,
    }
    page = (
        "<html><head><title>Bridge closes</title>"
        f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
        "</head><body><article><p>Comments are moderated and may take a while to appear on this page.</p>"
        "</article></body></html>"
    )
    text = parse_html(page)["text"]
    assert paragraphs[0] in text and paragraphs[3] in text and "twenty & more minutes" in text
    assert "<p>" not in text and "moderated" not in text
