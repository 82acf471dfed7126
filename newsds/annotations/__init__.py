"""Human annotation of claims: export tasks, import annotations, measure agreement, adjudicate.

The workflow (docs/annotation.md): `export_tasks` + `labeling_config` for Label Studio (or
`brat.export_document` for brat) -> annotators work -> their exports go under data/annotations/ ->
the build imports them (`import_annotations`), measures `agreement`, `adjudicate`s them into gold
claims that sit in the release beside the machine ones (the model's or the rules'), and scores those
against that gold.
"""

from __future__ import annotations

from newsds.annotations.adjudicate import Adjudication, UnknownAnnotatorError, adjudicate, check_policy
from newsds.annotations.agreement import agreement, krippendorff_alpha
from newsds.annotations.imports import AnnotationFile, import_annotations, read_files
from newsds.annotations.label_studio import export_tasks, labeling_config
from newsds.annotations.stage import RULES, annotate
from newsds.defaults import DEFAULT_POLICY

__all__ = [
    "DEFAULT_POLICY",
    "RULES",
    "Adjudication",
    "AnnotationFile",
    "UnknownAnnotatorError",
    "adjudicate",
    "agreement",
    "annotate",
    "check_policy",
    "export_tasks",
    "import_annotations",
    "krippendorff_alpha",
    "labeling_config",
    "read_files",
]
