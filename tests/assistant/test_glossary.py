from assistant.glossary import expand, load_glossary, matches, parse_glossary


def test_expansion_translates_phrases_and_keeps_names():
    g = parse_glossary("licitación\ttender; call for tenders\nrotación de personal\tstaff turnover\n"
                       "rotación\tturnover\ncompras consolidadas\tconsolidated procurement\n")
    out = expand("¿Cómo reducir la Rotación de Personal en las licitaciones del IMSS en 2015?", g)
    assert out == "staff turnover tender call for tenders IMSS 2015"
    assert expand("compras consolidadas", g) == "consolidated procurement"
    assert matches("¿Cómo reducir la Rotación de Personal en las licitaciones?", g) == (
        ("Rotación de Personal", ("staff turnover",)), ("licitaciones", ("tender", "call for tenders")))


def test_bundled_glossary_covers_inflections():
    g = load_glossary()
    assert "certification" in expand("tecnología certificada", g)
    assert "Norway" in expand("¿Qué hizo Noruega?", g)


def test_the_glossary_can_be_turned_off_then_english_channels_read_the_question_as_typed(tmp_path):
    from assistant.api import KnowledgeBase
    from kb.settings import Settings

    question = "¿Qué propone la OCDE para reducir la rotación de personal?"
    on = KnowledgeBase(Settings(data_dir=tmp_path)).analyse(question)
    off = KnowledgeBase(Settings(data_dir=tmp_path, glossary=False)).analyse(question)
    assert "turnover" in on.english.lower() and "turnover" not in off.english.lower()
