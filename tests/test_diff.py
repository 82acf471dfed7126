"""Row-level release diffs: matching by key, changed columns, schema changes, summaries."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsds.claims import RULESET_VERSION
from newsds.errors import NewsdsError, ReleaseError
from newsds.release import diff, load
from newsds.release.changes import KEYS, ReleaseDiff, TableDiff, diff_tables
from newsds.schemas import SCHEMAS, RejectedSchema, frame, rejected_row
from tests.strategies import Article, articles, claims_of

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "data" / "processed"
BOILERPLATE = pl.List(pl.Struct({"kind": pl.Utf8, "text": pl.Utf8}))


def docs(**columns: list[object]) -> pl.DataFrame:
    """A small documents-like frame keyed by doc_id, with a list-of-struct column by default."""
    base: dict[str, list[object]] = {
        "doc_id": ["a", "b", "c"],
        "title": ["A", None, "C"],
        "tags": [["x"], [], None],
        "boilerplate": [[{"kind": "nav", "text": "Home"}], [], [{"kind": None, "text": "x"}]],
    }
    base.update(columns)
    schema: dict[str, pl.DataType] = {
        "doc_id": pl.Utf8(),
        "title": pl.Utf8(),
        "tags": pl.List(pl.Utf8),
        "boilerplate": BOILERPLATE,
    }
    return pl.DataFrame(base, schema={c: schema.get(c, pl.Int64()) for c in base})


def one(old: pl.DataFrame | None, new: pl.DataFrame | None, table: str = "documents") -> TableDiff:
    result = diff_tables(
        {} if old is None else {table: old},
        {} if new is None else {table: new},
        old_version="1.0.0",
        new_version="1.1.0",
    )
    return result.tables[table]


def keys(frame: pl.DataFrame) -> list[object]:
    return frame.to_series(0).to_list()


def test_keys_cover_every_table() -> None:
    assert KEYS == {
        "documents": ("doc_id",),
        "sentences": ("sent_id",),
        "claims": ("claim_id",),
        "rejected": ("source_path", "record"),
        "annotated_documents": ("doc_id", "annotator"),
        "claim_annotations": ("annotation_id",),
        "annotation_rejected": ("source_file", "level", "source_ref", "reason", "message"),
    }
    for name, key in KEYS.items():
        assert set(key) <= set(SCHEMAS[name].to_schema().columns)
    assert set(KEYS["rejected"]) <= set(RejectedSchema.to_schema().columns)


def test_identical_tables_give_an_empty_diff() -> None:
    tables = {"documents": docs(), "rejected": frame("rejected", [])}
    result = diff_tables(tables, tables, old_version="1.0.0", new_version="1.0.0")
    assert result.is_empty
    assert result.tables["documents"].counts() == {
        "added": 0,
        "removed": 0,
        "changed": 0,
        "annotator_only": 0,
        "unchanged": 3,
    }
    assert "none" in result.format().splitlines()[0]


def test_row_order_does_not_matter() -> None:
    assert one(docs(), docs().reverse()).is_empty


def test_added_removed_and_changed_rows() -> None:
    old = docs()
    new = docs(
        doc_id=["b", "c", "d"],
        title=["B", "C", "D"],  # b: null -> value
        tags=[[], ["y"], None],  # c: null -> list
        boilerplate=[[], [{"kind": "ad", "text": "x"}], []],  # c: a struct field inside the list
    )
    t = one(old, new)
    assert keys(t.added) == ["d"]
    assert keys(t.removed) == ["a"]
    assert t.changed.rows() == [("b", ["title"]), ("c", ["boilerplate", "tags"])]
    assert t.unchanged == 0
    assert t.column_changes == {"boilerplate": 1, "tags": 1, "title": 1}
    assert not t.is_empty


def test_nulls_equal_nulls_but_not_empty_values() -> None:
    t = one(docs(title=[None, None, ""]), docs(title=[None, None, None], tags=[["x"], [], []]))
    assert t.changed.rows() == [("c", ["tags", "title"])]  # "" vs null and null vs [] both differ
    assert t.unchanged == 2


def test_rejected_rows_match_on_path_and_null_record() -> None:
    file_level = rejected_row("a.txt", None, "read", "empty", "no bytes")
    old = frame(
        "rejected", [file_level, rejected_row("b.jsonl", None, "parse", "malformed_json", "x", record=2)]
    )
    new = frame(
        "rejected",
        [
            {**file_level, "reason": "binary", "message": "NUL bytes"},
            rejected_row("b.jsonl", None, "parse", "malformed_json", "x", record=3),
        ],
    )
    t = one(old, new, "rejected")
    assert t.changed.rows() == [("a.txt", None, ["message", "reason"])]
    assert t.added.rows() == [("b.jsonl", 3)]
    assert t.removed.rows() == [("b.jsonl", 2)]
    assert (
        "source_path=b.jsonl, record=3"
        in diff_tables(
            {"rejected": old}, {"rejected": new}, old_version="1.0.0", new_version="1.1.0"
        ).format()
    )


def test_schema_change_compares_common_columns() -> None:
    old = docs().with_columns(pl.lit(1).alias("gone"))
    new = docs(title=["A", "B", "C"]).with_columns(pl.lit("x").alias("fresh"), pl.lit("y").alias("also"))
    t = one(old, new)
    assert t.columns_added == ("also", "fresh")
    assert t.columns_removed == ("gone",)
    assert t.changed.rows() == [("b", ["title"])]
    assert t.unchanged == 2
    assert not t.is_empty and not one(docs(), docs().drop("tags")).is_empty


def test_dtype_change_casts_when_possible_else_marks_every_row() -> None:
    old = docs().with_columns(n=pl.Series([1, 2, 3], dtype=pl.Int32), s=pl.Series([1, 2, 3]))
    new = docs().with_columns(n=pl.Series([1, 2, 4], dtype=pl.Int64), s=pl.Series([[1], [2], [3]]))
    t = one(old, new)
    assert t.dtypes_changed == {"n": ("Int32", "Int64"), "s": ("Int64", "List(Int64)")}
    assert t.column_changes == {"n": 1, "s": 3}


def test_missing_table_counts_all_rows_as_added_or_removed() -> None:
    first = diff_tables({}, {"documents": docs()}, old_version=None, new_version="0.1.0")
    t = first.tables["documents"]
    assert (t.old_rows, t.new_rows, keys(t.added)) == (None, 3, ["a", "b", "c"])
    assert t.columns_added == () and not first.is_empty
    assert "first release" in first.to_markdown()
    gone = one(docs(), None)
    assert keys(gone.removed) == ["a", "b", "c"] and gone.new_rows is None


def test_errors_are_actionable() -> None:
    dup = pl.concat([docs(), docs().head(1)])
    with pytest.raises(ReleaseError, match="duplicate keys"):
        one(dup, docs())
    with pytest.raises(ReleaseError, match="lacks its key"):
        one(docs().drop("doc_id"), docs())
    with pytest.raises(ReleaseError, match="no key known"):
        diff_tables({}, {"extra": docs()}, old_version=None, new_version="0.1.0")
    with pytest.raises(NewsdsError, match=r"available: 0\.1\.0"):
        diff("0.1.0", "9.9.9", root=PROCESSED, verify=False)


def test_summary_is_json_and_deterministic() -> None:
    def build() -> ReleaseDiff:
        old = {
            "documents": docs(),
            "rejected": frame("rejected", [rejected_row("a", None, "read", "empty", "m")]),
        }
        many = pl.DataFrame({"doc_id": [f"d{i:03}" for i in range(50, 0, -1)]})
        new = {"documents": pl.concat([docs(title=["A", "B", "C"]), many], how="diagonal")}
        return diff_tables(old, new, old_version="1.0.0", new_version="1.1.0")

    first, second = build().summary(), build().summary()
    text = json.dumps(first, sort_keys=True)
    assert text == json.dumps(second, sort_keys=True) and json.loads(text) == first
    t = first["tables"]["documents"]
    assert t["added"] == 50 and t["sample"]["added"] == [f"d{i:03}" for i in range(1, 21)]
    assert t["changed_columns"] == {"title": 1}
    assert t["sample"]["changed"] == [{"key": "b", "columns": ["title"]}]
    assert first["tables"]["rejected"]["sample"]["removed"] == [["a", None]]
    assert str(PROCESSED) not in text
    assert list(first["tables"]) == ["documents", "rejected"]


def test_format_and_markdown() -> None:
    result = diff_tables(
        {"documents": docs()},
        {"documents": docs(title=list("ABC"))},
        old_version="1.0.0",
        new_version="1.1.0",
    )
    text = result.format(limit=1)
    assert text.startswith("Changes 1.0.0 -> 1.1.0")
    assert "changed columns: title (1)" in text and "  b: title" in text
    md = result.to_markdown()
    assert md.startswith("## Changes since 1.0.0") and "| documents | 3 | 3 | 0 | 0 | 1 | 2 |" in md


def test_rows_that_differ_only_in_their_annotator_are_not_changed() -> None:
    """A new model that finds the same claims moves only the annotator string: those rows are counted
    as "annotator only", apart from the changed ones, and every report says so."""
    old = claims_of('Smith said it rained. "We won," Jones said. Lee denied the report.')
    assert old.height == 3
    new = old.with_columns(
        annotator=pl.lit("newsds-model/9.9.9"),
        stance=pl.when(pl.col("cue") == "denied").then(pl.lit("doubt")).otherwise("stance"),
    )
    result = diff_tables({"claims": old}, {"claims": new}, old_version="1.0.0", new_version="1.1.0")
    t = result.tables["claims"]
    assert t.counts() == {"added": 0, "removed": 0, "changed": 1, "annotator_only": 2, "unchanged": 0}
    assert t.changed["columns"].to_list() == [["annotator", "stance"]]
    assert t.column_changes == {"annotator": 1, "stance": 1} and not t.is_empty
    summary = result.summary()["tables"]["claims"]
    assert (summary["changed"], summary["annotator_only"]) == (1, 2)
    text = result.format()
    assert "annotator only: 2" in text and "annotator only" in text.splitlines()[2]
    md = result.to_markdown()
    assert "| claims | 3 | 3 | 0 | 0 | 1 | 2 | 0 |" in md and "| annotator only |" in md
    same = diff_tables({"claims": old}, {"claims": old}, old_version="1.0.0", new_version="1.1.0")
    assert same.is_empty and "annotator only" not in same.format() + same.to_markdown()


@settings(max_examples=30, deadline=None)
@given(
    article=articles(),
    annotator=st.text(min_size=1, max_size=24) | st.just(RULESET_VERSION),
    data=st.data(),
)
def test_property_a_new_annotator_alone_changes_no_claim(
    article: Article, annotator: str, data: st.DataObject
) -> None:
    """Two claims tables equal but for the annotator (rows in any order): no claim is changed, every
    one is annotator only; rows whose stance also moved, and only they, are changed."""
    old = claims_of(article.text)
    order = data.draw(st.permutations(range(old.height)), label="row order")
    moved = data.draw(st.sets(st.sampled_from(old["claim_id"].to_list())) if old.height else st.just(set()))
    other = pl.when(pl.col("stance") == "assert").then(pl.lit("deny")).otherwise(pl.lit("assert"))
    new = old.with_columns(
        annotator=pl.lit(annotator),
        stance=pl.when(pl.col("claim_id").is_in(list(moved))).then(other).otherwise("stance"),
    )[list(order)]
    t = one(old, new, "claims")
    same = set(old["annotator"]) <= {annotator}  # an empty table: vacuously the same
    assert t.added.height == t.removed.height == 0
    assert set(keys(t.changed)) == moved
    assert t.annotator_only == (0 if same else old.height - len(moved))
    assert t.unchanged == (old.height - len(moved) if same else 0)
    assert t.is_empty == (same and not moved)
    if not moved:
        assert t.counts()["changed"] == 0 and t.column_changes is None


ROW = st.tuples(
    st.one_of(st.none(), st.integers(-2, 2)),
    st.one_of(st.none(), st.lists(st.sampled_from("ab"), max_size=2)),
)
SIDE = st.dictionaries(st.integers(0, 12), ROW, max_size=10)


Row = tuple[int | None, list[str] | None]


def _frame(rows: dict[int, Row]) -> pl.DataFrame:
    data = {
        "doc_id": [str(k) for k in rows],
        "n": [r[0] for r in rows.values()],
        "l": [r[1] for r in rows.values()],
    }
    return pl.DataFrame(data, schema={"doc_id": pl.Utf8, "n": pl.Int64, "l": pl.List(pl.Utf8)})


@given(SIDE, SIDE)
def test_property_counts_and_key_sets_reconstruct(old: dict[int, Row], new: dict[int, Row]) -> None:
    t = one(_frame(old), _frame(new))
    added, removed, changed = set(keys(t.added)), set(keys(t.removed)), set(keys(t.changed))
    assert t.added.height + t.unchanged + t.changed.height == len(new) and t.annotator_only == 0
    assert t.removed.height + t.unchanged + t.changed.height == len(old)
    old_keys, new_keys = {str(k) for k in old}, {str(k) for k in new}
    assert (old_keys - removed) | added == new_keys and (new_keys - added) | removed == old_keys
    expected = {
        str(k): [c for c, i in (("l", 1), ("n", 0)) if old[k][i] != new[k][i]]
        for k in old.keys() & new.keys()
    }
    assert dict(zip(keys(t.changed), t.changed["columns"].to_list(), strict=True)) == {
        k: v for k, v in expected.items() if v
    }
    assert changed <= old_keys & new_keys and t.is_empty == (old == new)


def test_committed_releases_0_2_0_to_0_3_0() -> None:
    result = diff("0.2.0", "0.3.0", root=PROCESSED)
    assert (result.old_version, result.new_version) == ("0.2.0", "0.3.0")
    assert not result.is_empty and list(result.tables) == ["documents", "sentences", "claims", "rejected"]
    old, new = load("0.2.0", PROCESSED, verify=False), load("0.3.0", PROCESSED, verify=False)
    for name, t in result.tables.items():
        o, n = old.tables()[name].height, new.tables()[name].height
        assert (t.old_rows, t.new_rows) == (o, n)
        assert t.added.height + t.unchanged + t.changed.height + t.annotator_only == n
        assert t.removed.height + t.unchanged + t.changed.height + t.annotator_only == o
    claims = result.tables["claims"]
    assert set(claims.columns_added) == {"claimant_resolved", "claimant_group"}
    assert claims.added.height + claims.changed.height > 0
    assert json.loads(json.dumps(result.summary())) == diff(old, new).summary()
    assert "claims" in result.format() and "## Changes since 0.2.0" in result.to_markdown()
