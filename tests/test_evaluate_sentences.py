"""The sentence-splitting evaluation: boundaries, scores on a tiny synthetic gold, the command, throughput."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from newsds.evaluate import sentences as ev
from newsds.evaluate.__main__ import main
from newsds.evaluate.common import GoldNotFoundError


def _doc(doc_id: str, paragraphs: list[list[str]]) -> dict[str, Any]:
    """A gold record: paragraphs of sentences, joined by spaces and blank lines, with their offsets."""
    text, para_spans, sent_spans = "", [], []
    for sentences in paragraphs:
        if text:
            text += "\n\n"
        start = len(text)
        for i, sentence in enumerate(sentences):
            if i:
                text += " "
            sent_spans.append([len(text), len(text) + len(sentence)])
            text += sentence
        para_spans.append([start, len(text)])
    return {"id": doc_id, "text": text, "paragraphs": para_spans, "sentences": sent_spans}


# newsds splits doc "a" as the gold does (3 boundaries), misses the gold boundary after "flag;" in doc
# "b", and splits "hospital. There" where the gold does not.
GOLD = [
    _doc(
        "a", [["Title line"], ["The U.S. team won.", "It was close.", '"Why?" she asked.'], ["One.", "Two."]]
    ),
    _doc("b", [["The flag is old;", "the new one is not."], ["Taken to hospital. There are none left."]]),
]


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "gold" / "sentences"
    folder.mkdir(parents=True)
    (folder / "gum_news.jsonl").write_text("".join(json.dumps(d) + "\n" for d in GOLD), encoding="utf-8")
    return tmp_path / "gold"


def test_gold_boundaries_leave_out_paragraph_starts(gold_dir: Path) -> None:
    docs = ev.load_gold(gold_dir)
    assert [d.id for d in docs] == ["a", "b"]
    a = docs[0]
    starts = {a.text.index(s) for s in ("It was close.", '"Why?" she asked.', "Two.")}
    assert ev.gold_boundaries(a) == starts
    assert ev.load_gold(gold_dir / "sentences" / "gum_news.jsonl") == docs  # the file itself works too


def test_predicted_boundaries_skip_whitespace_duplicates_and_the_first() -> None:
    paragraph = "One.  Two. Three.   "
    assert ev.predicted_boundaries(paragraph, 100, [0, 4, 6, 10, 20, 25]) == {106, 111}
    assert ev.predicted_boundaries("", 0, [0]) == set()


def test_scores_on_a_synthetic_gold(gold_dir: Path) -> None:
    results = ev.evaluate_sentences(gold_dir, systems=["newsds", "newsds (per call)"], repeats=1)
    assert [r["system"] for r in results] == ["newsds", "newsds (per call)"]
    for r in results:
        # gold: 3 boundaries in "a", 1 in "b"; newsds finds the 3, misses "the new", adds "There".
        assert (r["tp"], r["fp"], r["fn"]) == (3, 1, 1)
        assert (r["precision"], r["recall"], r["f1"]) == pytest.approx((0.75, 0.75, 0.75))
        assert r["chars"] == sum(e - s for d in GOLD for s, e in d["paragraphs"])
        assert r["chars_per_s"] > 0
    table = ev.format_table(results)
    assert "newsds (per call)" in table and "0.750" in table and "5 paragraphs" in table


@pytest.mark.parametrize("system", ["pysbd", "blingfire", "syntok"])
def test_baselines_run_on_the_same_paragraphs(gold_dir: Path, system: str) -> None:
    pytest.importorskip(system)
    (result,) = ev.evaluate_sentences(gold_dir, systems=[system], repeats=1)
    assert result["system"] == system and result["paragraphs"] == 5
    assert 0 <= result["precision"] <= 1 and 0 <= result["recall"] <= 1


def test_missing_library_and_unknown_system(gold_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(key: str) -> ev.Splitter:
        raise ImportError(f"No module named {key!r}", name=key)

    monkeypatch.setattr(ev, "build_splitter", missing)
    (result,) = ev.evaluate_sentences(gold_dir, systems=["pysbd"])
    assert result == {"system": "pysbd", "skipped": "not installed (pysbd)"}
    assert "note: pysbd: skipped, not installed (pysbd)" in ev.format_table([result])
    with pytest.raises(ValueError, match="unknown system 'spacy'"):
        ev.evaluate_sentences(gold_dir, systems=["spacy"])


def test_missing_gold_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(GoldNotFoundError, match="--gold PATH"):
        ev.load_gold(tmp_path)


def test_throughput_figures(gold_dir: Path) -> None:
    figures = ev.throughput(gold_dir, target_chars=2_000, repeats=1, min_seconds=0.0)
    assert figures["column_chars"] >= 2_000 - 200
    for key in ("newsds_column_chars_per_s", "newsds_table_chars_per_s", "newsds_call_document_chars_per_s"):
        assert figures[key] > 0
    if figures["blingfire_column_chars_per_s"] is not None:
        assert figures["column_speedup"] == pytest.approx(
            figures["newsds_column_chars_per_s"] / figures["blingfire_column_chars_per_s"]
        )
    assert "offsets_table" in ev.format_throughput(figures)


def test_throughput_without_blingfire(gold_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "blingfire", None)  # makes `import blingfire` fail
    figures = ev.throughput(gold_dir, target_chars=500, repeats=1, min_seconds=0.0)
    assert figures["blingfire_column_chars_per_s"] is None and "column_speedup" not in figures
    assert " - " in ev.format_throughput(figures)


def test_command(gold_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["sentences", "--gold", str(gold_dir), "--systems", "newsds", "--repeats", "1"]
    assert main(argv) == 0
    assert "newsds" in capsys.readouterr().out
    assert main([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["tp"] == 3
    assert main(["sentences", "--gold", str(tmp_path / "nowhere")]) == 2
    assert "gold file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:  # the html task is still there
        main(["html", "--help"])
    assert exit_info.value.code == 0
