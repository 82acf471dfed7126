"""Attribution rules: the seed articles' must-have claims, each rule on a small sentence, and properties
that must hold for any input (spans slice back, output is deterministic, the schema never changes)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsds.claims import (
    CLAIM_COLUMNS,
    CLAIMS_SCHEMA,
    EXTRACTORS,
    KINDS,
    MODEL_VERSION,
    RULESET_VERSION,
    STANCES,
    claims_table,
    extract_claims,
)
from newsds.claims._extract import maybe_cue
from newsds.claims._rules import TOKEN, Tokens
from newsds.ids import HUMAN, child_id, claim_id
from newsds.lexicon import TRIGGERS
from newsds.sentences import sentences_table, split_sentences
from newsds.validate import validate_table
from tests.strategies import Article, articles, claims_of

RAW = Path(__file__).parents[1] / "data" / "raw"
ROLES = ("cue", "claimant", "content")
ANNOTATORS = {"model": MODEL_VERSION, "rules": RULESET_VERSION}


def rows(text: str) -> list[dict[str, Any]]:
    """The rule extractor's claims: the tests of this module pin the rules' behaviour (the learned model's
    tests are in test_claims_model.py)."""
    return extract_claims(text, extractor="rules").to_dicts()


def only(text: str) -> dict[str, Any]:
    found = rows(text)
    assert len(found) == 1, found
    return found[0]


def matching(found: list[dict[str, Any]], **want: Any) -> list[dict[str, Any]]:
    """Rows whose fields equal the wanted values (a callable value is a predicate)."""
    return [r for r in found if all(v(r[k]) if callable(v) else r[k] == v for k, v in want.items())]


@pytest.fixture(scope="module")
def tatarstan() -> list[dict[str, Any]]:
    return rows((RAW / "000_7cda765537e03049.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def residence() -> list[dict[str, Any]]:
    return rows((RAW / "003_2a186d871b2908a7.txt").read_text(encoding="utf-8"))


# --- Must-haves on the seed articles --------------------------------------------------------------
def test_astana_refutes_and_denies(tatarstan: list[dict[str, Any]]) -> None:
    # Cues follow PolNeAR's convention: auxiliaries and adverbs before the verb belong to the cue.
    refuted = matching(tatarstan, cue="has vehemently refuted", stance="deny")
    assert len(refuted) == 1
    # PolNeAR's source runs up to the cue, so an appositive keeps its closing comma (0.4.0).
    assert refuted[0]["claimant"] == "Astana, the capital of Kazakhstan,"
    assert refuted[0]["content"].startswith("assertions made by Russia")
    denied = matching(tatarstan, cue="has categorically denied", claimant="Astana", stance="deny")
    assert [r["content"] for r in denied] == ["these allegations"]


def test_russia_claims_targets_intercepted(residence: list[dict[str, Any]]) -> None:
    hit = matching(residence, claimant="Russia", cue="claims", content="all targets were intercepted")
    assert len(hit) == 1 and hit[0]["stance"] == "assert" and hit[0]["kind"] == "indirect"


def test_according_to_lavrov(residence: list[dict[str, Any]]) -> None:
    hit = matching(residence, cue="According to", kind="according_to")
    assert len(hit) == 1
    assert hit[0]["claimant"] == "Sergey Lavrov, Russia's Foreign Minister"
    assert hit[0]["content"].startswith("Ukraine deployed 91 long-range drones")
    assert hit[0]["content"].endswith("in the Novgorod region")


def test_zelenskyy_counters_calling_it_a_lie(residence: list[dict[str, Any]]) -> None:
    # PolNeAR leaves the object of "calling it …" out of both cue and content (0.4.0).
    hit = matching(residence, claimant="Volodymyr Zelenskyy", cue=lambda c: "calling" in c)
    assert len(hit) == 1
    assert hit[0]["cue"] == "quickly countered, calling"
    assert hit[0]["content"] == '"another lie by the Russian Federation"'
    assert (hit[0]["stance"], hit[0]["kind"]) == ("deny", "direct")


def test_tokayev_noted(residence: list[dict[str, Any]]) -> None:
    hit = matching(residence, claimant="Kassym-Jomart Tokayev of Kazakhstan", cue="noted")
    assert len(hit) == 1
    assert hit[0]["content"] == "that such actions hinder the search for a political solution"
    assert (hit[0]["stance"], hit[0]["kind"]) == ("assert", "indirect")


def test_seed_false_positives_stay_out(
    tatarstan: list[dict[str, Any]], residence: list[dict[str, Any]]
) -> None:
    """Look-alikes in the seeds: "The disputed claims", "to dispel doubts", "an alleged … attack",
    "to express their outrage", and headline words ("Astana Denies Claims …") are not cues."""
    cues = {r["cue"] for r in tatarstan + residence}
    assert not cues & {"disputed", "doubts", "alleged", "express", "Denies", "Asserts"}


# --- Positions ------------------------------------------------------------------------------------
def test_position_a_claimant_aux_cue_that() -> None:
    row = only("The minister has repeatedly denied that the talks failed.")
    assert (row["claimant"], row["cue"], row["content"]) == (
        "The minister",
        "has repeatedly denied",
        "that the talks failed",
    )
    assert (row["stance"], row["kind"]) == ("deny", "indirect")


def test_position_a_keeps_appositive_and_of_phrase() -> None:
    row = only("Jane Doe, the mayor of Springfield, announced that taxes will fall.")
    assert row["claimant"] == "Jane Doe, the mayor of Springfield,"
    row = only("Mirziyoyev of Uzbekistan reportedly warned that the talks would fail.")
    assert row["claimant"] == "Mirziyoyev of Uzbekistan"


def test_position_b_quote_then_claimant_cue() -> None:
    row = only('"We will win," the official said.')
    assert (row["claimant"], row["cue"], row["content"], row["kind"]) == (
        "the official",
        "said",
        '"We will win,"',
        "direct",
    )


def test_position_b_content_then_cue_claimant() -> None:
    row = only("The talks have failed, said Mr. Smith.")
    assert (row["claimant"], row["content"]) == ("Mr. Smith", "The talks have failed")


def test_position_c_according_to_front_and_back() -> None:
    row = only("According to the police, the suspect fled on foot.")
    assert (row["claimant"], row["content"], row["kind"]) == (
        "the police",
        "the suspect fled on foot",
        "according_to",
    )
    row = only("The suspect fled on foot, according to the police.")
    assert (row["claimant"], row["content"], row["kind"]) == (
        "the police",
        "The suspect fled on foot",
        "according_to",
    )


def test_position_d_countered_calling_it() -> None:
    row = only('The ministry countered, calling it "a fabrication" meant to mislead.')
    assert (row["claimant"], row["cue"], row["content"]) == (
        "The ministry",
        "countered, calling",
        '"a fabrication"',
    )
    assert (row["stance"], row["kind"]) == ("deny", "direct")


def test_position_e_no_claimant() -> None:
    row = only("It was alleged that the vote was rigged.")
    assert (row["claimant"], row["claimant_start"], row["claimant_end"]) == (None, None, None)
    assert (row["cue"], row["content"]) == ("was alleged", "that the vote was rigged")  # aux in the cue


def test_coordinated_and_participial_cues_share_the_claimant() -> None:
    found = rows("The ministry denied the report, cited a lack of evidence and stressed that talks continue.")
    assert [(r["cue"], r["claimant"]) for r in found] == [
        ("denied", "The ministry"),
        ("cited", "The ministry"),
        ("stressed", "The ministry"),
    ]
    assert found[0]["content"] == "the report"


def test_quotation_split_off_as_its_own_sentence() -> None:
    text = '"Why now?" Clinton asked. Others agreed.'
    assert len(split_sentences(text)) == 3
    row = only(text)
    assert (row["sent_index"], row["claimant"], row["cue"], row["content"]) == (
        1,
        "Clinton",
        "asked",
        '"Why now?"',
    )


def test_quotation_closed_after_a_full_stop_is_the_content_of_the_next_sentence() -> None:
    text = "“Voters, if you’re still unsure, I hope you read the plan.” Lund said. Others laughed."
    row = only(text)
    assert (row["sent_index"], row["claimant"], row["cue"], row["content"], row["kind"]) == (
        1,
        "Lund",
        "said",
        "“Voters, if you’re still unsure, I hope you read the plan.”",
        "direct",
    )


def test_a_new_claim_after_a_quotation_keeps_its_own_content() -> None:
    row = only("“We are done.” He said the talks had failed.")
    assert (row["claimant"], row["content"]) == ("He", "the talks had failed")


def test_two_clauses_split_at_while() -> None:
    found = rows("Smith condemned the attack, while Jones noted that the border stays open.")
    assert [(r["claimant"], r["content"]) for r in found] == [
        ("Smith", "the attack"),
        ("Jones", "that the border stays open"),
    ]


# --- Noun versus verb, negation, stance, kind -----------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "The claims were false.",
        "Russia's claims about the attack were disputed.",
        "The disputed claims have triggered a flurry of exchanges.",
        "It is essential to dispel doubts and restore trust.",
        "An alleged attack shook the city.",
        "Presidents held calls with Putin to express their outrage.",
    ],
)
def test_nouns_adjectives_and_infinitives_are_not_cues(text: str) -> None:
    assert rows(text) == []


def test_verb_claims_after_subject() -> None:
    row = only("The government claims the vote was fair.")
    assert (row["claimant"], row["cue"], row["content"]) == ("The government", "claims", "the vote was fair")


def test_nominal_claims_with_that_clause() -> None:
    row = only("Leaders rallied after Russia's claims that Ukraine attacked the residence.")
    assert (row["claimant"], row["cue"], row["content"]) == (
        "Russia",
        "claims",
        "that Ukraine attacked the residence",
    )
    row = only("Nobody believed the allegation that the vote was rigged.")
    assert (row["claimant"], row["cue"]) == (None, "allegation")


def test_negated_denial_is_not_a_denial() -> None:
    row = only("The spokesman did not deny that talks took place.")
    assert (row["cue"], row["stance"]) == ("did not deny", "assert")
    assert rows("The spokesman would not say whether talks took place.") == []


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("Analysts questioned whether the data were accurate.", "doubt"),
        ("Critics cast doubt on the reported totals.", "doubt"),
        ("Kyiv rejected the accusation.", "deny"),
        ("Officials say the plan works.", "assert"),
        ("Moscow responded, calling the claims a lie.", "deny"),
    ],
)
def test_stances(text: str, stance: str) -> None:
    assert only(text)["stance"] == stance


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('She said: "The plan is a disaster."', "direct"),
        ('She said the plan was "a disaster" for everyone.', "mixed"),
        ("She said the plan was a disaster.", "indirect"),
        ("The plan failed, according to her.", "according_to"),
    ],
)
def test_kinds(text: str, kind: str) -> None:
    assert only(text)["kind"] == kind


# --- Tables ---------------------------------------------------------------------------------------
def test_empty_input_gives_the_exact_schema() -> None:
    for text in ("", "   \n\n ", "No attribution here."):
        frame = extract_claims(text)
        assert frame.height == 0 and frame.schema == pl.Schema(CLAIM_COLUMNS)


@pytest.mark.parametrize("extractor", sorted(EXTRACTORS))
def test_unencodable_text_does_not_raise(extractor: str) -> None:
    frame = extract_claims('He said "\ud800" was sent.', extractor=extractor)
    assert frame.schema == pl.Schema(CLAIM_COLUMNS)


def ranges(spans: list[dict[str, int]]) -> list[tuple[int, int]]:
    return [(r["start"], r["end"]) for r in spans]


def test_claims_table_ids_sentences_and_order() -> None:
    documents = pl.DataFrame(
        {
            "doc_id": ["bbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaa", "cccccccccccccccc"],
            "language": ["en", "en", "en"],
            "text": [
                "Rain fell. The mayor said the roads are closed.\nOfficials denied the report.",
                "According to the police, the suspect fled.",
                "Nothing to see here.",
            ],
        }
    )
    sentences = sentences_table(documents)
    table = claims_table(documents, sentences, extractor="rules")
    assert table.schema == pl.Schema(CLAIMS_SCHEMA)
    assert table["doc_id"].to_list() == ["bbbbbbbbbbbbbbbb"] * 2 + ["aaaaaaaaaaaaaaaa"]
    assert table["claim_id"].to_list() == [
        claim_id(doc, ranges(cue), ranges(content))
        for doc, cue, content in table.select("doc_id", "cue_spans", "content_spans").iter_rows()
    ]
    assert table["claim_id"].to_list()[0].startswith("bbbbbbbbbbbbbbbb-c")
    assert table["cue"].to_list() == ["said", "denied", "According to"]
    assert table["sent_id"].to_list() == [
        child_id("bbbbbbbbbbbbbbbb", "s", 1),
        child_id("bbbbbbbbbbbbbbbb", "s", 2),
        child_id("aaaaaaaaaaaaaaaa", "s", 0),
    ]
    joined = table.join(sentences.select("sent_id", "start", "end"), on="sent_id")
    inside = (pl.col("start") <= pl.col("cue_start")) & (pl.col("cue_end") <= pl.col("end"))
    assert joined.height == table.height and joined.select(inside.all()).item()


def test_claims_table_reuses_the_given_spans() -> None:
    documents = pl.DataFrame(
        {
            "doc_id": ["dddddddddddddddd"],
            "language": ["en"],
            "text": ["Smith said it rained. Jones said it snowed."],
        }
    )
    second = sentences_table(documents).filter(pl.col("index") == 1)
    table = claims_table(documents, second)
    assert table["claimant"].to_list() == ["Jones"]
    assert table["sent_id"].to_list() == second["sent_id"].to_list()
    assert claims_table(documents.clear(), second).schema == pl.Schema(CLAIMS_SCHEMA)


@pytest.mark.parametrize("extractor", sorted(EXTRACTORS))
def test_documents_not_in_english_get_no_claims(extractor: str) -> None:
    text = "Smith said it rained. Jones said it snowed."
    documents = pl.DataFrame(
        {
            "doc_id": ["dddddddddddddddd", "eeeeeeeeeeeeeeee", "ffffffffffffffff"],
            "language": ["en", "de", None],
            "text": [text] * 3,
        }
    )
    table = claims_table(documents, sentences_table(documents), extractor=extractor)
    assert set(table["doc_id"]) == {"dddddddddddddddd"} and table.height == 2


def test_a_claim_id_is_a_hash_of_its_spans_and_its_kind() -> None:
    doc, cue, content = "0123456789abcdef", [(6, 10)], [(11, 20), (30, 40)]
    machine, human = claim_id(doc, cue, content), claim_id(doc, cue, content, kind=HUMAN)
    assert machine.startswith(f"{doc}-c") and human.startswith(f"{doc}-h") and machine[18:] == human[18:]
    assert len(machine) == len(doc) + 2 + 12 and claim_id(doc, cue, content) == machine
    assert claim_id(doc, cue, content[:1]) != machine and claim_id(doc, [], content) != machine
    with pytest.raises(ValueError, match="one letter"):
        claim_id(doc, cue, content, kind="hh")


# --- Properties -----------------------------------------------------------------------------------
VOCAB = (
    'said says told denied claims claim according to calling it the that Smith Ms. Lee , . ; : " “ ” '
    "' ’ ( ) \n - — and while but however was not did n't of who which by a officials reported doubt "
    "cast on alleged noted countered rejected questioned 's Russia's allegations that it’s U.S. 3,000 called "
    "asked 0 an as ''"
).split(" ")
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(VOCAB), max_size=60).map(" ".join),
    st.lists(st.sampled_from(VOCAB), max_size=60).map("".join),
)


def check_spans(
    text: str, frame: pl.DataFrame, annotator: str, schema: dict[str, pl.DataType] = CLAIM_COLUMNS
) -> None:
    """Every range of every role slices back inside the text, a role's ranges are sorted and disjoint,
    and the envelope columns are their hull (null exactly when the role has no range)."""
    assert frame.schema == pl.Schema(schema)
    for row in frame.iter_rows(named=True):
        for role in ROLES:
            value, start, end = row[role], row[f"{role}_start"], row[f"{role}_end"]
            spans = ranges(row[f"{role}_spans"])
            if not spans:
                assert role != "content" and (value, start, end) == (None, None, None), row
                continue
            assert all(0 <= s < e <= len(text) for s, e in spans), row
            assert all(e <= s for (_, e), (s, _) in itertools.pairwise(spans)), row
            assert (start, end) == (spans[0][0], spans[-1][1])
            assert text[start:end] == value and value == value.strip() and value
        if row["cue"] is None:  # a floating quotation: a direct claim of an earlier claimant
            assert row["kind"] == "direct" and row["claimant"] is None and row["claimant_resolved"]
        assert row["stance"] in STANCES and row["kind"] in KINDS and row["annotator"] == annotator
    anchors = frame.select(pl.coalesce("cue_start", "content_start"))
    assert anchors.to_series().to_list() == sorted(anchors.to_series().to_list())


@pytest.mark.parametrize("extractor", sorted(EXTRACTORS))
@settings(max_examples=300, deadline=None, database=None)
@given(text=texts)
@example(text="wAS asked")  # a passive cue ending the text: nothing after it to read
@example(text="He was asked about")
def test_spans_slice_back_and_output_is_deterministic(extractor: str, text: str) -> None:
    frame = extract_claims(text, extractor=extractor)
    check_spans(text, frame, ANNOTATORS[extractor])
    assert frame.equals(extract_claims(text, extractor=extractor))
    spans = split_sentences(text)
    for index, start, end in frame.select("sent_index", "cue_start", "cue_end").drop_nulls().iter_rows():
        assert spans[index][0] <= start and end <= spans[index][1]


@pytest.mark.parametrize("extractor", sorted(EXTRACTORS))
@settings(max_examples=200, deadline=None, database=None)
@given(text=texts, spans=st.lists(st.tuples(st.integers(-5, 400), st.integers(-5, 400)), max_size=8))
def test_arbitrary_sentence_spans_never_raise(
    extractor: str, text: str, spans: list[tuple[int, int]]
) -> None:
    frame = extract_claims(text, spans, extractor=extractor)
    check_spans(text, frame, ANNOTATORS[extractor])
    for index, start, end in frame.select("sent_index", "cue_start", "cue_end").drop_nulls().iter_rows():
        assert max(0, spans[index][0]) <= start and end <= min(len(text), spans[index][1])


@pytest.mark.parametrize("extractor", sorted(EXTRACTORS))
@settings(max_examples=150, deadline=None, database=None)
@given(article=articles())
def test_every_range_of_an_article_slices_back_and_the_envelope_is_its_hull(
    extractor: str, article: Article
) -> None:
    """Generated articles (reported speech of several shapes, interrupted and floating quotations): every
    range of every span column lies in the text, and the envelope columns are the ranges' hull."""
    table = claims_of(article.text, extractor)
    check_spans(article.text, table, ANNOTATORS[extractor], CLAIMS_SCHEMA)
    assert table["claim_id"].n_unique() == table.height


