"""Attributed claims: who (claimant) says (cue) what (content), with a stance and a kind.

Deterministic rules over word tokens of one sentence at a time: a lexicon of reporting verbs, a few
multi-word cues ("according to", "calling it …", "cast doubt on") and nominal cues that take a
that-clause ("Russia's claims that …"). The claimant is the noun phrase next to the cue and the
content is the clause it introduces (or the clause before it: "…, the official said"). Every span is
built from token boundaries, so it slices back to its text and carries no outer whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from newsds.ids import child_id
from newsds.sentences import split_sentences

RULESET_VERSION = "newsds-rules/0.1.0"
STANCES = ("assert", "deny", "doubt")
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
}
CLAIMS_SCHEMA: dict[str, pl.DataType] = {
    "claim_id": pl.Utf8(),
    "doc_id": pl.Utf8(),
    "sent_id": pl.Utf8(),
    **{name: dtype for name, dtype in CLAIM_COLUMNS.items() if name != "sent_index"},
}

# --- Lexicons -------------------------------------------------------------------------------------
# Reporting verbs, one lemma per line with its inflections, grouped by the stance they express.
_VERB_LEXICON = {
    "assert": """
        say says said saying | tell tells told telling | claim claims claimed claiming
        insist insists insisted insisting | warn warns warned warning | note notes noted noting
        condemn condemns condemned condemning | stated stating | add adds added adding
        argue argues argued arguing | assert asserts asserted asserting | allege alleges alleged alleging
        report reports reported reporting | announce announces announced announcing
        explain explains explained explaining | suggest suggests suggested suggesting
        acknowledge acknowledges acknowledged acknowledging | admit admits admitted admitting
        confirm confirms confirmed confirming | emphasize emphasizes emphasized emphasizing
        emphasise emphasises emphasised emphasising | stresses stressed stressing
        write writes wrote written writing | ask asks asked asking | reiterate reiterates reiterated reiterating
        contend contends contended contending | maintain maintains maintained maintaining
        believe believes believed believing | accuse accuses accused accusing
        express expresses expressed expressing | declare declares declared declaring
        reveal reveals revealed revealing | concede concedes conceded conceding
        mention mentions mentioned mentioning | affirm affirms affirmed affirming
        predict predicts predicted predicting | promise promises promised promising | vow vows vowed vowing
        recall recalls recalled recalling | respond responds responded responding
        reply replies replied replying | tweet tweets tweeted tweeting | testify testifies testified testifying
        criticize criticizes criticized criticizing | criticise criticises criticised criticising
        denounce denounces denounced denouncing
    """,
    "deny": """
        deny denies denied denying | refute refutes refuted refuting | dismiss dismisses dismissed dismissing
        reject rejects rejected rejecting | dispute disputes disputed disputing | countered countering
        rebut rebuts rebutted rebutting | contradict contradicts contradicted contradicting
        repudiate repudiates repudiated repudiating
    """,
    "doubt": """
        question questions questioned questioning | doubt doubts doubted doubting
        challenge challenges challenged challenging
    """,
}
_VERBS = {form: stance for stance, table in _VERB_LEXICON.items() for form in table.replace("|", " ").split()}
# Forms that are as often nouns or adjectives ("the claims", "an alleged attack", "raised questions").
_AMBIGUOUS = frozenset(
    """claim claims report reports note notes question questions doubt doubts challenge challenges dispute
    disputes warning promise promises vow vows tweet tweets reply replies recall recalls saying reporting
    stresses alleged reported disputed""".split()
)
# Verbs that report only with a that-clause, a colon or a quotation ("added that", not "added value").
_THAT_ONLY = frozenset(
    "add adds added adding believe believes believed maintain maintains maintained".split()
)
_THAT_ONLY |= frozenset(
    "write writes wrote writing recall recalls recalled respond responds responded".split()
)
_TELL = frozenset("tell tells told telling warn warns warned ask asks asked".split())
# Nouns that report when a that-clause follows ("the claim that …", "Russia's allegations that …").
_NOMINAL = {
    **dict.fromkeys(
        """claim claims allegation allegations assertion assertions accusation accusations report reports
        suggestion suggestions insistence warning warnings statement statements belief contention argument
        charge charges rumor rumors rumour rumours speculation admission announcement""".split(),
        "assert",
    ),
    **dict.fromkeys("denial denials".split(), "deny"),
    **dict.fromkeys("doubt doubts".split(), "doubt"),
}
# Multi-word cues: token alternatives per position, stance, role.
_PHRASES: tuple[tuple[tuple[frozenset[str], ...], str, str], ...] = (
    ((frozenset({"according"}), frozenset({"to"})), "assert", "according"),
    (
        (
            frozenset({"cast", "casts", "casting"}),
            frozenset({"doubt", "doubts"}),
            frozenset({"on", "over", "upon"}),
        ),
        "doubt",
        "verb",
    ),
    ((frozenset({"point", "points", "pointed", "pointing"}), frozenset({"out"})), "assert", "verb"),
)
_CALL_FORMS = frozenset("call calls called calling".split())
_CALL_PRONOUNS = frozenset("it them this that these those".split())
_CALL_NOUNS = frozenset(
    """claim claims allegation allegations accusation accusations report reports attack incident move
    decision statement statements episode idea plan strike remarks comments""".split()
)
_DENY_WORDS = frozenset(
    """lie lies lying liar fake fakes faked false falsehood falsehoods fabrication fabricated baseless
    groundless absurd nonsense propaganda provocation unfounded ridiculous hoax slander libel untrue
    disinformation misinformation smear fiction bogus""".split()
)

_DETERMINERS = frozenset(
    "the a an this these those his her its their our my your such any some no every each another other "
    "several many few both all whose".split()
)
_PREPOSITIONS = frozenset(
    "of in on at by for with from to into onto about over under after before during against among between "
    "through without within via per amid amidst despite toward towards upon behind across around near like "
    "unlike beyond regarding".split()
)
_NP_PREPS = frozenset({"of", "from", "for", "at"})  # prepositions inside a claimant: "Tokayev of Kazakhstan"
_AUX = frozenset(
    "has have had having is was were are be been being am will would could can may might shall should must "
    "did does do".split()
)
_BE = frozenset("is was were are be been being am".split())
_ADVERBS = frozenset(
    "also then again later now still already once further even just ever first too long".split()
)
_LY_NOUNS = frozenset(
    "family ally rally supply assembly monopoly reply anomaly bully belly daily weekly holy".split()
)
_BOUNDARY = frozenset(
    "that while but and or nor whereas however as when because if since although though where which who whom "
    "so yet than meanwhile unless until whether what how why".split()
)
_NP_STOP = _BOUNDARY | (_PREPOSITIONS - _NP_PREPS) | _AUX | _ADVERBS | {"not", "never", "cannot"}
_RELATIVE = frozenset({"who", "which", "that"})
_COORD = frozenset({"and", "but", "or", "while", "whereas", "yet", ";", ","})
_SUBJECTS = frozenset("i you he she it we they who which one".split())
_NOUN_FOLLOWERS = frozenset(
    "of about against by from regarding over in on for with as and or were was is are have has had made , . )".split()
)
_ADJECTIVES = frozenset("new false latest recent fake such other similar earlier previous same many".split())
_ADJUNCT_START = frozenset(
    """in on at during after before via through from yesterday today tonight earlier later last this recently
    late when while as without monday tuesday wednesday thursday friday saturday sunday""".split()
)
_LEAD_PUNCT = frozenset(",;:—–-…)]")
_TRAIL_PUNCT = frozenset(",;:—–-….!?([")
_OPEN_QUOTES, _CLOSE_QUOTES, _QUOTES = "“„«", "”»", '"“”„«»'

# Titles ("Mr.") before a name, initialisms ("U.S."), words with inner hyphens/apostrophes, punctuation.
_TOKEN = re.compile(r"[A-Z][a-z]{0,3}\.(?=\s+[A-Z])|(?:[A-Za-z]\.){2,}|\w+(?:[-'’.]\w+)*|\S")
_MAX_NP = 12


@dataclass
class _Tokens:
    """One sentence as tokens with absolute character offsets."""

    start: list[int]
    end: list[int]
    word: list[str]
    low: list[str]
    cues: set[int] = field(default_factory=set)

    @property
    def n(self) -> int:
        return len(self.word)


@dataclass(frozen=True)
class _Cue:
    i: int
    j: int
    stance: str
    role: str  # verb, noun, according, calling


@dataclass
class _Draft:
    cue: tuple[int, int]
    claimant: tuple[int, int] | None  # character span
    content: tuple[int, int]  # token range
    stance: str
    according: bool = False
    edge: int | None = None  # coordinator token left of this claim: earlier contents end there


def _tokenize(text: str, start: int, end: int) -> _Tokens:
    matches = list(_TOKEN.finditer(text, start, end))
    words = [m.group() for m in matches]
    low = [w.lower().replace("’", "'") for w in words]
    return _Tokens([m.start() for m in matches], [m.end() for m in matches], words, low)


# --- Token predicates -----------------------------------------------------------------------------
def _is_word(t: _Tokens, x: int) -> bool:
    return 0 <= x < t.n and t.word[x][0].isalnum()


def _negation(w: str) -> bool:
    return w in ("not", "never", "cannot") or w.endswith("n't")


def _skippable(t: _Tokens, x: int) -> bool:
    """Auxiliaries, negation and adverbs that may sit between a claimant and its cue."""
    w = t.low[x]
    if w in _AUX or w in _ADVERBS or _negation(w):
        return True
    return t.word[x].islower() and w.endswith("ly") and len(w) > 3 and w not in _LY_NOUNS


def _verb_like(t: _Tokens, x: int) -> bool:
    """A lowercase -ed/-ing word not introduced by a determiner ("following", but not "an unnamed")."""
    w = t.word[x]
    if not (w.islower() and len(w) > 4 and w.endswith(("ed", "ing")) and not w.endswith("eed")):
        return False
    return w not in ("nothing", "something", "anything", "everything") and not (
        x > 0 and t.low[x - 1] in _DETERMINERS
    )


def _adjectival(w: str) -> bool:
    return w in _ADJECTIVES or w.endswith(
        ("ed", "al", "ous", "ive", "ful", "less", "ic", "est", "ary", "ing")
    )


def _possessive(w: str) -> bool:
    return w.endswith("'s") and len(w) > 2


def _close_quote(t: _Tokens, x: int) -> bool:
    w = t.word[x]
    return w in _CLOSE_QUOTES or (w == '"' and x > 0 and t.end[x - 1] == t.start[x])


def _open_quote(t: _Tokens, x: int) -> bool:
    return x < t.n and (t.word[x] in _OPEN_QUOTES or (t.word[x] == '"' and not _close_quote(t, x)))


def _body_end(t: _Tokens) -> int:
    """Token index where the sentence's final punctuation (outside quotes) begins."""
    n = t.n
    while n > 0 and t.word[n - 1] in ".!?…;:":
        n -= 1
    return n


