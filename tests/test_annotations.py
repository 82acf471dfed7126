"""Human annotation round trip: Label Studio and brat in, agreement, adjudication, scores."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsds.annotations import (
    AnnotationFile,
    adjudicate,
    agreement,
    annotate,
    brat,
    export_tasks,
    import_annotations,
    krippendorff_alpha,
    labeling_config,
)
from newsds.annotations.model import Region, link
from newsds.claims import CLAIMS_SCHEMA, DEFAULT_EXTRACTOR, RULE_ROWS, extract_claims
from newsds.errors import AnnotationError
from newsds.ids import HUMAN, claim_id
from newsds.sentences import split_sentences
from newsds.validate import validate_table

TEXT = (
    'The minister denied the report on Monday. "We have never hidden anything," she said, '
    '"and we never will."\n\nAccording to the ministry, 40 people were hurt. '
    "Critics said the figure was too low."
)
DOC = "0123456789abcdef"
DOCS = {DOC: TEXT}


def ranges(spans: list[dict[str, int]]) -> tuple[tuple[int, int], ...]:
    return tuple((r["start"], r["end"]) for r in spans)


def rule_claims(text: str = TEXT, doc: str = DOC) -> pl.DataFrame:
    claims = extract_claims(text, extractor="rules")
    ids = [
        claim_id(doc, ranges(c), ranges(k))
        for c, k in claims.select("cue_spans", "content_spans").iter_rows()
    ]
    return claims.with_columns(doc_id=pl.lit(doc), claim_id=pl.Series(ids, dtype=pl.Utf8))


def machine_claims(
    text: str, *claims: tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]
) -> pl.DataFrame:
    """Claims rows as an extractor makes them, from (cue, claimant, content) range lists (a role may have
    several ranges, and the cue none: a floating quotation)."""
    rows = []
    for cue, claimant, content in claims:
        row: dict[str, Any] = {
            "claim_id": claim_id(DOC, cue, content),
            "doc_id": DOC,
            "sent_id": f"{DOC}-s0000",
        }
        for role, spans in (("cue", cue), ("claimant", claimant), ("content", content)):
            hull = (spans[0][0], spans[-1][1]) if spans else (None, None)
            row[role] = text[hull[0] : hull[1]] if spans else None
            row[f"{role}_start"], row[f"{role}_end"] = hull
            row[f"{role}_spans"] = [{"start": s, "end": e} for s, e in spans]
        row.update(stance="assert", kind="direct", annotator="newsds-model/1.0.0")
        row.update(claimant_resolved=None if cue else "she", claimant_group=None)
        rows.append(row)
    return pl.DataFrame(rows, schema=CLAIMS_SCHEMA)


def documents(text: str = TEXT, doc: str = DOC) -> pl.DataFrame:
    return pl.DataFrame({"doc_id": [doc], "title": ["t"], "source_path": ["a.txt"], "text": [text]})


def sentences(text: str = TEXT, doc: str = DOC) -> pl.DataFrame:
    spans = split_sentences(text)
    return pl.DataFrame(
        {
            "doc_id": [doc] * len(spans),
            "sent_id": [f"{doc}-s{i:04d}" for i in range(len(spans))],
            "start": [s for s, _ in spans],
            "end": [e for _, e in spans],
        }
    )


def as_annotated(
    tasks: list[dict[str, Any]], who: str, when: str = "2026-11-01T10:00:00Z"
) -> list[dict[str, Any]]:
    """What Label Studio exports after an annotator accepted every prediction as it was."""
    out = copy.deepcopy(tasks)
    for n, task in enumerate(out):
        task["id"] = n + 1
        result = task.pop("predictions")[0]["result"]
        task["annotations"] = [
            {
                "id": 100 + n,
                "completed_by": {"id": 7, "email": who},
                "created_at": when,
                "updated_at": when,
                "was_cancelled": False,
                "ground_truth": False,
                "result": result,
            }
        ]
    return out


def ls_file(tasks: list[dict[str, Any]], name: str = "export.json") -> AnnotationFile:
    return AnnotationFile(name, json.dumps(tasks).encode())


def exported(who: str = "ann@example.org") -> list[dict[str, Any]]:
    return as_annotated(
        export_tasks(documents(), rule_claims().with_columns(annotator=pl.lit("newsds-rules/x"))), who
    )


def spans(table: pl.DataFrame) -> list[tuple[Any, ...]]:
    return sorted(
        (
            tuple((r["start"], r["end"]) for r in row["cue_ranges"]),
            tuple((r["start"], r["end"]) for r in row["claimant_ranges"]),
            tuple((r["start"], r["end"]) for r in row["content_ranges"]),
            row["stance"],
            row["kind"],
        )
        for row in table.iter_rows(named=True)
    )


def claim_spans(claims: pl.DataFrame) -> list[tuple[Any, ...]]:
    """The claims that have a cue (the ones an annotation tool can show), as `spans` gives annotations."""
    return sorted(
        (
            ranges(c["cue_spans"]),
            ranges(c["claimant_spans"]),
            ranges(c["content_spans"]),
            c["stance"],
            c["kind"],
        )
        for c in claims.iter_rows(named=True)
        if c["cue_spans"]
    )


def rule_spans() -> list[tuple[Any, ...]]:
    return claim_spans(rule_claims())


# --- Export and import round trips ---------------------------------------------------------------
def test_the_labeling_config_names_every_label_relation_and_choice_the_importer_reads() -> None:
    config = labeling_config()
    for needle in (
        'value="Cue"',
        'value="Claimant"',
        'value="Content"',
        '<Relation value="claimant"/>',
        'name="stance"',
        'name="kind"',
        'value="deny"',
        'value="according_to"',
        'perRegion="true"',
    ):
        assert needle in config
    import xml.etree.ElementTree as ET

    ET.fromstring(config)  # well-formed XML


def test_label_studio_tasks_carry_the_document_and_the_rule_claims_as_predictions() -> None:
    tasks = export_tasks(documents(), rule_claims().with_columns(annotator=pl.lit("newsds-rules/x")), "0.6.0")
    assert len(tasks) == 1 and tasks[0]["data"]["doc_id"] == DOC and tasks[0]["data"]["text"] == TEXT
    result = tasks[0]["predictions"][0]["result"]
    cues = [r for r in result if r["type"] == "labels" and r["value"]["labels"] == ["Cue"]]
    assert len(cues) == rule_claims().height
    for r in result:
        if r["type"] == "labels":
            assert TEXT[r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]


def test_accepted_predictions_import_back_as_the_rule_claims() -> None:
    tables = import_annotations([ls_file(exported())], DOCS)
    assert tables["annotation_rejected"].height == 0
    assert spans(tables["claim_annotations"]) == rule_spans()
    row = tables["annotated_documents"].row(0, named=True)
    assert row["annotator"] == "ann@example.org" and row["attributions"] == rule_claims().height
    assert str(row["created_at"]) == "2026-11-01 10:00:00+00:00"


def test_brat_export_imports_back_as_the_rule_claims(tmp_path: Path) -> None:
    ann = brat.export_document(TEXT, rule_claims())
    file = AnnotationFile("alice/" + DOC + ".ann", ann.encode(), TEXT)
    tables = import_annotations([file], DOCS)
    assert tables["annotation_rejected"].height == 0
    assert spans(tables["claim_annotations"]) == rule_spans()
    assert set(tables["claim_annotations"]["annotator"]) == {"alice"}  # brat: the folder names the annotator


def test_brat_discontinuous_content_keeps_both_ranges() -> None:
    q1, q2 = TEXT.index('"We have'), TEXT.index('"and we')
    e1, e2 = TEXT.index(",", q1) + 2, TEXT.index("will.") + 6
    cue = TEXT.index("said")
    ann = (
        f"T1\tCue {cue} {cue + 4}\tsaid\n"
        f"T2\tClaimant {cue - 4} {cue - 1}\tshe\n"
        f"T3\tContent {q1} {e1};{q2} {e2}\t{TEXT[q1:e1]} {TEXT[q2:e2]}\n"
        "E1\tCue:T1 Claimant:T2 Content:T3\n"
        "A1\tStance E1 assert\nA2\tKind E1 direct\n"
    )
    tables = import_annotations([AnnotationFile(f"bob/{DOC}.ann", ann.encode(), TEXT)], DOCS)
    row = tables["claim_annotations"].row(0, named=True)
    assert [(r["start"], r["end"]) for r in row["content_ranges"]] == [(q1, e1), (q2, e2)]
    assert row["content"] == f"{TEXT[q1:e1]} … {TEXT[q2:e2]}"
    for r in row["content_ranges"]:
        assert TEXT[r["start"] : r["end"]] == r["text"]


def test_brat_relations_and_a_second_content_argument_are_read_too() -> None:
    cue = TEXT.index("said")
    q1, q2 = TEXT.index('"We have'), TEXT.index('"and we')
    e1, e2 = TEXT.index(",", q1) + 2, TEXT.index("will.") + 6
    ann = (
        f"T1\tCue {cue} {cue + 4}\tsaid\nT2\tSource {cue - 4} {cue - 1}\tshe\n"
        f"T3\tContent {q1} {e1}\t{TEXT[q1:e1]}\nT4\tContent {q2} {e2}\t{TEXT[q2:e2]}\n"
        "R1\tSource Arg1:T1 Arg2:T2\nR2\tContent Arg1:T1 Arg2:T3\nR3\tContent Arg1:T1 Arg2:T4\n"
    )
    tables = import_annotations([AnnotationFile(f"bob/{DOC}.ann", ann.encode(), TEXT)], DOCS)
    row = tables["claim_annotations"].row(0, named=True)
    assert row["claimant"] == "she" and len(row["content_ranges"]) == 2 and row["stance"] is None


# --- Roles with several ranges, and claims without a cue ------------------------------------------------
SHE = TEXT.index("she said")
Q1, Q2 = TEXT.index('"We have'), TEXT.index('"and we')
E1, E2 = TEXT.index(",", Q1) + 1, TEXT.index("will.") + 6
FLOAT = "\n\nA quoted paragraph."


def split_claims() -> pl.DataFrame:
    """A discontinuous content ("We have …" and "and we never will."), a discontinuous cue ("denied" …
    "on Monday") and a floating quotation with no cue."""
    text = TEXT + FLOAT
    denied, monday = text.index("denied"), text.index("on Monday")
    return machine_claims(
        text,
        ([(SHE + 4, SHE + 8)], [(SHE, SHE + 3)], [(Q1, E1), (Q2, E2)]),
        ([(denied, denied + 6), (monday, monday + 9)], [(0, 12)], [(denied + 7, monday - 1)]),
        ([], [], [(len(TEXT) + 2, len(text))]),
    )


def test_label_studio_carries_every_range_and_leaves_floating_quotations_out() -> None:
    text = TEXT + FLOAT
    claims = split_claims()
    assert validate_table("claims", claims)["valid"]
    tasks = export_tasks(documents(text), claims)
    result = tasks[0]["predictions"][0]["result"]
    assert tasks[0]["predictions"][0]["model_version"] == "newsds-model/1.0.0"
    labels = [r for r in result if r["type"] == "labels"]
    assert len(labels) == 4 + 4  # said, she, two contents; denied, on Monday, the minister, the content
    assert all(text[r["value"]["start"] : r["value"]["end"]] == r["value"]["text"] for r in labels)
    assert not any(r["value"]["start"] >= len(TEXT) for r in labels)  # no floating quotation
    assert [r["labels"] for r in result if r["type"] == "relation"].count(["cue"]) == 1
    tables = import_annotations([ls_file(as_annotated(tasks, "ann@x"))], {DOC: text})
    assert tables["annotation_rejected"].height == 0
    assert spans(tables["claim_annotations"]) == claim_spans(claims)


def test_brat_carries_every_range_and_leaves_floating_quotations_out() -> None:
    text = TEXT + FLOAT
    claims = split_claims()
    ann = brat.export_document(text, claims)
    assert f"Content {Q1} {E1};{Q2} {E2}\t{text[Q1:E1]} {text[Q2:E2]}" in ann
    assert ann.count("\tCue ") == 2 and str(len(TEXT) + 2) not in ann
    tables = import_annotations([AnnotationFile(f"carol/{DOC}.ann", ann.encode(), text)], {DOC: text})
    assert tables["annotation_rejected"].height == 0
    assert spans(tables["claim_annotations"]) == claim_spans(claims)


def test_machine_claims_of_any_shape_export_without_crashing() -> None:
    text = TEXT + FLOAT
    only_floating = split_claims().filter(pl.col("cue").is_null())
    tasks = export_tasks(documents(text), only_floating)
    assert tasks[0]["predictions"][0]["result"] == []
    assert brat.export_document(text, only_floating) == ""
    assert export_tasks(documents(text), split_claims().clear())[0]["predictions"][0]["result"] == []


def test_cue_links_between_cue_regions_join_them_and_bad_ones_are_refused() -> None:
    regions = {
        rid: Region(rid, role, ((s, s + 2),))
        for rid, role, s in (("a", "cue", 0), ("b", "cue", 10), ("c", "cue", 20), ("x", "content", 30))
    }
    grouped, refused = link(regions, [("a", "b", "cue"), ("b", "x", "content")], "t")
    assert [(rid, cue.ranges, [r.ref for r in contents]) for rid, cue, _, contents in grouped] == [
        ("a", ((0, 2), (10, 12)), ["x"]),  # x is linked to b, a further range of a's cue
        ("c", ((20, 22),), []),
    ]
    assert refused == []
    grouped, refused = link(regions, [("a", "b", "cue"), ("b", "a", "cue"), ("c", "b", "cue")], "t")
    assert [cue.ranges for _, cue, _, _ in grouped] == [((0, 2), (10, 12)), ((20, 22),)]
    assert [reason for _, _, reason, _ in refused] == ["malformed", "malformed", "unlinked_region"]


def test_gold_claims_keep_every_range_and_stable_ids() -> None:
    text = TEXT + FLOAT
    claims = split_claims()
    tasks = export_tasks(documents(text), claims)
    texts = {DOC: text}
    tables = import_annotations([ls_file(as_annotated(tasks, "a@x"))], texts)
    gold = adjudicate(
        tables["claim_annotations"], tables["annotated_documents"], texts, sentences(text)
    ).claims
    assert validate_table("claims", gold)["valid"]
    assert claim_spans(gold) == claim_spans(claims)
    machine = {
        tuple(ranges(c) + ranges(k)): i
        for i, c, k in claims.select("claim_id", "cue_spans", "content_spans").iter_rows()
    }
    for gold_id, cue, content in gold.select("claim_id", "cue_spans", "content_spans").iter_rows():
        assert gold_id == claim_id(DOC, ranges(cue), ranges(content), kind=HUMAN)
        assert gold_id != machine[tuple(ranges(cue) + ranges(content))]  # the same spans, another ID
    said = gold.filter(pl.col("cue") == "said").row(0, named=True)
    assert (said["content_start"], said["content_end"]) == (Q1, E2) and said["content"] == text[Q1:E2]
    # One attribution fewer: the other gold claim keeps its ID.
    fewer = as_annotated(export_tasks(documents(text), claims.filter(pl.col("cue") != "said")), "a@x")
    tables = import_annotations([ls_file(fewer)], texts)
    rest = adjudicate(
        tables["claim_annotations"], tables["annotated_documents"], texts, sentences(text)
    ).claims
    assert rest["claim_id"].to_list() == gold.filter(pl.col("cue") != "said")["claim_id"].to_list()


def test_overlapping_regions_of_one_role_become_one_range_in_the_gold() -> None:
    tasks = exported()
    result = tasks[0]["annotations"][0]["result"]
    region = copy.deepcopy(_first_region(tasks, "Content"))
    start, end = region["value"]["start"], region["value"]["end"]
    region["id"] = "extra"
    region["value"].update(start=start + 2, end=end + 3, text=TEXT[start + 2 : end + 3])
    cue = _first_region(tasks, "Cue")["id"]
    result += [region, {"from_id": cue, "to_id": "extra", "type": "relation", "labels": ["content"]}]
    tables = import_annotations([ls_file(tasks)], DOCS)
    gold = adjudicate(tables["claim_annotations"], tables["annotated_documents"], DOCS, sentences()).claims
    assert validate_table("claims", gold)["valid"]
    merged = gold.filter(pl.col("content_start") == start).row(0, named=True)
    assert ranges(merged["content_spans"]) == ((start, end + 3),)


# --- Refusals: nothing shifted, nothing lost -----------------------------------------------------
def _first_region(tasks: list[dict[str, Any]], label: str) -> dict[str, Any]:
    return next(
        r
        for r in tasks[0]["annotations"][0]["result"]
        if r["type"] == "labels" and r["value"]["labels"] == [label]
    )


def test_a_span_whose_offsets_do_not_match_its_text_is_rejected_never_shifted() -> None:
    tasks = exported()
    region = _first_region(tasks, "Content")
    region["value"]["start"] += 1
    region["value"]["end"] += 1
    tables = import_annotations([ls_file(tasks)], DOCS)
    rejected = tables["annotation_rejected"]
    assert rejected["reason"].to_list() == ["span_mismatch"] and rejected["level"].to_list() == [
        "attribution"
    ]
    assert "fix the offsets" in rejected["message"][0]
    assert tables["claim_annotations"].height == rule_claims().height - 1


def test_offsets_outside_the_text_are_rejected() -> None:
    tasks = exported()
    region = _first_region(tasks, "Cue")
    region["value"]["end"] = len(TEXT) + 5
    rejected = import_annotations([ls_file(tasks)], DOCS)["annotation_rejected"]
    assert rejected["reason"].to_list() == ["span_out_of_range"]


def test_utf16_offsets_from_a_browser_are_converted_only_when_they_then_match() -> None:
    text = "🙂 " + TEXT
    claims = rule_claims(text)
    tasks = as_annotated(
        export_tasks(documents(text), claims.with_columns(annotator=pl.lit("newsds-rules/x"))), "a@x"
    )
    for r in tasks[0]["annotations"][0]["result"]:
        if "start" in r.get("value", {}):
            r["value"]["start"] += 1  # the emoji is two UTF-16 code units
            r["value"]["end"] += 1
    tables = import_annotations([ls_file(tasks)], {DOC: text})
    assert tables["annotation_rejected"].height == 0
    first = tables["claim_annotations"].row(0, named=True)["cue_ranges"][0]
    assert text[first["start"] : first["end"]] == first["text"]


@pytest.mark.parametrize(
    ("edit", "reason", "level"),
    [
        (lambda t: t[0]["annotations"][0].update(was_cancelled=True), "cancelled", "pass"),
        (lambda t: t[0]["data"].update(doc_id="ffffffffffffffff"), "unknown_document", "pass"),
        (lambda t: t[0]["data"].update(text=TEXT + " More."), "text_mismatch", "pass"),
        (
            lambda t: t[0]["annotations"][0].update(completed_by={"email": "newsds-rules/0.5.0"}),
            "reserved_annotator",
            "pass",
        ),
        (
            lambda t: t[0]["annotations"][0].update(completed_by={"email": "newsds-model/1.0.0"}),
            "reserved_annotator",
            "pass",
        ),
        (
            lambda t: _first_region(t, "Claimant")["value"].update(labels=["Person"]),
            "unknown_label",
            "region",
        ),
    ],
)
def test_bad_items_are_refused_with_a_reason(edit: Any, reason: str, level: str) -> None:
    tasks = exported()
    edit(tasks)
    rejected = import_annotations([ls_file(tasks)], DOCS)["annotation_rejected"]
    assert (reason, level) in list(zip(rejected["reason"], rejected["level"], strict=True))
    assert all(rejected["message"].str.len_chars() > 20)


def test_a_region_linked_to_no_cue_and_a_cue_without_content_are_refused() -> None:
    tasks = exported()
    result = tasks[0]["annotations"][0]["result"]
    cue_id = _first_region(tasks, "Cue")["id"]
    tasks[0]["annotations"][0]["result"] = [
        r for r in result if not (r["type"] == "relation" and r["from_id"] == cue_id)
    ]
    rejected = import_annotations([ls_file(tasks)], DOCS)["annotation_rejected"]
    assert {"no_content", "unlinked_region"} <= set(rejected["reason"])


def test_a_file_that_is_not_an_export_is_one_rejected_row() -> None:
    tables = import_annotations([AnnotationFile("broken.json", b"{not json")], DOCS)
    assert tables["annotation_rejected"].select("level", "reason").rows() == [("file", "malformed")]


def test_the_latest_pass_of_an_annotator_counts_and_the_older_is_superseded() -> None:
    old = exported()
    new = exported()
    new[0]["annotations"][0]["updated_at"] = "2026-11-02T10:00:00Z"
    new[0]["annotations"][0]["result"] = [
        r
        for r in new[0]["annotations"][0]["result"]
        if not r.get("id", r.get("from_id", "")).startswith("p0")
    ]
    tables = import_annotations([ls_file(new, "b.json"), ls_file(old, "a.json")], DOCS)
    assert tables["annotation_rejected"]["reason"].to_list() == ["superseded"]
    assert tables["claim_annotations"].height == rule_claims().height - 1


@st.composite
def damaged_exports(draw: st.DrawFn) -> list[dict[str, Any]]:
    """An export of two annotators with random damage: shifted offsets, dropped links, cancellations."""
    tasks = exported("a@x") + exported("b@x")
    for task in tasks:
        annotation = task["annotations"][0]
        annotation["was_cancelled"] = draw(st.booleans()) and draw(st.booleans())
        for r in annotation["result"]:
            if r["type"] == "labels" and draw(st.integers(0, 4)) == 0:
                r["value"]["start"] += draw(st.integers(-3, 3))
        keep = [draw(st.integers(0, 5)) > 0 for _ in annotation["result"]]
        annotation["result"] = [r for r, k in zip(annotation["result"], keep, strict=True) if k]
    return tasks


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_exports())
def test_every_pass_and_every_attribution_is_accounted_for(tasks: list[dict[str, Any]]) -> None:
    tables = import_annotations([ls_file(tasks)], DOCS)
    rejected = tables["annotation_rejected"]
    passes = sum(len(t["annotations"]) for t in tasks)
    assert passes == tables["annotated_documents"].height + rejected.filter(pl.col("level") == "pass").height
    kept = [t for t in tasks if not t["annotations"][0]["was_cancelled"]]
    cues = sum(
        1
        for t in kept
        for r in t["annotations"][0]["result"]
        if r["type"] == "labels" and r["value"]["labels"] == ["Cue"]
    )
    attributions = rejected.filter(pl.col("level") == "attribution").height
    assert cues == tables["claim_annotations"].height + attributions
    for row in tables["claim_annotations"].iter_rows(named=True):  # whatever was kept slices back exactly
        for role in ("cue", "claimant", "content"):
            for r in row[f"{role}_ranges"]:
                assert TEXT[r["start"] : r["end"]] == r["text"]


# --- Agreement -------------------------------------------------------------------------------------
def test_krippendorff_alpha_matches_the_reference_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal data: alpha = 0.743.
    data = {
        "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    }
    rows = [
        {"unit": str(u), "value": str(v)}
        for vals in data.values()
        for u, v in enumerate(vals)
        if v is not None
    ]
    assert krippendorff_alpha(pl.DataFrame(rows)) == pytest.approx(0.743, abs=5e-4)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=3, max_size=3), min_size=2, max_size=25
    )
)
def test_krippendorff_alpha_agrees_with_the_krippendorff_package(units: list[list[int | None]]) -> None:
    krippendorff = pytest.importorskip("krippendorff")
    import numpy as np

    rows = [
        {"unit": str(u), "value": str(v)} for u, values in enumerate(units) for v in values if v is not None
    ]
    ours = krippendorff_alpha(pl.DataFrame(rows, schema={"unit": pl.Utf8, "value": pl.Utf8}))
    matrix = np.array([[np.nan if v is None else v for v in values] for values in units], dtype=float).T
    pairable = sum(1 for values in units if sum(v is not None for v in values) >= 2)
    distinct = {
        v for values in units if sum(x is not None for x in values) >= 2 for v in values if v is not None
    }
    if pairable == 0 or len(distinct) < 2:
        assert ours is None
    else:
        theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        assert ours == pytest.approx(theirs, abs=1e-9)


def _two_annotators(edit_b: Any = None) -> dict[str, pl.DataFrame]:
    b = exported("b@x")
    if edit_b is not None:
        edit_b(b)
    return import_annotations([ls_file(exported("a@x"), "a.json"), ls_file(b, "b.json")], DOCS)


def test_identical_annotators_agree_perfectly() -> None:
    tables = _two_annotators()
    report = agreement(tables["claim_annotations"], tables["annotated_documents"], DOCS)
    assert report["documents"] == 1 and len(report["pairs"]) == 1
    assert all(v["f"] == 1.0 for v in report["pooled"].values())
    assert report["alpha"]["cue"] == pytest.approx(1.0) and report["alpha"]["content"] == pytest.approx(1.0)


def test_disagreement_lowers_span_f1_and_alpha() -> None:
    def drop_two(tasks: list[dict[str, Any]]) -> None:
        result = tasks[0]["annotations"][0]["result"]
        tasks[0]["annotations"][0]["result"] = [
            r for r in result if not r.get("id", r.get("from_id", "")).startswith(("p0", "p1"))
        ]

    tables = _two_annotators(drop_two)
    report = agreement(tables["claim_annotations"], tables["annotated_documents"], DOCS)
    assert report["pooled"]["detected"]["f"] < 1.0
    assert report["alpha"]["cue"] < 1.0


# --- Adjudication and scores -----------------------------------------------------------------------
def test_majority_vote_keeps_what_most_annotators_marked() -> None:
    def drop_first(tasks: list[dict[str, Any]]) -> None:
        result = tasks[0]["annotations"][0]["result"]
        tasks[0]["annotations"][0]["result"] = [
            r for r in result if not r.get("id", r.get("from_id", "")).startswith("p0")
        ]

    a, b, c = exported("a@x"), exported("b@x"), exported("c@x")
    drop_first(b)
    drop_first(c)
    tables = import_annotations([ls_file(a, "a.json"), ls_file(b, "b.json"), ls_file(c, "c.json")], DOCS)
    result = adjudicate(tables["claim_annotations"], tables["annotated_documents"], DOCS, sentences())
    assert result.claims.height == rule_claims().height - 1 and result.summary["outvoted"] == 1
    assert set(result.claims["annotator"]) == {"a@x+b@x+c@x"}
    assert result.claims["claim_id"].to_list() == [
        claim_id(DOC, ranges(cue), ranges(content), kind=HUMAN)
        for cue, content in result.claims.select("cue_spans", "content_spans").iter_rows()
    ]
    assert validate_table("claims", result.claims)["valid"]
    linked = result.annotations.filter(pl.col("claim_id").is_not_null())
    assert linked.height == 3 * result.claims.height  # every agreeing annotation points at its gold claim


def test_an_adjudicator_overrides_the_others_in_the_documents_they_annotated() -> None:
    def shorten_content(tasks: list[dict[str, Any]]) -> None:
        region = _first_region(tasks, "Content")
        region["value"]["end"] -= 1
        region["value"]["text"] = region["value"]["text"][:-1]

    a, b, boss = exported("a@x"), exported("b@x"), exported("boss@x")
    shorten_content(boss)
    tables = import_annotations(
        [ls_file(a, "a.json"), ls_file(b, "b.json"), ls_file(boss, "boss.json")], DOCS
    )
    majority = adjudicate(tables["claim_annotations"], tables["annotated_documents"], DOCS, sentences())
    ruled = adjudicate(
        tables["claim_annotations"], tables["annotated_documents"], DOCS, sentences(), "adjudicator:boss@x"
    )
    assert set(ruled.claims["annotator"]) == {"boss@x"}
    assert ruled.claims["content_end"].to_list() != majority.claims["content_end"].to_list()
    with pytest.raises(AnnotationError, match="valid: 'majority'"):
        adjudicate(tables["claim_annotations"], tables["annotated_documents"], DOCS, sentences(), "vote")


def test_the_rules_score_perfectly_against_gold_that_accepted_them_and_worse_when_corrected() -> None:
    claims = rule_claims().with_columns(annotator=pl.lit("newsds-rules/x"))
    _, report = annotate([ls_file(exported())], documents(), sentences(), claims)
    assert all(v["f"] == 1.0 for v in report["rules_vs_gold"]["figures"].values())
    tasks = exported()
    region = _first_region(tasks, "Content")
    region["value"]["end"] -= 1
    region["value"]["text"] = region["value"]["text"][:-1]
    _, corrected = annotate([ls_file(tasks)], documents(), sentences(), claims)
    assert corrected["rules_vs_gold"]["figures"]["content_exact"]["f"] < 1.0
    assert corrected["rules_vs_gold"]["figures"]["cue_exact"]["f"] == 1.0


# --- The whole round trip, from the command line -----------------------------------------------------
def test_round_trip_export_annotate_build_agreement_and_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsds.cli import main
    from newsds.evaluate.claims import main_claims
    from newsds.release import load
    from tests.conftest import RAW

    raw, out, tasks_dir, annotations = (tmp_path / n for n in ("raw", "out", "tasks", "annotations"))
    raw.mkdir()
    for name in ("wikinews_crane.txt", "wikinews_flag.txt", "wikinews_korea.txt"):
        (raw / name).write_bytes((RAW / name).read_bytes())
    assert main(["build", "--raw", str(raw), "--out", str(out), "--version", "0.1.0", "--quiet"]) == 0
    assert load(root=out).annotated_documents.is_empty()  # no annotations yet: empty tables
    assert (
        main(
            [
                "annotate",
                "export",
                "--root",
                str(out),
                "--docs",
                "wikinews_crane.txt",
                "wikinews_korea.txt",
                "--out",
                str(tasks_dir),
            ]
        )
        == 0
    )
    tasks = json.loads((tasks_dir / "tasks.json").read_text())
    assert (tasks_dir / "labeling_config.xml").is_file() and len(tasks) == 2
    annotations.mkdir()
    for who in ("ann", "bea"):
        edited = as_annotated(tasks, f"{who}@example.org")
        if who == "bea":  # bea corrects a content span of the crane article and deletes another attribution
            region = _first_region(edited, "Content")
            region["value"]["end"] -= 1
            region["value"]["text"] = region["value"]["text"][:-1]
            result = edited[1]["annotations"][0]["result"]
            edited[1]["annotations"][0]["result"] = [
                r for r in result if not r.get("id", r.get("from_id", "")).startswith("p0")
            ]
        (annotations / f"{who}.json").write_text(json.dumps(edited), encoding="utf-8")
    capsys.readouterr()
    assert main(["annotate", "import", "--root", str(out), str(annotations), "--strict"]) == 0
    assert "4 passes" in capsys.readouterr().out
    assert main(["annotate", "agreement", "--root", str(out), str(annotations)]) == 0
    assert "Krippendorff's alpha" in capsys.readouterr().out

    build = [
        "build",
        "--raw",
        str(raw),
        "--out",
        str(out),
        "--version",
        "0.2.0",
        "--quiet",
        "--annotations",
        str(annotations),
    ]
    assert main(build) == 0
    rel = load("0.2.0", out)
    human = rel.human_claims
    assert human.height > 0 and set(human["annotator"]) <= {"ann@example.org+bea@example.org"}
    assert rel.claims.filter(RULE_ROWS).equals(load("0.1.0", out).claims)  # the machine rows, as they were
    assert not set(human["claim_id"]) & set(rel.claims.filter(RULE_ROWS)["claim_id"])
    assert all(cid.startswith(f"{doc}-h") for cid, doc in human.select("claim_id", "doc_id").iter_rows())
    linked = rel.claim_annotations.filter(pl.col("claim_id").is_not_null())
    assert set(linked["claim_id"]) == set(
        human["claim_id"]
    )  # provenance: every gold claim has its annotations
    report = rel.agreement
    assert (
        report["annotators"] == ["ann@example.org", "bea@example.org"] and report["documents_annotated"] == 2
    )
    assert report["agreement"]["pooled"]["detected"]["f"] < 1.0
    assert report["rules_vs_gold"]["figures"]["content_exact"]["f"] < 1.0
    assert "## Human annotations" in (rel.path / "README.md").read_text()
    assert rel.manifest["annotation_inputs"][0]["path"] == "ann.json"
    capsys.readouterr()
    assert main(build) == 0  # the same inputs rebuild byte for byte
    assert "byte-identical" in capsys.readouterr().out
    assert main(["validate", "0.2.0", "--root", str(out)]) == 0
    capsys.readouterr()
    # the evaluation command scores the same way (the release's claims are the default extractor's)
    assert main_claims(["--human", str(rel.path), "--json", "--extractors", DEFAULT_EXTRACTOR]) == 0
    scores = json.loads(capsys.readouterr().out)["human"][DEFAULT_EXTRACTOR]
    assert scores["cue_exact"]["f"] == pytest.approx(report["rules_vs_gold"]["figures"]["cue_exact"]["f"])
    assert scores["content_exact"]["f"] < 1.0


def test_import_is_strict_on_request_and_refuses_unknown_files(
    tmp_path: Path, built_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsds.cli import main

    with pytest.raises(AnnotationError, match="neither a Label Studio"):
        from newsds.annotations import read_files

        read_files(tmp_path, [tmp_path / "notes.txt"])
    assert main(["annotate", "import", str(tmp_path / "missing.json"), "--root", str(built_release)]) == 1
    assert "does not exist" in capsys.readouterr().err


# --- Exports that import as nothing, annotator ids, repeated exports, brat folders --------------------
def json_min(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What Label Studio's JSON-MIN export makes of annotated tasks: one flat record per annotation, the
    task's data fields and each control's values under its name, no region ids and no relations."""
    records = []
    for task in tasks:
        for annotation in task["annotations"]:
            record: dict[str, Any] = {**task["data"], "id": task["id"]}
            for r in annotation["result"]:
                if r["type"] != "relation":
                    record.setdefault(r["from_name"], []).append(r["value"])
            record.update(
                annotator=annotation["completed_by"]["email"],
                annotation_id=annotation["id"],
                created_at=annotation["created_at"],
                updated_at=annotation["updated_at"],
                lead_time=12.5,
            )
            records.append(record)
    return records


