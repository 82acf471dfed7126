"""Raw folder -> raw table: every file with its relative path, sha256, size and bytes.

The sources CSV (`SOURCES.csv` at the root of the raw folder, or the file newsds.toml names) is not an
article: it records where each raw file comes from and under which licence (columns `path`, `url`,
`licence`, ...). The `[[sources]]` globs of newsds.toml give a licence to the files the CSV does not
list. Every other file is an input and ends up as a document or a rejected row.
"""

from __future__ import annotations

import csv
import errno
import os
import stat
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import polars as pl

from newsds.dataset import SourceLicence
from newsds.defaults import DEFAULT_MAX_BYTES
from newsds.errors import NewsdsError
from newsds.ids import file_sha256, sha256_hex
from newsds.schemas import frame, rejected_row

SOURCES_FILE = "SOURCES.csv"


@dataclass(frozen=True)
class Sources:
    """Where the raw files' origins and licences are recorded: a CSV with a row per file, and globs."""

    csv: Path | None = None
    licences: tuple[SourceLicence, ...] = ()

    def inside(self, raw_root: Path) -> str | None:
        """The CSV's path relative to raw_root when it sits inside it (so it is not read as an input)."""
        if self.csv is None:
            return None
        try:
            return self.csv.absolute().relative_to(raw_root.absolute()).as_posix()
        except ValueError:
            return None

    def licence(self, path: str) -> str | None:
        """The licence of the first `[[sources]]` glob that matches a raw file's relative path."""
        return next((s.licence for s in self.licences if fnmatchcase(path, s.match)), None)


def default_sources(
    raw_root: Path, csv_path: Path | None = None, licences: tuple[SourceLicence, ...] = ()
) -> Sources:
    """The named CSV (an error when it is missing), else SOURCES.csv in the raw folder when there is one."""
    if csv_path is not None and not csv_path.is_file():
        raise NewsdsError(
            f"sources file {csv_path} not found; fix paths.sources_csv in newsds.toml or add the file"
        )
    if csv_path is None and (raw_root / SOURCES_FILE).is_file():
        csv_path = raw_root / SOURCES_FILE
    return Sources(csv_path, licences)


def list_raw_files(raw_root: Path, sources: Sources | None = None) -> list[str]:
    """Relative POSIX paths of every input file under raw_root, sorted (the sources file excluded).

    Plain strings from os.walk, not Path objects: a corpus of 700k files lists in ~60 MB instead of
    ~370 MB, memory the streaming build would otherwise hold for the whole run."""
    if not raw_root.is_dir():
        raise NewsdsError(
            f"raw folder not found: {raw_root}; pass the folder that holds the raw article files"
        )

    def unreadable(error: OSError) -> None:
        raise NewsdsError(
            f"cannot list {error.filename}: {error.strerror}; make the folder readable and build again"
        )

    # Every entry that is not a folder: links (to folders too, not followed), pipes and devices, so
    # that each is accounted for (read_raw rejects what is not a regular file inside the raw folder).
    paths: list[str] = []
    for folder, subfolders, names in os.walk(raw_root, onerror=unreadable):
        relative = os.path.relpath(folder, raw_root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        paths.extend(prefix + name for name in names)
        paths.extend(prefix + name for name in subfolders if os.path.islink(os.path.join(folder, name)))
    skip = (sources or default_sources(raw_root)).inside(raw_root)
    return sorted(p for p in paths if p != skip)


def read_sources(sources: Sources) -> dict[str, dict[str, str]]:
    """path -> {url, licence, ...} from the sources CSV; empty when there is none."""
    path = sources.csv
    if path is None:
        return {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, strict=True))
    except UnicodeDecodeError as exc:
        raise NewsdsError(
            f"{path} is not UTF-8 ({exc.reason} at byte {exc.start}); re-save it as UTF-8"
        ) from exc
    except csv.Error as exc:
        raise NewsdsError(
            f"{path} is not a well-formed CSV file ({exc}); check its quotes, or open and re-save it"
        ) from exc
    if rows and "path" not in rows[0]:
        raise NewsdsError(f"{path} needs a 'path' column (with optional 'url' and 'licence' columns)")
    return {row["path"]: row for row in rows}


