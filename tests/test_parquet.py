"""The one Parquet writer: row groups per table, bytes independent of how rows arrive. (inputs.parquet,
written by the same writer, has its own tests in test_inputs_file.py.)"""

from __future__ import annotations

import itertools
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsds
from newsds.release import parquet
from newsds.release.parquet import ROW_GROUP_ROWS, ROW_GROUP_SIZE, TableWriter, write_table


def test_documents_get_small_row_groups_and_other_tables_the_default(tmp_path: Path) -> None:
    # A document row carries a whole article: 65,536 of them buffered would be hundreds of MB.
    assert ROW_GROUP_ROWS["documents"] * 16 <= ROW_GROUP_SIZE
    for table in ("documents", "sentences", "claims"):
        writer = TableWriter(tmp_path / f"{table}.parquet", table)
        writer.close()
        assert writer.row_group_size == ROW_GROUP_ROWS.get(table, ROW_GROUP_SIZE)


@settings(max_examples=15, deadline=None)
@given(cuts=st.lists(st.integers(0, 42), max_size=6), group=st.integers(1, 9))
def test_documents_bytes_do_not_depend_on_how_rows_arrive(
    built_release: Path, tmp_path_factory: pytest.TempPathFactory, cuts: list[int], group: int
) -> None:
    docs = newsds.load(root=built_release).documents
    out = tmp_path_factory.mktemp("pq")
    old = dict(ROW_GROUP_ROWS)
    ROW_GROUP_ROWS["documents"] = group
    try:
        write_table(docs, out / "whole.parquet", "documents")
        with TableWriter(out / "parts.parquet", "documents") as writer:
            bounds = [0, *sorted(cuts), docs.height]
            for a, b in itertools.pairwise(bounds):
                writer.write(docs.slice(a, max(0, b - a)))
    finally:
        parquet.ROW_GROUP_ROWS.clear()
        parquet.ROW_GROUP_ROWS.update(old)
    assert (out / "whole.parquet").read_bytes() == (out / "parts.parquet").read_bytes()
    meta = pq.ParquetFile(out / "whole.parquet").metadata
    sizes = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
    assert sizes == [group] * (docs.height // group) + ([docs.height % group] if docs.height % group else [])
