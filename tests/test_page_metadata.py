"""Metadata from a page's own tags (newsds.ingest.parse.page) and pages that are not articles (not_article),
on small hand-written pages; the gold articles (AEB dev) must all stay articles."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import lxml.html
import polars as pl
import pytest

from newsds.errors import ParseError
from newsds.evaluate.html import load_pages
from newsds.ingest.parse import documents_table, parse_records
from newsds.ingest.parse.html import parse_html
from newsds.ingest.parse.page import PageMetadata, clean_title, is_site, read_page, site_names, split_authors
from newsds.schemas import REJECT_REASONS, frame
from newsds.validate import validate_table

BODY = "".join(
    f"<p>{p}</p>"
    for p in (
        "The city council voted on Tuesday to expand the bus network to three new districts, a plan that "
        "officials said would cut average commuting times by a quarter within two years.",
        "Residents who spoke at the meeting were divided. Some welcomed the new routes, while others worried "
        "that the cost of the project would fall on local businesses through higher taxes.",
        "The mayor said construction of the first stops would begin in the spring, and that the council "
        "would publish a full budget for the expansion before the end of the month.",
    )
)
HEADLINE = "Council votes to expand the bus network"


def ld(obj: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def meta(key: str, content: str, attr: str = "property") -> str:
    return f'<meta {attr}="{key}" content="{content}">'


def page(head: str = "", title: str | None = HEADLINE, body: str = "", h1: str | None = HEADLINE) -> str:
    title_tag = "" if title is None else f"<title>{title}</title>"
    heading = "" if h1 is None else f"<h1>{h1}</h1>"
    return (
        f"<html lang='en'><head>{title_tag}{head}</head><body>"
        f"<article>{heading}{body or BODY}</article></body></html>"
    )


def raw_row(path: str, data: bytes) -> dict[str, Any]:
    return {"source_path": path, "source_sha256": None, "size": len(data), "content": data, "url": None,
            "licence": None, "records": None}  # fmt: skip


def read(html: str) -> PageMetadata:
    return read_page(lxml.html.fromstring(html))


# --- titles ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "head"),
    [
        (f"{HEADLINE} | Example Daily", meta("og:site_name", "Example Daily")),  # suffix: og:site_name
        (f"Example Daily - {HEADLINE}", meta("og:site_name", "Example Daily")),  # prefix
        (f"{HEADLINE} — Example Daily Politics", meta("og:site_name", "Example Daily")),  # site and section
        (
            f"{HEADLINE} :: Example Daily",
            ld({"@type": "NewsArticle", "publisher": {"name": "Example Daily"}}),
        ),
        (f"{HEADLINE} -- Example.net", meta("og:url", "https://www.example.net/2024/bus")),  # the domain
        (f"{HEADLINE} | EXAMPLE", meta("og:url", "https://example.co.uk/bus")),  # the domain's name
        (f"{HEADLINE} · Example News", meta("twitter:site", "@examplenews", "name")),  # the handle
    ],
)
def test_the_site_name_is_dropped_from_the_title(title: str, head: str) -> None:
    assert read(page(head, title=title, h1=None)).title == HEADLINE


def test_a_headline_the_title_starts_with_wins() -> None:
    """ "Headline » Section » Site": the page's own headline (og:title, twitter:title, JSON-LD, <h1>)."""
    title = f"{HEADLINE} » Local » Transport » The Example Courier"
    assert read(page(meta("twitter:title", HEADLINE, "name"), title=title, h1=None)).title == HEADLINE
    assert read(page(title=title)).title == HEADLINE  # the <h1>
    # og:title that itself carries the site's name: cleaned first, then found at the start of <title>
    head = meta("og:title", f"{HEADLINE} -- Example.org") + meta("og:url", "https://example.org/a")
    assert read(page(head, title=f"{HEADLINE} -- Transport -- Example.org", h1=None)).title == HEADLINE


@pytest.mark.parametrize(
    "title",
    [
        "Mayor on the budget: 'Friends can disagree about the numbers'",  # a colon is no separator
        "Brexit - Time for change | Example Times",  # only the last part names the site
        "Bus plan - Example Daily joins the campaign for cheaper fares today",  # too long for a site name
        "Go G.R.E.E.N. - example agency at the trade fair 2018",  # a phrase that starts with the site name
    ],
)
def test_titles_keep_what_does_not_name_the_site(title: str) -> None:
    site = site_names(["Example Times", "Example Daily"], "example-agency.com")
    expected = title.rsplit(" | ", 1)[0] if " | " in title else title
    assert clean_title(title, site) == expected


