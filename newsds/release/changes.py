"""Row-level differences between two releases: what was added, removed or changed, and where.

Counts per table say little about a new release: a rebuild with a changed splitter can keep every
count and still rewrite half the sentences. Matching rows by their stable key and comparing every
column shows exactly which rows and columns moved, for `newsds diff`, a release's CHANGES.json and
its data card. Everything is a Polars join and column comparisons, never a loop over rows.

Two releases of a million documents hold gigabytes of text, more than a diff may hold in memory: so each
side is read once, streaming, into its keys and one 64-bit fingerprint per cell, large tables are
compared in buckets of the key spilled to a temporary folder, and only the first keys of each category
are kept, with exact counts (see _diff_table).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from newsds.errors import ReleaseError
from newsds.schemas import TABLES

# The stable key of each table. A rejected row is one input: a file (record null) or one record of it,
# so (source_path, record) identifies it across releases and a new reason shows as a changed row.
KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "sentences": ("sent_id",),
    "claims": ("claim_id",),
    "rejected": ("source_path", "record"),
    "annotated_documents": ("doc_id", "annotator"),
    "claim_annotations": ("annotation_id",),
    # a refused item: its file, what it was and where, and why (one item can be refused for one reason)
    "annotation_rejected": ("source_file", "level", "source_ref", "reason", "message"),
}
SAMPLE = 20  # keys per category kept in summary()
# Columns that say who made a row, not what it says: a row whose only difference is in these (a new model
# or rule set that found the same claim) is counted as "annotator only", not as changed.
PROVENANCE = ("annotator",)
_IN_OLD, _IN_NEW = "\0in_old", "\0in_new"  # helper column names that cannot clash with real ones


@dataclass(frozen=True, eq=False)
class TableDiff:
    """One table's differences. Key frames are sorted by key; `changed` adds a `columns` list.

    A matched row is changed, annotator only (it differs in the PROVENANCE columns and nothing else) or
    unchanged; `column_changes` counts the changed rows only. A key frame holds at most KEPT keys (the
    first by key); `added_rows`, `removed_rows` and `changed_rows` then give the full count."""

    name: str
    key: tuple[str, ...]
    old_rows: int | None  # None: the table is absent from that side
    new_rows: int | None
    added: pl.DataFrame
    removed: pl.DataFrame
    changed: pl.DataFrame
    unchanged: int
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    dtypes_changed: Mapping[str, tuple[str, str]] | None = None  # column -> (old dtype, new dtype)
    column_changes: Mapping[str, int] | None = None  # column -> changed rows (non-zero only)
    added_rows: int | None = None  # when `added` holds only a sample of the added keys (first release)
    annotator_only: int = 0  # matched rows that differ only in their annotator
    removed_rows: int | None = None  # when `removed` holds only the first KEPT removed keys
    changed_rows: int | None = None  # when `changed` holds only the first KEPT changed rows

    @property
    def is_empty(self) -> bool:
        """No row or column differs, and the table is present on both sides or neither."""
        return (
            (self.old_rows is None) == (self.new_rows is None)
            and self.added.height == self.removed.height == self.changed.height == self.annotator_only == 0
            and not (self.columns_added or self.columns_removed or self.dtypes_changed)
        )

    def counts(self) -> dict[str, int]:
        """Row counts per category."""
        return {
            "added": self.added.height if self.added_rows is None else self.added_rows,
            "removed": self.removed.height if self.removed_rows is None else self.removed_rows,
            "changed": self.changed.height if self.changed_rows is None else self.changed_rows,
            "annotator_only": self.annotator_only,
            "unchanged": self.unchanged,
        }

    def _keys(self, frame: pl.DataFrame, limit: int) -> list[Any]:
        rows = frame.head(limit).select(self.key).rows()
        return [_jsonable(r[0]) if len(r) == 1 else [_jsonable(v) for v in r] for r in rows]

    def notes(self, limit: int) -> list[str]:
        """Text lines for format(): schema changes, changed-column counts and up to `limit` keys each."""
        notes = [f"columns added: {', '.join(self.columns_added)}"] if self.columns_added else []
        notes += [f"columns removed: {', '.join(self.columns_removed)}"] if self.columns_removed else []
        notes += [f"dtype {c}: {a} -> {b}" for c, (a, b) in sorted((self.dtypes_changed or {}).items())]
        if self.column_changes:
            by_count = sorted(self.column_changes.items(), key=lambda kv: (-kv[1], kv[0]))
            notes.append("changed columns: " + ", ".join(f"{c} ({n})" for c, n in by_count))
        if self.annotator_only:
            notes.append(f"annotator only: {self.annotator_only} (the same rows from a new annotator)")
        counts = self.counts()
        for category, frame in (("added", self.added), ("removed", self.removed), ("changed", self.changed)):
            total = counts[category]
            if frame.height and limit > 0:
                shown = min(limit, frame.height)  # fewer than `limit` when only the first KEPT were kept
                notes.append(f"{category} ({total}{f', first {shown}' if total > shown else ''}):")
                cols = frame.head(limit)["columns"].to_list() if category == "changed" else None
                for i, key in enumerate(self._keys(frame, limit)):
                    text = (
                        ", ".join(f"{c}={v}" for c, v in zip(self.key, key, strict=True))
                        if self.key[1:]
                        else key
                    )
                    notes.append(f"  {text}" + (f": {', '.join(cols[i])}" if cols else ""))
        return notes

    def summary(self, limit: int = SAMPLE) -> dict[str, Any]:
        """JSON-able, deterministic description of this table's differences."""
        changed = self._keys(self.changed, limit)
        columns = self.changed.head(limit)["columns"].to_list()
        return {
            "key": list(self.key),
            "rows": {"old": self.old_rows, "new": self.new_rows},
            **self.counts(),
            "columns_added": list(self.columns_added),
            "columns_removed": list(self.columns_removed),
            "dtypes_changed": {c: list(d) for c, d in sorted((self.dtypes_changed or {}).items())},
            "changed_columns": dict(sorted((self.column_changes or {}).items())),
            "sample": {
                "added": self._keys(self.added, limit),
                "removed": self._keys(self.removed, limit),
                "changed": [{"key": k, "columns": c} for k, c in zip(changed, columns, strict=True)],
            },
        }


