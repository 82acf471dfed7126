"""The data card says what a researcher needs, its metadata is the dataset's own (newsds.toml, through the
manifest's `dataset` entry), it starts with a Hugging Face YAML block, and its loading code runs as written
from the release folder."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import newsds
from newsds.release.datacard import (
    bibtex,
    citation_text,
    dataset_info,
    front_matter,
    hub_configs,
    hub_licence,
    render_datacard,
    yaml_string,
)
from newsds.schemas import TABLES

# A dataset entry as the manifest carries it (newsds.dataset.Dataset.metadata); the title needs quoting
# in YAML and "no" (Norwegian) is a YAML 1.1 boolean unless quoted.
DATASET: dict[str, Any] = {
    "name": "lee-corpus",
    "title": 'Lee news corpus: "quoted" edition',
    "description": "Articles from the Lee archive, 1990-2020.",
    "licence": "CC-BY-4.0",
    "authors": [
        {
            "name": "Jane Doe",
            "email": "jane@example.org",
            "affiliation": "Lee University",
            "orcid": "0000-0002-1825-0097",
        },
        {"name": "John Roe", "email": None, "affiliation": None, "orcid": None},
    ],
    "citation": None,
    "homepage": "https://example.org/lee",
    "released": "2026-12-04",
    "languages": ["en", "no"],
    "sources": [
        {
            "match": "wikinews_*",
            "licence": "CC-BY-2.5",
            "attribution": "Wikinews contributors",
            "url": "https://en.wikinews.org",
        },
    ],
    "sources_csv": "SOURCES.csv",
}
# The same dataset with no word about where its files come from.
UNSOURCED = DATASET | {"sources": [], "sources_csv": None}
DEFAULTS = {
    "name": "newsds-dataset",
    "title": "newsds-dataset",
    "description": None,
    "licence": None,
    "authors": [],
    "citation": None,
    "homepage": None,
    "released": None,
    "languages": [],
    "sources": [],
    "sources_csv": None,
}


def _card(built_release: Path) -> str:
    return (built_release / "0.1.0" / "README.md").read_text()


@pytest.fixture(scope="module")
def inputs(built_release: Path) -> tuple[dict[str, Any], dict[str, pl.DataFrame], dict[str, Any]]:
    """The shared release's manifest (without a `dataset` entry: an old manifest), tables and report."""
    rel = newsds.load("0.1.0", root=built_release)
    manifest = {k: v for k, v in rel.manifest.items() if k != "dataset"}
    return manifest, rel.tables(), json.loads((rel.path / "validation.json").read_text())


def render(
    inputs: tuple[dict[str, Any], dict[str, pl.DataFrame], dict[str, Any]], dataset: Any = None
) -> str:
    """The card of the shared release with the given `dataset` entry (None: none at all)."""
    manifest, tables, report = inputs
    if dataset is not None:
        manifest = manifest | {"dataset": dataset}
    return render_datacard(manifest, tables, report, "## Changes since nothing\n\nFirst release.", None)


def front(card: str) -> dict[str, Any]:
    """The card's YAML front matter, parsed."""
    match = re.match(r"---\n(.*?\n)---\n", card, re.S)
    assert match is not None, "the card does not start with a YAML block"
    data: dict[str, Any] = yaml.safe_load(match.group(1))
    return data


def test_the_card_covers_sources_counts_validation_rejections_and_changes(built_release: Path) -> None:
    card = _card(built_release)
    for heading in (
        "## Counts",
        "## Sources and licences",
        "## Validation",
        "## Rejected inputs by reason",
        "## Changes since",
        "## How it was made",
        "## How to load",
        "## How to cite",
    ):
        assert heading in card
    assert "| CC BY 2.5 | txt |" in card and "| malformed_json | 1 |" in card  # licence x format table
    assert "| sentences_in_documents |  | pass |" in card  # per-check validation summary
    assert "first release" in card  # the shared release has no predecessor
    manifest = json.loads((built_release / "0.1.0" / "manifest.json").read_text())
    assert f"Made with newsds {manifest['code']['version']}." in card


