"""A release folder is a Hugging Face dataset: its README's YAML block gives one config per table.

`datasets.load_dataset(<release folder>, <table>, split="train")` reads that table's Parquet file and
nothing else; the folder's JSON files (validation.json, CHANGES.json, ...) are never taken for splits,
and `load_dataset(<release folder>)` gives the documents. Everything runs offline, with every Hugging Face
cache in tmp_path.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import datasets
import huggingface_hub
import polars as pl
import pytest

import newsds
from newsds.release.datacard import render_datacard
from newsds.schemas import TABLES
from tests.test_datacard import DATASET
from tests.test_metadata import build


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small release in which every table, the annotation ones too, has rows."""
    release = build(tmp_path_factory.mktemp("hf"))
    assert all(pl.read_parquet(release / f"{t}.parquet").height for t in TABLES)
    return release


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Offline, with every cache in tmp_path. `datasets` reads the environment once, when first
    imported, so its settings are patched too, and each call is given the cache folder."""
    hf = tmp_path / "hf"
    monkeypatch.setenv("HF_HOME", str(hf))
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", hf / "datasets")
    monkeypatch.setattr(datasets.config, "HF_MODULES_CACHE", hf / "modules")
    return str(hf / "datasets")


def _same_table(dataset: datasets.Dataset, parquet: Path) -> None:
    frame = pl.read_parquet(parquet)
    assert dataset.column_names == frame.columns
    assert dataset.num_rows == frame.height


@pytest.mark.parametrize("table", TABLES)
def test_each_table_is_a_config(annotated: Path, cache: str, table: str) -> None:
    dataset = datasets.load_dataset(str(annotated), table, split="train", cache_dir=cache)
    _same_table(dataset, annotated / f"{table}.parquet")
    assert datasets.get_dataset_split_names(str(annotated), table, cache_dir=cache) == ["train"]


def test_the_configs_are_the_tables_and_documents_is_the_default(annotated: Path, cache: str) -> None:
    assert datasets.get_dataset_config_names(str(annotated)) == list(TABLES)
    default = datasets.load_dataset(str(annotated), cache_dir=cache)
    assert list(default) == ["train"]  # no "validation" from validation.json, nor any other file
    _same_table(default["train"], annotated / "documents.parquet")


def test_empty_tables_have_no_config(built_release: Path, tmp_path: Path, cache: str) -> None:
    """`datasets` cannot load an empty Parquet file, so an empty table gets no config (the card says so)."""
    release = tmp_path / "0.1.0"
    shutil.copytree(built_release / "0.1.0", release)
    empty = [t for t in TABLES if pl.read_parquet(release / f"{t}.parquet").is_empty()]
    assert empty == ["annotated_documents", "claim_annotations", "annotation_rejected"]
    assert datasets.get_dataset_config_names(str(release)) == [t for t in TABLES if t not in empty]
    with pytest.raises(ValueError, match="annotated_documents"):
        datasets.load_dataset(str(release), "annotated_documents", split="train", cache_dir=cache)
    default = datasets.load_dataset(str(release), cache_dir=cache)
    assert list(default) == ["train"]
    _same_table(default["train"], release / "documents.parquet")


def test_the_hub_reads_the_datasets_metadata(annotated: Path, tmp_path: Path, cache: str) -> None:
    """With a dataset entry (a title with a colon and quotes, "no" among the languages) the Hub's card
    parser reads licence, languages and pretty name, and `datasets` still reads the tables."""
    release = tmp_path / annotated.name
    shutil.copytree(annotated, release)
    rel = newsds.load(root=release.parent, version=release.name)
    report = json.loads((release / "validation.json").read_text())
    card = render_datacard(rel.manifest | {"dataset": DATASET}, rel.tables(), report, "", rel.agreement)
    (release / "README.md").write_text(card, encoding="utf-8")
    data = huggingface_hub.DatasetCard.load(release / "README.md").data
    assert data.license == "cc-by-4.0" and data.language == ["en", "no"]
    assert data.pretty_name == 'Lee news corpus: "quoted" edition'
    assert [c["config_name"] for c in data.configs] == list(TABLES)
    assert re.search(r"^# Lee news corpus: \"quoted\" edition 1\.2\.0-rc\.1$", card, re.M)
    claims = datasets.load_dataset(str(release), "claims", split="train", cache_dir=cache)
    _same_table(claims, release / "claims.parquet")
