"""documents.language: ISO 639-1 codes from py3langid, None when unsure; the page's own tag only breaks
near-ties; documents not in English are counted as skipped by the claims stage in the card and report."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsds.ingest.parse.language as language
from newsds.ingest.parse import parse_file
from newsds.ingest.parse.language import MACROLANGUAGE, declared_code, detect_language, language_candidates
from newsds.release.datacard import render_datacard, skipped_by_language, skipped_note
from newsds.release.report import render_report
from newsds.schemas import empty_frame

# One news sentence or two per language, written for these tests.
TEXTS = {
    "en": "The city council approved the new budget on Monday after a long debate, the mayor said.",
    "de": "Der Stadtrat hat am Montag nach einer langen Debatte den neuen Haushalt beschlossen, sagte der "
    "Bürgermeister.",
    "fr": "Le conseil municipal a approuvé lundi le nouveau budget après un long débat, a déclaré le maire.",
    "es": "El ayuntamiento aprobó el lunes el nuevo presupuesto tras un largo debate, dijo el alcalde.",
    "pt": "A câmara municipal aprovou na segunda-feira o novo orçamento depois de um longo debate, disse o "
    "prefeito.",
    "ru": "Городской совет в понедельник после долгих дебатов утвердил новый бюджет, заявил мэр.",
    "ar": "وافق مجلس المدينة يوم الاثنين على الميزانية الجديدة بعد نقاش طويل، حسبما قال رئيس البلدية.",
    "ko": "시의회는 월요일 오랜 논쟁 끝에 새 예산안을 승인했다고 시장이 밝혔다. "
    "시장은 이번 예산이 시민들에게 도움이 될 것이라고 말했다.",
    "zh": "市议会周一在经过长时间辩论后批准了新的预算，市长表示。市长说，这项预算将帮助城市的居民。",
    "ja": "市議会は月曜日、長い議論の末に新しい予算を承認したと市長が述べた。"
    "市長は予算が市民の役に立つと語った。",
}
CANTONESE = (
    "市議會喺星期一經過長時間嘅辯論之後，終於通過咗新嘅預算案。市長話佢哋會繼續做嘢，幫手改善市民嘅生活，"
    "亦都會睇住啲錢點樣使。"
)
CODE = re.compile(r"[a-z]{2}")
LONG_ENOUGH = "x" * language.MIN_LETTERS  # passes the length rule; the candidates are patched in


@pytest.mark.parametrize(("code", "text"), sorted(TEXTS.items()), ids=sorted(TEXTS))
def test_news_text_gets_its_iso_639_1_code(code: str, text: str) -> None:
    assert detect_language(text) == code


def test_members_of_a_macrolanguage_count_for_it() -> None:
    assert MACROLANGUAGE["yue"] == "zh"
    assert language._identifier().rank(CANTONESE)[0][0] == "yue"  # py3langid's own label
    assert detect_language(CANTONESE) == "zh"
    for text in [*TEXTS.values(), CANTONESE, "12345 !!!"]:
        codes = [code for code, _ in language_candidates(text)]
        assert all(CODE.fullmatch(code) for code in codes) and len(codes) == len(set(codes))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n ",
        "Hello world",
        "Council approves budget",  # a title alone
        "12345 678 90 — !!! ??? 2024-01-01 12:00 +++ 3.14159 ### 42 %%% 1,000,000 ...",
        "Bürgermeister",
    ],
)
def test_short_or_letterless_text_is_unknown(text: str) -> None:
    assert detect_language(text) is None
    assert detect_language(text, declared="en") is None  # a declaration alone names nothing


def test_only_the_opening_is_read() -> None:
    opening = TEXTS["de"] * (language.MAX_CHARS // len(TEXTS["de"]) + 1)
    assert detect_language(opening + TEXTS["en"] * 100) == "de"


@pytest.mark.parametrize(
    ("candidates", "declared", "expected"),
    [
        ([("en", 0.95), ("fr", 0.04)], "fr", "en"),  # never overrules a confident detection
        ([("no", 0.6), ("da", 0.35)], None, None),  # unsure, and nothing declared
        ([("no", 0.6), ("da", 0.35)], "da-DK", "da"),  # picks the runner-up of a close race
        ([("no", 0.6), ("da", 0.35)], "NO", "no"),  # confirms an unsure best guess
        ([("no", 0.6), ("da", 0.35)], "de", None),  # a language the text does not support
        ([("no", 0.88), ("da", 0.07)], "da", None),  # no near-tie: the runner-up is far behind
        ([("no", 0.88), ("da", 0.07)], "no", "no"),
        ([("no", 0.5), ("da", 0.3), ("sv", 0.2)], "no", None),  # the two best fall short together
    ],
)
def test_a_declared_language_only_breaks_near_ties(
    monkeypatch: pytest.MonkeyPatch, candidates: list[tuple[str, float]], declared: str | None, expected: str
) -> None:
    monkeypatch.setattr(language, "language_candidates", lambda text: candidates)
    assert detect_language(LONG_ENOUGH, declared=declared) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("EN_us", "en"),
        (" pt-BR ", "pt"),
        ("eng", None),
        ("", None),
        (None, None),
    ],
)
def test_declared_codes(value: str | None, code: str | None) -> None:
    assert declared_code(value) == code


WORDS = sorted({w for text in TEXTS.values() for w in text.split()})


@settings(max_examples=150, deadline=None)
@given(
    text=st.one_of(st.text(), st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)),
    declared=st.one_of(st.none(), st.text(max_size=8), st.sampled_from(["en", "de", "zh-TW"])),
)
def test_detection_is_deterministic_and_returns_a_code_or_none(text: str, declared: str | None) -> None:
    found = detect_language(text, declared)
    assert found is None or CODE.fullmatch(found)
    assert detect_language(text, declared) == found


def test_the_same_text_gets_the_same_code_in_another_process() -> None:
    texts = [
        *TEXTS.values(),
        CANTONESE,
        "Council approves budget",
        " ".join(WORDS[:25]),
        " ".join(WORDS[::3]),
    ]
    here = [detect_language(text) for text in texts]
    code = (
        "import json, sys; from newsds.ingest.parse.language import detect_language; "
        "print(json.dumps([detect_language(t) for t in json.load(sys.stdin)]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert json.loads(done.stdout) == here


# --- From raw files ------------------------------------------------------------------------------------


def test_parsed_documents_get_the_detected_language(tmp_path: Path) -> None:
    german = [TEXTS["de"], "Die Opposition kritisierte, dass die Ausgaben für Schulen zu niedrig seien."]
    page = tmp_path / "page.html"  # the template says English; the article is German
    page.write_text(
        '<html lang="en"><head><title>Stadtrat beschließt Haushalt</title></head><body><article>'
        "<h1>Stadtrat beschließt Haushalt</h1>" + "".join(f"<p>{p}</p>" for p in german) + "</article>"
        "</body></html>"
    )
    assert parse_file(page)["language"] == "de"
    note = tmp_path / "nota.txt"
    note.write_text(f"El ayuntamiento aprueba el presupuesto\n\n{TEXTS['es']}\n")
    assert parse_file(note)["language"] == "es"
    record = tmp_path / "record.json"  # a crawler's default language is not taken over the text
    record.write_text(json.dumps({"title": "Budget", "text": TEXTS["en"], "language": "pt"}))
    assert parse_file(record)["language"] == "en"
    record.write_text(json.dumps({"title": "Ponte reabre", "text": "A ponte reabriu.", "language": "pt"}))
    assert parse_file(record)["language"] is None  # too short to tell, whatever the record says


# --- The data card and the report count the documents the claims stage skips ---------------------------


def _documents(languages: list[str | None]) -> pl.DataFrame:
    rows = pl.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(languages))],
            "source_path": [f"doc{i}.txt" for i in range(len(languages))],
            "format": ["txt"] * len(languages),
            "language": languages,
        },
        schema_overrides={"language": pl.Utf8},
    )
    return pl.concat([empty_frame("documents"), rows], how="diagonal_relaxed")


def test_skipped_documents_are_counted_by_language() -> None:
    docs = _documents(["en", "ko", "de", None, "de", "en", "ar"])
    skipped = skipped_by_language(docs)
    assert skipped == [("de", 2), ("ar", 1), ("ko", 1), ("unknown", 1)]  # most first, then by code
    assert skipped_by_language(docs.lazy()) == skipped
    assert skipped_note(skipped) == (
        "Claims are extracted from English documents only; skipped (no claims), by language: "
        "de 2, ar 1, ko 1, unknown 1."
    )
    assert skipped_note(skipped_by_language(_documents(["en", "en"]))).endswith("by language: none.")


def test_the_card_and_the_report_say_what_was_skipped() -> None:
    docs = _documents(["en", "ko", "de", "de", "<b>"])
    tables = {"documents": docs, "sentences": empty_frame("sentences"), "claims": empty_frame("claims")}
    expected = "skipped (no claims), by language: de 2, &lt;b&gt; 1, ko 1."
    page = render_report({"version": "0.0.1"}, tables)
    assert f'<p id="claims-languages">Claims are extracted from English documents only; {expected}' in page
    manifest = {
        "version": "0.0.1",
        "counts": dict.fromkeys(("inputs", "documents", "sentences", "claims", "rejected"), 0),
        "rejected_by_reason": {},
        "stages": {},
        "libraries": {"py3langid": "0.4.0"},
    }
    card = render_datacard(manifest, tables, {"tables": {}, "cross_table": []}, "## Changes\n")
    assert "skipped (no claims), by language: de 2, <b> 1, ko 1." in card
    assert "detected by py3langid 0.4.0" in " ".join(card.split())
