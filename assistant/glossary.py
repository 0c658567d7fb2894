"""Spanish → English query expansion from a bilingual procurement glossary.

Officials ask in Spanish about English reviews. BM25 and the English embedding model cannot match
"licitación" to "tender"; the glossary can. Pure functions: load a TSV, then rewrite a question
into English search terms (longest phrase first, accent- and case-insensitive). Words the glossary
does not know are kept when they look like names or acronyms (IMSS, ChileCompra, 2015).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from assistant.termfile import Terms, load_terms, parse_terms, segment, words
from indexer.store import stemmer

DEFAULT_GLOSSARY = Path(__file__).resolve().parent / "data" / "glossary_es_en.tsv"

_EXTRA_STOPWORDS = frozenset("""
a al algo algunas algunos ante antes como con contra cual cuales cuál cuáles cuando cuándo de del desde donde dónde
durante e el ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto estos fue ha han hasta hay
la las le les lo los mas más me mi mis muy no nos o otra otras otro otros para pero por porque que qué quien quienes
quién quiénes se sea ser si sí sin sobre su sus también tiene tienen u un una unas uno unos y ya puede pueden podría
podrían debe deben debería deberían hace hacer hizo qué cómo como cuál es son está están según respecto través
dar dan da tipo tipos manera forma mismo misma sido será serían cada tan tanto normalmente ya aún todavía
""".split())


@lru_cache(maxsize=1)
def spanish_stopwords() -> frozenset[str]:
    """bm25s's Spanish list plus question words, accent-folded."""
    from bm25s.stopwords import STOPWORDS_SPANISH

    return frozenset(fold(w) for w in (*STOPWORDS_SPANISH, *_EXTRA_STOPWORDS))


def fold(text: str) -> str:
    """Lower case without accents, so 'Licitación' and 'licitacion' match the same entry."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


def key_of(word: str) -> str:
    """Matching key of a word: folded and Spanish-stemmed, so certificada ~ certificado ~ certificar."""
    return stemmer("spanish").stemWord(fold(word))


def parse_glossary(text: str) -> Terms:
    """Entries keyed by the folded, stemmed Spanish phrase as a tuple of words."""
    return parse_terms(text, key_of)


@lru_cache(maxsize=8)
def load_glossary(paths: tuple[str, ...] = (str(DEFAULT_GLOSSARY),)) -> Terms:
    return load_terms(paths, key_of)


def translate(question: str, glossary: Terms) -> tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """One pass over a Spanish question: its English search terms (glossary translations plus names
    and numbers) and the glossary phrases it used, as typed, each with its English terms:
    ``("staff turnover IMSS", (("rotación de personal", ("staff turnover",)),))``."""
    found = words(question)
    parts = segment([key_of(w) for w in found], glossary)
    ends = [i for i, _ in parts[1:]] + [len(found)]
    out: list[str] = []
    used = []
    for (i, targets), end in zip(parts, ends):
        w = found[i]
        if targets is not None:
            out.extend(targets)
            used.append((" ".join(found[i:end]), tuple(targets)))
        elif fold(w) not in spanish_stopwords() and (w[:1].isupper() or any(c.isdigit() for c in w)):
            out.append(w)
    return " ".join(out), tuple(used)


def matches(question: str, glossary: Terms) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The glossary phrases of a Spanish question, as typed, each with its English terms."""
    return translate(question, glossary)[1]


def expand(question: str, glossary: Terms) -> str:
    """English search terms for a Spanish question: glossary translations plus names and numbers."""
    return translate(question, glossary)[0]
