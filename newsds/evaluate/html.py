"""Score HTML extractors (newsds and reference libraries) on a gold set of saved pages.

Why: newsds reads HTML itself; this tells whether it is as good as trafilatura and newspaper4k on the
same pages and the same metric (`newsds.evaluate.metrics`, the article-extraction-benchmark's scoring
with bag-of-words tokens), and how far above the floor (the page's raw visible text) each one is.

Gold sets: the AEB dev pages (`html/aeb_dev.jsonl`, the default: id, url, html, article_body) or any
JSONL file of that shape given as the gold path, such as newspaper4k's test pages
(`html/newspaper4k.jsonl`, which also holds title, authors and publish_date). When the gold has them, the
systems that read metadata (newsds, trafilatura, newspaper4k) are also scored on them: titles equal to
the gold's (whitespace runs collapsed), days equal to the gold date's day, author sets equal to the
gold's (casefolded; an empty list is a value). newspaper4k's expected values are its own output, so its
metadata scores there are not a neutral comparison.

Throughput (the `throughput` system): newsds's whole parse (`parse_bytes`) against
`trafilatura.extract(with_metadata=True)`, the same pages in turn, on one CPU core (the process is
pinned while timed), best of `repeats` rounds after a warm-up round.

Everything runs offline: sockets are refused while systems run, so a library that tries to fetch
something fails loudly instead of quietly using the network.
"""

from __future__ import annotations

import json
import os
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


_MISSING: Any = object()  # a gold field the file does not have (None is a value: "no title")


@dataclass(frozen=True)
class Page:
    """One gold page: the HTML as saved and the human-marked article body; title, authors and
    publish_date when the gold set has them (`_MISSING` when it has not, None when it says "none")."""

    id: str
    url: str
    html: str
    article_body: str
    title: Any = _MISSING
    authors: Any = _MISSING
    publish_date: Any = _MISSING


@dataclass(frozen=True)
class Extraction:
    """What a system read from a page: its text and, for systems that read metadata, the title, the
    publication day (ISO, "2024-03-06") and the authors."""

    text: str
    title: str | None = None
    day: str | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class System:
    """An extractor: `prepare` builds its input (not timed), `extract` turns it into text, or an
    Extraction with metadata (timed). `describe` reads the metadata apart (not timed) for a system whose
    timed call returns text only; `metadata` says whether the system reads metadata at all.

    `tolerant` systems are third-party libraries: an exception on one page counts as an empty prediction
    (and in `errors`) rather than stopping the run. newsds is not tolerant: its bugs must surface.
    """

    name: str
    extract: Callable[[Any], str | Extraction]
    prepare: Callable[[Page], Any]
    tolerant: bool = False
    metadata: bool = False
    describe: Callable[[Page], Extraction] | None = None


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


def _newsds_extraction(data: bytes, name: str) -> Extraction:
    """newsds's document row as an Extraction; a rejected page (ParseError) is an empty one."""
    from newsds.ingest.parse import parse_bytes

    try:
        rows = _rows(parse_bytes(data, name))
    except ParseError:
        return Extraction("")
    if not rows:
        return Extraction("")
    row = rows[0]
    day = row.get("published")
    authors = row.get("authors")
    if authors is None:  # a parser from before the authors column: its byline, as trafilatura joined it
        authors = [a.strip() for a in (row.get("byline") or "").split(";") if a.strip()]
    return Extraction(
        str(row.get("text") or ""),
        row.get("title"),
        day.isoformat() if day is not None else None,
        tuple(authors),
    )


def _newsds_text(data: bytes, name: str) -> str:
    return _newsds_extraction(data, name).text


def _trafilatura(include_comments: bool) -> Callable[[Page], str]:
    import trafilatura

    def extract(page: Page) -> str:
        return trafilatura.extract(page.html, include_comments=include_comments) or ""

    return extract


def _trafilatura_metadata(page: Page) -> Extraction:
    """trafilatura's metadata as `extract(with_metadata=True)` reads it (authors are joined by "; ")."""
    import trafilatura

    doc = trafilatura.bare_extraction(page.html, with_metadata=True)
    if doc is None or isinstance(doc, dict):
        return Extraction("")
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return Extraction("", doc.title, (doc.date or "")[:10] or None, authors)


