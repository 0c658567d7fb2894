from assistant.coverage import (acronyms, asks_for_recommendation, why_declined, asks_for_figure, has_figure, missing_numbers, unknown_acronyms,
                                vocabulary)

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
    assert unknown_acronyms("Does IMSS join the PAHO fund?", VOCAB, lambda t: aliases(t) or []) == ["PAHO"]
    assert unknown_acronyms("What does the UK do for SME suppliers?", VOCAB, lambda t: aliases(t) or []) == []
    assert unknown_acronyms("¿Qué dice la OCDE?", VOCAB, lambda t: aliases(t) or []) == ["OCDE"]  # OECD not in VOCAB


def test_missing_numbers_are_figures_no_text_mentions():
    texts = ["In 2013 IMSS had 391 000 employees."]
    assert missing_numbers("What was the budget in 2022?", texts) == ["2022"]
    assert missing_numbers("Were there 391 000 employees in 2013?", texts) == []
    assert missing_numbers("What are the 3 levels?", texts) == []


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
    assert why_declined("the knowledge base never mentions PAHO", "en") == "The reviews never mention PAHO."
    assert why_declined("the passages found do not mention 2022", "es") == "Los pasajes encontrados no mencionan 2022."
    assert "cifra" in why_declined("the question asks for a figure and the best passages state none", "es")
    assert "weakly" in why_declined("weak evidence: best similarity 0.400 is below the threshold 0.456")
    assert why_declined("") == ""


def test_recommendation_questions_are_recognised_in_both_languages():
    for q in ("What does the OECD recommend on training?", "What is proposed for workforce planning?",
              "Should IMSS use multiannual contracts?", "¿Qué recomienda la OCDE sobre la capacitación?",
              "¿Qué propone la OCDE?", "¿Debería el IMSS certificar a su personal?"):
        assert asks_for_recommendation(q), q
    for q in ("How many officials work in procurement?", "¿Cuántos empleados tiene el IMSS?",
              "What did the proposal evaluation find?"):
        assert not asks_for_recommendation(q), q
