"""The build: a readable tuple of plain stage functions and a tiny runner.

Each stage takes the tables built so far and returns them with its own added: Polars frames in,
Polars frames out. Only the first stage reads files and only the last writes them, so the middle
stages can run unchanged on any batch of rows (locally, or inside a distributed engine's batch
function).
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from newsds import claims as claims_stage
from newsds import sentences as splitter
from newsds.annotations import DEFAULT_POLICY, AnnotationFile, annotate, check_policy, read_files
from newsds.annotations.stage import ANNOTATIONS_VERSION
from newsds.dataset import Dataset, bare_dataset, require_version, resolve_dataset, with_overrides
from newsds.errors import NewsdsError, ReleaseExistsError
from newsds.ids import sha256_hex
from newsds.ingest import DEFAULT_MAX_BYTES, Sources, default_sources, read_raw
from newsds.lineage import comparable
from newsds.parse import PARSER_VERSIONS, documents_table
from newsds.parse.jsonl import DEFAULT_MAPPING, FieldMapping
from newsds.release import (
    DEFAULT_ROOT,
    TABLES,
    Release,
    ReleaseInputs,
    load,
    publish,
    releases,
)
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
    layout: str = "auto"  # does a .txt file's first line hold the title (newsds.parse.txt)
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
STAGES: tuple[Stage, ...] = (
    read_raw_files,
    parse_documents,
    split_sentences,
    extract_claims,
    annotate_claims,
    validate,
    publish_release,
)


def run(
    config: BuildConfig, stages: tuple[Stage, ...] = STAGES, on_stage: Callable[[str], None] | None = None
) -> Build:
    """Run the stages in order; `on_stage` is told each stage's name as it starts (for progress)."""
    build = Build(config=config)
    for stage in stages:
        if on_stage is not None:
            on_stage(stage.__name__)
        build = stage(build)
    return build


@dataclass(frozen=True)
class RebuildCheck:
    """The outcome of rebuilding an existing version elsewhere and comparing the files' sha256."""

    version: str
    identical: bool
    differing: tuple[str, ...]
    files: tuple[tuple[str, str | None, str | None], ...] = ()  # (name, published sha256, rebuilt sha256)
    code: tuple[Any, Any] = (None, None)  # (published, rebuilt) manifest `code` entries

    def format(self) -> str:
        """A per-file table: what a reproduce run prints."""
        lines = [f"{'file':20} {'published':14} {'rebuilt':14} result"]
        for name, old, new in self.files:
            same = "identical" if old == new else "DIFFERS"
            lines.append(f"{name:20} {(old or 'missing')[:12]:14} {(new or 'missing')[:12]:14} {same}")
        verdict = "byte-identical" if self.identical else f"DIFFERENT: {', '.join(self.differing)}"
        lines.append(f"release {self.version}: rebuild is {verdict}")
        return "\n".join(lines)


def rebuild_check(config: BuildConfig, **streaming: Any) -> RebuildCheck:
    """Rebuild `config.version` in a temporary folder and compare every file with the published one.

    The rebuild is a streaming build; `streaming` passes its options (jobs, engine, progress, ...).
    """
    from newsds.stream import run_streaming

    published = load(config.version, config.out_root, verify=True)
    scratch = Path(tempfile.mkdtemp(prefix="newsds-rebuild-"))
    try:
        fresh = run_streaming(
            replace(config, out_root=scratch, replace=False, history_root=config.out_root), **streaming
        )
        assert fresh.release_path is not None
        rebuilt = load(config.version, scratch, verify=True).manifest
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    names = sorted(set(published.manifest["files"]) | set(rebuilt["files"]))
    files = tuple(
        (n, published.manifest["files"].get(n, {}).get("sha256"), rebuilt["files"].get(n, {}).get("sha256"))
        for n in names
    )
    differing = tuple(n for n, old, new in files if old != new)
    if comparable(published.manifest) != comparable(rebuilt):
        differing += ("manifest.json",)
    code = (published.manifest.get("code"), rebuilt.get("code"))
    return RebuildCheck(config.version, not differing, differing, files, code)


