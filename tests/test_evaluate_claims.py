"""PolNeAR scoring on a tiny synthetic gold: matching, exact and token figures computed by hand
(including a discontinuous gold content and a null gold source), loading and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsds.annotations.scoring import Attribution, Scores, match, score_document
from newsds.evaluate.claims import load_gold, main_claims, said_regex, throughput

TEXT = "Smith said the plan failed. Jones denied it."
GOLD = [
    Attribution(((6, 10),), ((0, 5),), ((11, 26),)),  # said / Smith / the plan failed
    Attribution(((34, 40),), (), ((11, 14), (41, 43))),  # denied / no source / "the … it"
]
PRED = [
    Attribution(((6, 10),), ((0, 5),), ((11, 27),)),  # content takes the full stop: not exact
    Attribution(((34, 40),), ((28, 33),), ((41, 43),)),  # a source the gold does not have
    Attribution(((0, 5),), (), ((6, 10),)),  # a cue no gold cue overlaps
]


def test_match_is_one_to_one_by_cue_overlap() -> None:
    gold = [Attribution(((0, 3),), (), ()), Attribution(((4, 10),), (), ())]
    pred = [Attribution(((0, 10),), (), ()), Attribution(((0, 3),), (), ())]
    assert match(pred, gold) == [(0, 1), (1, 0)]
    assert match([Attribution(((20, 30),), (), ())], gold) == []


def test_scores_computed_by_hand() -> None:
    scores = Scores()
    score_document(TEXT, PRED, GOLD, scores)
    got = {k: round(v[2], 4) for k, v in scores.as_dict().items()}
    assert got == {
        "detected": 0.8,  # tp 2, fp 1, fn 0
        "cue_exact": 0.8,
        "cue_token": 0.8,
        "source_exact": 0.6667,  # Smith hit; Jones against a null gold source is a false positive
        "source_token": 0.6667,
        "content_exact": 0.0,  # a single span never equals a discontinuous gold content
        "content_token": 0.8,  # tp 4 (the plan failed. / it.), fp 1 (said), fn 1 (the)
    }


def _write_gold(root: Path) -> Path:
    folder = root / "attribution"
    folder.mkdir(parents=True)
    doc = {
        "id": "d1",
        "text": TEXT,
        "attributions": [
            {"id": "A1", "kind": "attribution", "cue": [[6, 10]], "source": [[0, 5]], "content": [[11, 26]]},
            {"id": "A2", "kind": "attribution", "cue": [[34, 40]], "source": None, "content": [[41, 43]]},
        ],
    }
    (folder / "polnear_dev.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    return root


def test_load_gold_reads_null_roles(tmp_path: Path) -> None:
    docs = load_gold(_write_gold(tmp_path) / "attribution" / "polnear_dev.jsonl")
    assert [a.source for a in docs[0].attributions] == [((0, 5),), ()]


def test_command_prints_the_extractors_side_by_side_and_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main_claims(["--gold", str(_write_gold(tmp_path)), "--split", "dev"]) == 0
    out = capsys.readouterr().out
    assert "cue_exact" in out and "content_token" in out
    assert all(name in out.splitlines()[1] for name in ("model", "rules", "said-regex"))
    assert main_claims(["--gold", str(tmp_path)]) == 2  # the default also scores train: its file is missing
    assert "polnear_train.jsonl" in capsys.readouterr().err
    assert main_claims(["--gold", str(tmp_path / "missing"), "--split", "dev"]) == 2
    assert "gold file not found" in capsys.readouterr().err
    assert main_claims(["--gold", str(tmp_path), "--split", "dev", "--json", "--speed"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["dev"]["model"]["detected"]) == {"p", "r", "f"}
    assert set(result["sentences_per_second"]) == {"model", "rules"}
    assert all(rate > 0 for rate in result["sentences_per_second"].values())


def test_said_regex_baseline_finds_the_speaker_the_cue_and_the_rest() -> None:
    text = "Officials said the bridge would reopen. Mayor Ann Lee told reporters nothing."
    (first, second) = said_regex(text)
    assert text[slice(*first.cue[0])] == "said" and text[slice(*first.source[0])] == "Officials"
    assert text[slice(*first.content[0])] == "the bridge would reopen"
    assert text[slice(*second.cue[0])] == "told" and text[slice(*second.source[0])] == "Mayor Ann Lee"


def test_throughput_is_positive_for_each_extractor() -> None:
    rates = throughput([TEXT, "No claims here."], repeats=1, extractors=("model", "rules"))
    assert set(rates) == {"model", "rules"} and all(r > 0 for r in rates.values())
