"""The do-it-yourself pipeline (issue 22): what a researcher would glue together instead of newsds.

The bar newsds must beat is not an I/O floor but the script a user would write: trafilatura for web
pages, the raw text of plain-text files and of the JSON records' body field, blingfire for sentences and
a reporting-verb regular expression for claims, written to Parquet, on the same number of processes. It
does none of what newsds adds (dedupe, validation, boilerplate removal in text files, claimant and
content spans, stances, a versioned release): it is the cheapest pipeline that still yields documents,
sentences and claim sentences, so newsds being faster than it is a fair claim.

`python -m newsds.bench.scale measure diy RAW OUT JOBS` times it in a fresh interpreter, like the build.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

# What a user would reach for: the usual English reporting verbs and "according to", as whole words.
REPORTING = re.compile(
    r"\b(?:says?|said|tells?|told|according to|den(?:y|ies|ied)|claim(?:s|ed)?|stat(?:es|ed)|"
    r"announc(?:es|ed)|confirm(?:s|ed)|report(?:s|ed)|add(?:s|ed)|warn(?:s|ed)|insist(?:s|ed))\b",
    re.IGNORECASE,
)
SUFFIXES = (".txt", ".html", ".htm", ".html.gz", ".htm.gz", ".txt.gz", ".jsonl", ".json")


def list_files(raw: Path) -> list[str]:
    """Every file of a known suffix under raw, sorted (a user's os.walk)."""
    found = []
    for folder, dirs, names in os.walk(raw):
        dirs.sort()
        found += [os.path.join(folder, n) for n in sorted(names) if n.endswith(SUFFIXES)]
    return found


def _texts(path: str) -> list[tuple[str, str]]:
    """(title, text) of each document in one file: trafilatura for pages, the body field of records."""
    data = Path(path).read_bytes()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    name = path.removesuffix(".gz")
    if name.endswith((".html", ".htm")):
        import trafilatura

        return [("", trafilatura.extract(data.decode("utf-8", "replace"), include_comments=False) or "")]
    if name.endswith((".jsonl", ".json")):
        records = [json.loads(line) for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
        return [(r.get("title") or "", r.get("maintext") or r.get("text") or "") for r in records]
    return [("", data.decode("utf-8", "replace"))]


def _run_files(job: tuple[list[str], str]) -> tuple[int, int, int]:
    """One worker: its files into three Parquet files (documents, sentences, claim sentences)."""
    import blingfire  # type: ignore[import-untyped, unused-ignore]
    import polars as pl

    paths, prefix = job
    docs: dict[str, list[object]] = {"path": [], "record": [], "title": [], "text": []}
    sents: dict[str, list[object]] = {"doc": [], "start": [], "end": []}
    claims: dict[str, list[object]] = {"doc": [], "sentence": [], "cue": [], "text": []}
    for path in paths:
        for record, (title, text) in enumerate(_texts(path)):
            doc = len(docs["path"])
            for key, value in (("path", path), ("record", record), ("title", title), ("text", text)):
                docs[key].append(value)
            offsets = blingfire.text_to_sentences_and_offsets(text)[1] if text.strip() else []
            for number, (start, end) in enumerate(offsets):
                sents["doc"].append(doc)
                sents["start"].append(start)
                sents["end"].append(end)
                sentence = text[start:end]
                if cue := REPORTING.search(sentence):
                    found: dict[str, object] = {
                        "doc": doc,
                        "sentence": number,
                        "cue": cue[0],
                        "text": sentence,
                    }
                    for column, cell in found.items():
                        claims[column].append(cell)
    for name, table in (("documents", docs), ("sentences", sents), ("claims", claims)):
        pl.DataFrame(table).write_parquet(f"{prefix}-{name}.parquet", compression="zstd")
    return len(docs["path"]), len(sents["doc"]), len(claims["doc"])


def run(raw: Path, out: Path, jobs: int) -> dict[str, int]:
    """The whole pipeline on `jobs` processes (spawned, as newsds' are: polars is not fork-safe), files
    dealt round-robin, one Parquet set per worker."""
    out.mkdir(parents=True, exist_ok=True)
    files = list_files(raw)
    work = [(files[i::jobs], str(out / f"part{i}")) for i in range(jobs)]
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
        counts = list(pool.map(_run_files, work))
    return {
        "files": len(files),
        "documents": sum(c[0] for c in counts),
        "sentences": sum(c[1] for c in counts),
        "claims": sum(c[2] for c in counts),
    }
