"""Publishing survives a crash at any point, and no version string or manifest reaches outside the root.

The crash tests run the build in a child process, let it get to the point where it starts writing
the release, and kill it (SIGKILL, no clean-up handlers) at points spread over the whole write.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import newsds
from newsds.release import recover, releases
from tests.conftest import RAW, REPO

CHILD = r"""
import sys, time
from pathlib import Path
from newsds.pipeline import STAGES, BuildConfig, publish_release, run
import newsds.release.metadata, newsds.release.report  # imported before the kill window opens
raw, root, version, replace = sys.argv[1:5]
build = run(BuildConfig(Path(raw), Path(root), version, replace=replace == "1"), STAGES[:-1])
print("ready", flush=True)
start = time.perf_counter()
publish_release(build)
print(f"done {time.perf_counter() - start:.6f}", flush=True)
"""
KILLS = 8  # kills spread over the write; more (up to MAX_KILLS) until one has landed mid-write
MAX_KILLS = 24


def _child(raw: Path, root: Path, version: str, replace: bool = False) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", CHILD, str(raw), str(root), version, "1" if replace else "0"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    return proc


def _publish_seconds(raw: Path, root: Path, version: str) -> float:
    """How long the write takes, measured in an uninterrupted child (the kill window)."""
    proc = _child(raw, root, version)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    return float(out.split()[-1])


def _small_raw(target: Path, names: list[str]) -> Path:
    target.mkdir()
    for name in names:
        shutil.copy(RAW / name, target / name)
    return target


def _kill_points(window: float, seed: int) -> list[float]:
    """MAX_KILLS delays over [0, 1.2 window]: a random point in each of KILLS slices, round and round."""
    rng = random.Random(seed)
    return [1.2 * window * (i % KILLS + rng.random()) / KILLS for i in range(MAX_KILLS)]


def _enough(attempt: int, mid_write: int) -> bool:
    """Stop after KILLS kills once at least one of them interrupted the write itself."""
    return attempt + 1 >= KILLS and mid_write > 0


def _kill_at(proc: subprocess.Popen[str], delay: float) -> None:
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def _hidden(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("."))


@pytest.fixture
def small_raws(tmp_path: Path) -> tuple[Path, Path]:
    first = _small_raw(tmp_path / "raw1", ["000_7cda765537e03049.txt", "wikinews_crane.txt"])
    second = _small_raw(tmp_path / "raw2", ["003_2a186d871b2908a7.txt", "wikinews_flag.txt"])
    return first, second


def test_a_killed_publish_leaves_no_partial_release_and_the_earlier_one_intact(
    small_raws: tuple[Path, Path], tmp_path: Path
) -> None:
    raw1, raw2 = small_raws
    root = tmp_path / "processed"
    newsds.build(raw1, root, "0.1.0")
    before = (root / "0.1.0" / "manifest.json").read_bytes()
    window = _publish_seconds(raw2, tmp_path / "timing", "0.2.0")
    mid_write = 0
    for attempt, delay in enumerate(_kill_points(window, seed=1)):
        _kill_at(_child(raw2, root, "0.2.0"), delay)
        published = releases(root)
        assert published in (["0.1.0"], ["0.1.0", "0.2.0"])
        for version in published:
            newsds.load(version, root)  # every visible release is whole: all checksums match
        assert (root / "0.1.0" / "manifest.json").read_bytes() == before
        mid_write += bool(recover(root))  # a scratch folder was left: the kill came during the write
        assert _hidden(root) == [], "recover() clears what the killed publish left"
        shutil.rmtree(root / "0.2.0", ignore_errors=True)
        if _enough(attempt, mid_write):
            break
    assert mid_write, f"no kill landed during the write (window {window:.3f} s)"


def test_a_killed_replace_keeps_either_the_old_or_the_new_release(
    small_raws: tuple[Path, Path], tmp_path: Path
) -> None:
    raw1, raw2 = small_raws
    root = tmp_path / "processed"
    newsds.build(raw1, root, "0.1.0")
    old = json.loads((root / "0.1.0" / "manifest.json").read_text())["files"]
    window = _publish_seconds(raw2, tmp_path / "timing", "0.1.0")
    new = json.loads((tmp_path / "timing" / "0.1.0" / "manifest.json").read_text())["files"]
    assert old != new
    mid_write = 0
    for attempt, delay in enumerate(_kill_points(window, seed=2)):
        _kill_at(_child(raw2, root, "0.1.0", replace=True), delay)
        assert releases(root) == ["0.1.0"]  # the swap is atomic: the version never disappears
        mid_write += bool(recover(root))
        assert releases(root) == ["0.1.0"] and _hidden(root) == []
        files = newsds.load("0.1.0", root).manifest["files"]
        assert files in (old, new)
        if files == new:  # start the next round from the old release again
            newsds.build(raw1, root, "0.1.0", replace=True)
        if _enough(attempt, mid_write):
            break
    assert mid_write, f"no kill landed during the write (window {window:.3f} s)"


def test_recover_leaves_a_live_publish_alone(tmp_path: Path) -> None:
    root = tmp_path / "processed"
    live = root / f".0.1.0.tmp-{__import__('os').getpid()}-{'a' * 32}"
    dead = root / f".0.1.0.tmp-999999999-{'b' * 32}"
    live.mkdir(parents=True)
    dead.mkdir()
    assert recover(root) == [f"removed {dead.name} left by an interrupted publish"]
    assert live.exists() and not dead.exists()


@pytest.mark.parametrize(
    "version",
    [
        "../escape",
        "..",
        "/etc",
        "/tmp/x/0.1.0",
        "0.1.0/../../x",
        "0.1.0\x00",
        "0.1.0/",
        "~/0.1.0",
        "é.1.0",
        "",
    ],
)
def test_no_version_string_reaches_outside_the_root(built_release: Path, version: str) -> None:
    with pytest.raises(newsds.ReleaseError) as error:
        newsds.load(version, root=built_release)
    assert "available: 0.1.0" in str(error.value).lower()


def test_a_manifest_naming_files_outside_its_folder_is_refused(built_release: Path, tmp_path: Path) -> None:
    root = tmp_path / "processed"
    shutil.copytree(built_release, root)
    manifest_path = root / "0.1.0" / "manifest.json"
    outside = tmp_path / "secret.txt"
    outside.write_text("not part of any release")
    for name in ("../../secret.txt", str(outside), "sub/dir.parquet", ".hidden"):
        manifest = json.loads(manifest_path.read_text())
        manifest["files"][name] = {"sha256": "0" * 64, "bytes": 1, "rows": None}
        manifest_path.write_text(json.dumps(manifest))
        with pytest.raises(newsds.ReleaseError, match="not plain names"):
            newsds.load(root=root)
        del manifest["files"][name]
        manifest_path.write_text(json.dumps(manifest))
