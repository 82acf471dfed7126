"""Matching and scoring attributions against gold, the one definition that agreement between annotators,
the release's scores of its extractor against human gold, and `newsds.evaluate` all use.

Matching: per document, every predicted attribution is paired with at most one gold attribution and vice
versa, greedily by shared cue characters. Figures: detected F1, exact and token F1 per role (cue, source,
content); `newsds.evaluate.claims` documents them in full.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from newsds.claims import GoldAttribution

ROLES = ("cue", "source", "content")
_WS_TOKEN = re.compile(r"\S+")

Ranges = tuple[tuple[int, int], ...]
Attribution = GoldAttribution  # one attribution, predicted or gold: ranges per role (cue, source, content)


@dataclass
class _Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def f1(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Scores:
    """Tallies of one evaluation; `table()` formats them, `as_dict()` gives P/R/F1 per figure."""

    detected: _Tally = field(default_factory=_Tally)
    exact: dict[str, _Tally] = field(default_factory=lambda: {r: _Tally() for r in ROLES})
    token: dict[str, _Tally] = field(default_factory=lambda: {r: _Tally() for r in ROLES})
    documents: int = 0

    def as_dict(self) -> dict[str, tuple[float, float, float]]:
        out = {"detected": self.detected.f1()}
        for r in ROLES:
            out[f"{r}_exact"], out[f"{r}_token"] = self.exact[r].f1(), self.token[r].f1()
        return out

    def table(self) -> str:
        lines = [f"{'figure':<18}{'P':>7}{'R':>7}{'F1':>7}"]
        for name, (p, r, f) in self.as_dict().items():
            lines.append(f"{name:<18}{p:7.3f}{r:7.3f}{f:7.3f}")
        lines.append(f"({self.documents} documents, {self.detected.tp + self.detected.fn} gold attributions)")
        return "\n".join(lines)


def _overlap(a: Ranges, b: Ranges) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def match(pred: Sequence[Attribution], gold: Sequence[Attribution]) -> list[tuple[int, int]]:
    """One-to-one (pred index, gold index) pairs, greedily by shared cue characters."""
    pairs = sorted(
        (
            (-ov, i, j)
            for i, p in enumerate(pred)
            for j, g in enumerate(gold)
            if (ov := _overlap(p.cue, g.cue))
        ),
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return sorted(out)


def _tokens(spans: Ranges, tokens: Sequence[tuple[int, int]]) -> set[int]:
    """Indexes of the whitespace tokens that share a character with any of the ranges."""
    return {k for k, (ts, te) in enumerate(tokens) if any(s < te and ts < e for s, e in spans)}


def score_document(
    text: str, pred: Sequence[Attribution], gold: Sequence[Attribution], scores: Scores
) -> None:
    """Add one document's tallies to `scores`."""
    pairs = match(pred, gold)
    scores.documents += 1
    scores.detected.tp += len(pairs)
    scores.detected.fp += len(pred) - len(pairs)
    scores.detected.fn += len(gold) - len(pairs)
    tokens = [(m.start(), m.end()) for m in _WS_TOKEN.finditer(text)]
    matched_p, matched_g = {i for i, _ in pairs}, {j for _, j in pairs}
    triples: list[tuple[Attribution | None, Attribution | None]] = [(pred[i], gold[j]) for i, j in pairs]
    triples += [(p, None) for i, p in enumerate(pred) if i not in matched_p]
    triples += [(None, g) for j, g in enumerate(gold) if j not in matched_g]
    for role in ROLES:
        exact, tok = scores.exact[role], scores.token[role]
        for p, g in triples:
            ps, gs = (p.role(role) if p else ()), (g.role(role) if g else ())
            hit = bool(ps) and ps == gs
            exact.tp += hit
            exact.fp += bool(ps) and not hit
            exact.fn += bool(gs) and not hit
            pt, gt = _tokens(ps, tokens), _tokens(gs, tokens)
            tok.tp += len(pt & gt)
            tok.fp += len(pt - gt)
            tok.fn += len(gt - pt)


def claim_attributions(claims: pl.DataFrame) -> list[Attribution]:
    """Rows of a claims table as attributions, every range of every role (a floating quotation, which has
    no cue, cannot be matched by cue and counts as a false positive)."""
    return [
        Attribution(*(tuple((r["start"], r["end"]) for r in spans) for spans in row))
        for row in claims.select("cue_spans", "claimant_spans", "content_spans").iter_rows()
    ]
