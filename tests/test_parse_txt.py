"""Tests for the plain-text parser: the seed and Wikinews files, one synthetic case per rule, properties."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsds.ingest.parse.txt import (
    BOILERPLATE_KINDS,
    PARSER_VERSION,
    Boilerplate,
    TxtDocument,
    clean_body,
    parse_txt,
)
from newsds.reading import LAYOUTS

RAW = Path(__file__).parents[1] / "data/raw"
WIKINEWS = sorted(RAW.glob("wikinews_*.txt"))
LONG_PARA = "The council met on Monday to debate the new budget for the coming year in detail. " * 6


def _parse(name: str) -> TxtDocument:
    return parse_txt((RAW / name).read_text(encoding="utf-8"))


def _paragraphs(doc: TxtDocument) -> list[str]:
    return doc.body.split("\n\n") if doc.body else []


def _assert_nothing_lost(text: str, doc: TxtDocument) -> None:
    """Every non-empty input line is the title, a body paragraph, a boilerplate line, or the byline/date
    line (those two are parsed into fields, so only their count is checked); the subtitle is a body
    paragraph too, and the dateline opens the first paragraph after it."""
    expected = Counter(line.strip() for line in text.splitlines() if line.strip())
    paras = _paragraphs(doc)
    assert doc.subtitle is None or doc.subtitle in paras  # reported and kept in the body
    if doc.dateline is not None:  # reported, never cut out
        lede = paras[1:] if paras[0] == doc.subtitle else paras
        assert lede[0].startswith(doc.dateline)
    pieces: Counter[str] = Counter(paras)
    pieces.update(line for b in doc.boilerplate for line in b.text.split("\n"))
    pieces.update(x for x in (doc.title,) if x is not None)
    assert not pieces - expected, "output text that is not an input line"
    missing = sum((expected - pieces).values())
    assert (
        int(doc.byline is not None) <= missing <= int(doc.byline is not None) + int(doc.published is not None)
    )


# --- seed 000: blank-line paragraphs, image credits, navigation tail ------------------------------------


@pytest.fixture(scope="module")
def seed000() -> TxtDocument:
    return _parse("000_7cda765537e03049.txt")


def test_seed000_title_and_no_header_fields(seed000: TxtDocument) -> None:
    assert seed000.title == "Astana Denies Claims Tatarstan Attack from Kazakhstan"
    assert seed000.subtitle is None  # the line after the title is an orphan caption, not a dek
    assert seed000.published is None
    assert seed000.ai_generated_notice is False


def test_seed000_furniture_removed(seed000: TxtDocument) -> None:
    for junk in (
        "Image by",
        "New Zealand Maori Cultural",
        "Previous Article",
        "Next Article",
        "Related Posts",
        "As Kyiv",
        "Kyiv Will Never Fall Blinken Asserts Ukraine's Sovereignty",
        "Top 15 Most Hilarious Signs People Spent Good Money on",
    ):
        assert junk not in seed000.body
    assert seed000.body.startswith("In a recent turn of events, Astana")
    kinds = [b.kind for b in seed000.boilerplate]
    assert kinds == [
        "caption",
        "image_credit",
        "image_credit",
        "image_credit",
        "navigation",
        "navigation",
        "related",
    ]
    assert seed000.boilerplate[0].text == "New Zealand Maori Cultural"
    assert seed000.boilerplate[4].text.startswith("Previous Article\nAs Kyiv\n")
    assert seed000.boilerplate[5].text.startswith("Next Article\nTop 15")


def test_seed000_headings_faq_and_conclusion_kept(seed000: TxtDocument) -> None:
    paras = _paragraphs(seed000)
    for heading in (
        "Tatarstan Drone Attack",
        "Unraveling the Allegations",
        "Kazakhstan’s Stance",
        "The Way Forward",
    ):
        assert heading in paras
    assert "What evidence does Russia have implicating Kazakhstan in the Tatarstan drone attack?" in paras
    assert "Has Kazakhstan cooperated with the investigation into the drone attack?" in paras
    assert paras[-1].startswith("The Tatarstan drone attack has ignited a diplomatic firestorm")
    assert all(p == p.strip() and p for p in paras)


# --- seed 003: one paragraph per line, standfirst, AI notice, related tail ------------------------------


@pytest.fixture(scope="module")
def seed003() -> TxtDocument:
    return _parse("003_2a186d871b2908a7.txt")


def test_seed003_header(seed003: TxtDocument) -> None:
    assert (
        seed003.title
        == "Central Asian Response to Alleged Putin Residence Drone Attack: A Weighted Neutrality"
    )
    assert seed003.subtitle == (
        "Central Asian leaders condemned an alleged Ukrainian drone attack on Putin's residence. "
        "Ukraine dismissed the claims as Russian fakes, sparking a diplomatic row."
    )


def test_seed003_standfirst_stays_in_the_body(seed003: TxtDocument) -> None:
    """The standfirst is reported as the subtitle and is also the body's first paragraph."""
    assert seed003.subtitle is not None
    assert _paragraphs(seed003)[0] == seed003.subtitle
    assert seed003.subtitle.startswith("Central Asian leaders condemned")


def test_seed003_ai_notice_and_related_removed(seed003: TxtDocument) -> None:
    assert seed003.ai_generated_notice is True
    assert "AI-generated" not in seed003.body
    assert "Related Articles" not in seed003.body
    assert "Yemen Saudi-backed offensive" not in seed003.body
    assert "one-China" not in seed003.body
    assert [b.kind for b in seed003.boilerplate] == ["ai_notice", "related"]
    related = seed003.boilerplate[1].text.split("\n")
    assert related[0] == "Related Articles" and len(related) == 5


def test_seed003_body_kept(seed003: TxtDocument) -> None:
    paras = _paragraphs(seed003)
    assert paras[1].startswith("They're shaking hands, but the tension is palpable.")
    assert seed003.title not in paras
    assert any(p.startswith("According to Sergey Lavrov") for p in paras)
    assert "A Chorus of Condemnation from Regional Neighbors" in paras  # heading kept
    assert paras[-1].startswith("Kyiv didn't hold back")


