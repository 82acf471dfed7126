"""Publish, list, load and verify releases: immutable, checksummed folders of Parquet tables.

A release is written to a hidden temporary folder and renamed into place, so a reader never sees a
half-written one. Nothing in it depends on the clock or the machine: the same inputs and code give
the same bytes, which is what lets anyone check a release by rebuilding it.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl

from newsds.datacard import render_datacard
from newsds.errors import ChecksumError, ReleaseError, ReleaseExistsError
from newsds.ids import sha256_hex
from newsds.schemas import export_all, polars_schema
from newsds.validate import validate_tables

TABLES = ("documents", "sentences", "claims", "rejected")
DEFAULT_ROOT = Path("data/processed")
ROW_GROUP_SIZE = 65_536
MANIFEST_FORMAT = 1
_MANIFEST_KEYS = ("version", "files", "counts", "inputs")
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$")


def check_version(version: str) -> str:
    """Accept only semantic versions ("1.2.3", "1.2.3-rc.1"): a version is also a folder name."""
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        raise ReleaseError(
            f"invalid release version {version!r}: use a semantic version such as 0.1.0 or 1.2.0-rc.1"
        )
    return version


def version_key(version: str) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
    """Sort key by semver precedence: pre-releases sort before their release, and pre-release
    identifiers compare numerically when numeric ("rc.2" < "rc.10"), numbers before words."""
    match = _VERSION.fullmatch(version)
    if match is None:
        raise ReleaseError(f"invalid release version {version!r}")
    major, minor, patch, pre = match.groups()
    ids = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")) if pre else ()
    return int(major), int(minor), int(patch), 0 if pre else 1, ids


def releases(root: str | Path = DEFAULT_ROOT) -> list[str]:
    """Versions published under root, oldest first (folders with a manifest.json)."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = [p.name for p in root.iterdir() if _VERSION.fullmatch(p.name) and (p / "manifest.json").is_file()]
    return sorted(found, key=version_key)


def current_version() -> str:
    """The release version a build publishes by default: the newsds package version."""
    return metadata.version("newsds")


def library_versions() -> dict[str, str]:
    """Versions of the libraries that shape the output bytes, recorded in every manifest."""
    return {name: metadata.version(name) for name in ("newsds", "polars", "pyarrow", "pandera")}


def _write_parquet(frame: pl.DataFrame, path: Path) -> None:
    # One chunk and a fixed row-group size: chunk layout changes the bytes otherwise.
    frame.rechunk().write_parquet(
        path, compression="zstd", compression_level=3, statistics=True, row_group_size=ROW_GROUP_SIZE
    )


def _file_entry(path: Path, rows: int | None) -> dict[str, Any]:
    data = path.read_bytes()
    return {"sha256": sha256_hex(data), "bytes": len(data), "rows": rows}


def _write_json(path: Path, payload: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")


@dataclass(frozen=True)
class ReleaseInputs:
    """What a release is made of: the tables, the raw inputs, the validation report and build facts."""

    tables: Mapping[str, pl.DataFrame]
    inputs: pl.DataFrame  # source_path, source_sha256, size, records
    report: Mapping[str, Any]
    stages: Mapping[str, Any]
    parameters: Mapping[str, Any]
    provenance: Mapping[str, Any] | None = None


def build_manifest(
    version: str, previous: str | None, release: ReleaseInputs, files: dict[str, Any]
) -> dict[str, Any]:
    """The manifest: every file's checksum, the inputs' checksums, and everything the bytes depend on."""
    rejected = release.tables["rejected"]
    by_reason = dict(sorted(rejected.group_by("reason").len().iter_rows())) if rejected.height else {}
    return {
        "name": "newsds",
        "version": version,
        "previous_version": previous,
        "manifest_format": MANIFEST_FORMAT,
        "files": files,
        "counts": {
            "files": release.inputs.height,
            "inputs": int(release.inputs["records"].fill_null(1).sum()),
            **{t: release.tables[t].height for t in TABLES},
        },
        "rejected_by_reason": by_reason,
        "inputs": [
            {"path": p, "sha256": s, "bytes": b, "records": r}
            for p, s, b, r in release.inputs.select(
                "source_path", "source_sha256", "size", "records"
            ).iter_rows()
        ],
        "provenance": release.provenance,
        "stages": dict(release.stages),
        "schemas": {name: sha256_hex(text.encode()) for name, text in export_all().items()},
        "libraries": library_versions(),
        "parameters": dict(release.parameters),
    }


def publish(
    release: ReleaseInputs,
    root: str | Path,
    version: str,
    *,
    replace: bool = False,
    history: str | Path | None = None,
) -> Path:
    """Write a release atomically under root/version and return its path.

    Raises ReleaseExistsError when the version exists, unless `replace` is set. The data card and
    manifest compare with the newest older release in `history` (default: root), the folder where
    the earlier releases live even when this one is written elsewhere (a rebuild check).
    """
    root = Path(root)
    history = root if history is None else Path(history)
    check_version(version)
    final = root / version
    if final.exists() and not replace:
        raise ReleaseExistsError(
            f"release {version} already exists at {final}; releases are immutable. Publish a new version "
            f"(for example --version {_bump(version)}) or pass --replace to overwrite it"
        )
    older = [v for v in releases(history) if version_key(v) < version_key(version)]
    previous = older[-1] if older else None
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{version}.tmp-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        files: dict[str, Any] = {}
        for name in TABLES:
            _write_parquet(release.tables[name], tmp / f"{name}.parquet")
            files[f"{name}.parquet"] = _file_entry(tmp / f"{name}.parquet", release.tables[name].height)
        _write_json(tmp / "validation.json", release.report)
        files["validation.json"] = _file_entry(tmp / "validation.json", None)
        manifest = build_manifest(version, previous, release, files)
        previous_manifest = _read_manifest(history / previous) if previous else None
        (tmp / "README.md").write_text(
            render_datacard(manifest, release.tables, release.report, previous_manifest)
        )
        manifest["files"]["README.md"] = _file_entry(tmp / "README.md", None)
        _write_json(tmp / "manifest.json", manifest)
        _swap_into_place(tmp, final, replace)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _swap_into_place(tmp: Path, final: Path, replace: bool) -> None:
    """Rename the finished folder into place; an old one (with --replace) is moved aside first."""
    if final.exists() and replace:
        old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex}")
        final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(final)


