"""The learned claims model: deterministic training and tagging, the shipped weights, the extractor choice,
floating quotations, English-only extraction, and the quotation state every cue is tested against."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsds
from newsds.claims import (
    CLAIMS_SCHEMA,
    MODEL_VERSION,
    RULESET_VERSION,
    GoldAttribution,
    GoldText,
    check_extractor,
    claims_table,
    extract_claims,
    gold_from_claims,
    train,
)
from newsds.claims._claim import _claimants
from newsds.claims._features import windows
from newsds.claims._model import MODEL_DIR
from newsds.claims._quotes import QuoteState
from newsds.claims._train import cue_gate, cue_shares
from newsds.cli import main
from newsds.cli.train_commands import read_gold
from newsds.dataset import open_dataset
from newsds.errors import NewsdsError
from newsds.ids import file_sha256
from newsds.sentences import sentences_table

GOLD = Path(os.environ.get("NEWSDS_GOLD", Path(__file__).parents[2] / "shared" / "gold"))
POLNEAR_TRAIN = GOLD / "attribution" / "polnear_train.jsonl"
META = json.loads((MODEL_DIR / "model.json").read_text())

ROLE_KEYS = (("cue_spans", "cue"), ("claimant_spans", "source"), ("content_spans", "content"))
NAMES = ["Maria Lopez", "the ministry", "Tom Hale", "a spokeswoman", "Jonas Berg"]
VERBS = ["said", "told reporters", "denied", "claimed", "added"]


def _gold_record(n: int) -> dict[str, object]:
    """A small synthetic gold article: 'NAME VERB that CLAUSE.' sentences with their ranges."""
    text, attributions = "", []
    for k in range(4):
        name, verb = NAMES[(n + k) % len(NAMES)], VERBS[(n * 3 + k) % len(VERBS)]
        clause = f"the plan number {n * 10 + k} was {'late' if k % 2 else 'ready'}"
        start = len(text)
        sentence = f"{name} {verb} that {clause}. The weather was mild on day {k}. "
        cue_start = start + len(name) + 1
        content_start = cue_start + len(verb) + 1
        attributions.append(
            {
                "source": [[start, start + len(name)]],
                "cue": [[cue_start, cue_start + len(verb)]],
                "content": [[content_start, content_start + len("that ") + len(clause)]],
            }
        )
        text += sentence
    return {"id": f"d{n}", "text": text.strip(), "attributions": attributions}


@pytest.fixture(scope="module")
def gold_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gold") / "gold.jsonl"
    path.write_text("\n".join(json.dumps(_gold_record(n)) for n in range(12)) + "\n")
    return path


def test_training_is_deterministic_and_the_trained_model_extracts(gold_file: Path, tmp_path: Path) -> None:
    gold = read_gold(gold_file)
    params = {"max_iterations": 30}
    first, second = train(gold, tmp_path / "a", params), train(gold, tmp_path / "b", params)
    assert first["weights"] == second["weights"]
    for name in first["weights"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "model.json").read_bytes() == (tmp_path / "b" / "model.json").read_bytes()
    # The trained folder is an extractor: it finds the pattern it was trained on in a new sentence.
    found = extract_claims("Maria Lopez said that the bridge was closed.", extractor=str(tmp_path / "a"))
    assert found.height == 1
    row = found.row(0, named=True)
    assert (row["cue"], row["claimant"], row["annotator"]) == ("said", "Maria Lopez", MODEL_VERSION)
    assert row["content"].startswith("that the bridge")


def test_train_command_writes_a_model_and_says_how_to_use_it(
    gold_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "model"
    assert main(["train", "claims", "--gold", str(gold_file), "--out", str(out), "--iterations", "20"]) == 0
    printed = capsys.readouterr().out
    assert f"newsds build --claims {out}" in printed and "sha256:" in printed
    assert check_extractor(str(out)) == str(out)


def test_bad_gold_and_unknown_extractors_say_what_to_do(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n')
    with pytest.raises(NewsdsError, match=r"bad.jsonl:1: not a gold record.*text and attributions"):
        read_gold(bad)
    with pytest.raises(NewsdsError, match="model, rules"):
        check_extractor("crf")
    with pytest.raises(NewsdsError, match=r"missing cue\.crfsuite, role\.crfsuite, model\.json"):
        check_extractor(str(tmp_path))
    assert main(["build", "--raw", str(tmp_path), "--out", str(tmp_path / "o"), "--claims", "crf"]) == 1


def test_the_shipped_weights_are_the_ones_model_json_records_and_stay_small() -> None:
    for name, digest in META["weights"].items():
        assert file_sha256(MODEL_DIR / name)[0] == digest
        assert (MODEL_DIR / name).stat().st_size < 25_000_000
    assert (MODEL_DIR / "MODEL_CARD.md").is_file()
    assert f"{META['name']}/{META['version']}" == MODEL_VERSION


@pytest.mark.skipif(not POLNEAR_TRAIN.is_file(), reason=f"no PolNeAR train gold at {POLNEAR_TRAIN}")
def test_retraining_the_documented_subset_of_polnear_train_gives_the_recorded_weights(tmp_path: Path) -> None:
    """The full retrain (`nox -s retrain`) takes minutes; this trains the subset model.json documents and
    compares its weights with the sha256 recorded when the shipped model was trained."""
    check = META["subset_check"]
    gold = read_gold(POLNEAR_TRAIN)[: check["documents"]]
    meta = train(gold, tmp_path / "subset", check["params"])
    assert meta["weights"] == check["weights"]


def test_the_model_is_the_default_and_the_rules_stay_selectable() -> None:
    text = 'The mayor said on Monday that the bridge would reopen. "We are ready," she told reporters.'
    model, rules = extract_claims(text), extract_claims(text, extractor="rules")
    assert set(model["annotator"]) == {MODEL_VERSION} and set(rules["annotator"]) == {RULESET_VERSION}
    assert extract_claims(text).equals(model)  # same input, same weights: same rows
    assert "said" in model["cue"].to_list()


def test_floating_quotations_continue_the_previous_claimant() -> None:
    text = (
        "Jeff Traeger, the union's president, said the talks had failed.\n\n"
        "“We gave them every chance to settle.”\n\n"
        "“Now the members will decide.”\n\n"
        "The company did not respond.\n\n"
        "“This is not over.”"
    )
    for extractor in ("model", "rules"):
        found = extract_claims(text, extractor=extractor)
        floating = found.filter(pl.col("cue").is_null())
        assert floating["content"].to_list() == [
            "“We gave them every chance to settle.”",
            "“Now the members will decide.”",
        ], extractor
        assert set(floating["kind"]) == {"direct"}
        assert floating["claimant"].null_count() == 2
        speaker = found.filter(pl.col("cue").is_not_null())["claimant"][0]
        assert floating["claimant_resolved"].to_list() == [speaker, speaker]
        assert floating["claimant_group"].n_unique() == 1
        assert floating["claimant_group"][0] == found.filter(pl.col("cue").is_not_null())["claimant_group"][0]


def test_a_quoted_paragraph_with_no_speaker_before_it_is_no_claim() -> None:
    text = "The storm passed overnight.\n\n“We were lucky.”"
    assert extract_claims(text).filter(pl.col("cue").is_null()).is_empty()


def test_only_english_documents_get_claims() -> None:
    text = "The minister said that the plan was late. Officials denied the report."
    documents = pl.DataFrame(
        {"doc_id": ["en1", "de1", "xx1"], "text": [text] * 3, "language": ["en", "de", None]}
    )
    claims = claims_table(documents, sentences_table(documents))
    assert claims.height > 0 and set(claims["doc_id"]) == {"en1"}
    assert claims.schema == pl.Schema(CLAIMS_SCHEMA)


def _count_inside(text: str, x: int) -> bool:
    """The definition QuoteState must agree with: count the marks from the paragraph start."""
    para = text.rfind("\n", 0, x) + 1
    if text.count("“", para, x) > text.count("”", para, x):
        return True
    return text.count('"', para, x) % 2 == 1 or text.count("''", para, x) % 2 == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .\n“”\"'")) | st.characters(), max_size=80))
def test_quote_state_agrees_with_counting_from_the_paragraph_start(text: str) -> None:
    state = QuoteState(text)
    assert [state.inside(x) for x in range(len(text) + 1)] == [
        _count_inside(text, x) for x in range(len(text) + 1)
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab .\n“”\"'")) | st.characters(), max_size=80),
    st.lists(st.integers(min_value=0, max_value=80)),
)
def test_quote_state_walk_agrees_with_one_search_per_position(text: str, xs: list[int]) -> None:
    """The tagger's one walk over a sentence's token starts gives each position's own answer."""
    state, positions = QuoteState(text), sorted(x for x in xs if x <= len(text))
    assert state.inside_each(positions) == [state.inside(x) for x in positions]


