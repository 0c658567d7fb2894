"""Filter choices come from the index; the interface language from the browser's preference."""

from indexer.passage import Passage
from ui.choices import filter_choices
from ui.i18n import t, ui_lang


def passage(i: int, **kw) -> Passage:
    return Passage(id=str(i), text="t", kind=kw.pop("kind", "paragraph"), doc_id=kw.pop("doc_id", "cap"),
                   title=kw.pop("title", "Capability"), breadcrumb="b", **kw)


def test_choices_list_documents_chapters_box_countries_and_kinds():
    choices = filter_choices([
        passage(1, chapter="10", chapter_title="Annex"),
        passage(2, chapter="5", chapter_title="Capability", box_id="5.2", countries=["Chile"], kind="box"),
        passage(3, chapter="5", countries=["Norway"]),  # a country named outside a box is not a box country
        passage(4, doc_id="up", title="Uploaded notes", kind="paragraph"),
    ])
    assert choices["doc"] == [("Capability", "cap"), ("Uploaded notes", "up")]
    assert choices["chapter"] == [("5. Capability", "5"), ("10. Annex", "10")]
    assert choices["country"] == [("Chile (1)", "Chile")]
    assert choices["kind"] == [("Country example (box) (1)", "box"), ("Text (3)", "paragraph")]
    spanish = filter_choices([passage(1, kind="recommendation"), passage(2, kind="box")], "es")
    assert spanish["kind"] == [("Ejemplo de país (recuadro) (1)", "box"), ("Propuestas de acción (1)", "recommendation")]


def test_documents_whose_short_titles_coincide_are_told_apart():
    long = "Public Procurement Review of the Mexican Institute for Social Security: Enhancing Efficiency"
    choices = filter_choices([passage(1, doc_id="a", title=long + " and Integrity"),
                              passage(2, doc_id="b", title=long + " for Better Health Care")])
    assert [label for label, _ in choices["doc"]] == [f"{long[:59].rstrip()}… (a)", f"{long[:59].rstrip()}… (b)"]


def test_the_browser_language_picks_spanish_or_english():
    assert ui_lang("es-MX,es;q=0.9,en;q=0.8") == "es"
    assert ui_lang("en-GB,es;q=0.5") == "en" and ui_lang(None) == "en"
    assert t("es", "pack_count", n=2) == "2 pasaje(s) en el paquete"
