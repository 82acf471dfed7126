"""What the learned model sees: one sentence's tokens, the rules' drafts for it, and feature strings.

Why a module of its own: training (`_train`) and tagging (`_model`) must compute the very same features,
so both call these functions. The model has two taggers, both linear-chain CRFs over the word tokens of one
sentence:
- the cue tagger labels every token B / I / O of a cue;
- the role tagger runs once per cue and labels the tokens of the cue's window (its sentence, and the
  sentence before when that one is a quotation the cue closes: '"Why?" Clinton asked.') as the claimant
  (B-S, I-S), the content (B-C, I-C) or neither (O).
The rules' output is a feature of both: their cue tokens, and the claimant and content of the rule draft
that shares the cue. The lexicon (stance class of each reporting word) and the quotation state are too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsds.claims._drafts import sentence_drafts
from newsds.claims._extract import sentence_tokens
from newsds.claims._quotes import QuoteState
from newsds.claims._rules import Draft, Tokens
from newsds.lexicon import NOMINAL, TRIGGERS, VERBS

_QUOTE_MARKS = frozenset({"“", "”", '"', "''"})
_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "X" * 26 + "x" * 26 + "d" * 10
)
_LETTERS = re.compile(r"[a-z]+")
_MAX_WINDOW = 200  # tokens a window may hold: a run-on "sentence" is tagged in its first 200 tokens


def _shape(word: str) -> str:
    """Xxxx -> Xx, 1,000 -> d,d: the word's character classes with repeats collapsed."""
    out: list[str] = []
    for ch in word[:8].translate(_SHAPE):
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@dataclass(slots=True)
class Window:
    """One sentence ready for tagging: tokens (`first` is where the sentence proper starts), the rules'
    drafts, and each token's lexical features, computed once and shared by both taggers."""

    index: int  # the sentence's index in the text
    end: int  # where the sentence ends in the text
    tokens: Tokens
    drafts: list[Draft]
    lexical: list[list[str]]
    inside: list[bool]  # token inside a quotation opened earlier in its paragraph


@lru_cache(maxsize=8)
def _marks(gate: frozenset[str]) -> tuple[str, ...]:
    """The gate's marks (not words), sorted; once per model, not once per text."""
    return tuple(sorted(g for g in gate if not g.isalpha()))


def windows(
    text: str, sentences: Sequence[tuple[int, int]], quotes: QuoteState, gate: frozenset[str]
) -> Iterator[Window]:
    """The sentences of a text that may hold a cue: a word of `gate` (the cue words of the training gold),
    a reporting word of the lexicon, or a mark of `gate` (a colon, a dash before a speaker's name)."""
    marks = _marks(gate)
    previous = (0, 0)
    for index, (s, e) in enumerate(sentences):
        s, e = max(0, int(s)), min(len(text), int(e))
        sentence = text[s:e]
        lowered = set(_LETTERS.findall(sentence.lower()))
        if (
            gate.isdisjoint(lowered)
            and TRIGGERS.isdisjoint(lowered)
            and not any(m in sentence for m in marks)
        ):
            previous = (s, e)
            continue
        t = sentence_tokens(text, previous, s, e)
        if t.n > _MAX_WINDOW:
            first = min(t.first, _MAX_WINDOW)
            t = Tokens(t.start[:_MAX_WINDOW], t.end[:_MAX_WINDOW], t.word[:_MAX_WINDOW], t.low[:_MAX_WINDOW])
            t.first = first
        drafts = [d for d in sentence_drafts(t) if t.start[d.cue[0]] >= s]
        inside = quotes.inside_each(t.start)
        yield Window(index, e, t, drafts, _lexical(t), inside)
        previous = (s, e)


@lru_cache(maxsize=1 << 17)
def _word(word: str, w: str) -> tuple[str, ...]:
    """What a token's own text says (`w` is its lowered form): the word, its suffix, its shape and its
    lexicon class. Cached: a corpus repeats its words, and these strings are most of the features' cost."""
    stance = VERBS.get(w) or NOMINAL.get(w)
    own = (f"w={w}", f"s3={w[-3:]}", f"sh={_shape(word)}")
    return (*own, f"lex={stance}") if stance else own


