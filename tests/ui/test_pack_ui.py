"""The trainer's workshop pack in a real browser: collect sources, add a note, export Markdown."""

from pathlib import Path


def export_markdown(page) -> str:
    """Click "Export Markdown", download the file it offers, return its text."""
    page.locator("#export-md").click()
    link = page.locator("#pack-file a").first
    link.wait_for()
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_collect_two_sources_and_export_markdown_with_both_citations(server, page, ask, snap):
    page.goto(server)
    ask(page, "How does Chile train and certify its procurement workforce?")
    cards = page.locator("#sources details[open] .kb-src")
    citations = []
    for i in (0, 1):
        cards.nth(i).locator(".kb-collect").click()
        page.get_by_text("Added to the workshop pack").nth(i).wait_for()
    page.get_by_role("tab", name="Workshop pack").click()
    page.get_by_text("2 passage(s) in the pack").wait_for()
    notes = page.locator(".kb-note-box textarea")
    notes.first.fill("Use in the certification session")
    notes.first.blur()
    for i in (0, 1):
        citations.append(page.locator(".kb-pack-cite").nth(i).inner_text().strip())
    page.get_by_text("Added to the workshop pack").first.wait_for(state="hidden")  # toasts gone
    snap(page, "5-workshop-pack", full_page=True)
    text = export_markdown(page)
    for citation in citations:
        assert citation and citation in text
    assert "Use in the certification session" in text
    assert "OECD material reproduced for own use with acknowledgement of the OECD as source: OECD (2013)" in text


def test_a_spanish_interface_exports_a_pack_headed_in_spanish(server, new_page, ask):
    page = new_page("es-ES")
    page.goto(server)
    ask(page, "¿Cómo capacita y certifica Chile a sus compradores públicos?")
    page.locator("#sources details[open] .kb-src").first.locator(".kb-collect").click()
    page.get_by_text("Añadido al paquete de taller").first.wait_for()
    page.get_by_role("tab", name="Taller").click()
    page.get_by_text("1 pasaje(s) en el paquete").wait_for()
    text = export_markdown(page)
    assert text.startswith("# Paquete de taller") and "_Cita:_" in text and "## Reconocimiento" in text


def test_chat_and_pack_survive_a_reload_and_emptying_asks_first(server, page, ask):
    page.goto(server)
    ask(page, "How does Chile train and certify its procurement workforce?")
    page.locator("#sources details[open] .kb-src").first.locator(".kb-collect").click()
    page.get_by_text("Added to the workshop pack").first.wait_for()
    page.reload()
    page.locator("#chat .kb-answer").first.wait_for()  # the conversation is back, with its sources
    assert "Chile" in page.locator("#sources details[open]").inner_text()
    page.get_by_role("tab", name="Workshop pack").click()
    page.get_by_text("1 passage(s) in the pack").wait_for()
    page.once("dialog", lambda dialog: dialog.dismiss())  # "Empty the pack?" — no: nothing changes
    page.locator("#clear-pack").click()
    page.wait_for_timeout(800)
    assert page.get_by_text("1 passage(s) in the pack").is_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#clear-pack").click()
    page.get_by_text("The pack is empty.").wait_for()
    page.reload()
    page.get_by_role("tab", name="Workshop pack").click()
    page.get_by_text("The pack is empty.").wait_for()
