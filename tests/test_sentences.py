"""Sentence spans: exact offsets, kinds, and the invariants every consumer relies on."""

from __future__ import annotations

import re

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsds import split_sentences
from newsds.ids import child_id
from newsds.sentences import offsets_table, rules, sentence_spans, sentences_table
from newsds.vocabulary import SENTENCE_KINDS
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
    covered: set[int] = set()
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


# --- news English rules -----------------------------------------------------------------------------


def split(text: str) -> list[str]:
    return texts(split_sentences(text), text)


@pytest.mark.parametrize(
    "sentence",
    [
        "The U.S. Sen. John Smith met Lt. Col. Jane Doe on Jan. 5 at 10 a.m. in Washington.",
        "Acme Inc. and Widget Co. Ltd. filed the No. 2 bid with Gov. Brown and Dr. Lee.",
        "J. R. R. Tolkien and C. S. Lewis met at St. Mary's with Mr. and Mrs. Smith.",
        "Prices rose 3.5% to $1.2bn, or 0.4 points, at 9.30 a.m. on Sept. 12.",
        "See https://www.example.com/path/page.html?x=1&y=2 or write to john.doe@example.co.uk for details.",
        "The firm (Acme Corp.) said it would appeal, e.g. to the U.N. assembly.",
        'The report, titled "Is this the end?" was published on Monday.',
    ],
)
def test_abbreviations_initials_numbers_urls_do_not_end_a_sentence(sentence: str) -> None:
    assert split(sentence) == [sentence]


def test_an_abbreviation_ends_a_sentence_before_a_sentence_opener() -> None:
    assert split("He moved to the U.S. The move was hard. It is 5 p.m. He left Acme Inc. She stayed.") == [
        "He moved to the U.S.",
        "The move was hard.",
        "It is 5 p.m.",
        "He left Acme Inc.",
        "She stayed.",
    ]
    assert split('It came from the U.S. "We are pleased," he said.') == [
        "It came from the U.S.",
        '"We are pleased," he said.',
    ]


def test_ellipses() -> None:
    assert split("He paused... Then he spoke. Well... he said nothing. Wait . . . what? Done.") == [
        "He paused...",
        "Then he spoke.",
        "Well... he said nothing.",
        "Wait . . . what?",
        "Done.",
    ]


def test_quotes_over_several_sentences_even_unclosed_before_a_paragraph_break() -> None:
    text = (
        '"We will win. We have the votes," she said.\n\n"Nobody can stop us. Nobody.\n\nThe vote is Monday.'
    )
    assert split(text) == [
        '"We will win.',
        'We have the votes," she said.',
        '"Nobody can stop us.',
        "Nobody.",
        "The vote is Monday.",
    ]


def test_question_or_exclamation_in_a_quote_before_a_lower_case_attribution() -> None:
    text = (
        '"Is this the end?" she asked. "No!" he shouted. '
        '\u201cReally?\u201d asked Ms. Doe. "Why?" Clinton asked.'
    )
    assert split(text) == [
        '"Is this the end?" she asked.',
        '"No!" he shouted.',
        "\u201cReally?\u201d asked Ms. Doe.",
        '"Why?"',
        "Clinton asked.",
    ]


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("WASHINGTON (AP) \u2014 The Senate voted on Tuesday.", "WASHINGTON (AP) \u2014"),
        ("LONDON (Reuters) - Britain said on Monday it would act.", "LONDON (Reuters) -"),
        (
            "Dayton, Ohio, United States - Last night the fair opened.",
            "Dayton, Ohio, United States -",
        ),
        ("Monday, March 2, 2020 On Sunday the team won.", "Monday, March 2, 2020"),
    ],
)
def test_datelines_and_date_lines_opening_a_paragraph(text: str, dateline: str) -> None:
    assert split(text) == [dateline, text[len(dateline) + 1 :]]


def test_acronyms_that_end_a_sentence_keep_ending_it() -> None:
    assert split("He quit the FT. Analysts were surprised. She has MS. Doctors know.") == [
        "He quit the FT.",
        "Analysts were surprised.",
        "She has MS.",
        "Doctors know.",
    ]


def test_the_executors_agree_on_datelines_credits_and_glued_openers() -> None:
    documents = [
        "EUGENE, Ore. (AP) \u2014 The dam held. It rained in Ore. (Reuters) - later.",
        "ST. CLOUD, Minn. (AP) \u2014 The river rose.\nGOV. ROE SIGNS BILL",
        "Crowds gather at the harbour Photo: Jane Doe/Reuters\nResults by district In the north it rose.",
        "x. (AP) \u2014y. (AP) \u2014 z",
    ]
    table = offsets_table(pl.Series(documents))
    for row, text in enumerate(documents):
        rows = table.filter(pl.col("row") == row)
        assert list(zip(rows["start"], rows["end"], strict=True)) == split_sentences(text)


