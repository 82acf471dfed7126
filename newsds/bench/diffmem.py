"""Memory and time of `diff` between two large releases (issue 22, point 4).

Why synthetic: the committed releases hold a few dozen documents. So two releases of N documents are
generated with the real tables' schemas and proportions (measured on data/processed: ~26.5 sentences
and ~11.3 claims per document, ~3.4 KB of article text, ~128-byte sentences, ~110-byte claim contents),
written with the release writer (newsds.release.parquet, the same row groups as a published release).
The second release is the first with ~1% of each table's rows edited (article titles and texts, sentence
texts, claim stances, and claims that only changed annotator), ~0.3% of documents removed and as many new
ones added (their sentences and claims with them), and ~0.2% of sentences removed. Every value derives
from a document's serial number through hashes, so both releases are generated chunk by chunk, in
bounded memory, with Polars expressions only.

Each diff runs in a fresh interpreter, so its peak RSS is its own; the parent samples the child's tree
RSS as well. `--before REV` also measures the implementation of `newsds/release/changes.py` at git
revision REV (the eager one that loads whole tables): only at sizes where it fits in memory.

    python3 -m newsds.bench.diffmem --docs 1000000 --out /tmp/diffmem
    python3 -m newsds.bench.diffmem --docs 100000 --out /tmp/diffmem --before HEAD
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl

from newsds.bench.scale import tree_rss
from newsds.release.parquet import TableWriter
from newsds.schemas import TABLES

CHUNK_DOCS = 20_000  # documents generated at a time (~0.5M sentences, ~0.25M claims)
MIB = 1024**2
GIB = 1024**3
TARGET_TREE = 1.5 * GIB  # peak tree RSS of a diff of two 1M-document releases
_PARAGRAPHS = 4_096  # pools the texts are drawn from (distinct per row: a serial is appended)
_SENTENCES = 65_536
_WORDS = 3_000
_CUES = ["said", "told reporters", "denied", "has vehemently refuted", "claimed", "according to", "added"]
_NAMES = ["Maria Lopez", "James Okafor", "Chen Wei", "Anna Schmidt", "the ministry", "a spokesperson"]


def _pools(seed: int = 7) -> tuple[pl.Series, pl.Series]:
    """Paragraph (~340 bytes) and sentence (~128 bytes) pools of pseudo-English words."""
    rng = random.Random(seed)
    letters = "etaoinshrdlucmfwypvbgk"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(_WORDS)]

    def sentence(size: int) -> str:
        text = ""
        while len(text) < size:
            text += rng.choice(words) + " "
        return text.strip().capitalize() + "."

    sentences = [sentence(rng.randint(60, 190)) for _ in range(_SENTENCES)]
    paragraphs = [" ".join(rng.sample(sentences, 3)) for _ in range(_PARAGRAPHS)]
    return pl.Series(paragraphs), pl.Series(sentences)


def _pick(pool: pl.Series, seed: pl.Expr) -> pl.Expr:
    """A pool entry chosen by a hash: the same row gets the same text in both releases."""
    picked: pl.Expr = pl.lit(pool).gather(seed % len(pool))
    return picked


def _id(serial: pl.Expr, salt: int, width: int = 16) -> pl.Expr:
    digits: pl.Expr = (serial.hash(salt) % 10**width).cast(pl.Utf8).str.zfill(width)
    return digits


def _documents(serials: pl.Series, paragraphs: pl.Series, edited: bool) -> pl.DataFrame:
    s = pl.col("serial")
    doc = pl.DataFrame({"serial": serials}, schema={"serial": pl.UInt64})
    text = pl.concat_str([_pick(paragraphs, s.hash(100 + j)) for j in range(10)], separator="\n\n")
    text = pl.concat_str(text, pl.lit(" Report number "), s.cast(pl.Utf8), pl.lit(", a spokesperson said."))
    title = pl.concat_str(pl.lit("Title of report "), s.cast(pl.Utf8))
    if edited:
        title = (
            pl.when(s.hash(901) % 100 == 0).then(pl.concat_str(title, pl.lit(" (updated)"))).otherwise(title)
        )
        text = (
            pl.when(s.hash(902) % 200 == 0).then(pl.concat_str(text, pl.lit(" Corrected."))).otherwise(text)
        )
    sha = pl.concat_str([_id(s, 200 + j) for j in range(4)])
    frame = doc.select(
        doc_id=_id(s, 1),
        source_path=pl.concat_str(
            pl.lit("shard"), (s // 10_000).cast(pl.Utf8), pl.lit("/"), _id(s, 1), pl.lit(".txt")
        ),
        source_sha256=sha,
        record=pl.lit(0, pl.Int64),
        identity=pl.concat_str(pl.lit("sha256:"), sha),
        format=pl.lit("txt"),
        encoding=pl.lit("utf-8"),
        decode_replacements=pl.lit(0, pl.Int64),
        title=title,
        subtitle=pl.lit(None, pl.Utf8),
        byline=pl.when(s % 3 == 0).then(pl.lit("By Maria Lopez")),
        authors=pl.when(s % 3 == 0).then(pl.lit(["Maria Lopez"])).otherwise(pl.lit([], pl.List(pl.Utf8))),
        published=pl.lit(19_000, pl.Int32).cast(pl.Date) + pl.duration(days=(s % 900).cast(pl.Int64)),
        published_at=pl.lit(None, pl.Datetime("us", "UTC")),
        published_raw=pl.lit(None, pl.Utf8),
        url=pl.concat_str(pl.lit("https://news.example/"), _id(s, 1)),
        sitename=pl.lit("Example News"),
        publisher=pl.lit(None, pl.Utf8),
        dateline=pl.lit(None, pl.Utf8),
        text=text,
        boilerplate=pl.concat_list(pl.struct(kind=pl.lit("navigation"), text=pl.lit("Previous Article"))),
        ai_generated_notice=s % 50 == 0,
        parser=pl.lit("newsds.parse.txt/1.3.0"),
        language=pl.lit("en"),
        licence=pl.lit("unknown"),
    )
    return frame


def _sentences(serials: pl.Series, pool: pl.Series, edited: bool) -> pl.DataFrame:
    s, i = pl.col("serial"), pl.col("index")
    row = s * 64 + i.cast(pl.UInt64)
    text = _pick(pool, row.hash(300))
    if edited:
        text = pl.when(row.hash(903) % 100 == 0).then(pl.concat_str(text, pl.lit(" (sic)"))).otherwise(text)
    frame = (
        pl.DataFrame({"serial": serials}, schema={"serial": pl.UInt64})
        .with_columns(index=pl.int_ranges(0, 10 + (s.hash(301) % 34).cast(pl.Int32), dtype=pl.Int32))
        .explode("index")
        .select(
            sent_id=pl.concat_str(_id(s, 1), pl.lit("-s"), i.cast(pl.Utf8).str.zfill(4)),
            doc_id=_id(s, 1),
            index=i,
            paragraph=i // 4,
            start=i.cast(pl.Int64) * 130,
            end=i.cast(pl.Int64) * 130 + 128,
            text=text,
            kind=pl.when(i % 12 == 0).then(pl.lit("heading")).otherwise(pl.lit("body")),
            gone=row.hash(904) % 1000 < 2,
        )
    )
    return frame.filter(~pl.col("gone")).drop("gone") if edited else frame.drop("gone")


def _claims(serials: pl.Series, pool: pl.Series, edited: bool) -> pl.DataFrame:
    s, i = pl.col("serial"), pl.col("n")
    row = s * 64 + i.cast(pl.UInt64)
    stance = pl.when(row.hash(400) % 3 == 0).then(pl.lit("deny")).otherwise(pl.lit("assert"))
    annotator = pl.lit("newsds-model/1.0.0")
    if edited:
        flip = pl.when(stance == "deny").then(pl.lit("assert")).otherwise(pl.lit("deny"))
        stance = pl.when(row.hash(905) % 100 == 0).then(flip).otherwise(stance)
        annotator = pl.when(row.hash(906) % 200 == 0).then(pl.lit("newsds-model/1.1.0")).otherwise(annotator)
    sentence = (row.hash(401) % 27).cast(pl.Utf8).str.zfill(4)
    span = pl.concat_list(pl.struct(start=pl.lit(0, pl.Int64), end=pl.lit(20, pl.Int64)))
    return (
        pl.DataFrame({"serial": serials}, schema={"serial": pl.UInt64})
        .with_columns(n=pl.int_ranges(0, (s.hash(402) % 23).cast(pl.Int32), dtype=pl.Int32))
        .explode("n")
        .drop_nulls("n")
        .select(
            claim_id=pl.concat_str(_id(s, 1), pl.lit("-c"), _id(row, 403, 11)),
            doc_id=_id(s, 1),
            sent_id=pl.concat_str(_id(s, 1), pl.lit("-s"), sentence),
            cue=_pick(pl.Series(_CUES), row.hash(404)),
            cue_start=pl.lit(63, pl.Int64),
            cue_end=pl.lit(85, pl.Int64),
            claimant=_pick(pl.Series(_NAMES), row.hash(405)),
            claimant_start=pl.lit(28, pl.Int64),
            claimant_end=pl.lit(62, pl.Int64),
            content=_pick(pool, row.hash(406)),
            content_start=pl.lit(86, pl.Int64),
            content_end=pl.lit(162, pl.Int64),
            cue_spans=span,
            claimant_spans=span,
            content_spans=span,
            stance=stance,
            kind=pl.when(row.hash(407) % 4 == 0).then(pl.lit("direct")).otherwise(pl.lit("indirect")),
            annotator=annotator,
            claimant_resolved=pl.when(row.hash(408) % 5 == 0).then(_pick(pl.Series(_NAMES), row.hash(405))),
            claimant_group=pl.concat_str(_id(s, 1), pl.lit("-g"), (i // 3).cast(pl.Utf8).str.zfill(4)),
        )
    )


def _rejected(serials: pl.Series) -> pl.DataFrame:
    """About one input in a hundred is rejected (never edited: its key holds a null record)."""
    s = pl.col("serial")
    frame = pl.DataFrame({"serial": serials}, schema={"serial": pl.UInt64}).filter(s.hash(500) % 100 == 0)
    return frame.select(
        source_path=pl.concat_str(pl.lit("rejected/"), _id(s, 501), pl.lit(".txt")),
        source_sha256=_id(s, 502, 19),
        record=pl.lit(None, pl.Int64),
        stage=pl.lit("read"),
        reason=pl.lit("empty"),
        message=pl.lit("no bytes"),
        duplicate_of=pl.lit(None, pl.Utf8),
    )


def generate(docs: int, out: Path) -> dict[str, dict[str, int]]:
    """Write releases `old` and `new` of `docs` documents under out; returns their row counts."""
    paragraphs, sentences = _pools()
    sides = {side: out / side for side in ("old", "new")}
    for folder in sides.values():
        folder.mkdir(parents=True, exist_ok=True)
    writers = {
        (side, t): TableWriter(folder / f"{t}.parquet", t) for side, folder in sides.items() for t in TABLES
    }
    try:
        for lo in range(0, docs, CHUNK_DOCS):
            hi = min(lo + CHUNK_DOCS, docs)
            old = pl.Series(range(lo, hi), dtype=pl.UInt64)
            kept = old.filter(old.hash(907) % 1000 >= 3)  # ~0.3% of documents removed ...
            extra = pl.Series(range(docs + lo * 3 // 1000, docs + hi * 3 // 1000), dtype=pl.UInt64)
            new = pl.concat([kept, extra])  # ... and as many added
            for side, serials, edited in (("old", old, False), ("new", new, True)):
                writers[side, "documents"].write(_documents(serials, paragraphs, edited))
                writers[side, "sentences"].write(_sentences(serials, sentences, edited))
                writers[side, "claims"].write(_claims(serials, sentences, edited))
                writers[side, "rejected"].write(_rejected(serials))
    finally:
        for writer in writers.values():
            writer.close()
    return {side: {t: writers[side, t].rows for t in TABLES} for side in sides}


# ---- measurement (the diff in a fresh interpreter) ----


def _load_changes(before: str | None) -> ModuleType:
    """newsds.release.changes now, or its source at git revision `before`, compiled as its own module."""
    if before is None:
        from newsds.release import changes

        return changes
    repo = Path(__file__).resolve().parents[2]
    command = ["git", "show", f"{before}:newsds/release/changes.py"]
    source = subprocess.run(command, cwd=repo, capture_output=True, check=True, text=True).stdout
    module = ModuleType("newsds_changes_before")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{before}:newsds/release/changes.py", "exec"), module.__dict__)
    return module


def run_diff(old: Path, new: Path, before: str | None) -> dict[str, Any]:
    """Diff two releases' folders as `diff` does: lazy scans now, whole DataFrames for `before`."""
    changes = _load_changes(before)
    start = time.perf_counter()
    sides = []
    for folder in (old, new):
        scans = {
            t: pl.scan_parquet(folder / f"{t}.parquet") for t in TABLES if (folder / f"{t}.parquet").exists()
        }
        sides.append({t: s.collect() for t, s in scans.items()} if before else scans)
    result = changes.diff_tables(sides[0], sides[1], old_version="1.0.0", new_version="1.1.0")
    summary = json.dumps(result.summary(), sort_keys=True)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": round(seconds, 2),
        "rss_self": own.ru_maxrss * 1024,
        "cpu": round(own.ru_utime + own.ru_stime, 2),
        "summary_sha256": hashlib.sha256(summary.encode()).hexdigest(),
        "counts": {name: t.counts() for name, t in result.tables.items()},
    }