# --- Wikinews ---------------------------------------------------------------------------------------------


def test_wikinews_files_present() -> None:
    assert len(WIKINEWS) >= 20


@pytest.mark.parametrize("path", WIKINEWS, ids=lambda p: p.stem)
def test_wikinews_header(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = parse_txt(text)
    assert doc.title == text.splitlines()[0].strip()
    assert doc.subtitle is None
    assert isinstance(doc.published, dt.date)
    assert not any(b.kind not in BOILERPLATE_KINDS for b in doc.boilerplate)
    assert "Image: " not in doc.body
    _assert_nothing_lost(text, doc)


# The Wikinews files are also gold text (GUM), which must not be copied into this source: their lines are
# named by number (1-based, as an editor shows them) and read from the file.
def _line(name: str, number: int) -> str:
    return (RAW / name).read_text(encoding="utf-8").splitlines()[number - 1].strip()


def test_wikinews_expo_captions_removed_headings_kept() -> None:
    name = "wikinews_expo.txt"
    doc = _parse(name)
    assert doc.published == dt.date(2016, 9, 7)
    assert doc.body.startswith(_line(name, 7))  # the leading caption (line 5) is gone
    captions = [b.text for b in doc.boilerplate if b.kind == "caption"]
    assert _line(name, 5) in captions
    # Two credits follow their caption with no full stop before "Image:".
    assert _line(name, 17) in captions and not _line(name, 17).split(" Image:")[0].endswith(".")
    assert _line(name, 41) in captions and not _line(name, 41).split(" Image:")[0].endswith(".")
    assert len(captions) == 11
    paras = _paragraphs(doc)
    for number in (19, 39, 43, 51):  # headings: short lines with no final full stop
        assert _line(name, number) in paras


def test_wikinews_afghan() -> None:
    name = "wikinews_afghan.txt"
    doc = _parse(name)
    assert doc.published == dt.date(2017, 7, 21)
    assert doc.body.startswith(_line(name, 5))
    assert _line(name, 3) not in doc.body  # the date line
    caption = _line(name, 9)  # a caption with initials ("D.C.") right before its credit
    assert " D.C. Image: " in caption
    assert doc.boilerplate == (Boilerplate("caption", caption),)


def test_wikinews_sources_and_categories() -> None:
    name = "wikinews_sensitive.txt"
    doc = _parse(name)
    assert [b.kind for b in doc.boilerplate] == ["source_list", "tag_list"]
    sources = doc.boilerplate[0].text.split("\n")
    assert sources[0] == "Sources" and len(sources) == 5
    assert doc.boilerplate[1].text.startswith("Categories: ")
    assert doc.boilerplate[1].text == _line(name, 45)
    assert _paragraphs(doc)[-1] == _line(name, 33)
    assert "Sources" not in _paragraphs(doc)


def test_wikinews_warhol_video_and_audio_captions() -> None:
    name = "wikinews_warhol.txt"
    doc = _parse(name)
    video, audio = _line(name, 7), _line(name, 13)
    assert "Video: " in video and "Audio: " in audio
    assert video[video.index("Video: ") :] not in doc.body and audio[audio.index("Audio: ") :] not in doc.body
    assert _line(name, 21) in _paragraphs(doc)  # a two-word heading


def test_date_glued_to_first_paragraph() -> None:
    """wikinews_flag's first paragraph opens with the weekday date ('Weekday, Month D, YYYY On ...'): the date
    is taken, the paragraph left untouched."""
    name = "wikinews_flag.txt"
    doc = _parse(name)
    date = dt.date(2015, 5, 7)
    assert doc.published == date
    assert doc.subtitle is None
    glued = _line(name, 3)
    assert glued.startswith(f"{date:%A, %B} {date.day}, {date.year} ")
    assert _paragraphs(doc)[0] == glued


# --- synthetic: one case per rule -------------------------------------------------------------------------


def test_empty_and_whitespace() -> None:
    for text in ("", "   ", "\n\n \t\n"):
        assert parse_txt(text) == TxtDocument(None, None, None, None, "", (), False)


def test_parser_version() -> None:
    assert PARSER_VERSION.startswith("txt/")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Friday, July 21, 2017", dt.date(2017, 7, 21)),
        ("July 21, 2017", dt.date(2017, 7, 21)),
        ("21 July 2017", dt.date(2017, 7, 21)),
        ("2017-07-21", dt.date(2017, 7, 21)),
        ("Published: 3 Sept 2019", dt.date(2019, 9, 3)),
        ("Updated on Tue. March 5th, 2024 10:30 am EST", dt.date(2024, 3, 5)),
        ("Posted on 2020/02/29", dt.date(2020, 2, 29)),
    ],
)
def test_date_line(line: str, expected: dt.date) -> None:
    doc = parse_txt(f"A Title\n\n{line}\n\n{LONG_PARA}\n\nSecond paragraph.")
    assert doc.published == expected
    assert doc.subtitle is None
    assert line not in doc.body and doc.body.startswith("The council met")


@pytest.mark.parametrize("line", ["February 30, 2020", "Friday was a long day", "2017-13-01"])
def test_not_a_date_line(line: str) -> None:
    doc = parse_txt(f"A Title\n{line}\n{LONG_PARA}")
    assert doc.published is None
    assert line in _paragraphs(doc)


def test_second_date_line_is_dateline_boilerplate() -> None:
    doc = parse_txt(f"A Title\nPublished: July 1, 2020\nUpdated: July 2, 2020\n{LONG_PARA}")
    assert doc.published == dt.date(2020, 7, 1)
    assert doc.boilerplate == (Boilerplate("dateline", "Updated: July 2, 2020"),)


def test_byline() -> None:
    doc = parse_txt(f"A Title\n\nBy Jane Doe and Tom van der Berg\n\nJuly 21, 2017\n\n{LONG_PARA}")
    assert doc.byline == "Jane Doe and Tom van der Berg"
    assert doc.published == dt.date(2017, 7, 21)
    assert "By Jane" not in doc.body
    assert parse_txt(f"T\nBy: JANE DOE | Reuters\n{LONG_PARA}").byline == "JANE DOE"


