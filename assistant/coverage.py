"""Does the knowledge base cover the question at all? Rules that need no similarity threshold.

A question can sit squarely in the reviews' topic yet ask what they never say: the 2022 budget,
the PAHO fund, the size of a fine. Similarity cannot tell those apart from answerable questions;
these rules can, because they look for what the answer would have to contain:

- a figure the question names (a year, an amount) that no retrieved passage mentions;
- an acronym or code the question names (PAHO, COVID-19) that the knowledge base never mentions;
- a question that asks for a figure (how many, what percentage, the deadline) whose best
  sentences hold none.

It also says what kind of answer a question wants (a figure, a recommendation), which retrieval
and answer selection use. Pure functions; the caller supplies the corpus vocabulary and the aliases
of a term.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence

_DIGITS = re.compile(r"\d+")
_TOKEN = re.compile(r"[^\W_]+(?:[-.'/][^\W_]+)*")
_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]*[A-Z0-9](?:-[A-Z0-9]+)*)((?:'s|s)?)(?![\w-])")
_ASKS_FIGURE = re.compile(
    r"\b(?:how (?:many|much (?:money|does|do|did|is|was|are|were))|how (?:large|big|long) (?:is|was|are|were)|"
    r"what (?:percentage|proportion|share|amount|number|sum|salary)|percentage of|"
    r"deadline|thresholds?|budget|salar(?:y|ies)|fines?\b|"
    r"cu[aá]nt[oa]s?|qu[eé] porcentaje|porcentaje de|monto|plazo|presupuesto|umbral(?:es)?|salario|multas?)\b",
    re.IGNORECASE)
_FIGURE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|billion|half|third|quarter|percent|per cent|majority|minority)\b", re.IGNORECASE)


_ASKS_RECOMMENDATION = re.compile(
    r"\b(?:recommend\w*|propos(?:e|es|ed)|proposals? for action|advi[sc]\w*|suggest\w*|should (?:IMSS|it|the institute|they)|"
    r"recomiend\w*|recomend\w*|propon\w*|propuestas? de acci[oó]n|sugier\w*|sugiere|aconsej\w*|deber[ií]a\w*)\b",
    re.IGNORECASE)


def asks_for_recommendation(question: str) -> bool:
    """True for "What does the OECD recommend / propose ...?", "¿Qué recomienda ...?" and the like:
    the reviews' answer is then one of their "Proposals for action"."""
    return bool(_ASKS_RECOMMENDATION.search(question))


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Lower-case words of the knowledge base, compounds and their parts ("covid-19", "covid", "19")."""
    out: set[str] = set()
    for text in texts:
        for token in _TOKEN.findall(text.lower()):
            out.add(token)
            out.update(re.findall(r"[^\W_]+", token))
    return frozenset(out)


def missing_numbers(question: str, texts: Sequence[str]) -> list[str]:
    """Figures of two or more digits in the question (years, amounts) that none of ``texts`` mentions.

    A question about 2022 that only finds passages from 2013 reviews is not answered by them.
    """
    wanted = [d for d in dict.fromkeys(_DIGITS.findall(question)) if len(d) >= 2]
    if not wanted:
        return []
    found = {d for t in texts for d in _DIGITS.findall(t)}
    return [d for d in wanted if d not in found]


def acronyms(question: str) -> list[str]:
    """Upper-case names and codes the question uses (PAHO, COVID-19, UMAEs), in order, as typed
    but for a possessive "'s"."""
    return list(dict.fromkeys(m.group(1) + m.group(2).removeprefix("'s") for m in _ACRONYM.finditer(question)
                              if not m.group(1).isdigit()))


def unknown_acronyms(question: str, vocab: frozenset[str], aliases: Callable[[str], Iterable[str]] = lambda t: ()
                     ) -> list[str]:
    """Acronyms of the question that the knowledge base never mentions, under any alias
    ("UK" is known as "United Kingdom", the Spanish "OCDE" as "OECD")."""
    def known(term: str) -> bool:
        forms = (term, term.removesuffix("s"), term + "s", *aliases(term), *aliases(term.removesuffix("s")))
        return any(all(w in vocab for w in _TOKEN.findall(name.lower())) for name in forms if name)

    return [t for t in acronyms(question) if not known(t)]


def asks_for_figure(question: str) -> bool:
    """True when the answer must be a figure: how many, what percentage, the deadline, the budget."""
    return bool(_ASKS_FIGURE.search(question))


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


WEAK_EVIDENCE = "weak evidence"
"""Start of the reason of a threshold decline; every other reason comes from a rule."""


def by_rule(reason: str) -> bool:
    """True when an abstention ``reason`` comes from a rule rather than the evidence threshold."""
    return bool(reason) and not reason.startswith(WEAK_EVIDENCE)


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


def why_declined(reason: str, lang: str = "en") -> str:
    """A reader's sentence, in the question's language, for an abstention ``reason`` of ``answer``."""
    text = _WHY.get(lang, _WHY["en"])
    for prefix, key in (("the passages found do not mention ", "mention"),
                        ("the knowledge base never mentions ", "never")):
        if reason.startswith(prefix):
            return text[key].format(x=reason.removeprefix(prefix))
    if "figure" in reason:
        return text["figure"]
    if reason.startswith(WEAK_EVIDENCE) or "quotable" in reason:
        return text["weak"]
    return text["none"] if reason else ""
