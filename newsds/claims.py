"""Attributed claims: who (claimant) says (cue) what (content), with a stance and a kind.

Deterministic rules over the word tokens of one sentence at a time: a lexicon of reporting verbs, a
few multi-word cues ("according to", "calling it …", "cast doubt on") and nominal cues that take a
that-clause ("Russia's claims that …"). The claimant is the noun phrase next to the cue, the content
the clause it introduces (or the clause before it: "…, the official said"). Every span is cut at
token boundaries, so it slices back to its text and carries no outer whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from newsds.claim_lexicon import NOMINAL as _NOMINAL
from newsds.claim_lexicon import NP_STOP as _NP_STOP
from newsds.claim_lexicon import PHRASES as _PHRASES
from newsds.claim_lexicon import STANCES as STANCES
from newsds.claim_lexicon import TRIGGERS as _TRIGGERS
from newsds.claim_lexicon import VERBS as _VERBS
from newsds.claim_lexicon import W as _W
from newsds.ids import child_id
from newsds.sentences import split_sentences

RULESET_VERSION = "newsds-rules/0.3.0"
KINDS = ("direct", "indirect", "mixed", "according_to")

CLAIM_COLUMNS: dict[str, pl.DataType] = {
    "sent_index": pl.Int32(),
    "cue": pl.Utf8(),
    "cue_start": pl.Int64(),
    "cue_end": pl.Int64(),
    "claimant": pl.Utf8(),
    "claimant_start": pl.Int64(),
    "claimant_end": pl.Int64(),
    "content": pl.Utf8(),
    "content_start": pl.Int64(),
    "content_end": pl.Int64(),
    "stance": pl.Utf8(),
    "kind": pl.Utf8(),
    "annotator": pl.Utf8(),
    "claimant_resolved": pl.Utf8(),  # a pronoun claimant's antecedent: the nearest compatible name before
    "claimant_group": pl.Utf8(),  # one id per claimant in a text ("Sergey Lavrov", "Lavrov", "he")
}
CLAIMS_SCHEMA: dict[str, pl.DataType] = {
    "claim_id": pl.Utf8(),
    "doc_id": pl.Utf8(),
    "sent_id": pl.Utf8(),
    **{name: dtype for name, dtype in CLAIM_COLUMNS.items() if name != "sent_index"},
}

_LEAD_PUNCT, _TRAIL_PUNCT = frozenset(",;:—–-…)]"), frozenset(",;:—–-….!?([")
_OPEN_QUOTES, _CLOSE_QUOTES, _STRAIGHT = frozenset("“„«"), frozenset("”»"), frozenset({'"', "''"})
_QUOTES = _OPEN_QUOTES | _CLOSE_QUOTES | _STRAIGHT
# A title before a name ("Mr."), an initialism ("U.S."), a grouped number, a word with inner -'’. , '' or one
# punctuation mark.
_TOKEN = re.compile(
    r"[A-Z][a-z]{0,3}\.(?=\s+[A-Z])|(?:[A-Za-z]\.){2,}|\d{1,3}(?:,\d{3})+|\w+(?:[-'’.]\w+)*|''|\S"
)
_QUOTED_END = re.compile(r"[.?!,][\"”']+$")
_MAX_NP = 12
_MAX_QUOTE = 1500  # characters a quotation may run on past its cue's sentence


def _negation(w: str) -> bool:
    """A negation between claimant and cue ("did not deny") turns a denial into no denial."""
    return w in ("not", "never", "cannot") or w.endswith("n't")


def _adjectival(w: str) -> bool:
    return w in _W["adjectives"] or w.endswith(
        ("ed", "al", "ous", "ive", "ful", "less", "ic", "est", "ary", "ing")
    )


def _possessive(w: str) -> bool:
    return w.endswith("'s") and len(w) > 2


def _bare(w: str) -> bool:
    """An uninflected form ("express"), which cannot share a finite verb's subject ("said … and express")."""
    third_person = w.endswith("s") and not w.endswith("ss")
    return not (third_person or w.endswith(("ed", "ing")) or w in ("said", "told", "wrote", "written"))


