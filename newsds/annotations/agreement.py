"""Agreement between annotators: span F1 per pair, and Krippendorff's alpha per role and for stance.

Definitions (docs/annotation.md repeats them for readers of a release):
- Only documents that two or more annotators annotated count.
- Span F1 per pair of annotators: one annotator's attributions are scored against the other's with
  the claims evaluation (`newsds.evaluate.claims`: cue-overlap matching, exact and token F1 per role);
  these figures are symmetric. `pooled` adds up every pair's tallies.
- Alpha per role (cue, claimant, content): each whitespace token of a document is a unit, and each
  annotator of the document gives it 1 when one of their spans of that role covers it, else 0
  (nominal alpha). Alpha for stance and kind: each attribution that two or more annotators marked
  (matched by overlapping cues, `clusters`) is a unit, and its value is each one's stance or kind.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from newsds.annotations.scoring import Attribution, Scores, match, score_document

_TOKEN = re.compile(r"\S+")
ROLE_COLUMNS = {"cue": "cue_ranges", "source": "claimant_ranges", "content": "content_ranges"}


def krippendorff_alpha(values: pl.DataFrame) -> float | None:
    """Nominal Krippendorff's alpha of reliability data given as rows (unit, value), one per coder's
    value (missing values are simply absent). Units with fewer than two values are not pairable and
    drop out. None when it is undefined: no pairable unit, or one value only (no expected disagreement).

    Closed form of the coincidence-matrix definition: with n_uc the count of value c in unit u,
    m_u = sum_c n_uc, n_c = sum_u n_uc and n = sum_c n_c over pairable units,
    alpha = 1 - (n - 1) * sum_u (m_u^2 - sum_c n_uc^2) / (m_u - 1) / (n^2 - sum_c n_c^2).
    """
    counts = values.group_by("unit", "value").len("n_uc")
    counts = counts.with_columns(m_u=pl.col("n_uc").sum().over("unit")).filter(pl.col("m_u") >= 2)
    if counts.is_empty():
        return None
    per_unit = counts.group_by("unit").agg(
        m=pl.col("m_u").first().cast(pl.Float64), sq=(pl.col("n_uc").cast(pl.Float64) ** 2).sum()
    )
    observed = per_unit.select(((pl.col("m") ** 2 - pl.col("sq")) / (pl.col("m") - 1)).sum()).item()
    n_c = counts.group_by("value").agg(pl.col("n_uc").sum().cast(pl.Float64))["n_uc"]
    n = float(n_c.sum())
    expected = n * n - float((n_c**2).sum())
    if expected == 0:
        return None
    return 1.0 - (n - 1.0) * float(observed) / expected


def _ranges(value: Any) -> tuple[tuple[int, int], ...]:
    return tuple((int(r["start"]), int(r["end"])) for r in value or [])


def attributions(rows: pl.DataFrame) -> list[Attribution]:
    """claim_annotations rows as evaluation attributions (every range of every role)."""
    return [
        Attribution(_ranges(cue), _ranges(claimant), _ranges(content))
        for cue, claimant, content in rows.select(
            "cue_ranges", "claimant_ranges", "content_ranges"
        ).iter_rows()
    ]


@dataclass(frozen=True)
class Cluster:
    """One attribution as several annotators marked it: (annotator, row index in the document's rows)."""

    members: tuple[tuple[str, int], ...]


def clusters(rows: pl.DataFrame, annotators: Sequence[str]) -> list[Cluster]:
    """Group one document's annotations across annotators: each annotator's attributions (in the
    given annotator order) join the cluster whose cues they overlap most, one-to-one, as the claims
    evaluation matches them; the rest start clusters of their own. Deterministic for a given order."""
    found: list[list[tuple[str, int]]] = []
    cues: list[Attribution] = []  # a cluster's cue ranges, all members' together
    indexed = rows.with_row_index("_row")
    for annotator in annotators:
        mine = indexed.filter(pl.col("annotator") == annotator)
        own = attributions(mine)
        pairs = match(own, cues)
        matched = {i: j for i, j in pairs}
        for i, row in enumerate(mine["_row"].to_list()):
            if i in matched:
                j = matched[i]
                found[j].append((annotator, row))
                cues[j] = Attribution(cues[j].cue + own[i].cue, (), ())
            else:
                found.append([(annotator, row)])
                cues.append(Attribution(own[i].cue, (), ()))
    return [Cluster(tuple(members)) for members in found]


def figures(scores: Scores) -> dict[str, dict[str, float]]:
    """P, R and F1 of every figure, as the reports print them."""
    return {k: dict(zip("prf", v, strict=True)) for k, v in scores.as_dict().items()}


def _role_units(
    texts: Mapping[str, str], rows: pl.DataFrame, passes: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """Token-level reliability data per role: (unit, value) rows, one per annotator of a document and
    token of it; value 1 when one of the annotator's ranges of that role overlaps the token."""
    docs = passes["doc_id"].unique(maintain_order=True).to_list()
    offsets = [
        (doc, k, m.start(), m.end()) for doc in docs for k, m in enumerate(_TOKEN.finditer(texts[doc]))
    ]
    token_schema = {"doc_id": pl.Utf8, "k": pl.Int64, "ts": pl.Int64, "te": pl.Int64}
    tokens = pl.DataFrame(offsets, schema=token_schema, orient="row")
    units = (
        passes.select("doc_id", "annotator")
        .join(tokens, on="doc_id")
        .select("doc_id", "annotator", "k", unit=pl.col("doc_id") + ":" + pl.col("k").cast(pl.Utf8))
    )
    out = {}
    for role, column in ROLE_COLUMNS.items():
        ranges = (
            rows.select("doc_id", "annotator", pl.col(column).alias("r"))
            .explode("r")
            .drop_nulls("r")
            .unnest("r")
        )
        covered = (
            ranges.join(tokens, on="doc_id")
            .filter((pl.col("start") < pl.col("te")) & (pl.col("ts") < pl.col("end")))
            .select("doc_id", "annotator", "k", covered=pl.lit(1, dtype=pl.Int64))
            .unique()
        )
        out[role] = units.join(covered, on=["doc_id", "annotator", "k"], how="left").select(
            "unit", value=pl.col("covered").fill_null(0)
        )
    return out


def agreement(annotations: pl.DataFrame, annotated: pl.DataFrame, texts: Mapping[str, str]) -> dict[str, Any]:
    """The agreement report of a set of annotations (see the module docstring for the figures)."""
    counts = annotated.group_by("doc_id").len()
    shared = sorted(counts.filter(pl.col("len") >= 2)["doc_id"].to_list())
    passes = annotated.filter(pl.col("doc_id").is_in(shared)).sort("doc_id", "annotator")
    rows = annotations.filter(pl.col("doc_id").is_in(shared))
    names = sorted(set(passes["annotator"].to_list()))
    marked = {
        (str(doc), str(who)): attributions(group)
        for (doc, who), group in rows.group_by("doc_id", "annotator")
    }
    seen = {name: set(passes.filter(pl.col("annotator") == name)["doc_id"].to_list()) for name in names}
    pooled, pairs = Scores(), []
    for a, b in itertools.combinations(names, 2):
        docs = sorted(seen[a] & seen[b])
        if not docs:
            continue
        scores = Scores()  # b scored against a: the figures are symmetric
        for doc in docs:
            score_document(texts[doc], marked.get((doc, b), []), marked.get((doc, a), []), scores)
        _score_sum(pooled, scores)
        pairs.append({"annotators": [a, b], "documents": len(docs), "figures": figures(scores)})
    alpha: dict[str, float | None] = {
        role: krippendorff_alpha(units) for role, units in _role_units(texts, rows, passes).items()
    }
    for label in ("stance", "kind"):
        units = []
        for (doc,), group in rows.group_by("doc_id", maintain_order=True):
            for n, cluster in enumerate(clusters(group, names)):
                for _annotator, row in cluster.members:
                    value = group[label][row]
                    if value is not None:
                        units.append({"unit": f"{doc}:{n}", "value": value})
        alpha[label] = krippendorff_alpha(pl.DataFrame(units, schema={"unit": pl.Utf8, "value": pl.Utf8}))
    return {
        "annotators": names,
        "documents": len(shared),
        "attributions": rows.height,
        "pairs": pairs,
        "pooled": figures(pooled) if pairs else None,
        "alpha": alpha,
    }


def _score_sum(total: Scores, part: Scores) -> None:
    total.documents += part.documents
    for mine, theirs in (
        [(total.detected, part.detected)]
        + [(total.exact[r], part.exact[r]) for r in total.exact]
        + [(total.token[r], part.token[r]) for r in total.token]
    ):
        mine.tp += theirs.tp
        mine.fp += theirs.fp
        mine.fn += theirs.fn
