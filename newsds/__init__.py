"""newsds: raw news articles -> validated documents, sentences and attributed claims, as versioned releases.

import newsds
rel = newsds.build("data/raw", "data/processed", version="0.1.0")
rel = newsds.load()                      # newest release, checksums verified
rel.documents, rel.sentences, rel.claims # polars DataFrames
newsds.diff("0.2.0", "0.3.0")            # row-level changes between two releases
"""

from __future__ import annotations

from importlib import import_module, metadata
from typing import TYPE_CHECKING, Any

from newsds.errors import (
    ChecksumError,
    NewsdsError,
    ParseError,
    ReleaseError,
    ReleaseExistsError,
    SchemaValidationError,
)

if TYPE_CHECKING:
    from newsds.claims import extract_claims
    from newsds.ingest import parse_file
    from newsds.pipeline import build
    from newsds.release import Release, diff, load, releases
    from newsds.sentences import split_sentences

__version__ = metadata.version("newsds")

# The facade is imported lazily (PEP 562): `import newsds` and the command line's start do not load
# polars, pandera and trafilatura until a function that needs them is used.
_LAZY = {
    "extract_claims": "newsds.claims",
    "parse_file": "newsds.ingest",
    "build": "newsds.pipeline",
    "Release": "newsds.release",
    "diff": "newsds.release",
    "load": "newsds.release",
    "releases": "newsds.release",
    "split_sentences": "newsds.sentences",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newsds' has no attribute {name!r}")


__all__ = [
    "ChecksumError",
    "NewsdsError",
    "ParseError",
    "Release",
    "ReleaseError",
    "ReleaseExistsError",
    "SchemaValidationError",
    "__version__",
    "build",
    "diff",
    "extract_claims",
    "load",
    "parse_file",
    "releases",
    "split_sentences",
]
