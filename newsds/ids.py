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


IDENTITY_KINDS = ("id", "url", "sha256")  # what names a record, most specific first


def record_identity(kind: str, value: str) -> str:
    """A record's identity within its file, as `document_id` takes it: "id:<its id field>",
    "url:<its URL field>" or "sha256:<hex of its content>" (see `document_id` for which is used)."""
    if kind not in IDENTITY_KINDS:
        raise ValueError(f"a record identity is one of {', '.join(IDENTITY_KINDS)}, not {kind!r}")
    if not value:
        raise ValueError(f"a record identity needs a value: {kind}:<value>")
    return f"{kind}:{value}"


def document_id(source_path: str, identity: str) -> str:
    """A document's ID: a hash of its raw file's path and its record's identity in that file.

    The identity (made by `record_identity`) is what names the record itself, never its position and
    never the hash of the whole file: the record's own id field when the field mapping finds one, else
    its URL field, else the sha256 of its content (a JSON record's canonical JSON text; a single-document
    file's bytes, for .txt and .html). So appending, inserting or removing records of a JSONL crawl file
    leaves every other record's ID as it was, and so does changing any other file.

    The path is part of the key: the same record id in two files names two documents, and renaming or
    moving a raw file changes its documents' IDs (the same bytes under two names are two documents; the
    text dedupe keeps one of them when both read to the same text). Path and identity are joined by a
    NUL, which no path holds, so no two (path, identity) pairs share a key. 16 hex digits (64 bits) keep
    collisions negligible.
    """
    if not isinstance(identity, str):  # the old document_id(source_sha256, record) form
        raise TypeError(
            f"document_id(source_path, identity) takes a record identity such as 'sha256:<hex>' "
            f"(ids.record_identity), not {identity!r}"
        )
    kind, sep, value = identity.partition(":")
    if not sep or kind not in IDENTITY_KINDS or not value:
        raise ValueError(f"not a record identity (id:…, url:… or sha256:…): {identity!r}")
    key = f"{source_path}\x00{identity}".encode("utf-8", "surrogatepass")
    return sha256_hex(key)[:16]


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