# --- Noun phrases ---------------------------------------------------------------------------------
def _stops_np(t: _Tokens, x: int) -> bool:
    return not _is_word(t, x) or t.low[x] in _NP_STOP or x in t.cues or _skippable(t, x) or _verb_like(t, x)


def _np_back(t: _Tokens, k: int) -> int | None:
    """Start of the noun phrase that ends before token k (k when there is none, None when too long)."""
    x = k - 1
    while x >= 0 and not _stops_np(t, x):
        if k - x > _MAX_NP:
            return None
        if t.low[x] in _DETERMINERS and not (x > 0 and t.low[x - 1] in _NP_PREPS):
            return x
        x -= 1
    a = x + 1
    while a < k and t.low[a] in _NP_PREPS:
        a += 1
    return a


def _np_forward(t: _Tokens, x: int) -> int:
    """End of the noun phrase starting at token x (x when there is none)."""
    y = x
    while y < t.n and y - x < _MAX_NP:
        det_inside = y > x and t.low[y] in _DETERMINERS and t.low[y - 1] not in _NP_PREPS
        if det_inside or (_stops_np(t, y) and not (y == x and t.low[y] in _DETERMINERS)):
            break
        y += 1
    while y > x and t.low[y - 1] in _NP_PREPS:
        y -= 1
    return y


