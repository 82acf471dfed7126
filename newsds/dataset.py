"""A dataset is a folder with a `newsds.toml`: what the corpus is called, whose it is, its version and
licence, where its raw files and releases live, and how its files are read.

Why a file and not flags: a researcher's corpus has one name, one version line and one set of paths, and
every command (build, list, load, diff, ...) must agree on them from any folder inside the dataset, as
git does. `find_dataset` walks up from the current folder to the nearest `newsds.toml`; flags override
what it says. Paths in the file are relative to the file. Every key is checked: a wrong or unknown key
fails with the key, the value and the allowed values, never a silent default.

A folder without a `newsds.toml` still builds with explicit `--raw`, `--out` and `--version`: its
metadata is then only a placeholder name, and the card says what is missing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsds.errors import NewsdsError
from newsds.reading import COLUMNS as MAPPING_COLUMNS
from newsds.reading import DEFAULT_MAPPING, LAYOUTS, FieldMapping, mapping_from_dict
from newsds.versions import VERSION, check_version

CONFIG_FILE = "newsds.toml"
UNNAMED = "newsds-dataset"  # the name of a dataset without a newsds.toml (the data card says how to name it)
TXT_LAYOUTS = LAYOUTS  # .txt layouts: newsds.ingest.parse.txt, rule 4
DEFAULT_PATHS = {"raw": "raw", "out": "processed"}
NO_DATASET_PATHS = {"raw": "data/raw", "out": "data/processed"}  # no newsds.toml: today's layout
ROOT_HELP = "releases folder (default: the dataset's, from newsds.toml; without one, data/processed)"
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_LICENCE_REF = re.compile(r"LicenseRef-[A-Za-z0-9.-]+")
NO_ASSERTION, NO_LICENCE = "NOASSERTION", "NONE"  # SPDX: "not stated" and "no licence granted"
_SPECIAL_LICENCES = (NO_ASSERTION, NO_LICENCE)

# Every key the file may hold, per table: the error for an unknown key lists these.
_TOP_KEYS = (
    "name",
    "title",
    "description",
    "version",
    "licence",
    "authors",
    "citation",
    "homepage",
    "released",
    "languages",
    "paths",
    "txt",
    "json",
    "sources",
)
_PATH_KEYS = ("raw", "out", "annotations", "sources_csv")
AUTHOR_KEYS = ("name", "email", "affiliation", "orcid")
SOURCE_KEYS = ("match", "licence", "attribution", "url")


@dataclass(frozen=True)
class Author:
    """One author of the dataset, as the data card, Data Package and Croissant list them."""

    name: str
    email: str | None = None
    affiliation: str | None = None
    orcid: str | None = None


@dataclass(frozen=True)
class SourceLicence:
    """The licence of the raw files whose path (relative to the raw folder) matches `match`, a glob."""

    match: str
    licence: str
    attribution: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Dataset:
    """Everything newsds knows about a dataset: its metadata, its folders and how to read its files."""

    root: Path  # the folder that holds newsds.toml (the current folder when there is none)
    name: str
    config_file: Path | None = None
    title: str | None = None
    description: str | None = None
    version: str | None = None
    licence: str | None = None
    authors: tuple[Author, ...] = ()
    citation: str | None = None
    homepage: str | None = None
    released: dt.date | None = None
    languages: tuple[str, ...] = ()
    raw: Path = Path(NO_DATASET_PATHS["raw"])
    out: Path = Path(NO_DATASET_PATHS["out"])
    annotations: Path | None = None  # None: the `annotations` folder beside the raw folder, if any
    sources_csv: Path | None = None  # None: SOURCES.csv in the raw folder, if any
    mapping: FieldMapping = DEFAULT_MAPPING
    txt_layout: str = "auto"
    sources: tuple[SourceLicence, ...] = field(default=())

    def metadata(self, sources_csv: str | None = None) -> dict[str, Any]:
        """The manifest's `dataset` entry, from which the data card, datapackage.json and croissant.json
        are written (`sources_csv`: the name of the per-file sources CSV the build read, if any)."""
        return {
            "name": self.name,
            "title": self.title or self.name,
            "description": self.description,
            "licence": self.licence,
            "authors": [
                {"name": a.name, "email": a.email, "affiliation": a.affiliation, "orcid": a.orcid}
                for a in self.authors
            ],
            "citation": self.citation,
            "homepage": self.homepage,
            "released": None if self.released is None else self.released.isoformat(),
            "languages": list(self.languages),
            "sources": [
                {"match": s.match, "licence": s.licence, "attribution": s.attribution, "url": s.url}
                for s in self.sources
            ],
            "sources_csv": sources_csv,
        }


def _fail(where: str, value: object, allowed: str) -> NewsdsError:
    return NewsdsError(f"{where} = {value!r} is not allowed; {allowed}")


def _unknown(keys: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in keys:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise NewsdsError(f"{where}: unknown key {key!r}{hint}; allowed keys: {', '.join(allowed)}")


def _text(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"{where}{key}", value, "give a non-empty string, or leave the key out")
    return value.strip()


def check_licence(value: object, where: str) -> str:
    """An SPDX licence expression ("CC-BY-4.0", "MIT OR Apache-2.0", "LicenseRef-...", "NOASSERTION"), kept
    as written (the checker's version never changes a release's bytes); anything else fails with the
    closest SPDX ids."""
    from license_expression import get_spdx_licensing  # its licence index is only needed here

    if not isinstance(value, str) or not value.strip():
        raise _fail(where, value, "give an SPDX licence id such as 'CC-BY-4.0' (https://spdx.org/licenses/)")
    value = value.strip()
    if value in _SPECIAL_LICENCES or _LICENCE_REF.fullmatch(value):
        return value
    licensing = get_spdx_licensing()
    info = licensing.validate(value)
    if not info.errors and info.normalized_expression:
        return value
    ids = sorted({str(key) for key in licensing.known_symbols})
    close = difflib.get_close_matches(value, ids, n=3, cutoff=0.5)
    examples = f", for example {', '.join(close)}" if close else ""
    raise _fail(
        where,
        value,
        f"give an SPDX licence id (https://spdx.org/licenses/){examples}; or "
        f"{', '.join(_SPECIAL_LICENCES)}, or LicenseRef-<your-name> for a licence of your own",
    )


def _authors(value: object) -> tuple[Author, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail("authors", value, 'give a list: ["Jane Doe"] or [[authors]] tables with name, email, ...')
    out = []
    for i, entry in enumerate(value):
        where = f"authors[{i}]"
        if isinstance(entry, str) and entry.strip():
            out.append(Author(entry.strip()))
            continue
        if not isinstance(entry, dict):
            raise _fail(where, entry, "give a name, or a table with name, email, affiliation, orcid")
        _unknown(entry, AUTHOR_KEYS, where)
        name = _text(entry, "name", f"{where}.")
        if name is None:
            raise NewsdsError(f"{where}: every author needs a name")
        out.append(Author(name, *(_text(entry, k, f"{where}.") for k in AUTHOR_KEYS[1:])))
    return tuple(out)


def _released(value: object) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail("released", value, "give a date, YYYY-MM-DD (released = 2026-12-04)")


def _languages(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and _LANGUAGE.fullmatch(v) for v in value):
        raise _fail("languages", value, 'give a list of ISO 639-1 codes, lowercase: ["en", "de"]')
    return tuple(value)


def _sources(value: object) -> tuple[SourceLicence, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail("sources", value, "give [[sources]] tables with match, licence, attribution, url")
    out = []
    for i, entry in enumerate(value):
        where = f"sources[{i}]"
        if not isinstance(entry, dict):
            raise _fail(where, entry, "give a table with match, licence, attribution, url")
        _unknown(entry, SOURCE_KEYS, where)
        match = _text(entry, "match", f"{where}.")
        if match is None or "licence" not in entry:
            raise NewsdsError(
                f"{where}: needs match (a glob over paths in the raw folder, e.g. 'wikinews/*') and licence"
            )
        out.append(
            SourceLicence(
                match,
                check_licence(entry["licence"], f"{where}.licence"),
                _text(entry, "attribution", f"{where}."),
                _text(entry, "url", f"{where}."),
            )
        )
    return tuple(out)


def source_licences(metadata: Mapping[str, Any]) -> tuple[SourceLicence, ...]:
    """The `[[sources]]` of a release's recorded metadata (its manifest's `dataset` entry)."""
    return tuple(
        SourceLicence(s["match"], s["licence"], s.get("attribution"), s.get("url"))
        for s in metadata.get("sources") or []
    )


def _table(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise _fail(key, value, f"[{key}] must be a table")
    return value


def _mapping(value: dict[str, Any]) -> FieldMapping:
    _unknown(value, (*MAPPING_COLUMNS, "coerce"), "[json]")
    return mapping_from_dict(value) if value else DEFAULT_MAPPING


def dataset_from_dict(data: Mapping[str, Any], root: Path, config_file: Path | None = None) -> Dataset:
    """A Dataset from the parsed TOML `data`, its paths relative to `root`. Raises NewsdsError."""
    _unknown(data, _TOP_KEYS, "top level")
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise _fail(
            "name", name, "give a machine name: lowercase letters, digits, '.', '_' or '-' (name = 'my-news')"
        )
    version = data.get("version")
    if version is not None and not (isinstance(version, str) and VERSION.fullmatch(version)):
        raise _fail("version", version, "give a semantic version as a string: version = '0.1.0'")
    paths = _table(data, "paths")
    _unknown(paths, _PATH_KEYS, "[paths]")
    folders = {key: _text(paths, key, "paths.") for key in _PATH_KEYS}
    txt = _table(data, "txt")
    _unknown(txt, ("layout",), "[txt]")
    layout = txt.get("layout", "auto")
    if layout not in TXT_LAYOUTS:
        raise _fail("txt.layout", layout, f"allowed: {', '.join(TXT_LAYOUTS)}")
    licence = data.get("licence")

    def under_root(key: str) -> Path | None:
        value = folders[key] or DEFAULT_PATHS.get(key)
        return None if value is None else (root / value)

    raw, out = under_root("raw"), under_root("out")
    assert raw is not None and out is not None
    return Dataset(
        root=root,
        name=name,
        config_file=config_file,
        title=_text(data, "title", ""),
        description=_text(data, "description", ""),
        version=version,
        licence=None if licence is None else check_licence(licence, "licence"),
        authors=_authors(data.get("authors")),
        citation=_text(data, "citation", ""),
        homepage=_text(data, "homepage", ""),
        released=_released(data.get("released")),
        languages=_languages(data.get("languages")),
        raw=raw,
        out=out,
        annotations=under_root("annotations"),
        sources_csv=under_root("sources_csv"),
        mapping=_mapping(_table(data, "json")),
        txt_layout=layout,
        sources=_sources(data.get("sources")),
    )


def open_dataset(path: str | Path) -> Dataset:
    """The dataset of a `newsds.toml` file, or of the folder that holds one."""
    path = Path(path)
    file = path / CONFIG_FILE if path.is_dir() else path
    if not file.is_file():
        raise NewsdsError(
            f"no {CONFIG_FILE} at {file}; create one with `newsds init {path}` or pass the dataset's folder"
        )
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise NewsdsError(f"cannot read {file}: {exc}; save it as UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise NewsdsError(f"{file} is not valid TOML: {exc}") from exc
    try:
        return dataset_from_dict(data, file.parent.absolute(), file.absolute())
    except NewsdsError as exc:
        raise NewsdsError(f"{file}: {exc}") from exc


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest `newsds.toml` in `start` (default: the current folder) or a folder above it."""
    here = Path(start or os.getcwd()).absolute()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder / CONFIG_FILE
    return None


