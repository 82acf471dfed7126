"""`newsds annotate ...`: export tasks, import annotations, report agreement, adjudicate (thin, over
`newsds.annotations`)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from newsds.annotations import (
    annotate,
    brat,
    check_policy,
    export_tasks,
    labeling_config,
    read_files,
)
from newsds.annotations.imports import SUFFIXES, AnnotationFile, annotation_paths
from newsds.claims import RULE_ROWS
from newsds.errors import AnnotationError, NewsdsError
from newsds.ids import sha256_hex
from newsds.release import Release, load
from newsds.release.parquet import write_table
from newsds.vocabulary import FIGURES

FORMATS = ("label-studio", "brat")


def _select(rel: Release, docs: Sequence[str], sample: int | None, seed: str) -> pl.DataFrame:
    """The documents to annotate: named ones (doc_id or source_path), else a seeded sample, else all."""
    documents: pl.DataFrame = rel.documents
    if docs:
        chosen = documents.filter(
            pl.col("doc_id").is_in(list(docs)) | pl.col("source_path").is_in(list(docs))
        )
        missing = sorted(set(docs) - set(chosen["doc_id"].to_list()) - set(chosen["source_path"].to_list()))
        if missing:
            raise NewsdsError(
                f"release {rel.version} has no document {', '.join(missing)}; name documents by doc_id or "
                "source_path (see `rel.documents`)"
            )
        return chosen.sort("source_path", "record")
    if sample is not None:
        keys = [sha256_hex(f"{seed}:{d}".encode()) for d in documents["doc_id"].to_list()]
        picked = documents.with_columns(_key=pl.Series(keys)).sort("_key").head(sample).drop("_key")
        return picked.sort("source_path", "record")
    return documents.sort("source_path", "record")


def cmd_export(args: argparse.Namespace) -> int:
    rel = load(args.release, args.root)
    docs = _select(rel, args.docs, args.sample, args.seed)
    claims = rel.claims.filter(pl.col("doc_id").is_in(docs["doc_id"].implode()))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.format == "brat":
        for doc_id, text in docs.select("doc_id", "text").iter_rows():
            found = claims.filter((pl.col("doc_id") == doc_id) & RULE_ROWS)
            (out / f"{doc_id}.txt").write_text(text, encoding="utf-8")
            (out / f"{doc_id}.ann").write_text(brat.export_document(text, found), encoding="utf-8")
        (out / "annotation.conf").write_text(brat.annotation_conf(), encoding="utf-8")
        print(f"wrote {docs.height} documents as brat .txt/.ann pairs and annotation.conf to {out}")
        return 0
    tasks = export_tasks(docs, claims, rel.version)
    (out / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "labeling_config.xml").write_text(labeling_config(), encoding="utf-8")
    predicted = claims.filter(RULE_ROWS & pl.col("cue").is_not_null()).height  # what the tasks show
    print(
        f"wrote {len(tasks)} Label Studio tasks ({predicted} predicted claims) to {out / 'tasks.json'} "
        f"and the labelling interface to {out / 'labeling_config.xml'}; docs/annotation.md says what next"
    )
    return 0


def _files(paths: Sequence[str]) -> list[AnnotationFile]:
    """Files named on the command line: annotation files, or folders to search for them. A file named
    twice (itself and its folder) is read once; a brat file's annotator is the folder that holds it,
    however it was named (`read_files`)."""
    found: list[AnnotationFile] = []
    seen: set[Path] = set()
    for name in paths:
        path = Path(name)
        if path.is_dir():
            picked, root = annotation_paths(path), path
        elif path.is_file():
            picked, root = [path], path.parent
        else:
            raise AnnotationError(
                f"{name} does not exist; name Label Studio exports (.json), brat files (.ann) or folders"
            )
        fresh = [p for p in picked if p.resolve() not in seen]
        seen.update(p.resolve() for p in fresh)
        found.extend(read_files(root, fresh))
    if not found:
        raise AnnotationError(f"no annotation files ({', '.join(SUFFIXES)}) in {', '.join(paths)}")
    return found


def _run(args: argparse.Namespace) -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    rel = load(args.release, args.root)
    return annotate(_files(args.files), rel.documents, rel.sentences, rel.claims, check_policy(args.policy))


def _f(figures: dict[str, Any] | None, name: str) -> str:
    return f"{figures[name]['f']:.3f}" if figures else "  n/a"


def _print_report(report: dict[str, Any]) -> None:
    agreement, scores = report["agreement"], report["rules_vs_gold"]["figures"]
    print(
        f"{report['documents_annotated']} documents, {len(report['annotators'])} annotators, "
        f"{report['annotations']} attributions; refused: {report['rejected'] or 'none'}"
    )
    print(
        f"agreement over {agreement['documents']} documents with 2+ annotators; "
        "the machine claims against the gold:"
    )
    print(f"{'figure':16}{'annotators F1':>15}{'machine F1':>12}")
    for name in FIGURES:
        print(f"{name:16}{_f(agreement['pooled'], name):>15}{_f(scores, name):>12}")
    alpha = agreement["alpha"]
    print(
        "Krippendorff's alpha: "
        + ", ".join(f"{k} {v:.3f}" if v is not None else f"{k} n/a" for k, v in alpha.items())
    )
    print(f"adjudication: {report['adjudication']}")


def cmd_import(args: argparse.Namespace) -> int:
    tables, _ = _run(args)
    rejected = tables["annotation_rejected"]
    print(
        f"imported {tables['annotated_documents'].height} passes (annotator x document), "
        f"{tables['claim_annotations'].height} attributions; {rejected.height} items refused"
    )
    for reason, message in rejected.select("reason", "message").head(args.show).iter_rows():
        print(f"  {reason}: {message}")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for name in ("annotated_documents", "claim_annotations", "annotation_rejected"):
            write_table(tables[name], out / f"{name}.parquet", name)
        print(f"tables written to {out}")
    return 1 if args.strict and rejected.height else 0


def cmd_agreement(args: argparse.Namespace) -> int:
    _, report = _run(args)
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True, default=str))
    else:
        _print_report(report)
    return 0


def cmd_adjudicate(args: argparse.Namespace) -> int:
    tables, report = _run(args)
    write_table(tables["gold_claims"], Path(args.out), "claims")
    print(f"{tables['gold_claims'].height} gold claims ({report['adjudication']}) written to {args.out}")
    return 0