def measure(old: Path, new: Path, before: str | None) -> dict[str, Any]:
    """Run one diff in a child interpreter, sampling its tree RSS every 0.1 s."""
    command = [sys.executable, "-m", "newsds.bench.diffmem", "run", str(old), str(new)]
    command += ["--before", before] if before else []
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peak, stop = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.wait(0.1):
            peak = max(peak, tree_rss(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    stop.set()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"diff failed ({child.returncode}): {' '.join(command)}")
    result: dict[str, Any] = json.loads(output.splitlines()[-1])
    return result | {"rss_tree": peak}


def _sizes(folder: Path) -> dict[str, int]:
    return {t: (folder / f"{t}.parquet").stat().st_size for t in TABLES}


def main(argv: list[str] | None = None) -> None:
    """`--docs N --out DIR [--before REV]`; the children: `run OLD NEW [--before REV]`, `generate N DIR`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["generate"]:
        folder = Path(args[2])
        (folder / "rows.json").write_text(
            json.dumps(generate(int(args[1]), folder))
        )  # last: marks a whole release
        return
    if args[:1] == ["run"]:
        child = argparse.ArgumentParser(prog="newsds.bench.diffmem run")
        child.add_argument("old", type=Path)
        child.add_argument("new", type=Path)
        child.add_argument("--before")
        ns = child.parse_args(args[1:])
        print(json.dumps(run_diff(ns.old, ns.new, ns.before)))
        return
    parser = argparse.ArgumentParser(prog="newsds.bench.diffmem", description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="documents per release")
    parser.add_argument("--out", type=Path, default=Path("/tmp/diffmem"), help="where the releases go (/tmp)")
    parser.add_argument("--before", help="also measure changes.py at this git revision (loads tables whole)")
    parser.add_argument("--skip-after", action="store_true", help="measure only --before")
    ns = parser.parse_args(args)
    out: Path = ns.out / f"{ns.docs}"
    marker = out / "rows.json"
    if not marker.exists():  # in a child too: on Linux a child's ru_maxrss starts from its parent's RSS
        start = time.perf_counter()
        command = [sys.executable, "-m", "newsds.bench.diffmem", "generate", str(ns.docs), str(out)]
        subprocess.run(command, check=True)
        print(
            f"generated {ns.docs:,} documents per release in {time.perf_counter() - start:.1f} s under {out}"
        )
    rows = json.loads(marker.read_text())
    for side in ("old", "new"):
        sizes = _sizes(out / side)
        print(
            f"{side}: "
            + ", ".join(f"{t} {rows[side][t]:,} rows {sizes[t] / MIB:,.0f} MiB" for t in TABLES[:4])
        )
    runs = ([("before", ns.before)] if ns.before else []) + ([] if ns.skip_after else [("after", None)])
    for label, rev in runs:
        result = measure(out / "old", out / "new", rev)
        title = f"{label} ({rev})" if rev else label
        rss, tree, target = result["rss_self"] / MIB, result["rss_tree"] / MIB, TARGET_TREE / GIB
        print(
            f"{title}: {result['seconds']:.1f} s wall, {result['cpu']:.1f} s CPU, peak RSS {rss:,.0f} MiB "
            f"(ru_maxrss), tree {tree:,.0f} MiB (sampled every 0.1 s; target at 1M {target:.1f} GiB), "
            f"summary sha256 {result['summary_sha256'][:16]}"
        )
        for name, counts in result["counts"].items():
            print(f"  {name}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
