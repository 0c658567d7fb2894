"""Answer-level figures: what officials read is the answer, not the ranking.

For each answerable gold question, ``answer.supported`` says whether the composed answer (not
declined) quotes at least 60 % of one evidence quote as one contiguous run: the relevance rule of
``eval.relevance`` applied to the answer's quoted sentences instead of a passage. Unanswerable
questions count as declined or answered, as in the abstention figures. All answers come from
``kb.ask`` without an LLM, asked once per question and shared by both figures.
"""

from __future__ import annotations

import inspect
import math
from eval import metrics as M
from eval.relevance import normalise, quote_matches
from eval.runner import timed_ask

GoldQuestions = list
"""``eval.gold.GoldQuestion`` items (not imported: ``eval.gold`` imports this module)."""


def ask_all(kb, questions: GoldQuestions, kwargs: dict) -> tuple[dict, list[float]]:
    """``{id: Answer}`` for every question and the time each took in ms; empty while the
    KnowledgeBase has no ``ask`` (retrieval alone never answers)."""
    if not hasattr(kb, "ask"):
        return {}, []
    params = inspect.signature(kb.ask).parameters
    extra = {k: v for k, v in {**kwargs, "use_llm": False}.items() if k in params}
    answers, times = timed_ask(kb, [(q.id, q.question) for q in questions], extra)
    return answers, list(times.values())


def supported(evidence: tuple[str, ...], quotes: list[str]) -> bool:
    """True when the quotes, read together, hold 60 % of one evidence quote as one run."""
    said = normalise(" ".join(quotes))
    return any(quote_matches(normalise(e), said) for e in evidence)


def answer_figures(questions: GoldQuestions, answers: dict, top_relevant: dict[str, bool]) -> dict:
    """``{"summary": {...}, "rows": {id: {...}}}``: the share of answerable questions whose answer
    holds the evidence, overall, by kind and by language; answerable questions declined (and those
    declined although their top passage holds the evidence); unanswerable questions declined."""
    rows: dict[str, dict] = {}
    for q in questions:
        a = answers[q.id]
        quotes = [c.quote for c in getattr(a, "citations", [])] if not a.abstained else []
        rows[q.id] = {"answered": not a.abstained,
                      "answer_supported": supported(q.evidence, quotes) if q.answerable else None,
                      "answer_quotes": quotes}
    answerable = [q for q in questions if q.answerable]

    def group(qs: GoldQuestions) -> dict:
        return {"n": len(qs), "supported": M.share([rows[q.id]["answer_supported"] for q in qs])}

    by = {field: {g: group([q for q in answerable if getattr(q, field) == g])
                  for g in sorted({getattr(q, field) for q in answerable})} for field in ("kind", "lang")}
    abstained = {qid: not row["answered"] for qid, row in rows.items()}
    summary = {**group(answerable), "by_kind": by["kind"], "by_lang": by["lang"],
               "answerable_declined": sum(abstained[q.id] for q in answerable),
               "declined_with_evidence_on_top": len(declined_on_top(questions, abstained, top_relevant)),
               "unanswerable_declined": declined_shares(questions, abstained)["unanswerable_declined"]}
    return {"summary": summary, "rows": rows}


def declined_on_top(questions: GoldQuestions, abstained: dict[str, bool], top_relevant: dict[str, bool]) -> list[str]:
    """Answerable questions declined although their top-ranked passage holds the evidence."""
    return sorted(q.id for q in questions if q.answerable and abstained[q.id] and top_relevant.get(q.id))


def declined_shares(questions: GoldQuestions, abstained: dict[str, bool]) -> dict:
    """Share of the unanswerable questions declined and of the answerable ones answered, with counts."""
    return {"unanswerable_declined": M.share([abstained[q.id] for q in questions if not q.answerable]),
            "answerable_answered": M.share([not abstained[q.id] for q in questions if q.answerable]),
            "unanswerable": sum(not q.answerable for q in questions), "answerable": sum(q.answerable for q in questions)}


def abstention(kb, questions: GoldQuestions, answers: dict, top_relevant: dict[str, bool] | None = None
               ) -> dict:
    """Declined-unanswerable and answered-answerable shares of ``answers`` (``ask_all``), overall and
    by language (``by_lang``), how many answerable questions were declined although their top-ranked
    passage holds the evidence (``declined_with_evidence_on_top``, given ``top_relevant``), and the
    evidence threshold calibrated on them, overall and per language.

    None for both without answers: retrieval alone never abstains.
    """
    if not answers:
        return {"unanswerable_declined": None, "answerable_answered": None}
    abstained = {qid: bool(a.abstained) for qid, a in answers.items()}
    out = {k: v for k, v in declined_shares(questions, abstained).items() if k.endswith(("declined", "answered"))}
    out["by_lang"] = {lang: declined_shares([q for q in questions if q.lang == lang], abstained)
                      for lang in sorted({q.lang for q in questions})}
    if top_relevant is not None:
        out["declined_with_evidence_on_top"] = declined_on_top(questions, abstained, top_relevant)
    settings = getattr(kb.settings, "answers", None)
    in_use = getattr(settings, "threshold_for", lambda lang: getattr(settings, "abstain_threshold", None))
    fit = threshold_fit(questions, answers, getattr(settings, "abstain_threshold", None))
    if fit:  # each language's own calibration, beside the threshold it is answered with
        fit["calibrated_by_lang"] = {lang: threshold_fit([q for q in questions if q.lang == lang], answers, in_use(lang))
                                     for lang in sorted({q.lang for q in questions})}
    return {**out, **fit}


def threshold_fit(questions: GoldQuestions, answers: dict, threshold: float | None) -> dict:
    """The evidence threshold ``calibrate`` picks on these questions (answer >= 95 % of the
    answerable, decline as many unanswerable as possible) and the shares it would give, beside the
    threshold in use. Questions declined by a rule (a figure or name the reviews lack) stay declined."""
    from assistant.coverage import calibrate

    def score(a) -> float:
        ev = getattr(a, "evidence", None)
        why = getattr(a, "abstention", None)
        return -math.inf if (a.abstained and why is not None and why.reason.by_rule) or ev is None else float(ev)

    scores = {q.id: score(answers[q.id]) for q in questions}
    answerable = [scores[q.id] for q in questions if q.answerable]
    if not answerable or not all(hasattr(a, "evidence") for a in answers.values()):
        return {}
    fit = calibrate(answerable, [scores[q.id] for q in questions if not q.answerable])
    return {"threshold": threshold, "calibrated_threshold": round(fit, 4),
            "calibrated_unanswerable_declined": M.share([scores[q.id] < fit for q in questions if not q.answerable]),
            "calibrated_answerable_answered": M.share([scores[q.id] >= fit for q in questions if q.answerable])}
