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

    __slots__ = ("_ends", "_flags")

    def __init__(self, text: str) -> None:
        ends, flags = [0], [False]  # flags[i]: inside a quotation from ends[i] on
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
            flags.append(opened > closed or straight % 2 == 1 or doubled % 2 == 1)
        self._ends, self._flags = ends, flags

    def inside(self, x: int) -> bool:
        """Whether character x sits inside a quotation opened earlier in its paragraph: more curly opens
        than closes before it, or an odd number of straight or doubled single quotes."""
        return self._flags[bisect_right(self._ends, x) - 1]

    def inside_each(self, xs: list[int]) -> list[bool]:
        """`inside` of each of the ascending positions xs, in one walk (a sentence's token starts)."""
        if not xs:
            return []
        ends, flags, last = self._ends, self._flags, len(self._ends) - 1
        i = bisect_right(ends, xs[0]) - 1
        out = []
        for x in xs:
            while i < last and ends[i + 1] <= x:
                i += 1
            out.append(flags[i])
        return out
