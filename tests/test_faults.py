"""`newsds build` killed (SIGKILL) at random points from start to finish: no partial release ever shows, an
earlier release still verifies, and the next build succeeds and leaves no scratch folder behind.

Unlike tests/test_publish_safety.py, which kills a child inside `publish` only, this kills the whole command
(`python -m newsds.cli build`) anywhere: while importing, reading, parsing, writing its streaming scratch
folder (`.newsds-stream-*`) or publishing (`.<version>.tmp-*`). Each kill is followed by a normal build of
the same version, which must clear what the killed one left.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import newsds
from newsds.cli import main
from tests.conftest import RAW

KILLS = 8
SEED = 20_251_205
FILES = 30  # raw files in the corpus (data/raw has text, HTML, gzipped HTML and a JSONL export)
BASELINE = "0.1.0"  # published before the kills: must verify after every one


def _build(raw: Path, out: Path, version: str) -> list[str]:
    return [
        sys.executable, "-m", "newsds.cli", "build", "--raw", str(raw), "--out", str(out),
        "--version", version, "--jobs", "1", "--quiet",
    ]  # fmt: skip


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL
    )


def _scratch(out: Path) -> list[str]:
    """Hidden entries of the releases folder: `.newsds-stream-*`, `.<version>.tmp-*`, `.<version>.old-*`."""
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def _partial(out: Path) -> list[str]:
    """Visible entries that are not whole releases: no manifest, or files that do not match it."""
    problems = []
    for entry in sorted(p for p in out.iterdir() if not p.name.startswith(".")):
        try:
            newsds.load(entry.name, root=out)  # exact version; every checksum verified
        except (newsds.NewsdsError, OSError, ValueError) as exc:
            problems.append(f"{entry.name}: {exc}")
    return problems


@dataclass(frozen=True)
class Kill:
    version: str
    delay: float
    killed: bool  # False: the build had finished before the delay ran out
    scratch_before: tuple[str, ...]  # left by the killed build (not there before it started)
    partial: tuple[str, ...]
    baseline_verifies: bool
    next_build: int  # exit status of the next, uninterrupted build of the same version
    next_stderr: str
    scratch_after: tuple[str, ...]  # any scratch in the releases folder after the next build


def _kill_after(args: list[str], cwd: Path, delay: float) -> bool:
    """Start the build and SIGKILL its whole process group after `delay` s; False if it ended first."""
    proc = subprocess.Popen(
        args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # its own group: the build and any worker it started
        proc.wait()  # reaped: a zombie would still count as a live process to the scratch clean-up
        return True


def test_killed_builds_leave_no_partial_release_and_the_next_build_clears_their_scratch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for source in sorted(p for p in RAW.iterdir() if p.name != "SOURCES.csv")[:FILES]:
        shutil.copy(source, raw / source.name)
    out = tmp_path / "processed"
    first = _run(_build(raw, out, BASELINE), tmp_path)
    assert first.returncode == 0, first.stderr
    baseline_manifest = (out / BASELINE / "manifest.json").read_bytes()

    start = time.perf_counter()  # one normal build (as the first release, elsewhere): the kill window
    timing = _run(_build(raw, tmp_path / "timing", "0.2.0"), tmp_path)
    window = time.perf_counter() - start
    assert timing.returncode == 0, timing.stderr

    rng = random.Random(SEED)
    # One delay in each of KILLS equal slices of the window, up to 95% of it: from the start to near the end.
    delays = [0.95 * window * (i + rng.random()) / KILLS for i in range(KILLS)]
    kills: list[Kill] = []
    for i, delay in enumerate(delays):
        version = f"0.{i + 2}.0"
        earlier = set(_scratch(out))  # what the builds before left (nothing, when they clear it)
        killed = _kill_after(_build(raw, out, version), tmp_path, delay)
        before = [name for name in _scratch(out) if name not in earlier]
        partial = _partial(out)
        verifies = main(["verify", BASELINE, "--root", str(out)]) == 0
        verifies = verifies and (out / BASELINE / "manifest.json").read_bytes() == baseline_manifest
        nxt = _run(_build(raw, out, version), tmp_path)
        kills.append(
            Kill(version, delay, killed, tuple(before), tuple(partial), verifies, nxt.returncode,
                 nxt.stderr[-2000:], tuple(_scratch(out)))
        )  # fmt: skip
    capsys.readouterr()  # drop what `newsds verify` printed

    summary = (
        f"window {window:.2f} s; {sum(k.killed for k in kills)} of {KILLS} builds killed "
        f"(delays {', '.join(f'{k.delay:.2f}' for k in kills)} s); "
        f"{sum(bool(k.scratch_before) for k in kills)} left scratch before the next build; "
        f"{sum(bool(k.scratch_after) for k in kills)} left scratch after it"
    )
    with capsys.disabled():
        print(f"\nfault test: {summary}")
    lines = [
        f"{k.version} killed at {k.delay:.2f} s: scratch before {list(k.scratch_before)}, partial "
        f"{list(k.partial)}, {BASELINE} verifies: {k.baseline_verifies}, next build exit {k.next_build}, "
        f"scratch after {list(k.scratch_after)}" + (f"\n  {k.next_stderr}" if k.next_build else "")
        for k in kills
    ]
    report = summary + "\n" + "\n".join(lines)
    assert all(not k.partial for k in kills), report
    assert all(k.baseline_verifies for k in kills), report
    assert all(k.next_build == 0 for k in kills), report
    assert all(not k.scratch_after for k in kills), report
    assert any(k.scratch_before for k in kills), "no kill landed while a build was writing:\n" + report
    assert newsds.releases(out) == [BASELINE] + [k.version for k in kills], report
