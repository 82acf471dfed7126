"""The streaming diff against a plain in-memory reference: same rows, columns and reports, whether the
tables are DataFrames or Parquet scans, compared whole or in spilled buckets, with key frames kept whole
or cut to the first KEPT keys. Spill folders go to tmp_path (tempfile's folder is patched)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest.mock import patch

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsds.errors import ReleaseError
from newsds.release import changes
from newsds.release.changes import KEYS, PROVENANCE, TableDiff, diff_tables

BOILERPLATE = pl.List(pl.Struct({"kind": pl.Utf8, "text": pl.Utf8}))
# Candidate non-key columns: (name, dtype, values to draw from); nulls, "" and [] included on purpose.
COLUMNS: dict[str, tuple[pl.DataType, list[Any]]] = {
    "title": (pl.Utf8(), [None, "", "A", "B", "a\0b"]),
    "n": (pl.Int64(), [None, 0, 1, -2]),
    "f": (pl.Float64(), [None, 0.0, -0.0, 1.5, float("nan")]),
    "flag": (pl.Boolean(), [None, True, False]),
    "day": (pl.Date(), [None, dt.date(2024, 1, 1), dt.date(2024, 1, 2)]),
    "tags": (pl.List(pl.Utf8), [None, [], [None], ["x"], ["x", "y"], ["xy"]]),
    "boilerplate": (
        BOILERPLATE,
        [
            None,
            [],
            [None],
            [{"kind": None, "text": "x"}],
            [{"kind": "", "text": "x"}],
            [{"kind": "nav", "text": None}],
        ],
    ),
    "annotator": (pl.Utf8(), ["rules/1", "model/1", "model/2"]),
}
# Dtype changes old -> new: castable (Int32 -> Int64), data-dependent (text that may not be a number)
# and impossible (a number to a list): the last two mark the column changed on every matched row.
RETYPED: dict[str, tuple[pl.DataType, pl.DataType, list[Any]]] = {
    "n32": (pl.Int32(), pl.Int64(), [None, 1, 2]),
    "digits": (pl.Utf8(), pl.Int64(), [None, "1", "2"]),
    "text_or_digits": (pl.Utf8(), pl.Int64(), [None, "1", "x"]),
    "scalar_to_list": (pl.Int64(), pl.List(pl.Int64), [None, 1]),
}
TABLES = ("documents", "rejected", "claims")  # a string key, a key with null parts, provenance


@contextmanager
def spill_to(folder: Path, bucket_bytes: int | None = None, kept: int | None = None) -> Iterator[None]:
    """Spill folders under `folder`; optionally tiny buckets (every table spilled, in up to 8 buckets,
    read one row per slice) or a small KEPT."""
    tiny = bucket_bytes is not None
    with (
        patch.object(tempfile, "tempdir", str(folder)),
        patch.object(changes, "BUCKET_BYTES", bucket_bytes or changes.BUCKET_BYTES),
        patch.object(changes, "MAX_BUCKETS", 8 if tiny else changes.MAX_BUCKETS),
        patch.object(changes, "SLICE_BYTES", 1 if tiny else changes.SLICE_BYTES),
        patch.object(changes, "KEPT", kept or changes.KEPT),
    ):
        yield


def key_values(table: str) -> st.SearchStrategy[tuple[Any, ...]]:
    if table == "rejected":  # (source_path, record): a file-level rejection has a null record
        return st.tuples(st.sampled_from(["a.txt", "b.jsonl", ""]), st.none() | st.integers(0, 3))
    return st.tuples(st.text("abc\0", max_size=3))


def key_schema(table: str) -> dict[str, pl.DataType]:
    if table == "rejected":
        return {"source_path": pl.Utf8(), "record": pl.Int64()}
    return {KEYS[table][0]: pl.Utf8()}


@st.composite
def table_pair(draw: st.DrawFn) -> tuple[str, pl.DataFrame, pl.DataFrame]:
    """Two versions of one table: random keys, then edits, adds and removes, columns added and
    removed, dtype changes; the new side's rows in any order."""
    table = draw(st.sampled_from(TABLES))
    names = sorted(COLUMNS)
    old_columns = draw(st.lists(st.sampled_from(names), unique=True, max_size=5))
    new_columns = [c for c in old_columns if draw(st.booleans()) or c == "annotator"]
    new_columns += draw(st.lists(st.sampled_from([c for c in names if c not in old_columns]), unique=True))
    retyped = draw(st.lists(st.sampled_from(sorted(RETYPED)), unique=True, max_size=2))
    if table == "claims" and draw(st.booleans()):
        old_columns, new_columns = [*old_columns, "annotator"], [*new_columns, "annotator"]
        old_columns, new_columns = list(dict.fromkeys(old_columns)), list(dict.fromkeys(new_columns))

    def value(column: str) -> Any:
        pool = RETYPED[column][2] if column in RETYPED else COLUMNS[column][1]
        return draw(st.sampled_from(pool))

    keys = draw(st.lists(key_values(table), unique=True, max_size=12))
    old_rows = {k: {c: value(c) for c in [*old_columns, *retyped]} for k in keys}
    new_rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for k, row in old_rows.items():
        fate = draw(st.sampled_from(["same", "same", "edit", "remove"]))
        if fate == "remove":
            continue
        edited = {c: (value(c) if fate == "edit" and draw(st.booleans()) else row[c]) for c in row}
        new_rows[k] = {c: edited[c] if c in edited else value(c) for c in [*new_columns, *retyped]}
    for k in draw(st.lists(key_values(table), unique=True, max_size=4)):
        if k not in old_rows:
            new_rows[k] = {c: value(c) for c in [*new_columns, *retyped]}
    order = draw(st.permutations(list(new_rows)))

    def frame(rows: dict[tuple[Any, ...], dict[str, Any]], columns: list[str], side: int) -> pl.DataFrame:
        schema = key_schema(table)
        schema |= {c: COLUMNS[c][0] for c in columns} | {c: RETYPED[c][side] for c in retyped}
        data: dict[str, list[Any]] = {c: [] for c in schema}
        for k, row in rows.items():
            for c, v in zip(key_schema(table), k, strict=True):
                data[c].append(v)
            for c in schema:
                if c not in key_schema(table):
                    data[c].append(_as(row.get(c), schema[c]))
        return pl.DataFrame(data, schema=schema)

    old = frame(old_rows, old_columns, 0)
    new = frame({k: new_rows[k] for k in order}, new_columns, 1)
    return table, old, new


