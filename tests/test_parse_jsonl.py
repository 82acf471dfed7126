"""Tests for the JSON/JSONL reader: real crawler shapes, error records, mappings, dates, properties."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsds.errors import NewsdsError
from newsds.ingest.parse import jsonl
from newsds.ingest.parse.jsonl import PARSER_VERSION, JsonRecord, parse_json_records
from newsds.reading import COLUMNS, DEFAULT_MAPPING, load_mapping, mapping_from_dict

ROW_KEYS = {
    "title",
    "subtitle",
    "byline",
    "published",
    "published_at",
    "published_raw",
    "url",
    "language",
    "sitename",
    "publisher",
    "text",
    "boilerplate",
    "ai_generated_notice",
}

NEWS_PLEASE = {
    "authors": ["Jane Doe", "John Smith"],
    "date_download": "2017-07-22 08:00:12",
    "date_modify": None,
    "date_publish": "2017-07-21 10:05:00",
    "description": "The city council approved next year's budget after a long debate.",
    "filename": "https%3A%2F%2Fexample.com%2Fnews%2Fbudget.json",
    "image_url": "https://example.com/img/budget.jpg",
    "language": "en",
    "localpath": None,
    "maintext": "The council met on Monday.\nIt approved the budget 7-2.\n\n  Critics said it was rushed.  ",
    "source_domain": "example.com",
    "text": None,
    "title": "Council approves budget",
    "title_page": "Council approves budget | Example News",
    "title_rss": None,
    "url": "https://example.com/news/budget",
}

NEWSPAPER4K = {
    "url": "https://news.example.org/2017/07/21/storm",
    "read_more_link": "",
    "language": "",
    "title": "Storm hits the coast",
    "top_image": "https://news.example.org/storm.jpg",
    "meta_img": "",
    "images": ["https://news.example.org/storm.jpg"],
    "movies": [],
    "keywords": ["storm", "coast"],
    "meta_keywords": [""],
    "tags": [],
    "authors": ["Ana Lima"],
    "publish_date": "2017-07-21T10:05:00+02:00",
    "summary": "",
    "article_html": "<div><p>Winds reached 120 km/h.</p></div>",
    "meta_description": "A strong storm hit the coast overnight.",
    "meta_lang": "pt",
    "meta_favicon": "",
    "meta_site_name": "",
    "canonical_link": "https://news.example.org/2017/07/21/storm",
    "text": "Winds reached 120 km/h.\n\nThousands lost power.",
    "source_url": "https://news.example.org",
}


def _only(text: str, fmt: str = "json") -> dict[str, Any]:
    [rec] = parse_json_records(text, fmt)
    assert rec.error is None, rec.error and rec.error.message
    assert rec.row is not None
    return rec.row


# --- crawler exports ------------------------------------------------------------------------------------


def test_news_please_record_maps_every_field() -> None:
    row = _only(json.dumps(NEWS_PLEASE))
    assert set(row) == ROW_KEYS
    assert row["title"] == "Council approves budget"
    assert row["subtitle"] == NEWS_PLEASE["description"]
    assert row["byline"] == "Jane Doe, John Smith"
    assert row["published"] == dt.date(2017, 7, 21)
    assert (row["published_at"], row["published_raw"]) == (None, "2017-07-21 10:05:00")  # no zone
    assert row["url"] == "https://example.com/news/budget"
    assert row["language"] == "en"
    assert row["sitename"] == "example.com"
    assert row["publisher"] is None  # none of its own: the build takes the URL's registered domain
    assert row["text"] == (
        "The council met on Monday.\n\nIt approved the budget 7-2.\n\nCritics said it was rushed."
    )
    assert row["boilerplate"] == []
    assert row["ai_generated_notice"] is False


def test_newspaper4k_record_maps_every_field() -> None:
    row = _only(json.dumps(NEWSPAPER4K))
    assert row["title"] == "Storm hits the coast"
    assert row["subtitle"] == "A strong storm hit the coast overnight."
    assert row["byline"] == "Ana Lima"
    assert row["published"] == dt.date(2017, 7, 21)
    assert row["published_at"] == dt.datetime(2017, 7, 21, 8, 5, tzinfo=dt.UTC)
    assert row["published_raw"] == "2017-07-21T10:05:00+02:00"
    assert row["url"] == NEWSPAPER4K["url"]
    assert row["language"] == "pt"  # empty "language" counts as missing, meta_lang is next
    assert row["sitename"] == "https://news.example.org"
    assert row["text"] == "Winds reached 120 km/h.\n\nThousands lost power."


def test_generic_keys() -> None:
    record = {
        "headline": "Bridge reopens",
        "article_body": ["First paragraph.", "", "Second paragraph."],
        "datePublished": "2020-02-29",
        "author": {"@type": "Person", "name": "Kim Lee"},
        "lang": "en",
        "site_name": "Daily Example",
        "link": "https://daily.example/bridge",
    }
    row = _only(json.dumps(record))
    assert (row["title"], row["byline"], row["language"]) == ("Bridge reopens", "Kim Lee", "en")
    assert (row["sitename"], row["url"]) == ("Daily Example", "https://daily.example/bridge")
    assert row["published"] == dt.date(2020, 2, 29)
    assert row["text"] == "First paragraph.\n\nSecond paragraph."


def test_most_specific_text_key_wins_and_blank_values_are_missing() -> None:
    row = _only(json.dumps({"maintext": "  \n ", "text": None, "body": "Body.", "content": "Content."}))
    assert row["text"] == "Body."
    row = _only(json.dumps({"maintext": "Main.", "body": "Body.", "title": "   ", "headline": "Head"}))
    assert (row["text"], row["title"]) == ("Main.", "Head")


def test_text_is_normalised_and_html_is_left_alone() -> None:
    row = _only(json.dumps({"text": "Caf\u0065\u0301 opens\r\n\r\n\x07<b>Bold</b> move\u2028  end  "}))
    assert row["text"] == "Café opens\n\n<b>Bold</b> move\n\nend"


def test_numbers_in_short_fields_become_strings_and_short_fields_are_one_line() -> None:
    row = _only(json.dumps({"text": "Body.", "title": " Two\n  lines ", "url": 3.5, "language": True}))
    assert (row["text"], row["title"], row["url"], row["language"]) == ("Body.", "Two lines", "3.5", None)


@pytest.mark.parametrize(
    ("authors", "byline"),
    [
        (["Jane Doe", "John Smith"], "Jane Doe, John Smith"),
        (["", "Jane Doe", None], "Jane Doe"),
        ("By Jane Doe", "By Jane Doe"),
        ([{"name": "Jane Doe"}, {"name": "Ann Bo"}], "Jane Doe, Ann Bo"),
        ([], None),
    ],
)
def test_authors_to_byline(authors: Any, byline: str | None) -> None:
    assert _only(json.dumps({"text": "x", "authors": authors}))["byline"] == byline


def _utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "expected", "instant"),
    [
        ("2017-07-21", dt.date(2017, 7, 21), None),
        ("2017-07-21 10:05:00", dt.date(2017, 7, 21), None),  # a time without a zone: no instant
        ("2017-07-21T10:05:00Z", dt.date(2017, 7, 21), _utc(2017, 7, 21, 10, 5)),
        ("2017-07-21T23:30:00-05:00", dt.date(2017, 7, 21), _utc(2017, 7, 22, 4, 30)),  # the day as written
        ("2017-07-21T10:05:00+02:00", dt.date(2017, 7, 21), _utc(2017, 7, 21, 8, 5)),
        ("2017-07-21T10:05:00.123456789Z", dt.date(2017, 7, 21), _utc(2017, 7, 21, 10, 5, 0, 123456)),
        ("2017-07-21 10:05:00 +0200", dt.date(2017, 7, 21), _utc(2017, 7, 21, 8, 5)),
        ("2017-07-21 10:05:00 UTC", dt.date(2017, 7, 21), _utc(2017, 7, 21, 10, 5)),
        ("2017-07-21 10.05am", dt.date(2017, 7, 21), None),  # only the day is read
        (1500631500, dt.date(2017, 7, 21), _utc(2017, 7, 21, 10, 5)),  # epoch numbers are UTC
        (1500631500000, dt.date(2017, 7, 21), _utc(2017, 7, 21, 10, 5)),  # milliseconds
        (1500631500.5, dt.date(2017, 7, 21), _utc(2017, 7, 21, 10, 5, 0, 500000)),
        ("21 July 2017", None, None),
        ("2017-13-45", None, None),
        ("yesterday", None, None),
        (True, None, None),
        (10**30, None, None),
        (10**400, None, None),  # past float range
        ([2017, 7, 21], None, None),
    ],
)
def test_date_formats(value: Any, expected: dt.date | None, instant: dt.datetime | None) -> None:
    row = _only(json.dumps({"text": "x", "date_publish": value}))
    assert (row["published"], row["published_at"]) == (expected, instant)
    if expected is not None:
        assert row["published_raw"] == str(value)
    elif isinstance(value, str):
        assert row["published_raw"] == value  # kept as the source wrote it, though no date is read
    else:
        assert row["published_raw"] is None


def test_unparseable_date_falls_back_to_next_key() -> None:
    row = _only(json.dumps({"text": "x", "date_publish": "soon", "date": "2019-01-02"}))
    assert (row["published"], row["published_raw"]) == (dt.date(2019, 1, 2), "2019-01-02")


@pytest.mark.parametrize(
    ("record", "publisher"),
    [
        ({"publisher": "  The  Daily Example "}, "The Daily Example"),
        ({"publisher": {"@type": "Organization", "name": "Example Times"}}, "Example Times"),
        ({"source": {"id": "bbc-news", "name": "BBC News"}}, "BBC News"),  # NewsAPI
        ({"source_name": "Reuters", "source": "ignored"}, "Reuters"),
        ({"publisher": "", "source": "AP"}, "AP"),
        ({"site_name": "Site"}, None),  # sitename is its own column
    ],
)
def test_publisher_field(record: dict[str, Any], publisher: str | None) -> None:
    assert _only(json.dumps({"text": "x", **record}))["publisher"] == publisher


def _identity(record: dict[str, Any], mapping: jsonl.FieldMapping = DEFAULT_MAPPING) -> str | None:
    [rec] = parse_json_records(json.dumps(record), "json", mapping)
    return rec.identity


def test_a_record_is_named_by_its_id_else_its_url_else_its_content() -> None:
    assert _identity({"text": "x", "id": "a-1", "url": "https://x.test/a"}) == "id:a-1"
    assert _identity({"text": "x", "_id": 42}) == "id:42"
    assert _identity({"text": "x", "_id": {"$oid": "5f1d"}}) == 'id:{"$oid":"5f1d"}'
    assert _identity({"text": "x", "id": "", "guid": "g-7"}) == "id:g-7"  # blank ids are missing
    assert _identity({"text": "x", "id": True, "link": "https://x.test/b"}) == "url:https://x.test/b"
    content = _identity({"text": "x", "title": "T"})
    assert content is not None and content.startswith("sha256:")
    # the canonical JSON text: key order and spacing do not matter, any value does
    [same] = parse_json_records('{ "title" : "T",\n "text":"x" }', "json")
    assert same.identity == content
    assert _identity({"text": "x", "title": "T", "extra": None}) != content
    mapped = mapping_from_dict({"id": "meta.key"})
    assert _identity({"text": "x", "id": "a", "meta": {"key": "k"}}, mapped) == "id:k"
    no_ids = mapping_from_dict({"id": []})
    assert _identity({"text": "x", "id": "a", "url": "https://x.test/c"}, no_ids) == "url:https://x.test/c"


def test_a_record_without_a_row_has_no_identity() -> None:
    records = parse_json_records('{"title": "no body"}\n[1]\n{bad\n', "jsonl")
    assert [r.identity for r in records] == [None, None, None]


# --- JSONL and JSON layouts, error records -------------------------------------------------------------


def test_jsonl_malformed_line_in_the_middle() -> None:
    lines = [
        json.dumps({"title": "A", "text": "First."}),
        "",
        '{"title": "B", "text": "Broken"',
        "   ",
        json.dumps({"title": "C", "text": "Third."}),
        json.dumps({"title": "D", "text": "Fourth."}),
    ]
    records = parse_json_records("\n".join(lines) + "\n", "jsonl")
    assert [(r.record, r.line) for r in records] == [(0, 1), (1, 3), (2, 5), (3, 6)]
    bad = records[1]
    assert bad.row is None and bad.error is not None
    assert bad.error.reason == "malformed_json"
    assert bad.error.message.startswith("line 3: ") and bad.error.message.endswith("fix or remove that line")
    assert [r.row["title"] for r in records if r.row] == ["A", "C", "D"]


def test_jsonl_crlf_bom_and_blank_lines() -> None:
    text = '\ufeff{"text": "One"}\r\n\r\n\t\r\n{"text": "Two"}\r\n'
    records = parse_json_records(text, "jsonl")
    assert [(r.record, r.line, r.row and r.row["text"]) for r in records] == [(0, 1, "One"), (1, 4, "Two")]


def test_jsonl_record_errors() -> None:
    text = '[1, 2]\n"just a string"\n{"title": "No body", "summary": ""}\n'
    records = parse_json_records(text, "jsonl")
    assert [r.error.reason for r in records if r.error] == ["not_an_object", "not_an_object", "no_body"]
    assert "line 1 is an array, not an object" in str(records[0].error)
    message = str(records[2].error)
    assert "tried keys: maintext, text, article_body" in message and "mapping file" in message
    assert "its keys: title, summary" in message


def test_json_array_and_single_object() -> None:
    array = json.dumps([{"text": "One"}, 7, {"body": "Three"}])
    records = parse_json_records(array, "json")
    assert [(r.record, r.line) for r in records] == [(0, None), (1, None), (2, None)]
    assert records[1].error is not None and records[1].error.reason == "not_an_object"
    assert "record 1 is a number" in records[1].error.message
    assert records[2].row is not None and records[2].row["text"] == "Three"
    [single] = parse_json_records(json.dumps({"content": "Only"}), "json")
    assert (single.record, single.line, single.row and single.row["text"]) == (0, None, "Only")


@pytest.mark.parametrize(
    ("text", "reason", "hint"),
    [
        ('{"text": "x",}', "malformed_json", "line 1, column 14"),
        ('{"text": "a"}\n{"text": "b"}\n', "malformed_json", "name the file .jsonl"),
        ("[" * 100_000, "malformed_json", "nested too deeply"),
        ('{"text": ' + "9" * 5000 + "}", "malformed_json", "not valid JSON"),
        ("[]", "empty", "no records"),
        ("  \n", "empty", "no records"),
    ],
)
def test_json_file_level_errors(text: str, reason: str, hint: str) -> None:
    [rec] = parse_json_records(text, "json")
    assert (rec.record, rec.line, rec.row) == (0, None, None)
    assert rec.error is not None and rec.error.reason == reason and hint in rec.error.message


def test_blank_jsonl_is_one_empty_error() -> None:
    [rec] = parse_json_records("\n \n\n", "jsonl")
    assert rec.error is not None and rec.error.reason == "empty" and rec.row is None


def test_unknown_format_is_a_newsds_error() -> None:
    with pytest.raises(NewsdsError, match="json, jsonl"):
        parse_json_records("{}", "xml")


# --- mappings ------------------------------------------------------------------------------------------


def test_mapping_from_dict_nested_keys() -> None:
    mapping = mapping_from_dict({"title": "meta.title", "text": ["story.body", "story.paragraphs"]})
    assert mapping.title == ("meta.title",)
    assert mapping.url == DEFAULT_MAPPING.url  # columns not given keep the defaults
    record = {"meta": {"title": "Nested"}, "story": {"paragraphs": ["P1", "P2"]}, "url": "https://x.example"}
    [rec] = parse_json_records(json.dumps(record), "json", mapping)
    assert rec.row is not None
    assert (rec.row["title"], rec.row["text"], rec.row["url"]) == ("Nested", "P1\n\nP2", "https://x.example")


def test_literal_dotted_key_wins_over_path() -> None:
    mapping = mapping_from_dict({"text": "a.b"})
    [rec] = parse_json_records(json.dumps({"a.b": "literal", "a": {"b": "nested"}}), "json", mapping)
    assert rec.row is not None and rec.row["text"] == "literal"


def test_load_mapping_from_file(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps({"text": ["story"], "byline": "writer"}), encoding="utf-8")
    mapping = load_mapping(path)
    assert (mapping.text, mapping.byline, mapping.title) == (("story",), ("writer",), DEFAULT_MAPPING.title)


def test_load_mapping_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"text": ["story"],}', encoding="utf-8")
    with pytest.raises(NewsdsError, match=r"not valid JSON .*line 1"):
        load_mapping(bad)
    with pytest.raises(NewsdsError, match="cannot read mapping file"):
        load_mapping(tmp_path / "missing.json")


def test_unknown_mapping_column_names_valid_columns() -> None:
    with pytest.raises(NewsdsError) as info:
        mapping_from_dict({"headline": ["h"], "text": "body"})
    message = str(info.value)
    assert "headline" in message
    columns = "title, text, subtitle, url, published, byline, language, sitename, publisher, id"
    assert f"valid columns are: {columns}" in message


@pytest.mark.parametrize("data", [{"text": []}, {"title": 3}, {"url": ["ok", ""]}, ["text"]])
def test_bad_mapping_values(data: Any) -> None:
    with pytest.raises(NewsdsError):
        mapping_from_dict(data)


def test_docstring_table_matches_default_mapping() -> None:
    assert jsonl.__doc__ is not None
    for column in COLUMNS:
        keys = ", ".join(getattr(DEFAULT_MAPPING, column))
        assert f"{column:<12}  {keys}\n" in jsonl.__doc__
    assert PARSER_VERSION == "json/1.2.0"


# --- properties ----------------------------------------------------------------------------------------

_value = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40))
_fields = st.sampled_from(["title", "text", "maintext", "body", "authors", "date", "url", "id", "x"])
_objects = st.dictionaries(_fields, st.one_of(_value, st.lists(_value, max_size=4)), max_size=6)
_lines = st.one_of(
    _objects.map(json.dumps),
    st.text(max_size=30).map(lambda s: s.replace("\n", " ")),
    st.sampled_from(["", "   ", "\t", "[]", "null", "{", '{"text": "\\ud800 lone"}']),
)


def _check_rows(records: list[JsonRecord]) -> None:
    assert [r.record for r in records] == list(range(len(records)))
    for rec in records:
        assert (rec.row is None) != (rec.error is None)
        if rec.row is not None:
            text = rec.row["text"]
            assert text and text == text.strip() and "\n\n\n" not in text
            assert set(rec.row) == ROW_KEYS
            assert rec.identity is not None and rec.identity.split(":")[0] in ("id", "url", "sha256")
            instant = rec.row["published_at"]
            assert instant is None or (instant.tzinfo is dt.UTC and rec.row["published"] is not None)


@given(st.text(), st.sampled_from(["json", "jsonl"]))
def test_never_raises_on_arbitrary_text(text: str, fmt: str) -> None:
    records = parse_json_records(text, fmt)
    assert records
    _check_rows(records)


@given(st.lists(_lines, max_size=12))
def test_every_non_blank_jsonl_line_is_one_record(lines: list[str]) -> None:
    text = "\n".join(lines)
    records = parse_json_records(text, "jsonl")
    _check_rows(records)
    expected = [n for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    if expected:
        assert [r.line for r in records] == expected
    else:
        assert [r.error and r.error.reason for r in records] == ["empty"]


@given(st.lists(_objects, max_size=8))
def test_json_array_gives_one_record_per_element(objects: list[dict[str, Any]]) -> None:
    records = parse_json_records(json.dumps(objects), "json")
    _check_rows(records)
    assert len(records) == max(1, len(objects))
    assert all(r.line is None for r in records)
