"""The build in bounded batches: memory stays flat as the corpus grows, and the output bytes do not
depend on the batch size, the number of workers or the engine.

A batch is a run of raw files in path order. The middle stages (parse, split, extract) and the
per-batch validation are the pipeline's own stage functions, run unchanged on the batch's tables:
here in this process, shared with worker processes (`jobs` in all), or inside Ray Data's `map_batches`
(`newsds.engines.ray_engine`). This process then takes the results back in order, drops documents whose
text an earlier batch already had (they become `duplicate` rows, as within a batch), and appends
the tables to Parquet files in fixed-size row groups (`newsds.release.parquet`). Rows arrive in input
order whatever the batching, so the files are the same bytes as a one-batch build.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import polars as pl

from newsds.annotations import AnnotationFile, annotate
from newsds.annotations.imports import wanted_documents
from newsds.engines.sharing import shared
from newsds.errors import NewsdsError
from newsds.ingest.dedupe import KeptDocuments, SqliteStore
from newsds.ingest.files import list_raw_files, read_raw
from newsds.ingest.parse import duplicate_row
from newsds.release import STREAM_SCRATCH_PREFIX, publish, recover
from newsds.release.lineage import code_version
from newsds.release.parquet import TableWriter
from newsds.schemas import empty_frame, frame
from newsds.stages import (
    Build,
    BuildConfig,
    Stage,
    annotation_files,
    extract_claims,
    parse_documents,
    release_inputs,
    split_sentences,
)
from newsds.validate import CROSS_CHECKS, require_valid, validate_tables

Stages = tuple[Stage, ...]
BATCH_STAGES: Stages = (parse_documents, split_sentences, extract_claims)
STREAMED = ("documents", "sentences", "claims")  # written row group by row group
SPILLED = "raw"  # written row group by row group too, to a scratch file: the release's inputs.parquet
DEFAULT_BATCH_FILES = 1024  # fewer batches: validation and the hand-off cost a fixed ~0.1 s a batch
DEFAULT_BATCH_BYTES = 16 * 1024 * 1024  # raw bytes; a batch's tables take some 10-20x that in memory
Progress = Callable[[int, int], None]  # (files done, files in all)


def plan_batches(
    raw_root: Path,
    files: list[str],
    batch_files: int = DEFAULT_BATCH_FILES,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
) -> list[list[str]]:
    """Consecutive runs of files, each at most batch_files files and (past its first) batch_bytes bytes."""
    batches: list[list[str]] = []
    current: list[str] = []
    size = 0
    for name in files:
        try:
            length = (raw_root / name).lstat().st_size
        except OSError:
            length = 0
        if current and (len(current) >= batch_files or size + length > batch_bytes):
            batches.append(current)
            current, size = [], 0
        current.append(name)
        size += length
    return [*batches, current] if current else batches


@dataclass(frozen=True)
class BatchResult:
    """One batch's tables (raw with its content emptied), its validation report and seconds per stage."""

    tables: dict[str, pl.DataFrame]
    report: dict[str, Any]
    timings: dict[str, float]


def process_batch(config: BuildConfig, files: list[str], stages: Stages = BATCH_STAGES) -> BatchResult:
    """Read one batch of raw files and run the middle stages and validation on it (pure but for reading)."""
    clock = time.perf_counter()
    raw, rejected = read_raw(config.raw_root, config.max_bytes, files, config.sources)
    timings = {"read_raw_files": time.perf_counter() - clock}
    build = Build(config).with_tables(raw=raw, rejected=rejected)
    for stage in stages:
        clock = time.perf_counter()
        build = stage(build)
        timings[stage.__name__] = time.perf_counter() - clock
    clock = time.perf_counter()
    report = validate_tables(build.tables)
    timings["validate"] = time.perf_counter() - clock
    tables = {**build.tables, "raw": build.tables["raw"].with_columns(content=pl.lit(None, pl.Binary))}
    return BatchResult(tables, report, timings)


