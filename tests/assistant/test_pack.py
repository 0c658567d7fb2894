"""Workshop packs: grouping, Markdown and Word exports with citations and the OECD acknowledgement."""

from docx import Document

from assistant.pack import (ACKNOWLEDGEMENT, add_item, export_docx, export_markdown, group_items, make_item,
                     pack_from_questions, remove_item, set_note)

CHILE = {"id": "a", "text": "Chile trains buyers. They certify <b>every</b> two years.", "title": "Capability",
         "doc_id": "cap", "kind": "box", "chapter": "5", "chapter_title": "Capability", "section": "Training",
         "box_id": "5.2", "box_title": "Training in Chile", "countries": ["Chile"], "page": None,
         "publication": "Public Procurement Review of IMSS", "year": 2013, "doi": "10.1787/9789264197480-8-en",
         "source_url": "", "citation": "OECD (2013) Public Procurement Review of IMSS › Chapter 5 › Box 5.2"}
GENERAL = {**CHILE, "id": "b", "text": "IMSS lacks a training plan.", "box_id": "", "box_title": "",
           "countries": [], "section": "Training gaps", "citation": "OECD (2013) › Chapter 5 › Training gaps"}
INNOVATION = {**CHILE, "id": "c", "title": "Innovation", "doc_id": "inn", "year": 2018, "countries": ["Norway"],
              "publication": "Second Public Procurement Review of IMSS", "doi": "10.1787/9789264190191-en",
              "citation": "OECD (2018) › Chapter 9 › Box 9.4", "box_id": "9.4", "box_title": "Norway"}


def pack() -> list[dict]:
    items: list[dict] = []
    for p, spans in ((INNOVATION, []), (GENERAL, []), (CHILE, [(21, 57)])):
        items, added = add_item(items, make_item(p, spans, question="How are buyers trained?"))
        assert added
    items, added = add_item(items, make_item(CHILE))
    assert not added and len(items) == 3
    return set_note(items, "a", "Discuss with the Chile group")


def test_items_group_by_document_oldest_first_then_country_general_last():
    groups = group_items(pack())
    assert [(doc, [c for c, _ in countries]) for doc, countries in groups] == [
        ("Capability", ["Chile", ""]), ("Innovation", ["Norway"])]
    assert [i["id"] for i in remove_item(pack(), "b")] == ["c", "a"]


def test_markdown_export_has_citations_quotes_notes_and_acknowledgement(tmp_path):
    text = export_markdown(pack(), tmp_path / "pack.md").read_text(encoding="utf-8")
    assert "OECD (2013) Public Procurement Review of IMSS › Chapter 5 › Box 5.2" in text
    assert "OECD (2018) › Chapter 9 › Box 9.4" in text
    assert "__They certify &lt;b&gt;every&lt;/b&gt; two years.__" in text  # quoted, and markup made inert
    assert "_Note:_ Discuss with the Chile group" in text
    assert (f"{ACKNOWLEDGEMENT}: OECD (2013), Public Procurement Review of IMSS, "
            "https://doi.org/10.1787/9789264197480-8-en.") in text
    assert f"{ACKNOWLEDGEMENT}: OECD (2018), Second Public Procurement Review of IMSS" in text
    assert text.index("### Chile") < text.index("### General") < text.index("## Innovation")


def test_docx_export_holds_the_same_content(tmp_path):
    doc = Document(str(export_docx(pack(), tmp_path / "pack.docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Citation: OECD (2013) Public Procurement Review of IMSS › Chapter 5 › Box 5.2" in text
    assert "Note: Discuss with the Chile group" in text and ACKNOWLEDGEMENT in text
    bold = [r.text for p in doc.paragraphs for r in p.runs if r.bold]
    assert "They certify <b>every</b> two years." in bold


class FakeAnswer:
    def __init__(self, d):
        self.d = d

    def to_dict(self):
        return self.d


class FakeKB:
    def ask(self, question, k=None):
        if "Australia" in question:
            return FakeAnswer({"citations": [], "passages": [{**GENERAL, "n": 1, "cited": False}], "abstained": True})
        cite = {"n": 1, "passage_id": "a", "quote": "Chile trains buyers.", "start": 0, "end": 20}
        return FakeAnswer({"citations": [cite], "abstained": False,
                           "passages": [{**CHILE, "n": 1, "cited": True}, {**GENERAL, "n": 2, "cited": False}]})


def test_pack_from_questions_collects_cited_passages_once():
    items = pack_from_questions(FakeKB(), ["How are buyers trained?", "", "Capital of Australia?", "Again?"])
    assert [(i["id"], i["spans"], i["question"]) for i in items] == [("a", [[0, 20]], "How are buyers trained?")]


def test_spanish_exports_have_spanish_headings_and_the_sources_own_words(tmp_path):
    text = export_markdown(pack(), tmp_path / "pack.md", lang="es").read_text(encoding="utf-8")
    assert text.startswith("# Paquete de taller") and "3 pasaje(s)" in text
    assert "_Nota:_ Discuss with the Chile group" in text and "_Cita:_ OECD (2013)" in text
    assert "## Reconocimiento" in text and ACKNOWLEDGEMENT in text  # the OECD's wording, as its terms ask
    assert "_Note:_" not in text and "Acknowledgement" not in text
    doc = Document(str(export_docx(pack(), tmp_path / "pack.docx", lang="es")))
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert "Nota: Discuss with the Chile group" in paragraphs and "Fuente: OECD (2013)" in paragraphs
    assert "Citation:" not in paragraphs


def test_exports_are_plain_text_the_source_markdown_dropped_and_quotes_still_marked(tmp_path):
    text = "**April 2018** Workshop. Temporary staff (*honorarios*) is hired in August. Done."
    start = text.index("Temporary")
    item = make_item({**GENERAL, "id": "m", "text": text, "section": "**Timeline**"}, [(start, text.index(" Done"))])
    md = export_markdown([item], tmp_path / "pack.md").read_text(encoding="utf-8")
    assert "*" not in md  # neither the source's emphasis nor our own formatting uses asterisks
    assert "April 2018 Workshop. __Temporary staff (honorarios) is hired in August.__ Done." in md
    assert "#### 1. Timeline" in md
    doc = Document(str(export_docx([item], tmp_path / "pack.docx")))
    assert "*" not in "\n".join(p.text for p in doc.paragraphs)
    assert [r.text for p in doc.paragraphs for r in p.runs if r.bold] == ["Temporary staff (honorarios) is hired in August."]


def test_docx_has_title_author_and_a_followups_resolved_question(tmp_path):
    item = make_item(CHILE, question="¿y en Chile?", searched="¿Cómo capacitan a los compradores en Chile?")
    doc = Document(str(export_docx([item], tmp_path / "pack.docx", lang="es")))
    assert doc.core_properties.title.startswith("Paquete de taller") and doc.core_properties.author
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Pregunta: ¿y en Chile? (buscada como: ¿Cómo capacitan a los compradores en Chile?)" in text
    assert make_item(CHILE, question="Chile?", searched="Chile?")["searched"] == ""  # not a follow-up


def test_a_box_about_several_countries_is_grouped_under_one():
    several = make_item({**CHILE, "countries": ["Canada", "Mexico", "United Kingdom"]})
    assert [c for _, groups in group_items([several]) for c, _ in groups] == ["Canada"]
