"""Claims: who (claimant) says (cue) what (content), with a stance and a kind.

The public names of the claims stage. Behind them: `_table` (one text or a documents table, the extractor
registry, stable IDs), `_model` (the learned extractor, the default) and `_train` (its training), `_extract`
(the rule extractor, whose drafts are also the model's features: `_rules`, `_drafts`, `lexicon`),
`_floating` (quoted paragraphs that continue an earlier claimant) and `_claim` (the Claim record and the
table's columns).
"""

from newsds.claims._claim import CLAIM_COLUMNS, CLAIMS_SCHEMA, Claim, claim_kind
from newsds.claims._extract import RULESET_VERSION
from newsds.claims._model import MODEL_VERSION, shipped_model
from newsds.claims._table import EXTRACTORS, check_extractor, claims_table, extract_claims, extractor_lineage
from newsds.claims._train import GoldAttribution, GoldText, gold_from_claims, read_gold_jsonl, train
from newsds.defaults import ALGORITHMS, DEFAULT_EXTRACTOR, DEFAULT_TRAINING
from newsds.vocabulary import CLAIM_KINDS as KINDS
from newsds.vocabulary import CLAIM_LANGUAGES as LANGUAGES
from newsds.vocabulary import RULE_ROWS, RULES_PREFIX, SPANS, STANCES

__all__ = [
    "ALGORITHMS",
    "CLAIMS_SCHEMA",
    "CLAIM_COLUMNS",
    "DEFAULT_EXTRACTOR",
    "DEFAULT_TRAINING",
    "EXTRACTORS",
    "KINDS",
    "LANGUAGES",
    "MODEL_VERSION",
    "RULESET_VERSION",
    "RULES_PREFIX",
    "RULE_ROWS",
    "SPANS",
    "STANCES",
    "Claim",
    "GoldAttribution",
    "GoldText",
    "check_extractor",
    "claim_kind",
    "claims_table",
    "extract_claims",
    "extractor_lineage",
    "gold_from_claims",
    "read_gold_jsonl",
    "shipped_model",
    "train",
]
