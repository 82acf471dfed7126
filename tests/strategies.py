"""Hypothesis strategies for news-like articles: paragraphs of reported speech ("X said Y.", quotations
with a trailing cue, "according to", interrupted quotations), plain sentences and floating quotations,
with names and clauses generated word by word. Each article knows where its sentences are, so a test can
blank one out (same length, no claim in it) and compare the claims of the two texts."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from hypothesis import strategies as st

from newsds.claims import claims_table
from newsds.sentences import sentences_table
from newsds.sentences.rules import ABBREVIATIONS

DOC = "0123456789abcdef"
LOWER = "abcdefghijklmnopqrstuvwxyz"
# Words the splitter reads as abbreviations ("pp.", "Dr.") would join two generated sentences into one, so
# an article's sentences would not be where it says they are: generated words are never one.
_ABBREVIATED = frozenset(a.lower() for a in ABBREVIATIONS)
WORD = st.text(LOWER, min_size=2, max_size=9).filter(lambda w: w not in _ABBREVIATED)
NAME_WORD = st.builds(
    str.__add__, st.sampled_from(LOWER.upper()), st.text(LOWER, min_size=2, max_size=8)
).filter(lambda w: w.lower() not in _ABBREVIATED)
CUES = ("said", "says", "told reporters", "denied", "warned", "noted", "argued", "added", "claimed")


@dataclass(frozen=True)
class Article:
    """A generated text and the (start, end) of each of its sentences that may hold a claim."""

    text: str
    slots: tuple[tuple[int, int], ...]

    def blanked(self, k: int) -> str:
        """The text with sentence k replaced by a claim-free sentence of the same length: every other
        character keeps its offset."""
        start, end = self.slots[k]
        piece = self.text[start:end]
        filler = "".join(" " if c == " " else "z" for c in piece)
        filler = "Z" + filler[1:-1] + "." if len(piece) > 1 else "Z"
        return self.text[:start] + filler + self.text[end:]


def _clause(words: list[str]) -> str:
    return " ".join(words)


@st.composite
def names(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(NAME_WORD, min_size=1, max_size=3)))


@st.composite
def clauses(draw: st.DrawFn, capital: bool = False) -> str:
    text = _clause(draw(st.lists(WORD, min_size=2, max_size=9)))
    return text[0].upper() + text[1:] if capital else text


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """One sentence: reported speech of some shape, or a plain statement."""
    name, cue = draw(names()), draw(st.sampled_from(CUES))
    shape = draw(st.integers(0, 5))
    if shape == 0:
        that = draw(st.sampled_from(("", "that ")))
        return f"{name} {cue} {that}{draw(clauses())}."
    if shape == 1:
        return f'"{draw(clauses(capital=True))}," {name} said.'
    if shape == 2:
        return f"According to {name}, {draw(clauses())}."
    if shape == 3:
        return f'"{draw(clauses(capital=True))}," {name} said, "{draw(clauses())}."'
    if shape == 4:
        return f'{name} {cue}: "{draw(clauses(capital=True))}."'
    return f"{draw(clauses(capital=True))}."


@st.composite
def articles(draw: st.DrawFn, max_paragraphs: int = 4, floating: bool = True) -> Article:
    """Paragraphs of 1-4 sentences separated by blank lines; after a paragraph, sometimes a paragraph
    that is one quotation (a floating quotation when the paragraph before has a claimant)."""
    parts: list[str] = []
    slots: list[tuple[int, int]] = []
    at = 0
    for _ in range(draw(st.integers(1, max_paragraphs))):
        if parts:
            parts.append("\n\n")
            at += 2
        for i, sentence in enumerate(draw(st.lists(sentences(), min_size=1, max_size=4))):
            if i:
                parts.append(" ")
                at += 1
            parts.append(sentence)
            slots.append((at, at + len(sentence)))
            at += len(sentence)
        if floating and draw(st.booleans()):
            quote = f'\n\n"{draw(clauses(capital=True))}."'
            parts.append(quote)
            at += len(quote)
    return Article("".join(parts), tuple(slots))


def documents(text: str, doc_id: str = DOC, language: str = "en") -> pl.DataFrame:
    """A one-document table, as claims_table reads it."""
    return pl.DataFrame({"doc_id": [doc_id], "language": [language], "text": [text]})


def claims_of(text: str, extractor: str = "rules", doc_id: str = DOC) -> pl.DataFrame:
    """The claims table of a one-document corpus (the rules by default: fast, and local to a sentence)."""
    docs = documents(text, doc_id)
    return claims_table(docs, sentences_table(docs), extractor=extractor)