def test_a_headline_that_only_starts_the_title_does_not_cut_it() -> None:
    """A truncated JSON-LD headline or a kicker <h1> followed by more words, not by a separator and a
    site name or short section, is no headline of the <title>."""
    full = f"{HEADLINE} after a long debate on fares"
    head = ld({"@type": "NewsArticle", "headline": HEADLINE}) + meta("og:site_name", "Example Daily")
    assert read(page(head, title=f"{full} | Example Daily", h1=None)).title == full
    kicker = f"Live updates: {full}"
    assert read(page(title=kicker, h1="Live updates")).title == kicker
    # a separator and a short section (no site name known) still makes it the headline
    assert read(page(title=f"{HEADLINE} - Local news", h1=HEADLINE)).title == HEADLINE
    zh = "市议会投票扩大公交网络"  # a script without spaces: a separator character alone
    assert read(page(title=f"{zh}-示例新闻网", h1=zh)).title == zh


def test_site_names_are_compared_word_by_word() -> None:
    """A part that is only the first letters of the site's name ("New" for Newsweek) is no site name."""
    site = site_names([], "newsweek.com")
    assert not is_site("New", site) and is_site("Newsweek", site)
    title = "New - Old debate returns"
    assert read(page(meta("og:url", "https://www.newsweek.com/a"), title=title)).title == title
    sky = site_names(["Sky News"], "sky.com")
    assert not is_site("Skye Jones", sky) and is_site("Sky", sky) and is_site("Sky News Politics", sky)


def test_without_a_title_tag_the_headlines_are_used() -> None:
    head = ld({"@type": "Article", "headline": HEADLINE}) + meta("og:title", "Other")
    assert read(page(head, title=None)).title == HEADLINE
    assert read(page(title=None)).title == HEADLINE  # the <h1>


# --- JSON-LD, authors, dates ----------------------------------------------------------------------------


GRAPH = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "Organization", "@id": "#org", "name": "Example Times"},
        {"@type": "Person", "@id": "#ann", "name": "Ann Lee"},
        {"@type": "WebSite", "@id": "#site", "name": "Example Times Online"},
        {
            "@type": ["ReportageNewsArticle"],
            "headline": HEADLINE,
            "datePublished": "2024-03-06T23:30:00-05:00",
            "dateModified": "2024-03-07T08:00:00Z",
            "author": [
                {"@id": "#ann"},
                {"@type": "Person", "name": "Bo Chen"},
                {"@type": "Person", "name": ""},
            ],
            "publisher": {"@id": "#org"},
            "url": "https://news.example.com/bus",
        },
    ],
}


def test_json_ld_graph() -> None:
    m = read(page(ld(GRAPH), title=f"{HEADLINE} | Example Times"))
    assert (m.title, m.authors, m.publisher, m.sitename) == (
        HEADLINE,
        ("Ann Lee", "Bo Chen"),  # a reference is looked up, an empty name dropped
        "Example Times",
        "Example Times Online",
    )
    assert m.ld_article and m.url == "https://news.example.com/bus"
    assert m.published is not None and m.modified is not None
    # the day as the page wrote it, the UTC instant, the text: time and zone are kept
    assert m.published.day == dt.date(2024, 3, 6)
    assert m.published.instant == dt.datetime(2024, 3, 7, 4, 30, tzinfo=dt.UTC)
    assert m.published.raw == "2024-03-06T23:30:00-05:00"
    assert m.modified.instant == dt.datetime(2024, 3, 7, 8, 0, tzinfo=dt.UTC)


def test_json_ld_main_entity_and_an_author_string() -> None:
    obj = {"@type": "WebPage", "mainEntity": {"@type": "BlogPosting", "author": "By Ann Lee and Bo Chen"}}
    assert read(page(ld(obj))).authors == ("Ann Lee", "Bo Chen")


def test_authors_from_meta_tags() -> None:
    head = meta("og:site_name", "Example News") + meta(
        "author", "Ann B. Lee, Carl D.E. Fox, and Tom Gray, Example News", "name"
    )
    assert read(page(head)).authors == ("Ann B. Lee", "Carl D.E. Fox", "Tom Gray")
    # several tags, a profile URL that is no name, and the site's name alone when it is the only author
    head = meta("article:author", "https://social.example.com/someone") + meta("author", "Ann Lee", "name")
    head += meta("author", "Bo Chen", "name")
    assert read(page(head)).authors == ("Ann Lee", "Bo Chen")
    assert read(
        page(meta("og:site_name", "Example News") + meta("author", "Example News", "name"))
    ).authors == ("Example News",)