def _as(v: Any, dtype: pl.DataType) -> Any:
    """A drawn value in the column's new dtype (text digits become numbers, numbers lists)."""
    if v is None:
        return None
    if dtype == pl.Int64() and isinstance(v, str):
        return int(v) if v.isdigit() else len(v)
    if isinstance(dtype, pl.List) and isinstance(v, int) and dtype.inner == pl.Int64():
        return [v]
    return v


def reference(table: str, old: pl.DataFrame, new: pl.DataFrame) -> dict[str, Any]:
    """The plain diff: whole frames, one full join on the key, every common column compared by value."""
    key = list(KEYS[table])
    common = [c for c in new.columns if c in old.columns and c not in key]
    retyped = {c: (str(old.schema[c]), str(new.schema[c])) for c in common if old.schema[c] != new.schema[c]}
    incomparable = set()
    for c in retyped:
        try:
            old = old.with_columns(pl.col(c).cast(new.schema[c]))
        except pl.exceptions.PolarsError:
            incomparable.add(c)
    left = old.rename({c: f"old:{c}" for c in common}).with_columns(pl.lit(1).alias("in_old"))
    right = new.rename({c: f"new:{c}" for c in common}).with_columns(pl.lit(1).alias("in_new"))
    joined = left.join(right, on=key, how="full", nulls_equal=True, coalesce=True)
    both = joined.filter(pl.col("in_old").is_not_null() & pl.col("in_new").is_not_null())
    moved = both.select(
        *key,
        *[
            (pl.lit(True) if c in incomparable else pl.col(f"old:{c}").ne_missing(pl.col(f"new:{c}"))).alias(
                c
            )
            for c in common
        ],
    )
    content = [c for c in common if c not in PROVENANCE]
    rows, only = [], 0
    for row in moved.iter_rows(named=True):
        columns = sorted(c for c in common if row[c])
        if any(row[c] for c in content):
            rows.append({**{k: row[k] for k in key}, "columns": columns})
        elif columns:
            only += 1
    schema = {k: new.schema[k] for k in key} | {"columns": pl.List(pl.Utf8)}
    changed = pl.DataFrame(rows, schema=schema).sort(key, nulls_last=True)

    def keys_of(frame: pl.DataFrame) -> list[tuple[Any, ...]]:
        return frame.select(key).sort(key, nulls_last=True).rows()

    sums = {c: sum(c in r["columns"] for r in rows) for c in common}
    return {
        "added": keys_of(joined.filter(pl.col("in_old").is_null())),
        "removed": keys_of(joined.filter(pl.col("in_new").is_null())),
        "changed": [(r[:-1], r[-1]) for r in changed.rows()],
        "annotator_only": only,
        "unchanged": both.height - len(rows) - only,
        "column_changes": {c: n for c, n in sums.items() if n} or None,
        "columns_added": tuple(sorted(set(new.columns) - set(old.columns))),
        "columns_removed": tuple(sorted(set(old.columns) - set(new.columns))),
        "dtypes_changed": retyped or None,
    }