@pytest.mark.parametrize("extractor", sorted(EXTRACTORS))
@settings(max_examples=10, deadline=None, database=None)
@given(article=articles())
def test_claims_of_generated_articles_pass_the_schema(extractor: str, article: Article) -> None:
    report = validate_table("claims", claims_of(article.text, extractor))
    assert report["valid"], report["examples"]


def _touches(row: dict[str, Any], start: int, end: int) -> bool:
    return any(r["start"] < end and start < r["end"] for role in ROLES for r in row[f"{role}_spans"])


@settings(max_examples=200, deadline=None, database=None)
@given(article=articles(), data=st.data())
def test_removing_or_adding_one_claim_leaves_every_other_claim_id(
    article: Article, data: st.DataObject
) -> None:
    """Blank one sentence of an article out (same length, no claim in it), the way a claim disappears;
    read the other way round, the claim is added. IDs are not ordinals: every claim outside that sentence
    keeps its ID. A claim may only change when it reached into the sentence (its content there, for
    instance); a floating quotation may only lose its claimant (the quotation goes, never comes)."""
    k = data.draw(st.integers(0, len(article.slots) - 1), label="sentence")
    start, end = article.slots[k]
    full = {r["claim_id"]: r for r in claims_of(article.text).iter_rows(named=True)}
    blank = {r["claim_id"]: r for r in claims_of(article.blanked(k)).iter_rows(named=True)}
    for cid, row in full.items():  # removing: the others keep their IDs
        if row["cue"] is not None and not _touches(row, start, end):
            assert cid in blank, row
    reached = {tuple(ranges(r["cue_spans"])) for r in full.values() if _touches(r, start, end)}
    for cid, row in blank.items():  # adding: the others keep their IDs
        assert not _touches(row, start, end)
        if row["cue"] is None:
            assert cid in full, row
        else:
            assert cid in full or tuple(ranges(row["cue_spans"])) in reached, row


