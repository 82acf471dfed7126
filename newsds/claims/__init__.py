"""Claims: who (claimant) says (cue) what (content), with a stance and a kind.

The public names of the claims stage. Behind them: `lexicon` (the word lists), `_rules` (tokens, cues,
claimants over one sentence), `_drafts` (each cue's token spans) and `_extract` (drafts to rows, quotations
across sentences, claimant resolution, the claims table).
"""

from newsds.claims._extract import (
    CLAIM_COLUMNS,
    CLAIMS_SCHEMA,
    KINDS,
    RULE_ROWS,
    RULES_PREFIX,
    RULESET_VERSION,
    STANCES,
    claim_kind,
    claims_table,
    extract_claims,
)

__all__ = [
    "CLAIMS_SCHEMA",
    "CLAIM_COLUMNS",
    "KINDS",
    "RULESET_VERSION",
    "RULES_PREFIX",
    "RULE_ROWS",
    "STANCES",
    "claim_kind",
    "claims_table",
    "extract_claims",
]