def find_dataset(start: str | Path | None = None) -> Dataset | None:
    """The dataset whose folder holds `start` (default: the current folder), or None outside any."""
    config = find_config(start)
    return None if config is None else open_dataset(config)


def bare_dataset(raw: str | Path | None = None, out: str | Path | None = None) -> Dataset:
    """A folder with no newsds.toml: explicit paths (or data/raw and data/processed) and no metadata, not
    even a name taken from a folder: where a folder sits must not change a release's bytes."""
    raw_path = Path(raw if raw is not None else NO_DATASET_PATHS["raw"])
    out_path = Path(out if out is not None else NO_DATASET_PATHS["out"])
    return Dataset(root=Path.cwd(), name=UNNAMED, raw=raw_path, out=out_path)


def resolve_dataset(
    dataset: str | Path | Dataset | None = None, raw: str | Path | None = None, out: str | Path | None = None
) -> Dataset:
    """The dataset a command works on: the one named, else the one around the current folder (unless `raw`
    lies outside its folder), else a bare folder (`raw` and `out`, or data/raw and data/processed)."""
    if isinstance(dataset, Dataset):
        return dataset
    if dataset is not None:
        return open_dataset(dataset)
    found = find_dataset()
    if found is not None and (raw is None or Path(raw).absolute().is_relative_to(found.root)):
        return found
    return bare_dataset(raw, out)  # no dataset here, or a raw folder outside it: that folder on its own


