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
from collections.abc import Callable, Iterable, Sequence

from assistant.results import AbstainReason

_DIGITS = re.compile(r"\d+")
_TOKEN = re.compile(r"[^\W_]+(?:[-.'/][^\W_]+)*")
_FIGURE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|billion|half|third|quarter|percent|per cent|majority|minority)\b", re.IGNORECASE)


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Lower-case words of the knowledge base, compounds and their parts ("covid-19", "covid", "19")."""
    out: set[str] = set()
    for text in texts:
        for token in _TOKEN.findall(text.lower()):
            out.add(token)
            out.update(re.findall(r"[^\W_]+", token))
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


def has_figure(text: str) -> bool:
    """True when ``text`` states a quantity, in digits or words ("13 000", "two years", "the majority")."""
    return bool(_FIGURE.search(text))


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


_WHY = {
    "en": {"mention": "The passages found do not mention {x}.", "never": "The reviews never mention {x}.",
           "figure": "The question asks for a figure, and the closest passages state none.",
           "weak": "The closest passages match the question only weakly.",
           "none": "No passage matched the question."},
    "es": {"mention": "Los pasajes encontrados no mencionan {x}.", "never": "Las revisiones nunca mencionan {x}.",
           "figure": "La pregunta pide una cifra y los pasajes más cercanos no dan ninguna.",
           "weak": "Los pasajes más cercanos apenas se relacionan con la pregunta.",
           "none": "Ningún pasaje corresponde a la pregunta."},
}


_MESSAGE = {AbstainReason.MISSING_FIGURE: "mention", AbstainReason.UNKNOWN_NAME: "never",
            AbstainReason.NO_FIGURE_STATED: "figure", AbstainReason.WEAK_EVIDENCE: "weak",
            AbstainReason.NO_QUOTABLE: "weak", AbstainReason.NO_MATCH: "none"}


def why_declined(reason: AbstainReason | str | None, terms: Sequence[str] = (), lang: str = "en") -> str:
    """A reader's sentence, in the question's language, for an abstention reason (enum or its value)."""
    if not reason:
        return ""
    text = _WHY.get(lang, _WHY["en"])
    return text[_MESSAGE[AbstainReason(reason)]].format(x=", ".join(terms))