@dataclass
class _Tokens:
    """One sentence as tokens with absolute character offsets, and the token tests the rules share."""

    start: list[int]
    end: list[int]
    word: list[str]
    low: list[str]  # lowercased, except all-caps names ("WHO", "IS") that must not read as function words
    cues: set[int] = field(default_factory=set)
    first: int = 0  # first token of the sentence proper (earlier ones belong to a split-off quotation)

    @classmethod
    def of(cls, text: str, start: int, end: int) -> _Tokens:
        matches = list(_TOKEN.finditer(text, start, end))
        words = [m.group() for m in matches]
        low = [w if len(w) > 1 and w.isupper() else w.lower().replace("’", "'") for w in words]
        return cls([m.start() for m in matches], [m.end() for m in matches], words, low)

    @property
    def n(self) -> int:
        return len(self.word)

    def is_word(self, x: int) -> bool:
        return 0 <= x < self.n and self.word[x][0].isalnum()

    def words_in(self, a: int, b: int) -> int:
        return sum(1 for x in range(a, b) if self.is_word(x))

    def skippable(self, x: int) -> bool:
        """Auxiliaries, negation and adverbs that may sit between a claimant and its cue."""
        w = self.low[x]
        if w in _W["aux"] or w in _W["adverbs"] or _negation(w):
            return True
        return self.word[x].islower() and w.endswith("ly") and len(w) > 3 and w not in _W["ly_nouns"]

    def ing(self, x: int) -> bool:
        w = self.word[x] if 0 <= x < self.n else ""
        return w.islower() and len(w) > 4 and w.endswith("ing") and w not in _W["things"]

    def verb_like(self, x: int) -> bool:
        """A verb, not a modifier: "-ed", or "-ing" with an object ("citing the CIA"), after a word."""
        w = self.word[x]
        if not w.islower() or len(w) <= 4 or not self.is_word(x - 1) or self.low[x - 1] in _W["det"]:
            return False
        if (w.endswith("ed") and not w.endswith("eed")) or w in _W["participles"]:
            return True
        nxt = self.word[x + 1] if self.ing(x) and x + 1 < self.n else " "
        return nxt[0].isupper() or nxt[0].isdigit() or nxt in _QUOTES or nxt.lower() in _W["det"]

    def close_quote(self, x: int) -> bool:
        w = self.word[x]
        return w in _CLOSE_QUOTES or (w in _STRAIGHT and x > 0 and self.end[x - 1] == self.start[x])

    def open_quote(self, x: int) -> bool:
        return 0 <= x < self.n and (
            self.word[x] in _OPEN_QUOTES or (self.word[x] in _STRAIGHT and not self.close_quote(x))
        )

    def in_quote(self, x: int) -> bool:
        """Whether token x sits inside a quotation opened earlier in the sentence."""
        inside = False
        for y in range(x):
            inside = self.open_quote(y) if self.word[y] in _QUOTES else inside
        return inside

    def body_end(self) -> int:
        """Token index where the sentence's final punctuation (outside quotes) begins."""
        n = self.n
        while n > 0 and self.word[n - 1] in ".!?…;:":
            n -= 1
        return n

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Character span of tokens [a, b), without a final possessive "'s"."""
        return self.start[a], self.end[b - 1] - (2 if _possessive(self.low[b - 1]) else 0)


@dataclass(frozen=True)
class _Cue:
    i: int  # token range [i, j)
    j: int
    stance: str
    role: str  # verb, noun, according, calling


@dataclass
class _Draft:
    cue: tuple[int, int]  # token range
    claimant: tuple[int, int] | None  # character span
    content: tuple[int, int]  # token range
    stance: str
    according: bool = False
    edge: int | None = None  # coordinator token left of this claim: an earlier content ends there


# --- Noun phrases ---------------------------------------------------------------------------------
def _np_prep(t: _Tokens, x: int) -> bool:
    """A preposition inside a name: "Tokayev of Kazakhstan", "Ambassador to the United States"."""
    if t.low[x] != "to":
        return t.low[x] in _W["np_prep"]
    nxt = t.word[x + 2] if x + 2 < t.n and t.low[x + 1] == "the" else t.word[x + 1] if x + 1 < t.n else ""
    return x > 0 and t.word[x - 1][0].isupper() and nxt[:1].isupper()


def _stops_np(t: _Tokens, x: int) -> bool:
    """Token x cannot be part of a claimant: punctuation, a cue, a verb or a clause word."""
    if not t.is_word(x) or x in t.cues or t.skippable(x) or t.verb_like(x):
        return True
    return t.low[x] in _NP_STOP and not _np_prep(t, x)


def _np_back(t: _Tokens, k: int) -> int | None:
    """Start of the noun phrase that ends before token k (k when there is none, None when too long)."""
    x = k - 1 if k > 0 and t.low[k - 1] not in _W["prep"] else -2  # no noun phrase ends in "for"
    while x >= 0 and not _stops_np(t, x):
        if k - x > _MAX_NP:
            return None
        if t.low[x] in _W["pronouns"]:  # a pronoun is a whole noun phrase: "the programs she proposed"
            return x if x == k - 1 else x + 1
        if t.low[x] in _W["det"] and not (x > 0 and _np_prep(t, x - 1)):
            return x
        x -= 1
    a = x + 1 if x > -2 else k
    while a < k and _np_prep(t, a):
        a += 1
    return a


def _np_forward(t: _Tokens, x: int) -> int:
    """End of the noun phrase starting at token x (x when there is none)."""
    y = x
    while y < t.n and y - x < _MAX_NP:
        inner = y > x and t.low[y] in _W["det"] | _W["subjects"] and not _np_prep(t, y - 1)
        if inner or (_stops_np(t, y) and not (y == x and t.low[y] in _W["det"])):
            break
        y += 1
    while y > x and _np_prep(t, y - 1):
        y -= 1
    return y


def _np_ok(t: _Tokens, a: int | None, b: int) -> bool:
    """A noun phrase needs a content word, unless it is a lone pronoun ("according to her", "Many say")."""
    return a is not None and any(
        t.is_word(x) and (t.low[x] not in _W["det"] or b - a == 1) for x in range(a, b)
    )


def _appositive_after(t: _Tokens, b: int, limit: int) -> int | None:
    """End of ", APPOSITIVE" after a name ending at b ("Lavrov, Russia's Foreign Minister,")."""
    if b >= limit or t.word[b] != ",":
        return None
    y, first = _np_forward(t, b + 1), (t.word[b + 1] if b + 1 < t.n else " ")
    descriptive = first[0].isupper() or first[0].isdigit() or first.lower() in _W["det"]
    return y if descriptive and 0 < y - b - 1 <= 7 and (y >= limit or t.word[y] == ",") else None


def _comma_before(t: _Tokens, x: int) -> int | None:
    """The comma opening a short comma-delimited phrase that ends at token x (itself a comma)."""
    for y in range(x - 1, max(-1, x - 13), -1):
        if t.word[y] == ",":
            return y if y < x - 1 else None
        if not t.is_word(y) or y in t.cues or t.low[y] in _W["aux"]:
            return None
    return None


# --- Cue detection --------------------------------------------------------------------------------
def _looks_nominal(t: _Tokens, i: int, after: int) -> bool:
    """An ambiguous form ("claims", "doubts") is a noun unless a subject or an auxiliary precedes it."""
    if i > 0 and t.low[i - 1] == "," and t.ing(i):  # ", saying …"
        return False
    if i == 0 or (after < t.n and t.low[after] in _W["noun_followers"]) or t.ing(after):
        return True
    prev = t.low[i - 1]
    if prev in _W["subjects"] or t.skippable(i - 1) or t.word[i - 1][0].isupper():
        return False
    if _adjectival(prev):
        return True
    if i >= 2 and t.low[i - 2] in _W["det"]:  # "the government claims"
        return False
    return not (prev.endswith("s") and not prev.endswith("ss"))  # "authorities claim"


def _skip_back(t: _Tokens, i: int) -> int:
    """First token of the auxiliaries/adverbs before token i ("has vehemently", ", however,", "(D-Mo.)")."""
    x = i
    while x > 0:
        if t.skippable(x - 1):
            x -= 1
        elif t.word[x - 1] == ")" and "(" in t.word[max(0, x - 9) : x - 1]:
            x = max(y for y in range(max(0, x - 9), x - 1) if t.word[y] == "(")
        elif x >= 3 and t.word[x - 1] == t.word[x - 3] == "," and t.low[x - 2] in _W["parenthetical"]:
            x -= 3
        else:
            break
    return x


def _cue_from(t: _Tokens, k: int, i: int) -> int:
    """Where a verb cue starts: PolNeAR's convention takes in the auxiliaries and adverbs right before
    the verb ("has said", "also denied", "has vehemently refuted"), but not a parenthetical or a comma."""
    x = i
    while x > k and t.skippable(x - 1) and t.word[x - 1][0].isalpha():
        x -= 1
    return x


def _verbal(t: _Tokens, i: int, after: int) -> bool:
    """Token i is used as a finite verb or participle, not as a noun, adjective or infinitive."""
    w, prev = t.low[i], (t.low[i - 1] if i > 0 else "")
    if not t.word[i].islower() or prev in _W["det"] or _possessive(prev) or prev[:1].isdigit():
        return False
    if prev in _W["prep"] and not (w.endswith("ing") and prev in _W["gerund_prep"]):  # "by saying that …"
        return False
    k = _skip_back(t, i)
    if (k > 0 and t.low[k - 1] == "to") or (prev == "as" and w.endswith("ed")):  # "to express", "as promised"
        return False
    return not (w in _W["ambiguous"] and _looks_nominal(t, i, after))


def _cue_at(t: _Tokens, i: int) -> _Cue | None:
    """The cue starting at token i: multi-word phrases win over "calling it …", verbs and nouns."""
    w = t.low[i]
    for parts, stance, role in _PHRASES:
        if i + len(parts) <= t.n and all(t.low[i + k] in part for k, part in enumerate(parts)):
            ok = role != "verb" or _verbal(t, i, i + len(parts))
            return _Cue(i, i + len(parts), stance, role) if ok else None
    if w in _W["call"] and t.word[i].islower() and i + 2 < t.n:
        obj, label = t.low[i + 1], t.low[i + 2]  # 'calling it "a lie"', 'called the charges fabricated'
        labelled = label in ("a", "an", "the") or _adjectival(label) or t.open_quote(i + 2)
        if obj in _W["call_objects"] and labelled:
            return _Cue(i, i + 2, "assert", "calling")
        if obj == "the" and label in _W["call_nouns"]:
            return _Cue(i, i + 3, "assert", "calling")
        y = _np_forward(t, i + 1)  # 'called Clinton a "champion"', not 'calling out X for "lies"'
        if i + 1 < y < t.n and (t.open_quote(y) or t.low[y] in ("a", "an")):
            return _Cue(i, i + 1, "assert", "calling")
    if w in _VERBS and _verbal(t, i, i + 1):
        return _Cue(i, i + 1, _VERBS[w], "verb")
    if w in _NOMINAL and i + 2 < t.n and t.low[i + 1] == "that":  # a that-clause, not "claims that were made"
        nxt = t.low[i + 2]
        verb = nxt in _W["aux"] or nxt in _VERBS or (t.word[i + 2].islower() and nxt.endswith("ed"))
        return None if verb or _negation(nxt) else _Cue(i, i + 1, _NOMINAL[w], "noun")
    return None


def _find_cues(t: _Tokens) -> list[_Cue]:
    """Cues left to right; "countered, calling it" merges into one cue, so the pair is one claim."""
    cues: list[_Cue] = []
    i = 0
    low = t.low
    while i < t.n:
        if low[i] not in _TRIGGERS:
            i += 1
            continue
        cue = _cue_at(t, i)
        if cue is None:
            i += 1
            continue
        prev = cues[-1] if cues and cues[-1].role == "verb" else None
        if cue.role == "calling" and prev and prev.j + 1 == cue.i and t.word[prev.j] == ",":
            cues[-1] = _Cue(prev.i, cue.j, prev.stance, "calling")  # "countered, calling it"
        else:
            cues.append(cue)
        i = cue.j
    t.cues = {x for c in cues for x in range(c.i, c.j)}
    return cues


# --- Claimants ------------------------------------------------------------------------------------
def _subject(t: _Tokens) -> tuple[int, int] | None:
    """The sentence's opening proper-name subject ("Kyiv didn't hold back, expressing …")."""
    x = 1 if t.open_quote(0) else 0
    b = _np_forward(t, x)
    if b == x or b >= t.n or not t.word[x][0].isupper() or t.low[x] in _NP_STOP:
        return None
    if t.skippable(b) or b in t.cues or (t.word[b].islower() and t.low[b].endswith("ed")):
        return t.span(x, b)
    return None


