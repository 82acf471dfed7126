"""What every import format becomes before it is checked: passes of regions linked into attributions.

Why one model: Label Studio and brat describe the same thing (an annotator marks cue, claimant and
content regions and links them), so both readers produce `Pass` objects and one function turns a pass
into table rows. That function is where spans are checked against the document text: a region whose
offsets do not slice to the text the tool recorded is refused with a reason, never shifted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newsds.claims import KINDS, RULES_PREFIX
from newsds.ids import sha256_hex
from newsds.vocabulary import STANCES

ROLES = ("cue", "claimant", "content")
# Label names the readers accept for each role (case-insensitive); PolNeAR calls the claimant "Source".
LABELS = {"cue": "cue", "claimant": "claimant", "source": "claimant", "content": "content"}
Ranges = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Region:
    """A marked span: one role, one or more ranges, and the text the tool recorded for it.

    `texts` holds one recorded text per range (Label Studio), or `joined` the fragments joined by a
    space (brat); either may be missing, and then only the offsets are checked against the document.
    """

    ref: str
    role: str
    ranges: Ranges
    texts: tuple[str | None, ...] = ()
    joined: str | None = None


@dataclass(frozen=True)
class Draft:
    """One attribution as the annotator linked it: a cue region and the regions linked to it."""

    ref: str
    cue: Region
    claimants: tuple[Region, ...]
    contents: tuple[Region, ...]
    stance: str | None = None
    kind: str | None = None


@dataclass
class Pass:
    """One annotator's work on one document, as read from one file."""

    ref: str
    annotator: str
    doc_id: str | None  # what the file names (a task's data.doc_id, a brat file's stem)
    text: str | None  # the text the annotator saw, when the file carries it
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    ground_truth: bool = False
    drafts: list[Draft] = field(default_factory=list)
    refused: list[tuple[str, str | None, str, str]] = field(default_factory=list)  # level, ref, reason, msg
    # The tool's own id of the annotator ('label-studio:7'), when the file also names them otherwise (an
    # e-mail): how an export that only has the id is matched to the same person in another export.
    user: str | None = None
    # What makes this pass the same one in another file (a Label Studio annotation id, a brat file's
    # sha256), so importing two exports of one project counts it once; None when the file has no id.
    key: str | None = None

    def same_work(self, other: Pass) -> bool:
        """Whether two passes record the same work: one document and text, the same attributions and
        refusals, the same times. Two exports of one annotation do; an edited copy does not."""
        return (
            (self.doc_id, self.text, self.created_at, self.updated_at, self.ground_truth)
            == (other.doc_id, other.text, other.created_at, other.updated_at, other.ground_truth)
            and self.drafts == other.drafts
            and self.refused == other.refused
        )


@dataclass(frozen=True)
class Source:
    """The file a pass came from."""

    path: str
    sha256: str
    format: str


def parse_time(value: Any) -> dt.datetime | None:
    """An ISO 8601 timestamp (Label Studio writes '2021-03-09T21:52:49.513742Z') in UTC, or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _utf16_to_code_points(text: str, offset: int) -> int | None:
    """The code-point index of a UTF-16 code-unit offset (browsers count astral characters twice)."""
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text) if units == offset else None


def _range_problem(text: str, region: Region) -> tuple[str, str] | None:
    """Why a region's ranges do not fit the text (reason, message), or None when they do."""
    for start, end in region.ranges:
        if not 0 <= start < end <= len(text):
            return "span_out_of_range", (
                f"{region.role} region {region.ref} has offsets [{start}, {end}) outside the document "
                f"text (0..{len(text)}) or empty"
            )
    pieces = [text[s:e] for s, e in region.ranges]
    for piece, recorded, (start, end) in zip(pieces, region.texts, region.ranges, strict=False):
        if recorded is not None and piece != recorded:
            return "span_mismatch", (
                f"{region.role} region {region.ref} [{start}, {end}) slices to {piece[:60]!r} but the "
                f"annotation recorded {recorded[:60]!r}; fix the offsets in the tool and export again"
            )
    # brat joins the fragments with a space and cannot hold a line break: compare with breaks as spaces
    if region.joined is not None and " ".join(pieces).replace("\n", " ") != region.joined.replace("\n", " "):
        return "span_mismatch", (
            f"{region.role} region {region.ref} slices to {' '.join(pieces)[:60]!r} but the annotation "
            f"recorded {region.joined[:60]!r}; fix the offsets and export again"
        )
    return None


def utf16_region(text: str, region: Region) -> Region | None:
    """The region with its offsets read as UTF-16 code units, if that reading makes it fit the text.

    Label Studio's browser counts an astral character (an emoji) as two units; this is a unit
    conversion, tried only when the code-point reading fails, and only kept when every range then
    slices exactly to its recorded text.
    """
    if all(ord(c) <= 0xFFFF for c in text) or not any(t is not None for t in region.texts):
        return None
    ranges = []
    for start, end in region.ranges:
        s, e = _utf16_to_code_points(text, start), _utf16_to_code_points(text, end)
        if s is None or e is None:
            return None
        ranges.append((s, e))
    converted = Region(region.ref, region.role, tuple(ranges), region.texts, region.joined)
    return converted if _range_problem(text, converted) is None else None


