"""Publish, list, load and verify releases: immutable, checksummed folders of Parquet tables.

A release is written to a hidden temporary folder and renamed into place, so a reader never sees a
half-written one. Nothing in it depends on the clock or the machine: the same inputs and code give
the same bytes, which is what lets anyone check a release by rebuilding it.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from newsds.dataset import UNNAMED
from newsds.errors import ReleaseError, ReleaseExistsError
from newsds.ids import file_sha256, sha256_hex
from newsds.release.changes import ReleaseDiff, diff_tables, first_release
from newsds.release.datacard import render_datacard
from newsds.release.lineage import code_version, library_versions
from newsds.release.manifest import (
    AGREEMENT_FILE,
    CARD,
    INPUT_COLUMNS,
    INPUTS_FILE,
    MANIFEST_FORMAT,
    PENDING_DIGEST,
    check_expected,
    read_manifest,
    release_digest,
    releases,
    resolve,
    verify_checksums,
)
from newsds.release.parquet import ROW_GROUP_SIZE, TableWriter, write_table
from newsds.schemas import TABLES, empty_frame, export_all, polars_schema
from newsds.validate import validate_tables
from newsds.versions import bump_patch, check_version, version_key
from newsds.vocabulary import RULE_ROWS

_SCRATCH = re.compile(r"^\.(?P<version>[^/]+)\.(?P<kind>tmp|old)-(?P<pid>\d+)-[0-9a-f]{32}$")
# A streaming build's working folder (`stream.run_streaming`), named after the process that made it.
STREAM_SCRATCH_PREFIX = ".newsds-stream-"
_STREAM_SCRATCH = re.compile(rf"^{re.escape(STREAM_SCRATCH_PREFIX)}(?P<pid>\d+)-[a-z0-9_]+$")


def current_version() -> str:
    """The newsds package version (lineage only: a release's version is the dataset's own)."""
    return metadata.version("newsds")


def _write_parquet(source: pl.DataFrame | Path, path: Path, table: str) -> int:
    """Put one table's Parquet file in place: write a frame, or move a file the streaming build
    wrote with the same writer. Rejected rows are ordered by input, however they were collected."""
    if isinstance(source, Path):
        shutil.move(source, path)
        return int(pq.ParquetFile(path).metadata.num_rows)
    if table == "rejected":
        source = source.sort("source_path", "record", nulls_last=False, maintain_order=True)
    return write_table(source, path, table)


def _file_entry(path: Path, rows: int | None) -> dict[str, Any]:
    digest, size = file_sha256(path)
    return {"sha256": digest, "bytes": size, "rows": rows}


def _state_digest(tmp: Path) -> str:
    """Write the finished manifest's digest into the card, in place of the zeroed one (same length, so
    the card's recorded size holds)."""
    digest = release_digest(tmp)
    card = tmp / CARD
    card.write_text(card.read_text(encoding="utf-8").replace(PENDING_DIGEST, digest, 1), encoding="utf-8")
    return digest


def _json(payload: Any) -> str:
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False, default=str)


def _write_json(path: Path, payload: Mapping[str, Any]) -> None:
    path.write_text(_json(payload) + "\n")


_POLARS_TYPES = {"string": pl.String, "integer": pl.Int64}
INPUTS_SCHEMA: dict[str, pl.DataType] = {name: _POLARS_TYPES[kind]() for name, kind, _, _ in INPUT_COLUMNS}
# the build's raw table's columns that inputs.parquet holds, under its names
_RAW_COLUMNS = {"source_path": "path", "source_sha256": "sha256", "size": "bytes", "records": "records"}


def write_inputs(inputs: pl.LazyFrame, path: Path, row_group_size: int = ROW_GROUP_SIZE) -> int:
    """inputs.parquet from the build's raw-file rows (source_path, source_sha256, size, records), in
    their order, streamed a row group at a time: a 1M-document corpus has ~700k files, never held as
    Python objects. Returns the row count."""
    rows = inputs.select(**{new: pl.col(old) for old, new in _RAW_COLUMNS.items()})
    # the tables' writer (fixed row groups, codec and settings): the bytes depend only on the rows and their
    # order, never on how they arrive (a whole frame, or the streaming build's scratch file in batches)
    empty = pl.DataFrame(schema=INPUTS_SCHEMA)
    with TableWriter(path, "inputs", row_group_size, empty) as writer:
        for chunk in rows.collect_batches(chunk_size=row_group_size):
            writer.write(chunk)
    return writer.rows


