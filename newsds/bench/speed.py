"""`nox -s bench`: speed figures printed as medians of repeated runs, never asserted by tests.

First, how long the command line takes to answer (`--help`, `list`, `verify --checksums-only`, each a
fresh process). Parsing speed is measured on one core (this process, no workers) over the raw files shipped in
data/raw, repeated until each run lasts long enough to time reliably; claim extraction over the
newest release's documents; sentence splitting against blingfire on the GUM news gold texts.
Then the scale table (`newsds.bench.scale`): the streaming build on seeded synthetic corpora of
1k and 10k documents by default beside the do-it-yourself pipeline, each run in a fresh process;
`--scale 1k,10k,100k,1M` adds the long sizes (100k takes minutes, 1M most of an hour on 2 cores);
`--parse-only` also times each size's build without sentences and claims.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from newsds.bench import scale as bench_scale
from newsds.errors import NewsdsError
from newsds.ingest.files import list_raw_files
from newsds.ingest.parse import detect_format, parse_records
from newsds.sentences import split_sentences

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


def claim_rate(root: Path) -> tuple[int, dict[str, float]]:
    """(sentences, sentences/s per extractor) of claim extraction over the newest release's documents, one
    core: the model and the rules alternate in each repeat."""
    from newsds.evaluate.claims import throughput
    from newsds.release import load

    texts = load(root=root).documents["text"].to_list()
    return sum(len(split_sentences(t)) for t in texts), throughput(texts, extractors=("model", "rules"))


LONG_SIZES = (500_000, 2_000_000, 10_000_000)


def long_document_rates(root: Path, sizes: tuple[int, ...] = LONG_SIZES) -> list[tuple[int, float, float]]:
    """(characters, seconds per MB splitting, seconds per MB extracting claims) for one-paragraph documents
    of each size, made of the newest release's sentences that hold a "said" joined by spaces: every
    document up to --max-bytes must take time linear in its length."""
    from newsds.claims import extract_claims
    from newsds.release import load

    texts = load(root=root).documents["text"].to_list()
    said = [t[s:e] for t in texts for s, e in split_sentences(t) if " said" in t[s:e] and "\n" not in t[s:e]]
    if not said:
        return []
    piece = " ".join(said)
    out = []
    for size in sizes:
        text = (piece + " ") * (size // (len(piece) + 1) + 1)
        text = text[:size]
        start = time.perf_counter()
        spans = split_sentences(text)
        split_s = time.perf_counter() - start
        start = time.perf_counter()
        extract_claims(text, spans)
        claims_s = time.perf_counter() - start
        mb = len(text.encode()) / 1e6
        out.append((len(text), split_s / mb, claims_s / mb))
    return out


def load_rates(root: Path) -> tuple[str, float, float]:
    """(version, loads/s of plain pl.read_parquet of the four tables, loads/s of newsds.load with
    verify=True reading the same tables), timed alternately in one run so the machine's noise is shared."""
    import polars as pl

    from newsds.release import load
    from newsds.schemas import TABLES

    rel = load(root=root, verify=False)
    files = [rel.path / f"{name}.parquet" for name in TABLES]

    def plain() -> int:
        for file in files:
            pl.read_parquet(file)
        return 1

    def verified() -> int:
        load(rel.version, root, verify=True).tables()
        return 1

    plain(), verified()  # warm the page cache and imports
    pairs = [(_median_rate(plain, 1, 0.3), _median_rate(verified, 1, 0.3)) for _ in range(REPEATS)]
    return rel.version, statistics.median(p for p, _ in pairs), statistics.median(v for _, v in pairs)


CLI_COMMANDS = (("--help",), ("list",), ("verify", "--checksums-only"))
CLI_TARGET = 0.3  # seconds (issue 21)


def cli_start_times(root: Path, repeats: int = REPEATS) -> list[tuple[str, float, float]]:
    """(command, median s, min s) of wall time for the commands a user types first, each in a fresh process
    run `repeats` times, alternating: how long `newsds` takes to answer, imports included."""
    newsds = shutil.which("newsds")
    base = [newsds] if newsds else [sys.executable, "-m", "newsds"]
    runs: dict[tuple[str, ...], list[float]] = {command: [] for command in CLI_COMMANDS}
    for _ in range(repeats):
        for command in CLI_COMMANDS:
            extra = () if command == ("--help",) else ("--root", str(root))
            start = time.perf_counter()
            subprocess.run([*base, *command, *extra], check=True, capture_output=True)
            runs[command].append(time.perf_counter() - start)
    return [(" ".join(("newsds", *c)), statistics.median(t), min(t)) for c, t in runs.items()]