def _merge(regions: Iterable[Region]) -> Ranges:
    """The ranges of several regions of one role, sorted and without duplicates."""
    return tuple(sorted({r for region in regions for r in region.ranges}))


def _ranges_rows(text: str, ranges: Ranges) -> list[dict[str, Any]]:
    return [{"start": s, "end": e, "text": text[s:e]} for s, e in ranges]


def _display(text: str, ranges: Ranges) -> str | None:
    """A role's text: its ranges' texts, joined by ' … ' when the span is discontinuous."""
    return " … ".join(text[s:e] for s, e in ranges) if ranges else None


def annotator_problem(annotator: str) -> str | None:
    """Why an annotator id cannot stand for a human, or None."""
    if not annotator.strip():
        return "the annotator id is empty; set completed_by (Label Studio) or the brat folder name"
    if annotator.startswith(RULES_PREFIX):
        return (
            f"annotator ids starting {RULES_PREFIX!r} are reserved for newsds's own extractors (the model "
            "and the rules); rename the annotator"
        )
    return None


def _attribution_problem(text: str, draft: Draft) -> tuple[Draft | None, str, str]:
    """The draft with every region checked (UTF-16 offsets converted), or None with reason and message."""
    regions: dict[str, list[Region]] = {"cue": [draft.cue], "claimant": [], "content": []}
    for role, found in (("claimant", draft.claimants), ("content", draft.contents)):
        for region in found:
            regions[role].append(region)
    if not regions["content"]:
        return None, "no_content", f"cue {draft.ref} is linked to no content region; link its content"
    if draft.stance is not None and draft.stance not in STANCES:
        return (
            None,
            "unknown_label",
            f"cue {draft.ref} has stance {draft.stance!r}; valid: {', '.join(STANCES)}",
        )
    if draft.kind is not None and draft.kind not in KINDS:
        return None, "unknown_label", f"cue {draft.ref} has kind {draft.kind!r}; valid: {', '.join(KINDS)}"
    checked: dict[str, list[Region]] = {}
    for role, regions_of_role in regions.items():
        checked[role] = []
        for region in regions_of_role:
            problem = _range_problem(text, region)
            if problem is not None:
                converted = utf16_region(text, region)
                if converted is None:
                    return None, problem[0], f"attribution {draft.ref}: {problem[1]}"
                region = converted
            checked[role].append(region)
    fixed = Draft(
        draft.ref,
        checked["cue"][0],
        tuple(checked["claimant"]),
        tuple(checked["content"]),
        draft.stance,
        draft.kind,
    )
    return fixed, "", ""


def refused_row(
    source: Source, level: str, ref: str | None, reason: str, message: str, item: Pass | None = None
) -> dict[str, Any]:
    """One annotation_rejected row: which file and item, at which level, why (stable code), what to do."""
    return {
        "source_file": source.path,
        "source_sha256": source.sha256,
        "format": source.format,
        "level": level,
        "source_ref": ref,
        "doc_id": item.doc_id if item else None,
        "annotator": (item.annotator or None) if item else None,
        "reason": reason,
        "message": message,
    }


def pass_rows(
    item: Pass, source: Source, documents: Mapping[str, str]
) -> tuple[dict[str, Any] | None, list[dict[str, Any]], list[dict[str, Any]]]:
    """One pass -> (annotated_documents row or None, claim_annotations rows, annotation_rejected rows).

    `documents` maps doc_id -> text: the document text is the authority every span is checked against.
    Every attribution of an accepted pass is exactly one annotation row or one rejected row.
    """

    def refuse(level: str, ref: str | None, reason: str, message: str) -> dict[str, Any]:
        return refused_row(source, level, ref, reason, message, item)

    def whole_pass(reason: str, message: str) -> tuple[None, list[dict[str, Any]], list[dict[str, Any]]]:
        return None, [], [refuse("pass", item.ref, reason, message)]

    problem = annotator_problem(item.annotator)
    if problem is not None:
        return whole_pass("reserved_annotator", problem)
    text = documents.get(item.doc_id or "")
    if text is None:
        return whole_pass(
            "unknown_document",
            f"{item.ref} names document {item.doc_id!r}, which this release does not have; "
            "annotate tasks exported from this release (newsds annotate export)",
        )
    if item.text is not None and item.text != text:
        return whole_pass(
            "text_mismatch",
            f"the text annotated in {item.ref} differs from document {item.doc_id}'s text (the "
            "document changed since export?); its offsets cannot be trusted: export the task again "
            "and redo it",
        )
    rejected = [refuse(level, ref, reason, message) for level, ref, reason, message in item.refused]
    rows = []
    for draft in item.drafts:
        fixed, reason, message = _attribution_problem(text, draft)
        if fixed is None:
            rejected.append(refuse("attribution", draft.ref, reason, message))
            continue
        cue, claimant, content = (
            _merge([fixed.cue]),
            _merge(fixed.claimants),
            _merge(fixed.contents),
        )
        rows.append(
            {
                "annotation_id": sha256_hex(f"{source.sha256}:{item.ref}:{draft.ref}".encode())[:16],
                "doc_id": item.doc_id,
                "annotator": item.annotator,
                "format": source.format,
                "source_file": source.path,
                "source_ref": f"{item.ref} {draft.ref}",
                "created_at": item.created_at,
                "updated_at": item.updated_at,
                "cue": _display(text, cue),
                "cue_ranges": _ranges_rows(text, cue),
                "claimant": _display(text, claimant),
                "claimant_ranges": _ranges_rows(text, claimant),
                "content": _display(text, content),
                "content_ranges": _ranges_rows(text, content),
                "stance": fixed.stance,
                "kind": fixed.kind,
                "claim_id": None,
            }
        )
    done = {
        "doc_id": item.doc_id,
        "annotator": item.annotator,
        "format": source.format,
        "source_file": source.path,
        "source_sha256": source.sha256,
        "source_ref": item.ref,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "ground_truth": item.ground_truth,
        "attributions": len(rows),
    }
    return done, rows, rejected