def _bump(version: str) -> str:
    major, minor, patch = (int(x) for x in _VERSION.fullmatch(version).groups()[:3])  # type: ignore[union-attr]
    return f"{major}.{minor}.{patch + 1}"


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((path / "manifest.json").read_text())
    except FileNotFoundError as exc:
        raise ReleaseError(f"{path} is not a release: it has no manifest.json") from exc
    except json.JSONDecodeError as exc:
        raise ReleaseError(
            f"{path / 'manifest.json'} is not valid JSON ({exc}); the release is damaged"
        ) from exc
    missing = (
        [k for k in _MANIFEST_KEYS if k not in manifest] if isinstance(manifest, dict) else _MANIFEST_KEYS
    )
    if missing:
        raise ReleaseError(
            f"{path / 'manifest.json'} lacks {', '.join(missing)}; the release is damaged: "
            "rebuild it or restore it"
        )
    return manifest


def resolve(version: str | None, root: str | Path = DEFAULT_ROOT) -> Path:
    """The folder of a version ("latest" or None for the newest); a clear error lists what exists."""
    root = Path(root)
    available = releases(root)
    if not available:
        raise ReleaseError(f"no releases under {root}; build one with `newsds build` (or `nox -s build`)")
    if version in (None, "latest"):
        return root / available[-1]
    if version not in available:
        raise ReleaseError(f"no release {version!r} under {root}; available: {', '.join(available)}")
    return root / str(version)


def verify_checksums(path: Path, manifest: Mapping[str, Any]) -> None:
    """Re-hash every file the manifest lists; raise ChecksumError naming each file that differs."""
    problems = []
    for name, entry in sorted(manifest["files"].items()):
        file = path / name
        if not file.is_file():
            problems.append(f"{name}: missing")
            continue
        actual = _file_entry(file, None)
        if actual["sha256"] != entry["sha256"]:
            problems.append(f"{name}: sha256 {actual['sha256'][:12]}… != manifest {entry['sha256'][:12]}…")
    if problems:
        raise ChecksumError(
            f"release {manifest['version']} at {path} does not match its manifest ("
            + "; ".join(problems)
            + "). The files were changed after publishing: rebuild the release or restore the files"
        )


@dataclass(frozen=True)
class Release:
    """A published release: its manifest and its tables as Polars frames (LazyFrames when lazy)."""

    version: str
    path: Path
    manifest: dict[str, Any] = field(repr=False)
    lazy: bool = False

    def table(self, name: str) -> pl.DataFrame | pl.LazyFrame:
        """One table by name (documents, sentences, claims or rejected)."""
        if name not in TABLES:
            raise ReleaseError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
        file = self.path / f"{name}.parquet"
        return pl.scan_parquet(file) if self.lazy else pl.read_parquet(file)

    @property
    def documents(self) -> Any:
        return self.table("documents")

    @property
    def sentences(self) -> Any:
        return self.table("sentences")

    @property
    def claims(self) -> Any:
        return self.table("claims")

    @property
    def rejected(self) -> Any:
        return self.table("rejected")

    def tables(self) -> dict[str, pl.DataFrame]:
        """Every table, eagerly."""
        return {name: pl.read_parquet(self.path / f"{name}.parquet") for name in TABLES}


def load(
    version: str | None = None, root: str | Path = DEFAULT_ROOT, *, lazy: bool = False, verify: bool = True
) -> Release:
    """Open a release (the newest by default); with verify, every checksum is checked first."""
    path = resolve(version, root)
    manifest = _read_manifest(path)
    if verify:
        verify_checksums(path, manifest)
    return Release(version=manifest["version"], path=path, manifest=manifest, lazy=lazy)


def validate_release(release: Release) -> dict[str, Any]:
    """Re-validate a published release's tables (schemas and cross-table checks) from its files."""
    inputs = release.manifest["inputs"]
    raw = pl.DataFrame(
        {
            "source_path": [i["path"] for i in inputs],
            "source_sha256": [i["sha256"] for i in inputs],
            "size": [i["bytes"] for i in inputs],
            "content": [None] * len(inputs),
            "url": [None] * len(inputs),
            "licence": [None] * len(inputs),
            "records": [i.get("records") for i in inputs],
        },
        schema=polars_schema("raw"),
    )
    return validate_tables({"raw": raw, **release.tables()})