def _np_ok(t: _Tokens, a: int | None, b: int) -> bool:
    return a is not None and any(_is_word(t, x) and t.low[x] not in _DETERMINERS for x in range(a, b))


def _appositive_ok(t: _Tokens, a: int, b: int) -> bool:
    """A short descriptive noun phrase: "the capital of Kazakhstan", "Russia's Foreign Minister", "45"."""
    first = t.word[a]
    return 0 < b - a <= 7 and (first[0].isupper() or first[0].isdigit() or t.low[a] in _DETERMINERS)


def _appositive_after(t: _Tokens, b: int, limit: int) -> int | None:
    """End of ", APPOSITIVE" after a proper-name NP ending at b, when a comma or `limit` closes it."""
    if b >= limit or t.word[b] != ",":
        return None
    y = _np_forward(t, b + 1)
    if _appositive_ok(t, b + 1, y) and (y >= limit or t.word[y] == ","):
        return y
    return None


def _char_span(t: _Tokens, a: int, b: int) -> tuple[int, int]:
    end = t.end[b - 1] - (2 if _possessive(t.low[b - 1]) else 0)
    return t.start[a], end


# --- Cue detection --------------------------------------------------------------------------------
def _looks_nominal(t: _Tokens, i: int) -> bool:
    """An ambiguous form ("claims", "doubts") is a noun unless a subject or an auxiliary precedes it."""
    nxt = t.low[i + 1] if i + 1 < t.n else "."
    if nxt in _NOUN_FOLLOWERS or (i + 1 < t.n and _verb_like(t, i + 1) and nxt.endswith("ing")):
        return True
    if i == 0:
        return True
    prev = t.low[i - 1]
    if prev in _SUBJECTS or _skippable(t, i - 1) or t.word[i - 1][0].isupper():
        return False
    if _adjectival(prev):
        return True
    if i >= 2 and t.low[i - 2] in _DETERMINERS:
        return False
    return not (prev.endswith("s") and not prev.endswith("ss"))