def test_a_dateline_followed_by_lower_case_or_mid_paragraph_stays() -> None:
    for text in [
        "Smith - who won - spoke.",
        "He said Friday, July 21, 2017 was a good day.",
        "Paris - the city - woke.",
    ]:
        assert split(text) == [text]


def test_headings_and_list_items_without_final_punctuation() -> None:
    text = (
        "Election Results\n\nThe count ended.\n- First point\n- Second point\n"
        "1. Numbered item. It has two.\niv. Roman"
    )
    assert split(text) == [
        "Election Results",
        "The count ended.",
        "- First point",
        "- Second point",
        "1. Numbered item.",
        "It has two.",
        "iv. Roman",
    ]


def test_image_credits_glued_to_a_caption_start_a_sentence() -> None:
    assert split("Crowds gather at the harbour Photo: Jane Doe/Reuters") == [
        "Crowds gather at the harbour",
        "Photo: Jane Doe/Reuters",
    ]
    assert split("Mayor Ann Roe greets the winner Image credit: City of Dayton.") == [
        "Mayor Ann Roe greets the winner",
        "Image credit: City of Dayton.",
    ]
    assert split("The band played in Washington D.C. Credit: John Roe.") == [  # after an abbreviation
        "The band played in Washington D.C.",
        "Credit: John Roe.",
    ]
    # Inside a sentence, or in brackets, a credit label is part of the sentence.
    assert split("The parade passed by (Image: AP) on Monday.") == [
        "The parade passed by (Image: AP) on Monday."
    ]


def test_a_capitalised_function_word_after_a_bare_word_starts_a_sentence() -> None:
    assert split("Results by district In the north the turnout rose.") == [
        "Results by district",
        "In the north the turnout rose.",
    ]
    assert split("SPRING SALE STARTS MONDAY The store opens at nine. Jane Doe of Dayton She won.") == [
        "SPRING SALE STARTS MONDAY",
        "The store opens at nine.",
        "Jane Doe of Dayton",
        "She won.",
    ]
    # Followed by a capital it is a name or a title, not a sentence start.
    assert split("He read The Times and saw In Bruges twice.") == [
        "He read The Times and saw In Bruges twice."
    ]


def test_offsets_are_characters_not_bytes() -> None:
    text = (
        "Caf\u00e9 \u201cr\u00e9sum\u00e9\u201d \u2014 done. \u00c9tienne left \U0001f600 at noon\u2026 Fin."
    )
    spans = split_sentences(text)
    assert texts(spans, text) == [
        "Caf\u00e9 \u201cr\u00e9sum\u00e9\u201d \u2014 done.",
        "\u00c9tienne left \U0001f600 at noon\u2026",
        "Fin.",
    ]
    table = offsets_table(pl.Series([text]))
    assert list(zip(table["start"], table["end"], strict=True)) == spans


# --- kinds ------------------------------------------------------------------------------------------


def kinds_of(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in sentence_spans(text)]


def test_kinds_heading_body_list_item_caption() -> None:
    text = (
        "Flood Warnings Issued\n\n"
        "Rivers rose overnight. Residents left.\n\n"
        "- Stay indoors\n"
        "2. Call 911. Do not wait.\n\n"
        "Rescuers carry a child through the water. Photo: Jane Doe.\n\n"
        "Officials said more rain was due (AP Photo/John Roe).\n"
        "The river crested at noon. Officials said more rain was due. Roads closed. Image: Jane Doe."
    )
    assert kinds_of(text) == [
        ("Flood Warnings Issued", "heading"),
        ("Rivers rose overnight.", "body"),
        ("Residents left.", "body"),
        ("- Stay indoors", "list_item"),
        ("2. Call 911.", "list_item"),
        ("Do not wait.", "list_item"),
        ("Rescuers carry a child through the water.", "caption"),
        ("Photo: Jane Doe.", "caption"),
        ("Officials said more rain was due (AP Photo/John Roe).", "caption"),
        ("The river crested at noon.", "body"),
        ("Officials said more rain was due.", "body"),
        ("Roads closed.", "body"),
        ("Image: Jane Doe.", "caption"),
    ]
    assert {kind for _, kind in kinds_of(text)} <= set(SENTENCE_KINDS)


def test_faq_block_with_answers_on_the_next_line_or_the_same_line() -> None:
    text = (
        "What happened? A dam broke.\n"
        "Who was hurt?\n"
        "Nobody, officials said.\n"
        "Why now?\n"
        "Why here?\n"
        "Engineers are checking.\n"
        "The town reopened."
    )
    assert kinds_of(text) == [
        ("What happened?", "faq_question"),
        ("A dam broke.", "faq_answer"),
        ("Who was hurt?", "faq_question"),
        ("Nobody, officials said.", "faq_answer"),
        ("Why now?", "body"),  # unanswered: ends the block
        ("Why here?", "body"),  # one answered question alone is no FAQ block
        ("Engineers are checking.", "body"),
        ("The town reopened.", "body"),
    ]


# --- the vectorised path and the single-text path agree ------------------------------------------

