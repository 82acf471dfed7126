"""The `newsds` command: subcommands work, failures exit non-zero with an actionable message."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from newsds.cli import main


def test_help_lists_the_subcommands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newsds.cli", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("build", "validate", "verify", "list"):
        assert command in result.stdout


def test_build_list_verify_validate(
    raw_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "out")
    build = ["build", "--raw", str(raw_copy), "--out", out, "--version", "1.0.0", "--quiet"]
    assert main(build) == 0
    assert re.search(r"\d+ inputs -> \d+ documents", capsys.readouterr().out)
    assert main(build) == 0
    assert "byte-identical" in capsys.readouterr().out
    assert main(["list", "--root", out]) == 0
    assert re.match(r"1\.0\.0\t\d+ documents", capsys.readouterr().out)
    assert main(["verify", "--root", out]) == 0
    assert "match manifest.json" in capsys.readouterr().out
    assert main(["validate", "--root", out]) == 0
    assert main(["validate", "--raw", str(raw_copy)]) == 0


def test_failures_exit_non_zero_with_a_message(
    raw_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["verify", "--root", str(out)]) == 1
    assert "newsds build" in capsys.readouterr().err
    assert main(["build", "--raw", str(tmp_path / "missing"), "--out", str(out), "--version", "1.0.0"]) == 1
    assert "raw folder not found" in capsys.readouterr().err
    assert main(["build", "--raw", str(raw_copy), "--out", str(out)]) == 1  # no newsds.toml, no --version
    assert "--version" in capsys.readouterr().err
    assert main(["build", "--raw", str(raw_copy), "--out", str(out), "--version", "../x"]) == 1
    assert "semantic version" in capsys.readouterr().err
    assert main(["build", "--raw", str(raw_copy), "--out", str(out), "--version", "1.0.0", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["verify", "9.9.9", "--root", str(out)]) == 1
    assert "available: 1.0.0" in capsys.readouterr().err
    docs = out / "1.0.0" / "documents.parquet"
    pl.read_parquet(docs).head(3).write_parquet(docs)
    assert main(["verify", "--root", str(out)]) == 1
    assert "documents.parquet" in capsys.readouterr().err
    assert main(["list", "--root", str(tmp_path / "none")]) == 1
