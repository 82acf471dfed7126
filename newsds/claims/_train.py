"""Training the claims model from attribution gold: `newsds train claims --gold FILE --out DIR`.

Why here: a research team adapts the model to its own outlets by training on its own adjudicated claims,
with the same code that made the shipped weights. Gold comes as JSONL in the evaluation shape (`text` plus
`attributions`, each role a list of [start, end] ranges: PolNeAR) or as a release folder whose human
(adjudicated) claims are the gold. Training is seeded and deterministic: the gold is read in file order, the
perceptron's shuffles come from a seeded rand(), and the same gold and parameters write byte-identical
weights.
"""

from __future__ import annotations

import ctypes
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pycrfsuite

from newsds.claims._claim import Ranges
from newsds.claims._features import cue_features, role_features, windows
from newsds.claims._model import CUE_FILE, META_FILE, MODEL_NAME, MODEL_RELEASE, ROLE_FILE
from newsds.claims._quotes import QuoteState
from newsds.defaults import ALGORITHMS, DEFAULT_TRAINING
from newsds.errors import NewsdsError
from newsds.ids import file_sha256
from newsds.sentences import split_sentences

# CRFsuite's training algorithms offered: the averaged structured perceptron, and L-BFGS on the CRF
# likelihood (L1 and L2 weights c1, c2). Algorithm and iterations chosen on PolNeAR dev (see the model card).
_WORD = re.compile(r"[a-z]+|[^\sa-z0-9'’]")  # a word, or one mark
# The gate: words inside training cues at least twice and in at least this share of their occurrences.
# Training sees every sentence the wide gate lets through (the cue tagger learns from their negatives); the
# model tags only those of the narrow one, chosen on PolNeAR dev and checked on the bench corpus (the
# model card: a quarter fewer sentences tagged, the same claims).
_GATE_MIN_COUNT, _TRAINING_GATE_SHARE, _TAGGING_GATE_SHARE = 2, 0.02, 0.15


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution as character ranges per role; an empty tuple means the role is absent. The
    evaluation (`newsds.evaluate.claims`) scores predictions in this shape too."""

    cue: Ranges
    source: Ranges
    content: Ranges

    def role(self, name: str) -> Ranges:
        ranges: Ranges = getattr(self, name)
        return ranges


@dataclass(frozen=True)
class GoldText:
    """One gold text with its attributions."""

    id: str
    text: str
    attributions: tuple[GoldAttribution, ...]


def _ranges(value: Any) -> Ranges:
    return tuple((int(a), int(b)) for a, b in value) if value else ()


def read_gold_jsonl(path: Path) -> list[GoldText]:
    """Gold in the evaluation shape: one JSON object a line with `text` and `attributions`."""
    if not path.is_file():
        raise NewsdsError(f"gold file not found: {path}; pass a JSONL file with text and attributions")
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                attributions = tuple(
                    GoldAttribution(
                        _ranges(a.get("cue")), _ranges(a.get("source")), _ranges(a.get("content"))
                    )
                    for a in d.get("attributions") or []
                )
                out.append(GoldText(str(d.get("id", n)), d["text"], attributions))
            except (KeyError, TypeError, ValueError) as exc:
                raise NewsdsError(
                    f"{path}:{n}: not a gold record ({exc}); each line needs text and attributions "
                    "[{cue, source, content: [[start, end], ...]}]"
                ) from exc
    return out


def gold_from_claims(claims: pl.DataFrame, texts: Mapping[str, str]) -> list[GoldText]:
    """Claims rows (the claims table's shape: `*_spans` range lists) as gold, one GoldText a document."""
    missing = sorted(set(claims["doc_id"]) - set(texts))
    if missing:
        raise NewsdsError(
            f"{len(missing)} gold documents are not in the release given for their texts (e.g. "
            f"{missing[0]}); pass the release the annotations were made on (--release VERSION)"
        )
    by_doc: dict[str, list[GoldAttribution]] = {}
    for doc_id, *roles in (
        claims.sort("doc_id", "claim_id")
        .select("doc_id", "cue_spans", "claimant_spans", "content_spans")
        .iter_rows()
    ):
        cue, source, content = (tuple((r["start"], r["end"]) for r in spans) for spans in roles)
        by_doc.setdefault(doc_id, []).append(GoldAttribution(cue, source, content))
    return [GoldText(doc, texts[doc], tuple(attrs)) for doc, attrs in sorted(by_doc.items())]


def cue_shares(docs: Sequence[GoldText]) -> dict[str, float]:
    """Each word (or mark) inside gold cues at least twice: the share of its occurrences that are in a cue."""
    in_cues: Counter[str] = Counter()
    everywhere: Counter[str] = Counter()
    for doc in docs:
        everywhere.update(_WORD.findall(doc.text.lower()))
        for a in doc.attributions:
            for s, e in a.cue:
                in_cues.update(_WORD.findall(doc.text[s:e].lower()))
    return {w: n / max(everywhere[w], 1) for w, n in in_cues.items() if n >= _GATE_MIN_COUNT}


def cue_gate(shares: Mapping[str, float], min_share: float) -> list[str]:
    """Words and marks that open a sentence to the taggers: those of `cue_shares` in a cue at least
    `min_share` of the time. A sentence with none of them (nor a lexicon word) is skipped."""
    return sorted(w for w, share in shares.items() if share >= min_share)


def _overlaps(s: int, e: int, ranges: Ranges) -> bool:
    return any(a < e and s < b for a, b in ranges)


def _bio(inside: Sequence[bool], label: str) -> list[str]:
    out, prev = [], False
    for flag in inside:
        out.append((f"I-{label}" if prev else f"B-{label}") if flag else "O")
        prev = flag
    return out


def sequences(
    docs: Iterable[GoldText], gate: frozenset[str]
) -> Iterator[tuple[str, list[list[str]], list[str]]]:
    """("cue" | "role", features, labels) for every window of the gold texts, in text order."""
    for doc in docs:
        text = doc.text
        for win in windows(text, split_sentences(text), QuoteState(text), gate):
            t = win.tokens
            lo = t.start[t.first] if t.first < t.n else len(text)
            hi = t.end[-1] if t.n else lo
            mine = [a for a in doc.attributions if a.cue and lo <= a.cue[0][0] < hi]
            cue_ranges = tuple(r for a in mine for r in a.cue)
            cue_inside = [_overlaps(t.start[x], t.end[x], cue_ranges) for x in range(t.first, t.n)]
            yield "cue", cue_features(win), [tag.split("-")[0] for tag in _bio(cue_inside, "X")]
            for a in mine:
                tokens = [x for x in range(t.first, t.n) if _overlaps(t.start[x], t.end[x], a.cue)]
                if not tokens:
                    continue
                cue = (tokens[0], tokens[-1] + 1)
                source = _bio([_overlaps(t.start[x], t.end[x], a.source) for x in range(t.n)], "S")
                content = _bio([_overlaps(t.start[x], t.end[x], a.content) for x in range(t.n)], "C")
                labels = [
                    "O" if cue[0] <= x < cue[1] else (s if s != "O" else c)
                    for x, (s, c) in enumerate(zip(source, content, strict=True))
                ]
                yield "role", role_features(win, cue), labels


SEED = 0  # the averaged perceptron visits the sequences in an order drawn from the C library's rand()


def _seed(seed: int) -> None:
    """Seed the C library's rand(), which CRFsuite's perceptron shuffles the data with: the same gold and
    parameters then give byte-identical weights. (L-BFGS draws nothing.)"""
    ctypes.CDLL(None).srand(seed)


def train(
    gold: Sequence[GoldText], out: Path, params: dict[str, Any] | None = None, source: str = ""
) -> dict[str, Any]:
    """Train both taggers on `gold` and write the model folder `out` (weights and model.json)."""
    if not any(doc.attributions for doc in gold):
        raise NewsdsError("the gold has no attributions to learn from; check the file's `attributions`")
    params = {**DEFAULT_TRAINING, **(params or {})}
    shares = cue_shares(gold)
    training_gate = frozenset(cue_gate(shares, _TRAINING_GATE_SHARE))
    algorithm = str(params.get("algorithm", "lbfgs"))
    if algorithm not in ALGORITHMS:
        raise NewsdsError(f"unknown training algorithm {algorithm!r}; choose one of: {', '.join(ALGORITHMS)}")
    settings = {k: v for k, v in params.items() if k != "algorithm"}
    if algorithm != "lbfgs":
        settings = {k: v for k, v in settings.items() if k not in ("c1", "c2")}  # L-BFGS's regularisers
    trainers = {kind: pycrfsuite.Trainer(algorithm, verbose=False) for kind in ("cue", "role")}
    counts: Counter[str] = Counter()
    for kind, features, labels in sequences(gold, training_gate):
        trainers[kind].append(pycrfsuite.ItemSequence(features), labels)
        counts[kind] += 1
    out.mkdir(parents=True, exist_ok=True)
    for kind, name in (("cue", CUE_FILE), ("role", ROLE_FILE)):
        trainers[kind].set_params({**settings, "feature.possible_transitions": True})
        _seed(SEED)
        trainers[kind].train(str(out / name))
    meta = {
        "name": MODEL_NAME,
        "version": MODEL_RELEASE,
        "algorithm": f"crfsuite {algorithm} (python-crfsuite)",
        "params": params,
        "training": {
            "source": source,
            "documents": len(gold),
            "attributions": sum(len(d.attributions) for d in gold),
            "cue_sequences": counts["cue"],
            "role_sequences": counts["role"],
        },
        "gate": cue_gate(shares, _TAGGING_GATE_SHARE),
        "gate_rule": {
            "min_count": _GATE_MIN_COUNT,
            "training_share": _TRAINING_GATE_SHARE,
            "tagging_share": _TAGGING_GATE_SHARE,
        },
        "weights": {name: file_sha256(out / name)[0] for name in (CUE_FILE, ROLE_FILE)},
    }
    (out / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return meta
