"""The scale benchmark: how fast and how lean is the streaming build at 1k to 1M documents, beside the
pipeline a researcher would glue together instead?

Why synthetic: data/raw holds a few dozen real articles, far too few to see how time and memory grow.
So a seeded generator recombines those real articles into N distinct documents. The build is timed
beside the do-it-yourself pipeline (`newsds.bench.diy`: trafilatura, raw text, blingfire, a
reporting-verb regex, Parquet), the bar a user would compare it with (issue 22), on the same files and
processes, in alternating runs; an I/O floor (read the same files, write their text to Parquet, nothing
else) is printed for reference.

The corpus. Every document is made of real material: a real article's title and a window of its body
paragraphs (shuffled behind the lede), one or two paragraphs of another real article, and one
generated sentence that carries the document's serial number and a reporting verb ("..., a spokesperson
for X said."), so no two documents share a text and dedupe collapses nothing. Paragraphs come from
newsds' own parse of data/raw (the .txt seed and Wikinews articles, the trafilatura text of the
saved pages, the news-please records; the truncated JSONL line is skipped). Formats, as shares of the
documents (`MIX`): 69% plain .txt files (a title line, sometimes a date and a byline line), 30%
news-please .jsonl records, up to RECORDS_PER_JSONL (1,000) per file so that 1M documents is not
1M files, and 1% saved web pages: a real page of data/raw (.html or, as in data/raw, .html.gz) with
the lede and the serial sentence inserted before its longest paragraph outside scripts (a page where
trafilatura would drop them is not used: 9 of the 11 pages qualify). HTML is kept at 1% because
trafilatura costs ~20 ms a page, many times a text file: a larger share would measure trafilatura.
Documents are laid out in shards of SHARD_DOCS documents (one folder each), the formats shuffled
within a shard so that batches mix them. The same seed gives the same bytes: each shard's layout and
each document have their own RNG, seeded by (seed, shard) and (seed, document index).

Each measurement runs in a fresh interpreter, so its peak RSS is its own: `python -m newsds.bench.scale
measure floor|build|parse-only RAW OUT JOBS` prints one JSON line. Figures are printed, never asserted:
this machine is shared and noisy.

`--parse-only` adds a third measurement per size: the same streaming build with sentence splitting and
claim extraction replaced by empty tables. It is the part of the ratio to the floor that faster rules
could never remove (reading, parsing with trafilatura, validation, dedupe, writing, publishing).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import gzip
import html
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsds.schemas import empty_frame
from newsds.stages import Build, BuildConfig, parse_documents

MIX = {"txt": 0.69, "jsonl": 0.30, "html": 0.01}  # shares of the documents, by format
RECORDS_PER_JSONL = 1_000
SHARD_DOCS = 10_000
DEFAULT_SIZES = "1k,10k"  # `nox -s bench`; 100k and 1M are opt-in (minutes, then most of an hour)
DEFAULT_OUT = Path("/tmp/newsds-bench")
DEFAULT_JOBS = 2
GIB = 1024**3
MIB = 1024**2

DEFAULT_REPEATS = 3
# Targets of issue 22 on the 2-core machine, printed beside the figures (wall: newsds <= do-it-yourself).
TARGET_CPU_MS = 1.0  # CPU milliseconds per document over the process tree
TARGET_TREE_1M = 1.5 * GIB  # peak tree RSS at 1M documents
MEASURES = (
    "floor",
    "build",
    "parse-only",
    "diy",
    "build-rules",
)  # `python -m newsds.bench.scale measure KIND RAW OUT JOBS`
REPEATS_HELP = f"alternating repetitions of each measurement (default {DEFAULT_REPEATS}; 1 for a 1M run)"
PARSE_ONLY_HELP = "also time a build without sentence splitting and claim extraction (the cost of the rest)"

_NAMES = (
    "Maria Lopez",
    "James Okafor",
    "Chen Wei",
    "Anna Schmidt",
    "David Cohen",
    "Priya Nair",
    "Tom Davies",
    "Sara Ahmed",
    "Lucas Martin",
    "Grace Kim",
)
_ORGS = (
    "the city council",
    "the health ministry",
    "the transport authority",
    "the state police",
    "the electoral commission",
    "the university",
    "the port authority",
    "the weather service",
)
_DOMAINS = ("example-news.com", "daily-example.org", "example-times.net", "example-herald.co.uk")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = "January February March April May June July August September October November December".split()
_ID_SENTENCES = (
    '"We have logged report {serial} and will publish an update on {day}," {name} told reporters.',
    "{name}, a spokesperson for {org}, said that file {serial} had been reviewed on {day}.",
    "According to {org}, inquiry {serial} remains open, and {name} said more details would follow.",
    '{name} said case {serial} was "a priority" for {org} and denied that it had been delayed.',
    "Officials at {org} confirmed on {day} that record {serial} was filed, {name} reported.",
)
_PARAGRAPH_TAG = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)


@dataclass(frozen=True)
class Article:
    """One real article of data/raw: its title and body paragraphs."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """One real saved page: its decoded HTML, the offset before its longest paragraph, gzipped or not."""

    html: str
    insert_at: int
    gzipped: bool


@dataclass(frozen=True)
class Material:
    """Everything the generator recombines, read once from the real raw folder."""

    articles: tuple[Article, ...]
    pages: tuple[Page, ...]


@dataclass
class Corpus:
    """What a generation wrote: documents and files per format, and the bytes on disk."""

    root: Path
    documents: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MIX, 0))
    files: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MIX, 0))
    raw_bytes: int = 0

    @property
    def total(self) -> int:
        return sum(self.documents.values())


def _shell(page: str, gzipped: bool) -> Page | None:
    """The page with the place before its longest paragraph outside scripts, if trafilatura keeps a
    paragraph inserted there (checked once here, so that every generated page is a distinct document)."""
    from newsds.ingest.parse import parse_records

    scripts = [m.span() for m in _SCRIPT.finditer(page)]
    candidates = [m for m in _PARAGRAPH_TAG.finditer(page) if not any(a <= m.start() < b for a, b in scripts)]
    if not candidates:
        return None
    at = max(candidates, key=lambda m: len(_TAG.sub("", m.group(1)))).start()
    probe = "The probe sentence NB-probe-00000000 was inserted here, an official said on Monday."
    data = (page[:at] + f"<p>{probe}</p>\n" + page[at:]).encode()
    record = parse_records(data, "probe.html")[0]
    return Page(page, at, gzipped) if record.row is not None and probe in record.row["text"] else None


def load_material(raw_root: Path) -> Material:
    """Parse the real raw files with newsds' own readers: articles for text, pages as HTML shells."""
    from newsds.ingest.files import list_raw_files
    from newsds.ingest.parse import detect_format, parse_records

    articles: list[Article] = []
    pages: list[Page] = []
    for rel in list_raw_files(raw_root):
        fmt, gzipped = detect_format(rel)
        if fmt is None:
            continue
        data = (raw_root / rel).read_bytes()
        for record in parse_records(data, rel):
            if record.row is None:  # the truncated JSONL line: generated records are all valid
                continue
            paragraphs = tuple(p.strip() for p in record.row["text"].split("\n") if len(p.strip()) > 40)
            if len(paragraphs) >= 3:
                articles.append(Article(record.row["title"] or paragraphs[0][:80], paragraphs))
        if fmt == "html":
            page = _shell((gzip.decompress(data) if gzipped else data).decode("utf-8", "replace"), gzipped)
            if page is not None:
                pages.append(page)
    if not articles or not pages:
        raise SystemExit(f"{raw_root} needs real articles and saved .html pages to generate a corpus from")
    return Material(tuple(articles), tuple(pages))


