"""Row-level differences between two releases: what was added, removed or changed, and where.

Counts per table say little about a new release: a rebuild with a changed splitter can keep every
count and still rewrite half the sentences. Matching rows by their stable key and comparing every
column shows exactly which rows and columns moved, for `newsds diff`, a release's CHANGES.json and
its data card. Everything is a Polars join and column comparisons, never a loop over rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

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
    unchanged; `column_changes` counts the changed rows only."""

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
            "removed": self.removed.height,
            "changed": self.changed.height,
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
                notes.append(f"{category} ({total}{f', first {limit}' if total > limit else ''}):")
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


def _key_frame(frame: pl.DataFrame, key: tuple[str, ...]) -> pl.DataFrame:
    return frame.select(key).sort(key, nulls_last=True)


def _check(frame: pl.DataFrame, name: str, key: tuple[str, ...], side: str) -> None:
    missing = [k for k in key if k not in frame.columns]
    if missing:
        raise ReleaseError(f"{side} table {name!r} lacks its key column(s) {', '.join(missing)}")
    if frame.select(pl.struct(key).is_duplicated().any()).item():
        raise ReleaseError(
            f"{side} table {name!r} has duplicate keys ({', '.join(key)}), so rows cannot be matched; "
            "validate the release (`newsds validate`) and rebuild it"
        )


def _diff_table(name: str, old: pl.DataFrame | None, new: pl.DataFrame | None) -> TableDiff:
    """Match one table's rows by key and compare their common columns (a missing side is empty)."""
    if name not in KEYS:
        raise ReleaseError(f"no key known for table {name!r}; tables: {', '.join(KEYS)}")
    key = KEYS[name]
    for frame, side in ((old, "old"), (new, "new")):
        if frame is not None:
            _check(frame, name, key, side)
    o = new.clear() if old is None and new is not None else old
    n = o.clear() if new is None and o is not None else new
    if o is None or n is None:
        raise ReleaseError(f"table {name!r} is missing from both sides")
    common = [c for c in n.columns if c in o.columns and c not in key]
    dtypes = {c: (str(o.schema[c]), str(n.schema[c])) for c in common if o.schema[c] != n.schema[c]}
    incomparable: set[str] = set()
    for c in [*key, *dtypes]:
        try:  # the old side takes the new dtype so the two can be compared (Int32 -> Int64 and the like)
            o = o.with_columns(pl.col(c).cast(n.schema[c]))
        except pl.exceptions.PolarsError as exc:
            if c in key:
                raise ReleaseError(
                    f"table {name!r}: key column {c!r} changed type ({o.schema[c]} -> {n.schema[c]}); "
                    "rows cannot be matched across the two releases"
                ) from exc
            incomparable.add(c)
    left = o.select(
        *key, *[pl.col(c).alias(f"\0o{i}") for i, c in enumerate(common)], pl.lit(True).alias(_IN_OLD)
    )
    right = n.select(
        *key, *[pl.col(c).alias(f"\0n{i}") for i, c in enumerate(common)], pl.lit(True).alias(_IN_NEW)
    )
    both = pl.col(_IN_OLD).is_not_null() & pl.col(_IN_NEW).is_not_null()
    flags = [
        (both if c in incomparable else both & pl.col(f"\0o{i}").ne_missing(pl.col(f"\0n{i}"))).alias(c)
        for i, c in enumerate(common)
    ]
    status = (
        left.lazy()
        .join(right.lazy(), on=list(key), how="full", nulls_equal=True, coalesce=True)
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
        only = status.filter(~differs & pl.any_horizontal(provenance)).height if provenance else 0
    else:
        changed, sums = status.select(*key, pl.lit([], dtype=pl.List(pl.Utf8)).alias("columns")).clear(), {}
        only = 0
    matched = status.filter(in_old & in_new).height
    return TableDiff(
        name=name,
        key=key,
        old_rows=None if old is None else old.height,
        new_rows=None if new is None else new.height,
        added=_key_frame(status.filter(in_new & ~in_old), key),
        removed=_key_frame(status.filter(in_old & ~in_new), key),
        changed=changed.sort(key, nulls_last=True),
        unchanged=matched - changed.height - only,
        columns_added=tuple(sorted(c for c in n.columns if c not in o.columns)) if old is not None else (),
        columns_removed=tuple(sorted(c for c in o.columns if c not in n.columns)) if new is not None else (),
        dtypes_changed=dtypes or None,
        column_changes={c: int(v) for c, v in sums.items() if v} or None,
        annotator_only=only,
    )


def diff_tables(
    old: Mapping[str, pl.DataFrame],
    new: Mapping[str, pl.DataFrame],
    *,
    old_version: str | None,
    new_version: str,
) -> ReleaseDiff:
    """Compare two sets of tables; a table absent from one side counts all its rows as added/removed."""
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