def _claimant_back(t: _Tokens, k: int) -> tuple[tuple[int, int] | None, int]:
    """The claimant ending before token k, and the index of the token where it stopped."""
    if k >= 2 and t.word[k - 1] == ",":  # "Astana, the capital of Kazakhstan, has refuted"
        rel = next((y for y in range(k - 3, max(0, k - 16), -1) if t.word[y] == ","), 0)
        if rel and t.low[rel + 1] in (
            "who",
            "which",
        ):  # "Officials, who spoke on condition of anonymity, said"
            return _claimant_back(t, rel)
        p = _comma_before(t, k - 1)
        if p is not None and (t.low[p + 1] in _W["parenthetical"] or t.low[p + 1] in _W["prep"] - {"of"}):
            return _claimant_back(t, p)  # "Smith, in remarks to reporters, said"
        for _ in range(3):  # "Cres Eastman, Director of …, and Chairman of …, says"
            h = _np_back(t, p) if p is not None else None
            if p is None or h is None:
                break
            if _np_ok(t, h, p) and t.word[h][0].isupper() and p - h <= 6:
                return t.span(h, k - 1), h - 1
            p = _comma_before(t, p)
        return None, k - 1
    a = _np_back(t, k)
    if a is None:
        return None, -1
    if _np_ok(t, a, k):
        return t.span(a, k), a - 1
    stop = a - 1
    if stop >= 1 and t.low[stop] in _W["relative"]:  # "Devocht, who had told Montalvo"
        x = stop - 1 if t.word[stop - 1] == "," else stop
        a2 = _np_back(t, x)
        if _np_ok(t, a2, x) and a2 is not None:
            return t.span(a2, x), -1
    return None, stop