def plan_shard(docs: int, seed: int, shard: int) -> list[tuple[str, int]]:
    """A shard's files in order, as (format, documents): the MIX shares of `docs`, shuffled (seeded)."""
    html_docs = round(docs * MIX["html"])
    jsonl_docs = round(docs * MIX["jsonl"])
    units: list[tuple[str, int]] = [("txt", 1)] * (docs - html_docs - jsonl_docs) + [("html", 1)] * html_docs
    while jsonl_docs > 0:
        units.append(("jsonl", min(RECORDS_PER_JSONL, jsonl_docs)))
        jsonl_docs -= units[-1][1]
    random.Random(f"{seed}:shard:{shard}").shuffle(units)
    return units


def _id_sentence(rng: random.Random, index: int, seed: int) -> str:
    template = rng.choice(_ID_SENTENCES)
    return template.format(
        serial=f"NB-{seed}-{index:08d}", day=rng.choice(_DAYS), name=rng.choice(_NAMES), org=rng.choice(_ORGS)
    )


def _document(material: Material, seed: int, index: int) -> tuple[random.Random, str, list[str]]:
    """Document `index`: (its RNG for further choices, title, paragraphs with the serial sentence)."""
    rng = random.Random(f"{seed}:doc:{index}")
    base = rng.choice(material.articles)
    count = rng.randint(3, min(10, len(base.paragraphs)))
    start = rng.randint(0, len(base.paragraphs) - count)
    window = list(base.paragraphs[start : start + count])
    other = rng.choice(material.articles).paragraphs
    rest = window[1:] + rng.sample(other, min(len(other), rng.randint(1, 2)))
    rng.shuffle(rest)
    rest.insert(rng.randint(0, len(rest)), _id_sentence(rng, index, seed))
    return rng, base.title, [window[0], *rest]


