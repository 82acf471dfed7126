"""The claims extractor's rules over one sentence: tokens, noun phrases, cues and claimants. Contents and the
drafts (token spans) of the claims each cue role yields are in `newsds.claim_content`.

Why a module of its own: `newsds.claims` turns drafts into rows, resolves and groups claimants and builds the
table; the rules here are what grows with every error class found on the training gold (PolNeAR). Changing
a rule changes the output: bump `newsds.claims.RULESET_VERSION`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsds.lexicon import NOMINAL as _NOMINAL
from newsds.lexicon import NP_STOP as _NP_STOP
from newsds.lexicon import PHRASES as _PHRASES
from newsds.lexicon import TRIGGERS as _TRIGGERS
from newsds.lexicon import VERBS as _VERBS
from newsds.lexicon import W as _W

LEAD_PUNCT, TRAIL_PUNCT = frozenset(",;:—–-…)]"), frozenset(",;:—–-….!?([")
_OPEN_QUOTES, _CLOSE_QUOTES, _STRAIGHT = frozenset("“„«"), frozenset("”»"), frozenset({'"', "''"})
QUOTES = _OPEN_QUOTES | _CLOSE_QUOTES | _STRAIGHT
# A title before a name ("Mr."), an initialism ("U.S."), a grouped number, a word with inner -'’. , '' or one
# punctuation mark.
TOKEN = re.compile(
    r"[A-Z][a-z]{0,3}\.(?=\s+[A-Z])|(?:[A-Za-z]\.){2,}|\d{1,3}(?:,\d{3})+|\w+(?:[-'’.]\w+)*|''|\S"
)
_PHRASE_AT: dict[str, list[tuple[tuple[frozenset[str], ...], str, str]]] = {}
for _phrase in _PHRASES:  # the multi-word cues by their possible first words, tried in lexicon order
    for _first in sorted(_phrase[0][0]):
        _PHRASE_AT.setdefault(_first, []).append(_phrase)
_MAX_NP = 12


def negation(w: str) -> bool:
    """A negation between claimant and cue ("did not deny") turns a denial into no denial."""
    return w in ("not", "never", "cannot") or w.endswith("n't")


def _adjectival(w: str) -> bool:
    return w in _W["adjectives"] or w.endswith(
        ("ed", "al", "ous", "ive", "ful", "less", "ic", "est", "ary", "ing")
    )


def possessive(w: str) -> bool:
    return w.endswith("'s") and len(w) > 2


def bare(w: str) -> bool:
    """An uninflected form ("express"), which cannot share a finite verb's subject ("said … and express")."""
    third_person = w.endswith("s") and not w.endswith("ss")
    return not (third_person or w.endswith(("ed", "ing")) or w in ("said", "told", "wrote", "written"))


