"""Sentence spans: exact offsets, kinds, and the invariants every consumer relies on."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from newsds import split_sentences
from newsds.sentences import sentence_spans, sentences_table
from tests.conftest import SEED_000


def texts(spans: list[tuple[int, int]], text: str) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_splits_on_terminal_punctuation_but_not_abbreviations_or_initials() -> None:
    text = (
        "Gov. Smith met J. R. R. Tolkien at 3 p.m. on Jan. 5. He left. Was it late? Yes! U.S. troops stayed."
    )
    assert texts(split_sentences(text), text) == [
        "Gov. Smith met J. R. R. Tolkien at 3 p.m. on Jan. 5.",
        "He left.",
        "Was it late?",
        "Yes!",
        "U.S. troops stayed.",
    ]


def test_a_newline_always_ends_a_sentence() -> None:
    text = "Election Results\n\nThe count ended. Turnout rose\nA heading"
    assert texts(split_sentences(text), text) == [
        "Election Results",
        "The count ended.",
        "Turnout rose",
        "A heading",
    ]


def test_kinds_on_the_seed_article() -> None:
    text = SEED_000.read_text()
    kinds = {text[s.start : s.end]: s.kind for s in sentence_spans(text)}
    assert kinds["Tatarstan Drone Attack"] == "heading"
    assert kinds["Has Kazakhstan cooperated with the investigation into the drone attack?"] == "faq_question"
    assert (
        kinds["How does Kazakhstan view its role in promoting regional peace and stability?"]
        == "faq_question"
    )
    answer = "Kazakhstan emphasizes its commitment to upholding international law and fostering peaceful"
    assert [k for t, k in kinds.items() if t.startswith(answer)] == ["faq_answer"]
    conclusion = [k for t, k in kinds.items() if t.startswith("The Tatarstan drone attack has ignited")]
    assert conclusion == ["body"]


def test_a_lone_question_is_body_not_faq() -> None:
    text = "Why now?\n\nOfficials gave no reason. The vote went ahead."
    assert {s.kind for s in sentence_spans(text)} == {"body"}


def test_sentences_table_ids_and_offsets() -> None:
    docs = pl.DataFrame({"doc_id": ["a" * 16, "b" * 16], "text": ["One. Two.", "Three"]})
    table = sentences_table(docs)
    assert table["sent_id"].to_list() == ["a" * 16 + "-s0000", "a" * 16 + "-s0001", "b" * 16 + "-s0000"]
    assert table["text"].to_list() == ["One.", "Two.", "Three"]
    assert table["start"].to_list() == [0, 5, 0]


_PIECES = st.sampled_from(
    [
        "The",
        "U.S.",
        "said",
        "Mr.",
        "Smith",
        "3.5%",
        "\u201cYes,\u201d",
        "?",
        "!",
        ".",
        "...",
        "J.",
        "\n",
        "\n\n",
        " ",
        "  ",
        "é",
        "a",
        "Z",
    ]
)


@given(st.lists(_PIECES, max_size=60).map(" ".join) | st.text(max_size=300))
def test_span_invariants(text: str) -> None:
    spans = split_sentences(text)
    assert spans == split_sentences(text)  # deterministic
    previous_end = 0
    covered = set()
    for start, end in spans:
        assert previous_end <= start < end <= len(text)  # ordered, non-overlapping, non-empty, inside
        assert text[start:end] == text[start:end].strip()  # stripped
        covered.update(range(start, end))
        previous_end = end
    non_space = {i for i, c in enumerate(text) if not c.isspace()}
    assert non_space <= covered  # every non-space character belongs to a sentence


@given(
    st.sampled_from(["The minister said the talks would resume.", "Prices rose 3.5% in Jan.", "Is it over?"])
)
def test_resplitting_a_sentence_returns_it_whole(sentence: str) -> None:
    assert split_sentences(sentence) == [(0, len(sentence))]