# --- Longer quotations, pronouns and claimant groups ----------------------------------------------
def test_quotation_runs_on_into_the_next_sentence() -> None:
    text = "He said: “The talks failed. We will not return.” Then he left."
    row = only(text)
    assert row["sent_index"] == 0 and row["content"] == "“The talks failed. We will not return.”"


def test_pronoun_resolves_and_variants_share_a_group() -> None:
    text = (
        "Sergey Lavrov, Russia's Foreign Minister, said the talks failed. Lavrov added that nothing changed. "
        '"We are ready," he said. Officials said it rained. They said it snowed.'
    )
    found = rows(text)
    assert [(r["claimant"], r["claimant_resolved"]) for r in found][2:] == [
        ("he", "Lavrov"),
        ("Officials", None),
        ("They", "Officials"),
    ]
    groups = [r["claimant_group"] for r in found]
    assert groups[0] == groups[1] == groups[2] != groups[3] == groups[4]


def test_titles_do_not_group_different_people() -> None:
    found = rows("The Prime Minister said taxes rise. The Foreign Minister said they will not.")
    assert found[0]["claimant_group"] != found[1]["claimant_group"]


# --- Rules of 0.4.0 (PolNeAR conventions and cue classes found on the training gold) ----------------
def cue_claimant_content(text: str) -> tuple[Any, Any, Any]:
    row = only(text)
    return row["cue"], row["claimant"], row["content"]


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        # The source runs up to the cue: a relative clause or appositive keeps its closing comma.
        (
            "Officials, who spoke on condition of anonymity, said the talks failed.",
            "Officials, who spoke on condition of anonymity,",
        ),
        ("Sen. Dana Whitfield (I-Ore.) said the system is broken.", "Sen. Dana Whitfield (I-Ore.)"),
        ("Smith and Jones said the vote was fair.", "Smith and Jones"),
        ('"It is over," said a source in Moscow.', "a source in Moscow"),
        # An inverted claimant takes the appositive or relative clause that closes the sentence.
        (
            '"It is personal," said Tobias Wren, a history lecturer at the University of Eastmoor.',
            "Tobias Wren, a history lecturer at the University of Eastmoor",
        ),
        (
            '"It was chaos," said one of three clerks who counted the ballots.',
            "one of three clerks who counted the ballots",
        ),
    ],
)
def test_claimant_extents(text: str, claimant: str) -> None:
    row = only(text)
    assert (row["claimant"], row["cue"], row["stance"]) == (claimant, "said", "assert")


