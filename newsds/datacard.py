"""The data card (`README.md`) of a release: what it is, where it comes from, and how to load it.

Rendered only from the manifest and the tables, never from the clock, so it rebuilds byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from newsds.annotations.agreement import FIGURES
from newsds.claims import LANGUAGES

_COUNTED = ("inputs", "documents", "sentences", "claims", "rejected")
_LANGUAGE_NAMES = {"en": "English"}
UNKNOWN_LANGUAGE = "unknown"  # how a null `language` is counted and shown


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


def render_datacard(
    manifest: Mapping[str, Any],
    tables: Mapping[str, pl.DataFrame | pl.LazyFrame],
    report: Mapping[str, Any],
    changes: str,
    annotations: Mapping[str, Any] | None = None,
) -> str:
    """The release's README.md as Markdown text; `changes` is the row-level diff's Markdown section."""
    version = manifest["version"]
    counts = manifest["counts"]
    rejected = manifest["rejected_by_reason"]
    reasons = _table(["reason", "inputs"], [[k, v] for k, v in rejected.items()]) if rejected else "None."
    stages = manifest["stages"]
    detector = f"py3langid {manifest['libraries'].get('py3langid', '(version not recorded)')}"
    libraries = ", ".join(f"{k} {v}" for k, v in manifest["libraries"].items())
    return f"""# newsds release {version}

News articles turned into three linked tables: **documents** (clean article text and metadata),
**sentences** (character offsets into the document text, with a kind such as body, heading or FAQ
question) and **claims** (attributions: who, through which reporting cue, claims what, with stance and
kind). Every span is a half-open `[start, end)` range of Python string indices into `documents.text`.
Inputs that could not become a document are listed in **rejected** with a reason code.

## Counts

{_table(list(_COUNTED), [[counts[k] for k in _COUNTED]])}

{skipped_note(skipped_by_language(tables["documents"]))} A document's `language` is the ISO 639-1 code
detected by {detector} in its text, or null ("unknown") when the text is too short or the detector is
unsure; a page's declared language only breaks a near-tie (`newsds.parse.language` gives the rule).

## Sources and licences

{_sources(tables["documents"])}

Each raw file's origin and licence is listed in the raw folder's `SOURCES.csv`; each document row
carries its `source_path`, `source_sha256`, `url` and `licence`. Wikinews articles are CC BY 2.5
(attribution: Wikinews contributors; source URL in `url`).

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

Parser `{stages.get("parser")}`, sentence splitter `{stages.get("splitter")}`, claims extractor
`{stages.get("claims")}` (the model's training data, scores and limits are in its card,
`newsds/claims/model/MODEL_CARD.md` in the newsds package); libraries {libraries}.
`manifest.json` lists the sha256, size and row count of every file, the sha256 of every raw input,
the code (package version, source fingerprint, git commit), the schema fingerprints and the build
parameters. Rebuilding from the same inputs with the same code gives the same bytes: check it with
`nox -s reproduce`, and check this folder against its manifest with `newsds verify {version}`.

## Files

| file | what |
|---|---|
| `documents.parquet`, `sentences.parquet`, `claims.parquet`, `rejected.parquet` | the tables |
| `manifest.json` | checksums, inputs, versions, parameters |
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

```python
import newsds
rel = newsds.load("{version}")            # verifies every checksum; "latest" and ranges ("^0.4") work too
rel.documents, rel.sentences, rel.claims  # polars DataFrames (lazy=True gives LazyFrames)
rel.claims_with_context()                 # claims with their sentence and document metadata

import polars as pl
claims = pl.read_parquet("data/processed/{version}/claims.parquet")

import pandas as pd
claims = pd.read_parquet("data/processed/{version}/claims.parquet")

import duckdb
duckdb.sql("SELECT stance, count(*) FROM 'data/processed/{version}/claims.parquet' GROUP BY stance")

from datasets import load_dataset  # Hugging Face datasets: one table per call (the schemas differ)
claims = load_dataset("parquet", data_files="data/processed/{version}/claims.parquet", split="train")
```
"""
