"""Score sentence splitters (newsds, pysbd, blingfire, syntok) on the GUM news gold, and time them.

Why: every claim is anchored to a sentence, so boundaries must be right; and the splitter must keep up
with very large corpora. This puts newsds and the usual libraries side by side, in one run, on the same
input and the same metric.

- Input: every system gets the gold *paragraphs* as separate texts (paragraph breaks are known in the
  gold, and a line break ends a sentence for every system alike), in the same order.
- Metric: a boundary is the start offset of every sentence except the first one of its paragraph (gold
  and predicted starts alike, predicted ones moved past leading whitespace). Precision, recall and F1 are
  micro-averaged over all boundaries.
- Speed: characters of input per second, over all paragraphs, best of `repeats` runs after a warm-up
  call; newsds is timed twice, on its vectorised path (all paragraphs as one Polars column) and with one
  `split_sentences` call per paragraph.

The baselines are benchmark dependencies (the `eval` group), imported only when used.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from newsds.errors import NewsdsError
from newsds.evaluate import common
from newsds.sentences import offsets_table, sentences_table, split_sentences

GOLD_FILE = Path("sentences") / "gum_news.jsonl"

# key -> table name, in table order.
SYSTEMS = {
    "newsds": "newsds",
    "newsds-call": "newsds (per call)",
    "pysbd": "pysbd",
    "blingfire": "blingfire",
    "syntok": "syntok",
}

# A splitter: all paragraph texts in, the sentence start offsets of each paragraph out.
Splitter = Callable[[list[str]], list[list[int]]]


@dataclass(frozen=True)
class GoldDocument:
    """One gold document: its text, paragraph spans and sentence spans (character offsets)."""

    id: str
    text: str
    paragraphs: list[tuple[int, int]]
    sentences: list[tuple[int, int]]


def gold_file(gold_path: str | Path | None) -> Path:
    """The sentence gold JSONL (`gold_path`: the gold folder or the file; None: ../shared/gold)."""
    return common.gold_file(gold_path, GOLD_FILE.as_posix())


def load_gold(gold_path: str | Path | None) -> list[GoldDocument]:
    """The gold documents in file order."""
    docs: list[GoldDocument] = []
    with gold_file(gold_path).open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                docs.append(
                    GoldDocument(
                        str(rec.get("id", number)),
                        rec["text"],
                        [(int(s), int(e)) for s, e in rec["paragraphs"]],
                        [(int(s), int(e)) for s, e in rec["sentences"]],
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise NewsdsError(f"{f.name}, line {number}: not a gold document ({exc!r})") from exc
    return docs


def gold_boundaries(doc: GoldDocument) -> set[int]:
    """Start offsets of the gold sentences that do not open a paragraph."""
    paragraph_starts = {s for s, _ in doc.paragraphs}
    return {s for s, _ in doc.sentences if s not in paragraph_starts}


def predicted_boundaries(paragraph: str, offset: int, starts: Sequence[int]) -> set[int]:
    """Document offsets of a system's sentence starts in one paragraph, all but the first.

    Starts are moved past whitespace; one at or past the end of the text (a trailing blank "sentence")
    and duplicates are dropped.
    """
    moved = set()
    for start in starts:
        while start < len(paragraph) and paragraph[start].isspace():
            start += 1
        if 0 <= start < len(paragraph):
            moved.add(start)
    return {offset + s for s in sorted(moved)[1:]}


def _newsds(paragraphs: list[str]) -> list[list[int]]:
    table = offsets_table(pl.Series(paragraphs, dtype=pl.Utf8))
    out: list[list[int]] = [[] for _ in paragraphs]
    for row, start in table.select("row", "start").iter_rows():
        out[row].append(start)
    return out


def _newsds_call(paragraphs: list[str]) -> list[list[int]]:
    return [[s for s, _ in split_sentences(p)] for p in paragraphs]


def _pysbd() -> Splitter:
    import pysbd  # type: ignore[import-untyped, unused-ignore]

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def split(paragraphs: list[str]) -> list[list[int]]:
        return [[span.start for span in segmenter.segment(p)] for p in paragraphs]

    return split


def _blingfire() -> Splitter:
    import blingfire  # type: ignore[import-untyped, unused-ignore]

    def split(paragraphs: list[str]) -> list[list[int]]:
        # Offsets are character offsets into the input (checked on non-ASCII text).
        return [[s for s, _ in blingfire.text_to_sentences_and_offsets(p)[1]] for p in paragraphs]

    return split


def _syntok() -> Splitter:
    from syntok import segmenter  # type: ignore[import-untyped, unused-ignore]

    def split(paragraphs: list[str]) -> list[list[int]]:
        # A sentence starts at the offset of its first token.
        return [[sentence[0].offset for par in segmenter.analyze(p) for sentence in par] for p in paragraphs]

    return split


def build_splitter(key: str) -> Splitter:
    """The splitter for a system key; raises ImportError when its library is not installed."""
    if key == "newsds":
        return _newsds
    if key == "newsds-call":
        return _newsds_call
    return {"pysbd": _pysbd, "blingfire": _blingfire, "syntok": _syntok}[key]()


def select_systems(systems: Sequence[str] | None) -> list[str]:
    """System keys in table order; each requested one may be given by key or by table name."""
    return common.select_systems(systems, SYSTEMS)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _timed(split: Splitter, texts: list[str], repeats: int) -> tuple[list[list[int]], float]:
    """The splitter's output and its best time over `repeats` runs, after one warm-up call."""
    split(texts[:1])  # imports, model loading and regex compilation are not timed
    best = float("inf")
    result: list[list[int]] = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        result = split(texts)
        best = min(best, time.perf_counter() - start)
    return result, best


