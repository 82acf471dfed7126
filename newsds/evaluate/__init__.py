"""Evaluation of newsds against gold data: `python -m newsds.evaluate html` (sentences, claims to come).

Kept out of the build path on purpose: it imports benchmark-only libraries (trafilatura, newspaper4k)
lazily, so `import newsds` never needs them.
"""

from __future__ import annotations

from newsds.evaluate.common import GoldNotFoundError
from newsds.evaluate.html import evaluate_html, format_table, visible_text
from newsds.evaluate.metrics import macro_prf, token_prf

__all__ = ["GoldNotFoundError", "evaluate_html", "format_table", "macro_prf", "token_prf", "visible_text"]