# --- Contents -------------------------------------------------------------------------------------
def _content_start(t: _Tokens, x: int, n: int, tell: bool) -> int:
    """Skip what stands between a cue and its clause: "told reporters that", "said on Monday that"."""
    while x < n and t.word[x] in _LEAD_PUNCT:
        x += 1
    adjunct = x < n and t.low[x] in _W["prep"] - {"to"}
    for y in range(x, min(x + 8, n)):
        if t.low[y] == "that" or (adjunct and (t.open_quote(y) or t.word[y] == ":")):
            return y
        if (not t.is_word(y) and t.word[y] != ",") or t.low[y] in _W["aux"] | _W["boundary"] or y in t.cues:
            break
    if tell and x < n:  # the listener: "told Montalvo he would …", "told GB News: …"
        y = _np_forward(t, x)
        if x < y < n and t.low[y] not in _W["prep"] and t.low[y] != "not":
            while y < n and t.word[y] in ",:":
                y += 1
            return y
    return x


def _content_after(t: _Tokens, j: int, stance: str, clause: bool = False) -> tuple[int, int] | None:
    """The clause after a cue; a deny/doubt verb's object ends at a comma or "but" ("denied X, citing …")."""
    n = t.body_end()
    x = _content_start(t, j, n, j > 0 and t.low[j - 1] in _W["tell"])
    if x >= n or t.low[x] in _W["bad_start"]:
        return None
    plain = not clause and t.low[x] not in ("that", "whether", "if", "to") and not t.open_quote(x)
    quoted, inside = t.in_quote(j), False  # a cue inside a quotation: its content ends with the quotation
    for y in range(x, n):
        w = t.word[y]
        if w in _QUOTES:
            if quoted and not inside and t.close_quote(y):
                return x, y
            inside = t.open_quote(y)
        elif not inside and w in (",", ";"):
            according = t.low[min(y + 1, n - 1)] == "according"  # "…, according to X"
            if w == ";" or according or (plain and (stance != "assert" or t.ing(y + 1))):
                return x, y
        elif not inside and plain and stance != "assert" and t.low[y] in ("but", "while", "whereas"):
            return x, y
    return x, n


