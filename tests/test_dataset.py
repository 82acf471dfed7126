"""newsds.toml: a dataset's metadata, folders and reading options, found from any folder inside it."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsds
from newsds.cli import main
from newsds.dataset import (
    CONFIG_FILE,
    bare_dataset,
    dataset_from_dict,
    find_dataset,
    init_dataset,
    open_dataset,
    require_version,
)
from newsds.errors import NewsdsError

ARTICLE = (
    "Officials said on Monday that the new rail line would open next spring, two years later than planned. "
    "The transport minister denied that costs had doubled."
)


def make_dataset(folder: Path, extra: str = "", files: dict[str, str] | None = None) -> Path:
    """A dataset folder: init, a filled-in newsds.toml, and a few raw files."""
    init_dataset(folder, name="city-news", title="City news")
    toml = (folder / CONFIG_FILE).read_text(encoding="utf-8")
    toml = toml.replace('# licence = "CC-BY-4.0"', 'licence = "CC-BY-4.0"')
    toml = toml.replace("# released = 2026-12-31", "released = 2026-11-30")
    toml = toml.replace('# homepage = "https://example.org/my-news"', 'homepage = "https://example.org/city"')
    toml = toml.replace('# [[authors]]\n# name = "Jane Doe"', '[[authors]]\nname = "Jane Doe"')
    (folder / CONFIG_FILE).write_text(toml + extra, encoding="utf-8")
    for name, text in (files or {"rail.txt": ARTICLE}).items():
        path = folder / "raw" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_init_writes_a_valid_commented_file_and_raw_folder(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "My News 2026")]) == 0
    file = tmp_path / "My News 2026" / CONFIG_FILE
    assert (tmp_path / "My News 2026" / "raw").is_dir()
    text = file.read_text(encoding="utf-8")
    assert text.count("#") > 20  # every key explained
    dataset = open_dataset(file)
    assert (dataset.name, dataset.version, dataset.txt_layout) == ("my-news-2026", "0.1.0", "auto")
    assert dataset.raw == file.parent.absolute() / "raw"
    assert main(["init", str(tmp_path / "My News 2026")]) == 1  # never overwrites


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ('name = "x"\ncolour = "red"', ["'colour'", "allowed keys", "licence"]),
        ('name = "x"\nlicense = "MIT"', ["'license'", "did you mean 'licence'"]),
        ('name = "Big Name"', ["name = 'Big Name'", "lowercase"]),
        ('name = "x"\nlicence = "CC-BY4"', ["licence = 'CC-BY4'", "CC-BY-4.0", "NOASSERTION"]),
        ('name = "x"\nversion = "1.0"', ["1.0", "semantic version"]),
        ('name = "x"\nreleased = "yesterday"', ["released = 'yesterday'", "YYYY-MM-DD"]),
        ('name = "x"\nlanguages = ["English"]', ["languages", "ISO 639-1"]),
        ('name = "x"\n[txt]\nlayout = "headline"', ["txt.layout = 'headline'", "auto, title, body"]),
        ('name = "x"\n[paths]\nraws = "a"', ["'raws'", "did you mean 'raw'", "out"]),
        ('name = "x"\n[json]\nbdy = "a"', ["'bdy'", "text"]),
        ('name = "x"\n[[sources]]\nmatch = "a*"', ["sources[0]", "licence"]),
        ('name = "x"\n[[authors]]\nemail = "a@b.c"', ["authors[0]", "name"]),
    ],
)
def test_bad_keys_fail_with_key_value_and_allowed(tmp_path: Path, toml: str, words: list[str]) -> None:
    (tmp_path / CONFIG_FILE).write_text(toml, encoding="utf-8")
    with pytest.raises(NewsdsError) as error:
        open_dataset(tmp_path)
    message = str(error.value)
    assert str(tmp_path / CONFIG_FILE) in message
    for word in words:
        assert word in message, message


def test_not_toml_and_missing_file_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(NewsdsError, match="newsds init"):
        open_dataset(tmp_path)
    (tmp_path / CONFIG_FILE).write_text("name = ", encoding="utf-8")
    with pytest.raises(NewsdsError, match="not valid TOML"):
        open_dataset(tmp_path)


@settings(max_examples=40, deadline=None)
@given(depth=st.integers(0, 4), names=st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=4))
def test_found_from_any_folder_below(
    tmp_path_factory: pytest.TempPathFactory, depth: int, names: list[str]
) -> None:
    root = tmp_path_factory.mktemp("ds")
    init_dataset(root, name="found")
    here = root.joinpath(*names[:depth])
    here.mkdir(parents=True, exist_ok=True)
    found = find_dataset(here)
    assert found is not None and found.name == "found" and found.root == root.absolute()


def test_no_dataset_outside(tmp_path: Path) -> None:
    assert find_dataset(tmp_path) is None


def test_version_is_the_datasets_never_the_packages(tmp_path: Path) -> None:
    bare = bare_dataset(tmp_path / "raw")
    with pytest.raises(NewsdsError, match="--version"):
        require_version(bare, None)
    assert require_version(bare, "2.0.0") == "2.0.0"
    dataset = dataset_from_dict({"name": "x", "version": "3.1.0"}, tmp_path)
    assert require_version(dataset, None) == "3.1.0" and require_version(dataset, "3.2.0") == "3.2.0"


def test_build_list_and_load_from_a_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_dataset(tmp_path / "city")
    (folder / "notes" / "drafts").mkdir(parents=True)
    monkeypatch.chdir(folder / "notes" / "drafts")
    assert main(["build", "--quiet"]) == 0
    assert (folder / "processed" / "0.1.0" / "manifest.json").is_file()
    assert main(["list"]) == 0
    assert main(["verify"]) == 0
    rel = newsds.load()
    assert rel.version == "0.1.0" and rel.path == folder.absolute() / "processed" / "0.1.0"
    assert rel.documents["text"].to_list() == [ARTICLE]
    # the metadata of the release is the dataset's
    dataset = rel.manifest["dataset"]
    assert rel.manifest["name"] == "city-news"
    assert (dataset["title"], dataset["licence"], dataset["released"]) == (
        "City news",
        "CC-BY-4.0",
        "2026-11-30",
    )
    assert dataset["authors"][0]["name"] == "Jane Doe" and dataset["homepage"] == "https://example.org/city"
    assert rel.manifest["code"]["version"] == newsds.__version__  # the package version stays in lineage


def test_flags_override_the_file_and_dataset_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_dataset(tmp_path / "city")
    monkeypatch.chdir(tmp_path)  # outside the dataset: --dataset names it
    other_out = tmp_path / "elsewhere"
    assert (
        main(["build", "--dataset", str(folder), "--out", str(other_out), "--version", "1.0.0", "--quiet"])
        == 0
    )
    assert (other_out / "1.0.0" / "manifest.json").is_file()
    assert not (folder / "processed").exists()
    assert main(["list", "--dataset", str(folder / CONFIG_FILE), "--root", str(other_out)]) == 0
    assert main(["list", "--dataset", str(folder)]) == 1  # its own releases folder is still empty


def test_build_without_any_version_fails_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "--version" in err and "newsds init" in err
    with pytest.raises(NewsdsError, match="--version"):
        newsds.build(raw, tmp_path / "out")


def test_per_source_licences_and_sources_csv(tmp_path: Path) -> None:
    extra = """
