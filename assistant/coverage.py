"""Does the knowledge base cover the question at all? Rules that need no similarity threshold.

A question can sit squarely in the reviews' topic yet ask what they never say: the 2022 budget,
the PAHO fund, the size of a fine. Similarity cannot tell those apart from answerable questions;
these rules can, because they look for what the answer would have to contain:

- a figure the question names (a year, an amount) that no retrieved passage mentions;
- an acronym or code the question names (PAHO, COVID-19) that the knowledge base never mentions;
- a question that asks for a figure (how many, what percentage, the deadline) whose best
  sentences hold none.

What a question asks (its figures, names and intents) comes analysed in ``assistant.query``. Pure
functions; the caller supplies the corpus vocabulary and the aliases of a term.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from assistant.query import Intent, Query
from assistant.results import AbstainReason
from assistant.terms import content_terms
from indexer.countries import find_countries

_DIGITS = re.compile(r"\d+")
_TOKEN = re.compile(r"[^\W_]+(?:[-.'/][^\W_]+)*")
_PART = re.compile(r"[^\W_]+")
_FIGURE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|billion|half|third|quarter|percent|per cent|majority|minority)\b", re.IGNORECASE)


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Lower-case words of the knowledge base, compounds and their parts ("covid-19", "covid", "19")
    (each distinct compound split once)."""
    tokens: set[str] = set()
    for text in texts:
        tokens.update(_TOKEN.findall(text.lower()))
    out = set(tokens)
    for token in tokens:
        out.update(_PART.findall(token))
    return frozenset(out)


def missing_numbers(wanted: Sequence[str], texts: Sequence[str]) -> list[str]:
    """The figures ``wanted`` (``Query.figures``: years, amounts) that none of ``texts`` mentions.

    A question about 2022 that only finds passages from 2013 reviews is not answered by them.
    """
    if not wanted:
        return []
    found = {d for t in texts for d in _DIGITS.findall(t)}
    return [w for w in wanted if _DIGITS.findall(w)[-1] not in found]  # "ISO 9001" is found by its 9001


def unknown_acronyms(names: Sequence[str], vocab: frozenset[str], aliases: Callable[[str], Iterable[str]] = lambda t: ()
                     ) -> list[str]:
    """Acronyms of the question (``Query.acronyms``) that the knowledge base never mentions, under any alias
    ("UK" is known as "United Kingdom", the Spanish "OCDE" as "OECD")."""
    def known(term: str) -> bool:
        forms = (term, term.removesuffix("s"), term + "s", *aliases(term), *aliases(term.removesuffix("s")))
        return any(all(w in vocab for w in _TOKEN.findall(name.lower())) for name in forms if name)

    return [t for t in names if not known(t)]


_SHARE = re.compile(r"%|\bper ?cent\b|\bpercentage\b|\bhalf\b|\bthirds?\b|\bquarters?\b|\bmajority\b|"
                    r"\bminority\b|\bshare\b|\bproportion\b", re.IGNORECASE)
_DATE = re.compile(r"\b(?:1[89]|20)\d\d\b|\b(?:January|February|March|April|May|June|July|August|September|"
                   r"October|November|December)\b|\b(?:days?|weeks?|months?|years?|annual(?:ly)?|quarterly)\b",
                   re.IGNORECASE)


def has_share(text: str) -> bool:
    """True when ``text`` states a share: "90%", "per cent", "half", "the majority"."""
    return bool(_SHARE.search(text))


def has_date(text: str) -> bool:
    """True when ``text`` gives a time: a year, a month, a period ("two years", "every week")."""
    return bool(_DATE.search(text))


_NOT_A_COUNT = re.compile(r"\b(?:\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty)\s*"
                          r"(?:%|per ?cent\b|(?:calendar |working |business )?(?:days?|weeks?|months?|years?|hours?)\b)",
                          re.IGNORECASE)


def has_count(text: str, units: str = "") -> bool:
    """True when ``text`` states how many of something: a figure that is not a share ("80%") nor a
    length of time ("every two years"), unless that time is what was asked (``units``: the
    question, e.g. "how many hours")."""
    asked = units.lower()
    kept = _NOT_A_COUNT.sub(lambda m: m.group(0) if m.group(0).split()[-1].rstrip("s").lower() in asked else "", text)
    return has_figure(kept)


def common_terms(counts: Counter, texts: int, share: float = 0.2) -> frozenset[str]:
    """Terms found in more than ``share`` of the ``texts`` (``counts``: how many hold each,
    ``assistant.terms.term_counts``) ("procur", "imss"): they say where a question is, not what it
    asks, so they cannot show that a sentence answers it."""
    return frozenset(t for t, c in counts.items() if c > share * texts)