def _verb_cue(t: _Tokens, i: int) -> _Cue | None:
    w = t.low[i]
    if w not in _VERBS or not t.word[i].islower():
        return None
    prev = t.low[i - 1] if i > 0 else ""
    if prev in _DETERMINERS or prev in _PREPOSITIONS or _possessive(prev) or prev[:1].isdigit():
        return None
    k = _skip_back(t, i)
    if k > 0 and t.low[k - 1] == "to":  # an infinitive: "to express their outrage"
        return None
    if w in _AMBIGUOUS and _looks_nominal(t, i):
        return None
    return _Cue(i, i + 1, _VERBS[w], "verb")


def _noun_cue(t: _Tokens, i: int) -> _Cue | None:
    """A nominal cue with a that-clause, not a relative clause ("claims that were made")."""
    w = t.low[i]
    if w not in _NOMINAL or i + 2 >= t.n or t.low[i + 1] != "that":
        return None
    nxt = t.low[i + 2]
    if nxt in _AUX or _negation(nxt) or nxt in _VERBS or (t.word[i + 2].islower() and nxt.endswith("ed")):
        return None
    return _Cue(i, i + 1, _NOMINAL[w], "noun")


def _phrase_cue(t: _Tokens, i: int) -> _Cue | None:
    for parts, stance, role in _PHRASES:
        if i + len(parts) <= t.n and all(t.low[i + k] in part for k, part in enumerate(parts)):
            return _Cue(i, i + len(parts), stance, role)
    if t.low[i] in _CALL_FORMS and t.word[i].islower() and i + 1 < t.n:
        if t.low[i + 1] in _CALL_PRONOUNS:
            return _Cue(i, i + 2, "assert", "calling")
        if t.low[i + 1] == "the" and i + 2 < t.n and t.low[i + 2] in _CALL_NOUNS:
            return _Cue(i, i + 3, "assert", "calling")
    return None


def _find_cues(t: _Tokens) -> list[_Cue]:
    cues: list[_Cue] = []
    i = 0
    while i < t.n:
        cue = _phrase_cue(t, i) or _verb_cue(t, i) or _noun_cue(t, i)
        if cue is None:
            i += 1
            continue
        prev = cues[-1] if cues else None
        if (
            cue.role == "calling"
            and prev
            and prev.role == "verb"
            and prev.j + 1 == cue.i
            and t.word[prev.j] == ","
        ):
            cues[-1] = _Cue(prev.i, cue.j, prev.stance, "calling")  # "countered, calling it"
        else:
            cues.append(cue)
        i = cue.j
    t.cues = {x for c in cues for x in range(c.i, c.j)}
    return cues


# --- Claim building -------------------------------------------------------------------------------
def _skip_back(t: _Tokens, i: int) -> int:
    x = i
    while x > 0 and _skippable(t, x - 1):
        x -= 1
    if x >= 3 and t.word[x - 1] == "," and t.word[x - 3] == "," and t.low[x - 2] in ("however", "though"):
        return _skip_back(t, x - 3)
    return x


