"""Documents -> sentences with exact character offsets and a kind, vectorised over a Polars column.

Why vectorised: corpora run to hundreds of millions of articles, so segmentation is a handful of Polars
string expressions over the whole `text` column (the regex passes of `newsds.sentences.rules`, then
`extract_all`, `explode` and running sums of lengths), with no Python loop per sentence or per document.

Why a second executor: a Polars query has a fixed cost per call (about a millisecond) that dwarfs the
work on one short text. `split_sentences(text)` therefore runs the same rules, the same patterns in
Python's `re` dialect, through the same steps (marking passes, one match per sentence, stripping);
tests check that both give identical spans.

Offsets are Python string indices (characters, not bytes: only `len_chars` is used), half-open, so
`text[start:end]` is the sentence, stripped of surrounding whitespace. Every non-space character belongs
to exactly one sentence, and a newline always ends a sentence: in a clean body every line is a
paragraph, and headings or list items carry no final punctuation to split on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from newsds.sentences import rules

SPLITTER_VERSION = "rules/0.2.0"


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

# Stripped from a sentence's ends: Python's whitespace, and the cut marker that stands for one.
_STRIP = rules.SPACE_CHARS + rules.CUT
# A document that already contains a marker character has it replaced (one character for one, so
# offsets hold) by one the rules read as a letter; its sentence texts are then re-read from the original.
_MARKER_CLASS = "[" + rules.MARKERS + "]"
_HEADING_MAX_WORDS = 15
_CAPTION_MAX_SENTENCES = 3


@dataclass(frozen=True)
class Sentence:
    """One sentence of a text: `text[start:end]`, its paragraph (non-empty line) index and its kind."""

    start: int
    end: int
    paragraph: int
    kind: str


def _marked(text: pl.Expr) -> pl.Expr:
    """The text with abbreviation periods neutralised and cuts added, character for character."""
    text = text.str.replace_all(_MARKER_CLASS, rules.NOT_A_MARKER)
    for rule in rules.POLARS_PASSES:
        text = text.str.replace_all(rule.rust, rule.replacement)
    return text


@dataclass(frozen=True)
class _PythonPass:
    pattern: re.Pattern[str]
    replacement: str
    rule: rules.Pass


# The same rules for Python's `re`, for single texts: a Polars query costs more per call than splitting
# a short text, while `re` runs these patterns in microseconds.
_PY_PASSES = tuple(
    _PythonPass(re.compile(p.python_pattern()), p.python_replacement(), p) for p in rules.PYTHON_PASSES
)
_PY_SENTENCE = re.compile(rules.to_python(rules.SENTENCE))
_PY_MARKERS = re.compile(_MARKER_CLASS)


def _sub_at_line_starts(step: _PythonPass, text: str) -> str:
    """`pattern.sub` for a pattern anchored at line starts, trying only there (a match stays in its line)."""
    parts = []
    done = 0
    start = 0
    while start < len(text):
        match = step.pattern.match(text, start)
        if match:
            parts += [text[done : match.start()], match.expand(step.replacement)]
            done = match.end()
        start = text.find("\n", max(start, done)) + 1
        if start == 0:
            break
    return "".join(parts) + text[done:] if parts else text


def _python_spans(text: str) -> list[tuple[int, int]]:
    """`_spans` for one text with Python's `re`: the same passes, then the same tiling and stripping."""
    if rules.NOT_A_STOP in text or rules.CUT in text:
        text = _PY_MARKERS.sub(rules.NOT_A_MARKER, text)
    for step in _PY_PASSES:
        rule = step.rule
        if rule.needs and not any(needle in text for needle in rule.needs):
            continue
        if rule.line_start:
            text = _sub_at_line_starts(step, text)
        elif rule.prefix_space:
            spaced = " " + text
            if step.pattern.search(spaced):  # cheaper than `sub` with a template when nothing matches
                text = step.pattern.sub(step.replacement, spaced)[1:]
        elif step.pattern.search(text):
            text = step.pattern.sub(step.replacement, text)
    spans = []
    offset = 0
    for piece in _PY_SENTENCE.findall(text):
        body = piece.lstrip(_STRIP)
        start = offset + len(piece) - len(body)
        body = body.rstrip(_STRIP)
        if body:
            spans.append((start, start + len(body)))
        offset += len(piece)
    return spans


def _first_in_run(key: str) -> pl.Expr:
    """True on the first row of each run of equal `key` values (rows come sorted by document)."""
    return (pl.col(key) != pl.col(key).shift(1)).fill_null(True)


