"""Document IDs come from each record's own identity (its id field, else its URL, else its content) and
its file's path: appending, inserting or removing other records, or changing other files, never changes
them; renaming the file does."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsds.ids import document_id, record_identity, sha256_hex
from newsds.ingest.parse import Record, documents_table, duplicate_row, parse_records
from newsds.schemas import frame

LOWER = "abcdefghijklmnopqrstuvwxyz"
WORD = st.text(LOWER, min_size=2, max_size=9)
ARTICLE = "Bridge to reopen\n\nThe mayor said on Tuesday that the bridge would reopen in March.\n"


@st.composite
def records(draw: st.DrawFn, n: int) -> list[dict[str, Any]]:
    """n records with distinct texts, ids and URLs; each has an id, a URL, both or neither."""
    texts = draw(
        st.lists(
            st.lists(WORD, min_size=3, max_size=12).map(lambda w: " ".join(w).capitalize() + ", she said."),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    out = []
    for k, text in enumerate(texts):
        record: dict[str, Any] = {"title": draw(WORD).title(), "text": text}
        if draw(st.booleans()):
            record["id"] = draw(st.sampled_from([f"r-{k}", k, f"{draw(WORD)}-{k}"]))
        if draw(st.booleans()):
            record["url"] = f"https://news.example.com/{draw(WORD)}/{k}"
        out.append(record)
    return out


def encode(items: list[dict[str, Any]], fmt: str) -> bytes:
    if fmt == "jsonl":
        return "".join(json.dumps(r) + "\n" for r in items).encode()
    return json.dumps(items, indent=1).encode()


def rows(items: list[dict[str, Any]], path: str) -> list[dict[str, Any] | None]:
    """The document row of each record, in file order (None for one that did not become a document)."""
    out: list[dict[str, Any] | None] = []
    for rec in parse_records(encode(items, path.rsplit(".", 1)[1]), path):
        assert rec.error is None or rec.error.reason == "no_body", rec.error
        out.append(rec.row)
    return out


def doc_ids(items: list[dict[str, Any]], path: str) -> list[str | None]:
    """The doc_id of each record, in file order (None for one that did not become a document)."""
    return [None if row is None else row["doc_id"] for row in rows(items, path)]


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    n=st.integers(1, 8),
    path=st.sampled_from(["crawl.jsonl", "crawl.json", "feeds/2024/crawl.jsonl"]),
)
def test_other_records_appended_inserted_or_removed_keep_every_doc_id(
    data: st.DataObject, n: int, path: str
) -> None:
    """Every record that survives an edit of its file keeps its doc_id, wherever it now is, and its whole
    row but its position (`record`): the file's growth shows in no other document."""
    pool = data.draw(records(n + 6))
    old = pool[:n]
    old_rows = rows(old, path)
    before = dict(zip(map(id, old), doc_ids(old, path), strict=True))
    assert len({d for d in before.values() if d}) == sum(d is not None for d in before.values())
    unplaced = {
        id(r): None if row is None else {**row, "record": None} for r, row in zip(old, old_rows, strict=True)
    }
    edited = [r for r in old if not data.draw(st.booleans(), label="remove")] if n > 1 else list(old)
    for extra in pool[n:]:
        if data.draw(st.booleans(), label="add"):
            at = data.draw(st.integers(0, len(edited)), label="at")  # len(edited): appended
            edited.insert(at, extra)
    after = doc_ids(edited, path)
    for record, doc_id, row in zip(edited, after, rows(edited, path), strict=True):
        if id(record) in before:
            assert doc_id == before[id(record)]
            assert (None if row is None else {**row, "record": None}) == unplaced[id(record)]
    assert len(set(after)) == len(after)  # distinct records, distinct IDs


@given(st.data())
def test_the_same_records_under_another_path_get_other_ids(data: st.DataObject) -> None:
    """The path is part of a doc_id: moving or renaming a file changes its documents' IDs (documented
    in ids.document_id), and the same record id in two files names two documents."""
    items = data.draw(records(3))
    here, there = doc_ids(items, "crawl.jsonl"), doc_ids(items, "archive/crawl.jsonl")
    assert all(a != b for a, b in zip(here, there, strict=True))