def _subject(t: _Tokens) -> tuple[int, int] | None:
    """The sentence's opening proper-name subject ("Kyiv didn't hold back, expressing …")."""
    x = 1 if t.n and _open_quote(t, 0) else 0
    b = _np_forward(t, x)
    if b == x or b >= t.n or not t.word[x][0].isupper() or t.low[x] in _NP_STOP:
        return None
    if _skippable(t, b) or b in t.cues or (t.word[b].islower() and t.low[b].endswith("ed")):
        return _char_span(t, x, b)
    return None


def _claimant_back(t: _Tokens, k: int) -> tuple[tuple[int, int] | None, int]:
    """Claimant left of token k (after skipped auxiliaries), and the token index where it stopped."""
    if k >= 2 and t.word[k - 1] == ",":  # "Astana, the capital of Kazakhstan, has refuted"
        a = _np_back(t, k - 1)
        if a is not None and a > 0 and _np_ok(t, a, k - 1) and t.word[a - 1] == ",":
            h = _np_back(t, a - 1)
            if h is not None and _np_ok(t, h, a - 1) and t.word[h][0].isupper() and a - 1 - h <= 5:
                if _appositive_ok(t, a, k - 1):
                    return _char_span(t, h, k - 1), h - 1
        return None, k - 1
    a = _np_back(t, k)
    if a is None:
        return None, -1
    if _np_ok(t, a, k):
        return _char_span(t, a, k), a - 1
    stop = a - 1
    if stop >= 1 and t.low[stop] in _RELATIVE:  # "Devocht, who had told Montalvo"
        x = stop - 1 if t.word[stop - 1] == "," else stop
        a2 = _np_back(t, x)
        if a2 is not None and _np_ok(t, a2, x):
            return _char_span(t, a2, x), -1
    return None, stop


def _content_after(t: _Tokens, j: int, stance: str, clause: bool = False) -> tuple[int, int] | None:
    """The clause after a cue; an object noun phrase of a deny/doubt verb ends at the first comma."""
    n = _body_end(t)
    x = j
    while x < n and t.word[x] in _LEAD_PUNCT:
        x += 1
    for y in range(x, min(x + 7, n)):  # "told reporters that", "said on Monday that"
        if t.low[y] == "that":
            x = y
            break
        if not _is_word(t, y) or t.low[y] in _AUX or y in t.cues:
            break
    plain = not clause and x < n and t.low[x] not in ("that", "whether", "if", "to") and not _open_quote(t, x)
    inside, end = False, n
    for y in range(x, n):
        w = t.word[y]
        if w in _QUOTES:
            inside = (not _close_quote(t, y)) if w == '"' else w in _OPEN_QUOTES
        elif not inside and (w == ";" or (w == "," and y + 1 < n and t.low[y + 1] == "according")):
            end = y
            break
        elif not inside and w == "," and plain and (stance != "assert" or _verb_like(t, y + 1)):
            end = y
            break
    return (x, end) if end > x else None


def _calling_content(t: _Tokens, j: int) -> tuple[int, int] | None:
    """What something is called: the quotation when it opens with one, else up to the next comma."""
    n = _body_end(t)
    if j < n and _open_quote(t, j):
        for y in range(j + 1, t.n):
            if t.word[y] in _QUOTES and _close_quote(t, y):
                return j, y + 1
    end = next((y for y in range(j, n) if t.word[y] in ",;"), n)
    return (j, end) if end > j else None


def _content_before(t: _Tokens, stop: int) -> tuple[int, int] | None:
    """The clause before "…, the official said": from the sentence start through token `stop`."""
    words = sum(1 for x in range(stop) if _is_word(t, x))
    first = 1 if _open_quote(t, 0) else 0
    if words < 2 or t.low[first] in _PREPOSITIONS or t.low[first] == "however":
        return None
    return 0, stop + 1 if _close_quote(t, stop) else stop


def _adjunct_only(t: _Tokens, j: int, cue_word: str) -> bool:
    """Nothing but an adjunct follows the cue up to the next comma ("said on Monday", "told reporters")."""
    n = _body_end(t)
    end = next((y for y in range(j, n) if t.word[y] in ",;"), n)
    if end == j:
        return not (j + 1 < n and _open_quote(t, j + 1))
    if _open_quote(t, j) or any(t.low[y] == "that" for y in range(j, end)):
        return False
    return t.low[j] in _ADJUNCT_START or (cue_word in _TELL and end - j <= 4)


