"""The Ray Data engine: on a local Ray with 2 CPUs, the release is byte-identical to the local engine's.

Runs only where Ray Data is installed (`pip install 'newsds[ray]'`; `nox -s ray`). The Ray is local
(127.0.0.1, its files under /tmp/ray and ~/.ray): no network, nothing written into the repository.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

import newsds  # noqa: E402
from newsds.cli import main  # noqa: E402
from newsds.engines.ray_engine import _decode, ensure_ray, ray_engine, run_batches  # noqa: E402
from newsds.engines.stream import plan_batches, process_batch  # noqa: E402
from newsds.errors import NewsdsError  # noqa: E402
from newsds.ingest.files import list_raw_files  # noqa: E402
from newsds.pipeline import BuildConfig  # noqa: E402
from tests.conftest import SEED_000  # noqa: E402

# Ray copies its DataContext by setting every field, deprecated ones too: its warnings, not ours.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.*")
VERSION = "0.1.0"
BATCH_FILES = 5  # data/raw's files in several batches


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    """One local Ray with 2 CPUs for the module (as `newsds build --engine ray --jobs 2` starts it),
    never a cluster named in the environment; shut down at the end."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("RAY_ADDRESS", raising=False)
        if ray.is_initialized():
            ray.shutdown()
        assert ensure_ray(2), "a local Ray started by newsds"
        assert ray.cluster_resources()["CPU"] == 2
        try:
            yield
        finally:
            ray.shutdown()


def _with_edge_cases(raw: Path) -> Path:
    """The raw copy plus a file name that is not UTF-8 and a duplicate that a later batch sees."""
    (raw / os.fsdecode(b"bad\xff.txt")).write_bytes(SEED_000.read_bytes().replace(b"March", b"April"))
    shutil.copy(SEED_000, raw / "zz_duplicate.txt")
    return raw


def _hashes(release: Path) -> dict[str, str]:
    """sha256 of every file in a release folder (manifest.json included), by relative path."""
    return {
        path.relative_to(release).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(release.rglob("*"))
        if path.is_file()
    }


def test_batch_results_round_trip_through_arrow(raw_copy: Path) -> None:
    """The batch function's Arrow row decodes to what process_batch returned: same frames and dtypes."""
    import pyarrow as pa

    config = BuildConfig(raw_copy)
    files = list_raw_files(raw_copy)[:BATCH_FILES]
    batch = pa.table({"batch": [3], "files": [[name.encode() for name in files]]})
    rows = run_batches(batch, config).to_pylist()
    assert [row["batch"] for row in rows] == [3]
    decoded, expected = _decode(rows[0]), process_batch(config, files)
    assert list(decoded.tables) == list(expected.tables)
    for name, frame in expected.tables.items():
        assert decoded.tables[name].schema == frame.schema, name
        assert decoded.tables[name].equals(frame), name
    assert decoded.report == expected.report
    assert set(expected.timings) < set(decoded.timings)


def test_a_worker_with_other_versions_stops_the_build(raw_copy: Path) -> None:
    import pyarrow as pa

    batch = pa.table({"batch": [0], "files": [[list_raw_files(raw_copy)[0].encode()]]})
    row = run_batches(batch, BuildConfig(raw_copy)).to_pylist()[0]
    row["code"] = row["code"].replace('"polars": "', '"polars": "0.0.0-')
    with pytest.raises(NewsdsError, match="other library versions"):
        _decode(row)


def test_ray_engine_yields_the_local_results_in_batch_order(raw_copy: Path) -> None:
    config = BuildConfig(_with_edge_cases(raw_copy))
    batches = plan_batches(raw_copy, list_raw_files(raw_copy), batch_files=BATCH_FILES)
    assert len(batches) >= 8
    results = list(ray_engine(config, batches, 2))
    assert len(results) == len(batches)
    for files, result in zip(batches, results, strict=True):
        expected = process_batch(config, files)
        for name, frame in expected.tables.items():
            assert result.tables[name].equals(frame), name
    assert list(ray_engine(config, [], 2)) == []


def test_release_is_byte_identical_to_the_local_engines(raw_copy: Path, tmp_path: Path) -> None:
    raw = _with_edge_cases(raw_copy)
    local = newsds.build(raw, tmp_path / "local", VERSION, engine="local", jobs=1, batch_files=BATCH_FILES)
    on_ray = newsds.build(raw, tmp_path / "ray", VERSION, engine="ray", jobs=2, batch_files=BATCH_FILES)
    expected = _hashes(local.path)
    assert "manifest.json" in expected and "documents.parquet" in expected
    assert _hashes(on_ray.path) == expected
    # The batch size does not change the bytes either: one batch holding every file.
    whole = newsds.build(raw, tmp_path / "whole", VERSION, engine="ray", jobs=2, batch_files=10_000)
    assert _hashes(whole.path) == expected
    rejected = on_ray.tables()["rejected"]
    assert {"bad\\xff.txt", "zz_duplicate.txt"} <= set(rejected["source_path"].to_list())


def test_cli_build_with_the_ray_engine(
    raw_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = _with_edge_cases(raw_copy)
    common = ["--batch-files", str(BATCH_FILES), "--raw", str(raw), "--version", VERSION, "--quiet"]
    assert main(["build", "--engine", "local", "--jobs", "1", "--out", str(tmp_path / "local"), *common]) == 0
    assert main(["build", "--engine", "ray", "--jobs", "2", "--out", str(tmp_path / "ray"), *common]) == 0
    assert capsys.readouterr().out.count(f"release {VERSION} at ") == 2
    assert _hashes(tmp_path / "ray" / VERSION) == _hashes(tmp_path / "local" / VERSION)
    # Building the published version again rebuilds it on Ray and compares every file.
    assert main(["build", "--engine", "ray", "--jobs", "2", "--out", str(tmp_path / "ray"), *common]) == 0
    captured = capsys.readouterr()
    assert "every file byte-identical" in captured.out
    assert "INFO" not in captured.err  # Ray Data's per-dataset lines stay out of the console


def test_a_workers_newsds_error_reaches_the_cli_as_a_clean_message(
    raw_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (raw_copy / "SOURCES.csv").write_text("file,url\nx.txt,https://example.org/x\n")
    with pytest.raises(NewsdsError, match="needs a 'path' column"):
        list(ray_engine(BuildConfig(raw_copy), [list_raw_files(raw_copy)[:2]], 2))
    args = ["build", "--engine", "ray", "--raw", str(raw_copy), "--out", str(tmp_path / "out"), "--quiet"]
    assert main([*args, "--version", VERSION]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsds build: error: ") and "needs a 'path' column" in err
    assert not (tmp_path / "out" / VERSION).exists()
