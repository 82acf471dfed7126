"""Which code built a release: the package version, a fingerprint of its source, and the git commit.

The source fingerprint (sha256 over every module of the installed package) identifies the code
exactly, with or without git. The git commit is the last commit that touched the code (`newsds/`,
`pyproject.toml`), not HEAD, so committing a release does not change it; a tree with uncommitted
code changes says so. Both are lineage, not output: a docstring edit changes them without changing
a byte of the tables, so the rebuild comparison leaves them out (`comparable`) and relies on the
version fields (package, stages, rules, schemas, libraries) that do describe the output.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
CODE_PATHS = ("newsds", "pyproject.toml")
# Libraries whose versions shape the output bytes (Parquet writer, parsing, decoding, dates, language).
OUTPUT_LIBRARIES = (
    "newsds",
    "polars",
    "pyarrow",
    "pandera",
    "trafilatura",
    "lxml",
    "htmldate",
    "charset-normalizer",
    "tldextract",
    "dateparser",
    "courlan",
    "py3langid",  # the language detector (newsds.ingest.parse.language) and its bundled model
    "numpy",  # py3langid's arithmetic
)


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries that shape the output, recorded in every manifest."""
    return {name: metadata.version(name) for name in OUTPUT_LIBRARIES}


@functools.cache
def source_fingerprint() -> str:
    """sha256 over the package's modules (relative path and bytes, in path order)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=PACKAGE_DIR.parent, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


@functools.cache
def git_info() -> dict[str, Any] | None:
    """{"commit", "dirty"} of the checkout the package runs from; None outside a git work tree."""
    top = _git("rev-parse", "--show-toplevel")
    if not top or Path(top).resolve() != PACKAGE_DIR.parent:  # an installed copy, not this checkout
        return None
    commit = _git("log", "-1", "--format=%H", "--", *CODE_PATHS)
    status = _git("status", "--porcelain", "--", *CODE_PATHS)
    return {"commit": commit or None, "dirty": bool(status)}


def code_version() -> dict[str, Any]:
    """The manifest's `code` entry."""
    return {
        "package": "newsds",
        "version": metadata.version("newsds"),
        "source_sha256": source_fingerprint(),
        "git": git_info(),
    }


def comparable(manifest: dict[str, Any]) -> dict[str, Any]:
    """A manifest without its code identity (git, source fingerprint): what equal outputs share."""
    code = {k: v for k, v in manifest.get("code", {}).items() if k not in ("git", "source_sha256")}
    return {**manifest, "code": code} if "code" in manifest else dict(manifest)
