"""Where the quotations of a text are: which characters sit inside one opened earlier in their paragraph.

Why: PolNeAR annotates the speaker's attribution, not the reports nested inside a quotation ('"I told him, you
are not listening"'), so every cue is tested against it. Counting marks from the paragraph start for every
cue is quadratic on a long paragraph (a 10 MB article never finished); here the marks and line breaks are
found once per text, their running counts kept per paragraph, and each test is a binary search.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_MARK = re.compile(r"\n|“|”|''|\"")


class QuoteState:
    """Quotation marks of one text, counted from each paragraph's start: curly opens, curly closes,
    straight double quotes and doubled single quotes (as `str.count` counts them, without overlaps)."""

    __slots__ = ("_counts", "_ends")

    def __init__(self, text: str) -> None:
        ends, counts = [0], [(0, 0, 0, 0)]
        opened = closed = straight = doubled = 0
        for m in _MARK.finditer(text):
            mark = m.group()
            if mark == "\n":
                opened = closed = straight = doubled = 0
            elif mark == "“":
                opened += 1
            elif mark == "”":
                closed += 1
            elif mark == '"':
                straight += 1
            else:
                doubled += 1
            ends.append(m.end())
            counts.append((opened, closed, straight, doubled))
        self._ends, self._counts = ends, counts

    def inside(self, x: int) -> bool:
        """Whether character x sits inside a quotation opened earlier in its paragraph: more curly opens
        than closes before it, or an odd number of straight or doubled single quotes."""
        opened, closed, straight, doubled = self._counts[bisect_right(self._ends, x) - 1]
        return opened > closed or straight % 2 == 1 or doubled % 2 == 1
