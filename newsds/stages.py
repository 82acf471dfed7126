"""The build's stages: plain functions from the tables built so far to the same tables with their own
added (Polars frames in, Polars frames out), the `Build` they pass along and the `BuildConfig` it carries.

`newsds.pipeline` lines them up as `STAGES` and runs them; the engines (`newsds.engines.stream`,
`newsds.engines.ray_engine`) run the middle ones on batches of raw files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from newsds import claims as claims_stage
from newsds import sentences as splitter
from newsds.annotations import DEFAULT_POLICY, AnnotationFile, annotate, read_files
from newsds.annotations.stage import ANNOTATIONS_VERSION
from newsds.dataset import Dataset, bare_dataset
from newsds.defaults import DEFAULT_MAX_BYTES
from newsds.errors import NewsdsError
from newsds.ids import sha256_hex
from newsds.ingest.files import Sources, default_sources, read_raw
from newsds.ingest.parse import PARSER_VERSIONS, documents_table
from newsds.reading import DEFAULT_MAPPING, FieldMapping
from newsds.release import (
    DEFAULT_ROOT,
    ReleaseInputs,
    publish,
)
from newsds.schemas import TABLES
from newsds.validate import require_valid, validate_tables


@dataclass(frozen=True)
class BuildConfig:
    """Where to read, where to publish, which version, and the few knobs a build has."""

    raw_root: Path
    out_root: Path = DEFAULT_ROOT
    version: str = "0.1.0"
    replace: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    history_root: Path | None = None  # where earlier releases live (None: out_root)
    mapping: FieldMapping = DEFAULT_MAPPING  # JSON/JSONL field names -> document columns
    annotations_root: Path | None = None  # human annotation files (Label Studio, brat); None: none
    policy: str = DEFAULT_POLICY  # how annotations become gold claims (newsds.annotations.adjudicate)
    claims: str = claims_stage.DEFAULT_EXTRACTOR  # the claims extractor: the learned model, or the rules
    layout: str = "auto"  # does a .txt file's first line hold the title (newsds.ingest.parse.txt)
    sources: Sources | None = None  # the raw files' origins and licences (None: SOURCES.csv if any)
    dataset: Mapping[str, Any] | None = None  # the dataset's metadata (newsds.dataset), for the release

    @classmethod
    def of(cls, dataset: Dataset, version: str, **options: Any) -> BuildConfig:
        """A build of `dataset` (its paths, reading options and metadata) as `version`."""
        sources = default_sources(dataset.raw, dataset.sources_csv, dataset.sources)
        return cls(
            dataset.raw,
            dataset.out,
            version,
            mapping=dataset.mapping,
            annotations_root=annotations_folder(dataset.raw, dataset.annotations or "auto"),
            layout=dataset.txt_layout,
            sources=sources,
            dataset=dataset.metadata(None if sources.csv is None else sources.csv.name),
            **options,
        )


@dataclass(frozen=True)
class Build:
    """The state that flows through the stages."""

    config: BuildConfig
    tables: Mapping[str, pl.DataFrame] = field(default_factory=dict)
    report: Mapping[str, Any] | None = None
    release_path: Path | None = None
    annotation_report: Mapping[str, Any] | None = None

    def with_tables(self, **tables: pl.DataFrame) -> Build:
        return replace(self, tables={**self.tables, **tables})


def read_raw_files(build: Build) -> Build:
    """Raw folder -> `raw` table (and `rejected` rows for unreadable or oversized files), and the
    annotation folder -> `annotation_files` (their bytes: reading is this stage's job alone)."""
    raw, rejected = read_raw(build.config.raw_root, build.config.max_bytes, sources=build.config.sources)
    files = annotation_files(build.config.annotations_root)
    return build.with_tables(raw=raw, rejected=rejected, annotation_files=files)


def annotation_files(root: Path | None) -> pl.DataFrame:
    """The annotation files under root as a table (path, data, text), sorted by path."""
    found = read_files(root) if root is not None else []
    return pl.DataFrame(
        [(f.path, f.data, f.text) for f in found],
        schema={"path": pl.Utf8, "data": pl.Binary, "text": pl.Utf8},
        orient="row",
    )


def annotations_folder(raw: str | Path, annotations: str | Path | None) -> Path | None:
    """Where a build reads annotations: "auto" means the `annotations` folder beside the raw folder."""
    if annotations == "auto":
        beside = Path(raw).parent / "annotations"
        return beside if beside.is_dir() else None
    if annotations is not None and not Path(annotations).is_dir():
        raise NewsdsError(f"annotations folder {annotations} does not exist; pass an existing folder or none")
    return None if annotations is None else Path(annotations)


def annotation_inputs(files: pl.DataFrame) -> tuple[dict[str, Any], ...]:
    """The manifest's record of the annotation files: path, sha256, bytes."""
    return tuple(
        {"path": path, "sha256": sha256_hex(data), "bytes": len(data)}
        for path, data in files.select("path", "data").iter_rows()
    )


def parse_documents(build: Build) -> Build:
    """raw -> `documents`; inputs that cannot be parsed, and duplicates, join `rejected`."""
    documents, rejected, raw = documents_table(
        build.tables["raw"], build.config.mapping, build.config.max_bytes, layout=build.config.layout
    )
    return build.with_tables(
        raw=raw, documents=documents, rejected=pl.concat([build.tables["rejected"], rejected])
    )


def split_sentences(build: Build) -> Build:
    """documents -> `sentences` with exact offsets and kinds."""
    return build.with_tables(sentences=splitter.sentences_table(build.tables["documents"]))


def extract_claims(build: Build) -> Build:
    """documents + sentences -> `claims` (claimant, cue, content, stance, kind) by the chosen extractor."""
    documents, sentences = build.tables["documents"], build.tables["sentences"]
    return build.with_tables(claims=claims_stage.claims_table(documents, sentences, build.config.claims))


def annotate_claims(build: Build) -> Build:
    """annotation files + documents -> the annotation tables, and gold claims appended to `claims`."""
    files = [AnnotationFile(p, d, t) for p, d, t in build.tables["annotation_files"].iter_rows()]
    tables, report = annotate(
        files,
        build.tables["documents"],
        build.tables["sentences"],
        build.tables["claims"],
        build.config.policy,
    )
    gold = tables.pop("gold_claims")
    claims = pl.concat([build.tables["claims"], gold]) if gold.height else build.tables["claims"]
    return replace(build.with_tables(claims=claims, **tables), annotation_report=report)


def validate(build: Build) -> Build:
    """Every table against its pandera schema plus cross-table checks; stop the build on any failure."""
    report = validate_tables(build.tables)
    require_valid(report)
    return replace(build, report=report)


def stage_versions(claims: str = claims_stage.DEFAULT_EXTRACTOR) -> dict[str, Any]:
    """Versions of the rules and the model that shape the tables, recorded in the manifest: with the model
    extractor, its version and its weights' sha256 (the rules are its features, so their version too)."""
    return {
        "parser": ", ".join(f"{k} {v}" for k, v in sorted(PARSER_VERSIONS.items())),
        "splitter": splitter.SPLITTER_VERSION,
        "claims": claims_stage.extractor_lineage(claims),
        "annotations": ANNOTATIONS_VERSION,
    }


def release_inputs(
    build: Build, written: Mapping[str, Path] | None = None, inputs: pl.LazyFrame | None = None
) -> ReleaseInputs:
    """What `publish` needs from a finished build (`written`: tables a streaming build already wrote;
    `inputs`: the raw table it wrote to a scratch file, in place of the build's `raw` table)."""
    config = build.config
    sources = config.sources or default_sources(config.raw_root)
    provenance, csv_name = None, None
    if sources.csv is not None:
        csv_name, data = sources.csv.name, sources.csv.read_bytes()
        provenance = {"path": sources.csv.name, "sha256": sha256_hex(data), "bytes": len(data)}
    assert build.report is not None, "validate runs before publish"
    return ReleaseInputs(
        tables={
            name: (written or {}).get(name) or build.tables[name]
            for name in TABLES
            if name in (written or {}) or name in build.tables
        },
        inputs=(build.tables["raw"].lazy() if inputs is None else inputs).select(
            "source_path", "source_sha256", "size", "records"
        ),
        report=build.report,
        stages=stage_versions(config.claims),
        parameters={
            "max_bytes": config.max_bytes,
            "json_mapping": dataclasses.asdict(config.mapping),
            "annotation_policy": config.policy,
            "claims_extractor": config.claims,
            "txt_layout": config.layout,
        },
        dataset=config.dataset or bare_dataset(config.raw_root).metadata(csv_name),
        provenance=provenance,
        annotations=build.annotation_report,
        annotation_inputs=annotation_inputs(build.tables["annotation_files"]),
    )


def publish_release(build: Build) -> Build:
    """Write the release atomically under out_root/version (immutable unless `replace`)."""
    config = build.config
    path = publish(
        release_inputs(build),
        config.out_root,
        config.version,
        replace=config.replace,
        history=config.history_root,
    )
    return replace(build, release_path=path)


Stage = Callable[[Build], Build]
