"""Reading a release folder without loading its tables: its manifest, its digest, the published versions,
and the check of every file against the manifest. Light on purpose (no polars): `newsds list` and
`newsds verify --checksums-only` answer from here at once.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsds.dataset import resolve_dataset
from newsds.errors import ChecksumError, ReleaseError
from newsds.ids import file_sha256
from newsds.versions import RANGE_HELP, VERSION, pick, version_key

AGREEMENT_FILE = "agreement.json"
DEFAULT_ROOT = Path("data/processed")
# Format 3: the raw inputs are a file of the release (inputs.parquet), no longer a list inside the manifest
# (a million documents come from ~700k files: a manifest too large to parse on every load). Formats 1
# and 2 keep their inline `inputs` list, and are read as they were.
MANIFEST_FORMAT = 3
INPUTS_FILE = "inputs.parquet"
# inputs.parquet's columns in order: (name, Table Schema type, required, what it holds). Plain strings, so
# this module stays free of polars: the writer (store) and the metadata (metadata) both take them from here.
INPUT_COLUMNS: tuple[tuple[str, str, bool, str], ...] = (
    ("path", "string", True, "the raw file's path relative to the raw folder"),
    ("sha256", "string", False, "sha256 of the file's bytes (null when it could not be read)"),
    ("bytes", "integer", True, "the file's size in bytes"),
    (
        "records",
        "integer",
        False,
        "how many inputs the file holds: its records for JSON/JSONL, else one (null counts as one)",
    ),
)
_MANIFEST_KEYS = ("version", "files", "counts")
# A manifest names files inside its own folder: plain names only, so none can point elsewhere.
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$")


def releases_root(root: str | Path | None = None) -> Path:
    """`root`, else the releases folder of the dataset around the current folder (its newsds.toml),
    else data/processed."""
    return Path(root) if root is not None else resolve_dataset().out


def releases(root: str | Path | None = None) -> list[str]:
    """Versions published under root (default: the dataset's releases folder), oldest first."""
    root = releases_root(root)
    if not root.is_dir():
        return []
    found = [p.name for p in root.iterdir() if VERSION.fullmatch(p.name) and (p / "manifest.json").is_file()]
    return sorted(found, key=version_key)


# A release is named by the sha256 of its manifest.json, which lists every other file's sha256. The data
# card states it too: its own checksum is taken with that line's digest zeroed, so the card can name the
# manifest that names the card.
PENDING_DIGEST = "sha256:" + "0" * 64
_CARD_DIGEST = re.compile(r"^(Release digest: `)(sha256:[0-9a-f]{64})(`)", re.M)
DIGEST_FORMAT = re.compile(r"^sha256:[0-9a-f]{64}$")
CARD = "README.md"


def release_digest(path: Path) -> str:
    """ "sha256:<hex>" of a release folder's manifest.json: one value that pins every byte of it."""
    return "sha256:" + file_sha256(path / "manifest.json")[0]


def _card_checksum(card: bytes) -> tuple[str, str | None]:
    """(sha256 of the card with its digest zeroed, the digest it states or None)."""
    text = card.decode("utf-8", "surrogateescape")
    match = _CARD_DIGEST.search(text)
    if match is None:
        return hashlib.sha256(card).hexdigest(), None
    zeroed = text[: match.start(2)] + PENDING_DIGEST + text[match.end(2) :]
    return hashlib.sha256(zeroed.encode("utf-8", "surrogateescape")).hexdigest(), match.group(2)


def check_expected(path: Path, expect: str | None, version: str) -> None:
    """Raise ChecksumError unless the release at `path` has the expected digest ("sha256:<64 hex>");
    the manifest is hashed only when a digest is expected."""
    if expect is None:
        return
    if not DIGEST_FORMAT.fullmatch(expect):
        raise ReleaseError(
            f"--expect {expect!r} is not a release digest: give it as sha256:<64 hex digits>, as "
            "`newsds list` and the release's data card show it"
        )
    if (digest := release_digest(path)) != expect:
        raise ChecksumError(
            f"release {version} has digest {digest}, not the expected {expect}: these are not the bytes "
            "you pinned (the release was edited or rebuilt); fetch the release you expect, or drop --expect"
        )


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((path / "manifest.json").read_text())
    except FileNotFoundError as exc:
        raise ReleaseError(f"{path} is not a release: it has no manifest.json") from exc
    except json.JSONDecodeError as exc:
        raise ReleaseError(
            f"{path / 'manifest.json'} is not valid JSON ({exc}); the release is damaged"
        ) from exc
    missing = (
        [k for k in _MANIFEST_KEYS if k not in manifest]
        if isinstance(manifest, dict)
        else list(_MANIFEST_KEYS)
    )
    # the raw inputs: inputs.parquet (format 3 on), or the inline list of an older manifest
    if not isinstance(manifest, dict) or (
        "inputs" not in manifest and INPUTS_FILE not in (manifest.get("files") or {})
    ):
        missing.append("inputs")
    if missing:
        raise ReleaseError(
            f"{path / 'manifest.json'} lacks {', '.join(missing)}; the release is damaged: "
            "rebuild it or restore it"
        )
    files = manifest["files"]
    unsafe = [n for n in files if not _FILE_NAME.fullmatch(n)] if isinstance(files, dict) else []
    if not isinstance(files, dict) or unsafe:
        raise ReleaseError(
            f"{path / 'manifest.json'} lists file names that are not plain names inside the release "
            f"({', '.join(map(repr, unsafe)) or 'files is not a mapping'}); the release is damaged or was "
            "tampered with: rebuild it or restore it"
        )
    return manifest


def resolve(version: str | None, root: str | Path | None = None) -> Path:
    """The folder of a version: exact, "latest" (or None) for the newest, or a semver range's newest.

    A clear error lists what exists. Only published version folders are ever returned, so no
    argument can reach outside root (default: the dataset's releases folder, `releases_root`).
    """
    root = releases_root(root)
    available = releases(root)
    if not available:
        raise ReleaseError(f"no releases under {root}; build one with `newsds build` (or `nox -s build`)")
    chosen = pick(version, available)
    if chosen is None:
        raise ReleaseError(
            f"no release matches {version!r} under {root}; available: {', '.join(available)} "
            f"(ask for {RANGE_HELP})"
        )
    return root / chosen


def check_files(path: Path, manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(file, "ok" | "missing" | "changed: <sha256 now> != <manifest>") for every file the manifest lists,
    then a line for each of the manifest's counts that its files (and raw inputs) contradict."""
    results: list[tuple[str, str]] = []
    for name, entry in sorted(manifest["files"].items()):
        file = path / name
        if not file.is_file():
            results.append((name, "missing"))
            continue
        results.append((name, _file_status(path, name, entry)))
    sound = {name for name, status in results if status == "ok"}
    return results + _count_problems(path, manifest, sound)


def _file_status(path: Path, name: str, entry: Mapping[str, Any]) -> str:
    """ "ok", or how one file differs from its manifest entry: sha256, size, stated digest, rows."""
    file, stated = path / name, None
    if name == CARD:
        data = file.read_bytes()
        (actual, stated), size = _card_checksum(data), len(data)
    else:
        actual, size = file_sha256(file)
    if actual != entry["sha256"]:
        return f"sha256 {actual[:12]}… != manifest {entry['sha256'][:12]}…"
    if size != entry["bytes"]:
        return f"{size} bytes != manifest {entry['bytes']}"
    if stated is not None and stated != (digest := release_digest(path)):
        return f"states digest {stated[:19]}… but manifest.json is {digest[:19]}…"
    return _rows_status(file, entry)


def _rows_status(file: Path, entry: Mapping[str, Any]) -> str:
    """ "ok", or how a Parquet file's row count differs from the one the manifest records."""
    if entry.get("rows") is None or file.suffix != ".parquet":
        return "ok"
    import pyarrow as pa  # only when a table's rows are checked
    import pyarrow.parquet as pq

    try:
        rows = pq.ParquetFile(file).metadata.num_rows
    except (OSError, pa.ArrowException) as exc:  # garbage whose checksum was rewritten to match
        return f"not a readable Parquet file ({exc})"
    return "ok" if rows == entry["rows"] else f"{rows} rows != manifest {entry['rows']}"


def _input_counts(path: Path, manifest: Mapping[str, Any]) -> tuple[int, int] | str:
    """(files, inputs) of the release's raw inputs, read cheaply: inputs.parquet's row count from its
    footer and a sum over its `records` column (null counts as one), or an older manifest's inline list.
    Why inputs.parquet cannot be counted, when it cannot."""
    if INPUTS_FILE not in manifest["files"]:
        listed = manifest.get("inputs") or ()
        return len(listed), sum(1 if i.get("records") is None else i["records"] for i in listed)
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path / INPUTS_FILE)
        if "records" not in parquet.schema_arrow.names:
            return "its records cannot be counted (it has no records column)"
        records = 0
        for batch in parquet.iter_batches(batch_size=1 << 20, columns=["records"]):
            column = batch.column(0)
            records += int(pc.sum(column).as_py() or 0) + column.null_count
    except (OSError, KeyError, pa.ArrowException) as exc:
        return f"its records cannot be counted ({exc})"
    return parquet.metadata.num_rows, records


def _count_problems(path: Path, manifest: Mapping[str, Any], sound: set[str]) -> list[tuple[str, str]]:
    """The manifest's `counts` against its own file entries and its inputs: an edited count is caught.
    `sound`: the files that match their entries; an inputs.parquet that does not is not counted."""
    counts, files = manifest.get("counts", {}), manifest["files"]
    problems: list[tuple[str, str]] = []
    expected = {
        table: entry["rows"]
        for name, entry in files.items()
        if name != INPUTS_FILE and (table := name.removesuffix(".parquet")) in counts
    }
    if INPUTS_FILE not in files or INPUTS_FILE in sound:
        inputs = _input_counts(path, manifest)
        if isinstance(inputs, str):
            problems = [(INPUTS_FILE, inputs)]
        else:
            expected["files"], expected["inputs"] = inputs
    problems += [
        ("manifest.json", f"counts.{key} is {counts[key]} but the files say {value}")
        for key, value in sorted(expected.items())
        if key in counts and counts[key] != value
    ]
    by_reason = sum(manifest.get("rejected_by_reason", {}).values())
    if "rejected" in counts and by_reason != counts["rejected"]:
        problems.append(
            ("manifest.json", f"rejected_by_reason sums to {by_reason}, not {counts['rejected']}")
        )
    return problems


def verify_checksums(path: Path, manifest: Mapping[str, Any]) -> None:
    """Re-hash every file the manifest lists; raise ChecksumError naming each file that differs."""
    problems = [f"{name}: {status}" for name, status in check_files(path, manifest) if status != "ok"]
    if problems:
        raise ChecksumError(
            f"release {manifest['version']} at {path} does not match its manifest ("
            + "; ".join(problems)
            + "). The files were changed after publishing: rebuild the release or restore the files"
        )
