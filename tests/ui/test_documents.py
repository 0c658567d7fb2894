"""Documents tab in a real browser, on a second server over a copy of the index (uploads change it)."""

from fpdf import FPDF

PDF_TEXT = [
    "Zanzibar Lighthouse Programme",
    "The Zanzibar Lighthouse Programme trains hospital buyers in cold-chain logistics for vaccines.",
    "Each cohort of the Zanzibar Lighthouse Programme spends six weeks with regional warehouses.",
    "Graduates of the programme audit the temperature records of every vaccine delivery.",
]
HOSTILE = """---
title: "<img src=x onerror=alert(1)> Quokka notes"
---

# Quokka tender review

The quokka tender review warns that <script>alert('xss')</script> was pasted into supplier portals.

Auditors of the quokka tender found <img src=x onerror=alert(1)> inside the bid documents.
"""
GERMANY = """---
title: Training hospital buyers
publication: 'Procurement Review of Hospital Networks'
year: 2021
chapter: '1'
chapter_title: Training hospital buyers
doi: 10.1787/0000000000-en
---

Chapter 1

Training hospital buyers

Hospital networks depend on buyers who know the markets for medicines and equipment. This review looks at
how several countries train them, and what a hospital network could learn from their experience.

Box 1.1. Professional certification of hospital buyers in Germany

The federal procurement academy certifies hospital buyers through a twelve-week course on e-procurement,
framework agreements and market analysis, followed by an examination before a panel of senior buyers.

Source: Federal Procurement Academy (2020).

After the box, the review returns to the hospital network and its own training plans for buyers.
"""


def make_pdf(path):
    pdf = FPDF()
    pdf.set_title("Zanzibar Lighthouse Programme")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in PDF_TEXT:
        pdf.multi_cell(0, 8, line)
        pdf.ln(4)
    pdf.output(str(path))
    return path


def upload(page, path):
    page.get_by_role("tab", name="Documents").click()
    page.locator("#upload input[type=file]").set_input_files(str(path))
    page.wait_for_function("name => { const r = document.querySelector('#upload-report');"
                           " return r && r.innerText.toLowerCase().includes(name)"
                           " && /Indexed|was not added/.test(r.innerText); }",
                           arg=path.stem.split(" ")[0].lower(), timeout=300_000)
    return page.locator("#upload-report").inner_text()


def test_an_uploaded_pdf_is_listed_and_answerable(upload_server, upload_data_dir, page, ask, tmp_path, snap):
    page.goto(upload_server)
    page.get_by_role("tab", name="Documents").click()
    page.locator("#documents table").wait_for()
    assert "Enhancing procurement capability in IMSS" in page.locator("#documents").inner_text()
    assert "all-MiniLM-L6-v2" in page.locator("#status").inner_text()
    report = upload(page, make_pdf(tmp_path / "Zanzibar Lighthouse (2024).pdf"))
    assert "Indexed" in report and "Zanzibar Lighthouse Programme" in report
    assert "Zanzibar_Lighthouse_2024.pdf" in page.locator("#documents").inner_text()
    # the upload and Gradio's own staging copy both stay inside the data directory
    assert (upload_data_dir / "uploads" / "Zanzibar_Lighthouse_2024.pdf").is_file()
    assert list((upload_data_dir / "tmp").rglob("*.pdf"))
    page.get_by_role("tab", name="Ask").click()
    ask(page, "What does the Zanzibar Lighthouse Programme train hospital buyers in?")
    assert page.locator("#chat .kb-answer").count() == 1
    assert "Zanzibar Lighthouse Programme" in page.locator("#sources details[open] .kb-src.kb-cited").first.inner_text()
    # the original, one click away: the PDF page, served by the app, the quoted sentence highlighted
    page.locator("#sources details[open] .kb-src.kb-cited .kb-open").first.click()
    shown = page.locator("#original .kb-original img")
    shown.wait_for(timeout=60_000)
    assert shown.get_attribute("alt").startswith("Page 1 of Zanzibar Lighthouse Programme")
    assert int(page.locator("#original .kb-original").get_attribute("data-runs")) > 0  # highlighted runs
    assert page.evaluate("img => img.naturalWidth > 500", shown.element_handle())
    snap(page, "6b-pdf-page")
    page.get_by_role("tab", name="Documents").click()
    snap(page, "6-documents")