@dataclass(frozen=True, eq=False)
class ReleaseDiff:
    """Differences between two releases, per table (old_version is None for a first release)."""

    old_version: str | None
    new_version: str
    tables: Mapping[str, TableDiff]

    @property
    def is_empty(self) -> bool:
        """True when every table is identical in rows and columns."""
        return all(t.is_empty for t in self.tables.values())

    def summary(self) -> dict[str, Any]:
        """JSON-able and deterministic (no clock, no paths): the content of a release's CHANGES.json."""
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "sample_size": SAMPLE,
            "tables": {name: t.summary() for name, t in self.tables.items()},
        }

    @property
    def _annotator_only(self) -> bool:
        """Whether any table has annotator-only rows (their column is shown only then)."""
        return any(t.annotator_only for t in self.tables.values())

    def _count_rows(self) -> list[list[str]]:
        wanted = _CATEGORIES if self._annotator_only else _CATEGORIES[:3] + _CATEGORIES[4:]
        return [
            [name, _n(t.old_rows), _n(t.new_rows), *(str(t.counts()[c]) for c in wanted)]
            for name, t in self.tables.items()
        ]

    def _categories(self) -> list[str]:
        """The count columns' headers: "annotator only" only when some table has such rows."""
        names = [c.replace("_", " ") for c in _CATEGORIES]
        return names if self._annotator_only else names[:3] + names[4:]

    def format(self, limit: int = 10) -> str:
        """Human-readable text for a terminal: counts per table, then up to `limit` keys per category."""
        old = self.old_version or "(none)"
        header = ["table", old, self.new_version, *self._categories()]
        rows = [header, *self._count_rows()]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        lines = [f"Changes {old} -> {self.new_version}" + (": none" if self.is_empty else ""), ""]
        for row in rows:
            cells = (
                c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
            lines.append("  ".join(cells).rstrip())
        for name, t in self.tables.items():
            notes = t.notes(limit)
            if notes:
                lines += ["", f"{name}:", *(f"  {n}" for n in notes)]
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        """A short Markdown section for the data card: row counts per table and schema changes."""
        if self.old_version is None:
            title = "## Changes since the previous version"
            intro = f"{self.new_version} is the first release: every row is new."
        else:
            title = f"## Changes since {self.old_version}"
            intro = "Rows are matched by their stable key; changed rows differ in at least one column."
            if self._annotator_only:
                intro += (
                    " Annotator-only rows differ in their `annotator` alone: a new model or rule set found"
                    " the same claim."
                )
        old = self.old_version or "previous"
        header = ["table", f"{old} rows", f"{self.new_version} rows", *self._categories()]
        lines = [
            title,
            "",
            intro,
            "",
            "| " + " | ".join(header) + " |",
            "|---" + "|---:" * (len(header) - 1) + "|",
        ]
        lines += ["| " + " | ".join(r) + " |" for r in self._count_rows()]
        for name, t in self.tables.items():
            for what, cols in (("added", t.columns_added), ("removed", t.columns_removed)):
                if cols:
                    lines.append(f"\n- `{name}`: columns {what}: " + ", ".join(f"`{c}`" for c in cols))
        return "\n".join(lines) + "\n"


_CATEGORIES = ("added", "removed", "changed", "annotator_only", "unchanged")


def _n(value: int | None) -> str:
    return "-" if value is None else str(value)


def _jsonable(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


# ---- the comparison: fingerprints per row, spilled in buckets of the key, one table at a time ----

KEPT = 10_000  # keys kept per category and table (the first by key): summary() shows SAMPLE, format() --limit
BUCKET_BYTES = 48 * 2**20  # fingerprint bytes per bucket and side: a bucket's join holds a few times this
MAX_BUCKETS = 256  # one open file per bucket while spilling (beyond ~12 GiB a side, buckets grow)
SLICE_BYTES = 64 * 2**20  # fingerprint bytes read per streaming query when spilling (see _spill)
_SEED = 0x6E657773_64696666  # "newsdiff": one fixed seed, so both sides hash alike within a run
_BUCKET_SEED = 0x6275636B_65747321
_BUCKET = "\0bucket"  # the spill's bucket column (never written)
_KEY_BYTES = 40  # estimated bytes of one key column of one row (a ~20-character id and its view)


def _fingerprint(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """What is compared of one cell: the value itself when it is a fixed-width scalar (a number, a date,
    a flag: exact, and no larger than its hash), else its 64-bit hash.

    Equal hashes are taken as equal values. Two different values of one column hash alike with odds of
    about 2**-64, so over the ~4e8 matched cells of two 1M-document releases a change goes unseen with
    odds of ~2e-11; a differing hash always is a change. Polars' hash tells null, "" and [] apart, list
    boundaries and struct fields included, and treats -0.0 and 0.0, NaN and NaN as equal, as ne_missing
    does. It is stable within one Polars version only: both sides are hashed in the same run."""
    if dtype.is_numeric() or dtype.is_temporal() or dtype in (pl.Boolean, pl.Null):
        return column
    if isinstance(dtype, pl.Categorical | pl.Enum):  # hash the text, not a dictionary's codes
        column = column.cast(pl.Utf8)
    return column.hash(_SEED)


@dataclass(frozen=True)
class _Plan:
    """How one table is compared: its key, its common columns (new order) and which can be compared."""

    key: tuple[str, ...]
    common: list[str]
    incomparable: set[str]
    schema: pl.Schema  # the new side's: the old side is cast to it

    def project(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        """Key columns (cast to the new dtypes) and one fingerprint per comparable common column."""
        cells = [
            _fingerprint(pl.col(c).cast(self.schema[c]), self.schema[c]).alias(f"__diff_c{i}")
            for i, c in enumerate(self.common)
            if c not in self.incomparable
        ]
        return frame.select(*[pl.col(k).cast(self.schema[k]) for k in self.key], *cells)

    def width(self) -> int:
        """Estimated bytes per projected row: what sizes the buckets."""
        return _KEY_BYTES * len(self.key) + 9 * (len(self.common) - len(self.incomparable) + 1)


_FRAMES = ("added", "removed", "changed")


def _owned(frame: pl.DataFrame) -> pl.DataFrame:
    """A copy that owns its buffers. A sorted head of string keys is views into the whole bucket's
    string buffers: kept across buckets, it would keep every bucket's keys alive (~25 MiB a bucket)."""
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    buffer.seek(0)
    return pl.read_ipc(buffer)


@dataclass
class _Totals:
    """One table's results, accumulated bucket by bucket; key frames keep the first KEPT by key."""

    key: tuple[str, ...]
    kept: dict[str, pl.DataFrame | None] = field(default_factory=lambda: dict.fromkeys(_FRAMES))
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_FRAMES, 0))
    sums: dict[str, int] = field(default_factory=dict)
    only: int = 0
    matched: int = 0

    def keep(self, category: str, part: pl.DataFrame) -> None:
        self.rows[category] += part.height
        have = self.kept[category]
        if part.height or have is None:
            both = part if have is None else pl.concat([have, part])
            self.kept[category] = _owned(both.sort(self.key, nulls_last=True).head(KEPT))

    def frame(self, category: str) -> pl.DataFrame:
        kept = self.kept[category]
        assert kept is not None  # at least one bucket is always compared
        return kept

    def total(self, category: str) -> int | None:
        """The category's row count when its frame holds only the first KEPT (else None)."""
        return self.rows[category] if self.rows[category] > self.frame(category).height else None


def _compare(left: pl.DataFrame, right: pl.DataFrame, plan: _Plan, totals: _Totals) -> None:
    """Match one bucket's rows by key and compare their fingerprints, into the running totals."""
    key, common = plan.key, plan.common
    stored = {c: f"__diff_c{i}" for i, c in enumerate(common) if c not in plan.incomparable}
    old = left.select(*key, *[pl.col(s).alias(f"{s}o") for s in stored.values()], pl.lit(True).alias(_IN_OLD))
    new = right.select(
        *key, *[pl.col(s).alias(f"{s}n") for s in stored.values()], pl.lit(True).alias(_IN_NEW)
    )
    both = pl.col(_IN_OLD).is_not_null() & pl.col(_IN_NEW).is_not_null()
    flags = [
        (both & pl.col(f"{stored[c]}o").ne_missing(pl.col(f"{stored[c]}n")) if c in stored else both).alias(c)
        for c in common
    ]
    status = (
        old.lazy()
        .join(new.lazy(), on=list(key), how="full", nulls_equal=True, coalesce=True)
        .select(*key, pl.col(_IN_OLD).is_not_null(), pl.col(_IN_NEW).is_not_null(), *flags)
        .collect()
    )
    in_old, in_new = pl.col(_IN_OLD), pl.col(_IN_NEW)
    content = [c for c in common if c not in PROVENANCE]
    provenance = [c for c in common if c in PROVENANCE]
    if common:
        names = pl.concat_list([pl.when(pl.col(c)).then(pl.lit(c)) for c in sorted(common)])
        differs = pl.any_horizontal(content) if content else pl.lit(False)
        changed = status.filter(differs).select(*key, names.list.drop_nulls().alias("columns"))
        sums = status.filter(differs).select(pl.col(common).sum()).row(0, named=True)
        if provenance:
            totals.only += status.filter(~differs & pl.any_horizontal(provenance)).height
    else:
        changed, sums = status.select(*key, pl.lit([], dtype=pl.List(pl.Utf8)).alias("columns")).clear(), {}
    for c, v in sums.items():
        totals.sums[c] = totals.sums.get(c, 0) + int(v)
    totals.matched += status.filter(in_old & in_new).height
    totals.keep("added", status.filter(in_new & ~in_old).select(key))
    totals.keep("removed", status.filter(in_old & ~in_new).select(key))
    totals.keep("changed", changed)


def _duplicated(frame: pl.DataFrame, key: tuple[str, ...]) -> bool:
    return bool(frame.select(pl.struct(key).is_duplicated().any()).item())


def _duplicates(name: str, key: tuple[str, ...], side: str) -> ReleaseError:
    return ReleaseError(
        f"{side} table {name!r} has duplicate keys ({', '.join(key)}), so rows cannot be matched; "
        "validate the release (`newsds validate`) and rebuild it"
    )


def _rows(frame: pl.LazyFrame) -> int:
    """Row count: Parquet scans read it from the footers."""
    return int(frame.select(pl.len()).collect(engine="streaming").item())


def _buckets(rows: int, plan: _Plan) -> int:
    """A power of two: enough buckets that one bucket's fingerprints stay near BUCKET_BYTES a side."""
    wanted = rows * plan.width() / BUCKET_BYTES
    buckets = 1
    while buckets < wanted and buckets < MAX_BUCKETS:
        buckets *= 2
    return buckets


def _spill(name: str, frame: pl.LazyFrame, rows: int, plan: _Plan, buckets: int, folder: Path) -> None:
    """Fingerprints of one side, appended slice by slice to the Arrow IPC stream of their bucket (a hash
    of the key, so a key lands in the same bucket on both sides).

    Why slices of SLICE_BYTES, each collected whole then split: the streaming engine does not wait for
    a slow consumer, so a whole table sent to a Python callback queued 1.2 GiB of batches (11M claims);
    a slice bounds that, and a scan reads only its row groups. Slicing needs rows in a stable order (a
    scan, a frame): a plan that reorders rows between runs shows as a wrong row count or as duplicate
    keys, an error, never as a wrong diff. One split per slice writes few, large record batches
    (per 65k-row batch, 64 buckets took 60% longer). Not Polars' partitioned sink: it buffers every open
    partition (1.4 GiB for 26M sentences in 64 buckets). lz4 shrinks the keys (hashes do not compress)."""
    folder.mkdir()
    writers: dict[int, Any] = {}
    bucket = (pl.struct(plan.key).hash(_BUCKET_SEED) % buckets).cast(pl.UInt32).alias(_BUCKET)
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    step, written = max(1, SLICE_BYTES // plan.width()), 0
    try:
        for offset in range(0, rows, step):
            batch = frame.slice(offset, step).with_columns(bucket).collect(engine="streaming")
            written += batch.height
            for (index, *_), part in batch.partition_by(_BUCKET, as_dict=True, include_key=False).items():
                table = part.to_arrow()
                if index not in writers:
                    writers[index] = pa.ipc.new_stream(
                        str(folder / f"{index}.arrow"), table.schema, options=options
                    )
                writers[index].write_table(table)
            del batch
    finally:
        for writer in writers.values():
            writer.close()
    if written != rows:
        raise ReleaseError(
            f"table {name!r} read {written} rows in slices but counts {rows}: its rows come in no stable "
            "order; diff Parquet scans or DataFrames"
        )


def _bucket(folder: Path, index: int, empty: pl.DataFrame) -> pl.DataFrame:
    path = folder / f"{index}.arrow"
    return pl.read_ipc_stream(path) if path.exists() else empty


def _diff_table(
    name: str, old: pl.DataFrame | pl.LazyFrame | None, new: pl.DataFrame | pl.LazyFrame | None
) -> TableDiff:
    """Match one table's rows by key and compare their common columns (a missing side is empty).

    Memory stays bounded whatever the size: each side is read once, streaming, into per-row key
    columns and 64-bit fingerprints (see _fingerprint), never its text; a large table's fingerprints
    are spilled to a temporary folder in buckets of the key's hash, and the buckets are joined one at a
    time. Only the first KEPT keys per category are kept (with exact counts)."""
    if name not in KEYS:
        raise ReleaseError(f"no key known for table {name!r}; tables: {', '.join(KEYS)}")
    key = KEYS[name]
    sides = {side: None if f is None else f.lazy() for side, f in (("old", old), ("new", new))}
    for side, frame in sides.items():
        if frame is not None:
            missing = [k for k in key if k not in frame.collect_schema().names()]
            if missing:
                raise ReleaseError(f"{side} table {name!r} lacks its key column(s) {', '.join(missing)}")
    o_in, n_in = sides["old"], sides["new"]
    o = n_in.clear() if o_in is None and n_in is not None else o_in
    n = o.clear() if n_in is None and o is not None else n_in
    if o is None or n is None:
        raise ReleaseError(f"table {name!r} is missing from both sides")
    o_schema, n_schema = o.collect_schema(), n.collect_schema()
    common = [c for c in n_schema.names() if c in o_schema and c not in key]
    dtypes = {c: (str(o_schema[c]), str(n_schema[c])) for c in common if o_schema[c] != n_schema[c]}
    incomparable: set[str] = set()
    for c in [*key, *dtypes]:
        if o_schema[c] == n_schema[c]:
            continue
        try:  # the old side takes the new dtype so the two can be compared (Int32 -> Int64 and the like)
            o.select(pl.col(c).cast(n_schema[c]).is_null().sum()).collect(engine="streaming")
        except pl.exceptions.PolarsError as exc:
            if c in key:
                raise ReleaseError(
                    f"table {name!r}: key column {c!r} changed type ({o_schema[c]} -> {n_schema[c]}); "
                    "rows cannot be matched across the two releases"
                ) from exc
            incomparable.add(c)
    plan = _Plan(key, common, incomparable, n_schema)
    rows = {"old": _rows(o), "new": _rows(n)}
    totals = _Totals(key)
    _run(name, plan, plan.project(o), plan.project(n), rows, totals)
    only, matched = totals.only, totals.matched
    changed = totals.frame("changed")
    return TableDiff(
        name=name,
        key=key,
        old_rows=None if o_in is None else rows["old"],
        new_rows=None if n_in is None else rows["new"],
        added=totals.frame("added"),
        removed=totals.frame("removed"),
        changed=changed,
        unchanged=matched - totals.rows["changed"] - only,
        columns_added=tuple(sorted(c for c in n_schema if c not in o_schema)) if o_in is not None else (),
        columns_removed=tuple(sorted(c for c in o_schema if c not in n_schema)) if n_in is not None else (),
        dtypes_changed=dtypes or None,
        column_changes={c: v for c, v in totals.sums.items() if v} or None,
        added_rows=totals.total("added"),
        annotator_only=only,
        removed_rows=totals.total("removed"),
        changed_rows=totals.total("changed"),
    )


def _run(
    name: str,
    plan: _Plan,
    old: pl.LazyFrame,
    new: pl.LazyFrame,
    rows: Mapping[str, int],
    totals: _Totals,
) -> None:
    """Compare the projected sides bucket by bucket (in memory when one bucket is enough)."""
    key = plan.key
    buckets = _buckets(max(rows.values()), plan)
    if buckets == 1:
        pair = (old.collect(engine="streaming"), new.collect(engine="streaming"))
        _compare_all(name, key, plan, [pair], totals)
        return
    with tempfile.TemporaryDirectory(prefix="newsds-diff-") as tmp:
        folders = {side: Path(tmp) / side for side in ("old", "new")}
        for frame, folder in ((old, folders["old"]), (new, folders["new"])):
            _spill(name, frame, rows[folder.name], plan, buckets, folder)
        empty = {side: f.clear().collect() for side, f in (("old", old), ("new", new))}
        pairs = (
            (_bucket(folders["old"], b, empty["old"]), _bucket(folders["new"], b, empty["new"]))
            for b in range(buckets)
        )
        _compare_all(name, key, plan, pairs, totals)


def _compare_all(
    name: str,
    key: tuple[str, ...],
    plan: _Plan,
    pairs: Iterable[tuple[pl.DataFrame, pl.DataFrame]],
    totals: _Totals,
) -> None:
    """Every bucket pair in turn. Duplicate keys (always within one bucket) are an error, the old
    side's first as when whole tables were checked: after a new-side duplicate only the old is checked."""
    new_duplicated = False
    for left, right in pairs:
        if _duplicated(left, key):
            raise _duplicates(name, key, "old")
        new_duplicated = new_duplicated or _duplicated(right, key)
        if not new_duplicated:
            _compare(left, right, plan, totals)
    if new_duplicated:
        raise _duplicates(name, key, "new")


def diff_tables(
    old: Mapping[str, pl.DataFrame | pl.LazyFrame],
    new: Mapping[str, pl.DataFrame | pl.LazyFrame],
    *,
    old_version: str | None,
    new_version: str,
) -> ReleaseDiff:
    """Compare two sets of tables; a table absent from one side counts all its rows as added/removed.

    Tables may be DataFrames or LazyFrames (`pl.scan_parquet`): they are compared one at a time, each
    read in one streaming pass per side, so two releases of any size are diffed in bounded memory
    (~0.7 GiB for two 1M-document releases, `python -m newsds.bench.diffmem`). A large table's
    fingerprints are spilled under tempfile's folder (TMPDIR): ~2.5 GB for 26M sentences a side."""
    names = [t for t in TABLES if t in old or t in new]
    names += sorted((set(old) | set(new)) - set(TABLES))
    tables = {t: _diff_table(t, old.get(t), new.get(t)) for t in names}
    return ReleaseDiff(old_version=old_version, new_version=new_version, tables=tables)


def first_release(new: Mapping[str, pl.LazyFrame], *, new_version: str, limit: int = SAMPLE) -> ReleaseDiff:
    """A first release's diff from lazy scans: every row is added; only the row counts and the first
    `limit` keys are read (a top-k), so a release of any size is described without loading it."""
    tables = {}
    for name in [t for t in TABLES if t in new]:
        key = KEYS[name]
        rows = int(new[name].select(pl.len()).collect().item())
        if len(key) == 1:  # a bottom-k aggregation: never holds more than `limit` keys (ids are not null)
            first = new[name].select(pl.col(key[0]).bottom_k(limit)).collect(engine="streaming")
            sample = first.sort(key)
        else:
            sample = new[name].select(key).sort(key, nulls_last=True).head(limit).collect(engine="streaming")
        changed = sample.clear().with_columns(pl.lit([], dtype=pl.List(pl.Utf8)).alias("columns"))
        tables[name] = TableDiff(name, key, None, rows, sample, sample.clear(), changed, 0, added_rows=rows)
    return ReleaseDiff(old_version=None, new_version=new_version, tables=tables)
