"""The streaming build's engine for Ray Data: `newsds build --engine ray` (`pip install 'newsds[ray]'`).

Why: one machine's cores are not always enough. Ray Data spreads the batches over a cluster while
this process (the driver) keeps the parts that must see every batch in order, so the release is
the same bytes as a local build: `newsds.engines.stream.run_streaming` dedupes across batches, writes the
Parquet row groups and publishes. Only the middle of the build moves: each newsds batch (a list
of raw file paths) is one row of a Ray Dataset, and `map_batches` runs `newsds.engines.stream.process_batch`
on it, the pipeline's own parse/split/extract stages and validation, unchanged. The tables come
back as Arrow IPC bytes (with the report and the timings as JSON) and are read back into Polars
frames with the same dtypes; results are taken in batch order (`preserve_order`, plus a reorder
buffer that only fills if Ray hands them out of order).

Ray itself: if this process is already connected (`ray.init(...)` was called, e.g. with an
address), that Ray is used as is. Otherwise a `RAY_ADDRESS` in the environment is connected to,
and failing that a private local Ray is started with `jobs` CPUs, no dashboard and quiet logs; it
writes only under Ray's temp folder (/tmp/ray, or RAY_TMPDIR) and ~/.ray, needs no network, and
stays up until this process exits so that a second build does not pay the start-up again.

Running on a cluster
--------------------
1. Install the same newsds (and so the same pinned libraries) on every node, e.g.
   `pip install 'newsds[ray]==X.Y.Z'`. Workers check this: a worker whose newsds, stage rules or
   output-shaping library versions differ from the driver's stops the build with an error instead
   of changing bytes.
2. Put the raw folder on a filesystem every node mounts at the same path (NFS, a mounted bucket):
   the workers read the raw files themselves, at `config.raw_root` made absolute on the driver.
   Only file names travel in the task arguments, never the article bytes.
3. Point the build at the cluster, then build as usual:
   - from any machine that can reach the head: `RAY_ADDRESS=ray://head:10001 newsds build
     --engine ray --raw /mnt/news/raw --out /mnt/news/processed` (Ray Client);
   - on a node that joined with `ray start --head` / `ray start --address=head:6379`:
     `RAY_ADDRESS=auto newsds build --engine ray ...`, or from Python `ray.init(address="auto")`
     and then `newsds.build(..., engine="ray")`;
   - as a Ray Job (`ray job submit --working-dir . -- newsds build --engine ray ...`), where
     Ray sets RAY_ADDRESS for the build.
   On an existing Ray, `--jobs` does not limit anything: Ray schedules one task (one CPU) per batch
   on whatever CPUs the cluster has; `--batch-files` sets the task size.
4. The release is written by the driver (the process that runs `newsds build`) to `--out`, on its
   own disk or a shared one; its bytes are identical to a local build's of the same raw files.
   The driver holds one batch's tables at a time (plus Ray's prefetch); finished batches wait in
   Ray's object store, which Ray Data keeps bounded by pausing new tasks.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, cast

import polars as pl
import pyarrow as pa
import ray
import ray.data

from newsds.engines.stream import BatchResult, process_batch
from newsds.errors import NewsdsError
from newsds.release.lineage import library_versions
from newsds.stages import BuildConfig, stage_versions

# One row per newsds batch, in and out.
INPUT_SCHEMA = pa.schema([("batch", pa.int64()), ("files", pa.list_(pa.binary()))])
RESULT_SCHEMA = pa.schema(
    [
        ("batch", pa.int64()),
        ("names", pa.list_(pa.string())),  # table names, in the batch result's order
        ("tables", pa.list_(pa.large_binary())),  # each table as an Arrow IPC file (Polars' own writer)
        ("report", pa.large_string()),  # validation report, JSON
        ("timings", pa.string()),  # seconds per stage, JSON
        ("code", pa.string()),  # what the worker runs (`_code`), JSON
        ("error", pa.string()),  # a NewsdsError's message (then no tables), else null
    ]
)
# Each task runs one batch on one CPU: one Polars thread, so that CPUs mean cores (as `jobs` does locally).
WORKER_ENV = {"POLARS_MAX_THREADS": "1"}
_started: list[str] = []  # the address of the local Ray this module started, if any


def _encode_name(name: str) -> bytes:
    """A raw file's relative path as bytes: names that are not UTF-8 (surrogate escapes) survive Arrow."""
    return name.encode("utf-8", "surrogateescape")


def _decode_name(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


@functools.cache
def _code() -> str:
    """The versions that shape the output bytes (libraries incl. newsds, stage rules), as canonical JSON.

    The same fields a rebuild check compares (`lineage.comparable`): the source fingerprint is
    lineage, and an edit in a development tree during a build must not stop it."""
    return json.dumps({"libraries": library_versions(), "stages": stage_versions()}, sort_keys=True)


def _table_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="uncompressed")
    return buffer.getvalue()


