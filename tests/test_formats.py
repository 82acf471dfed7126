"""Ingestion breadth: HTML (plain and gzipped), JSON/JSONL, legacy encodings, and nothing lost."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsds
from newsds.ingest.parse import SUPPORTED_SUFFIXES, detect_format, parse_records
from newsds.pipeline import STAGES, BuildConfig, run
from newsds.reading import mapping_from_dict
from tests.conftest import RAW

ARTICLE = (
    "Bridge to reopen\n\nThe mayor said on Tuesday that the bridge would reopen in March. "
    "Engineers found the cracks were smaller than feared, according to the city's report.\n"
)


def test_detect_format_by_suffix() -> None:
    assert detect_format("a/b/page.HTML") == ("html", False)
    assert detect_format("page.htm.gz") == ("html", True)
    assert detect_format("export.jsonl") == ("jsonl", False)
    assert detect_format("report.pdf") == (None, False)
    assert ".html.gz" in SUPPORTED_SUFFIXES


def test_a_saved_web_page_gives_text_and_metadata() -> None:
    row = newsds.parse_file(RAW / "aeb_venturebeat_com_06e5123e.html")
    assert row["format"] == "html" and row["parser"].startswith("newsds.parse.html/")
    assert row["title"] == "New York State Attorney General investigating WeWork and former CEO"
    assert row["url"].startswith("https://venturebeat.com/2019/11/18/")
    # the page's own tags (JSON-LD datePublished) give the time and zone; trafilatura's day came from the URL
    assert str(row["published"]) == "2019-11-19" and row["published_raw"] == "2019-11-19T07:03:25+00:00"
    assert row["published_at"] == dt.datetime(2019, 11, 19, 7, 3, 25, tzinfo=dt.UTC)
    assert row["sitename"] == "VentureBeat" and row["publisher"] == "VentureBeat"
    assert row["parser"].startswith("newsds.parse.html/1.3.0+trafilatura-")
    assert row["byline"] == "Reuters" and row["authors"] == ["Reuters"]
    assert row["text"].count("WeWork") >= 3 and len(row["text"]) > 1000  # the article, not a teaser
    assert not row["text"].startswith(row["title"])  # the title has its own column
    assert "filedate" not in row


@pytest.mark.parametrize("page", sorted(p.name for p in RAW.glob("aeb_*.htm*")))
def test_the_saved_news_pages_are_articles(page: str) -> None:
    """No page of the seed set is taken for a homepage, video page or redirect stub (not_article)."""
    [record] = parse_records((RAW / page).read_bytes(), page)
    assert record.error is None, record.error
    assert record.row is not None and record.row["text"] and record.row["title"]
    assert isinstance(record.row["authors"], list)
    assert all(sep not in (record.row["title"] or "") for sep in (" | ", " -- ", " :: "))


def test_gzipped_pages_parse_like_plain_ones(tmp_path: Path) -> None:
    page = RAW / "aeb_venturebeat_com_06e5123e.html"
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(page.read_bytes()))
    plain, zipped = newsds.parse_file(page), newsds.parse_file(tmp_path / "page.html.gz")
    assert zipped["text"] == plain["text"] and zipped["title"] == plain["title"]


def test_a_gzip_bomb_is_rejected_as_too_large() -> None:
    bomb = gzip.compress(b"a" * 2_000_000)
    [record] = parse_records(bomb, "bomb.txt.gz", max_bytes=100_000)
    assert record.error is not None and record.error.reason == "too_large"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-16"])
def test_legacy_and_unicode_encodings_decode_and_are_recorded(encoding: str, tmp_path: Path) -> None:
    text = (
        "Café owners protest\n\nThe owners of the café said the new “tourist tax” was unfair, "
        "and the mayor’s office — which denied any plan to raise it — declined to comment. "
        "Naïve visitors paid 3 € more per night, said the façade’s manager.\n"
    )
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    row = newsds.parse_file(tmp_path / "a.txt")
    assert row["title"] == "Café owners protest"
    assert "“tourist tax”" in row["text"] and "Naïve visitors paid 3 €" in row["text"]
    expected = {
        "utf-16-le": "utf-16-le",
        "utf-16-be": "utf-16-be",
        "utf-8-sig": "utf-8-sig",
        "utf-16": "utf-16",
    }
    assert row["encoding"] == expected.get(encoding, "cp1252")


def test_text_is_nfc_and_free_of_control_characters(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(
        "Cafe\u0301 news\r\n\r\nThe cafe\u0301\x07 owner said\x00 it closed.\r\n".encode()
    )
    with pytest.raises(newsds.ParseError):  # a NUL byte in the first 8 KiB: binary
        newsds.parse_file(tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(
        "Cafe\u0301 news\r\n\r\nThe cafe\u0301\x07 owner said it closed.\r\n".encode()
    )
    row = newsds.parse_file(tmp_path / "b.txt")
    assert row["title"] == "Café news" and row["text"] == "The café owner said it closed."


def test_jsonl_records_each_become_a_document_or_a_rejected_row(raw_copy: Path, tmp_path: Path) -> None:
    rel = newsds.build(raw_copy, tmp_path / "out", "0.1.0")
    export = "newsplease_export.jsonl"
    docs = rel.documents.filter(pl.col("source_path") == export)
    rejected = rel.rejected.filter(pl.col("source_path") == export)
    assert docs["record"].to_list() == [0, 1, 2, 4, 5, 6]
    assert docs["format"].unique().to_list() == ["jsonl"]
    assert docs["doc_id"].n_unique() == 6 and docs["url"].null_count() == 0
    assert docs["publisher"].null_count() == 0  # no publisher field: the registered domain of each URL
    assert docs["published_raw"].null_count() == 0
    [bad] = rejected.iter_rows(named=True)
    assert (bad["record"], bad["reason"]) == (3, "malformed_json") and "line 4" in bad["message"]
    counts = rel.manifest["counts"]
    assert counts["inputs"] == counts["documents"] + counts["rejected"]
    assert counts["files"] == len([p for p in raw_copy.iterdir() if p.name != "SOURCES.csv"])
    assert set(rel.documents["format"]) == {"txt", "html", "jsonl"}


def test_a_custom_field_mapping_reads_other_exports(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    record = {
        "headline_text": "Bridge to reopen",
        "story": {"body": ARTICLE.split("\n\n", 1)[1]},
        "permalink": "https://x.test/a",
    }
    (raw / "feed.json").write_text(json.dumps([record]))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"title": "headline_text", "text": ["story.body"], "url": "permalink"}))
    from newsds.cli import main

    argv = ["build", "--raw", str(raw), "--out", str(tmp_path / "out"), "--mapping", str(mapping)]
    assert main([*argv, "--version", "1.0.0", "--quiet"]) == 0
    doc = newsds.load(root=tmp_path / "out").documents.row(0, named=True)
    assert (doc["title"], doc["url"], doc["record"]) == ("Bridge to reopen", "https://x.test/a", 0)


def test_duplicates_across_formats_are_kept_once(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(ARTICLE)
    body = ARTICLE.split("\n\n", 1)[1]
    (raw / "b.jsonl").write_text(json.dumps({"title": "Bridge to reopen", "maintext": body}) + "\n")
    tables = run(BuildConfig(raw), STAGES[:-1]).tables
    [dup] = tables["rejected"].iter_rows(named=True)
    assert (dup["source_path"], dup["reason"], dup["record"]) == ("b.jsonl", "duplicate", 0)
    assert dup["duplicate_of"] == tables["documents"]["doc_id"].item()


_SUFFIX = st.sampled_from([*SUPPORTED_SUFFIXES, ".pdf", "", ".TXT"])


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(str.encode), suffix=_SUFFIX)
def test_arbitrary_bytes_give_records_never_exceptions(data: bytes, suffix: str) -> None:
    records = parse_records(data, f"file{suffix}")
    assert records
    for rec in records:
        assert (rec.row is None) != (rec.error is None)
        if rec.error is not None:
            assert rec.error.reason and rec.error.message


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.dictionaries(
        st.sampled_from(["a", "b", "c", "d"]), st.tuples(_SUFFIX, st.binary(max_size=300)), max_size=4
    )
)
def test_inputs_equal_documents_plus_rejected(
    files: dict[str, tuple[str, bytes]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    raw = tmp_path_factory.mktemp("raw")
    (raw / "anchor.jsonl").write_text(
        '{"title": "T", "maintext": "The mayor said it."}\n{bad\n\n{"text": "Another one, she said."}\n'
    )
    for stem, (suffix, data) in files.items():
        (raw / f"{stem}{suffix}").write_bytes(data)
    build = run(BuildConfig(raw), STAGES[:-1])
    tables = build.tables
    inputs = int(tables["raw"]["records"].fill_null(1).sum())
    assert inputs == tables["documents"].height + tables["rejected"].height
    assert build.report is not None and build.report["valid"]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Is Football Violence a Crime?", "NFL assaults have led to lawsuits.", "Body."], ["Body."]),
        (["Clymer manual review", "Body one.", "Body two."], ["Body one.", "Body two."]),
        (
            ["The lede sentence repeats the description.", "Body."],
            ["The lede sentence repeats the description.", "Body."],
        ),
        (["A different first line entirely", "Body."], ["A different first line entirely", "Body."]),
    ],
)
def test_strip_header_drops_a_repeated_headline_and_its_dek(lines: list[str], expected: list[str]) -> None:
    from newsds.ingest.parse.html import strip_header

    title = {
        "Is Football Violence a Crime?": "Opinion | Is Football Violence a Crime?",
        "Clymer manual review": "Clymer manual review | MoreBikes",
    }.get(lines[0], "Headline of another story")
    description = (
        "NFL assaults have led to lawsuits."
        if "NFL" in lines[1]
        else "The lede sentence repeats the description."
    )
    assert strip_header(lines, title, description) == expected


def test_every_record_of_a_jsonl_file_from_the_api() -> None:
    from newsds.ingest.parse import parse_file_records

    with pytest.raises(newsds.ParseError, match="parse_file_records") as info:
        newsds.parse_file(RAW / "newsplease_export.jsonl")
    assert info.value.reason == "multiple_records"
    with pytest.raises(newsds.ParseError) as bad:  # its fourth line is a truncated record
        parse_file_records(RAW / "newsplease_export.jsonl")
    assert bad.value.reason == "malformed_json"


def test_one_bad_byte_does_not_garble_the_file_and_is_counted_in_the_document() -> None:
    data = "Café\n\nThe mayor of Montréal said the café would reopen in année deux.\n".encode()
    data = data.replace("café".encode(), b"caf\xe9")  # one byte from another encoding
    [rec] = parse_records(data, "mixed.txt")
    assert rec.row is not None
    assert rec.row["encoding"] == "utf-8" and rec.row["decode_replacements"] == 1
    assert "Montréal" in rec.row["text"] and "caf\ufffd would" in rec.row["text"]


def test_a_number_where_the_body_should_be_is_wrong_type_unless_coerced() -> None:
    data = b'{"title": "Numbers", "text": 12345}\n{"text": "The mayor said the bridge will open."}\n'
    first, second = parse_records(data, "records.jsonl")
    assert first.row is None and first.error is not None and first.error.reason == "wrong_type"
    assert '"coerce": ["text"]' in first.error.message
    assert second.row is not None and second.row["decode_replacements"] == 0
    [coerced, _] = parse_records(data, "records.jsonl", mapping=mapping_from_dict({"coerce": ["text"]}))
    assert coerced.row is not None and coerced.row["text"] == "12345"
