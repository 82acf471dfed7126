"""Which documents were kept, to tell exact duplicates, in memory for a batch or on disk for a corpus.

A document duplicates a kept one when it has the same clean text, or the same doc_id (the same record
identity in the same file: a JSON record whose id or URL field repeats an earlier one's). The index holds
a 16-byte digest per text, never the text. Within a batch it lives in a dict; across the batches of a
streaming build it lives in an SQLite file in the build's scratch folder, so a corpus of any size dedupes in a
few megabytes of memory (a dict took ~210 MB per million documents) with the same answers.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

_LOOKUP_CHUNK = 16_000  # keys per SELECT … IN (…): under SQLite's default limit of 32,766 variables


def _keys(doc_id: str, text: str) -> tuple[bytes, bytes]:
    """The index keys of a document: its doc_id and its text's digest, in one key space."""
    return b"i" + doc_id.encode(), b"t" + hashlib.blake2b(text.encode(), digest_size=16).digest()


class Store(Protocol):
    """Where the index lives: key -> doc_id of the kept document."""

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, str]: ...

    def put_many(self, items: Sequence[tuple[bytes, str]]) -> None: ...


class MemoryStore:
    """The index in a dict: for one batch."""

    def __init__(self) -> None:
        self.items: dict[bytes, str] = {}

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, str]:
        return {key: self.items[key] for key in keys if key in self.items}

    def put_many(self, items: Sequence[tuple[bytes, str]]) -> None:
        self.items.update(items)


class SqliteStore:
    """The index in an SQLite file (no journal: the file is scratch, thrown away after the build)."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE IF NOT EXISTS kept (key BLOB PRIMARY KEY, first TEXT) WITHOUT ROWID")

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, str]:
        found: dict[bytes, str] = {}
        for at in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[at : at + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT key, first FROM kept WHERE key IN ({marks})", chunk))
        return found

    def put_many(self, items: Sequence[tuple[bytes, str]]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany("INSERT INTO kept VALUES (?, ?)", items)
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()


class KeptDocuments:
    """The first document of each clean text and of each doc_id, in the order documents are offered."""

    def __init__(self, store: Store | None = None) -> None:
        self.store: Store = MemoryStore() if store is None else store

    def keep(self, doc_id: str, text: str) -> str | None:
        """None (and remember it) for a new document; else the doc_id of the kept one it duplicates."""
        return self.keep_all([(doc_id, text)])[0]

    def keep_all(self, docs: Iterable[tuple[str, str]]) -> list[str | None]:
        """`keep` of each (doc_id, text) in turn, with one lookup and one write for them all."""
        keyed = [(doc_id, *_keys(doc_id, text)) for doc_id, text in docs]
        known = self.store.get_many([key for _, *keys in keyed for key in keys])
        firsts: list[str | None] = []
        new: list[tuple[bytes, str]] = []
        for doc_id, id_key, text_key in keyed:
            first = doc_id if id_key in known else known.get(text_key)
            if first is None:
                known[id_key] = known[text_key] = doc_id
                new += [(id_key, doc_id), (text_key, doc_id)]
            firsts.append(first)
        self.store.put_many(new)
        return firsts
