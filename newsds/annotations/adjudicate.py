"""Adjudication: the annotators' attributions -> gold `claims` rows with a human `annotator`.

Policies (docs/annotation.md states them for annotators and readers):
- `majority` (the default): per document, the attributions of its annotators are grouped by
  overlapping cues (`agreement.clusters`, annotators in alphabetical order). A group becomes a gold
  claim when a strict majority of the document's annotators marked it (so a document with one
  annotator keeps all of theirs, and two annotators must both mark it). Each role takes the span most
  of the group marked; stance and kind the value most of them chose; ties go to the annotator first
  in alphabetical order. The gold row's annotator is the group's annotators joined by '+'.
- `adjudicator:ID`: in every document ID annotated, ID's attributions are the gold, as marked, with
  annotator ID (ID is typically a senior annotator who reviewed the others). Documents ID did not
  annotate fall back to `majority`; an ID that annotated no imported document at all is an error
  (`UnknownAnnotatorError`, listing the ids there are), never a silent `majority`.
Each annotation that went into a gold claim gets that claim's id in `claim_annotations.claim_id`.
A gold claim's ID is stable like a machine claim's: `ids.claim_id` of its cue and content ranges with
the kind letter `h`, so a human and a machine claim on the same spans never collide, and adding or
removing one gold claim leaves the others' IDs as they were. In the claims table every role keeps all
its ranges (`*_spans`); `*_start` / `*_end` and the role's text are their envelope, from the first
start to the last end. Two groups that chose the same cue and content ranges are one gold claim: the
first (in cue order, then by annotators) is kept and the other's annotations point at it
(`same_spans` in the summary).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from newsds.annotations.agreement import clusters
from newsds.annotations.scoring import Attribution
from newsds.claims import CLAIMS_SCHEMA, claim_kind
from newsds.defaults import DEFAULT_POLICY
from newsds.errors import AnnotationError
from newsds.ids import HUMAN, claim_id


@dataclass
class Adjudication:
    """The gold claims, the annotations with their claim ids set, and what the policy decided."""

    claims: pl.DataFrame
    annotations: pl.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
    exact: dict[str, list[Attribution]] = field(default_factory=dict)  # per document, every range


class UnknownAnnotatorError(AnnotationError):
    """A policy names an annotator who annotated nothing that was imported: falling back to another
    policy would hide a typo or an id in the wrong form (an e-mail where the export has user ids)."""


def _check_adjudicator(adjudicator: str, annotators: Sequence[str]) -> None:
    """Raise UnknownAnnotatorError when annotations were imported and none is the adjudicator's."""
    if not annotators or adjudicator in annotators:
        return
    hint = ""
    if any(a.startswith("label-studio:") for a in annotators):
        hint = (
            "; label-studio:<n> is a Label Studio user id, used when an export names no e-mail (see "
            "'Annotator ids' in docs/annotation.md)"
        )
    raise UnknownAnnotatorError(
        f"policy 'adjudicator:{adjudicator}' names no annotator of the imported annotations; the "
        f"annotator ids are: {', '.join(sorted(set(annotators)))}{hint}"
    )


def check_policy(policy: str) -> str:
    """The policy, or an AnnotationError naming the valid ones."""
    if policy == "majority" or (policy.startswith("adjudicator:") and policy.split(":", 1)[1].strip()):
        return policy
    raise AnnotationError(
        f"unknown adjudication policy {policy!r}; valid: 'majority', or 'adjudicator:ID' (ID an annotator)"
    )


def _choose(values: Sequence[Any]) -> Any:
    """The most frequent non-null value; ties go to the earliest (members come in annotator order)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    counts = Counter(present)
    best = max(counts.values())
    return next(v for v in present if counts[v] == best)


def _span(ranges: Any) -> tuple[tuple[int, int], ...]:
    """A role's ranges in text order, overlapping ones merged (two regions of one role that overlap
    cover their union): the claims table's ranges never overlap."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((int(r["start"]), int(r["end"])) for r in ranges or []):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _sentence(sentences: Sequence[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The id of the sentence that holds [start, end), or None."""
    for s, e, sent_id in sentences:
        if s <= start and end <= e:
            return sent_id
    return None


def _envelope(text: str, ranges: Sequence[tuple[int, int]]) -> tuple[str | None, int | None, int | None]:
    """A role's text, start and end: from its first range's start to its last range's end."""
    if not ranges:
        return None, None, None
    return text[ranges[0][0] : ranges[-1][1]], ranges[0][0], ranges[-1][1]