def evaluate_sentences(
    gold_path: str | Path | None = None, systems: Sequence[str] | None = None, repeats: int = 3
) -> list[dict[str, Any]]:
    """One result dict per system: system, precision, recall, f1, tp, fp, fn, chars, seconds, chars_per_s.

    A system whose library is not installed gets a row with `skipped` (the reason) and no scores.
    """
    keys = select_systems(systems)
    docs = load_gold(gold_path)
    paragraphs = [
        (doc_index, s, doc.text[s:e]) for doc_index, doc in enumerate(docs) for s, e in doc.paragraphs
    ]
    texts = [p for _, _, p in paragraphs]
    gold = [gold_boundaries(doc) for doc in docs]
    chars = sum(len(t) for t in texts)
    results: list[dict[str, Any]] = []
    for key in keys:
        try:
            split = build_splitter(key)
        except ImportError as exc:
            results.append({"system": SYSTEMS[key], "skipped": f"not installed ({exc.name or exc})"})
            continue
        starts, seconds = _timed(split, texts, repeats) if texts else ([], 0.0)
        predicted: list[set[int]] = [set() for _ in docs]
        for (doc_index, offset, text), paragraph_starts in zip(paragraphs, starts, strict=True):
            predicted[doc_index] |= predicted_boundaries(text, offset, paragraph_starts)
        tp = sum(len(p & g) for p, g in zip(predicted, gold, strict=True))
        fp = sum(len(p - g) for p, g in zip(predicted, gold, strict=True))
        fn = sum(len(g - p) for p, g in zip(predicted, gold, strict=True))
        precision, recall, f1 = _prf(tp, fp, fn)
        results.append(
            {
                "system": SYSTEMS[key],
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "documents": len(docs),
                "paragraphs": len(texts),
                "chars": chars,
                "seconds": seconds,
                "chars_per_s": chars / seconds if seconds > 0 else None,
            }
        )
    return results


def format_table(results: Sequence[dict[str, Any]]) -> str:
    """Plain-text table, columns aligned; skipped systems are listed as notes under it."""
    header = ("system", "P", "R", "F1", "TP", "FP", "FN", "M chars/s")
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    for r in results:
        if "skipped" in r:
            notes.append(f"{r['system']}: skipped, {r['skipped']}")
            continue
        speed = r.get("chars_per_s")
        rows.append(
            (
                str(r["system"]),
                f"{r['precision']:.3f}",
                f"{r['recall']:.3f}",
                f"{r['f1']:.3f}",
                str(r["tp"]),
                str(r["fp"]),
                str(r["fn"]),
                "-" if speed is None else f"{speed / 1e6:.2f}",
            )
        )
    out = common.aligned(header, rows)
    if results and "skipped" not in results[0]:
        first = results[0]
        out.append(
            f"{first['documents']} documents, {first['paragraphs']} paragraphs (each system splits the same "
            f"paragraph texts), {first['chars']:,} characters"
        )
    out += [f"note: {n}" for n in notes]
    return "\n".join(out)


def _rate(work: Callable[[], object], chars: int, repeats: int, min_seconds: float = 0.3) -> float:
    """Characters per second: the median over `repeats` runs, each repeating `work` for `min_seconds`.

    One untimed call first (imports, model loading, regex compilation); short work is repeated so that
    timer resolution and scheduling noise do not decide the figure.
    """
    work()
    rates = []
    for _ in range(max(1, repeats)):
        done, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < min_seconds or done == 0:
            work()
            done += chars
        rates.append(done / elapsed)
    return statistics.median(rates)