def _calling_content(t: _Tokens, j: int) -> tuple[int, int] | None:
    """What something is called: the quotation when it opens with one, else up to the next comma."""
    n = t.body_end()
    if t.open_quote(j):
        for y in range(j + 1, t.n):
            if t.word[y] in _QUOTES and t.close_quote(y):
                return j, y + 1
    end = next((y for y in range(j, n) if t.word[y] in ",;"), n)
    return (j, end) if end > j else None


def _content_before(t: _Tokens, stop: int) -> tuple[int, int] | None:
    """The clause before "…, the official said": from the sentence start through token `stop`."""
    a = 0 if stop < t.first else t.first  # reach into a quotation split off as the previous sentence
    first, words = (a + 1 if t.open_quote(a) else a), t.words_in(a, stop)
    quote = any(t.word[x] in _QUOTES for x in range(a, stop))
    if words < 2 or (t.low[first] in _W["prep"] | _W["parenthetical"] and not quote and words <= 6):
        return None  # "In a statement, the ministry said"
    return a, stop + 1 if t.close_quote(stop) else stop


def _adjunct_only(t: _Tokens, j: int, cue_word: str) -> bool:
    """Nothing but an adjunct follows the cue up to the next comma ("said on Monday", "told reporters")."""
    n = t.body_end()
    end = next((y for y in range(j, n) if t.word[y] in ",;"), n)
    if end == j:
        return not t.open_quote(j + 1)
    if t.open_quote(j) or any(t.low[y] == "that" for y in range(j, end)):
        return False
    return t.low[j] in _W["adjunct"] or (cue_word in _W["tell"] and end - j <= 4)


def _after_quote_or_comma(t: _Tokens, stop: int) -> bool:
    """Token `stop` ends a clause: a comma, or a quotation closed after , ! or ? ('…,’” he said')."""
    x = stop
    while x > 0 and t.word[x] in _QUOTES | {"’", "'"} and t.end[x - 1] == t.start[x]:
        x -= 1
    return t.word[stop] == "," or (x < stop and t.word[x] in ",!?")


# --- Drafts per cue role --------------------------------------------------------------------------
def _inverted(t: _Tokens, cue: _Cue, stance: str) -> _Draft | None:
    """'"CONTENT," said CLAIMANT' and 'CONTENT, says CLAIMANT.'"""
    i, j, n = cue.i, cue.j, t.body_end()
    if t.low[i] not in _W["invertible"] or cue.role != "verb" or i < 2 or not _after_quote_or_comma(t, i - 1):
        return None
    b, first = _np_forward(t, j), t.word[j] if j < t.n else " "
    named = first[0].isupper() or first.lower() in _W["det"]  # "said Mr. Smith", "said the official"
    if not named or not _np_ok(t, j, b):
        return None
    if b < n and t.word[b] != "," and t.low[b] not in _W["adjunct"] | {"to"}:
        return None
    content = _content_before(t, i - 1)
    return _Draft((i, j), t.span(j, _appositive_after(t, b, n) or b), content, stance) if content else None