def test_relative_pronoun_is_the_claimant_and_its_clause_ends_the_content() -> None:
    row = only("The judge, who said the case was closed, left the room.")
    assert (row["cue"], row["claimant"], row["content"]) == ("said", "who", "the case was closed")
    assert (row["claimant_resolved"], row["claimant_group"]) == (None, None)


def test_participle_takes_the_subject_with_its_relative_clause() -> None:
    row = only("Republicans, who hold a majority, have blocked the bill, saying it infringes on rights.")
    assert (row["cue"], row["claimant"], row["content"]) == (
        "saying",
        "Republicans, who hold a majority,",
        "it infringes on rights",
    )


def test_colon_speaker_label() -> None:
    row = only("Mayor Lind: Budget Plan Defies Logic.")
    assert (row["cue"], row["claimant"], row["content"]) == (
        ":",
        "Mayor Lind",
        "Budget Plan Defies Logic",
    )
    assert (row["stance"], row["kind"]) == ("assert", "indirect")
    assert rows("UPDATE: The vote was delayed until Friday.") == []


def test_calling_leaves_the_object_out() -> None:
    row = only('Lund attacked Carver on Monday, calling him "a hopeless bore."')
    assert (row["cue"], row["claimant"], row["content"]) == ("calling", "Lund", '"a hopeless bore."')
    assert (row["stance"], row["kind"]) == ("assert", "direct")


