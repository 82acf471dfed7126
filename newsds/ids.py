"""Deterministic identifiers: the same input always yields the same IDs."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path


def sha256_hex(data: bytes) -> str:
    """Hex sha256 of raw bytes (used for files and for content-derived IDs)."""
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path, chunk: int = 1 << 20) -> tuple[str, int]:
    """(hex sha256, bytes) of a file, read in chunks: raw files and release files can be large."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def document_id(source_sha256: str, record: int) -> str:
    """A document's ID: derived from its raw file's content hash and its record number in that file.

    Content-derived, so renaming or moving a raw file keeps its documents' IDs; `record` tells apart
    the documents of a multi-record file (JSONL). 16 hex digits (64 bits) keep collisions negligible.
    """
    return sha256_hex(f"{source_sha256}:{record}".encode())[:16]


def child_id(doc_id: str, kind: str, index: int) -> str:
    """A sentence or claim ID: its document's ID, a one-letter kind and its ordinal, e.g. `…-s0003`."""
    return f"{doc_id}-{kind}{index:04d}"


MACHINE, HUMAN = "c", "h"  # claim_id kinds: an extractor's claim, a human gold claim


def claim_id(
    doc_id: str,
    cue: Sequence[tuple[int, int]],
    content: Sequence[tuple[int, int]],
    *,
    kind: str = MACHINE,
) -> str:
    """A claim's ID: its document's ID, a one-letter kind and a hash of where its cue and content are.

    Not an ordinal: adding or removing one claim leaves every other claim's ID as it was, and a new model
    or rule set that finds the same spans gives the same ID. `kind` tells an extractor's claim ("c") from
    a human gold claim ("h") on the same spans, so the two never collide in one claims table. 12 hex
    digits within one document."""
    if len(kind) != 1 or not kind.isalpha():
        raise ValueError(f"a claim ID's kind is one letter, not {kind!r}")
    key = ",".join(f"{s}-{e}" for s, e in cue) + "|" + ",".join(f"{s}-{e}" for s, e in content)
    return f"{doc_id}-{kind}{sha256_hex(key.encode())[:12]}"