def _since_run_start(value: pl.Expr, first: pl.Expr) -> pl.Expr:
    """`value` minus its value on the first row of the run: per-document running figures without `over`."""
    return value - pl.when(first).then(value).forward_fill()


def _spans(documents: pl.LazyFrame, *, texts: bool = True, keep: tuple[str, ...] = ()) -> pl.LazyFrame:
    """`_doc` (row number) and `text` -> one row per sentence: _doc, index, paragraph, start, end[, text].

    Columns named in `keep` are carried along from each document to its sentences.

    The pieces `extract_all` returns tile each document, so a piece's offset is the running sum of the
    lengths of the pieces before it in its document. Rows stay in document order throughout, so
    per-document figures are global running sums minus their value at the document's first row.
    """
    n = pl.col("piece").str.len_chars().cast(pl.Int64)
    lead = n - pl.col("piece").str.strip_chars_start(_STRIP).str.len_chars()
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    breaks = pl.col("new_paragraph").cast(pl.Int64).cum_sum()
    spans = (
        documents.select("_doc", *keep, piece=_marked(pl.col("text")).str.extract_all(rules.SENTENCE))
        .explode("piece")
        .filter(pl.col("piece").is_not_null())
        .with_columns(
            start=_since_run_start(n.cum_sum() - n, _first_in_run("_doc")) + lead,
            text=pl.col("piece").str.strip_chars(_STRIP),
            new_paragraph=pl.col("piece").str.contains("\n", literal=True),
        )
        .with_columns(end=pl.col("start") + pl.col("text").str.len_chars().cast(pl.Int64))
        .filter(pl.col("end") > pl.col("start"))
        .with_columns(first=_first_in_run("_doc"))
        .with_columns(
            index=_since_run_start(row, pl.col("first")).cast(pl.Int32),
            paragraph=_since_run_start(breaks, pl.col("first")).cast(pl.Int32),
        )
    )
    columns = ["_doc", *keep, "index", "paragraph", "start", "end"]
    if not texts:
        return spans.select(columns)
    return spans.select(*columns, pl.col("text").str.replace_all(rules.NOT_A_STOP, ".", literal=True))


def _run_total(value: pl.Expr, first: pl.Expr, last: pl.Expr) -> pl.Expr:
    """The sum of `value` over each run (rows from a `first` to the next `last`), on every row of it."""
    total = value.cum_sum()
    total = total - pl.when(first).then(total - value).forward_fill()
    return pl.when(last).then(total).backward_fill()


def _of_first_row(value: pl.Expr, first: pl.Expr) -> pl.Expr:
    """`value` on the first row of each run, on every row of the run."""
    return pl.when(first).then(value).forward_fill()


def _of_next_run(value: pl.Expr, first: pl.Expr) -> pl.Expr:
    """`value` on the first row of the next run, on every row of this one (null after the last run)."""
    return pl.when(first).then(value).shift(-1).backward_fill()


def _kinds(sentences: pl.LazyFrame) -> pl.LazyFrame:
    """Add `kind`: FAQ blocks first, then list items, captions, headings; everything else is body.

    An FAQ block is two or more answered questions in a row: a paragraph opening with a question and
    either going on with its answer or followed by an answer paragraph (one not opening with a question).
    A list item is a paragraph opening with a bullet or a number; a caption a paragraph of at most three
    sentences with an image credit (or the credit sentence itself); a heading a paragraph of one short
    sentence without final punctuation. Rows are in document order, so paragraph figures are running
    sums and fills over runs of rows: no group-by, no join.
    """
    text, doc, first, last = pl.col("text"), pl.col("_doc"), pl.col("first"), pl.col("last")
    opens_paragraph = (pl.col("index") == 0) | (pl.col("paragraph") != pl.col("paragraph").shift(1))
    return (
        sentences.with_columns(
            first=opens_paragraph.fill_null(True),
            question=text.str.contains(rules.QUESTION),
            credit=text.str.contains(rules.CREDIT),
        )
        .with_columns(last=first.shift(-1).fill_null(True))
        .with_columns(
            n=_run_total(pl.repeat(1, pl.len(), dtype=pl.Int64), first, last),
            credit_any=_run_total(pl.col("credit").cast(pl.Int64), first, last) > 0,
            opens_with_question=_of_first_row(pl.col("question"), first),
            next_opens_with_question=_of_next_run(pl.col("question"), first).fill_null(False),
            next_in_same_doc=(_of_next_run(doc, first) == doc).fill_null(False),
            list_item=_of_first_row(text.str.contains(rules.LIST_ITEM), first),
            short=_of_first_row(text.str.count_matches(" ", literal=True) < _HEADING_MAX_WORDS, first),
            unpunctuated=_of_first_row(~text.str.contains(rules.FINAL_PUNCTUATION), first),
        )
        .with_columns(
            answered_next=pl.col("opens_with_question")
            & (pl.col("n") == 1)
            & pl.col("next_in_same_doc")
            & ~pl.col("next_opens_with_question")
        )
        .with_columns(
            asked=(pl.col("opens_with_question") & (pl.col("n") > 1)) | pl.col("answered_next"),
            # the previous paragraph's answered_next, in the same document
            answer=_of_first_row(
                (pl.col("answered_next").shift(1) & (pl.col("index") > 0)).fill_null(False), first
            ),
        )
        .with_columns(in_unit=pl.col("asked") | pl.col("answer"))
        .with_columns(run_first=first & (~pl.col("in_unit") | (pl.col("index") == 0)))
        .with_columns(run_last=pl.col("run_first").shift(-1).fill_null(True))
        .with_columns(
            faq=pl.col("in_unit")
            & (
                _run_total((first & pl.col("asked")).cast(pl.Int64), pl.col("run_first"), pl.col("run_last"))
                >= 2
            )
        )
        .with_columns(
            kind=pl.when("faq")
            .then(
                pl.when(first & pl.col("question"))
                .then(pl.lit("faq_question"))
                .otherwise(pl.lit("faq_answer"))
            )
            .when("list_item")
            .then(pl.lit("list_item"))
            .when((pl.col("credit_any") & (pl.col("n") <= _CAPTION_MAX_SENTENCES)) | pl.col("credit"))
            .then(pl.lit("caption"))
            .when((pl.col("n") == 1) & pl.col("short") & pl.col("unpunctuated"))
            .then(pl.lit("heading"))
            .otherwise(pl.lit("body"))
        )
    )