def test_json_ld_authors_win_over_meta_authors() -> None:
    head = ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Ann Lee"}})
    head += meta("author", "Example Media Group", "name")
    assert read(page(head)).authors == ("Ann Lee",)


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("By Ann Lee", ["Ann Lee"]),
        ("Ann Lee; Bo Chen & Cy Diaz", ["Ann Lee", "Bo Chen", "Cy Diaz"]),
        ("ann@example.com", []),
        ("https://example.com/ann", []),
        ("Ann Lee, Jr.", ["Ann Lee, Jr."]),  # a suffix stays with the name before it
        ("Martin Luther King, Jr., Bo Chen", ["Martin Luther King, Jr.", "Bo Chen"]),
        ("John Smith III, Ph.D. and Cy Diaz, MD", ["John Smith III, Ph.D.", "Cy Diaz, MD"]),
        ("Andrew Sanderson", ["Andrew Sanderson"]),  # "and" inside a word splits nothing
    ],
)
def test_split_authors(value: str, names: list[str]) -> None:
    assert split_authors(value) == names


def test_the_row_has_an_authors_list_and_the_joined_byline() -> None:
    head = ld({"@type": "NewsArticle", "author": [{"name": "Ann Lee"}, {"name": "Bo Chen"}]})
    row = parse_html(page(head + meta("og:type", "article")))
    assert row["authors"] == ["Ann Lee", "Bo Chen"] and row["byline"] == "Ann Lee, Bo Chen"
    assert row["title"] == HEADLINE and "bus network" in row["text"]


# --- not an article ---------------------------------------------------------------------------------------

HEADLINES = [
    "Storm leaves thousands without power overnight", "Local team wins the regional championship",
    "School board delays its vote on a new timetable", "Museum reopens after two years of repairs",
    "Bridge closure to last until the spring", "Police seek witnesses after a crash downtown",
    "Farmers market moves to a larger square", "Hospital opens a new ward for children",
    "Rail line extension gets its final approval", "Library extends opening hours for students",
    "Water rates to rise for the first time in years", "New bike lanes planned for the old town",
    "Airport passenger numbers reach a record", "Theatre festival returns with twenty shows",
    "Housing prices level off after a long climb", "Fire crews contain a blaze at a warehouse",
    "University to build a new science campus", "Tourist numbers recover after a quiet year",
    "Ferry service resumes after the winter break", "Zoo welcomes two new red pandas",
    "Parking charges to change in the city centre", "Choir wins a national competition",
]  # fmt: skip


def front(head: str, canonical: str = "https://news.example.org/section/local") -> str:
    """A section front: teasers and a list of headlines, each only a link."""
    items = "".join(f'<li><a href="/story/{i}">{h}</a></li>' for i, h in enumerate(HEADLINES))
    teasers = "".join(f'<h2><a href="/story/{i}">{h}</a></h2>' for i, h in enumerate(HEADLINES[:5]))
    return (
        f"<html><head><title>Local news | Example Daily</title>{head}"
        f'<link rel="canonical" href="{canonical}"></head><body>'
        f"<nav><a href='/'>Home</a></nav><main>{teasers}<ul>{items}</ul></main></body></html>"
    )


def rejected(html: str) -> ParseError:
    [record] = parse_records(html.encode(), "page.html")
    assert record.error is not None and record.row is None
    return record.error


def test_a_website_front_page_is_not_an_article() -> None:
    error = rejected(front(meta("og:type", "website")))
    assert error.reason == "not_article"
    assert "og:type is 'website'" in error.message and "link's whole text" in error.message


def test_a_front_page_without_a_type_is_not_an_article() -> None:
    error = rejected(front(""))
    assert error.reason == "not_article" and "link density" in error.message
    error = rejected(front("", canonical="https://news.example.org/"))
    assert error.reason == "not_article" and "the site's root" in error.message


def test_an_article_typed_page_is_kept() -> None:
    [record] = parse_records(page(meta("og:type", "article")).encode(), "page.html")
    assert record.error is None and record.row is not None
    # og:type "website" alone does not reject an article: its text is no list of links
    [record] = parse_records(page(meta("og:type", "website")).encode(), "page.html")
    assert record.error is None
    # nor does a list of links in an article that says so in JSON-LD
    [record] = parse_records(front(ld({"@type": "NewsArticle"})).encode(), "page.html")
    assert record.error is None


def test_a_redirect_stub_is_not_an_article() -> None:
    stub = '<html><head><meta http-equiv="refresh" content="0;URL=\'https://example.com/a\'"></head><body></body></html>'
    error = rejected(stub)
    assert error.reason == "not_article" and "redirect stub" in error.message
    # an auto-reload every half hour is no redirect
    reload = meta("refresh", "1800;url=https://example.com/", "http-equiv")
    [record] = parse_records(page(reload).encode(), "page.html")
    assert record.error is None


