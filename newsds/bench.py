"""`nox -s bench`: speed figures printed as medians of repeated runs, never asserted by tests.

Parsing speed is measured on one core (this process, no workers) over the raw files shipped in
data/raw, repeated until each run lasts long enough to time reliably.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from newsds.ingest import list_raw_files
from newsds.parse import detect_format, parse_records

REPEATS = 5


def _median_rate(work: Callable[[], int], repeats: int = REPEATS, min_seconds: float = 0.5) -> float:
    """Items per second: the median over `repeats` runs, each looping `work` for at least min_seconds."""
    rates = []
    for _ in range(repeats):
        items, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < min_seconds or items == 0:
            items += work()
        rates.append(items / elapsed)
    return statistics.median(rates)


def parse_rates(raw_root: Path) -> dict[str, tuple[int, float]]:
    """format -> (records per pass, records/s parsing alone) over the raw files of each format."""
    by_format: dict[str, list[tuple[str, bytes]]] = {}
    for rel in list_raw_files(raw_root):
        fmt, _ = detect_format(rel)
        if fmt is not None:
            by_format.setdefault(fmt, []).append((rel, (raw_root / rel).read_bytes()))
    out = {}
    for fmt, files in sorted(by_format.items()):

        def work(files: list[tuple[str, bytes]] = files) -> int:
            return sum(len(parse_records(data, rel)) for rel, data in files)

        work()  # warm caches (date parser, regex compilation) outside the timing
        out[fmt] = (work(), _median_rate(work))
    return out


def main(argv: list[str] | None = None) -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--raw", default="data/raw", help="raw folder to parse (default: data/raw)")
    ns = args.parse_args(argv)
    print(f"parsing alone, one core, median of {REPEATS} runs")
    print(f"{'format':8} {'records':>8} {'records/s':>12}")
    for fmt, (records, rate) in parse_rates(Path(ns.raw)).items():
        print(f"{fmt:8} {records:8d} {rate:12,.0f}")


if __name__ == "__main__":
    main()