_LOOP = "it is a symbolic link that leads back to itself (a loop); remove the link or point it at a file"


class _ReadableHere:
    """Which raw entries may be read: regular files whose real location is inside the raw folder (not a link
    leading outside it, a pipe or a device).

    A plain file (not a link) can only lead outside through its folders, so those are resolved once per
    folder rather than once per file: resolving every path costs more than reading a short article."""

    def __init__(self, raw_root: Path) -> None:
        self.root = raw_root.resolve()
        self.folders: dict[Path, Path] = {}

    def problem(self, path: Path) -> str | None:
        """Why `path` must not be read, or None (OSError when it cannot even be looked at)."""
        regular = stat.S_ISREG(path.lstat().st_mode)
        if regular:
            folder = self.folders.get(path.parent)
            if folder is None:
                folder = self.folders[path.parent] = path.parent.resolve()
            target = folder / path.name
        else:
            try:
                target = path.resolve()
            except RuntimeError:  # how Python before 3.13 reports a loop; 3.13 raises OSError (ELOOP)
                return _LOOP
        if not target.is_relative_to(self.root):
            return "it is a link to a file outside the raw folder; copy the file into the raw folder instead"
        if not (regular or stat.S_ISREG(target.stat().st_mode)):
            return "it is not a regular file (a pipe, socket or device); raw inputs must be files"
        return None


def read_raw(
    raw_root: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    files: list[str] | None = None,
    sources: Sources | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read raw files (all of them, or the listed batch): (raw table, rejected rows for files that
    cannot be read or are too large)."""
    sources = sources or default_sources(raw_root)
    listed = read_sources(sources)
    if files is None:
        files = list_raw_files(raw_root, sources)
        if not files:
            raise NewsdsError(f"no raw files under {raw_root}; add article files (.txt) and build again")
    raw: list[dict[str, object]] = []
    rejected: list[dict[str, object]] = []
    readable = _ReadableHere(raw_root)
    taken = set(files)
    for name in files:
        path = raw_root / name
        # A name that is not valid UTF-8 cannot be stored; it is kept (escaped) and rejected, under a
        # path no real file of the folder has ("bad\\xff.txt" could also be a real name).
        rel = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        while rel != name and rel in taken:
            rel += " (name not UTF-8)"
        taken.add(rel)
        meta = listed.get(rel, {})
        row: dict[str, object] = {
            "source_path": rel,
            "source_sha256": None,
            "size": 0,
            "content": None,
            "url": meta.get("url") or None,
            "licence": meta.get("licence") or sources.licence(rel),
            "records": None,
        }
        try:
            problem = readable.problem(path)
            if problem is None and rel != name:
                problem = "the file name is not valid UTF-8; rename the file"
            if problem is not None:
                rejected.append(rejected_row(rel, None, "read", "unreadable", problem))
            else:
                size = path.stat().st_size
                row["size"] = size
                with path.open("rb") as handle:
                    data = handle.read(max_bytes + 1)  # never more than the limit, whatever stat said
                if len(data) > max_bytes:
                    row["source_sha256"] = file_sha256(path)[0]
                    message = (
                        f"{size} bytes is over the {max_bytes}-byte limit; split the file or raise max_bytes"
                    )
                    rejected.append(
                        rejected_row(rel, str(row["source_sha256"]), "read", "too_large", message)
                    )
                else:
                    row["content"] = data
                    row["source_sha256"] = sha256_hex(data)
        except OSError as exc:
            message = (
                _LOOP
                if exc.errno == errno.ELOOP
                else f"cannot read the file: {exc.strerror or exc}; check that it exists and is readable"
            )
            rejected.append(rejected_row(rel, None, "read", "unreadable", message))
        raw.append(row)
    return frame("raw", raw), frame("rejected", rejected)