def test_passive_cue_takes_its_auxiliaries() -> None:
    row = only("Trump is widely expected to win the primary.")
    assert (row["cue"], row["claimant"], row["content"]) == ("is widely expected", None, "to win the primary")


@pytest.mark.parametrize(
    ("text", "cue", "claimant", "content"),
    [
        ("Okafor hopes that members will turn out.", "hopes", "Okafor", "that members will turn out"),
        ("The firm pulled out of the deal, citing legal risks.", "citing", "The firm", "legal risks"),
        ("Moreno seemed to overstay her welcome.", "seemed", "Moreno", "to overstay her welcome"),
        ("Lund was referring to Ada Pruett.", "was referring to", "Lund", "Ada Pruett"),
        ("Moreno talked about the harvest in Maine.", "talked about", "Moreno", "the harvest in Maine"),
        ("She joked about retiring to Portugal.", "joked about", "She", "retiring to Portugal"),
        ("Engineers warned of the danger of a flood.", "warned of", "Engineers", "the danger of a flood"),
        (
            "The council said in a statement that repairs continue.",
            "said in a statement",
            "The council",
            "that repairs continue",
        ),
    ],
)
def test_new_cues(text: str, cue: str, claimant: str, content: str) -> None:
    assert cue_claimant_content(text) == (cue, claimant, content)
    assert only(text)["stance"] == "assert"