def observed(t: TableDiff) -> dict[str, Any]:
    return {
        "added": t.added.rows(),
        "removed": t.removed.rows(),
        "changed": [(row[:-1], row[-1]) for row in t.changed.rows()],
        "annotator_only": t.annotator_only,
        "unchanged": t.unchanged,
        "column_changes": dict(t.column_changes) if t.column_changes else None,
        "columns_added": t.columns_added,
        "columns_removed": t.columns_removed,
        "dtypes_changed": dict(t.dtypes_changed) if t.dtypes_changed else None,
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=table_pair(), buckets=st.sampled_from([None, 1]), kept=st.sampled_from([None, 1, 3]))
def test_property_streaming_diff_equals_the_in_memory_reference(
    tmp_path_factory: pytest.TempPathFactory,
    pair: tuple[str, pl.DataFrame, pl.DataFrame],
    buckets: int | None,
    kept: int | None,
) -> None:
    """Whatever the rows and schemas, compared whole or in spilled buckets (bucket_bytes=1: one bucket
    per key or so), the streaming diff finds what a whole-frame join finds; with KEPT cut, the frames
    are the reference's first keys and the counts are still exact."""
    table, old, new = pair
    folder = tmp_path_factory.mktemp("spill")
    expected = reference(table, old, new)
    with spill_to(folder, bucket_bytes=buckets, kept=kept):
        result = diff_tables({table: old}, {table: new}, old_version="1.0.0", new_version="1.1.0")
    t = result.tables[table]
    got = observed(t)
    limit = kept or changes.KEPT
    for category in ("added", "removed", "changed"):
        assert t.counts()[category] == len(expected[category])
        expected[category] = expected[category][:limit]
    assert got == expected
    assert (t.old_rows, t.new_rows) == (old.height, new.height)
    assert not list(folder.iterdir())  # the spill is cleared away


def write(tables: dict[str, pl.DataFrame], folder: Path) -> dict[str, pl.LazyFrame]:
    folder.mkdir()
    for name, frame in tables.items():
        frame.write_parquet(folder / f"{name}.parquet")
    return {name: pl.scan_parquet(folder / f"{name}.parquet") for name in tables}


def releases() -> tuple[dict[str, pl.DataFrame], dict[str, pl.DataFrame]]:
    """Two small releases with every kind of difference, and more changed rows than SAMPLE."""
    ids = [f"d{i:03}" for i in range(60)]
    documents = pl.DataFrame(
        {
            "doc_id": ids,
            "title": [f"T{i}" for i in range(60)],
            "tags": [["x"] if i % 2 else None for i in range(60)],
            "boilerplate": [[{"kind": "nav", "text": str(i)}] for i in range(60)],
        },
        schema={"doc_id": pl.Utf8, "title": pl.Utf8, "tags": pl.List(pl.Utf8), "boilerplate": BOILERPLATE},
    )
    edited = documents.with_columns(
        title=pl.when(pl.int_range(pl.len()) % 3 == 0).then(pl.lit("new")).otherwise("title"),
        tags=pl.when(pl.int_range(pl.len()) % 7 == 0).then(pl.lit([], pl.List(pl.Utf8))).otherwise("tags"),
    )
    new_docs = pl.concat([edited.slice(5), documents.head(0)]).with_columns(pl.lit(1).alias("fresh"))
    extra = pl.DataFrame({"doc_id": ["z1", "z2"], "title": ["Z", None]})
    new_docs = pl.concat([new_docs, extra], how="diagonal").sample(fraction=1.0, shuffle=True, seed=3)
    rejected = pl.DataFrame(
        {"source_path": ["a", "a", "b"], "record": [None, 1, None], "reason": ["x", "y", "z"]},
        schema={"source_path": pl.Utf8, "record": pl.Int64, "reason": pl.Utf8},
    )
    new_rejected = rejected.with_columns(reason=pl.lit("x"))
    return {"documents": documents, "rejected": rejected}, {"documents": new_docs, "rejected": new_rejected}


