"""One claim as extractors find it, and the rows the claims table keeps of it.

Why a module of its own: every extractor (the model, the rules) and the floating-quote pass yield `Claim`
records, character ranges per role; `claim_rows` is the one place that turns them into table rows: the
envelope columns (`*_start` / `*_end`, the text between them), the range lists (`*_spans`), and the
claimant's resolution and group.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from newsds.claims._rules import QUOTES, possessive
from newsds.lexicon import W as _W
from newsds.vocabulary import SPANS

Range = tuple[int, int]
Ranges = tuple[Range, ...]

CLAIM_COLUMNS: dict[str, pl.DataType] = {
    "sent_index": pl.Int32(),
    "cue": pl.Utf8(),  # null for a floating quotation: a quoted paragraph that continues an earlier claim
    "cue_start": pl.Int64(),
    "cue_end": pl.Int64(),
    "claimant": pl.Utf8(),
    "claimant_start": pl.Int64(),
    "claimant_end": pl.Int64(),
    "content": pl.Utf8(),
    "content_start": pl.Int64(),
    "content_end": pl.Int64(),
    "cue_spans": SPANS,
    "claimant_spans": SPANS,
    "content_spans": SPANS,
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


@dataclass(frozen=True, slots=True)
class Claim:
    """One attribution in a text: half-open character ranges per role, several where a role is
    discontinuous ('"We will win," she said, "and they know it."'), none where it is absent (no claimant in
    "it was alleged that"; no cue in a floating quotation). `sent_index` is the sentence of the cue (of the
    content when there is no cue); `resolved` is the claimant carried over to a floating quotation."""

    sent_index: int
    cue: Ranges
    claimant: Ranges
    content: Ranges
    stance: str
    kind: str
    annotator: str
    resolved: str | None = None

    def key(self) -> tuple[int, int, int, int, int]:
        """Document order: by cue (by content for a claim without one), then content."""
        anchor = self.cue or self.content
        return (anchor[0][0], anchor[-1][1], self.content[0][0], self.content[-1][1], self.sent_index)


def claim_kind(content: str, according: bool) -> str:
    """Direct: one quotation and nothing else; mixed: quoted and unquoted words."""
    if according:
        return "according_to"
    quotes = sum(content.count(q) for q in '"“”„«»') + content.count("''")
    edges = content.startswith(tuple(QUOTES)) + content.endswith(tuple(QUOTES))
    if (quotes == 2 and edges == 2) or (quotes == 1 and edges == 1):
        return "direct"
    return "mixed" if quotes else "indirect"


def _envelope(text: str, ranges: Ranges) -> tuple[str | None, int | None, int | None]:
    return (text[ranges[0][0] : ranges[-1][1]], ranges[0][0], ranges[-1][1]) if ranges else (None, None, None)


def _spans(ranges: Ranges) -> list[dict[str, int]]:
    return [{"start": s, "end": e} for s, e in ranges]


def encodable(text: str) -> bool:
    """Whether a text encodes as UTF-8: lone surrogates cannot be stored (nor tagged by CRFsuite)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _storable(text: str, claim: Claim) -> bool:
    """A claim whose roles hold a lone surrogate is dropped rather than raising."""
    roles = (claim.cue, claim.claimant, claim.content)
    return all(encodable(text[r[0][0] : r[-1][1]]) for r in roles if r)


def claim_rows(text: str, claims: Sequence[Claim]) -> list[tuple[object, ...]]:
    """Rows of CLAIM_COLUMNS, one per distinct claim in document order, with claimants resolved and
    grouped across the text."""
    unique = sorted((c for c in dict.fromkeys(claims) if _storable(text, c)), key=Claim.key)
    envelopes = [[_envelope(text, r) for r in (c.cue, c.claimant, c.content)] for c in unique]
    # A claim with no claimant of its own but a carried-over one (a floating quotation) is resolved and
    # grouped under that name.
    resolved = _claimants([e[1][0] or c.resolved for c, e in zip(unique, envelopes, strict=True)])
    rows: list[tuple[object, ...]] = []
    for c, (cue, claimant, content), (resolution, group) in zip(unique, envelopes, resolved, strict=True):
        spans = (_spans(c.cue), _spans(c.claimant), _spans(c.content))
        fields = (c.stance, c.kind, c.annotator, resolution or c.resolved, group)
        rows.append((c.sent_index, *cue, *claimant, *content, *spans, *fields))
    return rows


def claims_frame(rows: Sequence[tuple[object, ...]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=CLAIM_COLUMNS, orient="row")


# --- Claimant resolution and grouping -------------------------------------------------------------
_LOOKBACK = 64  # named claimants a pronoun may reach back over: keeps resolution linear in a long text
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_PLURAL_PRONOUNS = frozenset({"they", "them"})


def _head(claimant: str) -> str:
    """The name before an appositive or a title's comma: "Sergey Lavrov, Russia's FM" -> "Sergey Lavrov"
    (the whole claimant when it opens with a comma: ", the mayor" -> "the mayor")."""
    return claimant.split(",")[0].strip() or claimant.strip(" ,;:")


def _named(claimant: str) -> bool:
    words = _head(claimant).split()
    return bool(words) and words[-1][:1].isupper() and words[-1].lower() not in _W["pronouns"]


def _compatible(pronoun: str, antecedent: str) -> bool:
    """he/she take a person-like name (capitalised last word), they a plural or a coordinated claimant."""
    words = _head(antecedent).split()
    if not words:
        return False
    last = words[-1]
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
    seen: deque[tuple[str, str]] = deque(maxlen=_LOOKBACK)  # (claimant, group), the latest named ones
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
            words
            and all(w[:1].isupper() and not possessive(w.lower()) for w in words)
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
