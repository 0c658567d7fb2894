from assistant.glossary import expand, load_glossary, parse_glossary


def test_expansion_translates_phrases_and_keeps_names():
    g = parse_glossary("licitación\ttender; call for tenders\nrotación de personal\tstaff turnover\n"
                       "rotación\tturnover\ncompras consolidadas\tconsolidated procurement\n")
    out = expand("¿Cómo reducir la Rotación de Personal en las licitaciones del IMSS en 2015?", g)
    assert out == "staff turnover tender call for tenders IMSS 2015"
    assert expand("compras consolidadas", g) == "consolidated procurement"


def test_bundled_glossary_covers_inflections():
    g = load_glossary()
    assert "certification" in expand("tecnología certificada", g)
    assert "Norway" in expand("¿Qué hizo Noruega?", g)
