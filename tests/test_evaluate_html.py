"""The HTML-extraction evaluation: the benchmark metric on hand-computed cases, visible_text, the command."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsds.evaluate import evaluate_html, format_table, macro_prf, token_prf, visible_text
from newsds.evaluate.__main__ import main
from newsds.evaluate.html import (
    Extraction,
    NetworkAccessError,
    Page,
    _newsds_text,
    _offline,
    _rows,
    load_pages,
    metadata_scores,
)
from newsds.evaluate.metrics import Counts, overlap, tokenize

# --- metric --------------------------------------------------------------------------------------


def test_tokens_are_word_runs_with_case_kept() -> None:
    assert tokenize("Hello, world! It's 2024.") == ["Hello", "world", "It", "s", "2024"]
    assert tokenize(None) == []


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ("a b c d", "a b x", (2 / 3, 1 / 2, 4 / 7)),  # tp 2, fp 1, fn 2
        ("the the cat", "the cat cat", (2 / 3, 2 / 3, 2 / 3)),  # multiset: each word matched once
        ("Hello world!!", "Hello, world", (1.0, 1.0, 1.0)),  # punctuation is not a token
        ("The", "the", (0.0, 0.0, 0.0)),  # case matters
        ("", "", (1.0, 1.0, 1.0)),  # both empty: a perfect match
        ("a b", "", (0.0, 0.0, 0.0)),  # nothing predicted
        ("a b", " ... ", (0.0, 0.0, 0.0)),  # punctuation only is nothing
        ("", "a b", (0.0, 0.0, 0.0)),  # empty gold, something predicted
    ],
)
def test_bag_of_words_prf(gold: str, pred: str, expected: tuple[float, float, float]) -> None:
    assert token_prf(gold, pred) == pytest.approx(expected)


def test_shingles_for_larger_n() -> None:
    assert token_prf("a b c", "a b d", ngram_n=2) == pytest.approx((0.5, 0.5, 0.5))
    # Shorter than n: the whole text is one (shorter) shingle, as in the benchmark.
    assert token_prf("a", "a", ngram_n=4) == (1.0, 1.0, 1.0)
    assert token_prf("a b", "a b c d e", ngram_n=4) == (0.0, 0.0, 0.0)


def test_counts_are_normalised_per_page() -> None:
    assert overlap("a b c d", "a b x") == pytest.approx(Counts(2 / 5, 1 / 5, 2 / 5))
    assert overlap("", "") == Counts(0.0, 0.0, 0.0)


def test_macro_average_skips_empty_predictions_in_precision() -> None:
    pages = [
        overlap("a b", "a b"),  # P 1, R 1
        overlap("a b", ""),  # no prediction: only in the recall mean, with 0
        overlap("a b", "a b c d"),  # P 1/2, R 1
        overlap("", ""),  # in neither mean
    ]
    p, r, f1 = macro_prf(pages)
    assert (p, r) == pytest.approx((3 / 4, 2 / 3))
    assert f1 == pytest.approx(12 / 17)  # harmonic mean of the means, not the mean of page F1s
    assert macro_prf([overlap("a", "")]) == (0.0, 0.0, 0.0)  # undefined precision is reported as 0
    assert macro_prf([]) == (0.0, 0.0, 0.0)


@given(st.text(max_size=60), st.text(max_size=60))
def test_precision_and_recall_are_mirror_images(gold: str, pred: str) -> None:
    p, r, _ = token_prf(gold, pred)
    r2, p2, _ = token_prf(pred, gold)
    assert (p, r) == pytest.approx((p2, r2))
    assert token_prf(gold, gold) == (1.0, 1.0, 1.0)


# --- visible text --------------------------------------------------------------------------------

SNIPPET = """<?xml version="1.0" encoding="iso-8859-1"?>
<html><head><title>Tab title</title><style>.a { color: red }</style></head>
<body><div>Hello <b>bold</b>
    world</div><script>var x = 1;</script><p>Second<br>line café</p><!-- a comment -->
