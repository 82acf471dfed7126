"""Attributed claims: who (claimant) says (cue) what (content), with a stance and a kind.

Deterministic rules over the word tokens of one sentence at a time (`newsds.claim_rules`, contents and
drafts in `newsds.claim_content`, word lists in `newsds.claim_lexicon`): a lexicon of reporting verbs,
multi-word cues ("according to", "calling …", "cast doubt on", "referring to"), nominal cues that take a
that-clause ("Russia's claims that …") and speaker labels ("Paul Ryan: …"). The claimant is the noun phrase
next to the cue, the content the clause it introduces (or the clause before it: "…, the official said").
Spans follow PolNeAR's conventions (auxiliaries in the cue, a claimant's appositive up to the cue). Every
span is cut at token boundaries, so it slices back to its text and carries no outer whitespace. This module
turns the rules' drafts into rows, extends quotations across sentences (and over an interrupting cue), drops
reports nested inside a quotation, and resolves and groups claimants.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

from newsds.claims._drafts import sentence_drafts
from newsds.claims._rules import (
    LEAD_PUNCT,
    QUOTES,
    TRAIL_PUNCT,
    Draft,
    Tokens,
    possessive,
)
from newsds.claims.lexicon import STANCES as STANCES
from newsds.claims.lexicon import TRIGGERS as _TRIGGERS
from newsds.claims.lexicon import W as _W
from newsds.ids import child_id
from newsds.sentences import split_sentences

RULESET_VERSION = "newsds-rules/0.6.0"
RULES_PREFIX = RULESET_VERSION.split("/")[0] + "/"  # "newsds-rules/": annotator ids reserved for the rules
RULE_ROWS = pl.col("annotator").str.starts_with(RULES_PREFIX)  # claims rows made by the rules, not people
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

_QUOTED_END = re.compile(r"[.?!,][\"”']+$")  # a sentence that ends in a closed quotation
_MAX_QUOTE = 1500  # characters a quotation may run on past its cue's sentence
# What may follow '"…," she said' in its sentence for the quotation to go on in the next one: no quotation.
_TAIL = re.compile(r"[^\"“”\n]{0,120}")
_NEXT_PARAGRAPH = re.compile(r"[ \t]*\n\s*([“\"][^\n]*[”\"])[ \t]*(?:\n|$)")  # a quoted paragraph
_NEXT_QUOTE = re.compile(r"[ \t]*(“|''|\")")  # a quotation opening the next sentence of the paragraph
# Every cue starts at a trigger word (a token that equals one, lowercased) or is a speaker label's colon, so a
# sentence with neither yields no claim. A trigger token is a maximal run of a-z letters in the lowercased
# sentence (only a grouped number or an initialism may end right before it: "1,000said" is two tokens), so
# these runs find every one (and sometimes more: "SAID" stays uppercase in the rules).
_LETTER_RUN = re.compile(r"[a-z]+")


def maybe_cue(sentence: str) -> bool:
    return ":" in sentence or not _TRIGGERS.isdisjoint(_LETTER_RUN.findall(sentence.lower()))


# --- Output ---------------------------------------------------------------------------------------
def claim_kind(content: str, according: bool) -> str:
    """Direct: one quotation and nothing else; mixed: quoted and unquoted words."""
    if according:
        return "according_to"
    quotes = sum(content.count(q) for q in '"“”„«»') + content.count("''")
    edges = content.startswith(tuple(QUOTES)) + content.endswith(tuple(QUOTES))
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


def _quote_open(text: str, ks: int, ke: int) -> int:
    """A quotation closed in the content before a cue may have opened in an earlier sentence of the same
    paragraph: '“We will win. They know it,” she said.' The content then starts at the opening mark."""
    content = text[ks:ke]
    lo = max(0, ks - _MAX_QUOTE, text.rfind("\n", 0, ks) + 1)
    if content.count("”") > content.count("“"):
        opened, closed = text.rfind("“", lo, ks), text.rfind("”", lo, ks)
    elif content.count("''") % 2 and content.rstrip(",.?!").endswith("''"):
        opened, closed = text.rfind("''", lo, ks), -1
    elif content.count('"') % 2 and content.endswith('"'):
        opened, closed = text.rfind('"', lo, ks), -1
    else:
        return ks
    return opened if opened >= 0 and closed < opened else ks


def _quoted_at(text: str, x: int) -> bool:
    """Whether character x sits inside a quotation opened earlier in its paragraph. PolNeAR annotates the
    speaker's attribution, not the reports nested inside a quotation ('"I said, you don't understand"')."""
    para = text.rfind("\n", 0, x) + 1
    if text.count("“", para, x) > text.count("”", para, x):
        return True
    return text.count('"', para, x) % 2 == 1 or text.count("''", para, x) % 2 == 1


def _resumed(text: str, start: int, cs: int, claimant: tuple[int, int] | None, ks: int) -> int:
    """'"We will win," she said, "and they know it."': an interrupted quotation is one content from its first
    part, which opens the sentence, through its second, after the cue. Returns the content start."""
    head = text[start : min(cs, claimant[0] if claimant else cs)].rstrip()
    if ks < cs or text[ks] not in "“\"'" or head[:1] not in "“\"'" or not head.endswith((",”", ',"', ",''")):
        return ks
    return start if sum(head.count(q) for q in '“”"') + head.count("''") == 2 else ks


