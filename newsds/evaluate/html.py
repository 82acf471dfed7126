"""Score HTML main-text extractors (newsds and reference libraries) on the AEB dev gold pages.

Why: newsds reads HTML itself; this tells whether it is as good as trafilatura and newspaper4k on the
same pages and the same metric (`newsds.evaluate.metrics`, the article-extraction-benchmark's scoring
with bag-of-words tokens), and how far above the floor (the page's raw visible text) each one is.
Everything runs offline: sockets are refused while systems run, so a library that tries to fetch
something fails loudly instead of quietly using the network.
"""

from __future__ import annotations

import json
import re
import socket
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html  # type: ignore[import-untyped, unused-ignore]

from newsds.errors import NewsdsError, ParseError
from newsds.evaluate import common
from newsds.evaluate.metrics import Counts, macro_prf, overlap

GOLD_FILE = Path("html") / "aeb_dev.jsonl"

# Removed with their content: never visible, and a copy-paste of the page does not contain them.
_DROP = frozenset({"script", "style", "noscript", "template"})
# Elements that start a new line when the page is rendered (and so when it is copied as text).
_BLOCK = frozenset(
    """address article aside blockquote body br caption center dd details dialog dir div dl dt fieldset
    figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 header hgroup hr iframe legend li
    listing main menu nav ol optgroup option p pre section select summary table tbody td textarea tfoot
    th thead tr ul""".split()
)
_SPACE = re.compile(r"\s+")


class NetworkAccessError(RuntimeError):
    """A system tried to open a connection during an offline evaluation."""


@dataclass(frozen=True)
class Page:
    """One gold page: the HTML as saved and the human-marked article body."""

    id: str
    url: str
    html: str
    article_body: str


@dataclass(frozen=True)
class System:
    """An extractor: `prepare` builds its input (not timed), `extract` turns it into text (timed).

    `tolerant` systems are third-party libraries: an exception on one page counts as an empty prediction
    (and in `errors`) rather than stopping the run. newsds is not tolerant: its bugs must surface.
    """

    name: str
    extract: Callable[[Any], str]
    prepare: Callable[[Page], Any]
    tolerant: bool = False