def _passive(t: _Tokens, cue: _Cue, k: int, stance: str) -> _Draft | None:
    """'it was alleged that …' (no claimant), 'X was rejected by Y'; not 'X was denied visas'."""
    j, claimant, that_only = cue.j, None, t.low[cue.i] in _W["that_only"]
    if j < t.n and t.low[j] == "by":
        b = _np_forward(t, j + 1)
        if _np_ok(t, j + 1, b):
            claimant, j = t.span(j + 1, b), b
    content = None
    if j < t.n and (t.low[j] == "that" or (t.low[j] == "to" and not that_only)):
        content = _content_after(t, j, stance)
    elif claimant or (not that_only and not t.is_word(j)):  # the subject is the content
        a = k
        while a > 0 and t.is_word(a - 1) and t.low[a - 1] not in _W["boundary"]:
            a -= 1
        ok = _np_ok(t, a, k) and not (k - a == 1 and t.low[a] in _W["subjects"] | _W["call_objects"])
        content = (a, k) if ok else None
    return _Draft((cue.i, cue.j), claimant, content, stance) if content else None


def _verb_draft(t: _Tokens, cue: _Cue, previous: _Draft | None) -> _Draft | None:
    """A verb cue, in the first order that fits: passive, inverted, "…, X said", then X-cue-content."""
    i, j, w = cue.i, cue.j, t.low[cue.i]
    k, stance = _skip_back(t, i), cue.stance
    if any(_negation(t.low[x]) for x in range(k, i)):  # "did not deny": no denial is reported
        if stance == "assert":
            return None
        stance = "assert"
    participle = w.endswith("ed") or w in ("said", "told", "written")
    be = any(t.low[x] in _W["be"] for x in range(k, i)) or (k > 0 and t.low[k - 1] in _W["be_contracted"])
    if participle and cue.role == "verb" and be:
        return _passive(t, cue, k, stance)
    if participle and j < t.n and t.low[j] == "by":  # "a book written by X": a modifier, not a report
        return None
    inverted = _inverted(t, cue, stance)
    if inverted:
        return inverted
    claimant, stop = _claimant_back(t, k)
    edge = stop if stop >= 0 and t.low[stop] in _W["coord"] else None
    gerund = w.endswith("ing") and stop >= 0 and t.low[stop] in _W["prep"]
    if claimant is None and (edge is not None or gerund):  # "…, and emphasized", ", saying", "by saying"
        if previous and _bare(w) == _bare(t.low[previous.cue[0]]):
            claimant = previous.claimant
        elif _bare(w):  # "wanted to meet … and express": an infinitive, not a report
            return None
        else:
            claimant = _subject(t)
    after_content = stop >= 0 and not w.endswith("ing") and _after_quote_or_comma(t, stop)  # "…, X said"
    before = _content_before(t, stop) if after_content and _adjunct_only(t, j, w) else None
    start = _cue_from(t, k, i)
    if cue.role == "verb" and claimant and before:
        return _Draft((start, j), claimant, before, stance)
    if cue.role == "calling":
        content = _calling_content(t, j)
        stance = "deny" if content and any(t.low[x] in _W["deny_words"] for x in range(*content)) else stance
    else:
        content = _content_after(t, j, stance)
        if content and w in _W["that_only"] and t.low[content[0]] != "that" and not t.open_quote(content[0]):
            return None
    return _Draft((start, j), claimant, content, stance, edge=edge) if content else None


def _according_draft(t: _Tokens, cue: _Cue) -> _Draft | None:
    """'According to CLAIMANT, CONTENT' or 'CONTENT, according to CLAIMANT'."""
    i, j, n = cue.i, cue.j, t.body_end()
    b = _np_forward(t, j)
    if not _np_ok(t, j, b):
        return None
    apo = _appositive_after(t, b, n) if any(t.word[x][0].isupper() for x in range(j, b)) else None
    if apo and _appositive_after(t, apo, n):  # "According to the Herald, Prof. X, the chair, said …"
        apo = None
    front = t.words_in(0, i) <= 3 or t.low[i - 1] == "that"
    comma = next((y for y in range(b, min(b + 9, n)) if not t.is_word(y)), None)
    if front and not apo and b < n and t.verb_like(b) and comma and t.word[comma] == ",":
        apo = comma  # "According to a posting made a day ago, …": the modifier belongs to the source
    rest = _content_after(t, apo or b, "assert", clause=True)
    if front and rest and t.words_in(*rest) >= 2:
        return _Draft((i, j), t.span(j, apo or b), rest, cue.stance, according=True)
    before = _content_before(t, i - 1) if i >= 1 else None
    end = apo if apo and apo >= n else b
    return _Draft((i, j), t.span(j, end), before, cue.stance, according=True) if before else None


