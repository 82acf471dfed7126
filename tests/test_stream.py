"""The streaming build gives the in-memory build's bytes, whatever the batch size, workers or duplicates."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsds
from newsds.annotations import export_tasks
from newsds.cli import main
from newsds.engines.sharing import AHEAD, shared
from newsds.engines.stream import plan_batches, run_streaming
from newsds.ingest.dedupe import KeptDocuments, SqliteStore
from newsds.pipeline import BuildConfig, run
from tests.conftest import RAW
from tests.test_annotations import as_annotated

SUBSET = [
    "000_7cda765537e03049.txt",
    "003_2a186d871b2908a7.txt",
    "aeb_bbc_com_70cb2d5b.html.gz",
    "newsplease_export.jsonl",
    "wikinews_crane.txt",
    "wikinews_flag.txt",
    "wikinews_korea.txt",
    "wikinews_worship.txt",
    "SOURCES.csv",
]


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A small mixed raw folder (txt, gzipped html, jsonl with a bad line, a duplicate) and the
    digests of its in-memory build."""
    root = tmp_path_factory.mktemp("stream")
    raw = root / "raw"
    raw.mkdir()
    for name in SUBSET:
        shutil.copy(RAW / name, raw / name)
    shutil.copy(RAW / "wikinews_crane.txt", raw / "zz_copy_of_crane.txt")  # a duplicate in a later batch
    write_annotations(raw, root / "annotations")
    built = run(
        BuildConfig(raw, root / "memory", "1.0.0", annotations_root=root / "annotations")
    ).release_path
    assert built is not None
    assert newsds.load(root=root / "memory").human_claims.height > 0
    return raw, _digests(built)


def write_annotations(raw: Path, folder: Path) -> None:
    """Two annotators' Label Studio exports of two articles (one annotator left an attribution out)."""
    folder.mkdir()
    docs = [newsds.parse_file(raw / name) for name in ("wikinews_crane.txt", "wikinews_korea.txt")]
    frame = pl.DataFrame([{k: d[k] for k in ("doc_id", "title", "source_path", "text")} for d in docs])
    claims = pl.concat(
        [newsds.extract_claims(d["text"]).with_columns(doc_id=pl.lit(d["doc_id"])) for d in docs]
    )
    tasks = export_tasks(frame, claims)
    for who in ("a", "b"):
        edited = as_annotated(tasks, f"{who}@example.org")
        if who == "b":
            result = edited[0]["annotations"][0]["result"]
            edited[0]["annotations"][0]["result"] = [
                r for r in result if not r.get("id", r.get("from_id", "")).startswith("p0")
            ]
        (folder / f"{who}.json").write_text(json.dumps(edited), encoding="utf-8")


def _config(raw: Path, out: Path) -> BuildConfig:
    return BuildConfig(raw, out, "1.0.0", annotations_root=raw.parent / "annotations")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch_files=st.integers(1, 12))
def test_any_batch_size_gives_the_in_memory_bytes(
    corpus: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory, batch_files: int
) -> None:
    raw, expected = corpus
    out = tmp_path_factory.mktemp("out")
    built = run_streaming(_config(raw, out), batch_files=batch_files).release_path
    assert built is not None and _digests(built) == expected


