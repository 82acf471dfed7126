"""Label Studio: tasks with the machine claims as predictions out, JSON exports of annotations in.

The labelling scheme: span labels Cue, Claimant and Content on the document text; relations from a
Cue to its Claimant and Content regions; stance and kind as choices on the Cue region (per-region
choices, which Label Studio exports as results sharing the region's id). A Label Studio region is one
range, so a discontinuous role is several regions: every Claimant and Content region is linked to the
Cue, and a second range of the cue itself is a Cue region linked from the first with a `cue` relation.
docs/annotation.md is the annotators' side of the same scheme.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from newsds.annotations.model import LABELS, Draft, Pass, Region, Source, link, parse_time
from newsds.claims import KINDS, MODEL_VERSION, RULE_ROWS
from newsds.errors import AnnotationError
from newsds.vocabulary import STANCES

FORMAT = "label_studio"
RELATIONS = ("claimant", "content", "cue")  # relation labels: from a cue to its regions, or to its next range
TEXT, ROLE, STANCE, KIND = "text", "role", "stance", "kind"  # the names in the labelling config
_COLOURS = {"Cue": "#d62728", "Claimant": "#1f77b4", "Content": "#2ca02c"}


def labeling_config() -> str:
    """The Label Studio labelling interface (XML) that matches the tasks and the importer."""

    def choices(name: str, values: Iterable[str]) -> str:
        items = "".join(f'\n      <Choice value="{v}"/>' for v in values)
        return (
            f'    <Header value="{name.capitalize()}"/>\n'
            f'    <Choices name="{name}" toName="{TEXT}" perRegion="true" required="true" '
            f'choice="single-radio">{items}\n    </Choices>\n'
        )

    labels = "".join(f'\n    <Label value="{k}" background="{v}"/>' for k, v in _COLOURS.items())
    return (
        "<View>\n"
        '  <Header value="$title"/>\n'
        f'  <Labels name="{ROLE}" toName="{TEXT}">{labels}\n  </Labels>\n'
        "  <Relations>\n" + "".join(f'    <Relation value="{r}"/>\n' for r in RELATIONS) + "  </Relations>\n"
        f'  <Text name="{TEXT}" value="$text" granularity="symbol"/>\n'
        f'  <View visibleWhen="region-selected" whenTagName="{ROLE}" whenLabelValue="Cue">\n'
        f"{choices(STANCE, STANCES)}{choices(KIND, KINDS)}"
        "  </View>\n"
        "</View>\n"
    )


def _region(rid: str, label: str, start: int, end: int, text: str) -> dict[str, Any]:
    value = {"start": start, "end": end, "text": text[start:end], "labels": [label]}
    return {"id": rid, "from_name": ROLE, "to_name": TEXT, "type": "labels", "value": value}


def _relation(from_id: str, to_id: str, label: str) -> dict[str, Any]:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right", "labels": [label]}


def _prediction(claims: pl.DataFrame, text: str) -> list[dict[str, Any]]:
    """One document's machine claims as Label Studio results (regions, choices, relations): one region
    per range of every role. Claims without a cue (floating quotations) are left out: an attribution
    is a cue with its regions linked to it, and the importer refuses regions linked to no cue."""
    result: list[dict[str, Any]] = []
    for n, c in enumerate(claims.filter(pl.col("cue_spans").list.len() > 0).iter_rows(named=True)):
        cue = f"p{n}-cue"
        for k, r in enumerate(c["cue_spans"]):  # every cue region carries the choices (they are required)
            rid = f"{cue}{k or ''}"
            result.append(_region(rid, "Cue", r["start"], r["end"], text))
            for name in (STANCE, KIND):
                value = {"start": r["start"], "end": r["end"], "text": text[r["start"] : r["end"]]}
                value["choices"] = [c[name]]
                result.append(
                    {"id": rid, "from_name": name, "to_name": TEXT, "type": "choices", "value": value}
                )
            if k:
                result.append(_relation(cue, rid, "cue"))
        for role, label in (("claimant", "Claimant"), ("content", "Content")):
            for k, r in enumerate(c[f"{role}_spans"]):
                rid = f"p{n}-{role}{k or ''}"
                result.append(_region(rid, label, r["start"], r["end"], text))
                result.append(_relation(cue, rid, role))
    return result


def export_tasks(
    documents: pl.DataFrame, claims: pl.DataFrame, release: str | None = None
) -> list[dict[str, Any]]:
    """One Label Studio task per document, with its machine claims (the model's or the rules') as a
    prediction; floating quotations, which have no cue, are not among them (see `_prediction`).

    The task data carries doc_id (how the import finds the document again) and the exact text, so
    the import can tell when a document changed under an annotation. The prediction's model_version
    names the extractors whose claims it holds.
    """
    machine = claims.filter(RULE_ROWS)
    by_doc = {doc: group.sort("cue_start", "cue_end") for (doc,), group in machine.group_by("doc_id")}
    version = "+".join(sorted(set(machine["annotator"].to_list()))) or MODEL_VERSION
    tasks = []
    for doc in documents.select("doc_id", "title", "source_path", "text").iter_rows(named=True):
        found = by_doc.get(doc["doc_id"], claims.clear())
        data = {
            "doc_id": doc["doc_id"],
            "title": doc["title"] or doc["source_path"],
            "source_path": doc["source_path"],
            "release": release,
            "text": doc["text"],
        }
        prediction = {"model_version": version, "result": _prediction(found, doc["text"])}
        tasks.append({"data": data, "predictions": [prediction]})
    return tasks


# Label Studio's `created_username`: "[first [last] ]email, id" (the e-mail has no space in it).
_CREATED_BY = re.compile(r"(?:.*\s)?(\S+@\S+), (\d+)")


def _annotator(annotation: Mapping[str, Any]) -> tuple[str, str | None]:
    """(annotator id, Label Studio user id) of an annotation: the annotator's e-mail when the export
    has it, else `label-studio:<user id>`. See docs/annotation.md, "Annotator ids".

    A standard export writes `completed_by` as the user's integer id, and usually `created_username`
    as "email, id"; a snapshot with annotator details writes `completed_by` as an object with both.
    Either way the e-mail names the person, so one person is one annotator in every kind of export.
    """
    completed_by = annotation.get("completed_by")
    details = completed_by if isinstance(completed_by, Mapping) else {}
    user_id = details.get("id") if details else completed_by
    email = details.get("email") or None
    created = annotation.get("created_username")
    found = _CREATED_BY.fullmatch(created.strip()) if isinstance(created, str) else None
    if email is None and found is not None and (user_id is None or str(user_id) == found.group(2)):
        email, user_id = found.group(1), found.group(2)
    user = None if user_id is None or isinstance(user_id, Mapping) else f"label-studio:{user_id}"
    return (str(email) if email else user or ""), user


def _pass(task: Mapping[str, Any], annotation: Mapping[str, Any], ref: str) -> Pass:
    """One Label Studio annotation (one annotator on one task) as a Pass."""
    data = task.get("data") or {}
    annotator, user = _annotator(annotation)
    item = Pass(
        ref=ref,
        annotator=annotator,
        user=user,
        key=None if annotation.get("id") is None else f"label-studio annotation {annotation['id']}",
        doc_id=str(data["doc_id"]) if data.get("doc_id") is not None else None,
        text=data.get("text") if isinstance(data.get("text"), str) else None,
        created_at=parse_time(annotation.get("created_at")),
        updated_at=parse_time(annotation.get("updated_at")),
        ground_truth=bool(annotation.get("ground_truth")),
    )
    regions: dict[str, Region] = {}
    choices: dict[str, dict[str, str]] = {}
    links: list[tuple[str, str, str | None]] = []
    for result in annotation.get("result") or []:
        kind, rid = result.get("type"), str(result.get("id"))
        value = result.get("value") or {}
        if kind == "relation":
            labels = result.get("labels") or [None]
            links.append((str(result.get("from_id")), str(result.get("to_id")), labels[0]))
        elif kind == "labels":
            labels = value.get("labels") or []
            role = LABELS.get(str(labels[0]).lower()) if len(labels) == 1 else None
            start, end = value.get("start"), value.get("end")
            if role is None:
                item.refused.append(
                    (
                        "region",
                        f"{ref} {rid}",
                        "unknown_label",
                        (
                            f"region {rid} in {ref} has labels {labels}; "
                            "each region takes one of Cue, Claimant, Content"
                        ),
                    )
                )
            elif not isinstance(start, int) or not isinstance(end, int):
                item.refused.append(
                    (
                        "region",
                        f"{ref} {rid}",
                        "malformed",
                        (f"region {rid} in {ref} has no integer start/end offsets"),
                    )
                )
            else:
                recorded = value.get("text")
                regions[rid] = Region(
                    rid, role, ((start, end),), (recorded if isinstance(recorded, str) else None,)
                )
        elif kind == "choices" and result.get("from_name") in (STANCE, KIND):
            picked = value.get("choices") or []
            choices.setdefault(rid, {})[str(result["from_name"])] = str(picked[0]) if picked else ""
        else:
            item.refused.append(
                (
                    "region",
                    f"{ref} {rid}",
                    "unknown_label",
                    (
                        f"result {rid} in {ref} is a {kind!r} from {result.get('from_name')!r}, "
                        "which the newsds "
                        "labelling config does not have; use the config from `newsds annotate export`"
                    ),
                )
            )
    grouped, refused = link(regions, links, ref)
    item.refused.extend(refused)
    for rid, cue, claimants, contents in grouped:
        picked = choices.get(rid, {})
        item.drafts.append(
            Draft(
                rid,
                cue,
                tuple(claimants),
                tuple(contents),
                picked.get(STANCE) or None,
                picked.get(KIND) or None,
            )
        )
    return item


# Keys of a JSON-MIN record that a task of the standard export never has at its top level.
_JSON_MIN_KEYS = frozenset({"annotator", "annotation_id", "lead_time", ROLE, STANCE, KIND})


def _is_json_min(items: list[Any]) -> bool:
    """Whether a list is a JSON-MIN export: one flat record per annotation (the task's data fields, the
    controls' values under their names, `annotator`, `annotation_id`, `lead_time`), no `annotations`.

    JSON-MIN keeps the labels but drops the regions' ids and the relations that link a claimant and a
    content to their cue, so it cannot be read as attributions; being a list too, it must be told apart
    from a standard export by its keys, or it would import as nothing.
    """
    records = [item for item in items if isinstance(item, Mapping)]
    return (
        bool(records)
        and not any("annotations" in r or "completions" in r for r in records)
        and any(_JSON_MIN_KEYS & r.keys() for r in records)
    )


def _nothing_in(tasks: list[Any], path: str) -> str:
    """Why an export that is a list of tasks holds no annotation, and what to do."""
    if not tasks:
        return f"{path} holds no tasks; export the Label Studio project (as JSON) after annotating it"
    if not any(isinstance(t, Mapping) and "annotations" in t for t in tasks):
        return (
            f"{path} holds tasks without annotations (the tasks file `newsds annotate export` writes?); "
            "import the project's export from Label Studio (Export > JSON) once annotators have submitted"
        )
    return (
        f"{path} holds {len(tasks)} tasks but no annotation: no annotator has submitted one yet; "
        "export again once they have"
    )


def read_export(data: bytes, source: Source) -> tuple[list[Pass], list[tuple[str, str | None, str, str]]]:
    """A Label Studio JSON export -> its passes, and refusals for cancelled or malformed items.

    Predictions in the export are ignored: they are the extractors', not an annotator's. A file that
    yields neither a pass nor a refusal (a JSON-MIN export, an export with no annotation, the tasks
    file) is an AnnotationError that says why: importing it must never look like success.
    """
    try:
        tasks = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnnotationError(
            f"{source.path} is not JSON ({exc}); export the project from Label Studio as JSON"
        ) from exc
    if not isinstance(tasks, list):
        raise AnnotationError(
            f"{source.path} is not a Label Studio JSON export (a list of tasks); export the project "
            'from Label Studio as "JSON"'
        )
    if _is_json_min(tasks):
        raise AnnotationError(
            f"{source.path} is a Label Studio JSON-MIN export (one flat record per annotation), which "
            "leaves out the links between a cue and its claimant and content; export the project "
            'as "JSON" instead and import that file'
        )
    passes: list[Pass] = []
    refused: list[tuple[str, str | None, str, str]] = []
    for t, task in enumerate(tasks):
        if not isinstance(task, Mapping) or not isinstance(task.get("annotations", []), list):
            refused.append(
                ("pass", f"task {t}", "malformed", f"task {t} of {source.path} is not a task object")
            )
            continue
        task_ref = f"task {task.get('id', t)}"
        for a, annotation in enumerate(task.get("annotations") or []):
            ref = f"{task_ref} annotation {annotation.get('id', a) if isinstance(annotation, Mapping) else a}"
            if not isinstance(annotation, Mapping):
                refused.append(("pass", ref, "malformed", f"{ref} of {source.path} is not an object"))
            elif annotation.get("was_cancelled"):
                refused.append(("pass", ref, "cancelled", f"{ref} was skipped (cancelled) in Label Studio"))
            else:
                passes.append(_pass(task, annotation, ref))
    if not passes and not refused:
        raise AnnotationError(_nothing_in(tasks, source.path))
    return passes, refused