[[sources]]
match = "wire/*"
licence = "CC-BY-SA-4.0"
attribution = "Wire service contributors"
"""
    folder = make_dataset(
        tmp_path / "city", extra, {"wire/a.txt": ARTICLE, "own/b.txt": ARTICLE.replace("Monday", "Friday")}
    )
    rel = newsds.build(dataset=folder)
    licences = dict(rel.documents.select("source_path", "licence").iter_rows())
    assert licences == {"own/b.txt": None, "wire/a.txt": "CC-BY-SA-4.0"}
    assert rel.manifest["dataset"]["sources"][0]["attribution"] == "Wire service contributors"
    assert rel.manifest["dataset"]["sources_csv"] is None
    # a sources CSV named in [paths] gives its file rows their licence first, and is not an input
    csv = "path,url,licence\nown/b.txt,https://example.org/b,CC0-1.0\n"
    (folder / "raw" / "SOURCES.csv").write_text(csv, encoding="utf-8")
    toml = (folder / CONFIG_FILE).read_text(encoding="utf-8")
    toml = toml.replace('# sources_csv = "raw/SOURCES.csv"', 'sources_csv = "raw/SOURCES.csv"')
    (folder / CONFIG_FILE).write_text(toml, encoding="utf-8")
    rel = newsds.build(dataset=folder, version="0.2.0")
    rows = {r["source_path"]: r for r in rel.documents.iter_rows(named=True)}
    assert set(rows) == {"own/b.txt", "wire/a.txt"}
    assert rows["own/b.txt"]["licence"] == "CC0-1.0" and rows["own/b.txt"]["url"] == "https://example.org/b"
    assert rel.manifest["dataset"]["sources_csv"] == "SOURCES.csv"
    assert rel.manifest["provenance"]["path"] == "SOURCES.csv"


def test_a_missing_sources_csv_is_an_error(tmp_path: Path) -> None:
    folder = make_dataset(tmp_path / "city", "")
    toml = (folder / CONFIG_FILE).read_text(encoding="utf-8")
    toml = toml.replace('# sources_csv = "raw/SOURCES.csv"', 'sources_csv = "raw/MISSING.csv"')
    (folder / CONFIG_FILE).write_text(toml, encoding="utf-8")
    with pytest.raises(NewsdsError, match=r"MISSING\.csv"):
        newsds.build(dataset=folder)


def test_the_repository_dataset_is_described_by_its_newsds_toml() -> None:
    root = Path(__file__).resolve().parents[1]
    dataset = open_dataset(root)
    data = tomllib.loads((root / CONFIG_FILE).read_text(encoding="utf-8"))
    assert dataset.raw == root / "data" / "raw" and dataset.out == root / "data" / "processed"
    assert dataset.version == data["version"]
    assert isinstance(dataset.released, dt.date)
    # the committed release of that version carries the file's metadata
    manifest = json.loads((dataset.out / data["version"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dataset"]["name"] == data["name"] == manifest["name"]
    assert manifest["dataset"]["released"] == dataset.released.isoformat()


def test_layout_in_the_file_reaches_the_parser(tmp_path: Path) -> None:
    heading = "Rail line delayed\n\n" + ARTICLE
    folder = make_dataset(tmp_path / "city", files={"rail.txt": heading})
    titled = newsds.build(dataset=folder).documents.row(0, named=True)
    assert titled["title"] == "Rail line delayed" and titled["text"] == ARTICLE
    kept = newsds.build(dataset=folder, version="0.2.0", layout="body").documents.row(0, named=True)
    assert kept["title"] is None and kept["text"].startswith("Rail line delayed")
    assert pl.read_parquet(folder / "processed" / "0.2.0" / "documents.parquet").height == 1


def test_init_writes_any_title_as_valid_toml(tmp_path: Path) -> None:
    title = 'The "Daily" Wire\'s C:\\news archive — 2026'
    file = init_dataset(tmp_path / "wire", title=title)
    assert open_dataset(file).title == title


def test_the_licence_is_kept_as_written(tmp_path: Path) -> None:
    for written in ("cc-by-4.0", "MIT OR Apache-2.0", "LicenseRef-Lee", "NOASSERTION"):
        assert dataset_from_dict({"name": "x", "licence": written}, tmp_path).licence == written


def test_a_raw_folder_outside_the_dataset_is_built_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_dataset(tmp_path / "city")
    other = tmp_path / "elsewhere" / "raw"
    other.mkdir(parents=True)
    (other / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(folder)
    argv = ["build", "--raw", str(other), "--out", str(tmp_path / "out"), "--version", "1.0.0", "--quiet"]
    assert main(argv) == 0
    manifest = json.loads((tmp_path / "out" / "1.0.0" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["name"] == "newsds-dataset" and manifest["dataset"]["licence"] is None  # not city-news
    # the Python API decides the same way
    rel = newsds.build(other, tmp_path / "api", "1.0.0")
    assert rel.manifest["dataset"] == manifest["dataset"]
    # a raw folder inside the dataset keeps its metadata, and a sources CSV the file names is optional there
    toml = (folder / CONFIG_FILE).read_text(encoding="utf-8")
    (folder / "raw" / "SOURCES.csv").write_text("path,licence\nrail.txt,CC0-1.0\n", encoding="utf-8")
    toml = toml.replace('# sources_csv = "raw/SOURCES.csv"', 'sources_csv = "raw/SOURCES.csv"')
    (folder / CONFIG_FILE).write_text(toml, encoding="utf-8")
    second = folder / "raw2"
    second.mkdir()
    (second / "b.txt").write_text(ARTICLE, encoding="utf-8")
    assert main(["validate", "--raw", str(second)]) == 0
    assert main(["build", "--raw", str(second), "--version", "2.0.0", "--quiet"]) == 0
    assert json.loads((folder / "processed" / "2.0.0" / "manifest.json").read_text())["name"] == "city-news"


def test_cli_layout_flag_and_reproduce_use_what_the_release_was_built_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_dataset(tmp_path / "city", files={"rail.txt": "Rail line delayed\n\n" + ARTICLE})
    monkeypatch.chdir(folder)
    assert main(["build", "--layout", "body", "--version", "0.1.1", "--quiet"]) == 0
    rel = newsds.load("0.1.1")
    assert rel.manifest["parameters"]["txt_layout"] == "body"
    assert rel.documents["text"].item().startswith("Rail line delayed")
    capsys.readouterr()
    assert main(["reproduce", "0.1.1", "--quiet"]) == 0  # rebuilt with layout "body", as recorded
    assert "rebuild is byte-identical" in capsys.readouterr().out
    # `build` over the published version compares with newsds.toml as it is (layout auto): it refuses
    assert main(["build", "--version", "0.1.1", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "already published and a rebuild differs in:" in err and "documents.parquet" in err


WORDS = (
    "the minister said police council water fire storm residents officials government on monday would "
    "not be reopened after years of talks with unions over pay and a new bridge in town"
).split()
SENTENCE = st.lists(st.sampled_from(WORDS), min_size=6, max_size=16).map(
    lambda w: " ".join(w).capitalize() + "."
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.data_too_large])
@given(st.lists(st.lists(SENTENCE, min_size=1, max_size=3), min_size=6, max_size=12))
def test_a_folder_of_body_only_articles_has_no_no_body(articles: list[list[str]]) -> None:
    """Like gensim's Lee corpus: one article per file, body only (one line, or paragraphs)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "raw"
        raw.mkdir()
        for i, sentences in enumerate(articles):
            (raw / f"lee_{i:03d}.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
        rel = newsds.build(raw, Path(scratch) / "out", "1.0.0")
        reasons = rel.rejected["reason"].to_list()
        assert "no_body" not in reasons
        assert rel.documents.height + len(reasons) == len(articles)
        assert set(reasons) <= {"duplicate"}
        for path, text in rel.documents.select("source_path", "text").iter_rows():
            i = int(path[4:7])
            assert text == "\n\n".join(articles[i])  # every paragraph, the first one too
