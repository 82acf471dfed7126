"""The learned extractor: two linear-chain taggers (python-crfsuite) over the rules' features.

Why linear-chain taggers: an attribution's roles are runs of tokens whose edges depend on their neighbours
(an auxiliary joins the cue, a comma ends the claimant), which CRFsuite learns from gold in a few minutes of
CPU (as an averaged structured perceptron: it scored above L-BFGS on PolNeAR dev) and tags in C,
deterministically, from weights shipped inside the package.
The cue tagger finds the cues of a sentence; the role tagger, once per cue, its claimant and content. The
content then follows a quotation into the next sentences as the rules do (`_extract`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import pycrfsuite

from newsds.claims._claim import Claim, Ranges, claim_kind, encodable
from newsds.claims._extract import continuation, quote_close, quote_open
from newsds.claims._features import Window, cue_features, role_features, windows
from newsds.claims._quotes import QuoteState
from newsds.claims._rules import QUOTES, Tokens
from newsds.errors import NewsdsError
from newsds.lexicon import NOMINAL, VERBS

MODEL_DIR = Path(str(resources.files("newsds.claims") / "model"))
MODEL_NAME, MODEL_RELEASE = "newsds-model", "1.1.0"  # bump the release with every change of the weights
MODEL_VERSION = f"{MODEL_NAME}/{MODEL_RELEASE}"  # the annotator of the shipped model's rows
CUE_FILE, ROLE_FILE, META_FILE = "cue.crfsuite", "role.crfsuite", "model.json"
_NEGATIONS = frozenset({"not", "never", "n't", "cannot"})


@dataclass(frozen=True)
class Model:
    """A trained model: its two taggers' files and its metadata (name, version, gate words, training)."""

    folder: Path
    meta: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.meta['name']}/{self.meta['version']}"

    @cached_property
    def gate(self) -> frozenset[str]:
        return frozenset(self.meta["gate"])

    def taggers(self) -> tuple[pycrfsuite.Tagger, pycrfsuite.Tagger]:
        cue, role = pycrfsuite.Tagger(), pycrfsuite.Tagger()
        cue.open(str(self.folder / CUE_FILE))
        role.open(str(self.folder / ROLE_FILE))
        return cue, role


def read_model(folder: Path) -> Model:
    """A model folder as written by `newsds train claims`."""
    meta_path = folder / META_FILE
    missing = [f for f in (CUE_FILE, ROLE_FILE, META_FILE) if not (folder / f).is_file()]
    if missing:
        raise NewsdsError(
            f"{folder} is not a claims model folder (missing {', '.join(missing)}); "
            "train one with `newsds train claims --gold FILE --out DIR`, or use the shipped model"
        )
    return Model(folder, json.loads(meta_path.read_text(encoding="utf-8")))


@cache
def _loaded(folder: Path) -> tuple[Model, pycrfsuite.Tagger, pycrfsuite.Tagger]:
    model = read_model(folder)
    return (model, *model.taggers())


def shipped_model() -> Model:
    return _loaded(MODEL_DIR)[0]


def _runs(tags: Sequence[str], label: str) -> list[tuple[int, int]]:
    """Token ranges [a, b) of the B-/I- runs of one label ("" for the cue tagger's plain B/I)."""
    b_tag, i_tag = (f"B-{label}", f"I-{label}") if label else ("B", "I")
    runs: list[tuple[int, int]] = []
    for x, tag in enumerate(tags):
        if tag == b_tag or (tag == i_tag and not (runs and runs[-1][1] == x)):
            runs.append((x, x + 1))
        elif tag == i_tag:
            runs[-1] = (runs[-1][0], x + 1)
    return runs


def _stance(win: Window, cue: tuple[int, int]) -> str:
    """The rule draft's stance when the rules found the same cue (they know negation); else the lexicon's
    class of the cue's words, negated by a 'not' in the cue."""
    draft = next((d for d in win.drafts if d.cue[0] < cue[1] and cue[0] < d.cue[1]), None)
    if draft is not None:
        return draft.stance
    words = win.tokens.low[cue[0] : cue[1]]
    stance = next((s for w in reversed(words) if (s := VERBS.get(w) or NOMINAL.get(w))), "assert")
    return "assert" if stance == "deny" and not _NEGATIONS.isdisjoint(words) else stance


