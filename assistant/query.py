"""A question analysed once: its language, English rendering, expansions, intents, figures, names.

Retrieval, answers and abstention all read the same ``Query``; nothing downstream detects the
language again or re-reads what the question asks. ``analyse`` is pure given its term files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from assistant.language import detect_language


class Intent(str, Enum):
    """What kind of answer a question wants."""

    FIGURE = "figure"  # how many, what share, the deadline, the budget
    RECOMMENDATION = "recommendation"  # what the OECD recommends or proposes
    WHY = "why"
    WHO = "who"
    COUNTRIES = "countries"  # which countries do it
    COUNT = "count"  # how many (a kind of figure)
    SHARE = "share"  # what percentage, what proportion (a kind of figure)
    WHEN = "when"  # when, in what year, on what date


_ASKS = {
    Intent.FIGURE: re.compile(
        r"\b(?:how (?:many|much (?:money|does|do|did|is|was|are|were))|how (?:large|big|long) (?:is|was|are|were)|"
        r"what (?:percentage|proportion|share|amount|number|sum|salary)|percentage of|"
        r"deadline|thresholds?|budget|salar(?:y|ies)|fines?\b|"
        r"cu[aá]nt[oa]s?|qu[eé] porcentaje|porcentaje de|monto|plazo|presupuesto|umbral(?:es)?|salario|multas?)\b",
        re.IGNORECASE),
    Intent.RECOMMENDATION: re.compile(
        r"\b(?:recommend\w*|propos(?:e|es|ed)|proposals? for action|advi[sc]\w*|suggest\w*|"
        r"should (?:IMSS|it|the institute|they)|recomiend\w*|recomend\w*|propon\w*|propuestas? de acci[oó]n|"
        r"sugier\w*|sugiere|aconsej\w*|deber[ií]a\w*)\b", re.IGNORECASE),
    Intent.WHY: re.compile(r"\b(?:why|what causes|reasons? for|por ?qu[eé]|causas?|motivos?)\b", re.IGNORECASE),
    Intent.WHO: re.compile(r"\b(?:who|whom|qui[eé]n(?:es)?)\b", re.IGNORECASE),
    Intent.COUNTRIES: re.compile(r"\b(?:which|what) countr(?:y|ies)|qu[eé] pa[ií]s(?:es)?\b", re.IGNORECASE),
    Intent.COUNT: re.compile(r"\bhow many\b|\bcu[aá]nt[oa]s\b", re.IGNORECASE),
    Intent.SHARE: re.compile(r"\b(?:what|which) (?:percentage|proportion|share)\b|\bpercentage of\b|"
                             r"\bqu[eé] (?:porcentaje|porcentage|proporci[oó]n)\b|\bporcentaje de\b", re.IGNORECASE),
    Intent.WHEN: re.compile(r"^[\W_]*(?:when (?:is|was|are|were|did|does|do|will|would|should|has|have|can|could)|"
                            r"cu[aá]ndo)\b|\b(?:what|which|in what) (?:year|date|month)\b|"
                            r"\ben qu[eé] (?:a[nñ]o|fecha|mes)\b|\bqu[eé] fecha\b", re.IGNORECASE),
}
_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]*[A-Z0-9](?:-[A-Z0-9]+)*)((?:'s|s)?)(?![\w-])")


def asks_for_figure(question: str) -> bool:
    """True when the answer must be a figure: how many, what percentage, the deadline, the budget."""
    return bool(_ASKS[Intent.FIGURE].search(question))


def asks_for_recommendation(question: str) -> bool:
    """True for "What does the OECD recommend / propose ...?", "¿Qué recomienda ...?" and the like:
    the reviews' answer is then one of their "Proposals for action"."""
    return bool(_ASKS[Intent.RECOMMENDATION].search(question))


def intents(question: str) -> frozenset[Intent]:
    return frozenset(i for i, pattern in _ASKS.items() if pattern.search(question))


_FIGURE = re.compile(r"(?:\b([A-Z]{2,})\s)?(?<!\w)(?<![A-Za-z]-)(\d+)(?![^\W\d_]|-[^\W\d_])")
"""A run of digits standing alone (2013, 391 000, 2013-2018), not the number inside a name (COVID-19,
G20); a code after an upper-case name keeps it ("ISO 9001")."""


def figures(question: str) -> tuple[str, ...]:
    """Figures of two or more digits (years, amounts; single digits are too common to check), a code
    with its name ("ISO 9001"); the digits of names such as COVID-19 belong to the name (``acronyms``)."""
    return tuple(dict.fromkeys(f"{m.group(1)} {m.group(2)}" if m.group(1) else m.group(2)
                               for m in _FIGURE.finditer(question) if len(m.group(2)) >= 2))


def acronyms(question: str) -> list[str]:
    """Upper-case names and codes the question uses (PAHO, COVID-19, UMAEs), in order, as typed
    but for a possessive "'s"."""
    return list(dict.fromkeys(m.group(1) + m.group(2).removeprefix("'s") for m in _ACRONYM.finditer(question)
                              if not m.group(1).isdigit()))


@dataclass(frozen=True)
class Query:
    """One question, analysed."""

    text: str  # as typed (trimmed, cut to the configured length)
    lang: str  # "en" or "es"
    english: str  # what the English channels read: the text, or the glossary's English for Spanish
    expanded: str  # ``english`` plus the thesaurus' review terms (BM25)
    intents: frozenset[Intent] = frozenset()
    figures: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    truncated: bool = False
    terms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # glossary phrases as typed, with their English terms

    def asks(self, intent: Intent) -> bool:
        return intent in self.intents


def analyse(question: str, glossary: dict | None = None, thesaurus: dict | None = None,
            max_chars: int = 1000) -> Query:
    """Analyse ``question`` (ValueError when it is empty)."""
    text = " ".join((question or "").split())
    if not text:
        raise ValueError("the question is empty; type a question about the reviews")
    truncated = len(text) > max_chars
    text = text[:max_chars]
    lang = detect_language(text)
    english, terms = text, ()
    if lang == "es" and glossary:
        from assistant.glossary import translate

        english, terms = translate(text, glossary)
        english = english or text
    expanded = english
    if thesaurus:
        from assistant.thesaurus import expand as with_terms

        expanded = with_terms(english, thesaurus)
    return Query(text, lang, english, expanded, intents(text), figures(text), tuple(acronyms(text)), truncated, terms)