def test_sentence_starting_with_by_is_not_a_byline() -> None:
    doc = parse_txt(f"A Title\nBy Monday the price had doubled again\n{LONG_PARA}")
    assert doc.byline is None
    assert "By Monday the price had doubled again" in _paragraphs(doc)


def test_subtitle_rules() -> None:
    dek = "A short standfirst that sums the story up."
    assert parse_txt(f"A Title\n{dek}\n{LONG_PARA}").subtitle == dek
    assert parse_txt(f"A Title\n{LONG_PARA}\nMore text.").subtitle is None  # too long to be a dek
    assert parse_txt(f"A Title\n{dek}").subtitle is None  # no body after it
    assert parse_txt(f"A Title\nNo Punctuation Heading\n{LONG_PARA}").subtitle is None
    # before a date line even a long paragraph is the standfirst; it stays in the body
    doc = parse_txt(f"A Title\n{LONG_PARA}\nMay 1, 2021\nBody text.")
    assert doc.subtitle == LONG_PARA.strip() and doc.body == f"{LONG_PARA.strip()}\n\nBody text."
    short = parse_txt(f"A Title\n{dek}\n{LONG_PARA}")
    assert _paragraphs(short) == [dek, LONG_PARA.strip()]


@pytest.mark.parametrize(
    "credit",
    [
        "Image by",
        "Image by Jane Doe from Pixabay",
        "Photo: Reuters",
        "Photo credit: Jane Doe",
        "(Getty Images)",
    ],
)
def test_image_credit_and_orphan_caption(credit: str) -> None:
    doc = parse_txt(f"A Title\n\n{LONG_PARA}\n\nHarbour At Dawn\n{credit}\n\nClosing paragraph here.")
    assert doc.boilerplate == (Boilerplate("caption", "Harbour At Dawn"), Boilerplate("image_credit", credit))
    assert doc.body == LONG_PARA.strip() + "\n\nClosing paragraph here."


def test_heading_separated_from_credit_by_blank_line_is_kept() -> None:
    doc = parse_txt(f"A Title\n\n{LONG_PARA}\n\nThe Way Forward\n\nImage by\n\nClosing paragraph here.")
    assert "The Way Forward" in _paragraphs(doc)
    assert doc.boilerplate == (Boilerplate("image_credit", "Image by"),)


def test_caption_paragraph_with_credit() -> None:
    caption = "The mayor opens the new bridge on Friday. Photo: J. R. Smith/AP."
    doc = parse_txt(f"A Title\n{LONG_PARA}\n{caption}\nA quote about a photo: it was great.")
    assert doc.boilerplate == (Boilerplate("caption", caption),)
    assert "A quote about a photo: it was great." in _paragraphs(doc)


def test_copyright_and_tag_list() -> None:
    doc = parse_txt(f"A Title\n{LONG_PARA}\n© 2024 Acme News. All rights reserved.\nTags: politics, budget")
    assert doc.boilerplate == (
        Boilerplate("copyright", "© 2024 Acme News. All rights reserved."),
        Boilerplate("tag_list", "Tags: politics, budget"),
    )
    assert doc.body == LONG_PARA.strip()
    kept = parse_txt(f"A Title\n{LONG_PARA}\nCopyright law is changing, the minister said.")
    assert "Copyright law is changing, the minister said." in _paragraphs(kept)


def test_mid_article_marker_removes_only_itself_and_short_teasers() -> None:
    text = (
        f"A Title\n{LONG_PARA}\nRelated Stories\nStorm Hits The Coast\nMayor Resigns After Vote\n"
        f"The vote itself was close, officials said.\n{LONG_PARA}\n{LONG_PARA}"
    )
    doc = parse_txt(text)
    assert doc.boilerplate == (
        Boilerplate("related", "Related Stories\nStorm Hits The Coast\nMayor Resigns After Vote"),
    )
    assert "The vote itself was close, officials said." in _paragraphs(doc)
    assert len(_paragraphs(doc)) == 4


def test_inline_related_line() -> None:
    doc = parse_txt(f"A Title\n{LONG_PARA}\nRead more: Storm hits the coast\n{LONG_PARA}")
    assert doc.boilerplate == (Boilerplate("related", "Read more: Storm hits the coast"),)


def test_tail_markers_remove_full_sentence_teasers_in_sections() -> None:
    text = (
        f"A Title\n{LONG_PARA}\n{LONG_PARA}\nYou May Also Like\nA teaser that is a full sentence.\n"
        "Another teaser, also a sentence.\nNext Post\nWhy the budget matters."
    )
    doc = parse_txt(text)
    assert doc.body == f"{LONG_PARA.strip()}\n\n{LONG_PARA.strip()}"
    assert doc.boilerplate == (
        Boilerplate(
            "related",
            "You May Also Like\nA teaser that is a full sentence.\nAnother teaser, also a sentence.",
        ),
        Boilerplate("navigation", "Next Post\nWhy the budget matters."),
    )


@pytest.mark.parametrize(
    "notice",
    [
        "Disclaimer: This article was written with the assistance of artificial intelligence.",
        "The above summary was produced using an AI model. Please check the original reporting.",
        "This story was generated automatically by a large language model.",
        "AI-generated content. Facts may be incomplete.",
        "We used AI tools to help draft this article.",
    ],
)
def test_ai_notice_phrasings(notice: str) -> None:
    doc = parse_txt(f"A Title\n{LONG_PARA}\n{notice}\nClosing line.")
    assert doc.ai_generated_notice is True
    assert doc.boilerplate == (Boilerplate("ai_notice", notice),)
    assert notice not in doc.body


def test_article_about_ai_is_not_a_notice() -> None:
    para = (
        "The company said its new chatbot was built by AI researchers in London and trained on news articles."
    )
    doc = parse_txt(f"A Title\n{LONG_PARA}\n{para}")
    assert doc.ai_generated_notice is False
    assert para in _paragraphs(doc)