_WORDS = st.sampled_from(
    'the minister said that plan was late “ ” " , . : according to Smith denied he told us it'.split()
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=25).map(" ".join), min_size=1, max_size=6))
def test_model_spans_slice_back_and_rows_are_deterministic(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    found = extract_claims(text)
    assert found.equals(extract_claims(text))
    for row in found.iter_rows(named=True):
        for role in ("cue", "claimant", "content"):
            ranges = row[f"{role}_spans"]
            if row[role] is None:
                assert ranges == []
                continue
            assert text[row[f"{role}_start"] : row[f"{role}_end"]] == row[role]
            assert (ranges[0]["start"], ranges[-1]["end"]) == (row[f"{role}_start"], row[f"{role}_end"])
            assert all(0 <= r["start"] < r["end"] <= len(text) for r in ranges)


def test_public_facade_extracts_with_the_model() -> None:
    assert set(newsds.extract_claims("Officials said the vote was delayed.")["annotator"]) <= {MODEL_VERSION}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.none() | st.text(alphabet=st.sampled_from(list("ab ,;:HeTy")), max_size=12), max_size=12))
def test_claimant_resolution_takes_any_claimant_text(claimants: list[str | None]) -> None:
    """A tagged claimant may be any run of tokens (", the mayor", ","): resolving and grouping never fail."""
    resolved = _claimants(claimants)
    assert len(resolved) == len(claimants)
    assert all(group is None for (_, group), c in zip(resolved, claimants, strict=True) if c is None)


