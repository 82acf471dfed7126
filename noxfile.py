"""Sessions that build, check and test newsds. `nox` alone runs lint, typecheck, the tests, the reproduce
check, the Ray engine's equivalence test and the claims model's retrain check (what CI runs)."""

from __future__ import annotations

import os
import shutil

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "typecheck", "tests", "reproduce", "ray", "retrain"]
POLNEAR_TRAIN = "../shared/gold/attribution/polnear_train.jsonl"
PYPROJECT = nox.project.load_toml("pyproject.toml")
DEV = nox.project.dependency_groups(PYPROJECT, "dev")
EVAL = nox.project.dependency_groups(PYPROJECT, "eval")


def _chromium(session: nox.Session) -> None:
    """The data report's test renders it in headless Chromium: Debian's chromium and chromium-driver,
    installed with apt only in CI (CI=true) or when asked (NEWSDS_BROWSER=1): never unasked."""
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return
    if not any(os.environ.get(v, "").lower() in {"1", "true", "yes"} for v in ("CI", "NEWSDS_BROWSER")):
        session.log("the browser test will skip: NEWSDS_BROWSER=1 nox -s tests installs chromium with apt")
        return
    if not (shutil.which("apt-get") and os.geteuid() == 0):
        session.warn("chromium/chromedriver missing and apt-get unusable: the browser test will skip")
        return
    quiet = {"DEBIAN_FRONTEND": "noninteractive"}  # never wait on a debconf prompt
    session.run("apt-get", "update", "-qq", external=True, env=quiet)
    session.run("apt-get", "install", "-y", "-qq", "chromium", "chromium-driver", external=True, env=quiet)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (unit, property, end-to-end and headless-browser tests) on 2 processes; the
    Ray tests run in their own session."""
    _chromium(session)
    session.install("-e", ".", *DEV, *EVAL)
    session.run("pytest", "-n", "2", "--ignore", "tests/test_ray_engine.py", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and common bugs with ruff, and the architecture's layers with import-linter."""
    session.install("ruff", "import-linter")
    session.run("ruff", "check", "newsds", "tests", "noxfile.py")
    session.run("ruff", "format", "--check", "newsds", "tests", "noxfile.py")
    session.run("lint-imports")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Check type hints with mypy (strict), with the evaluation baselines installed: their imports resolve."""
    session.install("-e", ".", *DEV, *EVAL)
    session.run("mypy")


@nox.session
def build(session: nox.Session) -> None:
    """Build this repository's dataset (newsds.toml: data/raw into data/processed, at its version), or
    rebuild and compare when that version is published."""
    session.install("-e", ".")
    session.run("newsds", "build", *session.posargs)


@nox.session
def reproduce(session: nox.Session) -> None:
    """Rebuild the dataset's current release (newsds.toml) in a fresh venv (a plain, non-editable install)
    and compare every file's sha256 with the committed manifest: non-zero exit on any difference."""
    session.install(".")
    session.run("newsds", "reproduce", "--quiet")


@nox.session
def retrain(session: nox.Session) -> None:
    """Retrain the shipped claims model from PolNeAR train (`-- PATH` for another copy) and compare the
    weights' sha256 with the shipped ones: non-zero exit on any difference (takes a few minutes)."""
    gold = session.posargs[0] if session.posargs else POLNEAR_TRAIN
    if not os.path.isfile(gold):
        session.skip(f"no PolNeAR train gold at {gold}: pass its path with `nox -s retrain -- PATH`")
    session.install(".")
    out = os.path.join(session.create_tmp(), "model")
    session.run("newsds", "train", "claims", "--gold", gold, "--out", out, "--reproduce")


@nox.session(name="ray")
def ray_engine(session: nox.Session) -> None:
    """The Ray Data engine (`newsds[ray]`) on a local Ray with 2 CPUs: releases byte-identical to the
    local engine's, and `newsds build --engine ray` from the command line."""
    session.install("-e", ".[ray]", *DEV)
    session.run("pytest", "tests/test_ray_engine.py", *session.posargs)


@nox.session
def validate(session: nox.Session) -> None:
    """Validate every stage's tables: a fresh in-memory build of the raw folder, then the newest release."""
    session.install("-e", ".")
    session.run("newsds", "validate", "--raw", "data/raw")
    session.run("newsds", "verify")


@nox.session
def schemas(session: nox.Session) -> None:
    """Export every table's pandera schema to schemas/*.json (a test fails when they are stale)."""
    session.install("-e", ".")
    session.run("python", "-c", "from newsds.schemas import write_exports; print(write_exports('schemas'))")


@nox.session(name="eval")
def evaluate(session: nox.Session) -> None:
    """Score newsds against the gold sets beside the baselines: `nox -s eval -- html --gold PATH`."""
    session.install("-e", ".", *EVAL)
    session.run("python", "-m", "newsds.evaluate", *(session.posargs or ["html"]))


@nox.session
def bench(session: nox.Session) -> None:
    """Print speed figures: CLI start, parsing, claims, sentences vs blingfire, verified loading, and the
    scale table, newsds beside the do-it-yourself pipeline (1k and 10k documents; `-- --scale 100k,1M`)."""
    session.install("-e", ".", *EVAL)
    session.run("python", "-m", "newsds.bench", *session.posargs)