def test_every_line_is_its_own_paragraph() -> None:
    doc = parse_txt(f"A Title\n\n{LONG_PARA}\nsecond line same block.\n\n  third  \n")
    assert _paragraphs(doc) == [LONG_PARA.strip(), "second line same block.", "third"]


# --- single-line furniture: one parametrized case per new rule --------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Copyright © 2019 Dow Jones & Company, Inc. All Rights Reserved.", "copyright"),
        ("© Copyright Hearst Media Services", "copyright"),
        ("Share this article", "share"),
        ("Share on Facebook", "share"),
        ("Share via Email", "share"),
        ("Follow us on Twitter", "share"),
        ("Follow Jane Doe on Twitter: @janedoe", "share"),
        ("Tweet", "share"),
        ("Email", "share"),
        ("Print", "share"),
        ("Facebook Twitter LinkedIn Email", "share"),
        ("Continue reading", "read_more"),
        ("Continue reading the main story", "read_more"),
        ("Read the full story", "read_more"),
        ("Sign up for our newsletter", "newsletter"),
        ("Subscribe", "newsletter"),
        ("Get the latest headlines delivered to your inbox", "newsletter"),
        ("Want more stories like this? Sign up for our daily newsletter.", "newsletter"),
        ("We use cookies to improve your experience on our site.", "cookie_notice"),
        ("By continuing to use this site you consent to our cookie policy.", "cookie_notice"),
        ("Accept all cookies", "cookie_notice"),
        ("Advertisement", "advertisement"),
        ("ADVERTISEMENT", "advertisement"),
        ("Sponsored content", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("12 Comments", "comments"),
        ("Comments (3)", "comments"),
        ("Leave a comment", "comments"),
        ("Join the discussion", "comments"),
        ("Photo by Jane Doe/Reuters", "image_credit"),
        ("(Photo: Getty Images)", "image_credit"),
        ("Alex Wong | Getty Images", "image_credit"),
        ("Tags: politics, budget", "tag_list"),
    ],
)
def test_single_line_furniture(line: str, kind: str) -> None:
    doc = parse_txt(f"A Title\n{LONG_PARA}\n{line}\n{LONG_PARA}")
    assert doc.boilerplate == (Boilerplate(kind, line),)
    assert doc.body == f"{LONG_PARA.strip()}\n\n{LONG_PARA.strip()}"


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell sharply on Monday.",
        "Share prices tumble",
        "The school sold cookies baked by pupils to raise money for the trip.",
        "Cookies let websites remember your preferences, the regulator said.",
        "Print newspapers are struggling.",
        "He said he would email the report to colleagues.",
        "Comments from the minister drew criticism.",
        "Advertising revenue rose 5%.",
        "Subscribers complained about the price rise.",
        "Follow the money",
        "Getty Images said the photos were not for sale.",
        "Discussion",
    ],
)
def test_article_lines_that_look_like_furniture_are_kept(line: str) -> None:
    doc = parse_txt(f"A Title\n{LONG_PARA}\n{line}\n{LONG_PARA}")
    assert line in _paragraphs(doc)
    assert doc.boilerplate == ()


def test_share_bar_run_is_one_entry() -> None:
    doc = parse_txt(f"A Title\n{LONG_PARA}\nShare\nFacebook\nTwitter\nWhatsApp\nEmail\n{LONG_PARA}")
    assert doc.boilerplate == (Boilerplate("share", "Share\nFacebook\nTwitter\nWhatsApp\nEmail"),)


def test_comment_section_in_the_tail_is_removed_mid_prompt_only_itself() -> None:
    tail = parse_txt(f"A Title\n{LONG_PARA}\n{LONG_PARA}\n3 Comments\nGreat piece, thanks.\nI disagree.")
    assert tail.body == f"{LONG_PARA.strip()}\n\n{LONG_PARA.strip()}"
    assert tail.boilerplate == (Boilerplate("comments", "3 Comments\nGreat piece, thanks.\nI disagree."),)
    mid = parse_txt(f"A Title\n{LONG_PARA}\nLeave a comment\nThe Way Forward\n{LONG_PARA}\n{LONG_PARA}")
    assert mid.boilerplate == (Boilerplate("comments", "Leave a comment"),)
    assert "The Way Forward" in _paragraphs(mid)  # a heading after the prompt is not a teaser


def test_tags_heading_in_the_tail() -> None:
    doc = parse_txt(f"A Title\n{LONG_PARA}\n{LONG_PARA}\nTags\nBudget\nCity council")
    assert doc.boilerplate == (Boilerplate("tag_list", "Tags\nBudget\nCity council"),)


def test_more_stories_heading_with_adjective_is_a_related_marker() -> None:
    doc = parse_txt(f"A Title\n{LONG_PARA}\n{LONG_PARA}\nMore Great WIRED Stories\nA teaser\nAnother teaser")
    assert [b.kind for b in doc.boilerplate] == ["related"]


# --- header: bylines and dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "byline", "published", "kinds"),
    [
        ("By Jane Doe", "Jane Doe", None, []),
        ("By Jane Doe and John Roe", "Jane Doe and John Roe", None, []),
        ("By Jane Doe, Reuters", "Jane Doe, Reuters", None, []),
        ("Jane Doe | Staff Writer", "Jane Doe", None, []),
        ("Tom Roe, AP Auto Writer", "Tom Roe", None, []),
        ("By\nJane Doe", "Jane Doe", None, ["byline"]),
        ("Jane Doe - July 21, 2017", "Jane Doe", dt.date(2017, 7, 21), []),
        ("Friday, July 21, 2017", None, dt.date(2017, 7, 21), []),
        ("Published 10:32 AM EST, Fri July 21, 2017", None, dt.date(2017, 7, 21), []),
        ("10:01 pm PST, Tuesday, November 19, 2019", None, dt.date(2019, 11, 19), []),
        ("Nov 18, 2019 @17:19 PM", None, dt.date(2019, 11, 18), []),
        (
            "Published: July 21, 2017\nUpdated: July 22, 2017 3:04 p.m.",
            None,
            dt.date(2017, 7, 21),
            ["dateline"],
        ),
        ("Updated\nJuly 22, 2017", None, dt.date(2017, 7, 22), ["dateline"]),
        (
            "By Eric Song, IGN Staff\nUpdated: 18 Nov 2019 9:38 pm",
            "Eric Song, IGN Staff",
            dt.date(2019, 11, 18),
            [],
        ),
    ],
)
def test_header_forms(header: str, byline: str | None, published: dt.date | None, kinds: list[str]) -> None:
    text = f"A Title\n{header}\n{LONG_PARA}\nSecond paragraph."
    doc = parse_txt(text)
    assert (doc.byline, doc.published) == (byline, published)
    assert [b.kind for b in doc.boilerplate] == kinds
    assert doc.body.startswith("The council") and doc.subtitle is None
    _assert_nothing_lost(text, doc)


