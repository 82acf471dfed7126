"""What every evaluation command shares: where the gold sets are, and how systems are chosen by name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from newsds.errors import NewsdsError

# The gold sets live beside the project checkout; they are never copied into the repository.
DEFAULT_GOLD = Path("..") / "shared" / "gold"


class GoldNotFoundError(NewsdsError):
    """The gold file is missing: the message says which path was tried and to pass --gold."""


def gold_file(gold_path: str | Path | None, relative: str) -> Path:
    """The gold JSONL: `gold_path` is the gold folder (holding `relative`) or the file itself.

    None means ../shared/gold relative to the current directory, the layout of the project checkout.
    """
    path = DEFAULT_GOLD if gold_path is None else Path(gold_path)
    file = path / relative if path.is_dir() else path
    if not file.is_file():
        where = " (the default, relative to the current directory)" if gold_path is None else ""
        raise GoldNotFoundError(
            f"gold file {file.resolve()} not found{where}; pass --gold PATH, where PATH/{relative} exists "
            "(or the file itself)"
        )
    return file


def select_systems(requested: Sequence[str] | None, catalogue: Mapping[str, str]) -> list[str]:
    """System keys in table order; each requested one may be given by key or by table name."""
    if requested is None:
        return list(catalogue)
    by_name = {name.lower(): key for key, name in catalogue.items()}
    chosen: list[str] = []
    for wanted in requested:
        low = wanted.strip().lower()
        key = low if low in catalogue else by_name.get(low)
        if key is None:
            known = ", ".join(f"{k!r} ({name})" for k, name in catalogue.items())
            raise ValueError(f"unknown system {wanted!r}; choose among {known}")
        if key not in chosen:
            chosen.append(key)
    return chosen


def aligned(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Plain-text table lines: first column left-aligned, others right-aligned, a rule under the header."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]