def _content(text: str, ranges: Ranges, after: int, sentence_end: int) -> Ranges:
    """A quotation left open at the content's end (or closed at its start) runs on into the next (or
    previous) sentences, and one closed before the cue goes on in a quotation opening the next sentence,
    as the rules' contents do. `after`: where the cue and claimant end."""
    out = list(ranges)
    ks, ke = out[-1]
    if ks >= after:
        out[-1] = (ks, quote_close(text, ks, ke))
    ks, ke = out[0]
    if ke <= after:
        out[0] = (quote_open(text, ks, ke), ke)
        if len(out) == 1 and (more := continuation(text, sentence_end, after, *out[0])) is not None:
            out.append(more)
    return tuple(out)


def _worded(t: Tokens, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs that hold a word: a lone comma or quotation mark tagged as a claimant is none. (Edges stay as
    tagged: PolNeAR's claimants keep an appositive's comma, "Tony Sherbon, the CEO,".)"""
    return [(a, b) for a, b in runs if any(t.alnum[a:b])]


def _plausible(
    win: Window, cue: tuple[int, int], claimant: list[tuple[int, int]], content: list[tuple[int, int]]
) -> bool:
    """General checks that a tagged claim is an attribution at all:
    - its content holds two words or more, or opens with a quotation mark ("showed otherwise", "announcing
      that": a pro-form or a bare complementiser says nothing);
    - a content on both sides of the cue has a claimant ("Strong winds are expected to keep …": no one
      says it; "'We will,' she said, 'and soon'" has one)."""
    t = win.tokens
    first = content[0][0]
    words = sum(t.alnum[x] for a, b in content for x in range(a, b))
    if words < 2 and t.word[first] not in QUOTES:
        return False
    both_sides = content[0][1] <= cue[0] and content[-1][0] >= cue[1]
    return not (both_sides and not claimant)


def _chars(win: Window, runs: list[tuple[int, int]]) -> Ranges:
    t = win.tokens
    return tuple((t.start[a], t.end[b - 1]) for a, b in runs)


def model_claims(
    text: str, sentences: Sequence[tuple[int, int]], quotes: QuoteState, folder: Path = MODEL_DIR
) -> list[Claim]:
    """All attributions the model finds in one text."""
    model, cue_tagger, role_tagger = _loaded(folder)
    found: list[Claim] = []
    storable = encodable(text)
    for win in windows(text, sentences, quotes, model.gate):
        t = win.tokens
        if not storable and not encodable(text[t.start[0] : t.end[-1]] if t.n else ""):
            continue  # a lone surrogate: crfsuite cannot take it, and no claim of it could be stored
        runs = _runs(cue_tagger.tag(cue_features(win)), "")
        cues = [(a + t.first, b + t.first) for a, b in runs]
        for cue in cues:
            if win.inside[cue[0]]:  # a report nested inside a quotation is not the speaker's attribution
                continue
            tags = role_tagger.tag(role_features(win, cue))
            content_runs, claimant_runs = _runs(tags, "C"), _worded(t, _runs(tags, "S"))[:1]
            if not content_runs or not _plausible(win, cue, claimant_runs, content_runs):
                continue
            cue_chars = (t.start[cue[0]], t.end[cue[1] - 1])
            claimant = _chars(win, claimant_runs)
            after = max(cue_chars[1], claimant[0][1] if claimant else 0)
            content = _content(text, _chars(win, content_runs), after, win.end)
            cue_text = " ".join(t.low[cue[0] : cue[1]])
            kind = claim_kind(text[content[0][0] : content[-1][1]], cue_text.startswith("according"))
            found.append(
                Claim(win.index, (cue_chars,), claimant, content, _stance(win, cue), kind, model.name)
            )
    return found
