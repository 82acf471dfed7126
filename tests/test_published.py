"""When and by whom a document was published: published_at / published_raw from HTML tags and JSON
fields, and the publisher column with its registered-domain fallback (offline)."""

from __future__ import annotations

import datetime as dt
import json
import socket
from typing import Any

import lxml.html
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsds.ingest.parse import documents_table, parse_records
from newsds.ingest.parse import publisher as publisher_module
from newsds.ingest.parse import txt as txt_reader
from newsds.ingest.parse.html import parse_html
from newsds.ingest.parse.page import read_page
from newsds.ingest.parse.publisher import from_text, registered_domain
from newsds.schemas import frame, polars_schema
from newsds.validate import validate_table

BODY = (
    "<p>The mayor said on Tuesday that the bridge over the river would reopen in March after repairs.</p>\n"
    "<p>Engineers found the cracks were much smaller than feared, according to the city's report.</p>\n"
)
ARTICLE = "Bridge to reopen\n\nThe mayor said on Tuesday that the bridge would reopen in March.\n"


def page(head: str = "", article_extra: str = "") -> str:
    return (
        f"<html><head><title>Bridge to reopen</title>{head}</head><body>"
        f"<article>{article_extra}\n{BODY}</article></body></html>\n"
    )


def ld(obj: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


# --- registered domains, offline ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.bbc.co.uk/news/x", "bbc.co.uk"),
        ("https://WWW.Example.COM/a?b#c", "example.com"),
        ("http://user:pw@edition.cnn.com:8080/2024/story", "cnn.com"),
        ("apnews.com/article/x", "apnews.com"),
        ("https://foo.blogspot.com/post", "blogspot.com"),  # public suffixes only, not private ones
        ("http://127.0.0.1/a", None),
        ("http://localhost:8000/a", None),
        ("mailto:desk@example.com", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_registered_domain(url: str | None, domain: str | None) -> None:
    assert registered_domain(url) == domain


def test_the_suffix_list_is_the_bundled_snapshot_and_never_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("registered_domain tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(publisher_module, "_EXTRACTOR", None)  # a new extractor, made under the patch
    assert registered_domain("https://news.example.co.jp/a") == "example.co.jp"
    extractor = publisher_module._EXTRACTOR
    assert extractor is not None and extractor.suffix_list_urls == () and not extractor._cache.enabled
    assert registered_domain("https://www.theguardian.com/x") == "theguardian.com"
    assert publisher_module._EXTRACTOR is extractor  # made once


@given(st.text(max_size=60))
def test_registered_domain_never_raises(url: str) -> None:
    domain = registered_domain(url)
    assert domain is None or (domain == domain.lower() and "." in domain)


# --- ISO 8601 texts -----------------------------------------------------------------------------------


@given(
    st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2200, 12, 30)),
    st.integers(-14 * 60, 14 * 60),
)
def test_an_offset_time_is_its_day_as_written_and_its_utc_instant(when: dt.datetime, minutes: int) -> None:
    local = when.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))
    parsed = from_text(local.isoformat())
    assert parsed is not None
    assert (parsed.day, parsed.instant, parsed.raw) == (
        when.date(),
        local.astimezone(dt.UTC),
        local.isoformat(),
    )
    naive = from_text(when.isoformat())
    assert naive is not None and (naive.day, naive.instant) == (when.date(), None)


# --- HTML: the page's own tags --------------------------------------------------------------------------


def test_json_ld_wins_over_meta_and_time_tags() -> None:
    head = ld({"@type": "NewsArticle", "datePublished": "2024-03-06T08:30:00Z", "publisher": {"name": "Ex"}})
    head += '<meta property="article:published_time" content="2020-01-01T00:00:00Z">'
    row = parse_html(page(head, '<time datetime="2019-01-01T00:00:00Z">Jan 1</time>'))
    assert row["published"] == dt.date(2024, 3, 6)
    assert (row["published_at"], row["published_raw"]) == (utc(2024, 3, 6, 8, 30), "2024-03-06T08:30:00Z")
    assert row["publisher"] == "Ex"


def test_json_ld_graph_with_a_publisher_reference() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": "#org", "name": "Example Times"},
            {"@type": "WebPage", "datePublished": "2001-01-01"},  # not an article: ignored
            {"@type": ["ReportageNewsArticle"], "datePublished": "2024-03-06T23:30:00-05:00",
             "publisher": {"@id": "#org"}},
        ],
    }  # fmt: skip
    row = parse_html(page(ld(graph) + '<meta property="og:site_name" content="Other">'))
    assert row["published"] == dt.date(2024, 3, 6)  # the day as the page wrote it
    assert row["published_at"] == utc(2024, 3, 7, 4, 30)
    assert row["publisher"] == "Example Times"


@pytest.mark.parametrize(
    "tag",
    [
        '<meta property="article:published_time" content="2024-03-06T09:30:00+01:00">',
        '<meta name="article:published_time" content="2024-03-06T09:30:00+01:00">',
        '<meta property="og:published_time" content="2024-03-06T09:30:00+01:00">',
        '<meta itemprop="datePublished" content="2024-03-06T09:30:00+01:00">',
        '<meta name="pubdate" content="2024-03-06T09:30:00+01:00">',
        '<meta name="DC.date" content="2024-03-06T09:30:00+01:00">',
    ],
)
def test_meta_dates(tag: str) -> None:
    row = parse_html(page(tag))
    assert (row["published"], row["published_at"]) == (dt.date(2024, 3, 6), utc(2024, 3, 6, 8, 30))
    assert row["published_raw"] == "2024-03-06T09:30:00+01:00"


