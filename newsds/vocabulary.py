"""The closed vocabularies of the tables: what a column may hold. The schemas (core) check them; the
stages that fill the columns (`newsds.sentences`, `newsds.claims`, `newsds.annotations`) and the release's
card and report read them from here, so no lower layer imports a stage.
"""

from __future__ import annotations

import polars as pl

SENTENCE_KINDS = ("body", "heading", "faq_question", "faq_answer", "list_item", "caption")
CLAIM_KINDS = ("direct", "indirect", "mixed", "according_to")
STANCES = ("assert", "deny", "doubt")
SPANS = pl.List(pl.Struct({"start": pl.Int64(), "end": pl.Int64()}))  # a role's ranges, in text order
CLAIM_LANGUAGES = ("en",)  # where the extractors are valid: other documents get no claims
RULES_PREFIX = "newsds-"  # annotator ids reserved for newsds's own extractors (the model, the rules)
RULE_ROWS = pl.col("annotator").str.starts_with(RULES_PREFIX)  # machine rows, not people's
# The agreement and scoring figures, in the order reports list them.
FIGURES = (
    "detected",
    "cue_exact",
    "cue_token",
    "source_exact",
    "source_token",
    "content_exact",
    "content_token",
)
