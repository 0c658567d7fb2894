"""The chat in a real browser: markers to sources, Spanish, abstention, filters, follow-ups, feedback."""

import json
import time

from assistant.feedback import feedback_path

CHILE = "How does Chile train and certify its procurement workforce?"


def test_empty_screen_offers_english_and_spanish_examples(server, page, snap):
    page.goto(server)
    chat = page.locator("#chat")
    chat.get_by_text(CHILE).wait_for()
    assert "¿Cómo capacita y certifica Chile a sus compradores públicos?" in chat.inner_text()
    page.locator("#sources-hint").get_by_text("The sources of an answer appear here").wait_for()
    page.wait_for_function("() => !document.querySelector('.wrap.default.full:not(.hide)')")  # nothing loading
    snap(page, "1-empty")
    chat.get_by_text("What are the IMSS Innovation Olympics?").click()  # an example is asked at once
    page.locator("#chat .kb-answer").wait_for(timeout=120_000)
    assert "Box 9.3" in page.locator("#sources").inner_text()


def test_clicking_a_marker_selects_its_source_with_the_quote_highlighted(server, page, ask, snap):
    page.goto(server)
    ask(page, CHILE)
    markers = page.locator("#chat .kb-answer a.kb-cite")
    assert markers.count() >= 2
    last = markers.last
    n = last.get_attribute("href").rsplit("-", 1)[1]
    last.click()
    card = page.locator(f"#src-0-{n}")
    page.wait_for_function("id => document.getElementById(id).classList.contains('kb-selected')", arg=f"src-0-{n}")
    marked = card.locator("mark")
    assert marked.count() >= 1
    quote = marked.first.inner_text().strip()
    assert quote and quote in page.locator("#chat .kb-answer").inner_text()  # the answer's sentence, marked
    page.wait_for_function(  # the panel scrolled to the card: at its top, or as far as it goes
        """id => { const c = document.getElementById(id).getBoundingClientRect();
                   const panel = document.querySelector('#sources .kb-sources');
                   const p = panel.getBoundingClientRect();
                   const end = panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 1;
                   return (Math.abs(c.top - p.top) < 16 || (end && c.top >= p.top)) && c.top < p.bottom; }""",
        arg=f"src-0-{n}")
    card_text = card.inner_text()
    assert "Document" in card_text and "Chapter" in card_text and "Section" in card_text
    snap(page, "2-answer-marker-selected")


def test_spanish_browser_and_question_get_spanish_interface_and_box_5_2(server, new_page, ask, snap):
    page = new_page("es-ES")
    page.goto(server)
    page.get_by_role("button", name="Preguntar").wait_for()
    ask(page, "¿Cómo capacita y certifica Chile a sus compradores públicos?")
    sources = page.locator("#sources")
    assert "Box 5.2. Training and certification in Chile’s acquisition workforce" in sources.inner_text()
    assert "Fuentes" in sources.inner_text() and "Recuadro" in sources.inner_text()
    said = page.locator("#chat .kb-answer").last.inner_text()
    assert "Respuesta basada en pasajes en inglés:" in said and "Recuadro 5.2 · Chile" in said
    assert "Sus términos en las citas:" in said and "compradores → procurement officials" in said
    ask(page, "¿y en Canadá?")  # a follow-up: the topic is carried, the new country replaces Chile
    assert "Buscado como continuación" in page.locator("#chat").inner_text()
    assert "Canada" in page.locator("#sources details[open]").inner_text()
    snap(page, "3-spanish-follow-up")
    ask(page, "¿Cuál es la capital de Australia?")  # declined, and said so in Spanish
    declined = page.locator("#chat .kb-abstain").last.text_content()  # as written (the label is styled upper-case)
    assert "No cubierto por las revisiones" in declined and "Pasajes relacionados" in declined
    assert "Las revisiones no parecen tratar esta pregunta" in declined
    assert "Pasajes relacionados" in page.locator("#sources details[open] summary").inner_text()


def test_out_of_corpus_question_is_declined_with_related_passages(server, page, ask, snap):
    page.goto(server)
    ask(page, "What is the capital of Australia?")
    declined = page.locator("#chat .kb-abstain").last
    assert "Not covered by the reviews" in declined.text_content()
    assert page.locator("#chat .kb-answer").count() == 0
    assert page.locator("#sources details[open] .kb-src").count() >= 1
    assert "Related passages" in page.locator("#sources details[open] summary").inner_text()
    snap(page, "4-abstention")


def test_a_country_filter_restricts_the_sources(server, page, ask):
    page.goto(server)
    question = "How are procurement officials trained?"
    ask(page, question)
    before = page.locator("#sources details[open]").inner_text()
    page.locator("#f-country input").click()
    page.get_by_role("option", name="Finland").click()
    page.keyboard.press("Escape")
    ask(page, question)
    cards = page.locator("#sources details[open] .kb-src")
    assert cards.count() >= 1 and page.locator("#sources details[open]").inner_text() != before
    for i in range(cards.count()):
        assert "Finland" in cards.nth(i).locator(".kb-country").inner_text()


