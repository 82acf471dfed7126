"""One build over a corpus of bad and odd inputs (`tests/adversarial.py`): every input becomes the document
or the rejected row a user should get, the build never crashes, and inputs = documents + rejected.

The build runs as `python -m newsds.cli build` in a child process, so that a crash shows as a traceback on
stderr instead of stopping the test run; the release is then read with `newsds.load`. Each kind is its own
test (parametrised), all checked against that one build.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import newsds
from tests.adversarial import KINDS, MAX_BYTES, Expected, Outcome, article, write_corpus

VERSION = "1.0.0"
MIN_KINDS = 80
# The whole build (about 150 small inputs and one 2 MB one-paragraph article) takes ~15 s on 2 cores. Speed
# is the bench's to measure (`nox -s bench`: s/MB of long paragraphs); the child's timeout only turns a
# hang into a failure instead of a stalled run.
Row = dict[str, Any]


def run_build(raw: Path, out: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """`newsds build` in a child process, from a folder with no newsds.toml above it."""
    args = [sys.executable, "-m", "newsds.cli", "build", "--raw", str(raw), "--out", str(out)]
    args += ["--version", VERSION, "--quiet", *extra]
    start = time.perf_counter()
    proc = subprocess.run(
        args, cwd=out.parent, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL
    )
    return proc, time.perf_counter() - start


@dataclass(frozen=True)
class Built:
    """The corpus, the build's exit status and output, and the release it published (None if none)."""

    raw: Path
    expected: dict[str, Expected]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    documents: pl.DataFrame | None
    rejected: pl.DataFrame | None
    manifest: dict[str, Any] | None
    inputs: pl.DataFrame | None  # the release's raw inputs (inputs.parquet)

    def failure(self) -> str:
        return f"the build failed (exit {self.returncode}); stderr:\n{self.stderr[-4000:]}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    base = tmp_path_factory.mktemp("adversarial")
    raw, out = base / "raw", base / "processed"
    expected = write_corpus(raw)
    proc, seconds = run_build(raw, out, "--max-bytes", str(MAX_BYTES), "--jobs", "2")
    documents = rejected = manifest = inputs = None
    if proc.returncode == 0:
        release = newsds.load(VERSION, root=out)  # checksums verified
        documents, rejected, manifest = release.documents, release.rejected, release.manifest
        inputs = release.inputs()
    outcome = (proc.returncode, proc.stdout, proc.stderr, seconds)
    return Built(raw, expected, *outcome, documents, rejected, manifest, inputs)


# --- checking one kind --------------------------------------------------------------------------------------


def _rows(frame: pl.DataFrame | None, path: str) -> list[Row]:
    return [] if frame is None else frame.filter(pl.col("source_path") == path).to_dicts()


def _shown(row: Row) -> str:
    if "reason" in row:
        return f"rejected {row['reason']} (record {row['record']}): {str(row['message'])[:200]}"
    extra = f", decode_replacements {row['decode_replacements']}" if "decode_replacements" in row else ""
    return f"document (record {row['record']}, encoding {row['encoding']}{extra}): {str(row['text'])[:160]!r}"


def _first_difference(got: str, want: str) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), min(len(got), len(want))
    )
    return (
        f"text differs at character {at} (lengths {len(got)} vs {len(want)} expected): "
        f"got {got[max(0, at - 30) : at + 40]!r}, expected {want[max(0, at - 30) : at + 40]!r}"
    )


def _check_document(outcome: Outcome, row: Row) -> list[str]:
    text: str = row["text"]
    problems = []
    if outcome.text is not None and text != outcome.text:
        problems.append(_first_difference(text, outcome.text))
    problems += [f"text lacks {s[:80]!r}" for s in outcome.contains if s not in text]
    problems += [f"text holds {s!r}" for s in outcome.excludes if s in text]
    if outcome.check is not None and (problem := outcome.check(text)) is not None:
        problems.append(problem)
    if outcome.encodings and not str(row["encoding"]).startswith(outcome.encodings):
        problems.append(f"encoding {row['encoding']!r}, expected one of {', '.join(outcome.encodings)}")
    wanted = outcome.decode_replacements
    if "decode_replacements" not in row:
        if wanted:
            problems.append(f"documents has no decode_replacements column (expected {wanted})")
    elif wanted is not None and row["decode_replacements"] != wanted:
        problems.append(f"decode_replacements {row['decode_replacements']}, expected {wanted}")
    return problems


