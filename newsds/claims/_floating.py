"""Floating quotations: a paragraph that is one quotation, with no cue of its own, right after a paragraph
whose last attribution has a claimant is that claimant's claim ('Smith said the plan was late.' then
'"We are doing all we can."'). News writing attributes such paragraphs by context to the previous speaker;
they are direct claims with no cue, and the claimant they continue as `claimant_resolved`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from newsds.claims._claim import Claim, Range
from newsds.claims._quotes import QuoteState

# A whole paragraph in quotation marks: it opens with one, and it closes with one or runs on (a quotation
# that goes on over several paragraphs leaves each but the last unclosed).
_PARAGRAPH = re.compile(r"[^\n]+")
_OPENS = ("“", '"')
_CLOSES = ("”", '"')


def _quotation(text: str, start: int, end: int, quotes: QuoteState) -> Range | None:
    """The quotation filling text[start:end] (one paragraph), or None when the paragraph is not one."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < 3 or not text.startswith(_OPENS, start):
        return None
    inner = text[start + 1 : end - 1]
    if text.endswith(_CLOSES, start, end):  # closed at the end: no mark may close it earlier
        closes_early = "”" in inner if text[start] == "“" else '"' in inner
        return None if closes_early else (start, end)
    # Unclosed: the quotation runs on to the next paragraph, and nothing in this one may close it.
    if quotes.inside(end) and "”" not in text[start:end] and text.count('"', start, end) == 1:
        return (start, end)
    return None


def floating_quotes(
    text: str, sentences: Sequence[tuple[int, int]], quotes: QuoteState, found: Sequence[Claim]
) -> list[Claim]:
    """The floating quotations of one text, given the claims found in it."""
    if not found or "\n" not in text:
        return []
    starts = [s for s, _ in sentences]
    anchors = sorted(((c.cue[0][0], c) for c in found if c.cue), key=lambda a: a[0])
    positions = [a for a, _ in anchors]
    covered = sorted(r for c in found for r in (*c.cue, *c.content))
    speaker: Claim | None = None  # the claim a floating quotation would continue
    out: list[Claim] = []
    for m in _PARAGRAPH.finditer(text):
        start, end = m.span()
        own = [c for _, c in anchors[bisect_right(positions, start - 1) : bisect_right(positions, end - 1)]]
        if own:  # a paragraph with cues of its own: its last claimant speaks on
            speaker = next((c for c in reversed(own) if c.claimant or c.resolved), None)
            continue
        span = _quotation(text, start, end, quotes)
        if span is None:
            speaker = None
        elif any(s < end and start < e for s, e in covered[: bisect_right(covered, (end, end))]):
            continue  # already an earlier claim's content: the same speaker goes on
        elif speaker is not None:
            index = max(0, bisect_right(starts, span[0]) - 1)
            name = text[speaker.claimant[0][0] : speaker.claimant[-1][1]] if speaker.claimant else None
            resolved = name or speaker.resolved
            speaker = Claim(index, (), (), (span,), "assert", "direct", speaker.annotator, resolved)
            out.append(speaker)
    return out