@pytest.mark.parametrize(
    "line",
    [
        "St. Louis | Missouri officials said on Monday that the vote would go ahead.",
        "Jane Doe said it was over.",
    ],
)
def test_sentences_with_separators_are_not_bylines(line: str) -> None:
    doc = parse_txt(f"A Title\n{line}\n{LONG_PARA}")
    assert doc.byline is None


# --- dateline -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "dateline"),
    [
        ("WASHINGTON (AP) — The Senate voted on Tuesday.", "WASHINGTON (AP)"),
        ("LONDON, July 21 (Reuters) - Shares fell.", "LONDON, July 21 (Reuters)"),
        ("ST. JOSEPH, Mich. (AP) — Health authorities said.", "ST. JOSEPH, Mich. (AP)"),
        ("SAN FRANCISCO, Calif. — A man was stabbed.", "SAN FRANCISCO, Calif."),
        ("NEW DELHI: Their dream ended.", "NEW DELHI"),
        ("Hong Kong (CNN) — Protesters gathered.", "Hong Kong (CNN)"),
        ("(Reuters) — The attorney general is investigating.", "(Reuters)"),
        ("BREAKING: Storm hits the coast.", None),
        ("NASA — the agency said.", None),
        ("The Senate voted on Tuesday.", None),
    ],
)
def test_dateline(first: str, dateline: str | None) -> None:
    text = f"A Title\nBy Jane Doe\n{first}\n{LONG_PARA}"
    doc = parse_txt(text)
    assert doc.dateline == dateline
    if dateline is not None:  # it stays in the body and is never a standfirst
        assert doc.subtitle is None
        assert _paragraphs(doc)[0] == first
    _assert_nothing_lost(text, doc)


def test_no_dateline_on_files() -> None:
    assert all(_parse(p.name).dateline is None for p in WIKINEWS)


# --- clean_body ---------------------------------------------------------------------------------------------


def test_clean_body_keeps_the_first_line() -> None:
    doc = clean_body(f"A short first paragraph that ends here.\n{LONG_PARA}")
    assert (doc.title, doc.subtitle, doc.byline, doc.published) == (None, None, None, None)
    assert _paragraphs(doc) == ["A short first paragraph that ends here.", LONG_PARA.strip()]
    assert _paragraphs(clean_body(f"A Short Heading\n{LONG_PARA}"))[0] == "A Short Heading"


def test_clean_body_takes_only_a_clear_date_or_byline() -> None:
    assert clean_body(f"By Jane Doe\n{LONG_PARA}").byline == "Jane Doe"
    assert clean_body(f"July 21, 2017\n{LONG_PARA}").published == dt.date(2017, 7, 21)
    kept = clean_body(f"By Monday the price had doubled again\n{LONG_PARA}")
    assert kept.byline is None and _paragraphs(kept)[0] == "By Monday the price had doubled again"
    glued = clean_body(f"Monday, March 4, 2019 On Sunday, things happened.\n{LONG_PARA}")
    assert glued.published is None and glued.body.startswith("Monday, March 4, 2019 On Sunday")


def test_clean_body_removes_furniture_and_reports_dateline() -> None:
    text = f"WASHINGTON (AP) — The Senate voted.\n{LONG_PARA}\nShare on Facebook\nAdvertisement\n{LONG_PARA}"
    doc = clean_body(text)
    assert doc.dateline == "WASHINGTON (AP)"
    assert [b.kind for b in doc.boilerplate] == ["share", "advertisement"]
    assert len(_paragraphs(doc)) == 3
    _assert_nothing_lost(text, doc)


def test_clean_body_on_empty_text() -> None:
    assert clean_body(" \n\n ") == TxtDocument(None, None, None, None, "", (), False)


# --- page dumps ---------------------------------------------------------------------------------------------

_ARTICLE = [
    "WASHINGTON (AP) — The city council voted on Tuesday to approve a new budget that raises spending on "
    "parks, libraries and public transport by a fifth over the coming two years.",
    "The vote followed months of debate in which residents packed public hearings to argue about which "
    "services deserved the most money, and several members changed their minds at the last minute.",
    "Supporters said the plan would repair ageing buses and keep branch libraries open in the evenings, "
    "while critics warned that the city could not count on tax revenue staying this high.",
    "The mayor, who had threatened to veto an earlier draft, said she would sign the budget on Friday "
    "after the council agreed to set aside a reserve for the next downturn.",
    "Officials expect the first new buses to arrive in the spring, and the extended library hours are due "
    "to start in January once the extra staff have been hired and trained.",
]
_MENU = ["Skip to content", "Menu", "Home", "News", "Politics", "Business", "Sport", "Culture", "Opinion"]
_PAGE_DUMP = "\n".join(
    [
        *_MENU,
        "Search",
        "Sign in",
        "Subscribe",
        "We use cookies to improve your experience on our website. By continuing to browse, you agree to "
        "our use of cookies.",
        "Accept all cookies",
        "Local News",
        "City council approves budget after months of debate",
        "By Jane Doe",
        "Published 10:32 AM EST, Fri July 21, 2017",
        "Share on Facebook",
        "Tweet",
        "Email",
        *_ARTICLE,
        "Related Stories",
        "Mayor unveils plan for new bus lanes",
        "Library hours cut across the county",
        "Residents protest parking fees",
        "About us",
        "Contact",
        "Privacy Policy",
        "Terms of Use",
        "© 2024 Example Media Ltd. All rights reserved.",
    ]
)