def standard(tasks: list[dict[str, Any]], user: int) -> list[dict[str, Any]]:
    """A standard JSON export of the same annotations: `completed_by` is the bare user id."""
    out = copy.deepcopy(tasks)
    for task in out:
        for annotation in task["annotations"]:
            annotation["completed_by"] = user
    return out


def snapshot(tasks: list[dict[str, Any]], user: int, email: str) -> list[dict[str, Any]]:
    """A snapshot export with annotator details: `completed_by` is the user object."""
    out = copy.deepcopy(tasks)
    for task in out:
        for annotation in task["annotations"]:
            annotation["completed_by"] = {"id": user, "first_name": "", "last_name": "", "email": email}
    return out


def test_json_min_export_is_refused_not_silently_empty() -> None:
    records = json_min(exported("a@x") + exported("b@x"))
    assert len(records) == 2 and "annotations" not in records[0] and records[0]["role"]
    tables = import_annotations([ls_file(records, "min.json")], DOCS)
    assert tables["annotated_documents"].is_empty() and tables["claim_annotations"].is_empty()
    rejected = tables["annotation_rejected"]
    assert rejected.select("level", "reason", "source_file").rows() == [("file", "malformed", "min.json")]
    assert "JSON-MIN" in rejected["message"][0] and 'as "JSON" instead' in rejected["message"][0]