<noscript>enable js</noscript><template><p>hidden</p></template>
<ul><li>one</li><li>two</li></ul>tail text</body></html>"""


def test_visible_text_drops_code_and_puts_blocks_on_lines() -> None:
    assert visible_text(SNIPPET) == "Hello bold world\nSecond\nline café\none\ntwo\ntail text"
    assert visible_text(SNIPPET) == visible_text(SNIPPET)
    assert visible_text("") == ""
    assert visible_text("just <i>text</i>") == "just text"


# --- the evaluation ------------------------------------------------------------------------------

PARAGRAPHS = [
    "The city council voted on Tuesday to expand the bus network to three new districts, a plan that "
    "officials said would cut average commuting times by a quarter within two years.",
    "Residents who spoke at the meeting were divided. Some welcomed the new routes, while others worried "
    "that the cost of the project would fall on local businesses through higher taxes.",
    "The mayor said construction of the first stops would begin in the spring, and that the council "
    "would publish a full budget for the expansion before the end of the month.",
]


def _page(n: int) -> dict[str, str]:
    body = "".join(f"<p>{p} (Report {n}.)</p>" for p in PARAGRAPHS)
    html = (
        f"<html><head><title>Council expands buses {n}</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
        "<li><a href='/sport'>Sport</a></li><li><a href='/weather'>Weather</a></li></ul></nav>"
        f"<article><h1>Council expands buses {n}</h1>{body}</article>"
        "<footer><p>Copyright Example Media. Privacy policy. Terms of use. Contact us.</p></footer>"
        "</body></html>"
    )
    gold = "\n\n".join(f"{p} (Report {n}.)" for p in PARAGRAPHS)
    return {"id": f"page{n}", "url": f"https://news.example.com/{n}.html", "html": html, "article_body": gold}


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    root = tmp_path / "gold"
    (root / "html").mkdir(parents=True)
    lines = (json.dumps(_page(n)) for n in range(3))
    (root / "html" / "aeb_dev.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_evaluate_html_scores_each_system(gold: Path) -> None:
    results = evaluate_html(gold, systems=["trafilatura", "raw page text"])
    assert [r["system"] for r in results] == ["trafilatura (defaults)", "raw page text"]
    traf, raw = results
    for r in results:
        assert {"system", "pages", "precision", "recall", "f1", "pages_per_s"} <= r.keys()
        assert r["pages"] == 3 and r["empty"] == 0 and r["pages_per_s"] > 0
    assert raw["recall"] == 1.0 and raw["precision"] < 1.0  # the page holds the article plus furniture
    assert traf["f1"] > raw["f1"]
    table = format_table(results).splitlines()
    assert table[0].split() == ["system", "P", "R", "F1", "pages", "empty", "pages/s"]
    assert len({len(line) for line in table[:2]}) == 1  # header and rule aligned
    assert evaluate_html(gold / "html" / "aeb_dev.jsonl", systems=["raw"], limit=2)[0]["pages"] == 2


def _meta_page(n: int) -> dict[str, object]:
    """A page with a site name in its <title>, JSON-LD authors and date, and the gold for them."""
    page = _page(n)
    head = (
        f"<title>Council expands buses {n} | Example Media</title>"
        '<meta property="og:site_name" content="Example Media">'
        '<script type="application/ld+json">'
        + json.dumps(
            {
                "@type": "NewsArticle",
                "datePublished": f"2024-03-0{n + 1}T08:30:00+01:00",
                "author": [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Chen"}],
            }
        )
        + "</script>"
    )
    page["html"] = str(page["html"]).replace(f"<title>Council expands buses {n}</title>", head)
    return {
        **page,
        "title": f"Council expands buses {n}",
        "authors": ["Ann Lee", "Bo Chen"] if n else [],  # page 0: the gold says "no authors"
        "publish_date": f"2024-03-0{n + 1}T08:30:00+01:00" if n < 2 else None,  # page 2: no gold date
    }


@pytest.fixture
def meta_gold(tmp_path: Path) -> Path:
    file = tmp_path / "pages.jsonl"
    file.write_text("".join(json.dumps(_meta_page(n)) + "\n" for n in range(3)), encoding="utf-8")
    return file


def test_titles_dates_and_authors_are_scored_where_the_gold_has_them(meta_gold: Path) -> None:
    pages = load_pages(meta_gold)
    assert (
        pages[0].authors == []
        and pages[2].publish_date is None
        and pages[0].title == "Council expands buses 0"
    )
    results = evaluate_html(meta_gold, systems=["newsds-html", "trafilatura", "raw"])
    ours, traf, raw = results
    assert (ours["titles"], ours["titles_gold"]) == (3, 3)  # the site name is dropped
    assert (ours["dates"], ours["dates_gold"]) == (2, 2)
    assert (ours["authors"], ours["authors_gold"]) == (2, 3)  # page 0's gold says none
    assert traf["titles_gold"] == 3 and "titles" not in raw  # raw text reads no metadata
    table = format_table(results).splitlines()
    assert table[0].split()[-3:] == ["titles", "dates", "authors"]
    assert table[2].split()[-3:] == ["3/3", "2/2", "2/3"] and table[-1].split()[-3:] == ["-", "-", "-"]


def test_metadata_scores_compare_days_titles_and_author_sets() -> None:
    page = Page(
        "p", "", "", "", title="A  title", authors=["Ann Lee", "bo chen"], publish_date="2024-03-06 23:00"
    )
    got = Extraction("", "A title", "2024-03-06", ("Bo Chen", "Ann Lee"))
    assert metadata_scores([page], [got]) == {
        "titles": 1, "titles_gold": 1, "dates": 1, "dates_gold": 1, "authors": 1, "authors_gold": 1,
    }  # fmt: skip
    missed = Extraction("", "A title | Site", "2024-03-07", ("Ann Lee",))
    assert metadata_scores([page], [missed])["titles"] + metadata_scores([page], [missed])["authors"] == 0
    assert metadata_scores([Page("p", "", "", "")], [got])["titles_gold"] == 0  # a gold without metadata


def test_throughput_compares_newsds_with_trafilatura_on_one_core(gold: Path) -> None:
    (result,) = evaluate_html(gold, systems=["throughput"], repeats=1)
    assert result["kind"] == "throughput" and result["pages"] == 3 and result["repeats"] == 1
    assert result["newsds_pages_per_s"] > 0 and result["trafilatura_pages_per_s"] > 0
    note = format_table([result])
    assert note.startswith("note: throughput (") and "trafilatura.extract(with_metadata=True)" in note


def test_newspaper_runs_offline(gold: Path) -> None:
    pytest.importorskip("newspaper")
    (result,) = evaluate_html(gold, systems=["newspaper4k"])
    assert result["errors"] == [] and 0.5 < result["f1"] <= 1.0


def test_unknown_system_is_refused(gold: Path) -> None:
    with pytest.raises(ValueError, match="unknown system 'spacy'"):
        evaluate_html(gold, systems=["spacy"])


def test_newsds_adapter_accepts_one_row_or_many() -> None:
    row = {"text": "body"}
    assert _rows(row) == [row] and _rows([row, row]) == [row, row]
    assert _newsds_text(b"<p>x</p>", "page.unknown-format") == ""  # ParseError: an empty prediction


def test_offline_refuses_connections() -> None:
    with _offline(), pytest.raises(NetworkAccessError):
        socket.create_connection(("example.com", 80))
    assert socket.create_connection.__name__ == "create_connection"  # restored


# --- the command ---------------------------------------------------------------------------------


def test_command_prints_a_table_or_json(gold: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["html", "--gold", str(gold), "--systems", "raw", "--limit", "1"]) == 0
    assert "raw page text" in capsys.readouterr().out
    assert main(["html", "--gold", str(gold), "--systems", "raw", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["pages"] == 3
    assert main(["html", "--gold", str(gold), "--systems", "newsds-html,throughput", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "newsds (html)" in out and "note: throughput (" in out


def test_command_explains_a_missing_gold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["html", "--gold", str(tmp_path / "nowhere")]) == 2
    assert "pass --gold" in capsys.readouterr().err
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)  # no ../shared/gold from here
    assert main(["html"]) == 2
    assert "pass --gold PATH" in capsys.readouterr().err