def test_quotation_opened_in_an_earlier_sentence() -> None:
    row = only("“We will win. They know it,” she said.")
    assert (row["cue"], row["claimant"], row["content"], row["kind"]) == (
        "said",
        "she",
        "“We will win. They know it,”",
        "direct",
    )


def test_content_stops_at_a_comment_on_it() -> None:
    row = only("He said the plan was dead, which surprised no one.")
    assert row["content"] == "the plan was dead"


def test_physical_attacks_are_not_cues() -> None:
    assert rows("Rebels attacked the convoy near the border.") == []


# --- Rules of 0.5.0 (content and source boundaries found on the training gold) --------------------
def test_quotation_goes_on_in_the_next_sentence() -> None:
    # PolNeAR's content takes in the quotation that opens the next sentence and ends the paragraph (its
    # gold splits the content around the cue; one span runs over it). The kind is the quotation's.
    row = only("“We will win,” she said. “They know it.”\n\nThe vote is on Tuesday.")
    assert (row["cue"], row["claimant"], row["content"], row["kind"]) == (
        "said",
        "she",
        "“We will win,” she said. “They know it.”",
        "direct",
    )


def test_quotation_ending_mid_paragraph_is_not_continued() -> None:
    row = only("“We will win,” she said. “They know it.” The vote is on Tuesday.")
    assert row["content"] == "“We will win,”"