class Tokens:
    """One sentence as tokens with absolute character offsets, and the token tests the rules share.

    What the tests ask of every token (is it a word, the token count, where the final punctuation begins,
    which tokens sit inside a quotation) is computed once per sentence: the rules ask it millions of times
    on a large corpus, and most sentences have no quotation mark at all."""

    __slots__ = ("_body", "_inside", "alnum", "cues", "end", "first", "low", "n", "quoted", "start", "word")

    def __init__(self, start: list[int], end: list[int], word: list[str], low: list[str]) -> None:
        self.start, self.end, self.word = start, end, word
        self.low = low  # lowercased, except all-caps names ("WHO", "IS") that must not read as function words
        self.n = len(word)
        self.alnum = [w[0].isalnum() for w in word]
        self.quoted = not QUOTES.isdisjoint(word)  # a quotation mark anywhere in the sentence
        self.cues: set[int] = set()
        self.first = 0  # first token of the sentence proper (earlier ones belong to a split-off quotation)
        self._body = -1
        self._inside: list[bool] | None = None

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Tokens:
        words = TOKEN.findall(text, start, end)
        # Every non-space character is in a token and no token starts with a space, so a token starts at the
        # first occurrence of its text after the previous token (faster than match objects).
        starts, ends, find, at = [], [], text.find, start
        for w in words:
            at = find(w, at)
            starts.append(at)
            at += len(w)
            ends.append(at)
        low = [w if len(w) > 1 and w.isupper() else w.lower().replace("’", "'") for w in words]
        return cls(starts, ends, words, low)

    def is_word(self, x: int) -> bool:
        return 0 <= x < self.n and self.alnum[x]

    def words_in(self, a: int, b: int) -> int:
        return sum(self.alnum[max(a, 0) : max(min(b, self.n), 0)])

    def skippable(self, x: int) -> bool:
        """Auxiliaries, negation and adverbs that may sit between a claimant and its cue."""
        w = self.low[x]
        if w in _W["aux"] or w in _W["adverbs"] or negation(w):
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
        return nxt[0].isupper() or nxt[0].isdigit() or nxt in QUOTES or nxt.lower() in _W["det"]

    def close_quote(self, x: int) -> bool:
        if not self.quoted:
            return False
        w = self.word[x]
        return w in _CLOSE_QUOTES or (w in _STRAIGHT and x > 0 and self.end[x - 1] == self.start[x])

    def open_quote(self, x: int) -> bool:
        return (
            self.quoted
            and 0 <= x < self.n
            and (self.word[x] in _OPEN_QUOTES or (self.word[x] in _STRAIGHT and not self.close_quote(x)))
        )

    def in_quote(self, x: int) -> bool:
        """Whether token x sits inside a quotation opened earlier in the sentence."""
        if not self.quoted or x <= 0:
            return False
        if self._inside is None:  # after each token: inside a quotation or not
            inside, self._inside = False, [False]
            for y in range(self.n):
                inside = self.open_quote(y) if self.word[y] in QUOTES else inside
                self._inside.append(inside)
        return self._inside[x]

    def body_end(self) -> int:
        """Token index where the sentence's final punctuation (outside quotes) begins."""
        if self._body < 0:
            n = self.n
            while n > 0 and self.word[n - 1] in ".!?…;:":
                n -= 1
            self._body = n
        return self._body

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Character span of tokens [a, b), without a final possessive "'s"."""
        return self.start[a], self.end[b - 1] - (2 if possessive(self.low[b - 1]) else 0)


@dataclass(frozen=True)
class Cue:
    i: int  # token range [i, j)
    j: int
    stance: str
    role: str  # verb, noun, according, calling
    body: int = -1  # token where the content starts, when not at j ("calling it 'a lie'": the label)


@dataclass
class Draft:
    cue: tuple[int, int]  # token range
    claimant: tuple[int, int] | None  # character span
    content: tuple[int, int]  # token range
    stance: str
    according: bool = False
    edge: int | None = None  # coordinator token left of this claim: an earlier content ends there
    below: bool = False  # the content is the quotation in the next paragraph ("he declared:" at the end)


# --- Noun phrases ---------------------------------------------------------------------------------
def _np_prep(t: Tokens, x: int) -> bool:
    """A preposition inside a name: "Tokayev of Kazakhstan", "Commissioner for the Western Isles"."""
    if t.low[x] == "in":  # "partners in Lisbon", "an article in Politico", "four in 10"
        return (
            x > 0
            and x + 1 < t.n
            and (t.word[x + 1][:1].isupper() or t.word[x + 1].isdigit())
            and t.is_word(x - 1)
        )
    if t.low[x] != "to":
        return t.low[x] in _W["np_prep"]
    nxt = t.word[x + 2] if x + 2 < t.n and t.low[x + 1] == "the" else t.word[x + 1] if x + 1 < t.n else ""
    return x > 0 and t.word[x - 1][0].isupper() and nxt[:1].isupper()


def _stops_np(t: Tokens, x: int) -> bool:
    """Token x cannot be part of a claimant: punctuation, a cue, a verb or a clause word."""
    if not t.is_word(x) or x in t.cues or t.skippable(x) or t.verb_like(x):
        return True
    return t.low[x] in _NP_STOP and not _np_prep(t, x) and not _np_and(t, x)


def _np_and(t: Tokens, x: int) -> bool:
    """Two names joined by "and" are one claimant: "he and Brafman", "Smith and Jones"."""
    if t.low[x] != "and" or x < 1 or x + 1 >= t.n:
        return False
    before, after = t.word[x - 1], t.word[x + 1]
    name = before[:1].isupper() or t.low[x - 1] in _W["pronouns"]
    return name and (after[:1].isupper() or t.low[x + 1] in _W["pronouns"])


def np_back(t: Tokens, k: int) -> int | None:
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


def np_forward(t: Tokens, x: int) -> int:
    """End of the noun phrase starting at token x (x when there is none)."""
    y = x
    while y < t.n and y - x < _MAX_NP:
        inner = y > x and (t.low[y] in _W["det"] or t.low[y] in _W["subjects"]) and not _np_prep(t, y - 1)
        if inner or (_stops_np(t, y) and not (y == x and t.low[y] in _W["det"])):
            break
        y += 1
    while y > x and _np_prep(t, y - 1):
        y -= 1
    return y


def np_ok(t: Tokens, a: int | None, b: int) -> bool:
    """A noun phrase needs a content word, unless it is a lone pronoun ("according to her", "Many say")."""
    return a is not None and any(
        t.is_word(x) and (t.low[x] not in _W["det"] or b - a == 1) for x in range(a, b)
    )


def appositive_after(t: Tokens, b: int, limit: int) -> int | None:
    """End of ", APPOSITIVE" after a name ending at b ("Lavrov, Russia's Foreign Minister,")."""
    if b >= limit or t.word[b] != ",":
        return None
    y, first = np_forward(t, b + 1), (t.word[b + 1] if b + 1 < t.n else " ")
    descriptive = first[0].isupper() or first[0].isdigit() or first.lower() in _W["det"]
    return y if descriptive and 0 < y - b - 1 <= 7 and (y >= limit or t.word[y] == ",") else None


def _comma_before(t: Tokens, x: int) -> int | None:
    """The comma opening a short comma-delimited phrase that ends at token x (itself a comma)."""
    for y in range(x - 1, max(-1, x - 21), -1):
        if t.word[y] == ",":
            return y if y < x - 1 else None
        if not t.is_word(y) or y in t.cues or t.low[y] in _W["aux"]:
            return None
    return None


# --- Cue detection --------------------------------------------------------------------------------
def _looks_nominal(t: Tokens, i: int, after: int) -> bool:
    """An ambiguous form ("claims", "doubts") is a noun unless a subject or an auxiliary precedes it."""
    if i > 0 and t.low[i - 1] == "," and t.ing(i):  # ", saying …"
        return False
    # A past form, or a plural one after a plural noun, before "," or "." is a verb: "the Times reported.",
    # "records show." (not "were disputed.", "talk shows.")
    prev = t.low[i - 1] if i > 0 else ""
    agrees = prev.endswith("s") and not prev.endswith("ss") and not t.low[i].endswith("s")
    verb_end = after < t.n and t.low[after] in ",." and prev not in _W["aux"]
    past = verb_end and (t.low[i].endswith("ed") or agrees)
    if i == 0 or (after < t.n and t.low[after] in _W["noun_followers"] and not past) or t.ing(after):
        return True
    prev = t.low[i - 1]
    if prev in _W["subjects"] or t.skippable(i - 1) or t.word[i - 1][0].isupper():
        return False
    if _adjectival(prev):
        return True
    if i >= 2 and t.low[i - 2] in _W["det"]:  # "the government claims"
        return False
    plural, third = (v.endswith("s") and not v.endswith("ss") for v in (prev, t.low[i]))
    return plural == third  # a verb agrees with the noun before it: "authorities claim", "a poll shows"


def skip_back(t: Tokens, i: int) -> int:
    """First token of the auxiliaries/adverbs before token i ("has vehemently", ", however,", "(D-Mo.)")."""
    x = i
    while x > 0:
        if t.skippable(x - 1):
            x -= 1
        elif t.word[x - 1] == ")" and "(" in t.word[max(0, x - 9) : x - 1]:
            x = max(y for y in range(max(0, x - 9), x - 1) if t.word[y] == "(")
        elif x >= 3 and t.word[x - 1] == t.word[x - 3] == "," and t.low[x - 2] in _W["parenthetical"]:
            x -= 3
        elif x >= 3 and t.low[x - 2] in _W["time_heads"] and t.low[x - 1] in _W["time_nouns"]:
            x -= 2  # "on Tuesday", "last week"
        else:
            break
    return x


def cue_from(t: Tokens, k: int, i: int) -> int:
    """Where a verb cue starts: PolNeAR's convention takes in the auxiliaries and adverbs right before
    the verb ("has said", "also denied", "has vehemently refuted"), but not a parenthetical or a comma."""
    x = i
    while x > k and t.skippable(x - 1) and t.word[x - 1][0].isalpha():
        x -= 1
    return x


def _verbal(t: Tokens, i: int, after: int) -> bool:
    """Token i is used as a finite verb or participle, not as a noun, adjective or infinitive."""
    w, prev = t.low[i], (t.low[i - 1] if i > 0 else "")
    if (
        not t.word[i].islower()
        or prev in _W["det"]
        or possessive(prev)
        or (prev[:1].isdigit() and w in _W["ambiguous"])
    ):
        return False
    if prev in _W["prep"] and not (w.endswith("ing") and prev in _W["gerund_prep"]):  # "by saying that …"
        return False
    k = skip_back(t, i)
    if (k > 0 and t.low[k - 1] == "to") or (prev == "as" and w.endswith("ed")):  # "to express", "as promised"
        return False
    return not (w in _W["ambiguous"] and _looks_nominal(t, i, after))


def _cue_at(t: Tokens, i: int) -> Cue | None:
    """The cue starting at token i: multi-word phrases win over "calling it …", verbs and nouns."""
    w = t.low[i]
    for parts, stance, role in _PHRASE_AT.get(w, ()):
        if i + len(parts) <= t.n and all(t.low[i + k] in part for k, part in enumerate(parts)):
            ok = role != "verb" or _verbal(t, i, i + len(parts))
            return Cue(i, i + len(parts), stance, role) if ok else None
    if w in _W["call"] and t.word[i].islower() and i + 2 < t.n:
        obj, label = t.low[i + 1], t.low[i + 2]  # 'calling it "a lie"', 'called the charges fabricated'
        labelled = label in ("a", "an", "the") or _adjectival(label) or t.open_quote(i + 2)
        if obj in _W["call_objects"] and labelled:  # PolNeAR leaves the object out of cue and content
            return Cue(i, i + 1, "assert", "calling", i + 2)
        if obj == "the" and label in _W["call_nouns"]:
            return Cue(i, i + 3, "assert", "calling")
        y = np_forward(t, i + 1)  # 'called Moreno a "hero"', not 'calling out X for "lies"'
        if i + 1 < y < t.n and (t.open_quote(y) or t.low[y] in ("a", "an")):
            return Cue(i, i + 1, "assert", "calling")
    if w == "asked" and (i == t.first or t.low[i - 1] == "when"):
        return Cue(i, i + 1, "assert", "asked")  # "Asked whether …, he said", "when asked about …"
    if w in _VERBS and _verbal(t, i, i + 1):
        return Cue(i, i + 1, _VERBS[w], "verb")
    if w in _NOMINAL and i + 2 < t.n and t.low[i + 1] == "that":  # a that-clause, not "claims that were made"
        nxt = t.low[i + 2]
        verb = nxt in _W["aux"] or nxt in _VERBS or (t.word[i + 2].islower() and nxt.endswith("ed"))
        return None if verb or negation(nxt) else Cue(i, i + 1, _NOMINAL[w], "noun")
    return None


def find_cues(t: Tokens) -> list[Cue]:
    """Cues left to right; "countered, calling it" merges into one cue, so the pair is one claim."""
    cues: list[Cue] = []
    after = 0  # tokens before this belong to the previous cue
    for i in [x for x, w in enumerate(t.low) if w in _TRIGGERS]:
        cue = _cue_at(t, i) if i >= after else None
        if cue is None:
            continue
        prev = cues[-1] if cues and cues[-1].role == "verb" else None
        if cue.role == "calling" and prev and prev.j + 1 == cue.i and t.word[prev.j] == ",":
            cues[-1] = Cue(prev.i, cue.j, prev.stance, "calling", cue.body)  # "countered, calling it"
        else:
            cues.append(cue)
        after = cue.j
    t.cues = {x for c in cues for x in range(c.i, c.j)}
    return cues


# --- Claimants ------------------------------------------------------------------------------------
def subject(t: Tokens) -> tuple[int, int] | None:
    """The sentence's opening proper-name subject ("Kyiv didn't hold back, expressing …")."""
    x = t.first + 1 if t.open_quote(t.first) else t.first
    b = np_forward(t, x)
    if b == x or b >= t.n or not t.word[x][0].isupper() or t.low[x] in _NP_STOP:
        return None
    end = b
    if t.word[b] == ",":  # "Republicans, who hold a majority, have blocked …": through the comma
        c = next((y for y in range(b + 1, min(b + 25, t.n)) if not t.is_word(y)), t.n)
        if c >= t.n or t.word[c] != "," or any(y in t.cues for y in range(b, c)):
            return None
        end = b = c + 1
        if b >= t.n:
            return None
    w = t.low[b]
    verb = t.word[b].islower() and (w.endswith(("ed", "s")) or w in _W["participles"]) and not t.ing(b)
    if t.skippable(b) or b in t.cues or verb:
        return t.span(x, end)
    return None


