"""The offline HTML report: escaped, deterministic, robust to empty tables, and visibly drawn in Chromium.

The browser tests drive headless Chromium through selenium and chromedriver (Debian packages
`chromium` and `chromium-driver`); they skip when /usr/bin/chromium is not installed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsds
from newsds.release.report import (
    FIGURES,
    _median,
    _source,
    claimant_counts,
    cue_lemma,
    render_report,
    source_of,
)
from newsds.schemas import empty_frame

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# The network is closed: without these Chromium waits on connections it will never get.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,900",
)
CLAIM_FIGURES = ("fig-claims-per-doc", "fig-stance", "fig-kind", "fig-claimants", "fig-cues")


@pytest.fixture(scope="module")
def release(built_release: Path) -> tuple[dict[str, Any], dict[str, pl.DataFrame]]:
    """The manifest and tables of the small release built from data/raw."""
    rel = newsds.load(root=built_release)
    return rel.manifest, rel.tables()


def figure(page: str, ident: str) -> str:
    """The markup of one <figure> of a page."""
    match = re.search(rf'<figure id="{ident}">.*?</figure>', page, re.S)
    assert match, f"no figure {ident}"
    return match.group(0)


@pytest.mark.parametrize(
    ("publisher", "path", "source"),
    [
        ("BBC News", "aeb_bbc_com_70cb2d5b.html.gz", "BBC News"),
        ("bbc.co.uk", "feeds/bbc_1.html", "bbc.co.uk"),  # the publisher wins over the folder
        (None, "feeds/reuters_1.html", "feeds"),
        ("", "feeds/reuters_1.html", "feeds"),
        (None, "wikinews_crane.txt", "unknown"),
        (None, "000_7cda765537e03049.txt", "unknown"),
    ],
)
def test_source_of_is_the_publisher_else_the_folder(publisher: str | None, path: str, source: str) -> None:
    assert source_of(publisher, path) == source


@pytest.mark.parametrize(
    ("cue", "key"),
    [
        ("said", "say"),
        ("Says", "say"),
        ("has also said", "say"),
        ("has categorically denied", "deny"),
        ("admitted", "admit"),
        ("quickly countered, calling it", "countered"),
        ("According to", "according to"),
        ("calling for", "call for"),
        ("allegations", "allegation"),
    ],
)
def test_cue_lemma_groups_a_cues_forms(cue: str, key: str) -> None:
    assert cue_lemma(cue) == key


def test_claimants_merge_a_groups_variants_and_skip_bare_pronouns() -> None:
    claims = pl.DataFrame(
        {
            "claimant": ["Sergey Lavrov, Russia's Foreign Minister", "Lavrov", "Lavrov", "he", "It", None],
            "claimant_resolved": [None, None, None, "Sergey Lavrov, Russia's Foreign Minister", None, None],
            "claimant_group": ["d1-g0", "d1-g0", "d1-g0", "d1-g0", "d1-g1", None],
        }
    )
    assert claimant_counts(claims) == ({"Lavrov": 4}, 2)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["Lavrov", "lavrov", "Sergey Lavrov, FM", "he", "It", "Putin", "", None]),
            st.sampled_from([None, "d1-g0", "d1-g1", "d2-g0"]),
        ),
        max_size=40,
    ),
    part_rows=st.integers(1, 8),
)
def test_claimant_counts_do_not_depend_on_how_many_slices_they_are_counted_in(
    rows: list[tuple[str | None, str | None]], part_rows: int
) -> None:
    claimant, group = zip(*rows, strict=True) if rows else ((), ())
    claims = pl.DataFrame(
        {"claimant": list(claimant), "claimant_resolved": [None] * len(rows), "claimant_group": list(group)},
        schema={"claimant": pl.Utf8, "claimant_resolved": pl.Utf8, "claimant_group": pl.Utf8},
    )
    assert claimant_counts(claims, part_rows=part_rows) == claimant_counts(claims, part_rows=10**9)


@given(
    st.lists(
        st.tuples(
            st.none() | st.text(alphabet="ab. /", max_size=5), st.text(alphabet="ab_./1²٣ \n", max_size=12)
        ),
        min_size=1,
        max_size=20,
    )
)
def test_the_polars_source_grouping_matches_source_of(rows: list[tuple[str | None, str]]) -> None:
    docs = pl.DataFrame(rows, schema={"publisher": pl.Utf8, "source_path": pl.Utf8}, orient="row")
    grouped = docs.select(_source(docs.columns))["source"].to_list()
    assert grouped == [source_of(publisher, path) for publisher, path in rows]
    old = docs.drop("publisher").select(_source(["source_path"]))["source"].to_list()  # before publisher
    assert old == [source_of(None, path) for _, path in rows]


@given(st.lists(st.integers(0, 80), min_size=1, max_size=60))
def test_the_median_of_a_distribution_is_polars_median_of_its_values(values: list[int]) -> None:
    assert _median(Counter(values)) == pl.Series(values).median()


def test_text_from_the_data_is_escaped(release: tuple[dict[str, Any], dict[str, pl.DataFrame]]) -> None:
    manifest, tables = release
    evil = "<script>alert(1)</script>"
    claims = tables["claims"].with_columns(
        claimant=pl.lit(evil), claimant_resolved=pl.lit(None, pl.Utf8), claimant_group=pl.lit(None, pl.Utf8)
    )
    docs = tables["documents"].with_columns(publisher=pl.lit('a"b<i>&_x') + pl.col("source_path"))
    page = render_report({**manifest, "version": "1.0.0<b>"}, {**tables, "claims": claims, "documents": docs})
    assert evil not in page and "<script" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in figure(page, "fig-claimants")
    assert "a&quot;b&lt;i&gt;&amp;" in figure(page, "fig-sources")


def test_the_page_is_self_contained(release: tuple[dict[str, Any], dict[str, pl.DataFrame]]) -> None:
    page = render_report(*release)
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"<script|<img|<link|<iframe|\bsrc=|\bhref=|url\(|@import|https?://", page)
    assert re.findall(r'<figure id="([^"]+)"', page) == list(FIGURES)
    for ident in FIGURES:
        markup = figure(page, ident)
        assert '<rect class="bar"' in markup and f'<title id="{ident}-t">' in markup
        assert "<figcaption>" in markup and 'aria-labelledby="' in markup


def test_rendering_is_deterministic_and_ignores_row_order(
    release: tuple[dict[str, Any], dict[str, pl.DataFrame]],
) -> None:
    manifest, tables = release
    page = render_report(manifest, tables)
    assert render_report(manifest, tables) == page
    shuffled = {name: frame.sample(fraction=1.0, shuffle=True, seed=7) for name, frame in tables.items()}
    assert render_report(manifest, shuffled) == page


def test_a_release_without_claims_still_renders(
    release: tuple[dict[str, Any], dict[str, pl.DataFrame]],
) -> None:
    manifest, tables = release
    page = render_report(manifest, {**tables, "claims": empty_frame("claims")})
    for ident in CLAIM_FIGURES:
        assert '<p class="empty">no claims</p>' in figure(page, ident) and "<svg" not in figure(page, ident)
    assert "<svg" in figure(page, "fig-sources") and "<svg" in figure(page, "fig-sentence-length")


def test_an_empty_release_renders() -> None:
    tables = {name: empty_frame(name) for name in ("documents", "sentences", "claims", "rejected")}
    page = render_report({"version": "0.0.1"}, tables)
    assert re.findall(r'<figure id="([^"]+)"', page) == list(FIGURES) and "<svg" not in page
    assert "no documents" in page and "no sentences" in page and "no claims" in page


# --- In the browser -----------------------------------------------------------------------------------
PAINTED = """
const el = arguments[0];
el.scrollIntoView({block: "center"});
const r = el.getBoundingClientRect();
return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === el;
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium under chromedriver, with a fresh profile."""
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        pytest.skip("no chromium/chromedriver: run NEWSDS_BROWSER=1 nox -s tests (installs them with apt)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is missing: install the dev dependency group (it pins selenium)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    yield driver
    driver.quit()


def open_page(browser: Any, page: str, path: Path) -> None:
    """Write the page to a file and open it from its file:// URL."""
    path.write_text(page, encoding="utf-8")
    browser.get(path.as_uri())
    assert browser.title.startswith("newsds release")