def with_overrides(dataset: Dataset, **flags: Any) -> Dataset:
    """The dataset with the flags a user passed (None means not passed) in place of the file's values."""
    given = {key: value for key, value in flags.items() if value is not None}
    for key in ("raw", "out", "annotations"):
        if key in given:
            given[key] = Path(given[key])
    if "raw" in given and dataset.sources_csv is not None:  # a sources CSV in the raw folder moves with it
        try:
            inside = dataset.sources_csv.relative_to(dataset.raw)
        except ValueError:
            pass
        else:  # kept only when the other raw folder has one too
            moved = given["raw"] / inside
            given["sources_csv"] = moved if moved.is_file() else None
    if given.get("txt_layout", "auto") not in TXT_LAYOUTS:
        raise _fail("layout", given["txt_layout"], f"allowed: {', '.join(TXT_LAYOUTS)}")
    return replace(dataset, **given)


def require_version(dataset: Dataset, version: str | None) -> str:
    """The version to build: the flag, else the dataset's own. Never the newsds package version."""
    chosen = dataset.version if version is None else version
    if chosen is None:
        where = dataset.config_file or f"a {CONFIG_FILE}"
        raise NewsdsError(
            f"no release version: pass --version X.Y.Z, or set version = '0.1.0' in {where} "
            "(`newsds init` writes one)"
        )
    return check_version(chosen)


