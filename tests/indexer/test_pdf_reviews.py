"""The bundled chapters as OECD-like PDFs come out of the reader with the structure of their
Markdown: the same boxes, countries, chapter and proposals, without running heads or broken words.
Two generators, in one and two columns: tests/data/pdf/make_oecd_pdfs.py (reportlab: running header
and footer, justified text hyphenated at line ends, shaded boxes running over pages, bold headings,
annex tables) and tests/data/pdf_fpdf/make_pdfs.py (fpdf2, written apart from the reader: framed or
grey boxes, regular-weight coloured headings, other running heads, soft-hyphen breaks)."""

import re
from collections import Counter
import pytest

from indexer.update import parse_file
from kb.settings import REPO_ROOT, Settings

CHAPTERS = ["imss-2013-chapter-05-capability", "imss-2018-chapter-09-innovation"]


MAKERS = ["reportlab", "fpdf2"]


@pytest.fixture(scope="module")
def parsed(tmp_path_factory, oecd_pdf, other_pdf) -> dict:
    """{(chapter, columns, maker): (passages from the PDF, passages from the Markdown, the maker's
    summary: pages, boxes over a page break, hyphenated line ends)}."""
    out, settings = tmp_path_factory.mktemp("pdf"), Settings()
    result = {}
    for stem in CHAPTERS:
        md = parse_file(REPO_ROOT / "corpus" / f"{stem}.md", stem, settings)
        for columns in (1, 2):
            for maker, make in zip(MAKERS, (oecd_pdf, other_pdf)):
                pdf = out / f"{stem}-{columns}-{maker}.pdf"
                s = make(REPO_ROOT / "corpus" / f"{stem}.md", pdf, columns=columns)
                summary = {"pages": s["pages"], "split": s.get("boxes_over_page_break") or s["boxes_crossing_page_break"],
                           "hyphens": s.get("hyphenated_line_ends", s.get("line_end_hyphens"))}
                result[(stem, columns, maker)] = (parse_file(pdf, stem, settings), md, summary)
    return result


def boxes(passages) -> dict:
    return {p.box_id: (p.box_title, tuple(p.countries)) for p in passages if p.kind == "box"}


@pytest.mark.parametrize("maker", MAKERS)
@pytest.mark.parametrize("columns", [1, 2])
@pytest.mark.parametrize("stem", CHAPTERS)
def test_boxes_countries_chapter_and_proposals_come_out_as_from_the_markdown(parsed, stem, columns, maker):
    pdf, md, summary = parsed[(stem, columns, maker)]
    assert summary["split"], "the generated PDF has a box running over a page break"
    assert boxes(pdf) == boxes(md) and len(boxes(md)) >= 4
    assert {p.chapter for p in pdf} == {p.chapter for p in md}
    assert {p.chapter_title for p in pdf} == {p.chapter_title for p in md}
    proposals = lambda ps: [re.sub(r"\W+", "", p.text) for p in ps if p.kind == "recommendation"]  # noqa: E731
    assert proposals(pdf) == proposals(md)


@pytest.mark.parametrize("maker", MAKERS)
@pytest.mark.parametrize("columns", [1, 2])
@pytest.mark.parametrize("stem", CHAPTERS)
def test_no_running_heads_broken_words_or_double_spaces(parsed, stem, columns, maker):
    pdf, md, summary = parsed[(stem, columns, maker)]
    assert summary["hyphens"] >= 100
    for p in pdf:
        assert "© OECD" not in p.text and "© OECD" not in p.section, p.section
        assert not re.fullmatch(r"\d+", p.section.split(" › ")[-1] if p.section else "x")
        assert "  " not in p.text
    split = re.compile(r"\b[a-z]+- [a-z]+\b")  # "offi- cials"
    assert sum(len(split.findall(p.text)) for p in pdf) <= sum(len(split.findall(p.text)) for p in md)
    # words the typesetter broke are whole again: the PDF's words are the Markdown's, bar a handful
    vocabulary = lambda ps: Counter(w for p in ps for w in re.findall(r"[a-z]+(?:-[a-z]+)*", p.text.lower()))  # noqa: E731
    unknown = set(vocabulary(pdf)) - set(vocabulary(md))
    assert len(unknown) <= 12, sorted(unknown)


def test_the_pdf_names_its_publication_year_and_doi_and_passages_keep_their_pages(parsed):
    pdf, md, summary = parsed[(CHAPTERS[0], 1, "reportlab")]
    p = pdf[0]
    assert p.title == "Enhancing procurement capability in IMSS"
    assert p.publication.startswith("Public Procurement Review of the Mexican Institute of Social Security")
    assert p.year == 2013 and p.doi == "10.1787/9789264197480-8-en"
    assert all(p.page is not None and 1 <= p.page <= p.page_end <= summary["pages"] for p in pdf)
    chile = next(p for p in pdf if p.box_id == "5.2")
    assert chile.countries == ["Chile"] and chile.page > 1