def test_the_cards_loading_code_runs_from_the_release_folder(
    built_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snippet is run as the card says: from the release folder, with paths relative to it."""
    code = re.search(r"```python\n(.*?)```", _card(built_release), re.S)
    assert code is not None
    for module in ("newsds", "polars", "pandas", "duckdb", "datasets"):
        assert f"import {module}" in code.group(1) or f"from {module} import" in code.group(1)
    assert "data/processed" not in code.group(1) and not re.search("[\"']/", code.group(1))  # relative
    shutil.copytree(built_release, tmp_path / "releases")
    monkeypatch.chdir(tmp_path / "releases" / "0.1.0")
    import datasets

    # a cache of its own: the snippet loads "../0.1.0", a path other tests' releases share
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf" / "datasets")
    scope: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), scope)
    rel = scope["rel"]
    claims = scope["claims"]  # the last assignment: the Hugging Face dataset
    assert rel.version == "0.1.0"  # type: ignore[attr-defined]
    assert len(claims) == rel.claims.height  # type: ignore[arg-type, attr-defined]
    assert claims.column_names == rel.claims.columns  # type: ignore[attr-defined]


def test_the_card_renders_the_datasets_metadata(inputs: Any) -> None:
    card = render(inputs, DATASET)
    assert '\n# Lee news corpus: "quoted" edition 0.1.0\n' in card
    assert "\nArticles from the Lee archive, 1990-2020.\n" in card
    assert "News articles turned into three linked tables" not in card  # the generic description
    assert "- Licence: CC-BY-4.0 (https://spdx.org/licenses/CC-BY-4.0.html)" in card
    assert (
        "- Authors: Jane Doe <jane@example.org> (Lee University; "
        "ORCID https://orcid.org/0000-0002-1825-0097), John Roe\n" in card
    )
    assert "- Homepage: https://example.org/lee\n" in card
    assert "- Released: 2026-12-04\n" in card and "- Languages: en, no\n" in card
    assert "Not stated" not in card
    assert (
        'Jane Doe & John Roe (2026). Lee news corpus: "quoted" edition (version 0.1.0) [Data set]. '
        "https://example.org/lee\n" in card
    )
    assert "  author = {Jane Doe and John Roe},\n" in card and "  year = {2026},\n" in card
    assert (
        "- Files matching `wikinews_*`: licence CC-BY-2.5; attribution: Wikinews contributors; "
        "source: https://en.wikinews.org\n" in card
    )
    assert "Each raw file's origin and licence is listed in the raw folder's `SOURCES.csv`." in card
    assert "data/processed" not in card


def test_the_front_matter_is_a_hub_dataset_card(inputs: Any) -> None:
    """license, language, pretty_name, and one config per table with rows, documents the default."""
    meta = front(render(inputs, DATASET))
    manifest = inputs[0]
    with_rows = [t for t in TABLES if manifest["files"][f"{t}.parquet"]["rows"]]
    assert with_rows == ["documents", "sentences", "claims", "rejected"]  # no annotations in this release
    assert meta == {
        "license": "cc-by-4.0",
        "language": ["en", "no"],
        "pretty_name": 'Lee news corpus: "quoted" edition',
        "configs": [
            {"config_name": t, "data_files": [{"split": "train", "path": f"{t}.parquet"}]}
            | ({"default": True} if t == "documents" else {})
            for t in with_rows
        ],
    }
    assert "Empty tables have no config" in render(inputs, DATASET)


def test_a_manifest_without_a_dataset_entry_gets_the_defaults(inputs: Any) -> None:
    assert dataset_info({}) == DEFAULTS
    assert dataset_info({"dataset": {"name": "dataset"}}) == DEFAULTS | {
        "name": "dataset",
        "title": "dataset",
    }
    card = render(inputs)
    assert card.startswith("---\n") and "\n# newsds-dataset 0.1.0\n" in card
    assert "News articles turned into three linked tables" in card
    assert "- Licence: not stated — set `licence` in newsds.toml" in card
    assert "- Not stated (set in newsds.toml): `authors`, `homepage`, `released`\n" in card
    assert "newsds-dataset (version 0.1.0) [Data set]. (n.d.).\n" in card
    assert "year =" not in card  # no date, no year: never the clock
    assert front(card) == {
        "license": "other",
        "pretty_name": "newsds-dataset",
        "configs": front(card)["configs"],
    }
    assert "data/processed" not in card


def test_nothing_mentions_wikinews_or_the_sources_csv_unless_the_sources_do(inputs: Any) -> None:
    for dataset in (None, UNSOURCED):
        card = render(inputs, dataset)
        assert "wikinews" not in card.lower() and "SOURCES.csv" not in card
    card = render(inputs, UNSOURCED | {"sources_csv": "provenance.csv"})
    assert "listed in the raw folder's `provenance.csv`" in card and "wikinews" not in card.lower()
    assert "Wikinews contributors" in render(inputs, DATASET)


def test_the_users_citation_is_used_as_written(inputs: Any) -> None:
    citation = "Doe, J. & Roe, J. (2026). *The Lee corpus*. Zenodo. https://doi.org/10.5281/zenodo.1"
    card = render(inputs, DATASET | {"citation": citation})
    assert f"## How to cite\n\n{citation}\n" in card and "```bibtex" not in card


@pytest.mark.parametrize(
    ("dataset", "expected"),
    [
        ({"name": "lee", "released": "2025-01-31"}, "lee (version 1.0.0) [Data set]. (2025)."),
        (
            {"name": "lee", "title": "Lee", "authors": [{"name": "A"}, {"name": "B"}, {"name": "C"}]},
            "A, B & C (n.d.). Lee (version 1.0.0) [Data set].",
        ),
        (
            {
                "name": "lee",
                "authors": [{"name": "A"}],
                "homepage": "https://x.org",
                "released": "2024-02-29",
            },
            "A (2024). lee (version 1.0.0) [Data set]. https://x.org",
        ),
    ],
    ids=["no-authors", "three-authors-no-date", "homepage"],
)
def test_the_generated_citation(dataset: dict[str, Any], expected: str) -> None:
    assert citation_text({"version": "1.0.0", "dataset": dataset}) == expected


def test_bibtex_escapes_latex() -> None:
    manifest = {"version": "1.0.0", "dataset": {"name": "lee", "title": "R&D {50%} of a_b \\ ~"}}
    assert "  title = {R\\&D \\{50\\%\\} of a\\_b \\textbackslash{} \\textasciitilde{}},\n" in bibtex(
        manifest
    )


@pytest.mark.parametrize(
    ("licence", "line", "hub"),
    [
        (None, "- Licence: not stated — set `licence` in newsds.toml", "other"),
        ("NOASSERTION", "- Licence: not asserted for the dataset as a whole (NOASSERTION)", "other"),
        ("NONE", "- Licence: none (NONE): no licence is granted", "other"),
        ("CC-BY-4.0", "- Licence: CC-BY-4.0 (https://spdx.org/licenses/CC-BY-4.0.html)", "cc-by-4.0"),
        (
            "MIT OR Apache-2.0",
            "- Licence: MIT OR Apache-2.0 (https://spdx.org/licenses/MIT.html, "
            "https://spdx.org/licenses/Apache-2.0.html)",
            "other",
        ),
        ("LicenseRef-Lee", "- Licence: LicenseRef-Lee\n", "other"),
    ],
)
def test_the_licence_line_and_the_hub_licence(inputs: Any, licence: str | None, line: str, hub: str) -> None:
    card = render(inputs, UNSOURCED | {"licence": licence})
    assert line in card
    assert front(card)["license"] == hub


def test_hub_licence_lowercases_one_listed_id() -> None:
    assert hub_licence("CC-BY-2.5") == "cc-by-2.5" and hub_licence("MIT") == "mit"
    assert (
        hub_licence(None) == "other" and hub_licence("GPL-2.0-only WITH Classpath-exception-2.0") == "other"
    )


def test_every_table_empty_still_lists_only_documents() -> None:
    """Without any config, `datasets` would guess splits from every file in the folder."""
    files = {f"{t}.parquet": {"rows": 0} for t in TABLES}
    assert hub_configs({"files": files}, TABLES) == ["documents"]
    meta = yaml.safe_load(front_matter({"files": files}, ["documents"]).strip("-\n"))
    assert meta["configs"] == [
        {
            "config_name": "documents",
            "data_files": [{"split": "train", "path": "documents.parquet"}],
            "default": True,
        }
    ]


@given(st.text())
def test_yaml_strings_read_back_as_written(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_string(text)}\n") == {"key": text}
    assert "\n" not in yaml_string(text)


@given(st.text(min_size=1), st.lists(st.sampled_from(["en", "no", "on", "yes", "null", "de"]), max_size=3))
def test_any_title_and_language_survive_the_front_matter(title: str, languages: list[str]) -> None:
    manifest = {"dataset": {"name": "x", "title": title, "languages": languages}}
    text = front_matter(manifest, ["documents", "claims"])
    assert text.startswith("---\n") and text.endswith("\n---\n") and text.count("\n---\n") == 1
    meta = yaml.safe_load(text.removeprefix("---\n").removesuffix("---\n"))
    assert meta["pretty_name"] == title and meta.get("language", []) == languages
