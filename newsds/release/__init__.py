"""Releases: publish a build as an immutable, checksummed folder, and load, verify, diff and describe it.

`manifest` reads a release folder without its tables (versions, digest, checks: what `newsds list` and
`newsds verify --checksums-only` need, at once); `store` writes and loads releases (atomic publish,
recovery, `Release`, `diff`); `changes` compares two releases row by row; `datacard`, `metadata`
(Frictionless and Croissant) and `report` describe one; `lineage` records the code and libraries that
made it; `parquet` writes its tables with fixed bytes. Names are imported on first use, so the light
ones stay light.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsds.release.manifest import (
        DEFAULT_ROOT,
        check_expected,
        check_files,
        read_manifest,
        release_digest,
        releases,
        releases_root,
        resolve,
        verify_checksums,
    )
    from newsds.release.store import (
        STREAM_SCRATCH_PREFIX,
        Release,
        ReleaseInputs,
        diff,
        load,
        publish,
        recover,
        schema_fingerprints,
        validate_release,
    )

_MANIFEST = (
    "DEFAULT_ROOT", "check_expected", "check_files", "read_manifest", "release_digest", "releases",
    "releases_root", "resolve", "verify_checksums",
)  # fmt: skip
_STORE = (
    "STREAM_SCRATCH_PREFIX", "Release", "ReleaseInputs", "diff", "load", "publish", "recover",
    "schema_fingerprints", "validate_release",
)  # fmt: skip
__all__ = [
    "DEFAULT_ROOT",
    "STREAM_SCRATCH_PREFIX",
    "Release",
    "ReleaseInputs",
    "check_expected",
    "check_files",
    "diff",
    "load",
    "publish",
    "read_manifest",
    "recover",
    "release_digest",
    "releases",
    "releases_root",
    "resolve",
    "schema_fingerprints",
    "validate_release",
    "verify_checksums",
]


def __getattr__(name: str) -> Any:
    if name in _MANIFEST or name in _STORE:
        module = import_module("newsds.release.manifest" if name in _MANIFEST else "newsds.release.store")
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newsds.release' has no attribute {name!r}")
