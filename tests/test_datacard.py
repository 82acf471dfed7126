"""The data card says what a researcher needs, and its loading code runs as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest


def _card(built_release: Path) -> str:
    return (built_release / "0.1.0" / "README.md").read_text()


def test_the_card_covers_sources_counts_validation_rejections_and_changes(built_release: Path) -> None:
    card = _card(built_release)
    for heading in (
        "## Counts",
        "## Sources and licences",
        "## Validation",
        "## Rejected inputs by reason",
        "## Changes since",
        "## How to load",
    ):
        assert heading in card
    assert "CC BY 2.5" in card and "| malformed_json | 1 |" in card
    assert "| sentences_in_documents |  | pass |" in card  # per-check validation summary
    assert "first release" in card  # the shared release has no predecessor


def test_the_cards_loading_code_runs_in_polars_pandas_duckdb_and_datasets(
    built_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snippet is run as a user would from a project folder holding data/processed."""
    code = re.search(r"```python\n(.*?)```", _card(built_release), re.S)
    assert code is not None
    for module in ("newsds", "polars", "pandas", "duckdb", "datasets"):
        assert f"import {module}" in code.group(1) or f"from {module} import" in code.group(1)
    shutil.copytree(built_release, tmp_path / "data" / "processed")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # Hugging Face caches stay in tmp_path
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    scope: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), scope)
    rel = scope["rel"]
    claims = scope["claims"]  # the last assignment: the Hugging Face dataset
    assert rel.version == "0.1.0"  # type: ignore[attr-defined]
    assert len(claims) == rel.claims.height  # type: ignore[arg-type, attr-defined]