def test_chromium_draws_every_figure(
    browser: Any, release: tuple[dict[str, Any], dict[str, pl.DataFrame]], tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, render_report(*release), tmp_path / "report.html")
    for ident in FIGURES:
        fig = browser.find_element(By.ID, ident)
        svg = fig.find_element(By.TAG_NAME, "svg")
        assert svg.is_displayed() and svg.size["width"] > 0 and svg.size["height"] > 0, ident
        bars = svg.find_elements(By.CSS_SELECTOR, "rect.bar")
        assert bars and all(b.size["width"] > 0 and b.size["height"] > 0 for b in bars), ident
        assert bars[0].value_of_css_property("fill") not in ("none", "rgba(0, 0, 0, 0)"), ident
        assert browser.execute_script(PAINTED, bars[0]), f"{ident}: its first bar is not what is drawn there"
        caption = fig.find_element(By.TAG_NAME, "figcaption")
        assert caption.is_displayed() and caption.size["height"] > 0 and caption.text.strip(), ident
    width = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], "the page scrolls sideways"
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_chromium_shows_no_claims_in_place_of_the_claim_plots(
    browser: Any, release: tuple[dict[str, Any], dict[str, pl.DataFrame]], tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    manifest, tables = release
    page = render_report(manifest, {**tables, "claims": empty_frame("claims")})
    open_page(browser, page, tmp_path / "report.html")
    for ident in CLAIM_FIGURES:
        fig = browser.find_element(By.ID, ident)
        note = fig.find_element(By.CSS_SELECTOR, "p.empty")
        assert note.is_displayed() and note.text == "no claims" and not fig.find_elements(By.TAG_NAME, "svg")
    assert browser.find_element(By.CSS_SELECTOR, "#fig-sources rect.bar").is_displayed()