def _newspaper() -> Callable[[Page], Extraction]:
    """newspaper4k, offline: the HTML is handed over, images and meta refreshes are not fetched."""
    with warnings.catch_warnings():  # it warns on import that nltk (only used by .nlp()) is missing
        warnings.simplefilter("ignore")
        import newspaper  # type: ignore[import-untyped, unused-ignore]
        from tldextract import tldextract

    # tldextract would download the public-suffix list on first use: use its cache or bundled snapshot.
    extractor = tldextract.TLD_EXTRACTOR
    if getattr(extractor, "_extractor", None) is None:
        extractor.suffix_list_urls = ()

    def extract(page: Page) -> Extraction:
        article = newspaper.Article(page.url, fetch_images=False, follow_meta_refresh=False)
        article.download(input_html=page.html)
        article.parse()
        when = article.publish_date
        day = when.date().isoformat() if hasattr(when, "date") else None
        return Extraction(str(article.text or ""), article.title or None, day, tuple(article.authors or ()))

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
    "throughput": "one-core pages/s: newsds parse vs trafilatura.extract(with_metadata=True)",
}
THROUGHPUT_REPEATS = 3


def _build(key: str) -> System:
    """The system for a key; raises ImportError when its library is not installed."""
    name = SYSTEMS[key]
    if key == "newsds-html":
        return System(
            name,
            lambda data: _newsds_extraction(data, "page.html"),
            lambda p: p.html.encode("utf-8"),
            metadata=True,
        )
    if key == "newsds-txt":
        # The page as a reader would save it from the browser: its visible text, as a .txt file.
        return System(
            name, lambda data: _newsds_text(data, "page.txt"), lambda p: visible_text(p.html).encode("utf-8")
        )
    if key in ("trafilatura", "trafilatura-no-comments"):
        extract = _trafilatura(include_comments=key == "trafilatura")
        return System(name, extract, _page, tolerant=True, metadata=True, describe=_trafilatura_metadata)
    if key == "newspaper4k":
        return System(name, _newspaper(), _page, tolerant=True, metadata=True)
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
                gold = {k: rec[k] for k in ("title", "authors", "publish_date") if k in rec}
                pages.append(
                    Page(str(rec["id"]), rec.get("url") or "", rec["html"], rec["article_body"], **gold)
                )
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


def _same_title(gold: str, predicted: str | None) -> bool:
    return predicted is not None and " ".join(gold.split()) == " ".join(predicted.split())


def _same_authors(gold: Sequence[str], predicted: Sequence[str]) -> bool:
    def names(values: Sequence[str]) -> set[str]:
        return {" ".join(v.split()).casefold() for v in values if v and v.strip()}

    return names(gold) == names(predicted)


def metadata_scores(pages: Sequence[Page], extractions: Sequence[Extraction]) -> dict[str, int]:
    """How many titles, days and author sets equal the gold's, over the pages whose gold has one (titles,
    days: a non-null value; authors: a list, empty or not)."""
    out = dict.fromkeys(("titles", "titles_gold", "dates", "dates_gold", "authors", "authors_gold"), 0)
    for page, got in zip(pages, extractions, strict=True):
        if isinstance(page.title, str) and page.title.strip():
            out["titles_gold"] += 1
            out["titles"] += _same_title(page.title, got.title)
        if isinstance(page.publish_date, str) and page.publish_date.strip():
            out["dates_gold"] += 1
            out["dates"] += got.day == page.publish_date.strip()[:10]
        if isinstance(page.authors, list):
            out["authors_gold"] += 1
            out["authors"] += _same_authors(page.authors, got.authors)
    return out


def _score(system: System, pages: Sequence[Page]) -> dict[str, Any]:
    inputs = [system.prepare(page) for page in pages]
    extractions: list[Extraction] = []
    errors: list[str] = []
    elapsed = 0.0
    for page, item in zip(pages, inputs, strict=True):
        start = time.perf_counter()
        try:
            out = system.extract(item)
        except NetworkAccessError:
            raise
        except Exception as exc:
            if not system.tolerant:
                raise
            out = ""
            first_line = (str(exc).splitlines() or [""])[0]
            errors.append(f"page {page.id[:12]}: {type(exc).__name__}: {first_line}")
        elapsed += time.perf_counter() - start
        extractions.append(out if isinstance(out, Extraction) else Extraction(out))
    predictions = [e.text for e in extractions]
    counts: list[Counts] = [overlap(p.article_body, pred) for p, pred in zip(pages, predictions, strict=True)]
    precision, recall, f1 = macro_prf(counts)
    result: dict[str, Any] = {
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
    if system.metadata and any(p.title is not _MISSING or p.publish_date is not _MISSING for p in pages):
        if system.describe is not None:
            described = []
            for page, got in zip(pages, extractions, strict=True):
                try:
                    meta = system.describe(page)
                except NetworkAccessError:
                    raise
                except Exception:  # a tolerant library's failure: no metadata for that page
                    meta = Extraction("")
                described.append(Extraction(got.text, meta.title, meta.day, meta.authors))
            extractions = described
        result.update(metadata_scores(pages, extractions))
    return result


@contextmanager
def _one_core() -> Iterator[int | None]:
    """Pin the process to one CPU it may use (restored afterwards); yields that CPU, or None where the
    platform cannot pin."""
    if not hasattr(os, "sched_getaffinity"):
        yield None
        return
    allowed = os.sched_getaffinity(0)
    cpu = min(allowed)
    os.sched_setaffinity(0, {cpu})
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, allowed)