def test_interrupted_quotation_is_one_content() -> None:
    row = only("“We will win,” she said, “and they know it.”")
    assert (row["claimant"], row["content"], row["stance"], row["kind"]) == (
        "she",
        "“We will win,” she said, “and they know it.”",
        "assert",
        "direct",
    )


def test_reports_inside_a_quotation_are_not_claims() -> None:
    row = only("“I said, you can’t ignore Maine,” Halvorsen told the crowd.")
    assert (row["cue"], row["claimant"], row["content"]) == (
        "told",
        "Halvorsen",
        "“I said, you can’t ignore Maine,”",
    )


def test_past_form_before_a_full_stop_is_a_verb() -> None:
    row = only("In one memo, Ostrow left a spare key in a “drop box,” the Ledger reported.")
    assert (row["cue"], row["claimant"], row["content"], row["stance"]) == (
        "reported",
        "the Ledger",
        "In one memo, Ostrow left a spare key in a “drop box,”",
        "assert",
    )
    assert rows("Russia's claims about the attack were disputed.") == []


def test_poll_shares_are_claimants() -> None:
    found = rows(
        "Three out of 10 parents said school would be harder, while eight in 10 said the buses run late."
    )
    hit = matching(found, claimant="eight in 10")
    assert len(hit) == 1 and hit[0]["content"] == "the buses run late"


def test_participle_takes_the_subject_of_the_main_verb() -> None:
    row = only(
        "Once she was mayor, Ms. Lund made housing a priority, announcing the creation of a task force."
    )
    assert (row["cue"], row["claimant"], row["content"]) == (
        "announcing",
        "Ms. Lund",
        "the creation of a task force",
    )


def test_inverted_claimant_keeps_a_lower_case_title() -> None:
    row = only('"It was very cautious," said Lena Marsh, chemistry professor at the University of Avon.')
    assert row["claimant"] == "Lena Marsh, chemistry professor at the University of Avon"
    assert row["content"] == '"It was very cautious,"'


def test_claimant_keeps_a_relative_clause_without_commas() -> None:
    row = only("Senior party aides who have studied the maps argue that Moreno will win.")
    assert (row["claimant"], row["cue"], row["content"]) == (
        "Senior party aides who have studied the maps",
        "argue",
        "that Moreno will win",
    )


def test_quotation_before_the_cue_wins_over_a_trailing_circumstance() -> None:
    row = only('"Time to pick a side," Okafor said cheerfully on the radio as results came in.')
    assert (row["claimant"], row["content"], row["kind"]) == (
        "Okafor",
        '"Time to pick a side,"',
        "direct",
    )


def test_participle_after_an_object_takes_the_subject() -> None:
    found = rows("Lund dismissed Carver as a weak manager, arguing that the director failed the team.")
    hit = matching(found, cue="arguing")
    assert len(hit) == 1
    assert (hit[0]["claimant"], hit[0]["content"]) == ("Lund", "that the director failed the team")


def test_time_adjunct_between_claimant_and_cue() -> None:
    row = only("Trump on Tuesday said that Walker was weak.")
    assert (row["claimant"], row["cue"], row["content"]) == ("Trump", "said", "that Walker was weak")
    row = only("Clinton last week warned that the deal would fail.")
    assert (row["claimant"], row["cue"], row["stance"]) == ("Clinton", "warned", "assert")


def test_beliefs_outside_quotations_are_claims() -> None:
    row = only("Some Green Party officials think Ada Pruett is in danger of losing her seat.")
    assert (row["cue"], row["claimant"], row["content"], row["stance"]) == (
        "think",
        "Some Green Party officials",
        "Ada Pruett is in danger of losing her seat",
        "assert",
    )
    assert [r["cue"] for r in rows("“I think we can prevail,” Okafor said.")] == ["said"]


def test_content_stops_at_an_aside() -> None:
    row = only(
        "Lund said the visitor would not get turned away, a jab at the recent scuffles at his concerts."
    )
    assert (row["claimant"], row["content"]) == ("Lund", "the visitor would not get turned away")