def throughput(
    gold_path: str | Path | None = None,
    target_chars: int = 20_000_000,
    repeats: int = 3,
    min_seconds: float = 0.3,
) -> dict[str, Any]:
    """Speed figures (characters per second) of newsds and blingfire on the gold documents' texts.

    - column: the gold texts replicated to about `target_chars` characters, as one Polars column:
      newsds' vectorised segmentation (`offsets_table`) and the full `sentences_table` (kinds, ids,
      texts), against blingfire looping over the same texts;
    - per call: `split_sentences(text)` against blingfire, one call per gold document, and one call per
      gold paragraph (short texts, where fixed per-call costs weigh most).
    Each figure is the median of `repeats` runs of at least `min_seconds`. Ratios are newsds over
    blingfire; blingfire figures are None when it is not installed.
    """
    docs = load_gold(gold_path)
    texts = [doc.text for doc in docs if doc.text]
    if not texts:
        raise NewsdsError("the gold file holds no text to time")
    copies = max(1, round(target_chars / sum(len(t) for t in texts)))
    column = pl.Series(texts * copies, dtype=pl.Utf8)
    column_chars = int(column.str.len_chars().sum())
    frame = pl.DataFrame({"doc_id": [f"{i:016x}" for i in range(len(column))], "text": column})
    paragraphs = [doc.text[s:e] for doc in docs for s, e in doc.paragraphs if e > s]
    doc_chars = sum(len(t) for t in texts)
    paragraph_chars = sum(len(p) for p in paragraphs)

    def per_call(split: Callable[[str], object], items: list[str]) -> Callable[[], None]:
        def work() -> None:
            for item in items:
                split(item)

        return work

    def rate(work: Callable[[], object], chars: int) -> float:
        return _rate(work, chars, repeats, min_seconds)

    out: dict[str, Any] = {
        "column_documents": len(column),
        "column_chars": column_chars,
        "call_documents": len(texts),
        "call_paragraphs": len(paragraphs),
        "newsds_column_chars_per_s": rate(lambda: offsets_table(column), column_chars),
        "newsds_table_chars_per_s": rate(lambda: sentences_table(frame), column_chars),
        "newsds_call_document_chars_per_s": rate(per_call(split_sentences, texts), doc_chars),
        "newsds_call_paragraph_chars_per_s": rate(per_call(split_sentences, paragraphs), paragraph_chars),
    }
    try:
        import blingfire  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        for key in ("column", "call_document", "call_paragraph"):
            out[f"blingfire_{key}_chars_per_s"] = None
        return out
    split_bf = blingfire.text_to_sentences_and_offsets
    out["blingfire_column_chars_per_s"] = rate(per_call(split_bf, column.to_list()), column_chars)
    out["blingfire_call_document_chars_per_s"] = rate(per_call(split_bf, texts), doc_chars)
    out["blingfire_call_paragraph_chars_per_s"] = rate(per_call(split_bf, paragraphs), paragraph_chars)
    for what in ("column", "call_document", "call_paragraph"):
        out[f"{what}_speedup"] = out[f"newsds_{what}_chars_per_s"] / out[f"blingfire_{what}_chars_per_s"]
    out["table_speedup"] = out["newsds_table_chars_per_s"] / out["blingfire_column_chars_per_s"]
    return out


def format_throughput(figures: dict[str, Any]) -> str:
    """The figures of `throughput` as a small table (M chars/s, and newsds over blingfire)."""
    rows = [
        (
            "column: offsets_table",
            "newsds_column_chars_per_s",
            "blingfire_column_chars_per_s",
            "column_speedup",
        ),
        (
            "column: sentences_table",
            "newsds_table_chars_per_s",
            "blingfire_column_chars_per_s",
            "table_speedup",
        ),
        (
            "per call: documents",
            "newsds_call_document_chars_per_s",
            "blingfire_call_document_chars_per_s",
            "call_document_speedup",
        ),
        (
            "per call: paragraphs",
            "newsds_call_paragraph_chars_per_s",
            "blingfire_call_paragraph_chars_per_s",
            "call_paragraph_speedup",
        ),
    ]

    def cell(value: float | None, scale: float = 1e6, digits: int = 1) -> str:
        return "-" if value is None else f"{value / scale:.{digits}f}"

    lines = [f"{'M chars/s':24} {'newsds':>8} {'blingfire':>10} {'ratio':>6}"]
    for label, ours, theirs, ratio in rows:
        lines.append(
            f"{label:24} {cell(figures.get(ours)):>8} {cell(figures.get(theirs)):>10} "
            f"{cell(figures.get(ratio), 1.0):>6}"
        )
    lines.append(
        f"column: {figures['column_documents']} documents, {figures['column_chars']:,} characters; per call: "
        f"{figures['call_documents']} documents, {figures['call_paragraphs']} paragraphs"
    )
    return "\n".join(lines)