def test_thumbs_down_and_a_comment_are_written_as_feedback(server, corpus_data_dir, page, ask):
    page.goto(server)
    question = "What does the OECD propose to reduce staff turnover in procurement?"
    ask(page, question)
    page.locator("#chat button[aria-label='Dislike']").last.click()
    page.locator("#fb-comment textarea").fill("Misses the career-path proposal")
    page.locator("#fb-send").click()
    path = feedback_path(corpus_data_dir)
    deadline = time.time() + 30
    while time.time() < deadline:
        records = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
        mine = [r for r in records if r["question"] == question]
        if any(r["comment"] for r in mine):
            break
        time.sleep(0.3)
    assert [r["rating"] for r in mine] == ["down", "down"] and mine[0]["id"] == mine[1]["id"]
    assert mine[1]["comment"] == "Misses the career-path proposal" and mine[0]["comment"] == ""
    assert mine[0]["answer"] and mine[0]["cited_passage_ids"] and mine[0]["config"] == "hybrid"
    assert mine[0]["settings"]["model"]


def test_copy_and_screen_readers_get_the_text_shown_not_markup(server, page, ask):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.goto(server)
    ask(page, "When is temporary staff hired?")  # the quote holds "(*honorarios*)" in the source
    answer = page.locator("#chat .kb-answer").last
    assert answer.locator("em", has_text="honorarios").count() == 1  # emphasis rendered, markers gone
    assert "*" not in answer.inner_text()
    labels = page.eval_on_selector_all("#chat [aria-label]", "els => els.map(e => e.getAttribute('aria-label'))")
    assert any(label.startswith("bot's message: Temporary staff (honorarios)") for label in labels)
    assert not [label for label in labels if "<" in label or "*" in label]
    answer.hover()
    page.locator("#chat button[aria-label='Copy message']").last.click()
    time.sleep(0.5)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Temporary staff (honorarios) is normally hired") and copied.endswith("[1]")
    assert "<" not in copied and "*" not in copied


CONTRAST_JS = """([sel, pseudo]) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = (c) => { const [r, g, b] = rgb(c).slice(0, 3).map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const el = document.querySelector(sel);
  const fg = getComputedStyle(el, pseudo).color;
  let bg = null;
  for (let e = el; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
    if (rgb(c).length === 3 || (rgb(c).length === 4 && rgb(c)[3] > 0.9)) { bg = c; break; } }
  const [a, b] = [lum(fg), lum(bg || "rgb(255,255,255)")].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_text_and_controls_meet_wcag_aa_contrast(server, page, ask):
    page.goto(server)
    ask(page, "How does Chile train and certify its procurement workforce?")
    for selector, pseudo in (("#ask", None), ("#chat .kb-cite", None), ("#question textarea", "::placeholder"),
                             ("#chat .kb-answer p", None)):
        ratio = page.evaluate(CONTRAST_JS, [selector, pseudo])
        assert ratio >= 4.5, (selector, round(ratio, 2))


def test_on_a_phone_all_three_tabs_and_the_ask_button_show_in_both_languages(server, browser):
    for locale, tabs, ask_label in (("en-US", ("Ask", "Workshop pack", "Documents"), "Ask"),
                                    ("es-ES", ("Preguntar", "Taller", "Documentos"), "Preguntar")):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale)
        page = context.new_page()
        page.goto(server)
        button = page.locator("#ask")
        button.wait_for()
        for name in tabs:
            assert page.get_by_role("tab", name=name).is_visible(), (locale, name)
        assert button.inner_text().strip() == ask_label
        assert page.evaluate("b => b.scrollWidth <= b.clientWidth", button.element_handle())  # label not clipped
        context.close()


def test_the_first_tab_stop_skips_to_the_latest_answer(server, page, ask):
    page.goto(server)
    ask(page, "What are the IMSS Innovation Olympics?")
    page.reload()  # a fresh page (the conversation comes back from the browser's storage)
    page.locator("#chat [aria-label^=\"bot's message: \"]").first.wait_for()
    first = "document.querySelector('a[href], button, input, textarea, select, [tabindex]').id"
    assert page.evaluate(first) == "kb-skip"  # the first stop in the tab order
    page.focus("#kb-skip")
    assert page.evaluate("document.querySelector('#kb-skip').getBoundingClientRect().top >= 0")  # on screen when focused
    page.keyboard.press("Enter")
    label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
    assert label.startswith("bot's message: ") and "Innovation Olympics" in label


def test_filter_lists_do_not_open_on_keyboard_focus(server, page):
    page.goto(server)
    page.locator("#ask").wait_for()
    page.wait_for_timeout(1000)
    page.locator("#filters input").first.focus()
    page.keyboard.press("Tab")  # to the next filter, as a keyboard user moves
    page.wait_for_timeout(400)
    assert page.locator("[role=listbox] [role=option]").count() == 0
    page.keyboard.press("ArrowDown")  # asked for: the list opens
    page.locator("[role=listbox] [role=option]").first.wait_for()
