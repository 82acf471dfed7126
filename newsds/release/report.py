"""The offline HTML report of a release (`report.html`): what the tables hold, as plots, for a reader who
wants to see a release's shape before loading it.

Why it is built this way: the page must open from a file on a machine without network or installs, and
it must rebuild byte for byte like every other file of a release. So it carries no JavaScript, fonts or
images: every plot is an inline SVG drawn by one bar-chart helper here, all text taken from the data is
escaped, nothing reads the clock, and every ordering is by count and then by name.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from newsds.lexicon import NOMINAL, VERBS, W
from newsds.release.datacard import skipped_by_language, skipped_note
from newsds.schemas import DOCUMENT_FORMATS
from newsds.vocabulary import CLAIM_KINDS as KINDS
from newsds.vocabulary import STANCES

Row = tuple[str, Sequence[int]]  # a bar's label and its value in each series (stacked left to right)
TOP = 15  # bars in the top-claimants, top-cues and sources charts
CLAIMANT_PART_ROWS = 500_000  # claims per slice of claimant_counts: its memory stays ~200 MB
# id -> (title, x-axis label, y-axis label, what is missing when empty, caption template). A caption is
# trusted markup; the values formatted into it are numbers or text escaped by `_figures`.
_FIGURES = {
    "fig-sources": (
        "Documents per publisher and format", "documents", "publisher", "documents",
        "Documents by publisher, stacked by input format. The publisher is the <code>publisher</code> "
        "column: the source's own name for itself (a JSON record's publisher field, a page's JSON-LD "
        "publisher or site name), else the registered domain of the document's URL (<code>www.bbc.co.uk"
        "</code> → bbc.co.uk). Documents without one count under the first folder of their <code>"
        "source_path</code>, else as “unknown”. Top {top} publishers, the rest as “other”. {documents} "
        "documents.",
    ),
    "fig-sentence-length": (
        "Sentence length (words)", "sentences", "words per sentence", "sentences",
        "Sentences by length in words (runs of non-space characters), in 5-word bins; the last bin holds "
        "everything longer. Body sentences are stacked with all other kinds (headings, FAQ, list items, "
        "captions), so a bar's total counts all sentences: {body} body sentences (median {median} words) "
        "of {sentences}.",
    ),
    "fig-claims-per-doc": (
        "Claims per document", "documents", "claims in the document", "claims",
        "Documents by their number of claims{bins}, documents without a claim included: {claims} claims in "
        "{documents} documents, {zero} of them without a claim.",
    ),
    "fig-stance": (
        "Claim stance", "claims", "stance", "claims",
        "Claims by <code>stance</code>: whether the claimant asserts, denies or doubts. {stances}.",
    ),
    "fig-kind": (
        "Claim kind", "claims", "kind", "claims",
        "Claims by <code>kind</code>: direct quotation, indirect (reported) speech, mixed, or an "
        "“according to” attribution. {kinds}.",
    ),
    "fig-claimants": (
        f"Top {TOP} claimants", "claims", "claimant", "claims",
        "Claims per claimant, top {top}, ties by name. A pronoun counts as its resolved antecedent (<code>"
        "claimant_resolved</code>); a name is cut at its first comma; within a document the variants of one "
        "claimant (<code>claimant_group</code>: “Sergey Lavrov”, “Lavrov”) count under their most frequent "
        "name; names are then merged across documents ignoring case. {unnamed} claims without a claimant "
        "or with an unresolved pronoun are not counted.",
    ),
    "fig-cues": (
        f"Top {TOP} cues", "claims", "cue", "claims",
        "Claims per reporting cue, top {top}, ties by name. Cues are lowercased and cut at a comma, "
        "auxiliaries and adverbs are dropped (“has also said” → said), and a verb or noun of the claims "
        "lexicon is reduced to its base form (said, says → say). {cues} distinct cues.",
    ),
}  # fmt: skip
FIGURES = tuple(_FIGURES)
_COLOURS = ("#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5")
_COUNTED = ("files", "inputs", "documents", "sentences", "claims", "rejected")
_KNOWN_CUES = VERBS.keys() | NOMINAL.keys() | W["call"]
_IRREGULAR = {"said": "say", "told": "tell", "wrote": "write", "written": "write", "found": "find"}
_SUFFIXES = (
    ("ied", "y"),
    ("ies", "y"),
    ("s", ""),
    ("es", ""),
    ("d", ""),
    ("ed", ""),
    ("ing", ""),
    ("ing", "e"),
)
_CSP = "default-src 'none'; style-src 'unsafe-inline'"  # the page may load nothing, run nothing
_STYLE = """body{font:15px/1.45 system-ui,sans-serif;color:#1b1b1b;max-width:980px;margin:2em auto}
table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;padding:.2em .6em}
.n{text-align:right}th{background:#f3f3f3}h2{font-size:1.15em}
figure{margin:1.5em 0;padding:1em;border:1px solid #ddd;border-radius:6px}figure h2{margin:0 0 .4em}
figcaption{color:#333;font-size:.92em;margin-top:.4em}svg{display:block;max-width:100%;height:auto}
.empty{color:#666;font-style:italic;padding:1em 0}"""


def _e(value: object) -> str:
    """Text or attribute value, HTML-escaped (quotes too)."""
    return html.escape(str(value), quote=True)


def _ticks(top: int) -> list[int]:
    """Axis ticks from 0 past top: at most six, in steps of 1, 2 or 5 times a power of ten."""
    top = max(top, 1)
    step = next(m * 10**k for k in range(20) for m in (1, 2, 5) if m * 10**k * 5 >= top)
    return list(range(0, -(-top // step) * step + 1, step))


def _chart(
    ident: str, title: str, rows: Sequence[Row], series: Sequence[str], x_label: str, y_label: str
) -> str:
    """A horizontal bar chart as inline SVG (bars stacked by series), with axes, value labels and a legend."""
    clip = [lab if len(lab) <= 36 else lab[:35] + "…" for lab, _ in rows]
    left, width, top, pitch = 34 + 7 * max(len(c) for c in clip), 780, (30 if len(series) > 1 else 10), 24
    plot_w, base = width - left - 60, top + pitch * len(rows)
    ticks = _ticks(max(sum(v) for _, v in rows))
    scale = plot_w / ticks[-1]
    colour = [_COLOURS[k % len(_COLOURS)] for k in range(len(series))]
    desc = "; ".join(
        f"{lab}: " + ", ".join(f"{s} {v}" for s, v in zip(series, vs, strict=True)) for lab, vs in rows
    )
    out = [
        f'<svg viewBox="0 0 {width} {base + 46}" width="{width}" height="{base + 46}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" font-family="sans-serif" font-size="12">',
        f'<title id="{ident}-t">{_e(title)}</title><desc id="{ident}-d">{_e(desc)}</desc>',
    ]
    for t in ticks:
        x = left + t * scale
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{base}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle">{t:,}</text>')
    for i, ((label, values), short) in enumerate(zip(rows, clip, strict=True)):
        y, x = top + i * pitch + 4, float(left)
        out.append(
            f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">'
            f"<title>{_e(label)}</title>{_e(short)}</text>"
        )
        for name, value, fill in zip(series, values, colour, strict=True):
            if value:
                out.append(
                    f'<rect class="bar" x="{x:.1f}" y="{y}" width="{value * scale:.1f}" height="16" '
                    f'fill="{fill}"><title>{_e(label)} · {_e(name)}: {value:,}</title></rect>'
                )
            x += value * scale
        out.append(f'<text x="{x + 4:.1f}" y="{y + 12}">{sum(values):,}</text>')
    for k, (name, fill) in enumerate(zip(series, colour, strict=True) if len(series) > 1 else ()):
        out.append(f'<rect class="swatch" x="{left + 120 * k}" y="6" width="12" height="12" fill="{fill}"/>')
        out.append(f'<text x="{left + 120 * k + 16}" y="16">{_e(name)}</text>')
    mid_x, mid_y = left + plot_w / 2, (top + base) / 2
    out += [
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{base}" stroke="#333"/>',
        f'<line x1="{left}" x2="{left + plot_w}" y1="{base}" y2="{base}" stroke="#333"/>',
        f'<text x="{mid_x:.1f}" y="{base + 38}" text-anchor="middle">{_e(x_label)}</text>',
        f'<text x="14" y="{mid_y:.1f}" transform="rotate(-90 14 {mid_y:.1f})" text-anchor="middle">'
        f"{_e(y_label)}</text>",
        "</svg>",
    ]
    return "\n".join(out)


def _figure(ident: str, rows: Sequence[Row], series: Sequence[str], facts: Mapping[str, object]) -> str:
    """One <figure>: heading, the chart (or a "no claims" note when nothing is counted) and caption."""
    title, x_label, y_label, missing, caption = _FIGURES[ident]
    if any(sum(values) for _, values in rows):
        body = _chart(ident, title, rows, series, x_label, y_label)
    else:
        body = f'<p class="empty">no {missing}</p>'
    text = caption.format(top=TOP, **facts)
    return f'<figure id="{ident}">\n<h2>{_e(title)}</h2>\n{body}\n<figcaption>{text}</figcaption>\n</figure>'


def _top(counts: Mapping[str, int], n: int = TOP) -> list[Row]:
    """The n largest counts, ties broken by name."""
    return [(k, [v]) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _histogram(
    distributions: Sequence[Mapping[int, int]], width: int, start: int = 0, last: int | None = None
) -> list[Row]:
    """Counts per bin [start + k*width, ...) for each distribution (value -> how many); with `last`, one
    open bin from there on. The distributions come from polars aggregations: a large release has tens of
    millions of sentences, but only a few hundred distinct lengths."""
    cap = None if last is None else (last - start) // width
    binned: list[Counter[int]] = []
    for counts in distributions:
        bins: Counter[int] = Counter()
        for value, n in counts.items():
            k = (max(value, start) - start) // width
            bins[k if cap is None else min(k, cap)] += n
        binned.append(bins)
    rows: list[Row] = []
    for b in range(max((max(c, default=-1) for c in binned), default=-1) + 1):
        lo = start + b * width
        label = f"≥ {lo}" if b == cap else str(lo) if width == 1 else f"{lo}–{lo + width - 1}"
        rows.append((label, [c[b] for c in binned]))
    return rows


def _median(counts: Mapping[int, int]) -> float:
    """The median of a distribution (value -> how many; not empty): the mean of the middle two for an
    even count, as polars' median."""
    total = sum(counts.values())
    wanted, found, seen = sorted({(total - 1) // 2, total // 2}), [], 0
    for value, n in sorted(counts.items()):
        seen += n
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
    return sum(found) / len(found)


UNKNOWN_SOURCE = "unknown"


def _source(columns: Sequence[str]) -> pl.Expr:
    """`source_of` as a polars expression over a documents table (one without `publisher`, from a release
    before it, groups by folder only)."""
    publisher = pl.col("publisher") if "publisher" in columns else pl.lit(None, pl.Utf8)
    folder = (
        pl.when(pl.col("source_path").str.contains("/", literal=True))
        .then(pl.col("source_path").str.split("/").list.first())
        .otherwise(None)
    )
    given = [pl.when(e != "").then(e) for e in (publisher, folder)]
    return pl.coalesce(*given, pl.lit(UNKNOWN_SOURCE)).alias("source")


def source_of(publisher: str | None, path: str) -> str:
    """A document's source for the report: its publisher, else the first folder of its source_path
    ("feeds/reuters_1.html" -> "feeds"), else "unknown"."""
    folder = path.split("/")[0] if "/" in path else None
    return next((s for s in (publisher, folder) if s), UNKNOWN_SOURCE)


def cue_lemma(cue: str) -> str:
    """A cue's grouping key: lowercased, cut at a comma, without auxiliaries or adverbs ("has also said"),
    and a reporting verb or noun of the claims lexicon in its base form ("said", "says" -> "say")."""
    words = [
        w
        for w in cue.lower().split(",")[0].split()
        if w not in W["aux"] | W["adverbs"] and not (w.endswith("ly") and w not in W["ly_nouns"])
    ]
    if not words:
        return cue.lower().strip()
    head, stems = words[0], []
    for suffix, repl in _SUFFIXES:
        if head.endswith(suffix) and len(head) > len(suffix) + 2:
            stem = head[: -len(suffix)] + repl
            stems += [stem, stem[:-1]] if stem[-1] == stem[-2] else [stem]  # admitted -> admitt -> admit
    base = _IRREGULAR.get(head) or next((s for s in stems if s in _KNOWN_CUES), head)
    return " ".join([base, *words[1:]])


def claimant_counts(
    claims: pl.DataFrame | pl.LazyFrame, part_rows: int = CLAIMANT_PART_ROWS
) -> tuple[Counter[str], int]:
    """Claims per claimant name, and how many claims have no usable claimant (none, or a bare pronoun).

    The name is the resolved antecedent of a pronoun, else the claimant, cut at its first comma; within a
    document every claim of a claimant_group counts under the group's most frequent name ("Lavrov" under
    "Sergey Lavrov"; ties: the shorter, then the first by code point), and names are then merged across
    documents ignoring case, spelled as the first by code point. All of it is polars aggregation, over one
    slice of the groups at a time (about `part_rows` claims each; a group is never split, and a name without
    a group may be, as its counts add up), so a large release's groups are never all in memory at once: the
    8M claims of a 1M-document corpus took 1.9 GB in one piece.
    """
    pronouns = sorted(W["subjects"] | W["pronouns"])
    name = pl.coalesce("claimant_resolved", "claimant").str.split(",").list.first().str.strip_chars()
    named = name.is_not_null() & (name != "") & ~name.str.to_lowercase().is_in(pronouns)
    claims = claims.lazy()
    counts = claims.select(pl.len(), unnamed=(~named).sum()).collect(engine="streaming")
    parts = max(1, -(-counts["len"].item() // part_rows))
    by_part = pl.coalesce("claimant_group", "claimant").hash(seed=0) % parts  # a group stays in one part
    merged = []
    for part in range(parts):
        rows = claims.filter(by_part == part) if parts > 1 else claims
        per_group = (
            rows.select(name.alias("name"), "claimant_group", named.alias("named"))
            .filter("named")
            .group_by(pl.coalesce("claimant_group", "name").alias("group"), "name")
            .len()
            .group_by("group")
            .agg(
                best=pl.col("name")
                .sort_by(["len", pl.col("name").str.len_chars(), "name"], descending=[True, False, False])
                .first(),
                n=pl.col("len").sum(),
            )
        )
        merged.append(
            per_group.group_by(pl.col("best").str.to_lowercase().alias("key"))
            .agg(pl.col("best").min().alias("spelling"), pl.col("n").sum())
            .collect(engine="streaming")
        )
    total = pl.concat(merged).group_by("key").agg(pl.col("spelling").min(), pl.col("n").sum())
    return Counter(dict(total.select("spelling", "n").iter_rows())), int(counts["unnamed"].item() or 0)


def _counts(frame: pl.LazyFrame, column: str) -> Counter[str]:
    """Rows per value of a column, aggregated by polars (streaming) rather than in Python."""
    return Counter(dict(frame.group_by(column).len().collect(engine="streaming").iter_rows()))


def _shares(counts: Counter[str], known: Sequence[str]) -> tuple[list[Row], str]:
    """Bars for categories (known ones first, in their order) and their shares as caption text."""
    total = counts.total()
    rows: list[Row] = [(k, [counts[k]]) for k in [*known, *sorted(set(counts) - set(known))]]
    text = ", ".join(f"{_e(k)} {100 * v[0] / total:.1f}%" for k, v in rows if v[0])
    return rows, text


def _figures(tables: Mapping[str, pl.DataFrame | pl.LazyFrame]) -> list[str]:
    """Every figure of the report, in FIGURES order."""
    # Every figure is a polars aggregation down to a few hundred rows, each reading only the columns it
    # needs: a release scanned from disk is described in memory that does not grow with its size.
    docs = tables["documents"].lazy()
    sents = tables["sentences"].lazy()
    claims = tables["claims"].lazy()
    by_source: defaultdict[str, Counter[str]] = defaultdict(Counter)
    source = _source(docs.collect_schema().names())
    for name, fmt, n in docs.group_by(source, "format").len().collect(engine="streaming").iter_rows():
        by_source[name][fmt] += n
    documents = sum(c.total() for c in by_source.values())
    order = {f: i for i, f in enumerate(DOCUMENT_FORMATS)}
    formats = sorted({f for c in by_source.values() for f in c}, key=lambda f: (order.get(f, 99), f))
    ranked = [s for s, _ in _top({s: c.total() for s, c in by_source.items()}, len(by_source))]
    if len(ranked) > TOP:
        rest = sum((by_source.pop(s) for s in ranked[TOP - 1 :]), Counter())
        ranked = [*ranked[: TOP - 1], f"other ({len(ranked) - TOP + 1} publishers)"]
        by_source[ranked[-1]] = rest
    sources = [(s, [by_source[s][f] for f in formats]) for s in ranked]

    words = (
        sents.group_by(pl.col("text").str.count_matches(r"\S+").alias("n"), body=pl.col("kind") == "body")
        .len()
        .collect(engine="streaming")
    )
    body, other = ({n: k for n, is_body, k in words.iter_rows() if is_body == want} for want in (True, False))
    lengths = _histogram([body, other], 5, 1, 61)
    median = f"{_median(body):g}" if body else "–"

    per_doc = claims.group_by("doc_id").len()
    in_doc = dict(  # documents by their number of claims
        docs.select("doc_id")
        .join(per_doc, on="doc_id", how="left")
        .group_by(pl.col("len").fill_null(0))
        .agg(pl.len().alias("documents"))
        .collect(engine="streaming")
        .iter_rows()
    )
    most = max(in_doc, default=0)
    step = -(-(most + 1) // 15)  # at most 15 bars
    claim_rows = sum(n * k for n, k in in_doc.items())
    per_doc_rows = _histogram([in_doc], step) if claim_rows else []
    stances, stance_text = _shares(_counts(claims, "stance"), STANCES)
    kinds, kind_text = _shares(_counts(claims, "kind"), KINDS)
    claimants, unnamed = claimant_counts(claims)
    cues: Counter[str] = Counter()
    for cue, n in _counts(claims, "cue").items():
        cues[cue_lemma(cue) if cue is not None else "(floating quotation)"] += n
    return [
        _figure("fig-sources", sources, formats, {"documents": f"{documents:,}"}),
        _figure(
            "fig-sentence-length",
            lengths,
            ["body", "other kinds"],
            {"body": f"{sum(body.values()):,}", "median": median, "sentences": f"{words['len'].sum():,}"},
        ),
        _figure(
            "fig-claims-per-doc",
            per_doc_rows,
            ["documents"],
            {
                "bins": "" if step == 1 else f" in bins of {step}",
                "claims": f"{claim_rows:,}",
                "documents": f"{sum(in_doc.values()):,}",
                "zero": f"{in_doc.get(0, 0):,}",
            },
        ),
        _figure("fig-stance", stances, ["claims"], {"stances": stance_text}),
        _figure("fig-kind", kinds, ["claims"], {"kinds": kind_text}),
        _figure("fig-claimants", _top(claimants), ["claims"], {"unnamed": f"{unnamed:,}"}),
        _figure("fig-cues", _top(cues), ["claims"], {"cues": f"{len(cues):,}"}),
    ]


def _cell(value: object) -> str:
    """A table cell: integers with thousands separators, right-aligned; anything else escaped."""
    return f'<td class="n">{value:,}</td>' if isinstance(value, int) else f"<td>{_e(value)}</td>"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def render_report(manifest: Mapping[str, Any], tables: Mapping[str, pl.DataFrame | pl.LazyFrame]) -> str:
    """The release's report.html: a standalone, offline HTML page of counts and plots."""
    version = _e(manifest.get("version", "?"))
    counts = manifest.get("counts") or {
        name: frame.lazy().select(pl.len()).collect().item() for name, frame in sorted(tables.items())
    }
    names = [k for k in _COUNTED if k in counts] + sorted(set(counts) - set(_COUNTED))
    rejected = manifest.get("rejected_by_reason") or {}
    previous = _e(manifest.get("previous_version") or "none")
    stages = "; ".join(
        f"{_e(k)} <code>{_e(v)}</code>" for k, v in sorted((manifest.get("stages") or {}).items())
    )
    return "\n".join(
        [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>newsds release {version}: report</title>\n<style>{_STYLE}</style>\n</head>\n<body>",
            f"<h1>newsds release {version}</h1>",
            f"<p>Previous release: {previous}. Stages: {stages or 'n/a'}. "
            "Drawn from the release's tables alone: the page loads nothing and runs no script.</p>",
            "<h2>Counts</h2>",
            _table(names, [[counts[k] for k in names]]),
            f'<p id="claims-languages">{_e(skipped_note(skipped_by_language(tables["documents"])))}</p>',
            "<h2>Rejected inputs by reason</h2>",
            _table(["reason", "inputs"], sorted(rejected.items())) if rejected else "<p>None.</p>",
            *_figures(tables),
            "</body>\n</html>\n",
        ]
    )