_TEMPLATE = """\
# newsds dataset: `newsds build` reads this file from this folder or any folder below it.
# Paths are relative to this file. Every key is checked; `newsds build --help` lists the flags that
# override these values for one run.

name = {name}                # machine name: lowercase letters, digits, '.', '_', '-'
title = {title}
# description = "What the articles are, where they come from, and what the dataset is for."
version = "0.1.0"              # the dataset's release version (semantic); bump it when the output changes
# licence = "CC-BY-4.0"        # SPDX id of the dataset as a whole; NOASSERTION when the sources differ
# homepage = "https://example.org/my-news"
# released = 2026-12-31        # the release date: written into the data card and metadata (YYYY-MM-DD)
# citation = "Doe, J. (2026). My news corpus (version 0.1.0) [Data set]."   # default: made from the above
languages = ["en"]             # languages you expect (ISO 639-1); claims are extracted from English

# [[authors]]
# name = "Jane Doe"
# email = "jane@example.org"
# affiliation = "Example University"
# orcid = "0000-0000-0000-0000"

[paths]
raw = "raw"                    # the article files: .txt, .html, .json, .jsonl (optionally .gz)
out = "processed"              # where releases are published, one folder per version
# annotations = "annotations"  # human annotation exports (Label Studio, brat); default: beside raw
# sources_csv = "raw/SOURCES.csv"  # per-file origin and licence: columns path, url, licence, ...

[txt]
layout = "auto"                # auto | title | body: does a .txt file's first line hold the title?

[json]                         # which JSON/JSONL keys hold each column (defaults read news-please,
# text = ["maintext", "body"]  # newspaper4k and most crawlers); a key or a list, dotted for nesting
# id = "article_id"            # the record's own id: its doc_id stays the same when the file grows

# [[sources]]                  # licences by path (a glob over paths in the raw folder)
# match = "wikinews/*"
# licence = "CC-BY-2.5"
# attribution = "Wikinews contributors"
# url = "https://en.wikinews.org"
"""


def init_dataset(folder: str | Path, name: str | None = None, title: str | None = None) -> Path:
    """Write a commented `newsds.toml` and an empty `raw/` folder in `folder`; returns the file.
    Refuses to overwrite an existing file."""
    folder = Path(folder)
    file = folder / CONFIG_FILE
    if file.exists():
        raise NewsdsError(f"{file} already exists; edit it, or pick another folder")
    if name is None:
        name = re.sub(r"[^a-z0-9._-]+", "-", folder.absolute().name.lower()).strip("-._") or "dataset"
    if not _NAME.fullmatch(name):
        raise _fail("name", name, "give a machine name: lowercase letters, digits, '.', '_' or '-'")
    title = title or name.replace("-", " ").capitalize()
    text = _TEMPLATE.format(name=json.dumps(name), title=json.dumps(title, ensure_ascii=False))
    dataset_from_dict(tomllib.loads(text), folder)  # the template itself must be valid
    (folder / DEFAULT_PATHS["raw"]).mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file
