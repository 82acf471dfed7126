"""newsds: raw news articles -> validated documents, sentences and attributed claims, as versioned releases.

import newsds
rel = newsds.build("data/raw", "data/processed", version="0.1.0")
rel = newsds.load()                      # newest release, checksums verified
rel.documents, rel.sentences, rel.claims # polars DataFrames
newsds.diff("0.2.0", "0.3.0")            # row-level changes between two releases
"""

from __future__ import annotations

from importlib import metadata

from newsds.claims import extract_claims
from newsds.errors import (
    ChecksumError,
    NewsdsError,
    ParseError,
    ReleaseError,
    ReleaseExistsError,
    SchemaValidationError,
)
from newsds.ingest.parse import parse_file
from newsds.pipeline import build
from newsds.release import Release, diff, load, releases
from newsds.sentences import split_sentences

__version__ = metadata.version("newsds")

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