@pytest.mark.parametrize(
    ("tasks", "says"),
    [
        ([], "holds no tasks"),
        ([{"id": 1, "data": {"doc_id": DOC, "text": TEXT}, "predictions": []}], "tasks without annotations"),
        ([{"id": 1, "data": {"doc_id": DOC, "text": TEXT}, "annotations": []}], "no annotator has submitted"),
    ],
)
def test_a_file_that_yields_no_annotation_is_refused_with_a_reason(
    tasks: list[dict[str, Any]], says: str
) -> None:
    rejected = import_annotations([ls_file(tasks)], DOCS)["annotation_rejected"]
    assert rejected.select("level", "reason").rows() == [("file", "malformed")]
    assert says in rejected["message"][0]
    # the tasks file `newsds annotate export` writes is the same mistake
    written = export_tasks(documents(), rule_claims())
    rejected = import_annotations([ls_file(written)], DOCS)["annotation_rejected"]
    assert "tasks without annotations" in rejected["message"][0]


def test_json_min_export_fails_import_strict(
    tmp_path: Path, built_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsds.cli import main

    path = tmp_path / "project-1-at-2026-11-01-min.json"
    path.write_text(json.dumps(json_min(release_export(built_release, "a@x"))), encoding="utf-8")
    capsys.readouterr()
    assert main(["annotate", "import", "--root", str(built_release), str(path), "--strict"]) == 1
    out = capsys.readouterr().out
    assert "imported 0 passes" in out and "1 items refused" in out and "JSON-MIN" in out


def release_export(root: Path, who: str) -> list[dict[str, Any]]:
    """An annotated export of the first document of a built release (the rules' claims accepted)."""
    from newsds.release import load

    rel = load(root=root)
    docs = rel.documents.sort("doc_id").head(1)
    return as_annotated(export_tasks(docs, rel.claims.filter(pl.col("doc_id") == docs["doc_id"][0])), who)


def test_unknown_policy_target_fails_and_lists_the_annotator_ids(
    tmp_path: Path, built_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsds.annotations import UnknownAnnotatorError
    from newsds.cli import main
    from newsds.errors import NewsdsError

    tables = import_annotations([ls_file(standard(exported(), 3))], DOCS)
    assert tables["annotated_documents"]["annotator"].to_list() == ["label-studio:3"]
    with pytest.raises(UnknownAnnotatorError, match="label-studio:3") as raised:
        adjudicate(
            tables["claim_annotations"],
            tables["annotated_documents"],
            DOCS,
            sentences(),
            "adjudicator:b@example.org",
        )
    assert isinstance(raised.value, NewsdsError)
    ruled = adjudicate(
        tables["claim_annotations"],
        tables["annotated_documents"],
        DOCS,
        sentences(),
        "adjudicator:label-studio:3",
    )
    assert set(ruled.claims["annotator"]) == {"label-studio:3"}
    # from the command line: a clean error naming the ids there are, not majority with exit 0
    path = tmp_path / "export.json"
    path.write_text(json.dumps(standard(release_export(built_release, "x@x"), 3)), encoding="utf-8")
    capsys.readouterr()
    args = [
        "annotate",
        "adjudicate",
        "--root",
        str(built_release),
        str(path),
        "--out",
        str(tmp_path / "g.parquet"),
    ]
    assert main([*args, "--policy", "adjudicator:b@example.org"]) == 1
    err = capsys.readouterr().err
    assert "error:" in err and "label-studio:3" in err and "Traceback" not in err
    assert not (tmp_path / "g.parquet").exists()


def test_one_person_in_a_standard_and_a_snapshot_export_counts_once() -> None:
    b, c = exported("b@example.org"), exported("c@example.org")
    c[0]["annotations"][0]["id"] = 200
    files = [
        ls_file(standard(b, 7) + standard(c, 8), "standard.json"),
        ls_file(snapshot(b, 7, "b@example.org") + snapshot(c, 8, "c@example.org"), "snapshot.json"),
    ]
    tables = import_annotations(files, DOCS)
    assert tables["annotation_rejected"].is_empty()
    assert tables["annotated_documents"]["annotator"].to_list() == ["b@example.org", "c@example.org"]
    assert tables["claim_annotations"].height == 2 * rule_claims().height
    # Label Studio's created_username ("[name ]email, id") names the e-mail in a standard export alone
    named = standard(b, 7)
    named[0]["annotations"][0]["created_username"] = "Bea Berg b@example.org, 7"
    tables = import_annotations([ls_file(named)], DOCS)
    assert tables["annotated_documents"]["annotator"].to_list() == ["b@example.org"]
    # an id that two files give two e-mails (two Label Studio instances) stays the bare id
    other = snapshot(exported(), 7, "z@example.org")
    other[0]["annotations"][0]["id"] = 300
    files = [ls_file(standard(b, 7), "s.json"), ls_file(snapshot(b, 7, "b@example.org"), "b.json")]
    tables = import_annotations([*files, ls_file(other, "z.json")], DOCS)
    assert sorted(tables["annotated_documents"]["annotator"]) == [
        "b@example.org",
        "label-studio:7",
        "z@example.org",
    ]


def test_importing_two_exports_of_the_same_project_is_idempotent() -> None:
    once = import_annotations([ls_file(exported(), "a.json")], DOCS)
    twice = import_annotations([ls_file(exported(), "a.json"), ls_file(exported(), "b.json")], DOCS)
    assert twice["annotation_rejected"].is_empty()
    assert twice["annotated_documents"].height == 1
    assert twice["claim_annotations"].equals(once["claim_annotations"])
    # a genuinely later revision of the same annotation still supersedes the earlier one
    later = exported()
    later[0]["annotations"][0]["updated_at"] = "2026-11-03T09:00:00Z"
    tables = import_annotations([ls_file(exported(), "a.json"), ls_file(later, "b.json")], DOCS)
    assert tables["annotation_rejected"].select("source_file", "reason").rows() == [("a.json", "superseded")]
    assert "again later" in tables["annotation_rejected"]["message"][0]
    # the same id and time with different content is no copy: refused, and said so
    edited = exported()
    region = _first_region(edited, "Content")["value"]
    region["end"] -= 1
    region["text"] = region["text"][:-1]
    tables = import_annotations([ls_file(exported(), "a.json"), ls_file(edited, "b.json")], DOCS)
    assert tables["annotation_rejected"]["reason"].to_list() == ["superseded"]
    assert "same time" in tables["annotation_rejected"]["message"][0]


def test_importing_two_exports_of_the_same_project_passes_import_strict(
    tmp_path: Path, built_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsds.cli import main

    for name in ("export-1.json", "export-2.json"):
        (tmp_path / name).write_text(json.dumps(release_export(built_release, "a@x")), encoding="utf-8")
    capsys.readouterr()
    assert main(["annotate", "import", "--root", str(built_release), str(tmp_path), "--strict"]) == 0
    assert "imported 1 passes" in capsys.readouterr().out


def test_brat_annotator_comes_from_the_folder_that_holds_the_file(tmp_path: Path) -> None:
    from newsds.annotations import read_files

    alice = tmp_path / "bratann" / "alice"
    alice.mkdir(parents=True)
    (alice / f"{DOC}.ann").write_text(brat.export_document(TEXT, rule_claims()), encoding="utf-8")
    (alice / f"{DOC}.txt").write_text(TEXT, encoding="utf-8")
    for files in (
        read_files(tmp_path / "bratann"),  # the annotators' parent folder
        read_files(alice),  # the annotator's own folder
        read_files(alice, [alice / f"{DOC}.ann"]),  # the files
    ):
        assert [f.path for f in files] == [f"alice/{DOC}.ann"]
        tables = import_annotations(files, DOCS)
        assert tables["annotation_rejected"].is_empty()
        assert set(tables["annotated_documents"]["annotator"]) == {"alice"}
        assert tables["claim_annotations"].height == rule_claims().height
    # a file in no folder: the refusal says what to pass
    loose = AnnotationFile(f"{DOC}.ann", (alice / f"{DOC}.ann").read_bytes(), TEXT)
    rejected = import_annotations([loose], DOCS)["annotation_rejected"]
    assert rejected["reason"].to_list() == ["reserved_annotator"]
    assert "folder named after them" in rejected["message"][0]


def test_brat_annotator_folder_or_files_on_the_command_line(
    tmp_path: Path, built_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsds.cli import main
    from newsds.release import load

    rel = load(root=built_release)
    doc, text = rel.documents.sort("doc_id").select("doc_id", "text").row(0)
    alice = tmp_path / "bratann" / "alice"
    alice.mkdir(parents=True)
    claims = rel.claims.filter((pl.col("doc_id") == doc) & RULE_ROWS)
    (alice / f"{doc}.ann").write_text(brat.export_document(text, claims), encoding="utf-8")
    (alice / f"{doc}.txt").write_text(text, encoding="utf-8")
    for named in ([alice.parent], [alice], [alice / f"{doc}.ann"], [alice, alice / f"{doc}.ann"]):
        capsys.readouterr()
        args = ["annotate", "import", "--root", str(built_release), *map(str, named), "--strict"]
        assert main(args) == 0, capsys.readouterr().out
        out = capsys.readouterr().out
        assert "imported 1 passes" in out and "0 items refused" in out
