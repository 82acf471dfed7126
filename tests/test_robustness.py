"""Hostile and odd inputs found in review: each becomes a rejected row or a clean error, never a crash."""

from __future__ import annotations

import gzip
import json
import os
import unicodedata
from pathlib import Path

import polars as pl
import pytest

import newsds
from newsds.cli import main
from newsds.ingest.files import list_raw_files, read_raw
from newsds.ingest.parse import parse_records
from newsds.pipeline import STAGES, BuildConfig, run
from newsds.textnorm import normalize
from newsds.validate import validate_table
from newsds.versions import version_key

ARTICLE = "Bridge to reopen\n\nThe mayor said on Tuesday that the bridge would reopen in March.\n"
PAGE = (
    "<html><head><title>Bridge to reopen</title></head><body><article>\n"
    "<p>The mayor said on Tuesday that the bridge over the river would reopen in March after repairs.</p>\n"
    "<p>Engineers found the cracks were much smaller than feared, according to the city's report.</p>\n"
    "</article></body></html>\n"
)


def tables(raw: Path) -> dict[str, pl.DataFrame]:
    build = run(BuildConfig(raw), STAGES[:-1])  # up to and including validation
    assert build.report is not None and build.report["valid"]
    return dict(build.tables)


def test_the_same_bytes_under_two_names_are_two_documents_unless_they_read_the_same(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(PAGE)
    (tmp_path / "a.txt").write_text(PAGE)  # same bytes, read by another reader: another text, another ID
    t = tables(tmp_path)
    assert t["documents"].height == 2 and t["rejected"].height == 0
    assert t["documents"]["doc_id"].n_unique() == 2
    (tmp_path / "b.html").write_text(PAGE)  # same bytes, same reader, same text: one is a duplicate
    t = tables(tmp_path)
    [dup] = t["rejected"].iter_rows(named=True)
    kept = t["documents"].filter(pl.col("source_path") == "a.html")["doc_id"].item()
    assert (dup["source_path"], dup["reason"], dup["duplicate_of"]) == ("b.html", "duplicate", kept)


def test_truncated_gzip_is_rejected_and_every_member_is_read() -> None:
    data = gzip.compress(ARTICLE.encode())
    [cut] = parse_records(data[: len(data) // 2], "a.txt.gz")
    assert cut.error is not None and cut.error.reason == "undecodable"
    two = gzip.compress(ARTICLE.encode()) + gzip.compress(b"Engineers said the cracks were small.\n")
    [both] = parse_records(two, "b.txt.gz")
    assert both.row is not None and both.row["text"].endswith("Engineers said the cracks were small.")


def test_an_xhtml_page_with_an_xml_declaration_parses() -> None:
    data = ('<?xml version="1.0" encoding="utf-8"?>\n' + PAGE).encode()
    [rec] = parse_records(data, "page.xhtml.html")
    assert rec.row is not None and rec.row["text"].startswith("The mayor said on Tuesday")


def test_links_out_of_the_raw_folder_pipes_and_bad_names_are_rejected(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ok.txt").write_text(ARTICLE)
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret\n\nNot to be read, the owner said.\n")
    (raw / "link.txt").symlink_to(outside)
    os.mkfifo(raw / "pipe.txt")
    (raw / os.fsdecode(b"bad\xff.txt")).write_text(ARTICLE.replace("March", "April"))
    t = tables(raw)
    reasons = dict(t["rejected"].select("source_path", "reason").iter_rows())
    assert reasons == {"bad\\xff.txt": "unreadable", "link.txt": "unreadable", "pipe.txt": "unreadable"}
    assert t["documents"]["source_path"].to_list() == ["ok.txt"]


def test_symlink_loop_and_self_link_are_unreadable_rows_not_a_crash(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ok.txt").write_text(ARTICLE)
    (raw / "a.txt").symlink_to("b.txt")
    (raw / "b.txt").symlink_to("a.txt")
    (raw / "self.txt").symlink_to("self.txt")
    t = tables(raw)
    rejected = t["rejected"].select("source_path", "reason", "message").rows()
    assert {(path, reason) for path, reason, _ in rejected} == {
        ("a.txt", "unreadable"),
        ("b.txt", "unreadable"),
        ("self.txt", "unreadable"),
    }
    assert all("loop" in message for _, _, message in rejected)
    assert t["documents"]["source_path"].to_list() == ["ok.txt"]


def test_every_entry_but_folders_is_listed_and_linked_folders_are_not_followed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "a" / "b").mkdir(parents=True)
    (raw / "empty").mkdir()
    (raw / "SOURCES.csv").write_text("path,url,licence\n")
    for name in ("z.txt", ".hidden.txt", "a/SOURCES.csv", "a/b/deep.jsonl", "a/m.html"):
        (raw / name).write_text(ARTICLE)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.txt").write_text(ARTICLE)
    (raw / "a" / "to-folder").symlink_to(outside, target_is_directory=True)
    (raw / "to-file.txt").symlink_to(raw / "z.txt")
    os.mkfifo(raw / "a" / "pipe.txt")
    assert list_raw_files(raw) == [
        ".hidden.txt",
        "a/SOURCES.csv",  # only the root's SOURCES.csv describes the inputs; this one is an input
        "a/b/deep.jsonl",
        "a/m.html",
        "a/pipe.txt",
        "a/to-folder",  # rejected as unreadable by read_raw, not walked into
        "to-file.txt",
        "z.txt",
    ]


def test_read_raw_rejects_files_reached_through_a_folder_link_out(tmp_path: Path) -> None:
    """The folder of a plain file is resolved too: a file under a linked folder leading outside is not read,
    a link to a file inside is."""
    raw = tmp_path / "raw"
    (raw / "a").mkdir(parents=True)
    (raw / "a" / "in.txt").write_text(ARTICLE)
    (raw / "to-in.txt").symlink_to(raw / "a" / "in.txt")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.txt").write_text(ARTICLE)
    (raw / "out").symlink_to(outside, target_is_directory=True)
    (raw / "inner").symlink_to(raw / "a", target_is_directory=True)
    files = ["a/in.txt", "inner", "inner/in.txt", "missing.txt", "out", "out/x.txt", "to-in.txt"]
    found, rejected = read_raw(raw, files=files)
    assert found["source_path"].to_list() == files  # every input has its row
    reasons = dict(rejected.select("source_path", "message").iter_rows())
    assert set(reasons) == {"inner", "missing.txt", "out", "out/x.txt"}
    assert "outside the raw folder" in reasons["out"] and "outside the raw folder" in reasons["out/x.txt"]
    assert "not a regular file" in reasons["inner"]
    assert "No such file" in reasons["missing.txt"]
    read = found.filter(pl.col("content").is_not_null())["source_path"].to_list()
    assert read == ["a/in.txt", "inner/in.txt", "to-in.txt"]


def test_validation_reports_duplicate_sentences_instead_of_raising(built_release: Path) -> None:
    sentences = newsds.load(root=built_release).sentences
    report = validate_table("sentences", pl.concat([sentences.head(2), sentences.head(1)]))
    assert not report["valid"]
    assert {c["check"] for c in report["by_check"]} >= {"multiple_fields_uniqueness", "field_uniqueness"}


def test_a_damaged_manifest_is_a_clean_error(
    built_release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "processed"
    (root / "9.0.0").mkdir(parents=True)
    (root / "9.0.0" / "manifest.json").write_text(json.dumps({"version": "9.0.0"}))
    assert main(["verify", "--root", str(root)]) == 1
    assert "lacks files, counts, inputs" in capsys.readouterr().err
    assert main(["list", "--root", str(root)]) == 0
    assert "9.0.0\tdamaged" in capsys.readouterr().out


def test_a_version_folder_without_a_manifest_is_named(raw_copy: Path, tmp_path: Path) -> None:
    (tmp_path / "out" / "1.2.0").mkdir(parents=True)
    with pytest.raises(newsds.ReleaseExistsError, match="is not a release"):
        newsds.build(raw_copy, tmp_path / "out", "1.2.0")


def test_cli_turns_os_errors_and_bad_limits_into_messages(
    raw_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afile").write_text("x")
    assert main(["build", "--raw", str(raw_copy), "--out", str(tmp_path / "afile" / "x"), "--quiet"]) == 1
    assert "error:" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["build", "--max-bytes", "-5"])
    assert "positive number of bytes" in capsys.readouterr().err


def test_pre_releases_order_by_semver_precedence() -> None:
    versions = ["1.0.0", "1.0.0-rc.10", "1.0.0-rc.2", "1.0.0-alpha", "0.9.0"]
    assert sorted(versions, key=version_key) == ["0.9.0", "1.0.0-alpha", "1.0.0-rc.2", "1.0.0-rc.10", "1.0.0"]


def test_removing_a_control_character_keeps_the_text_nfc() -> None:
    assert unicodedata.is_normalized("NFC", normalize("e\x01\u0301"))
    assert normalize("e\x01\u0301") == "é"
