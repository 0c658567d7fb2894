"""Judge relevance by evidence text, not by passage ids.

Rule: a passage is relevant to a question when, after ``normalise`` (lower case; curly quotes,
dashes and non-breaking spaces unified; Markdown emphasis ``*`` dropped; whitespace collapsed),
it contains at least 60 % (``MIN_SHARE``) of one evidence quote as one contiguous run of
characters. Judging by text keeps the gold set valid when chunking changes passage ids, and the
60 % run lets a quote that a passage boundary cuts in two still count for both halves' passages.

The run is the longest common substring of quote and passage (``difflib.SequenceMatcher`` with
``autojunk=False``, which is exact). A pigeonhole pre-filter skips most passages cheaply: a common
run of ``need`` characters must contain one whole aligned block of ``need // 2`` quote characters,
so when no such block occurs in the passage (a fast ``in`` test) there is no match.
"""

from __future__ import annotations

import math
import re
from difflib import SequenceMatcher
from typing import Iterable

MIN_SHARE = 0.6
"""Share of a quote that must appear as one contiguous run in a passage."""

_UNIFY = str.maketrans({
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u3000", " "),
    "*": None,
    "\u00ad": None,  # soft hyphen: invisible in the source, would split a run
})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Canonical form for matching, so typography and Markdown emphasis don't decide relevance."""
    return _SPACE.sub(" ", text.lower().translate(_UNIFY)).strip()


def needed_run(quote: str, share: float = MIN_SHARE) -> int:
    """Characters of ``quote`` (normalised) that must match contiguously."""
    return max(1, math.ceil(share * len(quote)))


def longest_run(quote: str, text: str) -> int:
    """Length of the longest contiguous run of ``quote`` found in ``text`` (both normalised)."""
    if not quote or not text:
        return 0
    m = SequenceMatcher(None, quote, text, autojunk=False).find_longest_match(0, len(quote), 0, len(text))
    return m.size


def _may_match(quote: str, text: str, need: int) -> bool:
    """Cheap necessary condition for a common run of ``need`` characters (pigeonhole on blocks)."""
    if need > len(text):
        return False
    block = need // 2
    if block < 1:
        return True
    return any(quote[i:i + block] in text for i in range(0, len(quote) - block + 1, block))


def quote_matches(quote: str, text: str, share: float = MIN_SHARE) -> bool:
    """True when normalised ``text`` holds ``share`` of normalised ``quote`` as one run."""
    if not quote:
        return False
    if quote in text:
        return True
    need = needed_run(quote, share)
    return _may_match(quote, text, need) and longest_run(quote, text) >= need


def matched_quotes(quotes: Iterable[str], text: str, share: float = MIN_SHARE) -> frozenset[int]:
    """Indices of the (normalised) quotes that (normalised) ``text`` matches."""
    return frozenset(i for i, q in enumerate(quotes) if quote_matches(q, text, share))


def is_relevant(evidence: Iterable[str], passage_text: str, share: float = MIN_SHARE) -> bool:
    """The rule on raw strings: does the passage match at least one evidence quote?"""
    text = normalise(passage_text)
    return any(quote_matches(normalise(q), text, share) for q in evidence)


def judge(evidence: dict[str, list[str]], passages: dict[str, str],
          share: float = MIN_SHARE) -> dict[str, dict[str, frozenset[int]]]:
    """For each question, the passages it finds relevant and which of its quotes each one matches.

    ``evidence`` maps question id to raw quotes, ``passages`` passage id to raw text. Judging the
    whole (small) index once makes the relevance judgements independent of any run, as ranx needs.
    """
    texts = {pid: normalise(t) for pid, t in passages.items()}
    out: dict[str, dict[str, frozenset[int]]] = {}
    for qid, quotes in evidence.items():
        norm = [normalise(q) for q in quotes]
        hits = {pid: matched_quotes(norm, text, share) for pid, text in texts.items()} if norm else {}
        out[qid] = {pid: m for pid, m in hits.items() if m}
    return out
