"""Score the claims extractor against PolNeAR attribution gold (`attribution/polnear_{train,dev}.jsonl`).

Why: the issue sets targets per role on PolNeAR dev; this module is the one definition of those figures.

Matching. Per document, every predicted claim (a row of `extract_claims(text)`) is paired with at most
one gold attribution and vice versa: all pairs whose cues overlap are ranked by the number of shared cue
characters (ties by document order) and taken greedily, one-to-one.

Figures, micro-averaged over the corpus:
- detected F1: a prediction is a true positive when it is matched (its cue overlaps a gold cue);
- exact F1 per role (cue, source = claimant, content): a predicted span is a true positive when its
  attribution is matched and it equals the gold role exactly. A gold role may be discontinuous (several
  ranges); one predicted span equals it only if the gold has a single range with the same offsets.
  Precision counts the predictions that have the role (a null claimant is no prediction), recall the
  gold attributions that have it (a null gold source is nothing to find);
- token F1 per role: tokens are the whitespace-separated pieces of the text (`\\S+`, with character
  offsets); a span covers a token when they share a character. Within a matched pair, covered tokens
  common to both are true positives, the rest false positives/negatives; unmatched predictions and gold
  attributions contribute all their tokens as false positives/negatives.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from newsds.annotations.scoring import Attribution, Scores, claim_attributions, score_document
from newsds.claims import DEFAULT_EXTRACTOR, GoldText, extract_claims, read_gold_jsonl
from newsds.errors import NewsdsError
from newsds.evaluate.common import DEFAULT_GOLD, GoldNotFoundError
from newsds.sentences import split_sentences

GoldDoc = GoldText


def load_gold(path: Path) -> list[GoldDoc]:
    """Read a PolNeAR JSONL file (fields id, text, attributions[{cue, source, content}])."""
    if not path.is_file():
        raise GoldNotFoundError(f"gold file not found: {path} (pass --gold PATH)")
    return read_gold_jsonl(path)


def human_gold(release: Path) -> list[GoldDoc]:
    """A release's human gold as GoldDocs: its annotations adjudicated again under the release's policy,
    so discontinuous spans keep every range (the claims table holds one span per role)."""
    from newsds.annotations.adjudicate import adjudicate
    from newsds.defaults import DEFAULT_POLICY
    from newsds.release import load

    rel = load(release.name, release.parent)
    annotated = rel.annotated_documents
    if annotated.is_empty():
        raise GoldNotFoundError(
            f"release {rel.version} has no human annotations (annotated_documents is empty)"
        )
    texts = dict(rel.documents.select("doc_id", "text").iter_rows())
    policy = rel.manifest.get("parameters", {}).get("annotation_policy", DEFAULT_POLICY)
    result = adjudicate(rel.claim_annotations, annotated, texts, rel.sentences, policy)
    return [
        GoldDoc(doc, texts[doc], tuple(result.exact.get(doc, [])))
        for doc in sorted(set(annotated["doc_id"].to_list()))
    ]


def predict(text: str, extractor: str = DEFAULT_EXTRACTOR) -> list[Attribution]:
    """An extractor's claims of one text as attributions: "model", "rules", a model folder, or the
    "said-regex" baseline."""
    if extractor == SAID_REGEX:
        return said_regex(text)
    return claim_attributions(extract_claims(text, extractor=extractor))


# --- The said-regex baseline: what a researcher writes in ten minutes ------------------------------
SAID_REGEX = "said-regex"
_SAID = re.compile(r"\b(?:said|says|say|told|according to)\b")
_SPEAKER = re.compile(r"(?:[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*|[Hh]e|[Ss]he|[Tt]hey)")


def said_regex(text: str) -> list[Attribution]:
    """Per sentence: the first "said"/"says"/"told"/"according to" is the cue; the capitalised words (or
    pronoun) right before it, else right after it, the source; the rest of the sentence on the other side,
    without its final punctuation, the content."""
    out = []
    for s, e in split_sentences(text):
        m = _SAID.search(text, s, e)
        if not m:
            continue
        before = list(_SPEAKER.finditer(text, s, m.start()))
        near = before[-1] if before and not text[before[-1].end() : m.start()].strip() else None
        after = _SPEAKER.match(text, m.end() + 1, e) if near is None else None
        source = near or after
        if near is not None or m.group() == "according to":
            content = (m.end() + 1, e) if near is not None else (s, m.start())
        else:
            content = (s, m.start())
        cs, ce = content
        while ce > cs and not text[ce - 1].isalnum() and text[ce - 1] not in "\"”'":
            ce -= 1
        while cs < ce and text[cs] in " ,":
            cs += 1
        if ce <= cs:
            continue
        out.append(
            Attribution(
                ((m.start(), m.end()),), ((source.start(), source.end()),) if source else (), ((cs, ce),)
            )
        )
    return out


def evaluate(docs: Iterable[GoldDoc], extractor: str = DEFAULT_EXTRACTOR) -> Scores:
    """Run an extractor on every gold text and tally all figures."""
    scores = Scores()
    for doc in docs:
        score_document(doc.text, predict(doc.text, extractor), doc.attributions, scores)
    return scores


def throughput(
    texts: Sequence[str], repeats: int = 5, extractors: Sequence[str] = (DEFAULT_EXTRACTOR,)
) -> dict[str, float]:
    """Sentences per second of `extract_claims` on one core per extractor, given each text's sentence spans
    (as the build passes them, so the splitter's own speed is not counted); the median of `repeats` runs,
    the extractors alternating within each repeat so that both see the same machine."""
    spans = [split_sentences(t) for t in texts]
    total = sum(len(s) for s in spans)
    for name in extractors:  # warm up: the model's weights load once per process
        extract_claims(texts[0] if texts else "", extractor=name)
    rates: dict[str, list[float]] = {name: [] for name in extractors}
    for _ in range(repeats):
        for name in extractors:
            start = time.perf_counter()
            for text, sents in zip(texts, spans, strict=True):
                extract_claims(text, sents, extractor=name)
            rates[name].append(total / max(time.perf_counter() - start, 1e-9))
    return {name: statistics.median(r) for name, r in rates.items()}


def side_by_side(results: dict[str, Scores]) -> str:
    """One table of P/R/F1 per figure, a column group per extractor."""
    names = list(results)
    head = f"{'figure':<15}" + "".join(f"{n:>24}" for n in names)
    sub = f"{'':<15}" + "".join(f"{'P':>8}{'R':>8}{'F1':>8}" for _ in names)
    lines = [head, sub]
    figures = {n: r.as_dict() for n, r in results.items()}
    for fig in figures[names[0]]:
        lines.append(f"{fig:<15}" + "".join("".join(f"{v:8.3f}" for v in figures[n][fig]) for n in names))
    first = results[names[0]]
    lines.append(f"({first.documents} documents, {first.detected.tp + first.detected.fn} gold attributions)")
    return "\n".join(lines)


def main_claims(argv: list[str]) -> int:
    """`python -m newsds.evaluate claims [--gold PATH] [--split dev,train] [--extractors ...] [--json]
    [--speed]`."""
    parser = argparse.ArgumentParser(prog="python -m newsds.evaluate claims", description=__doc__)
    parser.add_argument("--gold", metavar="PATH", type=Path, default=DEFAULT_GOLD, help="gold folder")
    parser.add_argument(
        "--split", default="dev,train", help="PolNeAR splits, comma-separated (default: dev,train)"
    )
    parser.add_argument(
        "--extractors",
        default=f"model,rules,{SAID_REGEX}",
        help=f"comma-separated: model, rules, {SAID_REGEX} or a model folder (default: all three)",
    )
    parser.add_argument("--limit", type=int, default=None, help="score only the first N documents a split")
    parser.add_argument("--json", action="store_true", help="print P/R/F1 as JSON")
    parser.add_argument("--speed", action="store_true", help="also measure throughput (sentences/s)")
    parser.add_argument(
        "--human",
        metavar="RELEASE",
        type=Path,
        default=None,
        help="score against a release's adjudicated human annotations (a release folder) instead of PolNeAR",
    )
    args = parser.parse_args(argv)
    extractors = [e.strip() for e in args.extractors.split(",") if e.strip()]
    splits = [s.strip() for s in args.split.split(",") if s.strip()]
    unknown = [s for s in splits if s not in ("train", "dev")]
    if unknown:
        print(f"error: unknown split {', '.join(unknown)}; choose from train, dev", file=sys.stderr)
        return 2
    try:
        if args.human is not None:
            sets = {"human": human_gold(args.human)}
        else:
            sets = {s: load_gold(args.gold / "attribution" / f"polnear_{s}.jsonl") for s in splits}
    except (GoldNotFoundError, NewsdsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result: dict[str, Any] = {}
    for split, docs in sets.items():
        docs = docs[: args.limit] if args.limit else docs
        scores = {name: evaluate(docs, name) for name in extractors}
        result[split] = {
            name: {k: dict(zip("prf", v, strict=True)) for k, v in sc.as_dict().items()}
            for name, sc in scores.items()
        }
        if not args.json:
            print(f"PolNeAR {split}" if split != "human" else f"human gold of {args.human}")
            print(side_by_side(scores) + "\n")
    if args.speed:
        docs = next(iter(sets.values()))
        machine = [e for e in extractors if e != SAID_REGEX]
        result["sentences_per_second"] = throughput([d.text for d in docs], extractors=machine)
        if not args.json:
            print(
                "throughput, one core, median of 5 (sentences/s): "
                + ", ".join(f"{n} {r:,.0f}" for n, r in result["sentences_per_second"].items())
            )
    if args.json:
        print(json.dumps(result, indent=2))
    return 0
