"""Releases: publish a build as an immutable, checksummed folder, and load, verify, diff and describe it.

`store` writes and reads the release folders (manifest, digest, atomic publish, recovery, verification);
`diff` compares two releases row by row; `datacard`, `metadata` (Frictionless and Croissant) and `report`
describe one; `lineage` records the code and libraries that made it; `parquet` writes its tables with
fixed bytes.
"""

from newsds.release.store import (
    DEFAULT_ROOT,
    STREAM_SCRATCH_PREFIX,
    Release,
    ReleaseInputs,
    check_expected,
    check_files,
    diff,
    load,
    publish,
    recover,
    release_digest,
    releases,
    releases_root,
    resolve,
    schema_fingerprints,
    validate_release,
    verify_checksums,
)
from newsds.versions import check_version, version_key

__all__ = [
    "DEFAULT_ROOT",
    "STREAM_SCRATCH_PREFIX",
    "Release",
    "ReleaseInputs",
    "check_expected",
    "check_files",
    "check_version",
    "diff",
    "load",
    "publish",
    "recover",
    "release_digest",
    "releases",
    "releases_root",
    "resolve",
    "schema_fingerprints",
    "validate_release",
    "verify_checksums",
    "version_key",
]
