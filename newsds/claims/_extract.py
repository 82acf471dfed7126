"""The rule extractor: deterministic rules over the word tokens of one sentence at a time.

`_rules` finds tokens, cues and claimants, `_drafts` each cue's token spans, `lexicon` holds the word lists:
reporting verbs, multi-word cues ("according to", "calling …", "cast doubt on", "referring to"), nominal
cues that take a that-clause ("Russia's claims that …") and speaker labels ("Paul Ryan: …"). The claimant
is the noun phrase next to the cue, the content the clause it introduces (or the clause before it: "…, the
official said"). Spans follow PolNeAR's conventions (auxiliaries in the cue, a claimant's appositive up to
the cue) and are cut at token boundaries. This module turns drafts into `Claim`s, extends quotations across
sentences (and over an interrupting cue) and drops reports nested inside a quotation. The rules are the
`rules` extractor, and the learned model's features.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsds.claims._claim import Claim, Ranges, claim_kind
from newsds.claims._drafts import sentence_drafts
from newsds.claims._quotes import QuoteState
from newsds.claims._rules import LEAD_PUNCT, QUOTES, TRAIL_PUNCT, Draft, Tokens
from newsds.lexicon import TRIGGERS as _TRIGGERS

RULESET_VERSION = "newsds-rules/0.7.0"

_QUOTED_END = re.compile(r"[.?!,][\"”']+$")  # a sentence that ends in a closed quotation
_MAX_QUOTE = 1500  # characters a quotation may run on past its cue's sentence
# What may follow '"…," she said' in its sentence for the quotation to go on in the next one: no quotation.
_TAIL = re.compile(r"[^\"“”\n]{0,120}")
_NEXT_PARAGRAPH = re.compile(r"[ \t]*\n\s*([“\"][^\n]*[”\"])[ \t]*(?:\n|$)")  # a quoted paragraph
_REST_BLANK = re.compile(r"[^\S\n]*(?:\n|\Z)")  # nothing but spaces to the end of the paragraph
_NEXT_QUOTE = re.compile(r"[ \t]*(“|''|\")")  # a quotation opening the next sentence of the paragraph
# Every cue starts at a trigger word (a token that equals one, lowercased) or is a speaker label's colon, so a
# sentence with neither yields no claim. A trigger token is a maximal run of a-z letters in the lowercased
# sentence (only a grouped number or an initialism may end right before it: "1,000said" is two tokens), so
# these runs find every one (and sometimes more: "SAID" stays uppercase in the rules).
_LETTER_RUN = re.compile(r"[a-z]+")


def maybe_cue(sentence: str) -> bool:
    return ":" in sentence or not _TRIGGERS.isdisjoint(_LETTER_RUN.findall(sentence.lower()))


# --- Quotations across sentences --------------------------------------------------------------
def quote_close(text: str, ks: int, ke: int) -> int:
    """A quotation left open at the sentence end runs on to its closing mark in a later sentence."""
    content = text[ks:ke]
    if content.count("“") > content.count("”"):
        close, reopen = text.find("”", ke, ke + _MAX_QUOTE), text.find("“", ke, ke + _MAX_QUOTE)
    elif content.startswith('"') and content.count('"') % 2:
        close, reopen = text.find('"', ke, ke + _MAX_QUOTE), -1
    else:
        return ke
    return close + 1 if close >= 0 and (reopen < 0 or reopen > close) else ke


def quote_open(text: str, ks: int, ke: int) -> int:
    """A quotation closed in the content before a cue may have opened in an earlier sentence of the same
    paragraph: '“We will win. They know it,” she said.' The content then starts at the opening mark."""
    content = text[ks:ke]
    lo = max(0, ks - _MAX_QUOTE)
    lo = text.rfind("\n", lo, ks) + 1 or lo  # the paragraph's start, when it is within reach
    if content.count("”") > content.count("“"):
        opened, closed = text.rfind("“", lo, ks), text.rfind("”", lo, ks)
    elif content.count("''") % 2 and content.rstrip(",.?!").endswith("''"):
        opened, closed = text.rfind("''", lo, ks), -1
    elif content.count('"') % 2 and content.endswith('"'):
        opened, closed = text.rfind('"', lo, ks), -1
    else:
        return ks
    return opened if opened >= 0 and closed < opened else ks


def _resumed(text: str, start: int, cs: int, claimant: tuple[int, int] | None, ks: int) -> int:
    """'"We will win," she said, "and they know it."': an interrupted quotation is one content from its first
    part, which opens the sentence, through its second, after the cue. Returns the content start."""
    head = text[start : min(cs, claimant[0] if claimant else cs)].rstrip()
    if ks < cs or text[ks] not in "“\"'" or head[:1] not in "“\"'" or not head.endswith((",”", ',"', ",''")):
        return ks
    return start if sum(head.count(q) for q in '“”"') + head.count("''") == 2 else ks


def continuation(text: str, end: int, after: int, ks: int, ke: int) -> tuple[int, int] | None:
    """'"We will win," she said. "They know it."': PolNeAR's content goes on into a quotation that opens
    the next sentence of the paragraph and closes at the paragraph's end, when the rest of the cue's
    sentence (from `after`, past the cue and claimant, to `end`) holds no quotation. Returns that second
    range of the content, or None."""
    if ke > after or not text[ks:ke].endswith(("”", '"', "''")) or not _TAIL.fullmatch(text, after, end):
        return None
    m = _NEXT_QUOTE.match(text, end)
    if not m:
        return None
    mark = m.group(1)
    close = text.find("”" if mark == "“" else mark, m.end(), m.end() + _MAX_QUOTE)
    if close < 0 or (mark == "“" and "“" in text[m.end() : close]):
        return None
    close += len(mark) if mark != "“" else 1
    return (m.start(1), close) if _REST_BLANK.match(text, close) else None


def _below(text: str, ce: int) -> tuple[int, int] | None:
    """'In a 1987 interview, she declared:' ending its paragraph: the content is the next paragraph when it
    is a quotation."""
    m = _NEXT_PARAGRAPH.match(text, ce)
    return (m.start(1), m.end(1)) if m else None


def _claim(
    text: str, quotes: QuoteState, t: Tokens, index: int, d: Draft, sentence: tuple[int, int]
) -> Claim | None:
    """One claim of a draft; the content loses outer punctuation and dangling quote marks. None for a cue
    inside a quotation."""
    cs, ce = t.start[d.cue[0]], t.end[d.cue[1] - 1]
    if quotes.inside(cs):
        return None
    if d.below:
        found = _below(text, ce)
        if found is None:
            return None
        content: Ranges = (found,)
        kind = claim_kind(text[found[0] : found[1]], d.according)
    else:
        a, b = d.content
        while a < b and (
            t.word[a] in LEAD_PUNCT or (t.word[a] in QUOTES and not t.open_quote(a) and b - a > 1)
        ):
            a += 1
        while b > a and (t.word[b - 1] in TRAIL_PUNCT or (t.word[b - 1] in QUOTES and t.open_quote(b - 1))):
            b -= 1
        if b <= a:
            return None
        ks, ke = t.start[a], t.end[b - 1]
        ke = quote_close(text, ks, ke) if ks > ce else ke
        ks = quote_open(text, ks, ke) if ke < cs else ks
        kind = claim_kind(text[ks:ke], d.according)  # of the part next to the cue: what it continues is alike
        ks = _resumed(text, sentence[0], cs, d.claimant, ks)
        more = continuation(text, sentence[1], max(ce, d.claimant[1] if d.claimant else ce), ks, ke)
        content = ((ks, ke),) if more is None else ((ks, ke), more)
    claimant = (d.claimant,) if d.claimant else ()
    return Claim(index, ((cs, ce),), claimant, content, d.stance, kind, RULESET_VERSION)


def sentence_tokens(text: str, previous: tuple[int, int], s: int, e: int) -> Tokens:
    """The tokens of sentence [s, e), from the previous sentence's start when that one is a quotation this
    sentence closes in the same paragraph ('"Why?" Clinton asked.': its content is the previous sentence);
    `first` marks where the sentence proper starts."""
    gap = text[previous[1] : s]
    quoted = _QUOTED_END.search(text, *previous) and gap.isspace() and "\n" not in gap
    t = Tokens.of(text, previous[0] if quoted else s, e)
    t.first = next((x for x in range(t.n) if t.start[x] >= s), t.n)
    return t


def rule_claims(
    text: str, sentences: Sequence[tuple[int, int]], quotes: QuoteState | None = None
) -> list[Claim]:
    """All attributions the rules find in one text, one range per role."""
    quotes = QuoteState(text) if quotes is None else quotes
    found: list[Claim] = []
    previous = (0, 0)
    for index, (s, e) in enumerate(sentences):
        s, e = max(0, int(s)), min(len(text), int(e))
        if not maybe_cue(text[s:e]):  # no cue can start here: skip tokenising it (speed)
            previous = (s, e)
            continue
        # '"Why?" Clinton asked.' is split after the quotation: its content is the previous sentence.
        t = sentence_tokens(text, previous, s, e)
        drafts = [d for d in sentence_drafts(t) if t.start[d.cue[0]] >= s]
        found.extend(c for d in drafts if (c := _claim(text, quotes, t, index, d, (s, e))) is not None)
        previous = (s, e)
    return found
