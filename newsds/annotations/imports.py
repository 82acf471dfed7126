"""Annotation files -> the `annotated_documents`, `claim_annotations` and `annotation_rejected` tables.

Reading files (`read_files`) is kept apart from turning them into tables (`import_annotations`), a
pure function of the files' bytes and the documents' texts, so a build can run it wherever its
documents are. Every item of every file ends up in exactly one table: nothing is dropped unseen.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl

from newsds.annotations import brat, label_studio
from newsds.annotations.model import Pass, Source, pass_rows, refused_row
from newsds.errors import AnnotationError
from newsds.ids import sha256_hex
from newsds.schemas import frame

SUFFIXES = {".json": label_studio.FORMAT, ".ann": brat.FORMAT}


@dataclass(frozen=True)
class AnnotationFile:
    """One annotation file's bytes; a brat `.ann` also carries its `.txt`, and its path the name of the
    folder that holds it (its annotator's)."""

    path: str  # relative to the annotations folder, with '/' separators
    data: bytes
    text: str | None = None  # brat: the .txt beside the .ann (None when missing)

    @property
    def format(self) -> str:
        return SUFFIXES[Path(self.path).suffix.lower()]

    @property
    def source(self) -> Source:
        return Source(self.path, sha256_hex(self.data), self.format)


def _recorded(path: Path, root: Path) -> str:
    """The path a file is recorded under: relative to root, and for a brat file always with the folder
    that holds it, because that folder names its annotator (brat records none). So passing the
    annotators' parent folder, one annotator's folder or their files reads the same annotator."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = path
    holder = Path(os.path.abspath(path)).parent.name
    if path.suffix.lower() == ".ann" and holder and rel.parent.name != holder:
        rel = Path(holder, rel.name)
    return rel.as_posix()


def annotation_paths(root: Path) -> list[Path]:
    """The annotation files under root (any depth), sorted: what a folder of annotations holds."""
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def read_files(root: Path, paths: Iterable[Path] | None = None) -> list[AnnotationFile]:
    """The annotation files under root (Label Studio `*.json`, brat `*.ann` with their `.txt`), sorted.

    `paths` picks files explicitly instead of walking root; a brat file's annotator is the name of the
    folder that holds it (see `_recorded`).
    """
    chosen = sorted(paths) if paths is not None else annotation_paths(root)
    out = []
    for path in chosen:
        if path.suffix.lower() not in SUFFIXES:
            raise AnnotationError(
                f"{path} is neither a Label Studio JSON export (.json) nor a brat file (.ann)"
            )
        txt = path.with_suffix(".txt")
        text = txt.read_text(encoding="utf-8") if path.suffix.lower() == ".ann" and txt.is_file() else None
        out.append(AnnotationFile(_recorded(path, root), path.read_bytes(), text))
    return out


def _file_passes(
    file: AnnotationFile, documents: Mapping[str, str], by_text: Mapping[str, str]
) -> tuple[list[Pass], list[tuple[str, str | None, str, str]]]:
    if file.format == label_studio.FORMAT:
        return label_studio.read_export(file.data, file.source)
    path = Path(file.path)
    annotator = path.parent.name
    try:
        ann = file.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AnnotationError(f"{file.path} is not UTF-8 text ({exc})") from exc
    if not annotator:
        return [], [
            (
                "pass",
                file.path,
                "reserved_annotator",
                (
                    f"{file.path} is in no folder, and brat records no annotator: the folder that holds a "
                    f"brat file names its annotator; put each annotator's .ann and .txt files in a folder "
                    f"named after them (alice/{path.name}) and pass that folder, its parent or its files"
                ),
            )
        ]
    if file.text is None:
        return [], [
            (
                "pass",
                file.path,
                "unknown_document",
                (
                    f"{file.path} has no {path.with_suffix('.txt').name} beside it; brat needs the text its "
                    "offsets count in"
                ),
            )
        ]
    doc_id = brat.doc_for(path.stem, file.text, documents, by_text)
    item = brat.read_ann(ann, ref=file.path, annotator=annotator, doc_id=doc_id or path.stem, text=file.text)
    item.key = f"brat {file.source.sha256}"
    return [item], []


def _read(
    files: Sequence[AnnotationFile], documents: Mapping[str, str]
) -> tuple[list[tuple[Source, Pass]], list[dict[str, Any]]]:
    """Every file's passes, and a refused row for every item that is no pass and for every file that
    yields nothing at all (a file that imports as nothing is never a silent success)."""
    by_text = {text: doc for doc, text in documents.items()}
    passes: list[tuple[Source, Pass]] = []
    rejected: list[dict[str, Any]] = []
    for file in files:
        source = file.source
        try:
            found, refused = _file_passes(file, documents, by_text)
        except AnnotationError as exc:
            rejected.append(refused_row(source, "file", None, "malformed", str(exc)))
            continue
        if not found and not refused:
            message = f"{file.path} holds no annotation to import; check that it is the export you meant"
            rejected.append(refused_row(source, "file", None, "malformed", message))
        for level, ref, reason, message in refused:
            rejected.append(refused_row(source, level, ref, reason, message))
        passes.extend((source, item) for item in found)
    return passes, rejected


def _same_people(passes: list[tuple[Source, Pass]]) -> list[tuple[Source, Pass]]:
    """Passes named by a bare Label Studio user id (`label-studio:7`) renamed to that user's e-mail when
    another pass carries both, so one person in a standard and a snapshot export is one annotator.

    An id that goes with two e-mails (exports of two Label Studio instances) stays as it is.
    """
    emails: dict[str, set[str]] = {}
    for _, item in passes:
        if item.user is not None and item.annotator != item.user:
            emails.setdefault(item.user, set()).add(item.annotator)
    out = []
    for source, item in passes:
        known = emails.get(item.annotator, set()) if item.annotator == item.user else set()
        out.append((source, replace(item, annotator=min(known)) if len(known) == 1 else item))
    return out


def _once(passes: list[tuple[Source, Pass]]) -> list[tuple[Source, Pass]]:
    """Each pass once: the same annotation (one tool id, one annotator and document, the same times and
    work) in two files, such as two exports of one project, is one pass and not a revision of itself.
    The first file's copy counts."""
    first: dict[tuple[Any, ...], Pass] = {}
    out = []
    for source, item in passes:
        if item.key is not None:
            key = (item.key, item.doc_id, item.annotator, item.created_at, item.updated_at)
            if key in first and first[key].same_work(item):
                continue
            first.setdefault(key, item)
        out.append((source, item))
    return out


def _latest(item: Pass) -> tuple[dt.datetime, dt.datetime]:
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    return (item.updated_at or floor, item.created_at or floor)


def import_annotations(
    files: Sequence[AnnotationFile], documents: Mapping[str, str]
) -> dict[str, pl.DataFrame]:
    """Every file's passes, checked against `documents` (doc_id -> text), as the three tables.

    The same annotation in several files (two exports of one project) counts once (`_once`). When an
    annotator has several different passes over one document (an edit, a later export), the latest
    (updated_at, then created_at, then file order) counts and the others are rejected as superseded.
    """
    found, rejected = _read(files, documents)
    passes = _once(_same_people(found))
    latest: dict[tuple[str | None, str], int] = {}
    for n, (_, item) in enumerate(passes):
        key = (item.doc_id, item.annotator)
        if key not in latest or _latest(item) >= _latest(passes[latest[key]][1]):
            latest[key] = n
    done, rows = [], []
    for n, (source, item) in enumerate(passes):
        if latest[(item.doc_id, item.annotator)] != n:
            newer = passes[latest[(item.doc_id, item.annotator)]]
            where = f"{newer[1].ref} in {newer[0].path}"
            message = (
                f"{item.annotator} annotated document {item.doc_id} again later ({where}); the latest "
                "pass counts"
                if _latest(item) < _latest(newer[1])
                else f"{item.annotator}'s pass over document {item.doc_id} has the same time as {where} "
                "but differs from it; the later file counts: import one export of each annotation"
            )
            rejected.append(refused_row(source, "pass", item.ref, "superseded", message, item))
            continue
        pass_row, annotation_rows, refused_rows = pass_rows(item, source, documents)
        if pass_row is not None:
            done.append(pass_row)
        rows.extend(annotation_rows)
        rejected.extend(refused_rows)
    first_start = pl.col("cue_ranges").list.first().struct.field("start")
    return {
        "annotated_documents": frame("annotated_documents", done).sort("doc_id", "annotator"),
        "claim_annotations": frame("claim_annotations", rows).sort(
            ["doc_id", "annotator", first_start, "annotation_id"]
        ),
        "annotation_rejected": frame("annotation_rejected", rejected),
    }


def wanted_documents(files: Sequence[AnnotationFile]) -> tuple[list[str], list[str]]:
    """The doc_ids the files name (Label Studio task data, brat file stems) and the brat texts: enough
    for a build to pick the annotated documents out of any number of others."""
    ids: set[str] = set()
    texts: set[str] = set()
    for file in files:
        if file.format == brat.FORMAT:
            ids.add(Path(file.path).stem)
            if file.text is not None:
                texts.add(file.text)
            continue
        try:
            tasks = json.loads(file.data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue  # refused with a reason by import_annotations
        for task in tasks if isinstance(tasks, list) else []:
            data = task.get("data") if isinstance(task, Mapping) else None
            if isinstance(data, Mapping) and data.get("doc_id") is not None:
                ids.add(str(data["doc_id"]))
    return sorted(ids), sorted(texts)