@dataclass(frozen=True)
class ReleaseInputs:
    """What a release is made of: the tables, the raw inputs, the validation report and build facts."""

    tables: Mapping[str, pl.DataFrame | Path]  # a frame, or a file the streaming build already wrote
    inputs: pl.LazyFrame  # source_path, source_sha256, size, records: one row per raw file
    report: Mapping[str, Any]
    stages: Mapping[str, Any]
    parameters: Mapping[str, Any]
    provenance: Mapping[str, Any] | None = None
    annotations: Mapping[str, Any] | None = None  # the agreement report (agreement.json)
    annotation_inputs: tuple[Mapping[str, Any], ...] = ()  # annotation files: path, sha256, bytes
    dataset: Mapping[str, Any] | None = None  # the dataset's metadata (newsds.dataset.Dataset.metadata)


def build_manifest(
    version: str,
    previous: str | None,
    release: ReleaseInputs,
    files: dict[str, Any],
    rejected: pl.LazyFrame,
    inputs: pl.LazyFrame,
) -> dict[str, Any]:
    """The manifest: every file's checksum (the raw inputs' are in inputs.parquet, `inputs`), and
    everything the bytes depend on."""
    by_reason = dict(sorted(rejected.group_by("reason").len().collect().iter_rows()))
    counted = inputs.select(files=pl.len(), records=pl.col("records").fill_null(1).sum()).collect()
    dataset = dict(release.dataset or {"name": UNNAMED})
    return {
        "name": dataset["name"],
        "version": version,
        "dataset": dataset,
        "previous_version": previous,
        "manifest_format": MANIFEST_FORMAT,
        "files": files,
        "counts": {
            "files": int(counted["files"].item()),
            "inputs": int(counted["records"].item()),
            **{t: files[f"{t}.parquet"]["rows"] for t in TABLES},
        },
        "rejected_by_reason": by_reason,
        "provenance": release.provenance,
        "annotation_inputs": [dict(entry) for entry in release.annotation_inputs],
        "code": code_version(),
        "stages": dict(release.stages),
        "schemas": schema_fingerprints(),
        "libraries": library_versions(),
        "parameters": dict(release.parameters),
    }


def schema_fingerprints() -> dict[str, str]:
    """sha256 of each table's exported schema: a release built under other schemas is told apart."""
    return {name: sha256_hex(text.encode()) for name, text in export_all().items()}


def _previous(history: Path, version: str) -> tuple[str | None, dict[str, pl.LazyFrame]]:
    """The newest release older than `version` in history, with lazy scans of its tables (empty when none)."""
    older = [v for v in releases(history) if version_key(v) < version_key(version)]
    if not older:
        return None, {}
    return older[-1], _scans(load(older[-1], history))


def _scans(release: Release) -> dict[str, pl.LazyFrame]:
    """Lazy scans of every table a release has: what diff_tables streams in bounded memory."""
    return {name: pl.scan_parquet(release.path / f"{name}.parquet") for name in release.table_names}


def _describe(
    report: Mapping[str, Any],
    manifest: dict[str, Any],
    tmp: Path,
    old: tuple[str | None, Any],
    annotations: Mapping[str, Any] | None = None,
    old_digest: str | None = None,
) -> None:
    """The files that describe a release: change log, standard metadata, report and data card.

    They read the written tables through lazy scans, each only the columns it needs, so describing a
    large streamed release does not load it whole (the diff against a previous release streams too).
    """
    from newsds.release.metadata import croissant, datapackage
    from newsds.release.report import render_report

    tables = {name: pl.scan_parquet(tmp / f"{name}.parquet") for name in TABLES}
    version = manifest["version"]
    if old[0] is None:
        changes = first_release(tables, new_version=version)
    else:
        changes = diff_tables(old[1], tables, old_version=old[0], new_version=version)
    written = {
        "CHANGES.json": json.dumps(changes.summary() | {"old_digest": old_digest}, indent=2, sort_keys=True)
        + "\n",
        "datapackage.json": json.dumps(datapackage(manifest, tables), indent=2, sort_keys=True) + "\n",
        "croissant.json": json.dumps(croissant(manifest, tables), indent=2, sort_keys=True) + "\n",
        "report.html": render_report(manifest, tables),
    }
    for name, text in written.items():
        (tmp / name).write_text(text, encoding="utf-8")
        manifest["files"][name] = _file_entry(tmp / name, None)
    card = render_datacard(manifest, tables, report, changes.to_markdown(), annotations, PENDING_DIGEST)
    (tmp / CARD).write_text(card, encoding="utf-8")
    manifest["files"][CARD] = _file_entry(tmp / CARD, None)


