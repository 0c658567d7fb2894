"""Tell Spanish questions from English ones, offline.

The reviews are in English but users ask in English or Spanish; the answer layer needs the
question's language to word its own messages. ``py3langid`` (a maintained fork of langid.py that
ships its model inside the wheel, 4.5 MB, no download) restricted to the two languages does the
work. Very short inputs ("IMSS", "procurement") give it little to go on, so below
``MIN_CONFIDENCE`` Spanish-only characters decide and English, the corpus language, is the default.
English questions often carry Spanish names ("What is the Comisión Federal de Electricidad?"), so
opening ¿/¡ and a clear majority of one language's function words (bm25s's stopword lists) come
first: they are what a reader goes by too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Lang = Literal["es", "en"]
LANGUAGES: tuple[str, ...] = ("en", "es")
MIN_CONFIDENCE = 0.7
"""Below this py3langid probability the guess is too weak to trust on its own (one-word queries)."""
STOPWORD_MARGIN = 2
"""Function words of one language must outnumber the other's by this much to decide alone."""
_SPANISH_MARKS = re.compile(r"[¿¡ñÑáéíóúÁÉÍÓÚü]")
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _identifier():
    """The py3langid model, loaded once (about 1 s) and limited to English and Spanish."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LANGUAGES))
    return ident


@lru_cache(maxsize=1)
def _stopwords() -> tuple[frozenset[str], frozenset[str]]:
    """English and Spanish function words, without the few the two lists share ("a", "no")."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_SPANISH

    en, es = set(STOPWORDS_EN_PLUS), set(STOPWORDS_SPANISH)
    return frozenset(en - es), frozenset(es - en)


def stopword_votes(text: str) -> tuple[int, int]:
    """(English, Spanish) function-word counts: robust to names quoted in the other language."""
    en, es = _stopwords()
    words = _WORD.findall(text.lower())
    return sum(w in en for w in words), sum(w in es for w in words)


def warm_up() -> None:
    """Load the model ahead of the first question (a server can call this at start)."""
    _identifier()


def classify(text: str) -> tuple[Lang, float]:
    """py3langid's guess between English and Spanish, with its probability."""
    lang, prob = _identifier().classify(text)
    return ("es" if lang == "es" else "en"), float(prob)


def detect_language(text: str) -> Lang:
    """The question's language: ¿/¡, then a function-word majority, a confident model guess, Spanish marks, English."""
    text = (text or "").strip()
    if not text:
        return "en"
    if "¿" in text or "¡" in text:
        return "es"
    en_votes, es_votes = stopword_votes(text)
    if abs(en_votes - es_votes) >= STOPWORD_MARGIN:
        return "en" if en_votes > es_votes else "es"
    lang, prob = classify(text)
    if prob >= MIN_CONFIDENCE:
        return lang
    return "es" if _SPANISH_MARKS.search(text) else "en"