def local_engine(
    config: BuildConfig, batches: list[list[str]], jobs: int, stages: Stages = BATCH_STAGES
) -> Iterator[BatchResult]:
    """Batch results in order, computed by `jobs` processes: this one and `jobs - 1` workers
    (`newsds.engines.sharing` says why). `stages` stand in for BATCH_STAGES only in the benchmark
    (module-level functions: workers import them)."""
    if jobs <= 1 or len(batches) <= 1:
        yield from (process_batch(config, files, stages) for files in batches)
        return
    # Fresh interpreters (spawn, not fork: polars' thread pool does not survive a fork), one polars
    # thread each so that `jobs` means cores.
    previous = os.environ.get("POLARS_MAX_THREADS")
    os.environ["POLARS_MAX_THREADS"] = "1"
    try:
        with ProcessPoolExecutor(jobs - 1, mp_context=get_context("spawn")) as pool:
            yield from shared(pool, jobs - 1, process_batch, [(config, files, stages) for files in batches])
    finally:
        if previous is None:
            os.environ.pop("POLARS_MAX_THREADS", None)
        else:
            os.environ["POLARS_MAX_THREADS"] = previous


class Deduplicator:
    """Across batches, keep the first document of each clean text (and of each doc_id); the others
    become `duplicate` rows pointing at the kept document, exactly as `documents_table` does within a
    batch (the same KeptDocuments and duplicate_row). The index lives in an SQLite file at `path`:
    its memory does not grow with the corpus."""

    def __init__(self, path: Path) -> None:
        self.store = SqliteStore(path)
        self.kept = KeptDocuments(self.store)

    def __call__(self, tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
        docs = tables["documents"]
        firsts = self.kept.keep_all(docs.select("doc_id", "text").iter_rows())
        if all(first is None for first in firsts):
            return tables
        mask = pl.Series([first is None for first in firsts], dtype=pl.Boolean)
        rows = docs.filter(~mask).select("doc_id", "source_path", "source_sha256", "record", "format")
        kept = [first for first in firsts if first is not None]
        duplicates = [
            duplicate_row(doc, first) for doc, first in zip(rows.iter_rows(named=True), kept, strict=True)
        ]
        dropped = rows["doc_id"].implode()
        return {
            **tables,
            "documents": docs.filter(mask),
            "sentences": tables["sentences"].filter(~pl.col("doc_id").is_in(dropped)),
            "claims": tables["claims"].filter(~pl.col("doc_id").is_in(dropped)),
            "rejected": pl.concat([tables["rejected"], frame("rejected", duplicates)]),
        }

    def close(self) -> None:
        self.store.close()


class AnnotatedSubset:
    """Collects, batch by batch, the few documents the annotation files name (with their sentences
    and rule claims), so the annotation stage runs once at the end without reading the release back."""

    def __init__(self, files: list[AnnotationFile]) -> None:
        self.files = files
        self.ids, self.texts = wanted_documents(files)
        self.parts: dict[str, list[pl.DataFrame]] = {"documents": [], "sentences": [], "claims": []}

    def add(self, tables: dict[str, pl.DataFrame]) -> None:
        if not self.ids and not self.texts:
            return
        docs = tables["documents"].filter(pl.col("doc_id").is_in(self.ids) | pl.col("text").is_in(self.texts))
        if docs.height:
            keep = pl.col("doc_id").is_in(docs["doc_id"].implode())
            self.parts["documents"].append(docs)
            self.parts["sentences"].append(tables["sentences"].filter(keep))
            self.parts["claims"].append(tables["claims"].filter(keep))

    def annotate(self, policy: str) -> tuple[dict[str, pl.DataFrame], dict[str, Any], dict[str, Any]]:
        """The annotation tables (with `gold_claims`), the agreement report and their validation."""
        got = {name: pl.concat(parts) if parts else empty_frame(name) for name, parts in self.parts.items()}
        tables, report = annotate(self.files, got["documents"], got["sentences"], got["claims"], policy)
        checked = validate_tables(
            {**got, **tables, "claims": tables["gold_claims"]},
            checks=("claims_in_sentences", "annotations_in_documents"),
        )
        return tables, report, checked


def _report(valid: dict[str, Any], rows: dict[str, int], annotations: dict[str, Any]) -> dict[str, Any]:
    """The release's validation report from all-valid batches and the annotation stage's report: the
    same document a one-batch build gives."""
    tables = {
        name: {"rows": rows[name], "valid": True, "failures": 0, "by_check": [], "examples": []}
        for name in valid["tables"]
    }
    tables.update({k: v for k, v in annotations["tables"].items() if k not in tables})
    cross = [
        {"check": check, "description": description, "valid": True, "failures": 0, "examples": []}
        for check, (description, _) in CROSS_CHECKS.items()
    ]
    return {"schema_version": valid["schema_version"], "valid": True, "tables": tables, "cross_table": cross}


Engine = Callable[[BuildConfig, list[list[str]], int], Iterable[BatchResult]]


def run_streaming(
    config: BuildConfig,
    *,
    jobs: int = 1,
    batch_files: int = DEFAULT_BATCH_FILES,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
    engine: Engine = local_engine,
    progress: Progress | None = None,
    timings: dict[str, float] | None = None,
) -> Build:
    """Build and publish a release batch by batch; returns the final Build (as `pipeline.run` does).

    `timings`, when given, is filled with seconds per stage (summed over batches, in whichever
    process ran them) and for this process's dedupe+write and publish steps: the build's profile.
    """
    timings = {} if timings is None else timings
    code_version()  # ask git now, while this process is small: a forked child inherits its size
    files = list_raw_files(config.raw_root, config.sources)
    if not files:
        raise NewsdsError(f"no raw files under {config.raw_root}; add article files (.txt) and build again")
    batches = plan_batches(config.raw_root, files, batch_files, batch_bytes)
    config.out_root.mkdir(parents=True, exist_ok=True)
    recover(config.out_root)  # what a killed build left, before this one adds its own
    scratch = Path(tempfile.mkdtemp(prefix=f"{STREAM_SCRATCH_PREFIX}{os.getpid()}-", dir=config.out_root))
    try:
        writers = {name: TableWriter(scratch / f"{name}.parquet", name) for name in (*STREAMED, SPILLED)}
        dedupe = Deduplicator(scratch / "kept.sqlite")
        annotation_table = annotation_files(config.annotations_root)
        subset = AnnotatedSubset([AnnotationFile(p, d, t) for p, d, t in annotation_table.iter_rows()])
        rejected, first_report, done = [], None, 0
        try:
            for result in engine(config, batches, jobs):
                require_valid(result.report)  # stop at the first invalid batch, nothing published
                first_report = first_report or result.report
                for stage, seconds in result.timings.items():
                    timings[stage] = timings.get(stage, 0.0) + seconds
                clock = time.perf_counter()
                tables = dedupe(result.tables)
                for name in (*STREAMED, SPILLED):
                    writers[name].write(tables[name])
                timings["dedupe_and_write"] = (
                    timings.get("dedupe_and_write", 0.0) + time.perf_counter() - clock
                )
                subset.add(tables)
                if tables["rejected"].height:  # most batches reject nothing: keep no empty frames
                    rejected.append(tables["rejected"])
                done += result.tables["raw"].height
                if progress is not None:
                    progress(done, len(files))
            clock = time.perf_counter()
            annotation_tables, annotation_report, annotation_check = subset.annotate(config.policy)
            require_valid(annotation_check)
            writers["claims"].write(annotation_tables.pop("gold_claims"))  # after every rule claim
            timings["annotate_claims"] = time.perf_counter() - clock
        finally:
            dedupe.close()
            for writer in writers.values():
                writer.close()
        assert first_report is not None
        rejected_all = pl.concat([empty_frame("rejected"), *rejected])
        rows = {name: writers[name].rows for name in STREAMED} | {
            "rejected": rejected_all.height,
            "raw": writers[SPILLED].rows,
        }
        build = Build(
            config,
            {
                "rejected": rejected_all,
                "annotation_files": annotation_table,
                **annotation_tables,
            },
            _report(first_report, rows, annotation_check),
            annotation_report=annotation_report,
        )
        written = {name: scratch / f"{name}.parquet" for name in STREAMED}
        clock = time.perf_counter()
        path = publish(
            release_inputs(build, written, inputs=pl.scan_parquet(scratch / f"{SPILLED}.parquet")),
            config.out_root,
            config.version,
            replace=config.replace,
            history=config.history_root,
        )
        timings["publish_release"] = time.perf_counter() - clock
        return replace(build, release_path=path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def terminal_progress() -> Progress | None:
    """A rich progress bar (files, files/s, ETA) when a person watches stderr; None in pipelines and CI."""
    if not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    bar = Bar(
        TextColumn("building"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} files/s"),
        TimeRemainingColumn(),
        transient=True,
    )
    task = bar.add_task("build", total=None, rate="–")
    started = False

    def update(done: int, total: int) -> None:
        nonlocal started
        if not started:
            bar.start()
            started = True
        elapsed = bar.tasks[0].elapsed or 0.0
        rate = f"{done / elapsed:,.0f}" if elapsed > 0 else "–"
        bar.update(task, completed=done, total=total, rate=rate)
        if done >= total:
            bar.stop()

    return update