def test_page_dump_body_is_exactly_the_article() -> None:
    doc = parse_txt(_PAGE_DUMP)
    assert _paragraphs(doc) == _ARTICLE
    assert doc.title == "City council approves budget after months of debate"
    assert (doc.byline, doc.published, doc.dateline) == ("Jane Doe", dt.date(2017, 7, 21), "WASHINGTON (AP)")
    assert doc.boilerplate[0] == Boilerplate("page_furniture", "\n".join([*_MENU, "Search", "Sign in"]))
    kinds = {b.kind for b in doc.boilerplate}
    assert {"page_furniture", "cookie_notice", "share", "newsletter", "copyright"} <= kinds
    related = next(b for b in doc.boilerplate if b.text.startswith("Related Stories"))
    assert related.kind == "page_furniture" and "Residents protest parking fees" in related.text
    _assert_nothing_lost(_PAGE_DUMP, doc)


def test_page_dump_through_clean_body() -> None:
    doc = clean_body(_PAGE_DUMP)
    assert _paragraphs(doc) == _ARTICLE
    assert doc.title is None and doc.subtitle is None
    furniture = [line for b in doc.boilerplate if b.kind == "page_furniture" for line in b.text.split("\n")]
    assert "City council approves budget after months of debate" in furniture  # the headline is not body
    _assert_nothing_lost(_PAGE_DUMP, doc)


def test_page_dump_keeps_headings_lists_and_drops_chrome_inside_the_article() -> None:
    text = "\n".join(
        [
            *_MENU,
            "Sign in",
            "Council approves new city budget",
            _ARTICLE[0],
            _ARTICLE[1],
            "What changes",
            _ARTICLE[2],
            "Advertisement",
            "Image 1 of 3",
            _ARTICLE[3],
            _ARTICLE[4],
            "The new bus routes are:",
            "Route 1 – Harbour to Airport",
            "Route 2 – University to Old Town",
            "Route 3 – Stadium loop",
            "Most Popular",
            "Mayor unveils plan for new bus lanes",
            "Library hours cut across the county",
            "About us",
            "Contact",
            "Privacy Policy",
        ]
    )
    doc = parse_txt(text)
    assert doc.title == "Council approves new city budget"
    assert _paragraphs(doc) == [
        *_ARTICLE[:2],
        "What changes",
        _ARTICLE[2],
        _ARTICLE[3],
        _ARTICLE[4],
        "The new bus routes are:",
        "Route 1 – Harbour to Airport",
        "Route 2 – University to Old Town",
        "Route 3 – Stadium loop",
    ]
    assert Boilerplate("advertisement", "Advertisement") in doc.boilerplate
    assert Boilerplate("page_furniture", "Image 1 of 3") in doc.boilerplate
    _assert_nothing_lost(text, doc)


def test_page_dump_comment_section_ends_the_article() -> None:
    comments = ["12 Comments", "jdoe", "2 days ago", *(p.replace("council", "town") for p in _ARTICLE[:3])]
    text = "\n".join(
        [*_MENU, "Sign in", "Council approves new city budget", *_ARTICLE, *comments, "About us"]
    )
    doc = parse_txt(text)
    assert _paragraphs(doc) == _ARTICLE
    _assert_nothing_lost(text, doc)


def test_clean_articles_are_not_page_dumps() -> None:
    for path in sorted(RAW.glob("*.txt")):
        doc = _parse(path.name)
        assert doc.title == path.read_text(encoding="utf-8").strip().splitlines()[0].strip()
        assert not any(b.kind == "page_furniture" for b in doc.boilerplate), path.name


def test_short_menu_lines_around_a_clean_article_with_headings_keep_everything() -> None:
    headed = "\n".join(["A Title", LONG_PARA, "First Heading", LONG_PARA, "Second Heading", LONG_PARA])
    doc = parse_txt(headed)
    assert _paragraphs(doc) == [
        LONG_PARA.strip(),
        "First Heading",
        LONG_PARA.strip(),
        "Second Heading",
        LONG_PARA.strip(),
    ]


# --- layouts: title / body / auto -------------------------------------------------------------------------

# The titles `parse_txt` took from this repo's raw files before layouts existed (txt/1.1.0); "auto" and
# "title" must keep every one of them. Each was the file's first line, stripped: the Wikinews titles are
# gold text (GUM) and are not copied here, so they are read from the files (`None`); the seed titles are
# spelled out.
_RAW_TITLES: dict[str, str | None] = {
    "000_7cda765537e03049.txt": "Astana Denies Claims Tatarstan Attack from Kazakhstan",
    "003_2a186d871b2908a7.txt": (
        "Central Asian Response to Alleged Putin Residence Drone Attack: A Weighted Neutrality"
    ),
    **{
        f"wikinews_{stem}.txt": None
        for stem in (
            "afghan asylum clock crane defector election expo flag hackers homeopathic ie9 imprisoned iodine "
            "korea lanterns nasa questionnaire sensitive soccer stampede taxes warhol warming worship"
        ).split()
    },
}


def test_raw_titles_cover_every_raw_txt_file() -> None:
    assert set(_RAW_TITLES) <= {p.name for p in RAW.glob("*.txt")}


@pytest.mark.parametrize(("name", "title"), sorted(_RAW_TITLES.items()))
def test_raw_files_keep_their_title(name: str, title: str | None) -> None:
    text = (RAW / name).read_text(encoding="utf-8")
    if title is None:  # a Wikinews title: the file's first line
        title = text.splitlines()[0].strip()
        assert title and not title.endswith(".")
    assert parse_txt(text).title == title
    assert parse_txt(text, layout="title").title == title
    body = parse_txt(text, layout="body")
    assert body.title is None and _paragraphs(body)[0] == title  # "body": the title line is body text
    _assert_nothing_lost(text, body)


