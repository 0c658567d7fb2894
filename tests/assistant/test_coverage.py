import math
import random

import pytest

from assistant.coverage import calibrate, has_figure, missing_numbers, unknown_acronyms, vocabulary, why_declined
from assistant.query import acronyms, asks_for_figure, asks_for_recommendation, figures
from assistant.results import AbstainReason

VOCAB = vocabulary(["IMSS buys medicines through CompraNet; SMEs and the United Kingdom's CCS.",
                    "The Federal Electricity Commission (CFE) trains officials. Law 14.133/2021 is not here."])


def test_vocabulary_holds_compounds_and_their_parts():
    assert {"imss", "smes", "14.133/2021", "14", "2021", "cfe"} <= VOCAB


def test_acronyms_as_typed_without_possessives():
    assert acronyms("Did IMSS's UMAEs join the PAHO fund during COVID-19, like the UK?") == [
        "IMSS", "UMAEs", "PAHO", "COVID-19", "UK"]
    assert acronyms("What is procurement? I 2020") == []


def test_unknown_acronyms_checks_every_alias():
    aliases = {"UK": ["United Kingdom"], "OCDE": ["OECD"], "CFE": []}.get
    def unknown(q: str) -> list[str]:
        return unknown_acronyms(acronyms(q), VOCAB, lambda t: aliases(t) or [])

    assert unknown("Does IMSS join the PAHO fund?") == ["PAHO"]
    assert unknown("What does the UK do for SME suppliers?") == []
    assert unknown("¿Qué dice la OCDE?") == ["OCDE"]  # OECD not in VOCAB


def test_missing_numbers_are_figures_no_text_mentions():
    texts = ["In 2013 IMSS had 391 000 employees."]
    assert missing_numbers(figures("What was the budget in 2022?"), texts) == ["2022"]
    assert missing_numbers(figures("Were there 391 000 employees in 2013?"), texts) == []
    assert missing_numbers(figures("What are the 3 levels?"), texts) == []
    # the digits of a name belong to the name; a code keeps its name, in reasons too
    assert figures("Did COVID-19 or the G20 change the 2013-2018 plans?") == ("2013", "2018")
    assert missing_numbers(figures("Must suppliers hold ISO 9001?"), texts) == ["ISO 9001"]


def test_covid_19_survives_whole_in_the_reason(corpus_kb):
    from assistant.coverage import why_declined

    for question, lang, said in (("How did COVID-19 change IMSS procurement?", "en", "The reviews never mention COVID-19."),
                                 ("¿Cómo cambió el COVID-19 las compras del IMSS?", "es",
                                  "Las revisiones nunca mencionan COVID-19.")):
        a = corpus_kb.ask(question)
        assert a.abstained and a.lang == lang
        assert why_declined(a.abstention.reason, a.abstention.terms, lang) == said


def test_figure_questions_and_figure_sentences():
    for q in ("How many officials are certified?", "What percentage of suppliers bid on paper?",
              "What is the deadline to file a protest?", "¿Cuántos trabajadores tiene el IMSS?",
              "¿Qué porcentaje de los proveedores usa CompraNet?", "How large is the fine for collusion?"):
        assert asks_for_figure(q), q
    for q in ("How does Chile certify officials?", "How much say does the central unit have?",
              "What does the OECD recommend?", "¿Cómo capacita Chile a sus compradores?"):
        assert not asks_for_figure(q), q
    assert has_figure("They re-certify every two years.") and has_figure("13 000 officials")
    assert has_figure("The majority of OECD countries do so.") and not has_figure("Training is lacking.")


def test_abstention_reasons_read_as_sentences_in_the_questions_language():
    assert why_declined(AbstainReason.UNKNOWN_NAME, ["PAHO"], "en") == "The reviews never mention PAHO."
    assert why_declined("missing_figure", ["2022"], "es") == "Los pasajes encontrados no mencionan 2022."
    assert "cifra" in why_declined(AbstainReason.NO_FIGURE_STATED, lang="es")
    assert "weakly" in why_declined(AbstainReason.WEAK_EVIDENCE)
    assert why_declined("") == "" and why_declined(None) == ""
    assert not AbstainReason.WEAK_EVIDENCE.by_rule and AbstainReason.UNKNOWN_NAME.by_rule


