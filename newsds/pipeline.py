"""The build: a readable tuple of plain stage functions (`newsds.stages`) and a tiny runner.

Each stage takes the tables built so far and returns them with its own added: Polars frames in,
Polars frames out. Only the first stage reads files and only the last writes them, so the middle
stages can run unchanged on any batch of rows (locally, or inside a distributed engine's batch
function). `build` streams them over batches with an engine (`newsds.engines`).
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newsds import claims as claims_stage
from newsds.annotations import DEFAULT_POLICY, check_policy
from newsds.dataset import Dataset, require_version, resolve_dataset, with_overrides
from newsds.defaults import DEFAULT_MAX_BYTES, ENGINES
from newsds.engines.stream import Progress, run_streaming
from newsds.errors import NewsdsError, ReleaseExistsError
from newsds.reading import FieldMapping
from newsds.release import Release, load, releases
from newsds.release.lineage import comparable
from newsds.stages import (
    Build,
    BuildConfig,
    Stage,
    annotate_claims,
    extract_claims,
    parse_documents,
    publish_release,
    read_raw_files,
    split_sentences,
    validate,
)

__all__ = ["STAGES", "Build", "BuildConfig", "build", "rebuild_check", "run", "streaming_options"]

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
    `jobs` processes (this one and `jobs - 1` workers), or on Ray Data with engine="ray", and the
    tables are written as they come; the bytes are the same whatever these settings.
    When the version is already published (and `replace` is not set), the release is rebuilt in a
    temporary folder and compared file by file: identical bytes return the published release, any
    difference raises ReleaseExistsError naming the files (publish a new version instead).
    Human annotations are read from `annotations` ("auto": the dataset's annotations folder, else the
    `annotations` folder beside the raw folder, when there is one) and adjudicated by `policy`
    (docs/annotation.md). `claims` names the claims extractor: "model" (the learned model, default) or
    "rules".
    """

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

    run_streaming(config, **options)
    return load(version, config.out_root)


def streaming_options(
    jobs: int = 1, engine: str = "local", batch_files: int | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """Keyword options for run_streaming from user-facing settings, checked with clear errors."""
    if jobs < 1:
        raise NewsdsError(f"jobs must be at least 1, not {jobs}")
    if engine not in ENGINES:
        raise NewsdsError(f"unknown engine {engine!r}; engines: {', '.join(ENGINES)}")
    options: dict[str, Any] = {"jobs": jobs, "progress": progress}
    if batch_files is not None:
        if batch_files < 1:
            raise NewsdsError(f"batch_files must be at least 1, not {batch_files}")
        options["batch_files"] = batch_files
    if engine == "ray":
        try:
            from newsds.engines.ray_engine import ray_engine
        except ImportError as exc:
            raise NewsdsError(
                f"the ray engine needs Ray Data ({exc}); install it with `pip install 'newsds[ray]'`, "
                "or use --engine local"
            ) from exc
        options["engine"] = ray_engine
    return options