def publish(
    release: ReleaseInputs,
    root: str | Path,
    version: str,
    *,
    replace: bool = False,
    history: str | Path | None = None,
) -> Path:
    """Write a release atomically under root/version and return its path.

    Raises ReleaseExistsError when the version exists, unless `replace` is set. The data card,
    change log and manifest compare with the newest older release in `history` (default: root),
    the folder where the earlier releases live even when this one is written elsewhere (a rebuild
    check). A crash at any point leaves either the old state or the new release, never a mix:
    everything is written to a hidden scratch folder that the next publish clears away.
    """
    root = Path(root)
    history = root if history is None else Path(history)
    check_version(version)
    final = root / version
    if final.exists() and not replace:
        raise ReleaseExistsError(
            f"release {version} already exists at {final}; releases are immutable. Publish a new version "
            f"(for example --version {bump_patch(version)}) or pass --replace to overwrite it"
        )
    old = _previous(history, version)
    root.mkdir(parents=True, exist_ok=True)
    recover(root)
    tmp = root / f".{version}.tmp-{os.getpid()}-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        files: dict[str, Any] = {}
        for name in TABLES:
            table = release.tables.get(name, empty_frame(name))  # no annotations: empty tables
            rows = _write_parquet(table, tmp / f"{name}.parquet", name)
            files[f"{name}.parquet"] = _file_entry(tmp / f"{name}.parquet", rows)
        _write_json(tmp / "validation.json", release.report)
        files["validation.json"] = _file_entry(tmp / "validation.json", None)
        _write_json(tmp / AGREEMENT_FILE, release.annotations or {})
        files[AGREEMENT_FILE] = _file_entry(tmp / AGREEMENT_FILE, None)
        rows = write_inputs(release.inputs, tmp / INPUTS_FILE)
        files[INPUTS_FILE] = _file_entry(tmp / INPUTS_FILE, rows)
        rejected = pl.scan_parquet(tmp / "rejected.parquet")
        inputs = pl.scan_parquet(tmp / INPUTS_FILE)
        manifest = build_manifest(version, old[0], release, files, rejected, inputs)
        old_digest = release_digest(history / old[0]) if old[0] is not None else None
        _describe(release.report, manifest, tmp, old, release.annotations, old_digest)
        _write_json(tmp / "manifest.json", manifest)  # last: no manifest, no release
        _state_digest(tmp)
        _swap_into_place(tmp, final, replace)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return int(renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)) == 0