def test_recommendation_questions_are_recognised_in_both_languages():
    for q in ("What does the OECD recommend on training?", "What is proposed for workforce planning?",
              "Should IMSS use multiannual contracts?", "¿Qué recomienda la OCDE sobre la capacitación?",
              "¿Qué propone la OCDE?", "¿Debería el IMSS certificar a su personal?"):
        assert asks_for_recommendation(q), q
    for q in ("How many officials work in procurement?", "¿Cuántos empleados tiene el IMSS?",
              "What did the proposal evaluation find?"):
        assert not asks_for_recommendation(q), q


def test_calibrate_takes_the_highest_threshold_that_keeps_the_answered_share():
    answerable = [0.50 + i / 100 for i in range(20)]
    unanswerable = [0.2, 0.3, 0.52, 0.9]
    t = calibrate(answerable, unanswerable, 0.95)  # one of 20 may be declined
    assert t == pytest.approx(0.505)
    assert sum(s >= t for s in answerable) / 20 >= 0.95 and sum(s < t for s in unanswerable) == 2
    assert calibrate(answerable, unanswerable, 1.0) == pytest.approx(0.40)  # midpoint of 0.3 and 0.5
    ruled_out = [-math.inf] + answerable[1:]  # declined by another rule: uses up the budget
    assert calibrate(ruled_out, unanswerable, 0.95) == pytest.approx(0.405)  # between 0.3 and 0.51
    with pytest.raises(ValueError):
        calibrate([], [0.1])
    with pytest.raises(ValueError):
        calibrate([0.5], [0.1], 0.0)


def test_calibrate_is_optimal_on_random_data():
    rng = random.Random(7)
    for _ in range(200):
        a = [rng.random() for _ in range(rng.randint(1, 40))]
        u = [rng.random() * 0.8 for _ in range(rng.randint(0, 15))]
        share = rng.choice([0.8, 0.9, 0.95, 1.0])
        t = calibrate(a, u, share)
        assert sum(s >= t for s in a) / len(a) >= share - 1e-9
        feasible = [c for c in sorted(set(a + u)) if sum(s >= c for s in a) / len(a) >= share - 1e-9]
        assert sum(s < t for s in u) == max(sum(s < c for s in u) for c in feasible)


# -- encoders -----------------------------------------------------------------------------------


def test_shares_dates_and_references_are_told_apart():
    from assistant.coverage import common_terms, has_date, has_share
    from assistant.terms import term_counts

    assert has_share("90% of the providers bid on paper") and has_share("the majority of staff")
    assert not has_share("IMSS has 391 000 employees")
    assert has_date("hired between August and October") and has_date("in 2012") and has_date("every two years")
    assert not has_date("Certification is mandatory for every buyer")
    assert not has_figure("Chile is a good example (Box 5.2).") and has_figure("Chile has 13 000 officials (Box 5.2).")
    counts, texts = term_counts(["Procurement in Chile", "procurement in Norway", "Procured."])
    assert counts == {"procur": 3, "chile": 1, "norway": 1} and texts == 3
    assert common_terms(counts, texts, share=0.5) == frozenset({"procur"})


@pytest.mark.parametrize("question, reason, said", [
    ("How many procurement officials at IMSS are certified?", "no_figure_stated",
     "The question asks for a figure, and the closest passages state none."),
    ("¿Cuántos servidores públicos de adquisiciones del IMSS están certificados?", "off_topic_figure",
     "Los pasajes más cercanos dan cifras, pero no sobre lo que pregunta."),
    ("¿Qué porcentaje de las compras del IMSS se hace por adjudicación directa?", "no_share_stated",
     "La pregunta pide un porcentaje y los pasajes más cercanos no dan ninguno."),
    ("In what year did IMSS set up its Acquisitions Committee?", "no_date_stated",
     "The question asks when, and the closest passages give no date."),
    ("¿En qué año se creó el Comité de Adquisiciones del IMSS?", "no_date_stated",
     "La pregunta pide una fecha y los pasajes más cercanos no dan ninguna."),
])
def test_in_domain_questions_the_reviews_do_not_answer_are_declined_in_both_languages(corpus_kb, question, reason, said):
    from assistant.coverage import why_declined

    a = corpus_kb.ask(question, use_llm=False)
    assert a.abstained and a.abstention.reason.value == reason
    assert why_declined(a.abstention.reason, a.abstention.terms, a.lang) == said


def test_a_figure_about_the_question_or_its_own_country_is_still_an_answer(corpus_kb):
    for question in ("¿Cuántos empleados tiene el IMSS?", "How many officials make up Chile's acquisition workforce?"):
        assert not corpus_kb.ask(question, use_llm=False).abstained, question