# Invented text in the shape of a body-only corpus file: one paragraph of news body on one line.
_ONE_LINE_ARTICLE = (
    "Firefighters in the Blue Mountains west of Sydney have spent the night strengthening containment "
    "lines around a grass fire that broke out near a walking track yesterday afternoon, and the Rural Fire "
    "Service says crews are preparing for hotter temperatures and gusty winds forecast for later today."
)
_LEAD = "The council has voted to close the old swimming pool at the end of the summer season."
_BODY_ONLY = "\n\n".join(
    [
        _LEAD,
        "Councillors said the pool needed repairs that would cost more than building a new one, and that "
        "a new aquatic centre would open near the station within three years.",
        "Residents who use the pool every morning said they would keep lobbying for it to stay open.",
    ]
)
_HEADLINE = "Council votes to close old swimming pool"


def test_layouts_and_unknown_layout() -> None:
    assert LAYOUTS == ("auto", "title", "body")
    with pytest.raises(ValueError, match="auto, title, body"):
        parse_txt(_BODY_ONLY, layout="headline")


def test_body_only_one_line_article() -> None:
    """A file holding one paragraph of body text is not a title with no body."""
    for text in (_ONE_LINE_ARTICLE, f"\n{_ONE_LINE_ARTICLE}\n", _ONE_LINE_ARTICLE.rstrip(".")):
        doc = parse_txt(text)
        assert (doc.title, doc.subtitle) == (None, None)
        assert doc.body == text.strip()
        assert doc == parse_txt(text, layout="body")
    assert parse_txt(_ONE_LINE_ARTICLE, layout="title").body == ""  # what "auto" exists to avoid


def test_body_only_article_keeps_its_first_paragraph() -> None:
    doc = parse_txt(_BODY_ONLY)
    assert doc.title is None and doc.subtitle is None
    assert _paragraphs(doc) == _BODY_ONLY.split("\n\n")
    assert doc == clean_body(_BODY_ONLY)


def test_title_layout_takes_the_first_line() -> None:
    doc = parse_txt(_BODY_ONLY, layout="title")
    assert doc.title == _LEAD
    assert _LEAD not in _paragraphs(doc)


def test_body_layout_keeps_the_title_line_in_the_body() -> None:
    text = f"{_HEADLINE}\n\n{_BODY_ONLY}"
    assert parse_txt(text).title == _HEADLINE
    doc = parse_txt(text, layout="body")
    assert (doc.title, doc.subtitle) == (None, None)
    assert _paragraphs(doc) == [_HEADLINE, *_BODY_ONLY.split("\n\n")]


def test_articles_differing_only_in_their_first_paragraph_differ() -> None:
    other = "The council has voted to keep the old swimming pool open for one more summer season."
    pairs = [(_BODY_ONLY, layout) for layout in ("auto", "body")]
    pairs += [(f"{_HEADLINE}\n\n{_BODY_ONLY}", layout) for layout in LAYOUTS]
    pairs += [(f"{_HEADLINE}\n{_BODY_ONLY}".replace("\n\n", "\n"), layout) for layout in LAYOUTS]
    for text, layout in pairs:
        one, two = parse_txt(text, layout), parse_txt(text.replace(_LEAD, other), layout)
        assert one.body != two.body, (text, layout)
        assert _LEAD in _paragraphs(one) and other in _paragraphs(two)
    titled = parse_txt(f"{_HEADLINE}\n\n{_BODY_ONLY}")
    assert titled.subtitle == _LEAD and _paragraphs(titled)[0] == _LEAD  # the standfirst stays


_LONG_HEADING = " ".join(["Council"] + ["votes"] * 25)  # over the 25 words no headline reaches
_WRAPPED = (
    "The council has voted to close the old swimming pool at\n"
    "the end of the summer season, councillors said on Monday.\n\n"
    f"{LONG_PARA}"
)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (f"{_HEADLINE}\n\n{LONG_PARA}", _HEADLINE),
        (f"{_HEADLINE}\n{LONG_PARA}", _HEADLINE),  # one paragraph per line, no blank lines at all
        (f"{_HEADLINE}\nThe vote was close.\n\n{LONG_PARA}\n\n{LONG_PARA}", _HEADLINE),  # glued standfirst
        (f"{_HEADLINE}\nby Jane Doe\n\n{LONG_PARA}\n\n{LONG_PARA}", _HEADLINE),  # glued byline
        (f"{_HEADLINE}\nMay 1, 2021\n\n{LONG_PARA}\n\n{LONG_PARA}", _HEADLINE),  # glued date
        (f"Will the pool close?\n\n{LONG_PARA}", None),  # a question reads as a sentence
        (f"“The pool will close,” the mayor said.\n\n{LONG_PARA}", None),
        (f"The mayor said: “The pool will close.”\n\n{LONG_PARA}", None),  # closing quote after the stop
        (f"{_LONG_HEADING}\n\n{LONG_PARA}", None),
        (_WRAPPED, None),  # a hard-wrapped paragraph: the next line carries on in lower case
        (f"After months of talks with the unions,\nNurses will get a pay rise.\n\n{LONG_PARA}", None),
        # hard-wrapped: a line ending on a word no headline ends on, or carrying on with a number
        (f"The Prime Minister has said the\nGovernment will not change its policy.\n\n{LONG_PARA}", None),
        (f"Police say more than\n200 people were moved from their homes.\n\n{LONG_PARA}", None),
        # in a file with blank lines between paragraphs, a glued block of three lines is a paragraph
        (f"Fire crews worked through\nthe night as winds rose\nNo homes were lost.\n\n{LONG_PARA}", None),
        (f"Fire crews stay on alert\nWinds rose overnight\nNo homes were lost\n\n{LONG_PARA}", None),
        (f"{_HEADLINE}\nThe vote was close.\nBy Jane Doe\n\n{LONG_PARA}", _HEADLINE),  # header in the block
    ],
)
def test_auto_title_rule(text: str, title: str | None) -> None:
    doc = parse_txt(text)
    assert doc.title == title
    expected = parse_txt(text, layout="title" if title else "body")
    assert doc == expected
    _assert_nothing_lost(text, doc)


