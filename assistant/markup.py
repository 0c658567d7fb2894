"""Markdown emphasis in document text: read it out for display, strip it for plain text.

Passages keep their source text verbatim (``*per se*``, ``**April 2018**``): that is what quotes and
their offsets refer to. What users see is rendered instead: ``parse`` gives the text without the
emphasis markers, the emphasised runs and a map from source offsets to plain offsets, so quoted
spans still land on the same words. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EMPHASIS = re.compile(r"(?<![\w*\\])(\*\*|\*|__|_)(?=[^\s*_])(.+?)(?<=[^\s*_\\])\1(?![\w*])", re.DOTALL)
"""``**bold**``, ``*em*``, ``__bold__``, ``_em_``: markers hugging their words, not inside a word
(so "file_name" and "3 * 4" stay as they are)."""


@dataclass(frozen=True)
class Marked:
    """Text without its emphasis markers, what was emphasised, and where each source offset went."""

    plain: str
    runs: tuple[tuple[int, int, str], ...]  # (start, end, "strong" | "em") in ``plain``
    offsets: tuple[int, ...]  # source offset i -> plain offset (len(source) + 1 entries)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A source span ``[start, end)`` in plain offsets (clamped to the text)."""
        last = len(self.offsets) - 1
        return self.offsets[max(0, min(start, last))], self.offsets[max(0, min(end, last))]


def parse(text: str) -> Marked:
    """``text`` with emphasis markers removed, the emphasised runs and the offset map."""
    drop = [False] * len(text)
    source_runs = []
    for m in _EMPHASIS.finditer(text):
        n = len(m.group(1))
        for i in (*range(m.start(), m.start() + n), *range(m.end() - n, m.end())):
            drop[i] = True
        source_runs.append((m.start() + n, m.end() - n, "strong" if n == 2 else "em"))
    offsets, kept = [], 0
    for flag in drop:
        offsets.append(kept)
        kept += not flag
    offsets.append(kept)
    plain = "".join(c for c, flag in zip(text, drop) if not flag)
    return Marked(plain, tuple((offsets[s], offsets[e], kind) for s, e, kind in source_runs), tuple(offsets))


def plain(text: str) -> str:
    """``text`` as plain text: emphasis markers gone ("**April 2018**" -> "April 2018")."""
    return parse(text).plain