def test_a_pdf_review_with_a_box_comes_out_as_a_box_with_its_country(upload_server, page, ask, tmp_path,
                                                                       oecd_pdf, snap):
    source = tmp_path / "germany.md"
    source.write_text(GERMANY, encoding="utf-8")
    pdf = tmp_path / "Hospital buyers review.pdf"
    oecd_pdf(source, pdf)  # shaded box, running header and footer, justified hyphenated text
    page.goto(upload_server)
    assert "Indexed" in upload(page, pdf)
    page.get_by_role("tab", name="Ask").click()
    page.locator("#f-country input").click()
    page.get_by_role("option", name="Germany").click()
    page.keyboard.press("Escape")
    ask(page, "How are hospital buyers certified?")
    card = page.locator("#sources details[open] .kb-src").first
    assert "Germany" in card.locator(".kb-country").inner_text()
    assert "Box 1.1" in card.inner_text() and "Professional certification of hospital buyers" in card.inner_text()
    # its page opens scrolled to the highlighted box, which sits at the foot of the page
    card.locator(".kb-open").click()
    view = page.locator("#original .kb-original")
    view.wait_for(timeout=60_000)
    assert int(view.get_attribute("data-runs")) > 0 and float(view.get_attribute("data-focus")) > 0.5
    page.wait_for_function("() => document.querySelector('#original .kb-original').scrollTop > 0", timeout=10_000)
    snap(page, "6c-pdf-box")


def test_a_markdown_source_opens_in_its_document(upload_server, page, ask):
    page.goto(upload_server)
    ask(page, "What are the IMSS Innovation Olympics?")
    page.locator("#sources details[open] .kb-src.kb-cited .kb-open").first.click()
    this = page.locator("#original .kb-context-this")
    this.wait_for(timeout=60_000)
    assert this.locator("mark").count() >= 1  # the quoted sentences marked in place
    assert page.locator("#original .kb-context").count() > 1  # among its neighbours
    page.locator("#original .kb-close").click()
    assert page.locator("#original .kb-original").count() == 0
    page.locator("#sources details[open] .kb-src.kb-cited .kb-open").first.click()  # the same again shows again
    this.wait_for(timeout=60_000)


def test_markup_in_an_uploaded_document_renders_as_text(upload_server, page, ask, tmp_path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(upload_server)
    path = tmp_path / "quokka.md"
    path.write_text(HOSTILE, encoding="utf-8")
    assert "Indexed" in upload(page, path)
    assert "<img src=x onerror=alert(1)> Quokka notes" in page.locator("#documents").inner_text()
    page.get_by_role("tab", name="Ask").click()
    ask(page, "What did the quokka tender review warn about supplier portals?")
    sources = page.locator("#sources").inner_text()
    assert "<script>alert('xss')</script>" in sources and "<img src=x onerror=alert(1)>" in sources
    assert page.locator("img[onerror], img[src='x'], #sources script").count() == 0
    assert not dialogs


def test_an_empty_file_is_refused_with_a_reason(upload_server, page, tmp_path):
    page.goto(upload_server)
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    report = upload(page, path)
    assert "was not added" in report and "empty" in report
    assert "empty.txt" not in page.locator("#documents").inner_text()


def test_an_uploaded_document_can_be_removed_after_a_confirmation(upload_server, upload_data_dir, page, tmp_path):
    page.goto(upload_server)
    path = tmp_path / "wombat.md"
    path.write_text("# Wombat procurement notes\n\nThe wombat tender office buys burrow maintenance services.\n",
                    encoding="utf-8")
    assert "Indexed" in upload(page, path)
    assert "wombat.md" in page.locator("#documents").inner_text()
    page.locator("#remove-doc input").click()
    page.get_by_role("option", name="wombat").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#remove-btn").click()
    page.get_by_text("Removed wombat").wait_for()
    assert "wombat.md" not in page.locator("#documents").inner_text()
    assert not (upload_data_dir / "uploads" / "wombat.md").exists()


def test_a_broken_file_is_refused_in_the_interface_language(upload_server, new_page, tmp_path):
    page = new_page("es-ES")
    page.goto(upload_server)
    path = tmp_path / "roto.pdf"
    path.write_bytes(b"%PDF-1.7\nthis is only text pretending to be a PDF\n")
    page.get_by_role("tab", name="Documentos").click()
    page.locator("#upload input[type=file]").set_input_files(str(path))
    page.wait_for_function("() => { const r = document.querySelector('#upload-report');"
                           " return r && r.innerText.includes('roto'); }", timeout=300_000)
    report = page.locator("#upload-report").inner_text()
    assert "no se añadió" in report and "no es un PDF legible" in report, report
    assert "roto.pdf" not in page.locator("#documents").inner_text()


def test_a_document_can_be_renamed_and_is_cited_under_its_new_title(upload_server, page, ask):
    page.goto(upload_server)
    page.get_by_role("tab", name="Documents").click()
    page.locator("#rename-doc input").click()
    page.get_by_role("option", name="Unlocking the potential for innovation").first.click()
    page.locator("#new-title textarea, #new-title input").first.fill("Innovation chapter (2018 review)")
    page.locator("#rename-btn").click()
    page.get_by_text("Renamed").wait_for()
    assert "Innovation chapter (2018 review)" in page.locator("#documents").inner_text()
    page.get_by_role("tab", name="Ask").click()
    ask(page, "What are the IMSS Innovation Olympics?")
    assert "Innovation chapter (2018 review)" in page.locator("#sources").inner_text()
