"""Answer-level figures: the answer's quotes, not the ranking, are judged against the evidence."""

from types import SimpleNamespace

from eval.answers import answer_figures, supported
from eval.gold import GoldQuestion

EVIDENCE = ("Employees perceive the procurement function as a “high-risk position”, as it is often subject to audits.",)


def answer(*quotes: str, abstained: bool = False):
    return SimpleNamespace(abstained=abstained, citations=[SimpleNamespace(quote=q) for q in quotes])


def test_supported_needs_60_percent_of_one_evidence_quote_as_one_run():
    assert supported(EVIDENCE, ['Employees perceive the procurement function as a "high-risk position", as it is '
                                "often subject to *audits*."])  # typography and emphasis do not decide
    assert supported(EVIDENCE, ["Intro.", "Employees perceive the procurement function as a “high-risk position”,"])
    assert not supported(EVIDENCE, ["Employees perceive the procurement function as"])  # under 60 %
    assert not supported(EVIDENCE, ["Turnover is high.", "Salaries are low."])
    assert not supported(EVIDENCE, [])


def test_answer_figures_by_language_and_kind_with_declines():
    qs = [GoldQuestion("a", "why?", EVIDENCE, "en", "paraphrase"), GoldQuestion("b", "¿por qué?", EVIDENCE, "es", "es"),
          GoldQuestion("c", "how many?", EVIDENCE, "en", "fact"), GoldQuestion("d", "PAHO?", (), "en", "none")]
    answers = {"a": answer(EVIDENCE[0]), "b": answer("Turnover is high."), "c": answer(EVIDENCE[0], abstained=True),
               "d": answer(abstained=True)}
    out = answer_figures(qs, answers, {"a": True, "b": False, "c": True})
    s = out["summary"]
    assert (s["n"], s["supported"]) == (3, 0.3333)
    assert s["by_lang"] == {"en": {"n": 2, "supported": 0.5}, "es": {"n": 1, "supported": 0.0}}
    assert s["by_kind"]["fact"] == {"n": 1, "supported": 0.0}  # declined: not supported, whatever it would quote
    assert (s["answerable_declined"], s["declined_with_evidence_on_top"], s["unanswerable_declined"]) == (1, 1, 1.0)
    assert out["rows"]["a"]["answer_supported"] and out["rows"]["d"]["answer_supported"] is None