def _swap_into_place(tmp: Path, final: Path, replace: bool) -> None:
    """Rename the finished folder into place. With --replace the two folders are swapped in one
    atomic step where the system allows it, else the old one is moved aside first (and `recover`
    moves it back if a crash comes between the two renames)."""
    if final.exists() and replace:
        if _exchange(tmp, final):
            shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the replaced release
            return
        aside = final.with_name(f".{final.name}.old-{os.getpid()}-{uuid.uuid4().hex}")
        final.rename(aside)
        tmp.rename(final)
        shutil.rmtree(aside, ignore_errors=True)
    else:
        try:
            tmp.rename(final)
        except OSError as exc:
            if not final.exists():
                raise
            # another build published this version between our check and our rename
            raise ReleaseExistsError(
                f"release {final.name} was published at {final} by another build while this one ran; "
                f"releases are immutable. Publish a new version (for example --version "
                f"{bump_patch(final.name)})"
            ) from exc


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(root: str | Path) -> list[str]:
    """Clear what a crashed publish left under root; returns what was done, one line per folder.

    A scratch folder of a dead process is removed; a release moved aside by an interrupted
    --replace goes back into place if nothing took its place. A live process's folders are left.
    """
    root = Path(root)
    done: list[str] = []
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        stream = _STREAM_SCRATCH.fullmatch(path.name)
        if stream is not None and path.is_dir() and not _alive(int(stream["pid"])):
            shutil.rmtree(path, ignore_errors=True)
            done.append(f"removed {path.name} left by an interrupted build")
            continue
        match = _SCRATCH.fullmatch(path.name)
        if match is None or not path.is_dir() or _alive(int(match["pid"])):
            continue
        final = root / match["version"]
        if match["kind"] == "old" and not final.exists() and (path / "manifest.json").is_file():
            path.rename(final)
            done.append(f"restored {final.name} from an interrupted replace")
        else:
            shutil.rmtree(path, ignore_errors=True)
            done.append(f"removed {path.name} left by an interrupted publish")
    return done


_CONTEXT_SENTENCE = {
    "text": "sentence", "kind": "sentence_kind", "index": "sentence_index",
    "start": "sentence_start", "end": "sentence_end",
}  # fmt: skip
_CONTEXT_DOCUMENT = (
    "title", "byline", "authors", "published", "published_at", "url", "sitename", "publisher", "language",
    "licence", "format", "source_path",
)  # fmt: skip


@dataclass(frozen=True)
class Release:
    """A published release: its manifest and its tables as Polars frames (LazyFrames when lazy)."""

    version: str
    path: Path
    manifest: dict[str, Any] = field(repr=False)
    lazy: bool = False

    @property
    def digest(self) -> str:
        """ "sha256:<hex>" of manifest.json: names these exact bytes (`load(..., expect=digest)`)."""
        return release_digest(self.path)

    def table(self, name: str) -> pl.DataFrame | pl.LazyFrame:
        """One table by name (documents, sentences, claims, rejected, or an annotation table)."""
        if name not in TABLES:
            raise ReleaseError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
        if name not in self.table_names:
            raise ReleaseError(
                f"release {self.version} has no {name} table (it predates it); tables: "
                f"{', '.join(self.table_names)}"
            )
        file = self.path / f"{name}.parquet"
        return pl.scan_parquet(file) if self.lazy else pl.read_parquet(file)

    @property
    def documents(self) -> Any:
        return self.table("documents")

    @property
    def sentences(self) -> Any:
        return self.table("sentences")

    @property
    def claims(self) -> Any:
        return self.table("claims")

    @property
    def rejected(self) -> Any:
        return self.table("rejected")

    @property
    def table_names(self) -> tuple[str, ...]:
        """The tables this release has (releases before 0.6.0 have no annotation tables)."""
        return tuple(t for t in TABLES if f"{t}.parquet" in self.manifest["files"])

    @property
    def claim_annotations(self) -> Any:
        """Every human annotation that was imported, per annotator, with its exact ranges."""
        return self.table("claim_annotations")

    @property
    def annotated_documents(self) -> Any:
        return self.table("annotated_documents")

    @property
    def annotation_rejected(self) -> Any:
        return self.table("annotation_rejected")

    @property
    def human_claims(self) -> Any:
        """The adjudicated gold claims: the claims rows whose annotator is a human, not one of newsds's
        extractors (the model, the rules)."""
        return self.claims.filter(~RULE_ROWS)

    @property
    def agreement(self) -> dict[str, Any]:
        """The agreement report (agreement.json): agreement, adjudication and rules-vs-gold scores."""
        file = self.path / AGREEMENT_FILE
        if AGREEMENT_FILE not in self.manifest["files"]:
            raise ReleaseError(f"release {self.version} predates annotation reports ({AGREEMENT_FILE})")
        report: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
        return report

    def inputs(self) -> Any:
        """Every raw input file, one row each in input order: path, sha256, bytes and records (how many
        inputs the file holds). From inputs.parquet, or from the manifest's own list in a release
        published before it (manifest format 2 and older; the first ones record no `records`)."""
        if INPUTS_FILE in self.manifest["files"]:
            file = self.path / INPUTS_FILE
            return pl.scan_parquet(file) if self.lazy else pl.read_parquet(file)
        listed = self.manifest.get("inputs") or []
        frame = pl.DataFrame(
            {name: [entry.get(name) for entry in listed] for name in INPUTS_SCHEMA}, schema=INPUTS_SCHEMA
        )
        return frame.lazy() if self.lazy else frame

    def tables(self) -> dict[str, pl.DataFrame]:
        """Every table the release has, eagerly."""
        return {name: pl.read_parquet(self.path / f"{name}.parquet") for name in self.table_names}

    def claims_with_context(self) -> Any:
        """Claims with their sentence (text, kind, index) and their document's metadata, in claim order.

        Columns a release predates are left out rather than invented.
        """
        scan = {name: pl.scan_parquet(self.path / f"{name}.parquet") for name in TABLES[:3]}
        have = {name: set(frame.collect_schema().names()) for name, frame in scan.items()}
        sentences = scan["sentences"].select(
            "sent_id", *[pl.col(c).alias(a) for c, a in _CONTEXT_SENTENCE.items() if c in have["sentences"]]
        )
        documents = scan["documents"].select(
            "doc_id", *[c for c in _CONTEXT_DOCUMENT if c in have["documents"]]
        )
        joined = (
            scan["claims"]
            .join(sentences, on="sent_id", how="left", maintain_order="left")
            .join(documents, on="doc_id", how="left", maintain_order="left")
        )
        return joined if self.lazy else joined.collect()


