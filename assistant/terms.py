"""Content terms of questions and sentences: stemmed words that carry meaning, in either language.

Shared by sentence choice (``assistant.answer``), the kind-of-answer rules (``assistant.coverage``)
and the knowledge base's key terms (``KnowledgeBase.key_terms``). Pure functions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _stemming() -> tuple[frozenset[str], object]:
    """Stopwords of both languages (bm25s's lists) and the English Snowball stemmer (PyStemmer)."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_SPANISH

    from indexer.store import stemmer

    return frozenset(STOPWORDS_EN_PLUS) | frozenset(STOPWORDS_SPANISH), stemmer("english")


def content_terms(text: str) -> frozenset[str]:
    """Stemmed words that carry meaning (stopwords of either language dropped)."""
    stop, stemmer = _stemming()
    return frozenset(stemmer.stemWords([w for w in _WORD.findall(text.lower()) if w not in stop]))


def term_counts(texts: Iterable[str]) -> tuple[Counter, int]:
    """How many of ``texts`` hold each content term (``content_terms`` of each, counted once a text),
    and how many texts there were: one pass that keeps no text's terms and stems each distinct word
    once (a million passages' terms in seconds, not minutes)."""
    stop, stemmer = _stemming()
    stem_of: dict[str, str] = dict.fromkeys(stop, "")  # a stopword has no term
    counts: Counter = Counter()
    n = 0
    for text in texts:
        n += 1
        words = set(_WORD.findall(text.lower()))
        new = [w for w in words if w not in stem_of]
        stem_of.update(zip(new, stemmer.stemWords(new)))
        counts.update({stem_of[w] for w in words} - {""})
    return counts, n


@lru_cache(maxsize=1)
def frame_terms() -> frozenset[str]:
    """Words that frame a question rather than say what it is about ("What does the OECD recommend
    for IMSS ...?"): matching them would favour any sentence that names the OECD or a recommendation."""
    return content_terms("OECD IMSS review reviews recommend recommendation propose proposal suggest advise say "
                         "according institute many much number year date month when")


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared share of two term sets (1.0 for two empty sets: nothing tells them apart)."""
    return len(a & b) / len(a | b) if a or b else 1.0