@pytest.mark.parametrize("bucket_bytes", [None, 1])
def test_parquet_scans_give_the_same_diff_as_dataframes(tmp_path: Path, bucket_bytes: int | None) -> None:
    old, new = releases()
    scans = write(old, tmp_path / "old"), write(new, tmp_path / "new")
    with spill_to(tmp_path, bucket_bytes=bucket_bytes):
        eager = diff_tables(old, new, old_version="1.0.0", new_version="1.1.0")
        lazy = diff_tables(*scans, old_version="1.0.0", new_version="1.1.0")
    assert eager.summary() == lazy.summary()
    assert eager.format(limit=100) == lazy.format(limit=100) and eager.to_markdown() == lazy.to_markdown()
    for name, t in eager.tables.items():
        for frame in ("added", "removed", "changed"):
            assert getattr(t, frame).equals(getattr(lazy.tables[name], frame))
    docs = eager.tables["documents"]
    assert docs.counts() == {"added": 2, "removed": 5, "changed": 24, "annotator_only": 0, "unchanged": 31}
    assert docs.columns_added == ("fresh",) and lazy.tables["rejected"].counts()["changed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "old"]  # no spill left behind


def test_spilled_and_whole_comparisons_give_identical_reports(tmp_path: Path) -> None:
    old, new = releases()
    whole = diff_tables(old, new, old_version="1.0.0", new_version="1.1.0")
    with spill_to(tmp_path, bucket_bytes=1):
        assert changes._buckets(60, changes._Plan(("doc_id",), ["title"], set(), pl.Schema())) > 1
        spilled = diff_tables(old, new, old_version="1.0.0", new_version="1.1.0")
    assert spilled.summary() == whole.summary() and spilled.format() == whole.format()


def test_only_the_first_keys_are_kept_and_the_counts_stay_exact(tmp_path: Path) -> None:
    """A category larger than KEPT keeps its first KEPT keys; summary() (SAMPLE keys) is unchanged,
    and format() says how many keys it shows."""
    old, new = releases()
    full = diff_tables(old, new, old_version="1.0.0", new_version="1.1.0")
    with spill_to(tmp_path, bucket_bytes=1, kept=changes.SAMPLE):
        cut = diff_tables(old, new, old_version="1.0.0", new_version="1.1.0")
    t, whole = cut.tables["documents"], full.tables["documents"]
    assert t.changed.height == changes.SAMPLE and t.changed_rows == whole.changed.height == 24
    assert t.changed.equals(whole.changed.head(changes.SAMPLE)) and t.counts() == whole.counts()
    assert cut.summary() == full.summary() and cut.to_markdown() == full.to_markdown()
    assert cut.format(limit=5) == full.format(limit=5)
    assert "changed (24, first 20):" in cut.format(limit=50) and "changed (24):" in full.format(limit=50)


def test_errors_are_found_in_buckets_too(tmp_path: Path) -> None:
    """Duplicate keys land in one bucket: found there, the old side's before the new side's."""
    old, new = releases()
    dup_old = pl.concat([old["documents"], old["documents"].tail(1)])
    dup_new = pl.concat([new["documents"], new["documents"].head(1)])
    with spill_to(tmp_path, bucket_bytes=1):
        with pytest.raises(ReleaseError, match="old table 'documents' has duplicate keys"):
            diff_tables({"documents": dup_old}, {"documents": dup_new}, old_version=None, new_version="1")
        with pytest.raises(ReleaseError, match="new table 'documents' has duplicate keys"):
            diff_tables(old, {"documents": dup_new}, old_version=None, new_version="1")
        retyped = old["documents"].with_columns(pl.concat_list("doc_id").alias("doc_id"))
        with pytest.raises(ReleaseError, match="key column 'doc_id' changed type"):
            diff_tables({"documents": retyped}, new, old_version=None, new_version="1")
    assert not list(tmp_path.iterdir())


def test_a_lazy_side_alone_is_all_added_or_removed(tmp_path: Path) -> None:
    old, _ = releases()
    scans = write(old, tmp_path / "old")
    with spill_to(tmp_path, bucket_bytes=1, kept=7):
        first = diff_tables({}, scans, old_version=None, new_version="0.1.0").tables["documents"]
        gone = diff_tables(scans, {}, old_version="0.1.0", new_version="0.2.0").tables["documents"]
    assert (first.old_rows, first.new_rows, first.counts()["added"], first.added.height) == (None, 60, 60, 7)
    assert first.added_rows == 60 and first.added.to_series().to_list() == [f"d{i:03}" for i in range(7)]
    assert (gone.new_rows, gone.removed_rows, gone.removed.height, gone.unchanged) == (None, 60, 7, 0)
