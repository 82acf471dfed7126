"""One Parquet writer for every table: rows in, fixed-size row groups out, the same bytes however they arrive.

The in-memory build hands it a whole table, the streaming build a batch at a time. Rows are
buffered and written in row groups of exactly ROW_GROUP_SIZE rows (ROW_GROUP_ROWS for documents),
each from one contiguous Arrow chunk, with fixed codec settings; so the file's bytes depend only on
the rows and their order, never on the batch size. (Chunk layout changes Parquet bytes; see NOTES.md.)
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from newsds.schemas import empty_frame

ROW_GROUP_SIZE = 65_536
# A document row holds the whole article text (kilobytes, not the ~100 bytes of a sentence or claim row):
# its row groups are smaller, so the streaming build buffers some 10-20 MB of documents, not 65,536.
ROW_GROUP_ROWS = {"documents": 4_096}


class TableWriter:
    """Append Polars frames of one table to a Parquet file in fixed-size row groups."""

    def __init__(
        self, path: Path, table: str, row_group_size: int | None = None, empty: pl.DataFrame | None = None
    ) -> None:
        self.empty = empty_frame(table) if empty is None else empty  # `empty`: a table with no pandera model
        self.schema: pa.Schema = self.empty.to_arrow().schema
        self.row_group_size = row_group_size or ROW_GROUP_ROWS.get(table, ROW_GROUP_SIZE)
        self.rows = 0
        self._buffer: list[pl.DataFrame] = []
        self._buffered = 0
        self._writer = pq.ParquetWriter(
            path, self.schema, compression="zstd", compression_level=3, write_statistics=True
        )

    def write(self, frame: pl.DataFrame) -> None:
        """Buffer rows; write every full row group."""
        if frame.height == 0:
            return
        self._buffer.append(frame.select(self.empty.columns).cast(self.empty.schema))
        self._buffered += frame.height
        self.rows += frame.height
        while self._buffered >= self.row_group_size:
            self._flush(self.row_group_size)

    def _flush(self, rows: int) -> None:
        buffered = pl.concat(self._buffer, rechunk=True)
        group, rest = buffered.head(rows), buffered.slice(rows)
        table = group.rechunk().to_arrow().cast(self.schema).combine_chunks()
        self._writer.write_table(table, row_group_size=self.row_group_size)
        self._buffer, self._buffered = ([rest] if rest.height else []), rest.height

    def close(self) -> None:
        """Write the last, partial row group and the footer."""
        if self._buffered:
            self._flush(self._buffered)
        self._writer.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def write_table(frame: pl.DataFrame, path: Path, table: str) -> int:
    """A whole table to one file (the in-memory path); returns its row count."""
    with TableWriter(path, table) as writer:
        writer.write(frame)
    return writer.rows