def _inverted(t: _Tokens, cue: _Cue) -> _Draft | None:
    """'"CONTENT," said CLAIMANT' / 'CONTENT, says CLAIMANT.'"""
    i, j, n = cue.i, cue.j, _body_end(t)
    if cue.role != "verb" or i < 2 or t.low[i].endswith("ing"):
        return None
    stop = i - 1
    if not (t.word[stop] == "," or (_close_quote(t, stop) and t.word[stop - 1] in ",!?")):
        return None
    b = _np_forward(t, j)
    if not _np_ok(t, j, b) or (b < n and t.word[b] != "," and t.low[b] not in _ADJUNCT_START):
        return None
    b = _appositive_after(t, b, n) or b
    content = _content_before(t, stop)
    if content is None:
        return None
    return _Draft((i, j), _char_span(t, j, b), content, cue.stance)


def _passive(t: _Tokens, cue: _Cue, k: int, stance: str) -> _Draft | None:
    """'it was alleged that …' (no claimant) or 'X was denied by Y'."""
    j, claimant = cue.j, None
    if j < t.n and t.low[j] == "by":
        b = _np_forward(t, j + 1)
        if _np_ok(t, j + 1, b):
            claimant, j = _char_span(t, j + 1, b), b
    if j < t.n and t.low[j] in ("that", "to"):
        content = _content_after(t, j, stance)
    else:
        a = _np_back(t, k)
        ok = _np_ok(t, a, k) and not (k - (a or 0) == 1 and t.low[k - 1] in _SUBJECTS | {"this", "that"})
        content = (a, k) if ok and a is not None else None
    return _Draft((cue.i, cue.j), claimant, content, stance) if content else None


def _verb_draft(t: _Tokens, cue: _Cue, previous: tuple[int, int] | None) -> _Draft | None:
    i, j = cue.i, cue.j
    k = _skip_back(t, i)
    stance = cue.stance
    if any(_negation(t.low[x]) for x in range(k, i)):  # "did not deny": no denial is reported
        if stance == "assert":
            return None
        stance = "assert"
    participle = t.low[i].endswith("ed") or t.low[i] in ("said", "told", "written")
    if participle and cue.role == "verb" and any(t.low[x] in _BE for x in range(k, i)):
        return _passive(t, cue, k, stance)
    inverted = _inverted(t, cue)
    if inverted:
        inverted.stance = stance
        return inverted
    claimant, stop = _claimant_back(t, k)
    edge = stop if stop >= 0 and t.low[stop] in _COORD else None
    if claimant is None and edge is not None:  # coordinated or participial: "…, and emphasized", ", saying"
        claimant = previous or _subject(t)
    if cue.role == "verb" and claimant and stop >= 0 and (t.word[stop] == "," or _close_quote(t, stop)):
        before = _content_before(t, stop) if _adjunct_only(t, j, t.low[i]) else None
        if before:
            return _Draft((i, j), claimant, before, stance)
    if cue.role == "calling":
        content = _calling_content(t, j)
        if content and any(t.low[x] in _DENY_WORDS for x in range(*content)):
            stance = "deny"
    else:
        content = _content_after(t, j, stance)
        if (
            content
            and t.low[i] in _THAT_ONLY
            and not (t.low[content[0]] == "that" or _open_quote(t, content[0]) or t.word[j] == ":")
        ):
            return None
    return _Draft((i, j), claimant, content, stance, edge=edge) if content else None


def _according_draft(t: _Tokens, cue: _Cue) -> _Draft | None:
    """'According to CLAIMANT, CONTENT' or 'CONTENT, according to CLAIMANT'."""
    i, j, n = cue.i, cue.j, _body_end(t)
    b = _np_forward(t, j)
    if not _np_ok(t, j, b):
        return None
    proper = any(t.word[x][0].isupper() for x in range(j, b))
    apo = _appositive_after(t, b, n) if proper else None
    rest = _content_after(t, apo or b, "assert", clause=True)
    front = sum(1 for x in range(i) if _is_word(t, x)) <= 3
    if (
        front
        and rest
        and sum(1 for x in range(*rest) if _is_word(t, x)) >= 2
        and t.low[rest[0]] not in _BOUNDARY
    ):
        return _Draft((i, j), _char_span(t, j, apo or b), rest, cue.stance, according=True)
    before = _content_before(t, i - 1) if i >= 1 else None
    if before is None:
        return None
    end = apo if apo and apo >= n else b
    return _Draft((i, j), _char_span(t, j, end), before, cue.stance, according=True)


