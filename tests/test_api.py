"""The single-input API: parse_file, split_sentences and extract_claims work on one article."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import newsds
from tests.conftest import SEED_000, SEED_003


def test_parse_file_returns_the_document_row() -> None:
    row = newsds.parse_file(SEED_003)
    assert (
        row["title"]
        == "Central Asian Response to Alleged Putin Residence Drone Attack: A Weighted Neutrality"
    )
    assert row["subtitle"].startswith("Central Asian leaders condemned")
    assert row["ai_generated_notice"] is True
    assert row["format"] == "txt" and row["encoding"] == "utf-8" and len(row["doc_id"]) == 16
    assert row["text"].startswith(row["subtitle"])  # the standfirst is reported and stays in the text
    assert "They're shaking hands" in row["text"]
    assert newsds.parse_file(SEED_003)["doc_id"] == row["doc_id"]  # stable


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.txt", b"", "empty"),
        ("b.txt", b"\x00\x01\x02", "binary"),
        ("c.pdf", b"%PDF-1.7", "unsupported_format"),
    ],
)
def test_parse_file_raises_parse_error_with_reason(
    name: str, data: bytes, reason: str, tmp_path: Path
) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(newsds.ParseError) as info:
        newsds.parse_file(tmp_path / name)
    assert info.value.reason == reason
    if reason == "unsupported_format":
        assert ".txt" in str(info.value)  # lists what is supported


def test_parse_file_on_a_missing_path() -> None:
    with pytest.raises(newsds.ParseError, match="cannot read") as info:
        newsds.parse_file("/nonexistent/article.txt")
    assert info.value.reason == "unreadable"


def test_split_and_extract_on_a_single_text() -> None:
    text = SEED_000.read_text()
    spans = newsds.split_sentences(text)
    assert all(text[s:e].strip() == text[s:e] for s, e in spans)
    claims = newsds.extract_claims(text)
    assert isinstance(claims, pl.DataFrame)
    assert {
        "cue_start",
        "cue_end",
        "claimant_start",
        "claimant_end",
        "content_start",
        "content_end",
        "stance",
        "kind",
    } <= set(claims.columns)
    assert "deny" in claims["stance"].to_list()


def test_public_facade() -> None:
    assert set(newsds.__all__) >= {
        "build",
        "load",
        "releases",
        "parse_file",
        "split_sentences",
        "extract_claims",
        "NewsdsError",
    }
    assert issubclass(newsds.ParseError, newsds.NewsdsError) and issubclass(
        newsds.ChecksumError, newsds.NewsdsError
    )