def main(argv: list[str] | None = None) -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--raw", default="data/raw", help="raw folder to parse (default: data/raw)")
    args.add_argument(
        "--releases", default="data/processed", help="releases folder (default: data/processed)"
    )
    args.add_argument(
        "--gold", default=None, help="gold folder for the sentence texts (default: ../shared/gold)"
    )
    args.add_argument(
        "--scale",
        default=bench_scale.DEFAULT_SIZES,
        help=f"scale-table sizes, e.g. 1k,10k,100k,1M, or 'none' (default: {bench_scale.DEFAULT_SIZES})",
    )
    args.add_argument(
        "--scale-out",
        type=Path,
        default=bench_scale.DEFAULT_OUT,
        help=f"folder for the synthetic corpora, outside the repo (default: {bench_scale.DEFAULT_OUT})",
    )
    args.add_argument("--scale-only", action="store_true", help="print only the scale table")
    args.add_argument("--parse-only", action="store_true", help=bench_scale.PARSE_ONLY_HELP)
    args.add_argument(
        "--repeats", type=int, default=bench_scale.DEFAULT_REPEATS, help=bench_scale.REPEATS_HELP
    )
    ns = args.parse_args(argv)
    if not ns.scale_only:
        speed_figures(ns)
    if ns.scale != "none":
        sizes = list(bench_scale.iter_sizes(ns.scale))
        rows = bench_scale.run(
            sizes,
            ns.scale_out,
            raw=Path(ns.raw),
            progress=False,
            parse_only=ns.parse_only,
            repeats=ns.repeats,
        )
        print()
        print(bench_scale.format_table(rows, bench_scale.DEFAULT_JOBS))


def speed_figures(ns: argparse.Namespace) -> None:
    """The per-stage speed figures: CLI start, parsing per format, claims, loading, sentence splitting."""
    print(f"command-line start, wall time of a fresh process, {REPEATS} alternating runs")
    print(f"{'command':32} {'median s':>9} {'min s':>7}")
    for command, median, fastest in cli_start_times(Path(ns.releases)):
        verdict = "met" if median <= CLI_TARGET else "MISSED"
        print(f"{command:32} {median:9.3f} {fastest:7.3f}  (target <= {CLI_TARGET} s: {verdict})")
    print()
    print(f"parsing alone, one core, median of {REPEATS} runs")
    print(f"{'format':8} {'records':>8} {'records/s':>12}")
    for fmt, (records, rate) in parse_rates(Path(ns.raw)).items():
        print(f"{fmt:8} {records:8d} {rate:12,.0f}")
    sentences, rates = claim_rate(Path(ns.releases))
    print(f"\nclaims: extract_claims over the newest release's documents ({sentences} sentences), one core")
    print(", ".join(f"{name} {rate:,.0f} sentences/s" for name, rate in rates.items()))
    print("\none-paragraph documents of sentences with 'said' (time linear in length: s/MB stays flat)")
    print(f"{'characters':>12} {'split s/MB':>11} {'claims s/MB':>12}")
    for chars, split_s, claims_s in long_document_rates(Path(ns.releases)):
        print(f"{chars:12,d} {split_s:11.2f} {claims_s:12.2f}")
    version, plain, verified = load_rates(Path(ns.releases))
    print(f"\nloading release {version}: the four tables, median of {REPEATS} alternating runs")
    print(f"plain pl.read_parquet      {plain:8.1f} loads/s")
    print(f"newsds.load(verify=True)   {verified:8.1f} loads/s  ratio {plain / verified:.2f}x (target <= 2x)")
    from newsds.evaluate.sentences import format_throughput, throughput

    print("\nsentences: newsds vs blingfire on the GUM news texts, same run")
    try:
        print(format_throughput(throughput(ns.gold)))
    except NewsdsError as exc:  # no gold here: say so, keep the figures above
        print(f"skipped: {exc}")


if __name__ == "__main__":
    main()
