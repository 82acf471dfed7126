"""Shared fixtures: paths into the repository (read-only) and a scratch copy of data/raw."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Generator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir


def _scratch_dir(prefix: str) -> str:
    """A temporary folder for a library's caches, removed when the test process exits."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


# Tests never write into the repository: no example database, and hypothesis' own caches go to a
# temporary folder instead of ./.hypothesis.
set_hypothesis_home_dir(_scratch_dir("newsds-hypothesis-"))
# A loaded machine (2 cores, CI beside other work) must not turn slow example generation into a failure:
# the property tests assert behaviour, not speed.
settings.register_profile("newsds", database=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("newsds")
# Hugging Face `datasets` reads these once, when first imported: offline, caches outside the home folder.
os.environ["HF_HOME"] = _scratch_dir("newsds-hf-")
os.environ["HF_DATASETS_OFFLINE"] = os.environ["HF_HUB_OFFLINE"] = "1"

# In CI a test runs or fails: a skip (a missing browser, dev dependency or gold file) is reported as a
# failure there, so nothing goes untested quietly. Off CI, skips stay skips, each saying how to run it.
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _fail_skip_in_ci(report: pytest.TestReport | pytest.CollectReport) -> None:
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {reason}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    _fail_skip_in_ci(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield  # a whole module skipped (pytest.importorskip at its top) counts too
    _fail_skip_in_ci(report)
    return report


REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
SEED_000 = RAW / "000_7cda765537e03049.txt"
SEED_003 = RAW / "003_2a186d871b2908a7.txt"


@pytest.fixture(autouse=True)
def outside_any_dataset(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in an empty folder: no newsds.toml above it (the repository's own dataset is read only
    where a test names it) and nothing written by a relative path lands in the repository."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data/raw in tmp_path (tests never write into the repo)."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


@pytest.fixture(scope="session")
def built_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One release built from a copy of data/raw, shared by read-only tests."""
    import newsds

    root = tmp_path_factory.mktemp("build")
    shutil.copytree(RAW, root / "raw")
    newsds.build(root / "raw", root / "processed", "0.1.0")
    return root / "processed"


@pytest.fixture
def release_root(built_release: Path, tmp_path: Path) -> Path:
    """A private copy of the shared release that a test may tamper with."""
    root = tmp_path / "processed"
    shutil.copytree(built_release, root)
    return root