_NEWS_PIECES = st.sampled_from(
    [
        "The", "In", "said", "he", "she asked", "Mr.", "Gov.", "U.S.", "p.m.", "Inc.", "No.", "Jan.", "J.",
        "Smith", "3.5%", "$1.2bn", "e.g.", "www.example.com", "a@b.org", "\u201cYes,\u201d", '"Why?"', "'",
        ")", "(AP)", "\u2014", "-", "?", "!", ".", "...", "\u2026", ",", "1.", "b)", "Image:", "Photo:",
        "WASHINGTON", "ST.", "Calif.", "(Reuters)", "Friday,", "July 21, 2017",
        "\n", "\n\n", " ", "  ", "\t", "\u00a0", "\u2003", "\x1c",
        "\u00e9", "\U0001f600", "a", "Z", rules.NOT_A_STOP, rules.CUT, rules.NOT_A_MARKER,
    ]
)  # fmt: skip
_NEWS_TEXT = st.lists(_NEWS_PIECES, max_size=40).map(" ".join) | st.lists(_NEWS_PIECES, max_size=40).map(
    "".join
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_NEWS_TEXT | st.text(max_size=80), min_size=1, max_size=5))
def test_sentences_table_matches_split_sentences_on_every_document(documents: list[str]) -> None:
    ids = [f"{i:016x}" for i in range(len(documents))]
    table = sentences_table(pl.DataFrame({"doc_id": ids, "text": documents}))
    for doc_id, text in zip(ids, documents, strict=True):
        rows = table.filter(pl.col("doc_id") == doc_id)
        spans = split_sentences(text)
        assert list(zip(rows["start"], rows["end"], strict=True)) == spans
        assert rows["text"].to_list() == [text[s:e] for s, e in spans]
        assert rows["index"].to_list() == list(range(len(spans)))
        assert rows["sent_id"].to_list() == [child_id(doc_id, "s", i) for i in range(len(spans))]
    assert table["doc_id"].to_list() == sorted(table["doc_id"].to_list())  # document order kept
    assert set(table["kind"].to_list()) <= set(SENTENCE_KINDS)


@given(_NEWS_TEXT)
def test_span_invariants_on_news_like_text(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert "\n" not in text[start:end]  # a newline always ends a sentence
        previous_end = end
    covered = {i for s, e in spans for i in range(s, e)}
    assert {i for i, c in enumerate(text) if not c.isspace()} <= covered


def test_paragraphs_count_non_empty_lines() -> None:
    text = "\n  \nTitle\n\n\nOne. Two.\n   \nThree"
    assert [(text[s.start : s.end], s.paragraph) for s in sentence_spans(text)] == [
        ("Title", 0),
        ("One.", 1),
        ("Two.", 1),
        ("Three", 2),
    ]


def test_empty_and_blank_documents() -> None:
    docs = pl.DataFrame({"doc_id": ["a" * 16, "b" * 16, "c" * 16], "text": ["", " \n\t ", "Hi."]})
    table = sentences_table(docs)
    assert table["sent_id"].to_list() == ["c" * 16 + "-s0000"]
    assert table.schema == pl.Schema(
        {
            "sent_id": pl.Utf8, "doc_id": pl.Utf8, "index": pl.Int32, "paragraph": pl.Int32,
            "start": pl.Int64, "end": pl.Int64, "text": pl.Utf8, "kind": pl.Utf8,
        }
    )  # fmt: skip
    assert sentences_table(docs.clear()).height == 0
    assert split_sentences("") == [] and split_sentences(" \n ") == []


def test_marker_characters_in_the_input_are_kept() -> None:
    text = f"A{rules.NOT_A_STOP}b. C{rules.CUT}d. E{rules.NOT_A_MARKER}f."
    table = sentences_table(pl.DataFrame({"doc_id": ["a" * 16], "text": [text]}))
    assert (
        table["text"].to_list()
        == texts(split_sentences(text), text)
        == [
            f"A{rules.NOT_A_STOP}b.",
            f"C{rules.CUT}d.",
            f"E{rules.NOT_A_MARKER}f.",
        ]
    )


# --- the rules module --------------------------------------------------------------------------------


def test_every_abbreviation_fits_the_python_look_ahead() -> None:
    # KEEP_PERIOD's Python pattern skips ahead unless 1-6 letters and a period follow.
    words = rules.ABBREVIATIONS
    assert all(re.fullmatch("[A-Za-z]{1,6}", word) for word in words)


def test_patterns_compile_in_both_dialects() -> None:
    probe = pl.Series(["x"])
    for rule in (*rules.POLARS_PASSES, *rules.PYTHON_PASSES):
        re.compile(rule.python_pattern())
        probe.str.replace_all(rule.rust, rule.replacement)
    assert rules.KEEP_PERIOD.python_replacement() == "\\g<1>\\g<2>" + rules.NOT_A_STOP
    assert rules.to_python(r"[\x{a0}](?-u:\b)") == r"[\U000000a0](?a:\b)"
