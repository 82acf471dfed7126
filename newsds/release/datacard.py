"""The data card (`README.md`) of a release: what it is, where it comes from, and how to load it.

Rendered only from the manifest and the tables, never from the clock, so it rebuilds byte for byte. The
dataset's own metadata (name, title, licence, authors, citation, sources) is the manifest's `dataset`
entry, from the user's newsds.toml (`dataset_info` fills in what an older manifest lacks). The card starts
with a Hugging Face dataset-card YAML block: one config per Parquet table, so `datasets.load_dataset`
on the release folder (or a Hub copy of it) reads exactly the tables and nothing else as a split.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from newsds.dataset import AUTHOR_KEYS, NO_ASSERTION, NO_LICENCE, SOURCE_KEYS, UNNAMED
from newsds.release.manifest import INPUT_COLUMNS, INPUTS_FILE
from newsds.schemas import TABLES
from newsds.vocabulary import CLAIM_LANGUAGES as LANGUAGES
from newsds.vocabulary import FIGURES

_COUNTED = ("inputs", "documents", "sentences", "claims", "rejected")
_LANGUAGE_NAMES = {"en": "English"}
UNKNOWN_LANGUAGE = "unknown"  # how a null `language` is counted and shown
DEFAULT_NAME = UNNAMED  # the dataset's name when the manifest has no `dataset` entry
_GENERIC_CARD_DESCRIPTION = (  # the card's opening paragraph when the dataset has no description
    "News articles turned into three linked tables: **documents** (clean article text and metadata),\n"
    "**sentences** (character offsets into the document text, with a kind such as body, heading or FAQ\n"
    "question) and **claims** (attributions: who, through which reporting cue, claims what, with stance and\n"
    "kind). Every span is a half-open `[start, end)` range of Python string indices into `documents.text`.\n"
    "Inputs that could not become a document are listed in **rejected** with a reason code."
)


def dataset_info(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The manifest's `dataset` entry (from newsds.toml) with every key present: a manifest without one
    (older releases, tests) gets name "newsds-dataset", title = name, and None or [] for the rest. Each
    author has name, email, affiliation and orcid; each source match, licence, attribution and url."""
    given = manifest.get("dataset") or {}
    name = given.get("name") or DEFAULT_NAME
    return {
        "name": name,
        "title": given.get("title") or name,
        "description": given.get("description") or None,
        "licence": given.get("licence") or None,
        "authors": [{k: a.get(k) for k in AUTHOR_KEYS} for a in given.get("authors") or []],
        "citation": given.get("citation") or None,
        "homepage": given.get("homepage") or None,
        "released": str(given["released"]) if given.get("released") else None,  # ISO date
        "languages": list(given.get("languages") or []),
        "sources": [{k: src.get(k) for k in SOURCE_KEYS} for src in given.get("sources") or []],
        "sources_csv": given.get("sources_csv") or None,
    }


def spdx_url(licence: str) -> str:
    """The SPDX page of a licence id (CC-BY-4.0 -> https://spdx.org/licenses/CC-BY-4.0.html)."""
    return f"https://spdx.org/licenses/{licence}.html"


_SPDX_OPERATORS = frozenset(("AND", "OR", "WITH"))


def stated_licence(info: Mapping[str, Any]) -> str | None:
    """The dataset's licence expression, or None when it is not stated (missing or NOASSERTION)."""
    licence = info["licence"]
    return None if licence in (None, NO_ASSERTION) else str(licence)


def licence_ids(licence: str) -> list[str]:
    """The licence and exception ids of an SPDX expression ("MIT OR Apache-2.0" -> MIT, Apache-2.0)."""
    tokens = licence.replace("(", " ").replace(")", " ").split()
    return list(dict.fromkeys(t for t in tokens if t not in _SPDX_OPERATORS))


def listed(licence_id: str) -> bool:
    """Whether an id is on the SPDX list (has a page there): not LicenseRef-..., NONE or NOASSERTION."""
    return not licence_id.startswith("LicenseRef-") and licence_id not in (NO_ASSERTION, NO_LICENCE)


def orcid_url(orcid: str) -> str:
    """An ORCID iD as its URL, whether given bare (0000-0002-1825-0097) or as the URL already."""
    return orcid if orcid.startswith(("http://", "https://")) else f"https://orcid.org/{orcid}"


def _year(info: Mapping[str, Any]) -> str | None:
    released = info["released"]
    return str(released)[:4] if released else None