def throughput(pages: Sequence[Page], repeats: int = THROUGHPUT_REPEATS) -> dict[str, Any]:
    """Pages per second, on one core: newsds's whole parse of each page's bytes against
    `trafilatura.extract(with_metadata=True)` on the same HTML; rounds alternate between the two, the
    best of `repeats` counts, after one warm-up round of each (imports, caches)."""
    import trafilatura

    from newsds.ingest.parse import parse_records

    data = [page.html.encode("utf-8") for page in pages]

    def run_newsds() -> None:
        for item in data:
            parse_records(item, "page.html")  # rejected pages are results too, never exceptions

    def run_trafilatura() -> None:
        for page in pages:
            trafilatura.extract(page.html, with_metadata=True)

    runs = {"newsds": run_newsds, "trafilatura": run_trafilatura}
    best = dict.fromkeys(runs, float("inf"))
    with _one_core() as cpu:
        for round_ in range(repeats + 1):
            for name, run in runs.items():
                start = time.perf_counter()
                run()
                took = time.perf_counter() - start
                if round_ > 0:  # round 0 warms up
                    best[name] = min(best[name], took)
    speed = {name: len(pages) / took if took > 0 else None for name, took in best.items()}
    return {
        "system": SYSTEMS["throughput"],
        "kind": "throughput",
        "pages": len(pages),
        "repeats": repeats,
        "cpu": cpu,
        "newsds_pages_per_s": speed["newsds"],
        "trafilatura_pages_per_s": speed["trafilatura"],
    }


def evaluate_html(
    gold_path: str | Path | None,
    systems: Sequence[str] | None = None,
    limit: int | None = None,
    repeats: int = THROUGHPUT_REPEATS,
) -> list[dict[str, Any]]:
    """One result dict per system: system, pages, precision, recall, f1, pages_per_s, empty, errors; with
    titles/titles_gold, dates/dates_gold, authors/authors_gold for systems that read metadata when the
    gold has it. The `throughput` system gives a dict of kind "throughput" (see `throughput`).

    A system whose library is not installed gets a row with `skipped` (the reason) and no scores.
    """
    keys = common.select_systems(systems, SYSTEMS)
    pages = load_pages(gold_path, limit)
    results: list[dict[str, Any]] = []
    for key in keys:
        try:
            if key == "throughput":
                with _offline():
                    results.append(throughput(pages, repeats))
                continue
            system = _build(key)
        except ImportError as exc:
            results.append(
                {"system": SYSTEMS[key], "pages": 0, "skipped": f"not installed ({exc.name or exc})"}
            )
            continue
        with _offline():
            results.append(_score(system, pages))
    return results


def _ratio(hits: int, total: int) -> str:
    return f"{hits}/{total}"


def format_table(results: Sequence[dict[str, Any]]) -> str:
    """Plain-text table, columns aligned (titles, dates and authors when some system was scored on them);
    the throughput comparison and skipped systems are listed as notes under it."""
    with_meta = any("titles_gold" in r for r in results)
    header: tuple[str, ...] = ("system", "P", "R", "F1", "pages", "empty", "pages/s")
    if with_meta:
        header += ("titles", "dates", "authors")
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    for r in results:
        if "skipped" in r:
            notes.append(f"{r['system']}: skipped, {r['skipped']}")
            continue
        if r.get("kind") == "throughput":
            ours, theirs = r["newsds_pages_per_s"], r["trafilatura_pages_per_s"]
            where = "one core" if r.get("cpu") is None else f"CPU {r['cpu']} only"
            ratio = f", {ours / theirs:.2f}x" if ours and theirs else ""
            notes.append(
                f"throughput ({where}, best of {r['repeats']}, {r['pages']} pages): newsds parse "
                f"{ours:.1f} pages/s, trafilatura.extract(with_metadata=True) {theirs:.1f} pages/s{ratio}"
            )
            continue
        notes += [f"{r['system']}: failed on {e} (scored as empty)" for e in r.get("errors", [])]
        speed = r.get("pages_per_s")
        row: tuple[str, ...] = (
            str(r["system"]),
            f"{r['precision']:.3f}",
            f"{r['recall']:.3f}",
            f"{r['f1']:.3f}",
            str(r["pages"]),
            str(r.get("empty", "")),
            "-" if speed is None else f"{speed:.1f}",
        )
        if with_meta:
            row += tuple(
                _ratio(r[field], r[f"{field}_gold"]) if f"{field}_gold" in r else "-"
                for field in ("titles", "dates", "authors")
            )
        rows.append(row)
    out = common.aligned(header, rows) if rows else []
    out += [f"note: {n}" for n in notes]
    return "\n".join(out)