def test_a_time_tag_in_the_article_and_a_time_without_a_zone() -> None:
    row = parse_html(page(article_extra='<time datetime="2024-03-06T08:30">6 March</time>'))
    assert (row["published"], row["published_at"], row["published_raw"]) == (
        dt.date(2024, 3, 6),
        None,  # no zone: no instant
        "2024-03-06T08:30",
    )


def test_broken_json_ld_is_skipped() -> None:
    head = '<script type="application/ld+json">{"@type": "NewsArticle", </script>'
    head += '<meta name="date" content="2024-03-06">'
    meta = read_page(lxml.html.fromstring(page(head)))
    published = meta.published
    assert published is not None and (published.day, published.instant) == (dt.date(2024, 3, 6), None)
    assert meta.publisher is None and not meta.ld_article


def test_without_tags_trafilaturas_day_has_no_raw_text() -> None:
    row = parse_html(page('<meta property="og:site_name" content="@dailyex">'))
    assert row["published_at"] is None and row["published_raw"] is None
    assert row["publisher"] == "dailyex"  # a handle's "@" dropped


# --- the documents table --------------------------------------------------------------------------------


def _raw(files: dict[str, tuple[bytes, str | None]]) -> pl.DataFrame:
    rows = [
        {"source_path": p, "source_sha256": None, "size": len(d), "content": d, "url": u, "licence": None}
        for p, (d, u) in files.items()
    ]
    return frame("raw", [{**r, "records": None} for r in rows])


def test_the_publisher_falls_back_to_the_urls_registered_domain() -> None:
    records = [
        {"text": "The judge said the trial would resume.", "url": "https://www.bbc.co.uk/news/1"},
        {"text": "The council said the road would close.", "url": "https://x.example.com/2", "source": "X"},
    ]
    jsonl = "".join(json.dumps(r) + "\n" for r in records).encode()
    raw = {
        "feed.jsonl": (jsonl, None),
        "a.txt": (ARTICLE.encode(), "https://edition.cnn.com/2024/a"),  # the URL from SOURCES.csv
        "b.txt": (b"Other news\n\nThe minister said the plan was late.\n", None),
    }
    docs, rejected, _ = documents_table(_raw(raw))
    assert rejected.height == 0
    by_text = {t.split()[1]: p for t, p in docs.select("text", "publisher").iter_rows()}
    assert by_text == {
        "judge": "bbc.co.uk",  # the record's URL
        "council": "X",  # the record's own publisher field wins
        "mayor": "cnn.com",  # a plain-text file's URL from SOURCES.csv, filled in by the build
        "minister": None,  # no URL at all
    }
    assert docs.filter(pl.col("format") == "txt")["published_at"].null_count() == 2
    assert validate_table("documents", docs)["valid"]


def test_published_columns_have_the_contract_dtypes() -> None:
    schema = polars_schema("documents")
    names = list(schema)
    assert names[names.index("published") : names.index("published") + 3] == [
        "published",
        "published_at",
        "published_raw",
    ]
    assert names[names.index("sitename") + 1] == "publisher"
    assert schema["published_at"] == pl.Datetime("us", "UTC") and schema["published"] == pl.Date
    record = {"text": "The mayor said it.", "date": "2024-03-06T08:30:00.5+02:00"}
    [rec] = parse_records(json.dumps(record).encode(), "one.json")
    assert rec.row is not None
    docs = frame("documents", [{**rec.row}])
    assert docs["published_at"].item() == utc(2024, 3, 6, 6, 30, 0, 500000)
    assert docs["published_raw"].item() == "2024-03-06T08:30:00.5+02:00"


def test_layout_is_passed_to_the_plain_text_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    original = txt_reader.parse_txt

    def spy(text: str, layout: str = "auto") -> Any:
        seen.append(layout)
        return original(text, layout=layout)

    monkeypatch.setattr(txt_reader, "parse_txt", spy)
    [rec] = parse_records(ARTICLE.encode(), "a.txt", layout="body")
    parse_records(ARTICLE.encode(), "b.txt")
    documents_table(_raw({"c.txt": (ARTICLE.encode(), None)}), layout="title")
    assert rec.row is not None and seen == ["body", "auto", "title"]


@pytest.mark.parametrize(
    ("line", "day", "instant"),
    [
        ("March 6, 2024 8:30 AM EST", dt.date(2024, 3, 6), None),  # a zone name is no offset: the day only
        ("2024-03-06T08:30:00Z", dt.date(2024, 3, 6), utc(2024, 3, 6, 8, 30)),
        ("Friday, July 21, 2017", dt.date(2017, 7, 21), None),
    ],
)
def test_a_plain_text_date_line_is_kept_as_written(line: str, day: dt.date, instant: Any) -> None:
    text = f"Bridge reopens\n{line}\n\nThe bridge reopened on Monday, officials said.\n"
    [rec] = parse_records(text.encode(), "a.txt")
    assert rec.row is not None
    assert (rec.row["published"], rec.row["published_at"], rec.row["published_raw"]) == (day, instant, line)
    assert rec.row["text"] == "The bridge reopened on Monday, officials said."