def _gold_row(
    gold_id: str,
    doc: str,
    sent_id: str,
    text: str,
    picked: Mapping[str, tuple[tuple[int, int], ...]],
    stance: str | None,
    kind: str | None,
    label: str,
) -> dict[str, Any]:
    """One gold claims row: every range of every role, and the envelope columns."""
    row: dict[str, Any] = {"claim_id": gold_id, "doc_id": doc, "sent_id": sent_id}
    for role in ("cue", "claimant", "content"):
        row[role], row[f"{role}_start"], row[f"{role}_end"] = _envelope(text, picked[role])
    for role in ("cue", "claimant", "content"):
        row[f"{role}_spans"] = [{"start": s, "end": e} for s, e in picked[role]]
    according = str(row["cue"]).lower() == "according to"
    return {
        **row,
        "stance": stance or "assert",
        "kind": kind or claim_kind(str(row["content"]), according),
        "annotator": label,
        "claimant_resolved": None,
        "claimant_group": None,
    }


def adjudicate(
    annotations: pl.DataFrame,
    annotated: pl.DataFrame,
    texts: Mapping[str, str],
    sentences: pl.DataFrame,
    policy: str = DEFAULT_POLICY,
) -> Adjudication:
    """Apply a policy to every annotated document; see the module docstring."""
    check_policy(policy)
    adjudicator = policy.split(":", 1)[1].strip() if policy.startswith("adjudicator:") else None
    if adjudicator is not None:
        _check_adjudicator(adjudicator, annotated["annotator"].to_list())
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for doc, start, end, sent_id in sentences.select("doc_id", "start", "end", "sent_id").iter_rows():
        spans.setdefault(doc, []).append((start, end, sent_id))
    gold: list[dict[str, Any]] = []
    claim_of: dict[str, str] = {}
    exact: dict[str, list[Attribution]] = {}
    tally = Counter[str]()
    by_doc = annotations.partition_by("doc_id", as_dict=True, maintain_order=True)
    for (doc,), who in annotated.sort("doc_id", "annotator").group_by("doc_id", maintain_order=True):
        doc = str(doc)
        names = who["annotator"].to_list()
        rows = by_doc.get((doc,), annotations.clear())
        decided = []
        for cluster in clusters(rows, names):
            members = [rows.row(i, named=True) for _, i in cluster.members]
            by = [a for a, _ in cluster.members]
            if adjudicator is not None and adjudicator in names:
                if adjudicator not in by:
                    tally["not_marked_by_adjudicator"] += 1
                    continue
                members = [members[by.index(adjudicator)]] + [
                    m for a, m in zip(by, members, strict=True) if a != adjudicator
                ]
                chosen, label = members[0], adjudicator
                picked = {r: _span(chosen[f"{r}_ranges"]) for r in ("cue", "claimant", "content")}
                stance, kind = chosen["stance"], chosen["kind"]
            else:
                if 2 * len(set(by)) <= len(names):
                    tally["outvoted"] += 1
                    continue
                label = "+".join(sorted(set(by)))
                picked = {
                    r: _choose([_span(m[f"{r}_ranges"]) for m in members])
                    for r in ("cue", "claimant", "content")
                }
                stance, kind = _choose([m["stance"] for m in members]), _choose([m["kind"] for m in members])
            decided.append((picked, stance, kind, label, [m["annotation_id"] for m in members]))
        decided.sort(key=lambda d: (d[0]["cue"], d[0]["content"]))
        text = texts[doc]
        made: set[str] = set()  # the gold claim IDs of this document so far
        for picked, stance, kind, label, members_ids in decided:
            cue, claimant, content = picked["cue"], picked["claimant"], picked["content"]
            cs, ce = cue[0][0], cue[-1][1]
            sent_id = _sentence(spans.get(doc, []), cs, ce)
            if sent_id is None:
                tally["cue_not_in_one_sentence"] += 1
                continue
            gold_id = claim_id(doc, cue, content, kind=HUMAN)
            if gold_id in made:
                tally["same_spans"] += 1
            else:
                if stance is None:
                    tally["stance_defaulted"] += 1
                made.add(gold_id)
                gold.append(_gold_row(gold_id, doc, sent_id, text, picked, stance, kind, label))
                exact.setdefault(doc, []).append(Attribution(cue, claimant, content))
            for annotation_id in members_ids:
                claim_of[annotation_id] = gold_id
    claims = pl.DataFrame(gold, schema=CLAIMS_SCHEMA) if gold else pl.DataFrame(schema=CLAIMS_SCHEMA)
    linked = annotations.with_columns(
        claim_id=pl.col("annotation_id").replace_strict(claim_of, default=None, return_dtype=pl.Utf8)
    )
    summary = {"policy": policy, "gold_claims": claims.height, **dict(sorted(tally.items()))}
    return Adjudication(claims, linked, summary, exact)
