"""Readers on real files of every supported type, including a real PDF and a broken one."""

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from corpus.readers import ReadError, discover, read_document


def make_pdf(path: Path, pages: list[str]) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    return path


def test_markdown_front_matter(tmp_path):
    f = tmp_path / "doc.md"
    f.write_text("---\ntitle: A review\nchapter: '3'\n---\n\n# Heading\n\nBody text.\n", encoding="utf-8")
    doc = read_document(f)
    assert doc.meta == {"title": "A review", "chapter": "3"}
    assert doc.pages[0].text.strip().startswith("# Heading") and len(doc.sha256) == 64


def test_pdf_keeps_page_numbers(tmp_path):
    f = make_pdf(tmp_path / "r.pdf", ["Tendering in Norway is decentralised.", "Chile certifies its buyers."])
    doc = read_document(f)
    assert [p.number for p in doc.pages] == [1, 2]
    assert "Chile certifies" in doc.pages[1].text


def test_docx_headings_and_paragraphs(tmp_path):
    d = docx.Document()
    d.add_heading("Training buyers", level=1)
    d.add_paragraph("Officials follow a three-level programme.")
    d.save(tmp_path / "w.docx")
    doc = read_document(tmp_path / "w.docx")
    assert "# Training buyers" in doc.pages[0].text and "three-level" in doc.pages[0].text


def test_html_drops_scripts_keeps_text(tmp_path):
    f = tmp_path / "p.html"
    f.write_text("<html><head><title>T</title><script>alert(1)</script></head>"
                 "<body><h2>Section</h2><p>Visible <b>text</b>.</p></body></html>", encoding="utf-8")
    doc = read_document(f)
    assert "alert" not in doc.pages[0].text and "Visible text." in doc.pages[0].text
    assert doc.meta["title"] == "T"


@pytest.mark.parametrize("name,content,reason", [
    ("empty.md", b"", "empty"),
    ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf", "PDF"),
    ("broken.docx", b"PK\x03\x04 not a zip", ".docx"),
    ("notes.rtf", b"{\\rtf1 hi}", "unsupported"),
])
def test_bad_files_raise_a_clear_reason(tmp_path, name, content, reason):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(ReadError, match=reason):
        read_document(f)


def test_discover_skips_hidden_readme_and_unsupported(tmp_path):
    for name in ("a.md", "b.pdf", "README.md", ".hidden.md", "c.py", "sub/d.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path).files] == ["a.md", "b.pdf", "sub/d.txt"]


# -- property tests (hypothesis): readers never crash, never lose text --------------------------------
import tempfile  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PROSE = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff\ufffd"),
                min_size=1, max_size=500).filter(lambda t: t.strip() and not t.startswith("---"))


@settings(max_examples=100, deadline=None)
@given(PROSE)
def test_text_files_keep_every_character(text):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "t.md"
        f.write_text(text, encoding="utf-8")
        assert read_document(f).pages[0].text == text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=800), st.sampled_from([".html", ".md", ".txt", ".pdf", ".docx"]))
def test_any_content_reads_or_fails_with_a_reason(text, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / f"x{suffix}"
        f.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            doc = read_document(f)
        except ReadError as exc:
            assert str(exc) and "Error" not in str(exc)
        else:
            assert any(p.text.strip() for p in doc.pages)