def _documents(texts: pl.Series, doc_ids: pl.Series | None = None) -> pl.LazyFrame:
    """The frame `_spans` reads: the texts, their row numbers (and document IDs when given)."""
    columns = {"text": texts} if doc_ids is None else {"doc_id": doc_ids, "text": texts}
    return pl.LazyFrame(columns).with_row_index("_doc")


def _reread_tainted(table: pl.DataFrame, texts: pl.Series) -> pl.DataFrame:
    """Sentence texts of documents that contained a marker character, sliced from the original text."""
    tainted = texts.str.contains(_MARKER_CLASS).fill_null(False)
    if not tainted.any():
        return table
    rows = table.with_row_index("_row").filter(pl.col("_doc").is_in(tainted.arg_true().implode()))
    originals = texts.to_list()
    fixed = [originals[d][s:e] for d, s, e in rows.select("_doc", "start", "end").iter_rows()]
    return table.with_columns(table["text"].scatter(rows["_row"], fixed))


def offsets_table(texts: pl.Series) -> pl.DataFrame:
    """Sentence offsets of every text of a column, vectorised, without kinds or sentence texts.

    One row per sentence: `row` (the text's position in `texts`), `index`, `paragraph`, `start`, `end`.
    This is the segmentation hot path that `sentences_table` builds on; evaluation and benchmarks call it.
    """
    spans = _spans(_documents(texts.cast(pl.Utf8)), texts=False)
    return spans.rename({"_doc": "row"}).collect()


def sentence_spans(text: str) -> list[Sentence]:
    """Every sentence of `text` with its paragraph index and kind."""
    texts = pl.Series([text], dtype=pl.Utf8)
    table = _kinds(_spans(_documents(texts))).select("start", "end", "paragraph", "kind").collect()
    return [Sentence(*row) for row in table.iter_rows()]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets `(start, end)` into `text`; `text[start:end]` is the sentence.

    The same rules as the vectorised path (`offsets_table`), run by Python's `re` on this one text.
    """
    return _python_spans(text)


def sentences_table(documents: pl.DataFrame) -> pl.DataFrame:
    """One row per sentence of every document (columns as SENTENCES_SCHEMA), ordered by doc and index."""
    texts = documents["text"].cast(pl.Utf8)
    sentences = _kinds(_spans(_documents(texts, documents["doc_id"].cast(pl.Utf8)), keep=("doc_id",)))
    # newsds.ids.child_id(doc_id, "s", index), vectorised: "<doc_id>-s<index:04d>"
    sent_id = pl.format("{}-s{}", pl.col("doc_id"), pl.col("index").cast(pl.Utf8).str.zfill(4))
    table = sentences.select("_doc", sent_id.alias("sent_id"), *list(SENTENCES_SCHEMA)[1:]).collect()
    return _reread_tainted(table, texts).drop("_doc").cast(SENTENCES_SCHEMA)  # type: ignore[arg-type]