def link(
    regions: Mapping[str, Region], links: Iterable[tuple[str, str, str | None]], ref: str
) -> tuple[list[tuple[str, Region, list[Region], list[Region]]], list[tuple[str, str | None, str, str]]]:
    """Group regions into attributions by their links (from id, to id, link label or None).

    A link may run either way between a cue and another region; the other region's own label says
    its role unless the link's label does. A link labelled `cue` from one cue region to another makes
    the second a further range of the first's cue (a discontinuous cue, in a tool whose regions are one
    range each); regions linked to such a range belong to the first cue. Returns (cue id, cue,
    claimants, contents) per cue in document order, and the refusals: bad links and regions linked to no
    cue.
    """
    continues: dict[str, str] = {}  # a cue region -> the cue region whose further range it is

    def head(rid: str) -> str:
        while rid in continues:
            rid = continues[rid]
        return rid

    rest: list[tuple[str, str, str | None]] = []
    for a, b, label in links:
        further = (
            a in regions
            and b in regions
            and regions[a].role == regions[b].role == "cue"
            and (label or "").lower() == "cue"
        )
        if further and b not in continues and head(a) != b:  # one cue per region, and no cycle
            continues[b] = a
        else:
            rest.append((a, b, label))
    heads = {rid: head(rid) for rid, r in regions.items() if r.role == "cue"}
    attached: dict[str, tuple[list[Region], list[Region]]] = {
        rid: ([], []) for rid, h in heads.items() if h == rid
    }
    linked: set[str] = set()
    refused: list[tuple[str, str | None, str, str]] = []
    for a, b, label in rest:
        if a not in regions or b not in regions:
            refused.append(
                (
                    "region",
                    f"{ref} {a}->{b}",
                    "malformed",
                    (
                        f"a link in {ref} points at region {a if a not in regions else b}, "
                        "which does not exist"
                    ),
                )
            )
            continue
        cue_id, other_id = (a, b) if regions[a].role == "cue" else (b, a)
        other = regions[other_id]
        if regions[cue_id].role != "cue" or other.role == "cue":
            refused.append(
                (
                    "region",
                    f"{ref} {a}->{b}",
                    "malformed",
                    (
                        f"a link in {ref} joins a {regions[a].role} and a {regions[b].role} region; "
                        "links run from a cue to its claimant or content, or (labelled cue) to a further "
                        "range of the cue"
                    ),
                )
            )
            continue
        role = LABELS.get((label or "").lower(), other.role)
        if role == "cue":
            role = other.role
        attached[heads[cue_id]][0 if role == "claimant" else 1].append(other)
        linked.add(other_id)
    for rid, region in regions.items():
        if region.role != "cue" and rid not in linked:
            refused.append(
                (
                    "region",
                    f"{ref} {rid}",
                    "unlinked_region",
                    (f"{region.role} region {rid} in {ref} is linked to no cue; link it to its cue"),
                )
            )
    cues = {h: _joined(h, [r for r, g in heads.items() if g == h], regions) for h in attached}
    order = sorted(attached, key=lambda rid: (cues[rid].ranges, rid))
    return [(rid, cues[rid], *attached[rid]) for rid in order], refused


def _joined(head: str, members: Iterable[str], regions: Mapping[str, Region]) -> Region:
    """A cue region with the ranges of its further cue regions, in text order (one region: itself)."""
    parts = sorted((regions[m] for m in {head, *members}), key=lambda r: (r.ranges, r.ref))
    if len(parts) == 1:
        return parts[0]
    ranges: list[tuple[int, int]] = []
    texts: list[str | None] = []
    for region in parts:
        recorded = region.texts if len(region.texts) == len(region.ranges) else (None,) * len(region.ranges)
        ranges.extend(region.ranges)
        texts.extend(recorded)
    joined = [r.joined for r in parts]
    return Region(
        head,
        "cue",
        tuple(ranges),
        tuple(texts),
        " ".join(j for j in joined if j is not None) if None not in joined else None,
    )