def _lexical(t: Tokens) -> list[list[str]]:
    """Per token: the word, its suffix and shape, its neighbours and the lexicon's class."""
    low, n = t.low, t.n
    out = []
    for x in range(n):
        w = low[x]
        prev = low[x - 1] if x else "<s>"
        nxt = low[x + 1] if x + 1 < n else "</s>"
        out.append([*_word(t.word[x], w), f"p={prev}", f"n={nxt}", f"pw={prev}|{w}", f"wn={w}|{nxt}"])
    return out


def cue_features(win: Window) -> list[list[str]]:
    """The cue tagger's features for the tokens of the sentence proper (from `tokens.first`)."""
    t, first = win.tokens, win.tokens.first
    rule = ["O"] * t.n
    for d in win.drafts:
        i, j = d.cue
        rule[i] = "B"
        for x in range(i + 1, j):
            rule[x] = "I"
    # Where the nearest capitalised word (a name) and the nearest quotation mark are, on either side.
    body = t.body_end()
    quoted = [x for x in range(first, t.n) if t.word[x] in _QUOTE_MARKS]
    out = []
    for x in range(first, t.n):
        w = t.low[x]
        f = [*win.lexical[x], f"r={rule[x]}", f"rw={rule[x]}|{w}"]
        if win.inside[x]:
            f.append("q")
        if x == first:
            f.append("first")
        if x == body - 1:
            f.append("last")  # '…," he said.'
        if x + 2 < t.n:
            f.append(f"n2={t.low[x + 2]}")
            f.append(f"wn2={w}|{t.low[x + 2]}")
        if x - 2 >= first:
            f.append(f"p2={t.low[x - 2]}")
        if quoted:
            f.append(f"qa={int(quoted[0] < x)}{int(quoted[-1] > x)}|{w}")  # quotation marks before|after
        f.append(f"pos={_bucket(x - first)}|{_bucket(body - x)}")
        out.append(f)
    return out


_BUCKETS = ("0", "1", "2", "3", "4-6", "4-6", "4-6", *["7-12"] * 6)


def _bucket(d: int) -> str:
    """A distance in tokens as a coarse class: itself up to 3 (a token in the final punctuation is at a
    negative distance from the body's end), then 4-6, 7-12, 13+."""
    if 0 <= d <= 12:
        return _BUCKETS[d]
    return str(d) if d < 0 else "13+"


def role_features(win: Window, cue: tuple[int, int]) -> list[list[str]]:
    """The role tagger's features for every token of the window, relative to one cue (token range)."""
    t = win.tokens
    i, j = cue
    head = t.low[j - 1]
    draft = next((d for d in win.drafts if d.cue[0] < j and i < d.cue[1]), None)
    source = (-1, -1)
    content = (-1, -1)
    if draft is not None:
        content = draft.content if not draft.below else content
        if draft.claimant:
            cs, ce = draft.claimant
            inside = [x for x in range(t.n) if cs <= t.start[x] < ce]
            source = (inside[0], inside[-1] + 1) if inside else source
    # Commas and quotation marks between each token and the cue.
    marks_left = [0] * t.n
    count = 0
    for x in range(i - 1, -1, -1):
        marks_left[x] = count
        if t.word[x] in ",;:—–" or t.word[x] in "“”\"''":
            count += 1
    marks_right = [0] * t.n
    count = 0
    for x in range(j, t.n):
        marks_right[x] = count
        if t.word[x] in ",;:—–" or t.word[x] in "“”\"''":
            count += 1
    out = []
    for x in range(t.n):
        if x < i:
            side, dist, marks = "L", i - x, marks_left[x]
        elif x >= j:
            side, dist, marks = "R", x - j + 1, marks_right[x]
        else:
            side, dist, marks = "C", 0, 0
        f = [
            *win.lexical[x],
            f"side={side}",
            f"d={side}{_bucket(dist)}",
            f"m={side}{min(marks, 3)}",
            f"hd={head}|{side}",
            f"hw={head}|{side}|{t.low[x]}",
        ]
        if source[0] <= x < source[1]:
            f.append("rs")
        if content[0] <= x < content[1]:
            f.append("rk")
        if win.inside[x] != win.inside[i]:
            f.append("qd")
        if x < t.first:
            f.append("prev")
        out.append(f)
    return out