def _kept_doc_id(built: Built, kept: tuple[str, int | None]) -> str | None:
    rows = _rows(built.documents, kept[0])
    rows = [r for r in rows if kept[1] is None or r["record"] == kept[1]]
    return rows[0]["doc_id"] if len(rows) == 1 else None


def _check_rejected(outcome: Outcome, row: Row, built: Built) -> list[str]:
    problems = []
    if row["reason"] not in outcome.reasons:
        problems.append(f"{_shown(row)}; expected reason {' or '.join(sorted(outcome.reasons))}")
    if outcome.duplicate_of is not None:
        kept = _kept_doc_id(built, outcome.duplicate_of)
        if kept is None or row["duplicate_of"] != kept:
            problems.append(f"duplicate_of {row['duplicate_of']}, expected {outcome.duplicate_of} ({kept})")
    return problems


def check_kind(expected: Expected, built: Built) -> list[str]:
    """Every way the release differs from what the kind expects, as lines (empty: all as expected)."""
    problems: list[str] = []
    by_path: dict[str, list[Outcome]] = {}
    for outcome in expected.outcomes:
        by_path.setdefault(outcome.path, []).append(outcome)
    for path, outcomes in by_path.items():
        docs, rejs = _rows(built.documents, path), _rows(built.rejected, path)
        rows = docs + rejs
        if len(rows) != len(outcomes):
            shown = "; ".join(map(_shown, rows)) or "no row at all"
            wanted = ", ".join(o.summary for o in outcomes)
            problems.append(f"{path!r}: {len(rows)} row(s) for {len(outcomes)} input(s) ({wanted}): {shown}")
            if len(outcomes) > 1 or len(rows) != 1:
                continue
        for outcome in outcomes:
            # A file with one input is matched whatever its record; in a multi-record file, by record.
            found = rows if len(outcomes) == 1 else [r for r in rows if r["record"] == outcome.record]
            where = f"{path!r}" + (f" record {outcome.record}" if len(outcomes) > 1 else "")
            if len(found) != 1:
                problems.append(f"{where}: {len(found)} rows, expected one ({outcome.summary})")
                continue
            row = found[0]
            if outcome.document and "reason" in row:
                problems.append(f"{where}: {_shown(row)}; expected a document")
            elif outcome.document:
                problems += [f"{where}: {p}" for p in _check_document(outcome, row)]
            elif "reason" not in row:
                problems.append(f"{where}: {_shown(row)}; expected {outcome.summary}")
            else:
                problems += [f"{where}: {p}" for p in _check_rejected(outcome, row, built)]
    inputs = set() if built.inputs is None else set(built.inputs["path"])
    problems += [f"{path!r} is a folder, yet an input" for path in expected.absent if path in inputs]
    return problems


# chmod 000 keeps nothing from root, so as root that kind cannot be made: it is not collected (CI runs
# as root; elsewhere it runs).
MAKEABLE = [k for k in KINDS if not (k == "unreadable_permissions" and os.geteuid() == 0)]


@pytest.mark.parametrize("kind", MAKEABLE)
def test_kind(kind: str, built: Built) -> None:
    if kind not in built.expected:
        pytest.skip(f"{kind} cannot be made here (running as root, or the filesystem refuses the name)")
    assert built.manifest is not None, built.failure()
    expected = built.expected[kind]
    problems = check_kind(expected, built)
    note = f"\n(expectation: {expected.note})" if expected.note else ""
    assert not problems, f"{kind}: {expected.description}\n" + "\n".join(problems) + note


# --- the build as a whole -----------------------------------------------------------------------------------


def test_the_build_succeeds_without_a_traceback(built: Built) -> None:
    assert "Traceback" not in built.stderr, built.stderr[-4000:]
    assert built.returncode == 0, built.failure()


