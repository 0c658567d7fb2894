"""English query expansion: everyday words → the terms the reviews use.

Questions say "who wins the bid" or "the buying office"; the reviews say "contract award" and "the
purchasing unit". BM25 cannot match those, and the small English encoder matches them weakly. A
thesaurus (a TSV in ``data/``, extendable by trainers with ``KB_THESAURUS_EXTRA``) appends the
review terms to the question; the question itself is kept. Pure functions, as in ``glossary``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from assistant.termfile import Terms, load_terms, parse_terms, segment, words
from indexer.store import stemmer

DEFAULT_THESAURUS = Path(__file__).resolve().parent / "data" / "thesaurus_en.tsv"


def key_of(word: str) -> str:
    """Matching key of a word: lower case, English-stemmed (bid ~ bids, hire ~ hiring)."""
    return stemmer("english").stemWord(word.lower())


def parse_thesaurus(text: str) -> Terms:
    """Entries keyed by the stemmed English phrase as a tuple of words."""
    return parse_terms(text, key_of)


@lru_cache(maxsize=8)
def load_thesaurus(paths: tuple[str, ...] = (str(DEFAULT_THESAURUS),)) -> Terms:
    return load_terms(paths, key_of)


def expansions(question: str, thesaurus: Terms) -> list[str]:
    """Review terms for the phrases of ``question`` the thesaurus knows, longest phrase first."""
    out: list[str] = []
    for _, targets in segment([key_of(w) for w in words(question)], thesaurus):
        out.extend(t for t in targets or () if t not in out)
    return out


def expand(question: str, thesaurus: Terms) -> str:
    """The question followed by the review terms its words stand for."""
    extra = expansions(question, thesaurus)
    return f"{question} {' '.join(extra)}" if extra else question