def test_worker_processes_give_the_same_bytes(corpus: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    raw, expected = corpus
    built = run_streaming(_config(raw, tmp_path), batch_files=2, jobs=2).release_path
    assert built is not None and _digests(built) == expected


class _Tasks:
    """Tasks that sleep a drawn time and record who ran them and how many were started."""

    def __init__(self, pauses: list[float]) -> None:
        self.pauses, self.ran_by, self.started = pauses, {}, 0
        self.lock = threading.Lock()

    def __call__(self, i: int) -> int:
        with self.lock:
            self.started += 1
            self.ran_by.setdefault(i, []).append(threading.current_thread().name)
        time.sleep(self.pauses[i])
        return i


@settings(max_examples=25, deadline=None)
@given(
    pauses=st.lists(st.floats(0.0, 0.004), min_size=1, max_size=24),
    workers=st.integers(1, 3),
    consumer_pause=st.floats(0.0, 0.002),
)
def test_shared_work_comes_back_in_order_each_task_once_and_bounded(
    pauses: list[float], workers: int, consumer_pause: float
) -> None:
    tasks = _Tasks(pauses)
    bound = AHEAD * (workers + 1) + 1  # claimed ahead of the reader, and the one it is reading
    got = []
    with ThreadPoolExecutor(workers, thread_name_prefix="worker") as pool:
        for result in shared(pool, workers, tasks, [(i,) for i in range(len(pauses))]):
            assert tasks.started - len(got) <= bound  # results are not piled up ahead of the reader
            got.append(result)
            time.sleep(consumer_pause)
    assert got == list(range(len(pauses)))
    assert all(len(ran) == 1 for ran in tasks.ran_by.values()) and len(tasks.ran_by) == len(pauses)


def test_the_building_process_shares_the_batches_with_its_workers() -> None:
    """While the next result is not ready, the caller runs tasks itself: `jobs` processes, not jobs + 1."""
    tasks = _Tasks([0.02] * 8)
    with ThreadPoolExecutor(1, thread_name_prefix="worker") as pool:
        assert list(shared(pool, 1, tasks, [(i,) for i in range(8)])) == list(range(8))
    runners = {ran[0].split("_")[0] for ran in tasks.ran_by.values()}
    assert runners == {"worker", threading.current_thread().name}


def test_an_error_in_a_task_stops_the_build_and_cancels_the_queued_tasks() -> None:
    started = []

    def task(i: int) -> int:
        started.append(i)
        if i == 2:
            raise ValueError("batch 2 is broken")
        time.sleep(0.01)
        return i

    with ThreadPoolExecutor(1) as pool, pytest.raises(ValueError, match="batch 2"):
        list(shared(pool, 1, task, [(i,) for i in range(40)]))
    assert len(started) < 10  # the tasks queued behind the error never ran


def test_a_duplicate_in_a_later_batch_is_rejected_pointing_at_the_kept_document(
    corpus: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    raw, _ = corpus
    run_streaming(BuildConfig(raw, tmp_path, "1.0.0"), batch_files=1)
    rel = newsds.load(root=tmp_path)
    duplicate = rel.rejected.filter(reason="duplicate").row(0, named=True)
    kept = rel.documents.filter(source_path="wikinews_crane.txt")["doc_id"].item()
    assert duplicate["source_path"] == "zz_copy_of_crane.txt" and duplicate["duplicate_of"] == kept
    counts = rel.manifest["counts"]
    assert counts["inputs"] == counts["documents"] + counts["rejected"]


@settings(max_examples=40, deadline=None)
@given(
    docs=st.lists(
        st.tuples(st.sampled_from("abcdef"), st.sampled_from(["x", "y", "z", "é", ""])), max_size=30
    ),
    cuts=st.lists(st.integers(0, 30), max_size=5),
)
def test_the_on_disk_index_answers_as_the_in_memory_one_whatever_the_batches(
    docs: list[tuple[str, str]], cuts: list[int]
) -> None:
    """The streaming build's SQLite index and documents_table's dict keep the same documents."""
    in_memory = KeptDocuments()
    expected = [in_memory.keep(doc_id, text) for doc_id, text in docs]
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "kept.sqlite")
        on_disk = KeptDocuments(store)
        bounds = [0, *sorted(cuts), len(docs)]
        got = [first for a, b in itertools.pairwise(bounds) for first in on_disk.keep_all(docs[a:b])]
        store.close()
    assert got == expected


def test_progress_reports_every_file_and_timings_profile_the_stages(
    corpus: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    raw, _ = corpus
    seen: list[tuple[int, int]] = []
    timings: dict[str, float] = {}
    run_streaming(
        BuildConfig(raw, tmp_path, "1.0.0"),
        batch_files=3,
        progress=lambda done, total: seen.append((done, total)),
        timings=timings,
    )
    files = len(SUBSET)  # SOURCES.csv is provenance; the extra copy is an input
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1] == (files, files)
    assert {"parse_documents", "split_sentences", "extract_claims", "validate", "publish_release"} <= set(
        timings
    )


def test_batches_are_consecutive_runs_bounded_by_files_and_bytes(tmp_path: Path) -> None:
    for i, size in enumerate([10, 10, 50, 10, 10]):
        (tmp_path / f"f{i}.txt").write_bytes(b"x" * size)
    files = [f"f{i}.txt" for i in range(5)]
    assert plan_batches(tmp_path, files, batch_files=2, batch_bytes=1000) == [
        files[:2],
        files[2:4],
        files[4:],
    ]
    assert (
        plan_batches(tmp_path, files, batch_files=10, batch_bytes=25)
        == [
            files[:2],
            [files[2]],  # larger than the byte bound alone: a batch of its own
            files[3:],
        ]
    )


def test_an_invalid_batch_stops_the_build_and_publishes_nothing(
    corpus: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsds.engines import stream

    raw, _ = corpus
    real = stream.validate_tables

    def failing(tables: dict[str, object]) -> dict[str, object]:
        report = real(tables)  # type: ignore[arg-type]
        report["valid"] = False
        report["cross_table"][0].update(valid=False, failures=1, examples=[{"sent_id": "x"}])
        return report

    monkeypatch.setattr(stream, "validate_tables", failing)
    with pytest.raises(newsds.SchemaValidationError, match="nothing was published"):
        run_streaming(BuildConfig(raw, tmp_path, "1.0.0"), batch_files=3)
    assert newsds.releases(tmp_path) == [] and [p.name for p in tmp_path.iterdir()] == []


def test_the_cli_takes_jobs_batch_files_and_checks_them(
    corpus: tuple[Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, expected = corpus
    args = ["build", "--raw", str(raw), "--out", str(tmp_path), "--version", "1.0.0", "--quiet"]
    assert main([*args, "--jobs", "1", "--batch-files", "4"]) == 0
    assert _digests(tmp_path / "1.0.0") == expected
    with pytest.raises(SystemExit):
        main([*args, "--jobs", "0"])
    assert "at least 1" in capsys.readouterr().err