def test_the_corpus_has_at_least_80_kinds(built: Built) -> None:
    assert len(built.expected) >= MIN_KINDS, sorted(built.expected)


def _written(raw: Path) -> Iterator[str]:
    """Every entry under raw that is not a folder (links to folders included), named as a release names it:
    a relative POSIX path, bytes that are not UTF-8 escaped as \\xNN."""
    top = os.fsencode(raw)
    for folder, subfolders, names in os.walk(top):
        for name in names + [s for s in subfolders if os.path.islink(os.path.join(folder, s))]:
            yield os.path.relpath(os.path.join(folder, name), top).decode("utf-8", "backslashreplace")


def test_every_input_is_accounted_for_exactly_once(built: Built) -> None:
    assert built.manifest is not None and built.documents is not None and built.rejected is not None, (
        built.failure()
    )
    assert built.inputs is not None
    written = sorted(_written(built.raw))
    expected = sorted(o.path for e in built.expected.values() for o in e.outcomes)
    assert sorted(set(expected)) == written, "the generator's expectations name every file it wrote"
    inputs = built.inputs.to_dicts()
    paths = [i["path"] for i in inputs]
    assert [p for p, n in Counter(paths).items() if n > 1] == [], "an input listed twice"
    missing, unknown = sorted(set(written) - set(paths)), sorted(set(paths) - set(written))
    assert sorted(paths) == written, f"inputs missing: {missing}; unknown inputs: {unknown}"
    rows = Counter(built.documents["source_path"].to_list() + built.rejected["source_path"].to_list())
    wanted = Counter(expected)
    wrong = {
        i["path"]: (i["records"], rows[i["path"]], wanted[i["path"]])
        for i in inputs
        if not (i["records"] or 1) == rows[i["path"]] == wanted[i["path"]]
    }
    assert wrong == {}, "path: (records in the manifest, rows in the release, inputs expected)"
    counts = built.manifest["counts"]
    assert counts["inputs"] == counts["documents"] + counts["rejected"]
    assert (counts["documents"], counts["rejected"]) == (built.documents.height, built.rejected.height)
    assert counts["inputs"] == len(expected)


def test_an_escaped_file_name_cannot_collide_with_a_real_one(tmp_path: Path) -> None:
    """A non-UTF-8 name is reported escaped ("clash\\xff.txt"); a file really named so must stay a separate
    input, not make two inputs with one path (and fail the whole build's validation)."""
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    try:
        (Path(os.fsdecode(os.fsencode(raw) + b"/clash\xff.txt"))).write_text(article("clash_bytes"))
    except OSError:
        pytest.skip("the filesystem refuses a name that is not UTF-8")
    (raw / "clash\\xff.txt").write_text(article("clash_literal"))
    proc, _ = run_build(raw, out, "--jobs", "1")
    assert "Traceback" not in proc.stderr, proc.stderr[-4000:]
    assert proc.returncode == 0, proc.stderr[-4000:]
    release = newsds.load(VERSION, root=out)
    paths = release.inputs()["path"].to_list()
    assert len(paths) == len(set(paths)) == 2, paths
    assert release.documents["text"].to_list() == [article("clash_literal")]
    assert release.rejected["reason"].to_list() == ["unreadable"]


def test_a_sources_csv_that_is_not_utf8_is_read_or_a_clean_error(tmp_path: Path) -> None:
    """SOURCES.csv is provenance, not an input; one saved by a spreadsheet in cp1252 ("é" as 0xE9) must be
    read, or stop the build with a message naming it, never a traceback."""
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    (raw / "a.txt").write_text(article("sources_csv"))
    (raw / "SOURCES.csv").write_bytes(b"path,url,licence\na.txt,https://example.org/caf\xe9,CC-BY-4.0\n")
    proc, _ = run_build(raw, out, "--jobs", "1")
    assert "Traceback" not in proc.stderr, proc.stderr[-4000:]
    assert proc.returncode == 0 or (proc.returncode == 1 and "SOURCES.csv" in proc.stderr), proc.stderr