def test_a_noscript_refresh_does_not_make_a_stub() -> None:
    """A <noscript> refresh is a fallback for browsers without scripts; a JSON-LD article is an article."""
    short = "<p>The bridge reopened on Monday, officials said.</p>"
    noscript = '<noscript><meta http-equiv="refresh" content="0;url=https://example.com/nojs"></noscript>'
    assert read(page(noscript, body=short)).refresh is None
    [record] = parse_records(page(noscript, body=short).encode(), "page.html")
    assert record.error is None
    refresh = meta("refresh", "0;url=https://example.com/a", "http-equiv")
    [record] = parse_records(page(refresh + ld({"@type": "NewsArticle"}), body=short).encode(), "page.html")
    assert record.error is None


def test_a_video_beside_a_short_typed_article_is_kept() -> None:
    """A <video> (an ad, a background loop) makes no video page when og:type says article."""
    body = '<video src="/loop.mp4" muted></video><p>The bridge reopened on Monday, officials said.</p>'
    [record] = parse_records(page(meta("og:type", "article"), body=body).encode(), "page.html")
    assert record.error is None


def test_a_url_with_a_query_is_not_the_site_root() -> None:
    """og:url "https://blog.example.org/?p=123" is a post, not the site's root."""
    error = rejected(front("", canonical="https://news.example.org/?p=123"))
    assert "the site's root" not in error.message and "link density" in error.message
    assert "the site's root" in rejected(front("", canonical="https://news.example.org/")).message


def test_a_video_page_is_not_an_article() -> None:
    body = '<video src="/clip.mp4"></video><p>Watch the highlights of the final.</p>'
    error = rejected(page(meta("og:type", "video.other"), body=body))
    assert error.reason == "not_article" and "video.other" in error.message
    error = rejected(page(body=body))
    assert error.reason == "not_article" and "<video>" in error.message
    # a video beside a real article body is kept
    [record] = parse_records(page(body=body + BODY).encode(), "page.html")
    assert record.error is None


def test_not_article_is_a_rejected_reason_of_the_table() -> None:
    assert "not_article" in REJECT_REASONS
    raw = frame("raw", [raw_row("front.html", front(meta("og:type", "website")).encode())])
    docs, rejected_rows, _ = documents_table(raw)
    assert docs.height == 0 and rejected_rows["reason"].to_list() == ["not_article"]
    assert validate_table("rejected", rejected_rows)["valid"]


# --- the documents table --------------------------------------------------------------------------------


def test_authors_column_for_every_format() -> None:
    records = [
        {"text": "The judge said the trial would resume.", "authors": ["Ann Lee", {"name": "Bo Chen"}]},
        {"text": "The council said the road would close.", "author": "Cy Diaz, Di Eve"},
        {"text": "The minister said the plan was late."},
    ]
    jsonl = "".join(json.dumps(r) + "\n" for r in records).encode()
    html = page(ld({"@type": "NewsArticle", "author": {"name": "Ann Lee"}})).encode()
    text = b"Bridge reopens\nBy Fay Gray\n\nThe bridge reopened on Monday, officials said.\n"
    files = (("feed.jsonl", jsonl), ("page.html", html), ("a.txt", text))
    raw = frame("raw", [raw_row(path, data) for path, data in files])
    docs, rejected_rows, _ = documents_table(raw)
    assert rejected_rows.height == 0
    assert docs.schema["authors"] == pl.List(pl.Utf8)
    names = list(docs.columns)
    assert names[names.index("byline") + 1] == "authors"
    got = {t.split()[1]: (a, b) for t, a, b in docs.select("text", "authors", "byline").iter_rows()}
    assert got["judge"] == (["Ann Lee", "Bo Chen"], "Ann Lee, Bo Chen")  # a JSON list: its items
    assert got["council"] == (["Cy Diaz, Di Eve"], "Cy Diaz, Di Eve")  # a JSON string: as it is
    assert got["minister"] == ([], None)
    assert got["city"] == (["Ann Lee"], "Ann Lee")
    assert got["bridge"] == (["Fay Gray"], "Fay Gray")
    assert validate_table("documents", docs)["valid"]


# --- the gold articles stay articles --------------------------------------------------------------------

AEB_DEV = Path(__file__).resolve().parents[2] / "shared" / "gold" / "html" / "aeb_dev.jsonl"


@pytest.mark.skipif(not AEB_DEV.is_file(), reason="the AEB dev gold set is not beside the checkout")
def test_every_aeb_dev_page_is_an_article() -> None:
    refused = []
    for gold in load_pages(AEB_DEV):
        [record] = parse_records(gold.html.encode("utf-8"), "page.html")
        if record.error is not None and record.error.reason == "not_article":
            refused.append(f"{gold.id[:12]}: {record.error.message}")
    assert refused == []