def _continued(text: str, end: int, ce: int, claimant: tuple[int, int] | None, ks: int, ke: int) -> int:
    """'"We will win," she said. "They know it."': PolNeAR's content goes on into a quotation that opens
    the next sentence of the paragraph and closes at the paragraph's end, when the rest of the cue's
    sentence holds no quotation. The one content span then runs over the cue (the gold splits it in two).
    Returns the content end."""
    tail = max(ce, claimant[1] if claimant else ce)
    if ke > ce or not text[ks:ke].endswith(("”", '"', "''")) or not _TAIL.fullmatch(text, tail, end):
        return ke
    m = _NEXT_QUOTE.match(text, end)
    if not m:
        return ke
    mark = m.group(1)
    close = text.find("”" if mark == "“" else mark, m.end(), m.end() + _MAX_QUOTE)
    if close < 0 or (mark == "“" and "“" in text[m.end() : close]):
        return ke
    close += len(mark) if mark != "“" else 1
    para = text.find("\n", close)
    return ke if text[close : len(text) if para < 0 else para].strip() else close


def _below(text: str, ce: int) -> tuple[int, int] | None:
    """'In a 1963 speech, he declared:' ending its paragraph: the content is the next paragraph when it is a
    quotation."""
    m = _NEXT_PARAGRAPH.match(text, ce)
    return (m.start(1), m.end(1)) if m else None


def _row(text: str, t: Tokens, index: int, d: Draft, sentence: tuple[int, int]) -> tuple[object, ...] | None:
    """One output row; the content loses outer punctuation and dangling quote marks. None for a cue inside a
    quotation."""
    cs, ce = t.start[d.cue[0]], t.end[d.cue[1] - 1]
    if _quoted_at(text, cs):
        return None
    if d.below:
        found = _below(text, ce)
        if found is None:
            return None
        ks, ke = found
        kind = claim_kind(text[ks:ke], d.according)
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
        ke = _quote_close(text, ks, ke) if ks > ce else ke
        ks = _quote_open(text, ks, ke) if ke < cs else ks
        kind = claim_kind(text[ks:ke], d.according)  # of the part next to the cue: what it continues is alike
        ks = _resumed(text, sentence[0], cs, d.claimant, ks)
        ke = _continued(text, sentence[1], ce, d.claimant, ks, ke)
    claimant = (text[d.claimant[0] : d.claimant[1]], *d.claimant) if d.claimant else (None, None, None)
    content = text[ks:ke]
    row = (index, text[cs:ce], cs, ce, *claimant, content, ks, ke, d.stance, kind)
    try:  # lone surrogates cannot be stored as UTF-8: such a row is dropped rather than raising
        "".join(v for v in row if isinstance(v, str)).encode("utf-8")
    except UnicodeEncodeError:
        return None
    return (*row, RULESET_VERSION)


def _claim_rows(text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[object, ...]]:
    """All attributions in one text as rows of CLAIM_COLUMNS, in cue order."""
    rows: list[tuple[object, ...]] = []
    previous = (0, 0)
    for index, (s, e) in enumerate(sentences):
        s, e = max(0, int(s)), min(len(text), int(e))
        if not maybe_cue(text[s:e]):  # no cue can start here: skip tokenising it (speed)
            previous = (s, e)
            continue
        # '"Why?" Clinton asked.' is split after the quotation: its content is the previous sentence.
        gap = text[previous[1] : s]
        quoted = _QUOTED_END.search(text, *previous) and gap.isspace() and "\n" not in gap
        t = Tokens.of(text, previous[0] if quoted else s, e)
        t.first = next((x for x in range(t.n) if t.start[x] >= s), t.n)
        drafts = [d for d in sentence_drafts(t) if t.start[d.cue[0]] >= s]
        rows.extend(r for d in drafts if (r := _row(text, t, index, d, (s, e))) is not None)
        previous = (s, e)
    unique = sorted(dict.fromkeys(rows), key=lambda r: (r[2], r[3], r[8], r[9], r[0]))
    return [(*r, *c) for r, c in zip(unique, _claimants([r[4] for r in unique]), strict=True)]


def extract_claims(text: str, sentences: Sequence[tuple[int, int]] | None = None) -> pl.DataFrame:
    """All attributions in one text; `sentences` defaults to split_sentences(text)."""
    spans = split_sentences(text) if sentences is None else sentences
    return pl.DataFrame(_claim_rows(text, spans), schema=CLAIM_COLUMNS, orient="row")


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
        if low in _W["relative"]:  # "who said …": the antecedent is not kept, so neither resolved nor grouped
            out.append((None, None))
            continue
        if low in _PERSON_PRONOUNS or low in _PLURAL_PRONOUNS:
            found = next(((c, g) for c, g in reversed(seen) if _compatible(low, c)), None)
            out.append((found[0], found[1]) if found else (None, None))
            continue
        head = _head(value)
        keys = [head.lower(), value.lower()]
        words = head.split()
        if (
            all(w[:1].isupper() and not possessive(w.lower()) for w in words)
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
    """One row per claim of every document (columns as CLAIMS_SCHEMA), in document then cue order.

    The rows of all documents go into one frame at the end: a frame per document costs more than the
    rules themselves on short articles."""
    by_doc: dict[str, list[tuple[int, int, int, str]]] = {}
    spans = sentences.select("sent_id", "doc_id", "index", "start", "end")
    for sent_id, doc_id, index, start, end in spans.iter_rows():
        by_doc.setdefault(doc_id, []).append((index, start, end, sent_id))
    rows: list[tuple[object, ...]] = []
    for doc_id, text in documents.select("doc_id", "text").iter_rows():
        sents = sorted(by_doc.get(doc_id, []))
        found = _claim_rows(text or "", [(s, e) for _, s, e, _ in sents])
        for n, (index, *row, group) in enumerate(found):
            sent_id = sents[int(index)][3]  # type: ignore[call-overload]
            rows.append((child_id(doc_id, "c", n), doc_id, sent_id, *row, group and f"{doc_id}-{group}"))
    return pl.DataFrame(rows, schema=CLAIMS_SCHEMA, orient="row")