def test_asked_opens_a_question_with_no_source() -> None:
    found = rows("Asked whether Moreno “keeps his word on taxes,” 62 percent of Liberals said yes.")
    asked = matching(found, cue="Asked")
    assert len(asked) == 1
    assert (asked[0]["claimant"], asked[0]["content"]) == (
        None,
        "whether Moreno “keeps his word on taxes,”",
    )
    said = matching(found, cue="said")
    assert [(r["claimant"], r["content"]) for r in said] == [("62 percent of Liberals", "yes")]


def test_passive_asked_about() -> None:
    row = only("Moreno was asked about repairing the bridge.")
    assert (row["cue"], row["claimant"], row["content"]) == ("was asked about", None, "repairing the bridge")


def test_cue_takes_a_following_weekday() -> None:
    row = only("Biden said Tuesday that the bill would pass.")
    assert (row["cue"], row["claimant"], row["content"]) == (
        "said Tuesday",
        "Biden",
        "that the bill would pass",
    )


@pytest.mark.parametrize(
    ("text", "claimant", "content"),
    [
        (
            "The latest Harbor Research poll shows Lund leading Moreno 48 percent to 39 percent.",
            "The latest Harbor Research poll",
            "Lund leading Moreno 48 percent to 39 percent",
        ),
        ("Battleground races are close, records show.", "records", "Battleground races are close"),
    ],
)
def test_verb_agreeing_with_the_noun_before_it(text: str, claimant: str, content: str) -> None:
    row = only(text)
    assert (row["claimant"], row["content"], row["stance"]) == (claimant, content, "assert")


def test_coordinated_cue_takes_the_subject_of_the_first_verb() -> None:
    row = only("The organizers changed course, let everyone inside and said they will serve lunch.")
    assert (row["claimant"], row["cue"], row["content"]) == (
        "The organizers",
        "said",
        "they will serve lunch",
    )


def test_cue_ending_a_paragraph_with_a_colon_takes_the_quoted_paragraph_below() -> None:
    text = "In a 1987 interview, she declared:\n\n“It is high time that we fix the roads.”\n\nShe won."
    row = only(text)
    assert (row["cue"], row["claimant"], row["content"], row["kind"]) == (
        "declared:",
        "she",
        "“It is high time that we fix the roads.”",
        "direct",
    )
    assert rows("In a 1987 interview, she declared:\n\nIt was a wet day.") == []


def test_speaker_label_after_a_dash() -> None:
    found = rows("Ferry fares were not unfair - Ada Pruett and Tom Vick: “The fares were simply too low.”")
    hit = matching(found, cue=":")
    assert len(hit) == 1
    assert (hit[0]["claimant"], hit[0]["content"], hit[0]["kind"]) == (
        "Ada Pruett and Tom Vick",
        "“The fares were simply too low.”",
        "direct",
    )


_WORDS = [
    "said",
    "SAID",
    "Says",
    "denied",
    "according",
    "to",
    "essays",
    "1,000",
    "U.S.",
    "Mr.",
    "K",
    "ſaid",
    "İs",
]
_PIECES = st.sampled_from(
    [*_WORDS, "_", " ", "  ", "-", ".", ",", ":", "’", "'", '"', "“", "é", "x", "3", "\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
@example("Costs rose 1,000said the mayor.")  # a grouped number and a word: two tokens
@example("The U.S.said no.")
@example("Mayor Lind: Budget Plan Defies Logic.")
def test_the_cue_prefilter_passes_every_sentence_the_rules_could_find_a_cue_in(sentence: str) -> None:
    """Sentences the prefilter skips cannot hold a trigger token or a colon, as the rules tokenize them."""
    tokens = set(Tokens.of(sentence, 0, len(sentence)).low)
    if tokens & (TRIGGERS | {":"}):
        assert maybe_cue(sentence)


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(codec="utf-8"), max_size=40) | st.lists(_PIECES, max_size=16).map("".join),
    st.data(),
)
@example("He said:  “No.”\u00a0'' Mr. Smith", None)
def test_tokens_are_the_tokenizer_matches_with_their_offsets(text: str, data: st.DataObject | None) -> None:
    """The rules' tokens of any window of a text are exactly the tokenizer's matches in that window."""
    start = data.draw(st.integers(0, len(text))) if data else 0
    end = data.draw(st.integers(start, len(text))) if data else len(text)
    t = Tokens.of(text, start, end)
    matches = list(TOKEN.finditer(text, start, end))
    assert t.word == [m.group() for m in matches]
    assert (t.start, t.end) == ([m.start() for m in matches], [m.end() for m in matches])
    assert all(text[a:b] == w for a, b, w in zip(t.start, t.end, t.word, strict=True))