def visible_text(html: str) -> str:
    """The text of <body> as a reader would copy-paste it: one line per block, no script/style.

    Whitespace inside a line collapses to single spaces (as rendering does), blank lines are dropped,
    and the result depends only on the input string.
    """
    if not html.strip():
        return ""
    try:
        # Bytes with an explicit encoding: lxml rejects str input that carries an XML declaration, and
        # must not re-decode the already-decoded text by a <meta charset>.
        parser = lxml.html.HTMLParser(encoding="utf-8")
        root = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return ""
    body = root.find("body")
    if body is None:  # frameset pages, or a fragment without <body>: everything but <head>
        body = root
    parts: list[str] = []
    # Iterative walk (pages nest deeply); each element is visited once open and once closed.
    stack: list[tuple[Any, bool]] = [(body, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag
        name = tag.lower() if isinstance(tag, str) else None
        if closing:
            if name in _BLOCK:
                parts.append("\n")
            if node is not body and node.tail:
                parts.append(_SPACE.sub(" ", node.tail))
            continue
        if name is None or name in _DROP or name == "head":  # comments, processing instructions
            if node.tail:
                parts.append(_SPACE.sub(" ", node.tail))
            continue
        if name in _BLOCK:
            parts.append("\n")
        if node.text:
            parts.append(_SPACE.sub(" ", node.text))
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _rows(result: Any) -> list[dict[str, Any]]:
    """parse_bytes' result as rows: one dict before the multi-record API, a list of dicts after it."""
    if isinstance(result, dict):
        return [result]
    return list(result)


def _newsds_text(data: bytes, name: str) -> str:
    from newsds.parse import parse_bytes

    try:
        rows = _rows(parse_bytes(data, name))
    except ParseError:
        return ""
    return str(rows[0].get("text") or "") if rows else ""


def _trafilatura(include_comments: bool) -> Callable[[Page], str]:
    import trafilatura

    def extract(page: Page) -> str:
        return trafilatura.extract(page.html, include_comments=include_comments) or ""

    return extract


def _newspaper() -> Callable[[Page], str]:
    """newspaper4k, offline: the HTML is handed over, images and meta refreshes are not fetched."""
    with warnings.catch_warnings():  # it warns on import that nltk (only used by .nlp()) is missing
        warnings.simplefilter("ignore")
        import newspaper  # type: ignore[import-untyped, unused-ignore]
        from tldextract import tldextract

    # tldextract would download the public-suffix list on first use: use its cache or bundled snapshot.
    extractor = tldextract.TLD_EXTRACTOR
    if getattr(extractor, "_extractor", None) is None:
        extractor.suffix_list_urls = ()

    def extract(page: Page) -> str:
        article = newspaper.Article(page.url, fetch_images=False, follow_meta_refresh=False)
        article.download(input_html=page.html)
        article.parse()
        return str(article.text or "")

    return extract


def _page(page: Page) -> Page:
    return page


# key (for --systems) -> name in the table, in table order.
SYSTEMS: dict[str, str] = {
    "newsds-html": "newsds (html)",
    "trafilatura": "trafilatura (defaults)",
    "trafilatura-no-comments": "trafilatura (no comments)",
    "newspaper4k": "newspaper4k",
    "newsds-txt": "newsds (txt of page)",
    "raw": "raw page text",
}


def _build(key: str) -> System:
    """The system for a key; raises ImportError when its library is not installed."""
    name = SYSTEMS[key]
    if key == "newsds-html":
        return System(name, lambda data: _newsds_text(data, "page.html"), lambda p: p.html.encode("utf-8"))
    if key == "newsds-txt":
        # The page as a reader would save it from the browser: its visible text, as a .txt file.
        return System(
            name, lambda data: _newsds_text(data, "page.txt"), lambda p: visible_text(p.html).encode("utf-8")
        )
    if key in ("trafilatura", "trafilatura-no-comments"):
        return System(name, _trafilatura(include_comments=key == "trafilatura"), _page, tolerant=True)
    if key == "newspaper4k":
        return System(name, _newspaper(), _page, tolerant=True)
    return System(name, visible_text, lambda p: p.html)


def gold_file(gold_path: str | Path | None) -> Path:
    """The HTML gold JSONL (`gold_path`: the gold folder or the file; None: ../shared/gold)."""
    return common.gold_file(gold_path, GOLD_FILE.as_posix())


def load_pages(gold_path: str | Path | None, limit: int | None = None) -> list[Page]:
    """The gold pages in file order (the first `limit` of them when given)."""
    pages: list[Page] = []
    with gold_file(gold_path).open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if limit is not None and len(pages) >= limit:
                break
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                pages.append(Page(str(rec["id"]), rec.get("url") or "", rec["html"], rec["article_body"]))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise NewsdsError(f"{f.name}, line {number}: not a gold page ({exc!r})") from exc
    return pages


@contextmanager
def _offline() -> Iterator[None]:
    """Refuse every outgoing connection and name lookup while the systems run."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise NetworkAccessError("network access attempted during an offline evaluation")

    patched = {socket.socket: ("connect", "connect_ex"), socket: ("getaddrinfo", "create_connection")}
    saved = [(owner, name, getattr(owner, name)) for owner, names in patched.items() for name in names]
    for owner, name, _ in saved:
        setattr(owner, name, refuse)
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def _score(system: System, pages: Sequence[Page]) -> dict[str, Any]:
    inputs = [system.prepare(page) for page in pages]
    predictions: list[str] = []
    errors: list[str] = []
    elapsed = 0.0
    for page, item in zip(pages, inputs, strict=True):
        start = time.perf_counter()
        try:
            text = system.extract(item)
        except NetworkAccessError:
            raise
        except Exception as exc:
            if not system.tolerant:
                raise
            text = ""
            first_line = (str(exc).splitlines() or [""])[0]
            errors.append(f"page {page.id[:12]}: {type(exc).__name__}: {first_line}")
        elapsed += time.perf_counter() - start
        predictions.append(text)
    counts: list[Counts] = [overlap(p.article_body, pred) for p, pred in zip(pages, predictions, strict=True)]
    precision, recall, f1 = macro_prf(counts)
    return {
        "system": system.name,
        "pages": len(pages),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "pages_per_s": len(pages) / elapsed if elapsed > 0 else None,
        # Pages with no predicted token: left out of the precision mean (benchmark rule), so say how many.
        "empty": sum(1 for c in counts if c.tp + c.fp == 0),
        # Pages where a tolerant system raised (scored as empty predictions), one message each.
        "errors": errors,
    }


def evaluate_html(
    gold_path: str | Path | None, systems: Sequence[str] | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """One result dict per system: system, pages, precision, recall, f1, pages_per_s, empty, errors.

    A system whose library is not installed gets a row with `skipped` (the reason) and no scores.
    """
    keys = common.select_systems(systems, SYSTEMS)
    pages = load_pages(gold_path, limit)
    results: list[dict[str, Any]] = []
    for key in keys:
        try:
            system = _build(key)
        except ImportError as exc:
            results.append(
                {"system": SYSTEMS[key], "pages": 0, "skipped": f"not installed ({exc.name or exc})"}
            )
            continue
        with _offline():
            results.append(_score(system, pages))
    return results


def format_table(results: Sequence[dict[str, Any]]) -> str:
    """Plain-text table, columns aligned; skipped systems are listed as notes under it."""
    header = ("system", "P", "R", "F1", "pages", "empty", "pages/s")
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    for r in results:
        if "skipped" in r:
            notes.append(f"{r['system']}: skipped, {r['skipped']}")
            continue
        notes += [f"{r['system']}: failed on {e} (scored as empty)" for e in r.get("errors", [])]
        speed = r.get("pages_per_s")
        rows.append(
            (
                str(r["system"]),
                f"{r['precision']:.3f}",
                f"{r['recall']:.3f}",
                f"{r['f1']:.3f}",
                str(r["pages"]),
                str(r.get("empty", "")),
                "-" if speed is None else f"{speed:.1f}",
            )
        )
    out = common.aligned(header, rows)
    out += [f"note: {n}" for n in notes]
    return "\n".join(out)