def test_adjudicated_claims_are_training_gold(tmp_path: Path) -> None:
    """A team's own gold claims (the claims table's shape: range lists per role) train a model."""
    records = [_gold_record(n) for n in range(12)]
    texts = {str(r["id"]): str(r["text"]) for r in records}
    rows = []
    for r in records:
        for k, a in enumerate(r["attributions"]):  # type: ignore[attr-defined]
            spans = {role: [{"start": s, "end": e} for s, e in a[key]] for role, key in ROLE_KEYS}
            rows.append({"doc_id": r["id"], "claim_id": f"{r['id']}-h{k}", **spans})
    claims = pl.DataFrame(rows)
    gold = gold_from_claims(claims, texts)
    assert [g.id for g in gold] == sorted(texts) and sum(len(g.attributions) for g in gold) == 48
    first = gold[0].attributions[0]
    assert gold[0].text[slice(*first.source[0])] in NAMES
    meta = train(gold, tmp_path / "m", {"max_iterations": 20})
    assert meta["training"]["attributions"] == 48
    with pytest.raises(NewsdsError, match="not in the release given for their texts"):
        gold_from_claims(claims, {})


def test_a_release_without_human_claims_is_no_gold(tmp_path: Path) -> None:
    documents = pl.DataFrame({"doc_id": ["d"], "text": ["x"]})
    assert gold_from_claims(pl.DataFrame(schema=CLAIMS_SCHEMA), dict(documents.iter_rows())) == []
    repo = open_dataset(Path(__file__).parents[1])  # the repository's dataset and its current release
    assert repo.version is not None
    release = repo.out / repo.version
    with pytest.raises(NewsdsError, match="no human claims to train on"):
        read_gold(release)


def _cue_gold(text: str, cue_words: list[str]) -> GoldText:
    """A gold text whose cues are the given words' occurrences (in order), each a one-range attribution."""
    attributions, at = [], 0
    for word in cue_words:
        at = text.index(word, at)
        attributions.append(GoldAttribution(((at, at + len(word)),), (), ((0, 1),)))
        at += len(word)
    return GoldText("d", text, tuple(attributions))


def test_the_model_tags_only_sentences_with_a_word_that_is_often_a_cue() -> None:
    """The tagging gate keeps the words that are cues in a large share of their occurrences: a word that
    is rarely one ("a" in "a spokesman said") opens no sentence, so the narrow gate is a subset of the
    training gate, and a sentence without its words is never tagged."""
    sentences = ["A spokesman said it rained."] * 2 + [f"There was a delay on day {n}." for n in range(12)]
    gold = [_cue_gold(" ".join(sentences), ["A spokesman said"] * 2)]  # "a": 2 of its 14 in a cue
    shares = cue_shares(gold)
    wide, narrow = set(cue_gate(shares, 0.02)), set(cue_gate(shares, 0.15))
    assert "said" in narrow and "a" in wide - narrow and narrow <= wide
    text = "There was a delay on Monday. The mayor said the bridge would reopen."
    tagged = [w.index for w in windows(text, [(0, 28), (29, len(text))], QuoteState(text), frozenset(narrow))]
    assert tagged == [1]