def _date(rng: random.Random) -> tuple[str, str]:
    """A random date as (Wikinews date line, ISO timestamp)."""
    year, month, day = rng.randint(2006, 2024), rng.randint(1, 12), rng.randint(1, 28)
    weekday = dt.date(year, month, day).strftime("%A")
    return f"{weekday}, {_MONTHS[month - 1]} {day}, {year}", f"{year}-{month:02d}-{day:02d} 00:00:00"


def text_file(material: Material, seed: int, index: int) -> bytes:
    """A plain-text article: title, sometimes a date line and a byline, blank-line separated paragraphs."""
    rng, title, paragraphs = _document(material, seed, index)
    header = [title]
    if rng.random() < 0.5:
        header.append(_date(rng)[0])
    if rng.random() < 0.3:
        header.append(f"By {rng.choice(_NAMES)}")
    return ("\n\n".join(header + paragraphs) + "\n").encode()


def json_record(material: Material, seed: int, index: int) -> str:
    """A news-please record (one JSONL line)."""
    rng, title, paragraphs = _document(material, seed, index)
    domain = rng.choice(_DOMAINS)
    record = {
        "title": title,
        "maintext": "\n".join(paragraphs),
        "description": paragraphs[0][:200],
        "url": f"https://{domain}/news/{seed}/{index}",
        "date_publish": _date(rng)[1],
        "authors": [rng.choice(_NAMES)],
        "language": "en",
        "source_domain": domain,
    }
    return json.dumps(record, ensure_ascii=False)


def html_file(material: Material, seed: int, index: int) -> tuple[bytes, bool]:
    """A real saved page with this document's serial sentence and two paragraphs inserted before its
    longest paragraph: (bytes, gzipped)."""
    rng, _, paragraphs = _document(material, seed, index)
    page = rng.choice(material.pages)
    serial = next(p for p in paragraphs if f"NB-{seed}-{index:08d}" in p)
    added = "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in [paragraphs[0], serial])
    data = (page.html[: page.insert_at] + added + page.html[page.insert_at :]).encode()
    return (gzip.compress(data, compresslevel=6, mtime=0), True) if page.gzipped else (data, False)


def parse_size(text: str) -> int:
    """'1k' -> 1000, '1M' -> 1000000, '250' -> 250."""
    text = text.strip()
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale > 1 else text
    if not number.isdigit() or int(number) < 1:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}; use e.g. 1k, 10k, 100k, 1M or 250")
    return int(number) * scale