def load(
    version: str | None = None,
    root: str | Path | None = None,
    *,
    lazy: bool = False,
    verify: bool = True,
    expect: str | None = None,
) -> Release:
    """Open a release: an exact version, "latest" (the default) or a semver range such as "^0.3", under
    root (default: the releases folder of the dataset around the current folder, from its newsds.toml).

    With verify (the default), every file's sha256 is checked against the manifest first. With expect
    ("sha256:<hex>", the release digest `newsds list` shows), the manifest itself must be that one: an
    edit that rewrote the manifest to match is caught too.
    """
    path = resolve(version, root)
    manifest = read_manifest(path)
    check_expected(path, expect, manifest["version"])
    if verify:
        verify_checksums(path, manifest)
    return Release(version=manifest["version"], path=path, manifest=manifest, lazy=lazy)


def validate_release(release: Release) -> dict[str, Any]:
    """Re-validate a published release's tables (schemas and cross-table checks) from its files.

    Raises ReleaseError when the release was built under other schemas than this newsds has: its
    tables were validated then (validation.json), and only that newsds version can redo it.
    """
    recorded = release.manifest.get("schemas", {})
    have = {f"{t}.json" for t in ("raw", *release.table_names)}
    changed = sorted(k for k, v in schema_fingerprints().items() if k in have and recorded.get(k) != v)
    if changed:
        built_with = release.manifest.get("libraries", {}).get("newsds", "an older newsds")
        raise ReleaseError(
            f"release {release.version} was built with other table schemas ({', '.join(changed)}) than "
            f"this newsds {current_version()} has, so its tables cannot be re-validated here; its checksums "
            f"can (`newsds verify --checksums-only`). To re-validate, use newsds=={built_with}"
        )
    # the raw table as the build had it, from the inputs (content, URL and licence are not kept)
    raw = (
        release.inputs()
        .lazy()
        .select(
            pl.col(_RAW_COLUMNS[name]).cast(dtype).alias(name)
            if name in _RAW_COLUMNS
            else pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in polars_schema("raw").items()
        )
        .collect()
    )
    return validate_tables({"raw": raw, **release.tables()})


def diff(
    a: str | Release, b: str | Release, root: str | Path | None = None, *, verify: bool = True
) -> ReleaseDiff:
    """Compare release `a` (older) with `b`: versions ("latest" allowed) under root (default: the
    dataset's releases folder), or loaded Releases."""
    old = a if isinstance(a, Release) else load(a, root, verify=verify)
    new = b if isinstance(b, Release) else load(b, root, verify=verify)
    return diff_tables(_scans(old), _scans(new), old_version=old.version, new_version=new.version)