def _noun_draft(t: _Tokens, cue: _Cue) -> _Draft | None:
    """'Russia's claims that …': the possessor (if any) is the claimant."""
    i = cue.i
    claimant = None
    for x in (i - 1, i - 2):
        if x >= 0 and (_possessive(t.low[x]) or t.low[x] in ("his", "her", "their", "its", "our")):
            a = _np_back(t, x + 1)
            if a is not None and _np_ok(t, a, x + 1):
                claimant = _char_span(t, a, x + 1)
            break
    content = _content_after(t, cue.j, cue.stance)
    return _Draft((i, cue.j), claimant, content, cue.stance) if content else None


def _sentence_drafts(t: _Tokens) -> list[_Draft]:
    drafts: list[_Draft] = []
    for cue in _find_cues(t):
        previous = next((d.claimant for d in reversed(drafts) if d.claimant), None)
        if cue.role == "according":
            draft = _according_draft(t, cue)
        elif cue.role == "noun":
            draft = _noun_draft(t, cue)
        else:
            draft = _verb_draft(t, cue, previous)
        if draft:
            drafts.append(draft)
    for d in drafts:  # a later coordinated claim ends an earlier content: "…, while X noted …"
        for e in drafts:
            if e.edge is not None and d.cue[1] <= e.edge and d.content[0] <= e.edge < d.content[1]:
                d.content = (d.content[0], e.edge)
    return drafts


# --- Output ---------------------------------------------------------------------------------------
def _kind(content: str, according: bool) -> str:
    if according:
        return "according_to"
    quotes = sum(content.count(q) for q in _QUOTES)
    if content[0] in _QUOTES and (quotes == 1 or (quotes == 2 and content[-1] in _QUOTES)):
        return "direct"
    return "mixed" if quotes else "indirect"


def _trim(t: _Tokens, a: int, b: int) -> tuple[int, int]:
    while a < b and t.word[a] in _LEAD_PUNCT:
        a += 1
    while b > a and (t.word[b - 1] in _TRAIL_PUNCT or (t.word[b - 1] in _QUOTES and _open_quote(t, b - 1))):
        b -= 1
    return a, b


def _row(text: str, t: _Tokens, index: int, d: _Draft) -> tuple[object, ...] | None:
    a, b = _trim(t, *d.content)
    if b <= a:
        return None
    cs, ce = t.start[d.cue[0]], t.end[d.cue[1] - 1]
    ks, ke = t.start[a], t.end[b - 1]
    claimant = (text[d.claimant[0] : d.claimant[1]], *d.claimant) if d.claimant else (None, None, None)
    content = text[ks:ke]
    kind = _kind(content, d.according)
    return (index, text[cs:ce], cs, ce, *claimant, content, ks, ke, d.stance, kind, RULESET_VERSION)


def _encodable(row: tuple[object, ...]) -> bool:
    try:
        for value in row:
            if isinstance(value, str):
                value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def extract_claims(text: str, sentences: Sequence[tuple[int, int]] | None = None) -> pl.DataFrame:
    """All attributions in one text; `sentences` defaults to split_sentences(text)."""
    spans = split_sentences(text) if sentences is None else sentences
    rows: list[tuple[object, ...]] = []
    for index, (s, e) in enumerate(spans):
        t = _tokenize(text, max(0, int(s)), min(len(text), int(e)))
        rows.extend(r for d in _sentence_drafts(t) if (r := _row(text, t, index, d)) is not None)
    rows = sorted(
        dict.fromkeys(r for r in rows if _encodable(r)), key=lambda r: (r[2], r[3], r[8], r[9], r[0])
    )
    return pl.DataFrame(rows, schema=CLAIM_COLUMNS, orient="row")


def claims_table(documents: pl.DataFrame, sentences: pl.DataFrame) -> pl.DataFrame:
    """One row per claim of every document (columns as CLAIMS_SCHEMA), in document then cue order."""
    by_doc: dict[str, list[tuple[int, int, int, str]]] = {}
    for sent_id, doc_id, index, start, end in sentences.select(
        "sent_id", "doc_id", "index", "start", "end"
    ).iter_rows():
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
            )
            frames.append(found.select(list(CLAIMS_SCHEMA)))
    return pl.concat(frames) if frames else pl.DataFrame(schema=CLAIMS_SCHEMA)
