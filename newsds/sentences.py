"""Documents -> sentences with exact character offsets and a kind (heading, body, FAQ question/answer).

Offsets are Python string indices into the document text, half-open, so `text[start:end]` is the
sentence. A newline always ends a sentence: in a clean body every line is a paragraph, and headings
or list items carry no final punctuation to split on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from newsds.ids import child_id

SPLITTER_VERSION = "rules/0.1.0"

SENTENCE_KINDS = ("body", "heading", "faq_question", "faq_answer")

# Words that end in a period without ending a sentence when a capitalised word follows.
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen col lt maj capt cpt sgt cmdr adm gov sen rep pres supt det insp
    rev fr hon amb atty jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs
    fri sat sun inc ltd co corp bros llc plc dept univ assn ave blvd rd no nos vol fig est approx vs
    etc al e.g i.e cf ca op
    """.split()
)

# Capitalised words that usually open a new sentence after an ambiguous "U.S." or "D.C.".
_SENTENCE_OPENERS = frozenset(
    """
    the a an he she it they we i this that these those there his her its their our in on at as but and
    however meanwhile after before when while if since although though according yet so mr mrs ms dr
    """.split()
)

# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
_CANDIDATE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_NEXT_TOKEN = re.compile(r"\s+([\"'“‘(\[]*)(\S+)")
_TERMINAL = re.compile(r"[.!?…:;][\"'”’)\]]*$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    kind: str


def _is_boundary(text: str, end: int, next_word: str) -> bool:
    """Decide whether the punctuation ending at `end` closes a sentence, given the next word."""
    first = next_word[0]
    if not (first.isupper() or first.isdigit() or first in "\"'“‘(["):
        return False
    if text[end - 1] != ".":
        return True
    match = _WORD_BEFORE.search(text[max(0, end - 30) : end])
    if match is None:
        return True
    word = match.group(1)
    bare = word.lower().rstrip(".")
    if bare in _ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isupper():  # an initial: "J. R. R. Tolkien"
        return False
    if "." in word:  # "U.S.", "D.C.": a boundary only before a typical sentence opener
        return next_word.strip("\"'“‘([").lower() in _SENTENCE_OPENERS
    return True


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one line (a paragraph) into stripped sentence spans."""
    spans = []
    cursor = start
    for match in _CANDIDATE.finditer(text, start, end):
        nxt = _NEXT_TOKEN.match(text, match.end(), end)
        if nxt is None or not _is_boundary(text, match.end(), nxt.group(1) + nxt.group(2)):
            continue
        spans.append((cursor, match.end()))
        cursor = nxt.start(1)
    spans.append((cursor, end))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in spans) if e > s]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines as stripped (start, end) spans: every line of a clean body is a paragraph."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        s, e = _strip(text, pos, pos + len(line))
        if e > s:
            spans.append((s, e))
        pos += len(line) + 1
    return spans


def _is_heading(text: str, spans: list[tuple[int, int]]) -> bool:
    """A one-sentence paragraph of a few words with no final punctuation reads as a heading."""
    if len(spans) != 1:
        return False
    s, e = spans[0]
    line = text[s:e]
    return len(line.split()) <= 15 and not _TERMINAL.search(line)


def _faq_paragraphs(text: str, paragraphs: list[list[tuple[int, int]]]) -> set[int]:
    """Indices of paragraphs inside an FAQ block: two or more questions each followed by an answer."""

    def opens_with_question(i: int) -> bool:
        s, e = paragraphs[i][0]
        return text[s:e].rstrip("\"'”’").endswith("?")

    block: set[int] = set()
    i = 0
    while i < len(paragraphs):
        run: list[int] = []
        j = i
        while j < len(paragraphs) and opens_with_question(j):
            run.append(j)
            answered_inline = len(paragraphs[j]) > 1
            if not answered_inline and j + 1 < len(paragraphs) and not opens_with_question(j + 1):
                run.append(j + 1)
                j += 2
            elif answered_inline:
                j += 1
            else:
                break
        questions = sum(1 for k in run if opens_with_question(k))
        if questions >= 2:
            block.update(run)
            i = j
        else:
            i += 1
    return block


def sentence_spans(text: str) -> list[Sentence]:
    """Every sentence of `text` with its paragraph index and kind."""
    paragraphs = [_split_line(text, s, e) for s, e in _paragraphs(text)]
    faq = _faq_paragraphs(text, paragraphs)
    out = []
    for p, spans in enumerate(paragraphs):
        heading = p not in faq and _is_heading(text, spans)
        for s, e in spans:
            if p in faq:
                question = text[s:e].rstrip("\"'”’").endswith("?") and (s, e) == spans[0]
                kind = "faq_question" if question else "faq_answer"
            else:
                kind = "heading" if heading else "body"
            out.append(Sentence(s, e, p, kind))
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets `(start, end)` into `text`; `text[start:end]` is the sentence."""
    return [(s.start, s.end) for s in sentence_spans(text)]


SENTENCES_SCHEMA = {
    "sent_id": pl.Utf8,
    "doc_id": pl.Utf8,
    "index": pl.Int32,
    "paragraph": pl.Int32,
    "start": pl.Int64,
    "end": pl.Int64,
    "text": pl.Utf8,
    "kind": pl.Utf8,
}


def sentences_table(documents: pl.DataFrame) -> pl.DataFrame:
    """One row per sentence of every document (columns as SENTENCES_SCHEMA), ordered by doc and index."""
    rows: dict[str, list[object]] = {name: [] for name in SENTENCES_SCHEMA}
    for doc_id, text in documents.select("doc_id", "text").iter_rows():
        for index, sent in enumerate(sentence_spans(text)):
            rows["sent_id"].append(child_id(doc_id, "s", index))
            rows["doc_id"].append(doc_id)
            rows["index"].append(index)
            rows["paragraph"].append(sent.paragraph)
            rows["start"].append(sent.start)
            rows["end"].append(sent.end)
            rows["text"].append(text[sent.start : sent.end])
            rows["kind"].append(sent.kind)
    return pl.DataFrame(rows, schema=SENTENCES_SCHEMA)