def _noun_draft(t: _Tokens, cue: _Cue) -> _Draft | None:
    """'Russia's claims that …': the possessor, if any, is the claimant."""
    claimant = None
    for x in (cue.i - 1, cue.i - 2):
        if x >= 0 and (_possessive(t.low[x]) or t.low[x] in ("his", "her", "their", "its", "our")):
            a = _np_back(t, x + 1)
            claimant = t.span(a, x + 1) if a is not None and _np_ok(t, a, x + 1) else None
            break
    content = _content_after(t, cue.j, cue.stance)
    return _Draft((cue.i, cue.j), claimant, content, cue.stance) if content else None


def _sentence_drafts(t: _Tokens) -> list[_Draft]:
    """Claims of one sentence; a coordinated cue inherits the claimant of the one before it."""
    drafts: list[_Draft] = []
    for cue in _find_cues(t):
        if cue.role == "according":
            draft = _according_draft(t, cue)
        elif cue.role == "noun":
            draft = _noun_draft(t, cue)
        else:
            draft = _verb_draft(t, cue, next((d for d in reversed(drafts) if d.claimant), None))
        drafts.extend([draft] if draft else [])
    for d in drafts:  # PolNeAR's cue takes the colon that introduces its content ("said:")
        i, j = d.cue
        if j < t.n and t.word[j] == ":" and d.content[0] > j:
            d.cue = (i, j + 1)
    for d in drafts:  # a later coordinated claim ends an earlier content: "…, while X noted …"
        for e in drafts:
            if e.edge is not None and d.cue[1] <= e.edge and d.content[0] <= e.edge < d.content[1]:
                d.content = (d.content[0], e.edge)
    return drafts


# --- Output ---------------------------------------------------------------------------------------
def _kind(content: str, according: bool) -> str:
    """Direct: one quotation and nothing else; mixed: quoted and unquoted words."""
    if according:
        return "according_to"
    quotes = sum(content.count(q) for q in '"“”„«»') + content.count("''")
    edges = content.startswith(tuple(_QUOTES)) + content.endswith(tuple(_QUOTES))
    if (quotes == 2 and edges == 2) or (quotes == 1 and edges == 1):
        return "direct"
    return "mixed" if quotes else "indirect"


def _quote_close(text: str, ks: int, ke: int) -> int:
    """A quotation left open at the sentence end runs on to its closing mark in a later sentence."""
    content = text[ks:ke]
    if content.count("“") > content.count("”"):
        close, reopen = text.find("”", ke, ke + _MAX_QUOTE), text.find("“", ke, ke + _MAX_QUOTE)
    elif content.startswith('"') and content.count('"') % 2:
        close, reopen = text.find('"', ke, ke + _MAX_QUOTE), -1
    else:
        return ke
    return close + 1 if close >= 0 and (reopen < 0 or reopen > close) else ke


def _row(text: str, t: _Tokens, index: int, d: _Draft) -> tuple[object, ...] | None:
    """One output row; the content loses outer punctuation and dangling quote marks."""
    a, b = d.content
    while a < b and (
        t.word[a] in _LEAD_PUNCT or (t.word[a] in _QUOTES and not t.open_quote(a) and b - a > 1)
    ):
        a += 1
    while b > a and (t.word[b - 1] in _TRAIL_PUNCT or (t.word[b - 1] in _QUOTES and t.open_quote(b - 1))):
        b -= 1
    if b <= a:
        return None
    cs, ce, ks, ke = t.start[d.cue[0]], t.end[d.cue[1] - 1], t.start[a], t.end[b - 1]
    ke = _quote_close(text, ks, ke) if ks > ce else ke
    claimant = (text[d.claimant[0] : d.claimant[1]], *d.claimant) if d.claimant else (None, None, None)
    content = text[ks:ke]
    row = (index, text[cs:ce], cs, ce, *claimant, content, ks, ke, d.stance, _kind(content, d.according))
    try:  # lone surrogates cannot be stored as UTF-8: such a row is dropped rather than raising
        "".join(v for v in row if isinstance(v, str)).encode("utf-8")
    except UnicodeEncodeError:
        return None
    return (*row, RULESET_VERSION)


