"""HTML of answers and sources: markers link to sources, quotes are marked, document text stays text."""

from ui.render import answer_message, documents_table, highlight, source_card, sources_panel, user_message

P1 = {"n": 1, "id": "p1", "cited": True, "text": "Intro. Chile certifies buyers <script>x()</script>. End.",
      "title": "Enhancing capability", "chapter": "5", "chapter_title": "Capability", "section": "Training",
      "box_id": "5.2", "box_title": "Training in Chile", "countries": ["Chile"], "page": 12, "page_end": None,
      "citation": "OECD (2013) › Box 5.2"}
P2 = {**P1, "n": 2, "id": "p2", "cited": False, "text": "Other <img src=x onerror=alert(1)>", "box_id": "",
      "box_title": "", "countries": []}
ANSWER = {"question": "q", "answer": "Chile certifies buyers. [1]", "abstained": False, "lang": "en",
          "citations": [{"n": 1, "passage_id": "p1", "quote": "Chile certifies buyers <script>x()</script>.",
                         "citation": "c", "start": 7, "end": 51}], "passages": [P1, P2]}


def test_highlight_marks_spans_and_escapes_everything_else():
    assert highlight("a <b> c", [(4, 7)]) == "a &lt;b<mark>&gt; c</mark>"
    assert highlight("abcdef", [(3, 5), (0, 2), (1, 4)]) == "<mark>abcde</mark>f"  # overlaps merged


def test_an_answer_links_each_marker_to_its_source_card():
    msg = answer_message(ANSWER, 3)
    assert 'href="#src-3-1"' in msg and "&lt;script&gt;" in msg and "<script>" not in msg
    card = source_card(P1, 3, [(7, 51)], "en")
    assert 'id="src-3-1"' in card and "<mark>Chile certifies buyers &lt;script&gt;" in card
    assert "Box 5.2. Training in Chile" in card and "<dd>12</dd>" in card


def test_an_abstention_is_labelled_and_still_lists_the_related_passages():
    msg = answer_message({**ANSWER, "abstained": True, "citations": [], "answer": "Not covered."}, 0)
    assert 'class="kb-abstain"' in msg and "Not covered by the reviews" in msg and 'href="#src-0-2"' in msg
    why = answer_message({**ANSWER, "abstained": True, "citations": [], "reason_kind": "unknown_name",
                              "reason_terms": ["PAHO"]}, 0)
    assert '<p class="kb-why">The reviews never mention PAHO.</p>' in why
    es = answer_message({**ANSWER, "abstained": True, "citations": [], "lang": "es"}, 0)
    assert "No cubierto por las revisiones" in es


def test_a_spanish_answer_names_the_english_passages_it_quotes():
    msg = answer_message({**ANSWER, "lang": "es"}, 0)
    assert "Respuesta basada en pasajes en inglés:" in msg and "Recuadro 5.2 · Chile: Training in Chile" in msg
    assert "kb-terms" not in msg  # no glossary term reached the quotes
    terms = [{"asked": "compradores", "found": "buyers"}, {"asked": "<b>", "found": "x"}]
    msg = answer_message({**ANSWER, "lang": "es", "terms": terms}, 0)
    assert "Sus términos en las citas: compradores → <em>buyers</em>; &lt;b&gt; → <em>x</em>" in msg
    proposal = {**P1, "kind": "recommendation", "box_id": "", "box_title": "", "countries": []}
    msg = answer_message({**ANSWER, "lang": "es", "passages": [proposal, P2]}, 0)
    assert "Propuesta de acción · Capability" in msg


def test_panels_escape_user_and_document_text():
    panel = sources_panel([{"question": "<img src=x onerror=alert(1)>", "answer": ANSWER}], "es")
    assert "<img" not in panel and "&lt;img src=x onerror=alert(1)&gt;" in panel and "Fuentes" in panel
    assert "<img" not in user_message("<img src=x>", "<img src=x>", "en")
    table = documents_table({"files": {"/d/x.md": {"title": "<script>t</script>", "passages": 3, "boxes": 1,
                                                    "indexed_at": "2026-01-02T03:04:05"}}}, "en")
    assert "&lt;script&gt;t&lt;/script&gt;" in table and "2026-01-02 03:04" in table


def test_a_generated_answer_shows_its_own_sentences_with_linked_markers():
    llm = {**ANSWER, "lang": "es", "mode": "llm",
           "answer": 'Chile certifica a sus compradores <b> [1] "Chile certifies buyers".'}
    msg = answer_message(llm, 2)
    assert 'Chile certifica a sus compradores &lt;b&gt; <a class="kb-cite" href="#src-2-1">[1]</a>' in msg


def test_markdown_emphasis_is_shown_as_formatting_and_quoted_spans_stay_on_their_words():
    text = "**April 2018** Workshop on *per se* rules."
    assert highlight(text) == "<strong>April 2018</strong> Workshop on <em>per se</em> rules."
    start = text.index("Workshop")  # a source span over the emphasis: the markers inside it vanish too
    assert highlight(text, [(start, len(text))]) == (
        "<strong>April 2018</strong> <mark>Workshop on </mark><mark><em>per se</em></mark><mark> rules.</mark>")
    quoted = {**ANSWER, "citations": [{**ANSWER["citations"][0], "quote": "Staff (*honorarios*) are **hired**."}]}
    msg = answer_message(quoted, 0)
    assert "Staff (<em>honorarios</em>) are <strong>hired</strong>." in msg and "*" not in msg
