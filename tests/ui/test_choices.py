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
    assert choices["kind"] == [("box (1)", "box"), ("paragraph (3)", "paragraph")]


def test_the_browser_language_picks_spanish_or_english():
    assert ui_lang("es-MX,es;q=0.9,en;q=0.8") == "es"
    assert ui_lang("en-GB,es;q=0.5") == "en" and ui_lang(None) == "en"
    assert t("es", "pack_count", n=2) == "2 pasaje(s) en el paquete"