def extract_claims(text: str, sentences: Sequence[tuple[int, int]] | None = None) -> pl.DataFrame:
    """All attributions in one text; `sentences` defaults to split_sentences(text)."""
    rows: list[tuple[object, ...]] = []
    previous = (0, 0)
    for index, (s, e) in enumerate(split_sentences(text) if sentences is None else sentences):
        s, e = max(0, int(s)), min(len(text), int(e))
        # '"Why?" Clinton asked.' is split after the quotation: its content is the previous sentence.
        gap = text[previous[1] : s]
        quoted = _QUOTED_END.search(text, *previous) and gap.isspace() and "\n" not in gap
        t = _Tokens.of(text, previous[0] if quoted else s, e)
        t.first = next((x for x in range(t.n) if t.start[x] >= s), t.n)
        drafts = [d for d in _sentence_drafts(t) if t.start[d.cue[0]] >= s]
        rows.extend(r for d in drafts if (r := _row(text, t, index, d)) is not None)
        previous = (s, e)
    unique = sorted(dict.fromkeys(rows), key=lambda r: (r[2], r[3], r[8], r[9], r[0]))
    unique = [(*r, *c) for r, c in zip(unique, _claimants([r[4] for r in unique]), strict=True)]
    return pl.DataFrame(unique, schema=CLAIM_COLUMNS, orient="row")


# --- Claimant resolution and grouping -------------------------------------------------------------
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_PLURAL_PRONOUNS = frozenset({"they", "them"})


def _head(claimant: str) -> str:
    """The name before an appositive or a title's comma: "Sergey Lavrov, Russia's FM" -> "Sergey Lavrov"."""
    return claimant.split(",")[0].strip()


def _named(claimant: str) -> bool:
    words = _head(claimant).split()
    return bool(words) and words[-1][:1].isupper() and words[-1].lower() not in _W["pronouns"]


def _compatible(pronoun: str, antecedent: str) -> bool:
    """he/she take a person-like name (capitalised last word), they a plural or a coordinated claimant."""
    last = _head(antecedent).split()[-1]
    if pronoun in _PLURAL_PRONOUNS:
        return " and " in antecedent or (
            last[1:].islower() and last.endswith("s") and not last.endswith("ss")
        )
    return _named(antecedent) and not last.isupper() and not last.endswith("s")


def _claimants(claimants: Sequence[object]) -> list[tuple[str | None, str | None]]:
    """(resolved antecedent, group id) per claimant, in text order. Pronouns resolve to the nearest earlier
    compatible named claimant; names share a group when the surname (last word of the head) matches or the
    whole claimant was seen as an appositive of an earlier name ("Lavrov, Russia's Foreign Minister")."""
    out: list[tuple[str | None, str | None]] = []
    groups: dict[str, str] = {}  # lowercased key (surname, head or appositive) -> group id
    seen: list[tuple[str, str]] = []  # (claimant, group) in order
    for value in claimants:
        if not isinstance(value, str):
            out.append((None, None))
            continue
        low = value.lower()
        if low in _PERSON_PRONOUNS | _PLURAL_PRONOUNS:
            found = next(((c, g) for c, g in reversed(seen) if _compatible(low, c)), None)
            out.append((found[0], found[1]) if found else (None, None))
            continue
        head = _head(value)
        keys = [head.lower(), value.lower()]
        words = head.split()
        if (
            all(w[:1].isupper() and not _possessive(w.lower()) for w in words)
            and words[-1].lower() not in _W["role_words"]
        ):
            keys.append(words[-1].lower())  # a surname: "Sergey Lavrov" and "Lavrov"
        group = next((groups[k] for k in keys if k in groups), None) or f"g{len(set(groups.values())):04d}"
        appositive = value[len(head) :].strip(" ,")
        for k in keys + ([appositive.lower()] if appositive else []):
            groups.setdefault(k, group)
        if low not in _W["pronouns"] and low not in _W["subjects"]:
            seen.append((value, group))
        out.append((None, group))
    return out


def claims_table(documents: pl.DataFrame, sentences: pl.DataFrame) -> pl.DataFrame:
    """One row per claim of every document (columns as CLAIMS_SCHEMA), in document then cue order."""
    by_doc: dict[str, list[tuple[int, int, int, str]]] = {}
    spans = sentences.select("sent_id", "doc_id", "index", "start", "end")
    for sent_id, doc_id, index, start, end in spans.iter_rows():
        by_doc.setdefault(doc_id, []).append((index, start, end, sent_id))
    frames = []
    for doc_id, text in documents.select("doc_id", "text").iter_rows():
        sents = sorted(by_doc.get(doc_id, []))
        found = extract_claims(text or "", [(s, e) for _, s, e, _ in sents])
        if found.height:
            found = found.with_columns(
                claim_id=pl.Series([child_id(doc_id, "c", n) for n in range(found.height)], dtype=pl.Utf8),
                doc_id=pl.lit(doc_id, dtype=pl.Utf8),
                sent_id=pl.Series([sents[k][3] for k in found["sent_index"]], dtype=pl.Utf8),
                claimant_group=pl.lit(doc_id + "-") + pl.col("claimant_group"),
            )
            frames.append(found.select(list(CLAIMS_SCHEMA)))
    return pl.concat(frames) if frames else pl.DataFrame(schema=CLAIMS_SCHEMA)