def run_batches(batch: pa.Table, config: BuildConfig) -> pa.Table:
    """Ray Data's batch function: each input row (a newsds batch) -> one result row (see RESULT_SCHEMA)."""
    rows: dict[str, list[Any]] = {name: [] for name in RESULT_SCHEMA.names}
    for item in batch.to_pylist():
        rows["batch"].append(item["batch"])
        rows["code"].append(_code())
        try:
            result = process_batch(config, [_decode_name(name) for name in item["files"]])
        except NewsdsError as exc:  # a message for the user, raised by the driver in batch order
            for name, value in (("names", []), ("tables", []), ("report", "null"), ("timings", "{}")):
                rows[name].append(value)
            rows["error"].append(str(exc))
            continue
        clock = time.perf_counter()
        rows["names"].append(list(result.tables))
        rows["tables"].append([_table_bytes(frame) for frame in result.tables.values()])
        rows["report"].append(json.dumps(result.report, default=str))  # default: dates in failure examples
        timings = {**result.timings, "ray_encode": time.perf_counter() - clock}
        rows["timings"].append(json.dumps(timings))
        rows["error"].append(None)
    return pa.table(rows, schema=RESULT_SCHEMA)


def _decode(row: dict[str, Any]) -> BatchResult:
    """A result row back into the BatchResult that process_batch returned in the worker."""
    clock = time.perf_counter()
    if row["code"] != _code():
        raise NewsdsError(
            "a Ray worker runs another newsds version or other library versions than this process, "
            f"so the release would not be reproducible: worker {row['code']}, here {_code()}. "
            "Install the same newsds[ray] version on every node"
        )
    if row["error"] is not None:
        raise NewsdsError(row["error"])
    tables = {
        name: pl.read_ipc(io.BytesIO(data)) for name, data in zip(row["names"], row["tables"], strict=True)
    }
    timings: dict[str, float] = json.loads(row["timings"])
    timings["ray_decode"] = time.perf_counter() - clock
    return BatchResult(tables, json.loads(row["report"]), timings)


def ensure_ray(jobs: int) -> bool:
    """Use the Ray this process is connected to; else connect to RAY_ADDRESS; else start a local Ray.

    True when it is a local Ray started here, whose workers already have WORKER_ENV."""
    if ray.is_initialized():
        return bool(_started) and ray.get_runtime_context().gcs_address in _started
    if os.environ.get("RAY_ADDRESS"):
        ray.init(logging_level=logging.WARNING)
        return False
    # A private local Ray: nothing sent anywhere (no usage stats, no dashboard), the workers' output
    # left in the session's log folder, and no start-up note about Ray's default token auth. Its
    # processes inherit this environment: WORKER_ENV is set for them, which costs nothing, where a
    # runtime_env would start a second set of workers.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    saved = {name: os.environ.get(name) for name in WORKER_ENV}
    os.environ.update(WORKER_ENV)
    auth = logging.getLogger("ray._private.authentication.authentication_token_setup")
    note = _Drop("Token authentication is enabled")
    auth.addFilter(note)
    try:
        ray.init(
            address="local",  # never a cluster that `ray start` left running: that takes RAY_ADDRESS=auto
            num_cpus=jobs,
            include_dashboard=False,
            logging_level=logging.WARNING,
            log_to_driver=False,
        )
    finally:
        auth.removeFilter(note)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    _started.append(ray.get_runtime_context().gcs_address)
    return True


class _Drop(logging.Filter):
    """Drops log records below WARNING and those starting with one of `prefixes`."""

    def __init__(self, *prefixes: str) -> None:
        super().__init__()
        self.prefixes = prefixes

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING and not record.getMessage().startswith(self.prefixes)


def _console_handlers() -> list[logging.Handler]:
    return [
        h
        for h in logging.getLogger("ray.data").handlers
        if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
    ]


def ray_engine(config: BuildConfig, batches: list[list[str]], jobs: int) -> Iterator[BatchResult]:
    """Batch results in batch order, each computed by `process_batch` in a Ray Data task."""
    if not batches:
        return
    local = ensure_ray(jobs)
    # Workers may run elsewhere, in another folder: they get the raw folder as an absolute path.
    config = replace(config, raw_root=config.raw_root.absolute())
    blocks = [  # one newsds batch per Ray block, so per task
        pa.table({"batch": [i], "files": [[_encode_name(name) for name in files]]}, schema=INPUT_SCHEMA)
        for i, files in enumerate(batches)
    ]
    dataset = ray.data.from_arrow(blocks)
    dataset.context.execution_options.preserve_order = True  # this dataset's own copy of the context
    dataset.context.enable_progress_bars = False
    results = dataset.map_batches(
        functools.partial(run_batches, config=config),
        batch_format="pyarrow",
        batch_size=1,
        num_cpus=1,
        runtime_env=None if local else {"env_vars": WORKER_ENV},
    )
    # Ray Data's per-dataset INFO lines, and its note that progress bars are off, stay out of the
    # console (newsds shows its own progress); they are still in Ray's log files.
    quiet = _Drop("Progress bars")
    handlers = _console_handlers()
    for handler in handlers:
        handler.addFilter(quiet)
    waiting: dict[int, dict[str, Any]] = {}  # reorder buffer: stays empty while Ray keeps the order
    following = 0
    try:
        for block in results.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=1):
            for row in cast(pa.Table, block).to_pylist():
                waiting[row["batch"]] = row
                while following in waiting:
                    yield _decode(waiting.pop(following))
                    following += 1
    finally:
        for handler in handlers:
            handler.removeFilter(quiet)
    if following != len(batches):
        raise NewsdsError(f"Ray returned {following} of {len(batches)} batches; build again")