def size_label(docs: int) -> str:
    """1000 -> '1k', 1000000 -> '1M'."""
    if docs >= 1_000_000 and docs % 1_000_000 == 0:
        return f"{docs // 1_000_000}M"
    if docs >= 1_000 and docs % 1_000 == 0:
        return f"{docs // 1_000}k"
    return str(docs)


def generate(material: Material, root: Path, docs: int, seed: int = 0) -> Corpus:
    """Write `docs` documents under root (which must not exist or be empty), shard by shard."""
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise SystemExit(f"{root} is not empty; pick a new folder for the corpus")
    corpus = Corpus(root)
    index = 0
    for shard in range((docs + SHARD_DOCS - 1) // SHARD_DOCS):
        folder = root / f"s{shard:04d}"
        folder.mkdir()
        for fmt, count in plan_shard(min(SHARD_DOCS, docs - index), seed, shard):
            if fmt == "txt":
                path, data = folder / f"{index:08d}.txt", text_file(material, seed, index)
            elif fmt == "jsonl":
                lines = (json_record(material, seed, index + i) for i in range(count))
                path, data = folder / f"{index:08d}.jsonl", ("\n".join(lines) + "\n").encode()
            else:
                data, gzipped = html_file(material, seed, index)
                path = folder / f"{index:08d}.html{'.gz' if gzipped else ''}"
            path.write_bytes(data)
            corpus.documents[fmt] += count
            corpus.files[fmt] += 1
            corpus.raw_bytes += len(data)
            index += count
    return corpus


# ---- measurements (each in a fresh interpreter) ----


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants now, from /proc (0 where unreadable)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{current}/task/{current}/children") as handle:
                stack.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


class TreeSampler:
    """The peak over time of this process tree's summed RSS, sampled every `interval` seconds."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval, self.peak = interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, tree_rss(os.getpid()))

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss(os.getpid()))


def _rusage() -> dict[str, Any]:
    """Peak RSS in bytes (Linux ru_maxrss is KiB) of this process and of its largest waited-for child, and
    CPU seconds (user + system) of this process and of all its waited-for children (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "rss_self": own.ru_maxrss * 1024,
        "rss_children": children.ru_maxrss * 1024,
        "cpu_self": own.ru_utime + own.ru_stime,
        "cpu_children": children.ru_utime + children.ru_stime,
    }


def measure_floor(raw: Path, out: Path) -> dict[str, Any]:
    """The I/O floor: list and read the same raw files, gunzip, decode, and write their text (a row per
    file, a row per JSONL line) to one zstd Parquet file in 64 MiB batches. No parsing at all."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsds.ingest.files import list_raw_files

    schema = pa.schema([("source_path", pa.string()), ("record", pa.int32()), ("text", pa.string())])
    start = time.perf_counter()
    rows = 0
    with (
        TreeSampler() as sampler,
        pq.ParquetWriter(out, schema, compression="zstd", compression_level=3) as w,
    ):
        paths: list[str] = []
        records: list[int] = []
        texts: list[str] = []
        size = 0
        for rel in list_raw_files(raw):
            data = (raw / rel).read_bytes()
            if rel.endswith(".gz"):
                data = gzip.decompress(data)
            text = data.decode("utf-8", "replace")
            parts = text.splitlines() if rel.endswith(".jsonl") else [text]
            for number, part in enumerate(parts):
                paths.append(rel)
                records.append(number)
                texts.append(part)
            size += len(data)
            if size >= 64 * MIB:
                w.write_table(pa.table([paths, records, texts], schema=schema))
                rows += len(texts)
                paths, records, texts, size = [], [], [], 0
        if texts:
            w.write_table(pa.table([paths, records, texts], schema=schema))
            rows += len(texts)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": rows, "rss_tree": sampler.peak, **_rusage()}


def measure_diy(raw: Path, out: Path, jobs: int = DEFAULT_JOBS) -> dict[str, Any]:
    """The do-it-yourself pipeline (`newsds.bench.diy`) on `jobs` processes."""
    from newsds.bench import diy

    start = time.perf_counter()
    with TreeSampler() as sampler:
        rows = diy.run(raw, out, jobs)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": rows, "rss_tree": sampler.peak, **_rusage()}


def skip_sentences(build: Build) -> Build:
    """The parse-only build's stand-in for split_sentences: no sentences."""
    return build.with_tables(sentences=empty_frame("sentences"))


def skip_claims(build: Build) -> Build:
    """The parse-only build's stand-in for extract_claims: no claims."""
    return build.with_tables(claims=empty_frame("claims"))


PARSE_ONLY = (parse_documents, skip_sentences, skip_claims)


def measure_build(
    raw: Path, out: Path, jobs: int = DEFAULT_JOBS, parse_only: bool = False, claims: str | None = None
) -> dict[str, Any]:
    """The streaming build end to end (`run_streaming` on `jobs` processes) with its stage profile.

    `parse_only` skips sentence splitting and claim extraction and keeps everything else (reading,
    parsing, validation, dedupe, writing, publishing): what a build costs before any of its NLP, the
    part of the ratio to the floor that faster rules could never remove. `claims` names another claims
    extractor than the default (the learned model): "rules"."""
    from newsds.engines.stream import local_engine, run_streaming

    engine = functools.partial(local_engine, stages=PARSE_ONLY) if parse_only else local_engine
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with TreeSampler() as sampler:
        config = BuildConfig(raw, out, "0.0.1")
        config = dataclasses.replace(config, claims=claims) if claims else config
        build = run_streaming(config, jobs=jobs, engine=engine, timings=timings)
    seconds = time.perf_counter() - start
    rows = {name: table["rows"] for name, table in (build.report or {})["tables"].items()}
    return {"seconds": seconds, "rows": rows, "timings": timings, "rss_tree": sampler.peak, **_rusage()}


def _measure_in_subprocess(kind: str, raw: Path, out: Path, jobs: int) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its JSON result."""
    command = [sys.executable, "-m", "newsds.bench.scale", "measure", kind, str(raw), str(out), str(jobs)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the {kind} measurement failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median wall time (the lower middle one for an even count)."""
    return sorted(runs, key=lambda run: float(run["seconds"]))[(len(runs) - 1) // 2]


def _cpu(run: dict[str, Any]) -> float:
    """CPU seconds of a measurement's whole process tree (its own + its waited-for workers)."""
    return float(run["cpu_self"] + run["cpu_children"])


@dataclass(frozen=True)
class Row:
    """One size's figures: every repetition of the floor, the newsds build and the do-it-yourself pipeline."""

    label: str
    corpus: Corpus
    floors: list[dict[str, Any]]
    builds: list[dict[str, Any]]
    diys: list[dict[str, Any]]
    parse_only: dict[str, Any] | None = None  # the build without sentences and claims (--parse-only)
    rules: dict[str, Any] | None = None  # one build with the rules for claims (`--claims rules`)

    @property
    def build(self) -> dict[str, Any]:
        """The newsds build of median wall time (its rows and stage profile are printed)."""
        return _median_run(self.builds)

    @property
    def floor(self) -> dict[str, Any]:
        return _median_run(self.floors)

    @property
    def documents(self) -> int:
        return int(self.build["rows"]["documents"])

    def wall(self, kind: str) -> tuple[float, float]:
        """(median, min) wall seconds of "build" or "diy"."""
        seconds = [float(r["seconds"]) for r in (self.builds if kind == "build" else self.diys)]
        return statistics.median(seconds), min(seconds)

    def cpu(self, kind: str) -> tuple[float, float]:
        """(median, min) CPU seconds over the process tree of "build" or "diy"."""
        seconds = [_cpu(r) for r in (self.builds if kind == "build" else self.diys)]
        return statistics.median(seconds), min(seconds)

    @property
    def tree_peak(self) -> int:
        """The largest sampled tree RSS over the newsds builds."""
        return max(int(r["rss_tree"]) for r in self.builds)

    @property
    def stage_seconds(self) -> float:
        return float(sum(self.build["timings"].values()))

    @property
    def validate_share(self) -> float:
        return float(self.build["timings"].get("validate", 0.0)) / self.stage_seconds


def run_size(
    material: Material,
    docs: int,
    out: Path,
    seed: int,
    jobs: int,
    keep: bool = False,
    parse_only: bool = False,
    repeats: int = DEFAULT_REPEATS,
) -> Row:
    """Generate (or reuse) the corpus of one size, then measure, `repeats` times in turn, the floor, the
    do-it-yourself pipeline and the newsds build, each in a fresh process (alternating, so the machine's
    noise falls on all three alike); then once the build with the rules for claims, and with `parse_only`
    once the build without sentences and claims."""
    label = size_label(docs)
    root = out / f"corpus-{label}-seed{seed}"
    stamp = out / f"corpus-{label}-seed{seed}.json"
    if stamp.is_file() and root.is_dir():
        info = json.loads(stamp.read_text())
        corpus = Corpus(root, info["documents"], info["files"], info["raw_bytes"])
    else:
        shutil.rmtree(root, ignore_errors=True)
        start = time.perf_counter()
        corpus = generate(material, root, docs, seed)
        stamp.write_text(
            json.dumps({"documents": corpus.documents, "files": corpus.files, "raw_bytes": corpus.raw_bytes})
        )
        print(
            f"  generated {label}: {corpus.raw_bytes / MIB:,.0f} MiB in {time.perf_counter() - start:.0f}s",
            file=sys.stderr,
        )
    work = out / f"work-{label}"
    runs: dict[str, list[dict[str, Any]]] = {"floor": [], "diy": [], "build": []}
    targets = {"floor": "floor.parquet", "diy": "diy", "build": "releases"}
    try:
        for _ in range(repeats):
            for kind, results in runs.items():  # the floor first: it warms the page cache for the others
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir(parents=True)
                results.append(_measure_in_subprocess(kind, root, work / targets[kind], jobs))
        skeleton = (
            _measure_in_subprocess("parse-only", root, work / "parse-only", jobs) if parse_only else None
        )
        shutil.rmtree(work, ignore_errors=True)
        rules = _measure_in_subprocess("build-rules", root, work / "rules", jobs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
            stamp.unlink(missing_ok=True)
    return Row(label, corpus, runs["floor"], runs["build"], runs["diy"], skeleton, rules)


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def format_table(rows: list[Row], jobs: int) -> str:
    """The comparison table, a profile line per size, and the targets beside the figures."""
    repeats = min(len(row.builds) for row in rows) if rows else 0
    lines = [
        f"scale: synthetic corpus (txt {MIX['txt']:.0%} / jsonl {MIX['jsonl']:.0%} in files of up to "
        f"{RECORDS_PER_JSONL:,} records / html {MIX['html']:.0%}), jobs={jobs}, each run in a fresh process; "
        f"{repeats} alternating repetitions of floor, do-it-yourself and newsds: median / min",
        "  diy: trafilatura for pages, raw text, blingfire sentences, reporting-verb regex, Parquet "
        "(newsds.bench.diy)",
        f"{'size':>5} {'docs':>9} {'raw MB':>7} {'newsds wall s':>14} {'diy wall s':>13} {'wall x':>6} "
        f"{'newsds CPU s':>13} {'diy CPU s':>11} {'CPU x':>6} {'ms/doc':>6} {'floor s':>7} {'tree MiB':>8}",
    ]
    for row in rows:
        (bw, bw_min), (dw, dw_min) = row.wall("build"), row.wall("diy")
        (bc, bc_min), (dc, dc_min) = row.cpu("build"), row.cpu("diy")
        lines.append(
            f"{row.label:>5} {row.documents:>9,} {row.corpus.raw_bytes / 1e6:>7,.1f} "
            f"{bw:>7.1f}/{bw_min:<6.1f} {dw:>6.1f}/{dw_min:<6.1f} {bw / dw:>6.2f} "
            f"{bc:>6.1f}/{bc_min:<6.1f} {dc:>5.1f}/{dc_min:<5.1f} {bc / dc:>6.2f} "
            f"{1000 * bc / row.documents:>6.2f} {row.floor['seconds']:>7.2f} {row.tree_peak / MIB:>8,.0f}"
        )
    lines += [
        "  wall x, CPU x: newsds / do-it-yourself (medians); ms/doc: newsds CPU (median) per document;",
        "  CPU: user + system seconds of the measured process and all its workers (rusage);",
        "  tree MiB: peak of the summed RSS of the newsds build and its workers, sampled every 0.2 s.",
        "profile of the median newsds run (stage seconds summed over batches and workers; dedupe_and_write,",
        "publish_release: main process):",
    ]
    for row in rows:
        stages = _profile(row.build["timings"])
        rejected = row.build["rows"].get("rejected", 0)
        share = row.validate_share
        lines.append(f"  {row.label:>5}: {stages} (rejected rows {rejected}; validation {share:.1%})")
    lines += _parse_only_lines(rows)
    lines += _rules_lines(rows)
    lines.append("targets (issue 22, 2 cores; stated for 100k documents, shown at every size):")
    for row in rows:
        wall, cpu = row.wall("build")[0] / row.wall("diy")[0], 1000 * row.cpu("build")[0] / row.documents
        lines.append(
            f"  {row.label:>5}: wall {wall:.2f}x the do-it-yourself pipeline (target <= 1: "
            f"{_verdict(wall <= 1)}); CPU {cpu:.2f} ms/doc (target <= {TARGET_CPU_MS:g}: "
            f"{_verdict(cpu <= TARGET_CPU_MS)})"
        )
    by_label = {row.label: row for row in rows}
    if "1M" in by_label:
        peak = by_label["1M"].tree_peak
        lines.append(
            f"  tree peak at 1M: {peak / GIB:.2f} GiB (target <= {TARGET_TREE_1M / GIB:g} GiB: "
            f"{_verdict(peak <= TARGET_TREE_1M)})"
        )
    else:
        lines.append("  tree peak at 1M: not measured (`nox -s bench -- --scale 1M --repeats 1`)")
    return "\n".join(lines)


def _profile(timings: dict[str, float], minimum: float = 0.0) -> str:
    """Stage seconds, slowest first ("extract_claims 7.0, parse_documents 3.6, ..."), none under `minimum`."""
    ranked = sorted(timings.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{name} {seconds:.1f}" for name, seconds in ranked if seconds >= minimum)


def _parse_only_lines(rows: list[Row]) -> list[str]:
    """The parse-only builds beside the full ones: how much of the ratio is not sentences and claims."""
    lines = []
    for row in rows:
        if row.parse_only is None:
            continue
        seconds, floor = row.parse_only["seconds"], row.floor["seconds"]
        stages = _profile(row.parse_only["timings"], 0.05)
        lines.append(
            f"  {row.label:>5}: {seconds:.1f} s, {seconds / floor:.1f}x the floor "
            f"({seconds / row.build['seconds']:.0%} of the full build); {stages}"
        )
    header = "without sentences and claims (--parse-only: read, parse, validate, dedupe, write, publish):"
    return [header, *lines] if lines else []


def _rules_lines(rows: list[Row]) -> list[str]:
    """One build with the rules in place of the learned model (`newsds build --claims rules`)."""
    lines = []
    for row in rows:
        if row.rules is None:
            continue
        seconds, cpu = float(row.rules["seconds"]), _cpu(row.rules)
        lines.append(
            f"  {row.label:>5}: {seconds:.1f} s wall ({seconds / row.wall('diy')[0]:.2f}x the do-it-yourself "
            f"median), {cpu:.1f} s CPU ({1000 * cpu / row.documents:.2f} ms/doc); "
            f"{_profile(row.rules['timings'], 0.05)}"
        )
    return ["with the rules for claims (one run, `newsds build --claims rules`):", *lines] if lines else []


def _as_json(row: Row) -> dict[str, Any]:
    """A row's figures as JSON (kept beside the corpora: results.json)."""
    corpus = {"documents": row.corpus.documents, "files": row.corpus.files, "raw_bytes": row.corpus.raw_bytes}
    return {
        "label": row.label,
        "corpus": corpus,
        "floors": row.floors,
        "builds": row.builds,
        "diys": row.diys,
        "parse_only": row.parse_only,
        "rules": row.rules,
    }


def _from_json(item: dict[str, Any]) -> Row:
    corpus = item["corpus"]
    return Row(
        item["label"],
        Corpus(Path(), corpus["documents"], corpus["files"], corpus["raw_bytes"]),
        item["floors"],
        item["builds"],
        item["diys"],
        item.get("parse_only"),
        item.get("rules"),
    )


def run(
    sizes: list[int],
    out: Path,
    seed: int = 0,
    jobs: int = DEFAULT_JOBS,
    raw: Path = Path("data/raw"),
    keep: bool = False,
    progress: bool = True,
    parse_only: bool = False,
    repeats: int = DEFAULT_REPEATS,
) -> list[Row]:
    """Generate and measure every size in turn; with `progress`, print the table so far to stderr."""
    material = load_material(raw)
    rows = []
    for docs in sizes:
        rows.append(run_size(material, docs, out, seed, jobs, keep, parse_only, repeats))
        (out / "results.json").write_text(json.dumps([_as_json(row) for row in rows], indent=1))
        if progress:
            print(format_table(rows, jobs) + "\n", file=sys.stderr, flush=True)
    return rows


def iter_sizes(text: str) -> Iterator[int]:
    """'1k,10k' -> 1000, 10000."""
    yield from (parse_size(part) for part in text.split(",") if part.strip())


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["measure"]:  # the fresh-interpreter side: one measurement, one JSON line
        kind, raw, out, jobs = argv[1], Path(argv[2]), Path(argv[3]), int(argv[4])
        if kind not in MEASURES:
            raise SystemExit(f"unknown measurement {kind!r}; choose one of: {', '.join(MEASURES)}")
        if kind == "floor":
            result = measure_floor(raw, out)
        elif kind == "diy":
            result = measure_diy(raw, out, jobs)
        else:
            result = measure_build(
                raw, out, jobs, kind == "parse-only", "rules" if kind == "build-rules" else None
            )
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default=DEFAULT_SIZES, help=f"comma-separated sizes (default {DEFAULT_SIZES})"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"work folder (default: {DEFAULT_OUT})")
    parser.add_argument("--raw", type=Path, default=Path("data/raw"), help="real articles (default data/raw)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS)
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora for reruns")
    parser.add_argument("--parse-only", action="store_true", help=PARSE_ONLY_HELP)
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS, help=REPEATS_HELP)
    parser.add_argument("--generate-only", action="store_true", help="write the corpora and stop")
    parser.add_argument("--render", type=Path, help="print the table of an earlier run's results.json")
    ns = parser.parse_args(argv)
    sizes = list(iter_sizes(ns.sizes))
    if ns.render is not None:
        rows = [_from_json(item) for item in json.loads(ns.render.read_text())]
        print(format_table(rows, ns.jobs))
        return
    if ns.generate_only:
        material = load_material(ns.raw)
        for docs in sizes:
            corpus = generate(material, ns.out / f"corpus-{size_label(docs)}-seed{ns.seed}", docs, ns.seed)
            print(
                f"{size_label(docs)}: {corpus.documents} in {corpus.files} files, {corpus.raw_bytes:,} bytes"
            )
        return
    print(
        format_table(
            run(
                sizes, ns.out, ns.seed, ns.jobs, ns.raw, ns.keep, parse_only=ns.parse_only, repeats=ns.repeats
            ),
            ns.jobs,
        )
    )


if __name__ == "__main__":
    main()
