"""The build's annotation stage: files -> annotation tables, gold claims and the agreement report.

A pure function of the annotation files and the tables the build already has, so the in-memory
and the streaming build (which calls it once, after the documents are written) share it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from newsds.annotations.adjudicate import adjudicate
from newsds.annotations.agreement import agreement, figures
from newsds.annotations.imports import AnnotationFile, import_annotations
from newsds.annotations.scoring import Attribution, Scores, claim_attributions, score_document
from newsds.claims import RULE_ROWS
from newsds.defaults import DEFAULT_POLICY
from newsds.vocabulary import FIGURES

__all__ = [
    "ANNOTATIONS_VERSION",
    "FIGURES",
    "RULES",
    "annotate",
    "figures",
    "rule_attributions",
    "score_rules",
]

ANNOTATIONS_VERSION = "newsds-annotations/1.0.0"  # import checks, agreement and adjudication rules
RULES = RULE_ROWS  # the machine rows of a claims table (the model's or the rules'), not people's


def rule_attributions(claims: pl.DataFrame) -> dict[str, list[Attribution]]:
    """The machine claims (the model's or the rules') of each document as evaluation attributions."""
    rules = claims.filter(RULES)
    return {
        str(doc): claim_attributions(group) for (doc,), group in rules.group_by("doc_id", maintain_order=True)
    }


def score_rules(
    texts: Mapping[str, str],
    predicted: Mapping[str, Sequence[Attribution]],
    gold: Mapping[str, Sequence[Attribution]],
    documents: Sequence[str],
) -> Scores:
    """The claims evaluation's figures for machine claims against human gold, over `documents`
    (every adjudicated document counts, also those whose gold has no attribution)."""
    scores = Scores()
    for doc in documents:
        score_document(texts[doc], predicted.get(doc, []), gold.get(doc, []), scores)
    return scores


def annotate(
    files: Sequence[AnnotationFile],
    documents: pl.DataFrame,
    sentences: pl.DataFrame,
    claims: pl.DataFrame,
    policy: str = DEFAULT_POLICY,
) -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    """Import, adjudicate and score; returns the three annotation tables plus `gold_claims`, and the
    report published as the release's agreement.json. `documents` needs only doc_id and text."""
    texts = dict(documents.select("doc_id", "text").iter_rows())
    tables = import_annotations(files, texts)
    annotated = tables["annotated_documents"]
    result = adjudicate(tables["claim_annotations"], annotated, texts, sentences, policy)
    docs = sorted(set(annotated["doc_id"].to_list()))
    rejected = tables["annotation_rejected"]
    report = {
        "policy": policy,
        "files": [f.path for f in files],
        "annotators": sorted(set(annotated["annotator"].to_list())),
        "documents_annotated": len(docs),
        "annotations": result.annotations.height,
        "rejected": dict(sorted(Counter(rejected["reason"].to_list()).items())),
        "agreement": agreement(result.annotations, annotated, texts),
        "adjudication": result.summary,
        "rules_vs_gold": {
            "documents": len(docs),
            "figures": figures(score_rules(texts, rule_attributions(claims), result.exact, docs))
            if docs
            else None,
        },
    }
    return {**tables, "claim_annotations": result.annotations, "gold_claims": result.claims}, report