def check_folders_apart(raw: Path, out: Path) -> None:
    """Refuse an output folder inside the raw folder, the raw folder itself, or one that holds it: the
    release would become the next build's input (its report a document), or a build would list itself."""
    raw_at, out_at = raw.resolve(), out.resolve()
    if out_at == raw_at or out_at.is_relative_to(raw_at) or raw_at.is_relative_to(out_at):
        where = "is" if out_at == raw_at else "is inside" if out_at.is_relative_to(raw_at) else "holds"
        raise NewsdsError(
            f"the output folder {out} {where} the raw folder {raw}: releases would be read as raw "
            "inputs by the next build. Put them side by side, for example --raw data/raw --out "
            "data/processed"
        )


def build(
    raw: str | Path | None = None,
    out: str | Path | None = None,
    version: str | None = None,
    *,
    dataset: str | Path | Dataset | None = None,
    replace: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    mapping: FieldMapping | None = None,
    jobs: int = 1,
    engine: str = "local",
    batch_files: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    annotations: str | Path | None = "auto",
    policy: str = DEFAULT_POLICY,
    claims: str = claims_stage.DEFAULT_EXTRACTOR,
    layout: str | None = None,
) -> Release:
    """Build a release of a dataset and return it, loaded.

    The dataset is `dataset` (a folder with a newsds.toml, the file, or a Dataset), else the newsds.toml in
    the current folder or above, as the command line finds it (unless `raw` lies outside that dataset's
    folder). `raw`, `out`, `version`, `mapping` and `layout` override its values; a raw folder with no
    dataset has no metadata (the data card says what to set).
    The version is the argument or the dataset's own (never the newsds package version).
    The build streams: raw files are processed in bounded batches (`batch_files` at a time) by
    `jobs` worker processes, or on Ray Data with engine="ray", and the tables are written as they
    come; the bytes are the same whatever these settings.
    When the version is already published (and `replace` is not set), the release is rebuilt in a
    temporary folder and compared file by file: identical bytes return the published release, any
    difference raises ReleaseExistsError naming the files (publish a new version instead).
    Human annotations are read from `annotations` ("auto": the dataset's annotations folder, else the
    `annotations` folder beside the raw folder, when there is one) and adjudicated by `policy`
    (docs/annotation.md). `claims` names the claims extractor: "model" (the learned model, default) or
    "rules".
    """
    from newsds.stream import streaming_options

    chosen = resolve_dataset(dataset, raw, out)
    if annotations != "auto":
        chosen = with_overrides(chosen, annotations=annotations)
    chosen = with_overrides(chosen, raw=raw, out=out, mapping=mapping, txt_layout=layout)
    version = require_version(chosen, version)
    config = BuildConfig.of(
        chosen,
        version,
        replace=replace,
        max_bytes=max_bytes,
        policy=check_policy(policy),
        claims=claims_stage.check_extractor(claims),
    )
    if annotations is None:
        config = dataclasses.replace(config, annotations_root=None)
    check_folders_apart(config.raw_root, config.out_root)
    options = streaming_options(jobs, engine, batch_files, progress)
    if (config.out_root / version).exists() and not replace:
        if version not in releases(config.out_root):
            raise ReleaseExistsError(
                f"{config.out_root / version} exists but is not a release (no manifest.json); "
                "remove that folder, or pass --replace to overwrite it"
            )
        check = rebuild_check(config, **options)
        if not check.identical:
            raise ReleaseExistsError(
                f"release {version} is already published and a rebuild differs in: "
                f"{', '.join(check.differing)}. "
                "Releases are immutable: publish the new build under a new version (--version), or pass "
                "--replace to overwrite it"
            )
        return load(version, config.out_root)
    from newsds.stream import run_streaming

    run_streaming(config, **options)
    return load(version, config.out_root)