def main_subject(t: Tokens, stop: int) -> tuple[int, int] | None:
    """The subject of the first finite verb before a participle or a coordinated cue: 'Mr. Obama made peace a
    priority, announcing …', 'they changed course, let everyone in and said …'. Not across a
    quotation."""
    if any(t.word[y] in QUOTES for y in range(t.first, stop)):
        return None
    for y in range(t.first + 1, stop):
        w = t.low[y]
        if t.word[y].islower() and (w.endswith("ed") or w in _W["participles"]) and t.is_word(y - 1):
            k = skip_back(t, y)
            claimant, _ = claimant_back(t, k)
            if claimant and (
                t.word[k - 1][0].isupper() or t.low[k - 1] in _W["pronouns"] or t.word[k - 1] == ","
            ):
                return claimant
    return None


def _through(
    t: Tokens, found: tuple[tuple[int, int] | None, int], k: int
) -> tuple[tuple[int, int] | None, int]:
    """A claimant found before a comma-delimited phrase, extended through that phrase to token k."""
    claimant, stop = found
    return ((claimant[0], t.end[k - 1]), stop) if claimant else found


def _relative_head(t: Tokens, a: int) -> int | None:
    """The noun a comma-less relative clause ending at token a hangs on: 'Senior aides who have studied the
    maps argue', 'Nora Vance, who is treasurer of the Harbor Fund said' (PolNeAR's source is all)."""
    for y in range(a - 1, max(0, a - 10), -1):
        if not t.is_word(y) or y in t.cues:
            return None
        if t.low[y] == "who":
            head = y - 1 if t.word[y - 1] != "," else y - 2
            h = np_back(t, head + 1) if head >= 0 else None
            ok = h is not None and h <= head and np_ok(t, h, head + 1) and t.low[head] not in _W["pronouns"]
            return h if ok else None
    return None