def test_auto_date_line_first_is_a_header_not_a_title() -> None:
    doc = parse_txt(f"Friday, July 21, 2017\n\n{_BODY_ONLY}")
    assert doc.title is None and doc.published == dt.date(2017, 7, 21)
    assert _paragraphs(doc) == _BODY_ONLY.split("\n\n")


def test_dateline_after_a_standfirst() -> None:
    text = f"A Title\nThe vote was close.\nWASHINGTON (AP) — The Senate voted on Tuesday.\n{LONG_PARA}"
    doc = parse_txt(text)
    assert doc.subtitle == "The vote was close."
    assert doc.dateline == "WASHINGTON (AP)"
    _assert_nothing_lost(text, doc)


def test_page_dump_layouts() -> None:
    """A page dump keeps its title logic under "auto"; "body" reports its headline as furniture."""
    assert parse_txt(_PAGE_DUMP) == parse_txt(_PAGE_DUMP, layout="title")
    doc = parse_txt(_PAGE_DUMP, layout="body")
    assert doc == clean_body(_PAGE_DUMP)
    assert doc.title is None and _paragraphs(doc) == _ARTICLE


_WORD = st.one_of(
    st.sampled_from(["the", "of", "and", "to", "in", "a", "on", "for", "was", "said"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10),
)


def _sentence(words: list[str]) -> str:
    return " ".join([words[0].capitalize(), *words[1:]]) + "."


_PARAGRAPHS = st.lists(st.lists(_WORD, min_size=12, max_size=40).map(_sentence), min_size=1, max_size=8)
_HEADING = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10), min_size=1, max_size=8
).map(lambda words: " ".join(w.capitalize() for w in words))


@settings(max_examples=200, deadline=None)
@given(_PARAGRAPHS, st.sampled_from(["\n", "\n\n"]), st.sampled_from(["auto", "body"]))
def test_property_body_only_articles_keep_every_paragraph(paras: list[str], sep: str, layout: str) -> None:
    doc = parse_txt(sep.join(paras), layout)
    assert doc.title is None and doc.subtitle is None
    assert _paragraphs(doc) == paras


@settings(max_examples=200, deadline=None)
@given(_HEADING, _PARAGRAPHS, st.sampled_from(["\n", "\n\n"]))
def test_property_short_heading_is_the_title(heading: str, paras: list[str], sep: str) -> None:
    doc = parse_txt(f"{heading}\n\n{sep.join(paras)}")
    assert doc.title == heading
    assert _paragraphs(doc) == paras  # a standfirst among them stays in the body


# --- properties -------------------------------------------------------------------------------------------

_TRICKY_LINES = [
    "Image by",
    "Photo: Reuters",
    "(Getty Images)",
    "Related Posts",
    "Previous Article",
    "Next Article",
    "Sources",
    "Read more: Storm hits coast",
    "Categories: News Politics",
    "© 2024 Acme",
    "By Jane Doe",
    "Friday, July 21, 2017",
    "Wednesday, June 3, 2020 On Monday, things happened.",
    "2017-02-30",
    "This content is AI-generated based on source articles.",
    "A Short Heading",
    "A caption for a picture. Image: Ada Pruett.",
    "What happens next?",
    LONG_PARA,
    "",
    "   ",
]
_PAGE_LINES = [
    *_MENU,
    "Sign in",
    "Share",
    "Facebook",
    "12 Comments",
    "Most Popular",
    "Advertisement",
    "By",
    "Jane Doe",
    "Updated",
    "Image 1 of 3",
    "\u200b",
    "City council approves budget after months of debate",
    "We use cookies to improve your experience on our website.",
    "The new bus routes are:",
    "1) Harbour",
    "2) Airport",
    "3) Old Town",
    "4) Stadium",
    "A teaser that stops in the middle of a...",
]
_documents = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(_TRICKY_LINES), st.text(max_size=60)), max_size=25).map("\n".join),
    # page-dump shaped: menus, header lines, article paragraphs and furniture in any order
    st.lists(
        st.one_of(
            st.sampled_from(_PAGE_LINES + _TRICKY_LINES), st.sampled_from(_ARTICLE), st.text(max_size=40)
        ),
        min_size=8,
        max_size=60,
    ).map("\n".join),
)


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_property_total_and_well_formed(text: str) -> None:
    doc = parse_txt(text)
    assert "\n\n\n" not in doc.body
    assert doc.body == doc.body.strip()
    assert all(p and p == p.strip() and "\n" not in p for p in doc.body.split("\n\n")) or doc.body == ""
    assert all(b.kind in BOILERPLATE_KINDS and b.text for b in doc.boilerplate)
    assert doc.ai_generated_notice == any(b.kind == "ai_notice" for b in doc.boilerplate)
    assert doc.title is None or doc.title in {line.strip() for line in text.splitlines()}
    assert (parse_txt(text, layout="title").title is None) == (not text.strip())
    assert parse_txt(text, layout="body").title is None


@settings(max_examples=300, deadline=None)
@given(_documents, st.sampled_from(LAYOUTS))
def test_property_nothing_lost(text: str, layout: str) -> None:
    _assert_nothing_lost(text, parse_txt(text, layout))


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_property_clean_body_nothing_lost_and_no_title(text: str) -> None:
    doc = clean_body(text)
    assert doc.title is None and doc.subtitle is None
    assert all(b.kind in BOILERPLATE_KINDS and b.text for b in doc.boilerplate)
    _assert_nothing_lost(text, doc)


@settings(max_examples=100, deadline=None)
@given(_documents)
def test_property_deterministic(text: str) -> None:
    assert parse_txt(text) == parse_txt(text)
    assert parse_txt(text, layout="body") == clean_body(text)


@pytest.mark.parametrize("name", ["000_7cda765537e03049.txt", "003_2a186d871b2908a7.txt"])
def test_seeds_nothing_lost(name: str) -> None:
    text = (RAW / name).read_text(encoding="utf-8")
    _assert_nothing_lost(text, parse_txt(text))
