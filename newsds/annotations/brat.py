"""brat standoff: `.ann` files beside their `.txt`, in and out.

The scheme (written out as `annotation.conf` by the export):
- text-bound annotations `T1<TAB>Cue 10 14<TAB>said`; a discontinuous span lists its ranges with
  `;` ("Content 20 31;44 60") and its text as the fragments joined by a space;
- an attribution is an event on its cue, `E1<TAB>Cue:T1 Claimant:T2 Content:T3 Content2:T4`, or
  binary relations from the cue, `R1<TAB>Content Arg1:T1 Arg2:T3` (PolNeAR's "Source" is read as
  the claimant);
- stance and kind are attributes of the event or the cue: `A1<TAB>Stance E1 deny`.
brat records no annotator or time: the annotator is the name of the folder that holds the files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

from newsds.annotations.model import LABELS, Draft, Pass, Region, link
from newsds.claims import KINDS
from newsds.vocabulary import STANCES

FORMAT = "brat"
_RANGE = re.compile(r"^(\d+) (\d+)$")


def annotation_conf() -> str:
    """brat's annotation.conf for the scheme above."""
    return (
        "[entities]\nClaimant\nContent\n\n[relations]\n"
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n"
        "[events]\nCue\tClaimant?:Claimant, Content+:Content\n\n"
        f"[attributes]\nStance\tArg:Cue, Value:{'|'.join(STANCES)}\n"
        f"Kind\tArg:Cue, Value:{'|'.join(KINDS)}\n"
    )


def export_document(text: str, claims: pl.DataFrame) -> str:
    """One document's claims as a brat `.ann` (the `.txt` is the document text itself).

    Every range of a role goes into one text-bound annotation (`T3<TAB>Content 10 20;25 30<TAB>…`, the
    fragments' texts joined by a space, as brat writes them). An attribution is an event on its cue, so
    claims without a cue (floating quotations) are left out."""
    lines: list[str] = []
    t = 0
    cued = claims.filter(pl.col("cue_spans").list.len() > 0).sort("cue_start", "cue_end")
    for n, c in enumerate(cued.iter_rows(named=True), start=1):
        args = []
        for role, label in (("cue", "Cue"), ("claimant", "Claimant"), ("content", "Content")):
            ranges = [(r["start"], r["end"]) for r in c[f"{role}_spans"]]
            if not ranges:
                continue
            t += 1
            offsets = ";".join(f"{start} {end}" for start, end in ranges)
            fragments = " ".join(text[start:end] for start, end in ranges).replace("\n", " ")
            lines.append(f"T{t}\t{label} {offsets}\t{fragments}")
            args.append(f"{label}:T{t}")
        lines.append(f"E{n}\t{' '.join(args)}")
        lines.append(f"A{2 * n - 1}\tStance E{n} {c['stance']}")
        lines.append(f"A{2 * n}\tKind E{n} {c['kind']}")
    return "".join(line + "\n" for line in lines)


def _role_of(argument: str) -> str | None:
    """An event argument's role: 'Content2' is a second Content, 'Source' a claimant."""
    return LABELS.get(argument.rstrip("0123456789").lower())


def read_ann(ann: str, *, ref: str, annotator: str, doc_id: str | None, text: str | None) -> Pass:
    """One `.ann` file's annotations as a Pass (the annotator's work on one document)."""
    item = Pass(ref=ref, annotator=annotator, doc_id=doc_id, text=text)
    regions: dict[str, Region] = {}
    links: list[tuple[str, str, str | None]] = []
    events: dict[str, str] = {}  # event id -> its cue's T id
    attributes: list[tuple[str, str, str, str]] = []  # id, name, target, value
    for number, line in enumerate(ann.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue  # blank lines and notes (#1 AnnotatorNotes ...) carry no span
        fields = line.split("\t")
        aid, body = fields[0], fields[1] if len(fields) > 1 else ""
        where = f"{ref} line {number} ({aid})"
        if aid.startswith("T"):
            label, _, offsets = body.partition(" ")
            role = LABELS.get(label.lower())
            ranges = [_RANGE.match(part.strip()) for part in offsets.split(";")]
            if role is None:
                item.refused.append(
                    (
                        "region",
                        where,
                        "unknown_label",
                        (
                            f"{where} is a {label!r} span; "
                            "the scheme has Cue, Claimant (or Source) and Content"
                        ),
                    )
                )
            elif not all(ranges):
                item.refused.append(("region", where, "malformed", f"{where} has offsets {offsets!r}"))
            else:
                spans = tuple((int(m.group(1)), int(m.group(2))) for m in ranges if m)
                joined = fields[2] if len(fields) > 2 else None
                regions[aid] = Region(aid, role, spans, (), joined)
        elif aid.startswith("E"):
            args = [a.split(":", 1) for a in body.split()]
            if not args or any(len(a) != 2 for a in args):
                item.refused.append(("region", where, "malformed", f"{where} is not 'Type:T1 Role:T2 ...'"))
                continue
            (_, trigger), *rest = args
            events[aid] = trigger
            for name, target in rest:
                links.append((trigger, target, _role_of(name)))
        elif aid.startswith("R"):
            name, *parts = body.split()
            ends = dict(part.split(":", 1) for part in parts if ":" in part)
            if "Arg1" not in ends or "Arg2" not in ends:
                item.refused.append(("region", where, "malformed", f"{where} is not 'Type Arg1:T1 Arg2:T2'"))
                continue
            links.append((ends["Arg1"], ends["Arg2"], _role_of(name)))
        elif aid.startswith(("A", "M")):
            parts = body.split()
            if len(parts) == 3:
                attributes.append((aid, parts[0].lower(), parts[1], parts[2]))
            else:
                item.refused.append(("region", where, "malformed", f"{where} is not 'Name Target Value'"))
        else:
            item.refused.append(("region", where, "malformed", f"{where} is not a brat annotation line"))
    values: dict[str, dict[str, str]] = {}
    for _aid, name, target, value in attributes:
        values.setdefault(events.get(target, target), {})[name] = value
    grouped, refused = link(regions, links, ref)
    item.refused.extend(refused)
    for rid, cue, claimants, contents in grouped:
        picked = values.get(rid, {})
        item.drafts.append(
            Draft(rid, cue, tuple(claimants), tuple(contents), picked.get("stance"), picked.get("kind"))
        )
    return item


def doc_for(
    stem: str, text: str | None, documents: Mapping[str, str], by_text: Mapping[str, str]
) -> str | None:
    """Which document a `.ann` annotates: the file's stem when it is a doc_id, else the document whose
    text equals the `.txt` beside it."""
    if stem in documents:
        return stem
    return by_text.get(text) if text is not None else None