def test_the_identity_is_the_id_else_the_url_else_the_content() -> None:
    items = [
        {"text": "One, she said.", "id": "a1", "url": "https://x.test/1"},
        {"text": "Two, she said.", "url": "https://x.test/2"},
        {"text": "Three, she said."},
    ]
    content = json.dumps(items[2], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert doc_ids(items, "f.jsonl") == [
        document_id("f.jsonl", "id:a1"),
        document_id("f.jsonl", "url:https://x.test/2"),
        document_id("f.jsonl", record_identity("sha256", sha256_hex(content.encode()))),
    ]
    [txt] = parse_records(ARTICLE.encode(), "notes/a.txt")
    assert txt.row is not None
    assert txt.row["doc_id"] == document_id("notes/a.txt", "sha256:" + sha256_hex(ARTICLE.encode()))
    assert txt.row["doc_id"] == document_id(
        "notes/a.txt", record_identity("sha256", txt.row["source_sha256"])
    )


def test_record_keeps_the_position() -> None:
    items = [{"text": "One, she said.", "id": 1}, {"text": "Two, she said.", "id": 2}]
    first = [r.row["record"] for r in parse_records(encode(items, "jsonl"), "f.jsonl") if r.row]
    moved = [r.row["record"] for r in parse_records(encode(items[::-1], "jsonl"), "f.jsonl") if r.row]
    assert first == moved == [0, 1]


@pytest.mark.parametrize("bad", ["", "x", "name:value", "id:", 7])
def test_document_id_refuses_what_is_no_identity(bad: Any) -> None:
    with pytest.raises((ValueError, TypeError)):
        document_id("a.txt", bad)
    with pytest.raises(ValueError):
        record_identity("name", "value")


# --- whole builds: files as the documents table sees them ----------------------------------------------


def raw_frame(files: dict[str, bytes]) -> pl.DataFrame:
    return frame(
        "raw",
        [
            {
                "source_path": path,
                "source_sha256": sha256_hex(data),
                "size": len(data),
                "content": data,
                "url": None,
                "licence": None,
                "records": None,
            }
            for path, data in sorted(files.items())
        ],
    )


def ids_by_path(files: dict[str, bytes]) -> dict[str, list[str]]:
    docs, _, _ = documents_table(raw_frame(files))
    out: dict[str, list[str]] = {}
    for path, doc_id in docs.select("source_path", "doc_id").iter_rows():
        out.setdefault(path, []).append(doc_id)
    return out


@settings(max_examples=20, deadline=None)
@given(
    others=st.dictionaries(
        st.sampled_from(["b.txt", "c.jsonl", "d/e.txt", "z.txt"]),
        st.lists(WORD, min_size=3, max_size=10).map(lambda w: (" ".join(w).capitalize() + ".\n").encode()),
        max_size=4,
    )
)
def test_a_text_files_doc_id_does_not_depend_on_other_files(others: dict[str, bytes]) -> None:
    alone = ids_by_path({"a.txt": ARTICLE.encode()})["a.txt"]
    assert ids_by_path({"a.txt": ARTICLE.encode(), **others})["a.txt"] == alone


def test_a_repeated_record_id_with_other_text_is_a_duplicate() -> None:
    items = [
        {"id": "story-1", "text": "The mayor said the bridge would reopen."},
        {"id": "story-2", "text": "The council said the road would close."},
        {"id": "story-1", "text": "The mayor said the bridge would reopen in May."},  # an update
        {"id": "story-2", "text": "The council said the road would close."},  # repeated as it was
    ]
    docs, rejected, raw = documents_table(raw_frame({"feed.jsonl": encode(items, "jsonl")}))
    assert docs["record"].to_list() == [0, 1] and raw["records"].to_list() == [4]
    kept = dict(zip(docs["record"], docs["doc_id"], strict=True))
    rows = {r["record"]: r for r in rejected.iter_rows(named=True)}
    assert {k: (r["reason"], r["duplicate_of"]) for k, r in rows.items()} == {
        2: ("duplicate", kept[0]),
        3: ("duplicate", kept[1]),
    }
    assert f"same record id/url as document {kept[0]}" in rows[2]["message"]
    assert f"same text as document {kept[1]}" in rows[3]["message"]


def test_duplicate_row_messages() -> None:
    doc = {
        "doc_id": "a" * 16,
        "source_path": "f.jsonl",
        "source_sha256": "0" * 64,
        "record": 3,
        "format": "jsonl",
    }
    by_text = duplicate_row(doc, "b" * 16)
    assert by_text["message"].startswith("same text as document bbbbbbbbbbbbbbbb")
    by_id = duplicate_row(doc, "a" * 16, same_text=False)
    assert by_id["message"].startswith("same record id/url as document aaaaaaaaaaaaaaaa")
    unknown = duplicate_row(doc, "a" * 16)  # the caller cannot tell (a streaming build's index)
    assert "same record identity" in unknown["message"]
    assert (by_id["record"], by_id["reason"], by_id["duplicate_of"]) == (3, "duplicate", "a" * 16)


def test_parse_records_gives_records_with_their_position() -> None:
    records = parse_records(b'{"text": "One, she said."}\n{bad\n', "f.jsonl")
    assert [(r.record, r.error is None) for r in records] == [(0, True), (1, False)]
    assert all(isinstance(r, Record) for r in records)
