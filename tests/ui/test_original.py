"""The original behind a source: a real PDF rendered with the quote found and painted over; a
passage shown among its neighbours with its quote marked."""

import base64
import io

from fpdf import FPDF
from PIL import Image

from ui.original import context_view, pdf_view


def make_pdf(path):
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in ("A first page about tenders.", "Norway trains buyers in framework agreements every spring, "
                 "and the central purchasing body certifies them after an exam."):
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def test_pdf_page_shows_the_quote_highlighted(tmp_path):
    passage = {"source_path": str(make_pdf(tmp_path / "r.pdf")), "page": 1, "page_end": 2, "title": "Review"}
    html = pdf_view(passage, ["the central purchasing body certifies them after an exam."], "en")
    assert 'data-runs="' in html and 'data-runs="0"' not in html and "Page 2" in html  # found on page 2
    png = base64.b64decode(html.split("base64,", 1)[1].split('"', 1)[0])
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = [image.getpixel((x, y)) for x in range(0, image.width, 3) for y in range(0, image.height, 3)]
    assert any(r > 240 and 200 < g < 240 and b < 200 for r, g, b in pixels)  # translucent yellow over white


def test_missing_file_is_said_plainly(tmp_path):
    assert "no longer at" in pdf_view({"source_path": str(tmp_path / "gone.pdf"), "page": 1}, ["x"], "en")
    assert "ya no está" in pdf_view({"source_path": str(tmp_path / "gone.pdf"), "page": 1}, ["x"], "es")


def test_context_marks_the_passage_among_its_neighbours():
    ps = [{"id": f"p{i}", "text": f"Sentence {i} <b>here</b>.", "breadcrumb": f"Doc › Chapter {i}"} for i in range(3)]
    html = context_view(ps[1], ps, [(0, 10)], "es")
    assert html.count("kb-context-this") == 1 and "<mark>Sentence 1</mark>" in html
    assert "&lt;b&gt;" in html and "el pasaje en su documento" in html  # escaped, in the interface language