_REFERENCE = re.compile(r"\b(?:Box(?:es)?|Tables?|Figures?|Chapters?|Annex(?:es)?|Sections?|Articles?|art\.)\s+"
                        r"\d+(?:\.[\dA-Z]+)*", re.IGNORECASE)


def has_figure(text: str) -> bool:
    """True when ``text`` states a quantity, in digits or words ("13 000", "two years", "the majority");
    the number of a box, table or chapter it points to ("Box 5.2") is not one."""
    return bool(_FIGURE.search(_REFERENCE.sub("", text)))


def calibrate(scores_answerable: Sequence[float], scores_unanswerable: Sequence[float],
              min_answered: float = 0.95) -> float:
    """Threshold declining the most unanswerable questions while answering ``min_answered`` of the rest.

    Answer when score >= threshold. Among thresholds with the same outcome on the data, take the
    midpoint of the gap, so small shifts in scores do not flip decisions. Use -inf for questions
    declined by another rule: they still count against the answered share.
    """
    a = sorted(float(x) for x in scores_answerable)
    if not a:
        raise ValueError("calibration needs at least one answerable question")
    if not 0 < min_answered <= 1:
        raise ValueError("min_answered is a share in (0, 1]")
    may_decline = min(math.floor(len(a) * (1 - min_answered) + 1e-9), len(a) - 1)
    high = a[may_decline]
    below = [x for x in a[:may_decline] + [float(u) for u in scores_unanswerable if u < high] if math.isfinite(x)]
    low = max(below) if below else high
    return (low + high) / 2


def kind_not_given(query: Query, quotes: Sequence[str], key: frozenset[str]) -> AbstainReason | None:
    """Why quotes that hold some figure still do not give what the question asks for, or None:
    figures that no sentence about the question's own key terms states (``key``: its rarer content
    terms) unless about a country the question does not name ("13 000 officials" in Chile answers
    no question about IMSS), and for "how many" a count (not a share nor a length of time); no share
    for "what percentage"; no date or period for "when" in a sentence about what was asked."""
    if query.asks(Intent.FIGURE) and key:
        home = {"Mexico", *find_countries(query.text), *find_countries(query.english)}
        stated = (lambda q: has_count(q, query.english)) if query.asks(Intent.COUNT) else has_figure
        if not any(key & content_terms(q) and not set(find_countries(q)) - home for q in quotes if stated(q)):
            return AbstainReason.OFF_TOPIC_FIGURE  # no figure about what was asked, or only another country's
    if query.asks(Intent.SHARE) and not any(has_share(q) for q in quotes):
        return AbstainReason.NO_SHARE_STATED
    if query.asks(Intent.WHEN) and not any(has_date(q) and (not key or key & content_terms(q)) for q in quotes):
        return AbstainReason.NO_DATE_STATED
    return None


_WHY = {
    "en": {"mention": "The passages found do not mention {x}.", "never": "The reviews never mention {x}.",
           "figure": "The question asks for a figure, and the closest passages state none.",
           "off_topic": "The closest passages give figures, but not for what the question asks about.",
           "share": "The question asks for a percentage, and the closest passages state none.",
           "date": "The question asks when, and the closest passages give no date.",
           "weak": "The closest passages match the question only weakly.",
           "none": "No passage matched the question."},
    "es": {"mention": "Los pasajes encontrados no mencionan {x}.", "never": "Las revisiones nunca mencionan {x}.",
           "figure": "La pregunta pide una cifra y los pasajes más cercanos no dan ninguna.",
           "off_topic": "Los pasajes más cercanos dan cifras, pero no sobre lo que pregunta.",
           "share": "La pregunta pide un porcentaje y los pasajes más cercanos no dan ninguno.",
           "date": "La pregunta pide una fecha y los pasajes más cercanos no dan ninguna.",
           "weak": "Los pasajes más cercanos apenas se relacionan con la pregunta.",
           "none": "Ningún pasaje corresponde a la pregunta."},
}


_MESSAGE = {AbstainReason.MISSING_FIGURE: "mention", AbstainReason.UNKNOWN_NAME: "never",
            AbstainReason.NO_FIGURE_STATED: "figure", AbstainReason.WEAK_EVIDENCE: "weak",
            AbstainReason.NO_QUOTABLE: "weak", AbstainReason.NO_MATCH: "none",
            AbstainReason.OFF_TOPIC_FIGURE: "off_topic", AbstainReason.NO_SHARE_STATED: "share",
            AbstainReason.NO_DATE_STATED: "date"}


def why_declined(reason: AbstainReason | str | None, terms: Sequence[str] = (), lang: str = "en") -> str:
    """A reader's sentence, in the question's language, for an abstention reason (enum or its value)."""
    if not reason:
        return ""
    text = _WHY.get(lang, _WHY["en"])
    return text[_MESSAGE[AbstainReason(reason)]].format(x=", ".join(terms))