def claimant_back(t: Tokens, k: int) -> tuple[tuple[int, int] | None, int]:
    """The claimant ending before token k, and the index of the token where it stopped."""
    if k >= 2 and t.word[k - 1] == ",":  # "Astana, the capital of Kazakhstan, has refuted"
        rel = next((y for y in range(k - 3, max(0, k - 16), -1) if t.word[y] == ","), 0)
        # PolNeAR's source runs through the comma before the cue: "Officials, who spoke on condition of
        # anonymity, said" -> "Officials, who spoke on condition of anonymity,".
        if rel and t.low[rel + 1] in ("who", "which"):
            return _through(t, claimant_back(t, rel), k)
        p = _comma_before(t, k - 1)
        if p is not None and (t.low[p + 1] in _W["parenthetical"] or t.low[p + 1] in _W["prep"] - {"of"}):
            return claimant_back(t, p)  # "Smith, in remarks to reporters, said"
        for _ in range(3):  # "Ilse Brandt, Director of …, and Chairman of …, says"
            h = np_back(t, p) if p is not None else None
            if p is None or h is None:
                break
            if np_ok(t, h, p) and t.word[h][0].isupper() and p - h <= 6:
                return (t.start[h], t.end[k - 1]), h - 1
            p = _comma_before(t, p)
        return None, k - 1
    a = np_back(t, k)
    if a is None:
        return None, -1
    if np_ok(t, a, k):
        who = _relative_head(t, a)
        a = a if who is None else who
        return t.span(a, k), a - 1
    stop = a - 1
    if stop >= 1 and t.low[stop] in _W["relative"]:  # "Harlow, who had told Ferris": PolNeAR's source
        return t.span(stop, stop + 1), -1  # is the relative pronoun, as it is "he" in "he told"
    return None, stop
