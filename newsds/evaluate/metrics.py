"""Token-overlap precision/recall/F1 of extracted article text, as the article-extraction-benchmark scores it.

Reimplements the scoring of scrapinghub/article-extraction-benchmark, `evaluate.py`
(`string_shingle_matching`, `_tokenize`, `_ngrams`, `precision_score`, `recall_score`,
`metrics_from_tp_fp_fns`), so that our figures compare with theirs. Their default is 4-gram shingles;
we default to ngram_n=1 (bag of words), the other parameter being kept for comparison with their tables.

Definition, per page:
- tokens are the matches of the regex `\\w+` (Unicode, case kept: "The" and "the" differ);
- shingles are the n-grams of consecutive tokens (a text shorter than n tokens gives one shorter shingle,
  an empty text none), counted as a multiset;
- tp = sum over shingles of min(gold count, predicted count), fp = predicted surplus, fn = gold surplus;
  the three are divided by tp + fp + fn (their normalisation: it does not change a page's scores);
- precision = 1 if fp == fn == 0 (identical, including both empty), 0 if tp == fp == 0 (nothing
  predicted), else tp / (tp + fp); recall symmetrically with fn.
Over pages (macro): precision is the mean over the pages with a non-empty prediction (tp + fp > 0), recall
the mean over the pages with a non-empty gold (tp + fn > 0), and F1 the harmonic mean of those two
means, not the mean of per-page F1s. So an empty prediction costs recall but not precision.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

# `\w+` as in the benchmark: crude but language-agnostic; punctuation is ignored.
_TOKEN = re.compile(r"\w+")


class Counts(NamedTuple):
    """One page's shingle overlap, normalised to sum to 1 (all zero when both texts are empty)."""

    tp: float
    fp: float
    fn: float


def tokenize(text: str | None) -> list[str]:
    """Word tokens as the benchmark counts them (None counts as empty text)."""
    return _TOKEN.findall(text or "")


def shingles(text: str | None, ngram_n: int = 1) -> Counter[tuple[str, ...]]:
    """Multiset of n-grams of consecutive tokens; fewer than n tokens give one shorter shingle."""
    if ngram_n < 1:
        raise ValueError(f"ngram_n must be at least 1, got {ngram_n}")
    tokens = tokenize(text)
    starts = range(max(1, len(tokens) - ngram_n + 1))
    return Counter(gram for i in starts if (gram := tuple(tokens[i : i + ngram_n])))


def overlap(gold: str | None, pred: str | None, ngram_n: int = 1) -> Counts:
    """tp/fp/fn of the predicted shingles against the gold ones, normalised per page."""
    gold_sh, pred_sh = shingles(gold, ngram_n), shingles(pred, ngram_n)
    tp = float(sum((gold_sh & pred_sh).values()))
    fp = float(sum((pred_sh - gold_sh).values()))
    fn = float(sum((gold_sh - pred_sh).values()))
    total = tp + fp + fn
    if total == 0:
        return Counts(0.0, 0.0, 0.0)
    return Counts(tp / total, fp / total, fn / total)


def precision(c: Counts) -> float:
    """Share of predicted shingles that are in the gold; 1 for a perfect match, 0 for nothing predicted."""
    if c.fp == c.fn == 0:
        return 1.0
    if c.tp == c.fp == 0:
        return 0.0
    return c.tp / (c.tp + c.fp)


def recall(c: Counts) -> float:
    """Share of gold shingles that were predicted; 1 for a perfect match, 0 for an empty gold."""
    if c.fp == c.fn == 0:
        return 1.0
    if c.tp == c.fn == 0:
        return 0.0
    return c.tp / (c.tp + c.fn)


def _harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def token_prf(gold: str | None, pred: str | None, ngram_n: int = 1) -> tuple[float, float, float]:
    """One page's (precision, recall, F1); ngram_n=1 is bag of words, 4 the benchmark's default."""
    c = overlap(gold, pred, ngram_n)
    p, r = precision(c), recall(c)
    return p, r, _harmonic(p, r)


def macro_prf(pages: Iterable[Counts]) -> tuple[float, float, float]:
    """(precision, recall, F1) over pages, averaged as the benchmark does (see the module docstring).

    Where the benchmark would crash (no page with a prediction, or no page with a gold text), the
    undefined mean is reported as 0.0 so that a system that extracts nothing still gets a table row.
    """
    pages = list(pages)
    precisions = [precision(c) for c in pages if c.tp + c.fp > 0]
    recalls = [recall(c) for c in pages if c.tp + c.fn > 0]
    p = statistics.fmean(precisions) if precisions else 0.0
    r = statistics.fmean(recalls) if recalls else 0.0
    return p, r, _harmonic(p, r)