def _names(authors: Sequence[Mapping[str, Any]]) -> str:
    names = [str(a["name"]) for a in authors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " & " + names[-1]


def citation_text(manifest: Mapping[str, Any]) -> str:
    """How to cite the release: the user's own citation, else "Authors (year). Title (version X)
    [Data set]. homepage", with "n.d." when no release date is set (never the clock)."""
    info = dataset_info(manifest)
    if info["citation"]:
        return str(info["citation"])
    year = _year(info) or "n.d."
    work = f"{info['title']} (version {manifest['version']}) [Data set]."
    text = f"{_names(info['authors'])} ({year}). {work}" if info["authors"] else f"{work} ({year})."
    return f"{text} {info['homepage']}" if info["homepage"] else text


_BIBTEX_SPECIAL = re.compile(r"[\\{}%&#_$~^]")
_BIBTEX_ESCAPES = {"\\": "\\textbackslash{}", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}"}


def _bibtex_value(text: str) -> str:
    """Text safe inside a BibTeX field's braces: LaTeX's special characters escaped, in one pass."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES.get(m.group(), "\\" + m.group()), text)


def bibtex(manifest: Mapping[str, Any]) -> str:
    """A generated BibTeX @misc entry: authors, title, year (when released is set), version, url."""
    info = dataset_info(manifest)
    version = manifest["version"]
    fields = []
    if info["authors"]:
        fields.append(("author", " and ".join(_bibtex_value(str(a["name"])) for a in info["authors"])))
    fields.append(("title", _bibtex_value(str(info["title"]))))
    if year := _year(info):
        fields.append(("year", year))
    fields.append(("version", _bibtex_value(version)))
    if info["homepage"]:
        fields.append(("url", str(info["homepage"])))
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields)
    return f"@misc{{{info['name']}-{version},\n{body}\n}}"


def cite_as(manifest: Mapping[str, Any]) -> str:
    """Croissant's citeAs: the user's citation, else the generated BibTeX entry."""
    info = dataset_info(manifest)
    return str(info["citation"]) if info["citation"] else bibtex(manifest)


# YAML plain scalars newsds writes unquoted; YAML 1.1 reads the reserved words as booleans or null.
_YAML_PLAIN = re.compile(r"[a-z][a-z0-9._-]*")
_YAML_RESERVED = frozenset("y n yes no on off true false null".split())
# Characters a YAML reader rejects or takes as a line break inside a quoted scalar: written as escapes.
_YAML_UNSAFE = re.compile(
    "[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def yaml_string(text: str) -> str:
    """A YAML scalar for text: plain when it is a simple lowercase token, else a JSON string (valid YAML
    double-quoted), with every character a YAML 1.1 or 1.2 reader would balk at escaped."""
    if _YAML_PLAIN.fullmatch(text) and text not in _YAML_RESERVED:
        return text
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def hub_licence(licence: str | None) -> str:
    """The Hub's `license` value: a single SPDX id lowercased (CC-BY-4.0 -> cc-by-4.0); "other" when none
    is stated or it is not one listed id (an expression, LicenseRef-..., NONE, NOASSERTION)."""
    if licence is None or licence_ids(licence) != [licence] or not listed(licence):
        return "other"
    return licence.lower()


def hub_configs(manifest: Mapping[str, Any], tables: Sequence[str]) -> list[str]:
    """The tables that get a Hugging Face config: those in the release with rows (`datasets` cannot load
    an empty Parquet file: "Instruction 'train' corresponds to no data"). When every table is empty,
    documents alone, so that nothing else in the folder is ever taken for a split."""
    files = manifest.get("files") or {}
    with_rows = [t for t in tables if (files.get(f"{t}.parquet") or {}).get("rows")]
    return with_rows or ["documents"]


def _no_config(empty: Sequence[str]) -> str:
    if not empty:
        return ""
    names = ", ".join(f"`{t}`" for t in empty)
    return f"\nEmpty tables have no config (`datasets` cannot load an empty Parquet file): {names}."


def front_matter(manifest: Mapping[str, Any], tables: Sequence[str]) -> str:
    """The Hugging Face dataset-card YAML block (`---` ... `---`): licence, languages, pretty name, and
    one config per table (`hub_configs`), each a single "train" split of its Parquet file; documents is
    the default (else the first)."""
    info = dataset_info(manifest)
    lines = ["---", f"license: {yaml_string(hub_licence(stated_licence(info)))}"]
    if info["languages"]:
        lines += ["language:", *(f"- {yaml_string(str(code))}" for code in info["languages"])]
    lines += [f"pretty_name: {yaml_string(str(info['title']))}", "configs:"]
    for table in tables:
        lines += [
            f"- config_name: {yaml_string(table)}",
            "  data_files:",
            "  - split: train",
            f"    path: {yaml_string(f'{table}.parquet')}",
        ]
        if table == ("documents" if "documents" in tables else tables[0]):
            lines.append("  default: true")
    return "\n".join([*lines, "---"]) + "\n"


def skipped_by_language(documents: pl.DataFrame | pl.LazyFrame) -> list[tuple[str, int]]:
    """Documents that get no claims because of their language, by language: (code, documents), most first,
    ties by code. The claims stage extracts only from documents whose `language` is in
    `newsds.claims.LANGUAGES` (English); every other document, a null `language` ("unknown") included, is
    skipped. The data card and the HTML report both count with this."""
    valid = pl.col("language").is_in(LANGUAGES).fill_null(False)
    counts = (
        documents.lazy()
        .filter(~valid)
        .group_by(pl.col("language").fill_null(UNKNOWN_LANGUAGE))
        .len()
        .collect(engine="streaming")
    )
    return sorted(((str(code), int(n)) for code, n in counts.iter_rows()), key=lambda row: (-row[1], row[0]))


def skipped_note(skipped: Sequence[tuple[str, int]]) -> str:
    """One sentence for readers: "Claims are extracted from English documents only; skipped: ko 1, ..."."""
    valid = " and ".join(_LANGUAGE_NAMES.get(code, code) for code in LANGUAGES)
    listed = ", ".join(f"{code} {n}" for code, n in skipped) or "none"
    return f"Claims are extracted from {valid} documents only; skipped (no claims), by language: {listed}."


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _sources(documents: pl.DataFrame | pl.LazyFrame) -> str:
    summary = (
        documents.lazy()
        .with_columns(pl.col("licence").fill_null("unknown"))
        .group_by("licence", "format")
        .len()
        .sort("licence", "format")
        .collect()
    )
    return _table(["licence", "format", "documents"], [list(r) for r in summary.iter_rows()])


def _validation(report: Mapping[str, Any]) -> str:
    rows = [
        [name, table["rows"], "pass" if table["valid"] else f"FAIL ({table['failures']})"]
        for name, table in report["tables"].items()
    ]
    rows += [
        [check["check"], "", "pass" if check["valid"] else f"FAIL ({check['failures']})"]
        for check in report["cross_table"]
    ]
    return _table(["table or cross-table check", "rows", "result"], rows)


def _f1(figures: Mapping[str, Any] | None, name: str) -> str:
    return f"{figures[name]['f']:.3f}" if figures else "n/a"


def _annotations(report: Mapping[str, Any] | None) -> str:
    """The human annotations: who, how many, agreement, adjudication and the rules' scores against them."""
    if not report or not report.get("documents_annotated"):
        return (
            "None yet. The machine claims (annotator `newsds-model/...` or `newsds-rules/...`) have not been "
            "checked by people in this release; docs/annotation.md says how to annotate and import."
        )
    agreement, scores = report["agreement"], report["rules_vs_gold"]["figures"]
    rows = [[name, _f1(agreement["pooled"], name), _f1(scores, name)] for name in FIGURES]
    alpha = ", ".join(f"{k} {v:.3f}" if v is not None else f"{k} n/a" for k, v in agreement["alpha"].items())
    rejected = ", ".join(f"{k} {v}" for k, v in report["rejected"].items()) or "none"
    adjudication = report["adjudication"]
    return f"""{report["documents_annotated"]} documents annotated by {len(report["annotators"])} annotator(s)
({", ".join(report["annotators"])}): {report["annotations"]} attributions in `claim_annotations.parquet`;
refused items by reason: {rejected} (`annotation_rejected.parquet`). Policy `{report["policy"]}` made
{adjudication["gold_claims"]} gold claims, which sit in `claims.parquet` with a human `annotator`
(`rel.human_claims`). Agreement is over the {agreement["documents"]} documents with two or more annotators;
Krippendorff's alpha: {alpha}.

{_table(["figure", "F1 between annotators (pooled pairs)", "F1 of the extractor against the gold"], rows)}

Full report, per pair of annotators: `agreement.json`.
"""


def _diff_command(manifest: Mapping[str, Any]) -> str:
    previous = manifest.get("previous_version")
    return f", or `newsds diff {previous} {manifest['version']}`" if previous else ""


def _line(text: object) -> str:
    """User text on one Markdown line (a newline in a title would end the heading)."""
    return " ".join(str(text).split())


def _author(author: Mapping[str, Any]) -> str:
    extra = [str(author[k]) for k in ("affiliation",) if author[k]]
    if author["orcid"]:
        extra.append(f"ORCID {orcid_url(str(author['orcid']))}")
    email = f" <{author['email']}>" if author["email"] else ""
    return _line(author["name"]) + email + (f" ({'; '.join(extra)})" if extra else "")


def _licence_line(info: Mapping[str, Any]) -> str:
    licence = info["licence"]
    own = (
        "the sources keep their own (see Sources and licences)"
        if info["sources"]
        else "each document's `licence` column gives its own"
    )
    if licence is None:
        return f"- Licence: not stated — set `licence` in newsds.toml; {own}"
    if licence == NO_ASSERTION:
        return f"- Licence: not asserted for the dataset as a whole (NOASSERTION); {own}"
    if licence == NO_LICENCE:
        return "- Licence: none (NONE): no licence is granted for the dataset as a whole"
    urls = ", ".join(spdx_url(i) for i in licence_ids(licence) if listed(i))
    line = f"- Licence: {licence}" + (f" ({urls})" if urls else "")
    return line + (
        "; the sources keep their own licences (see Sources and licences)" if info["sources"] else ""
    )


def _about(info: Mapping[str, Any]) -> str:
    """The card's opening facts: licence, authors, homepage, release date, languages, and what
    newsds.toml does not say."""
    lines = [_licence_line(info)]
    if info["authors"]:
        lines.append("- Authors: " + ", ".join(_author(a) for a in info["authors"]))
    if info["homepage"]:
        lines.append(f"- Homepage: {info['homepage']}")
    if info["released"]:
        lines.append(f"- Released: {info['released']}")
    if info["languages"]:
        lines.append("- Languages: " + ", ".join(str(code) for code in info["languages"]))
    missing = [key for key in ("authors", "homepage", "released") if not info[key]]
    if missing:
        lines.append(f"- Not stated (set in newsds.toml): {', '.join(f'`{key}`' for key in missing)}")
    return "\n".join(lines)


def _source_notes(info: Mapping[str, Any]) -> str:
    """What the user's newsds.toml says about each source, and where the per-file sources CSV is."""
    notes = ["Each document row carries its `source_path`, `source_sha256`, `url` and `licence`."]
    listed_sources = []
    for source in info["sources"]:
        parts = [f"- Files matching `{source['match']}`: licence {source['licence'] or 'not stated'}"]
        if source["attribution"]:
            parts.append(f"attribution: {_line(source['attribution'])}")
        if source["url"]:
            parts.append(f"source: {source['url']}")
        listed_sources.append("; ".join(parts))
    if listed_sources:
        notes.append("\n".join(listed_sources))
    if info["sources_csv"]:
        notes.append(
            f"Each raw file's origin and licence is listed in the raw folder's `{info['sources_csv']}`."
        )
    return "\n\n".join(notes)


def _citation(manifest: Mapping[str, Any], info: Mapping[str, Any]) -> str:
    if info["citation"]:
        return str(info["citation"])
    return f"{citation_text(manifest)}\n\n```bibtex\n{bibtex(manifest)}\n```"


def _digest_line(version: str, digest: str | None) -> str:
    if digest is None:
        return ""
    return (
        f"\nRelease digest: `{digest}` (the sha256 of `manifest.json`, which lists every file's sha256; "
        f"`newsds verify {version} --expect <digest>` or `newsds.load({version!r}, expect=<digest>)` "
        "fails on any other bytes).\n"
    )


def _inputs_lines(manifest: Mapping[str, Any]) -> tuple[str, str]:
    """Where the raw inputs' checksums are, for "How it was made", and the Files table's rows for them:
    inputs.parquet with its columns, or (a manifest before format 3) the manifest's own list."""
    if INPUTS_FILE not in manifest.get("files", {}):
        return (
            ", the sha256 of every raw input",
            "| `manifest.json` | checksums, inputs, versions, parameters |",
        )
    columns = ", ".join(f"`{name}`" for name, _, _, _ in INPUT_COLUMNS)
    rows = (
        f"| `{INPUTS_FILE}` | every raw input file in input order: {columns} (`rel.inputs()`) |\n"
        "| `manifest.json` | checksums, counts, versions, parameters |"
    )
    return f" (`{INPUTS_FILE}`: the sha256 of every raw input)", rows


def render_datacard(
    manifest: Mapping[str, Any],
    tables: Mapping[str, pl.DataFrame | pl.LazyFrame],
    report: Mapping[str, Any],
    changes: str,
    annotations: Mapping[str, Any] | None = None,
    digest: str | None = None,
) -> str:
    """The release's README.md as Markdown text; `changes` is the row-level diff's Markdown section;
    `digest` is the release's (the sha256 of its manifest.json), stated under the title.

    It starts with the Hugging Face YAML block, with one config per Parquet table the manifest lists."""
    info = dataset_info(manifest)
    version = manifest["version"]
    counts = manifest["counts"]
    rejected = manifest["rejected_by_reason"]
    reasons = _table(["reason", "inputs"], [[k, v] for k, v in rejected.items()]) if rejected else "None."
    stages = manifest["stages"]
    detector = f"py3langid {manifest['libraries'].get('py3langid', '(version not recorded)')}"
    libraries = ", ".join(f"{k} {v}" for k, v in manifest["libraries"].items())
    made_with = manifest.get("code", {}).get("version") or manifest["libraries"].get("newsds", "(unknown)")
    configs = hub_configs(manifest, TABLES)
    empty = [t for t in TABLES if f"{t}.parquet" in manifest.get("files", {}) and t not in configs]
    description = info["description"].strip() if info["description"] else _GENERIC_CARD_DESCRIPTION
    inputs_where, inputs_rows = _inputs_lines(manifest)
    return f"""{front_matter(manifest, configs)}
# {_line(info["title"])} {version}
{_digest_line(version, digest)}
{description}

{_about(info)}

## Counts

{_table(list(_COUNTED), [[counts[k] for k in _COUNTED]])}

{skipped_note(skipped_by_language(tables["documents"]))} A document's `language` is the ISO 639-1 code
detected by {detector} in its text, or null ("unknown") when the text is too short or the detector is
unsure; a page's declared language only breaks a near-tie (`newsds.ingest.parse.language` gives the rule).

## Sources and licences

{_sources(tables["documents"])}

{_source_notes(info)}

## Validation

{_validation(report)}

Full report: `validation.json`.

## Rejected inputs by reason

{reasons}

## Human annotations

{_annotations(annotations)}

{changes}

Row by row (documents, sentences and claims matched by their IDs): `CHANGES.json`{_diff_command(manifest)}.

## How it was made

Made with newsds {made_with}. Parser `{stages.get("parser")}`, sentence splitter `{stages.get("splitter")}`,
claims extractor `{stages.get("claims")}` (the model's training data, scores and limits are in its card,
`newsds/claims/model/MODEL_CARD.md` in the newsds package); libraries {libraries}.
`manifest.json` lists the sha256, size and row count of every file{inputs_where},
the code (package version, source fingerprint, git commit), the schema fingerprints and the build
parameters. Rebuilding from the same inputs with the same code gives the same bytes: check it with
`nox -s reproduce`, and check this folder against its manifest with `newsds verify {version}`.

## Files

| file | what |
|---|---|
| `documents.parquet`, `sentences.parquet`, `claims.parquet`, `rejected.parquet` | the tables |
{inputs_rows}
| `validation.json` | the pandera report of every table and cross-table check |
| `claim_annotations.parquet`, `annotated_documents.parquet`, `annotation_rejected.parquet` | human |
| | annotations as imported, which annotator annotated which document, and refused items |
| `agreement.json` | agreement between annotators, the adjudication, the extractor's scores against the gold |
| `CHANGES.json` | row-level changes since the previous release |
| `datapackage.json` | Frictionless Data Package: table schemas, primary and foreign keys |
| `croissant.json` | MLCommons Croissant metadata |
| `report.html` | offline plots: documents per source, sentence lengths, claims per document, |
| | stances, kinds, top claimants and cues |

## How to load

Run this from the release folder (the folder this README is in); its parent holds the releases.
Hugging Face `datasets` reads one table per config (the YAML block at the top of this file lists
them; "documents" is the default), from this folder or from a copy of it on the Hub.{_no_config(empty)}

```python
import newsds
rel = newsds.load("{version}", root="..")  # verifies every checksum; "latest" and ranges ("^0.4") work too
rel.documents, rel.sentences, rel.claims  # polars DataFrames (lazy=True gives LazyFrames)
rel.claims_with_context()                 # claims with their sentence and document metadata

import polars as pl
claims = pl.read_parquet("claims.parquet")

import pandas as pd
claims = pd.read_parquet("claims.parquet")

import duckdb
duckdb.sql("SELECT stance, count(*) FROM 'claims.parquet' GROUP BY stance")

from datasets import load_dataset  # Hugging Face datasets: one table per config (the schemas differ)
claims = load_dataset("../{version}", "claims", split="train")  # (not ".": datasets needs a folder name)
```

## How to cite

{_citation(manifest, info)}
"""
