"""The layout reader's pure parts: line-end hyphens, columns, running heads, paragraphs, metadata."""

from corpus.pdf_layout import drop_running, join_lines, markdown, metadata, paragraphs
from corpus.pdf_page import Line, gutter, line_text


def word(text, x0, x1, bottom=100.0, size=10.0, font="Times-Roman"):
    return {"text": text, "x0": x0, "x1": x1, "top": bottom - size, "bottom": bottom, "size": size, "fontname": font}


def line(text, page=1, top=100.0, x0=57.0, x1=442.0, size=10.0, bold=False, region="body", box=None, column="W"):
    return Line(text, page, x0, x1, top, top + size, size, bold, region, box, 442.0, column=column)


def test_a_line_end_hyphen_that_only_broke_the_word_is_dropped():
    assert join_lines("the procurement offi-", "cials of IMSS", set(), set()) == "the procurement officials of IMSS"


def test_a_word_with_its_own_hyphen_keeps_it():
    assert join_lines("in-depth co-", "ordination", set(), {"co-ordination"}) == "in-depth co-ordination"
    assert join_lines("a co-", "operation", set(), set()) == "a co-operation"  # a prefix that keeps it
    assert join_lines("evidence-", "based policy", set(), set()) == "evidence-based policy"
    assert join_lines("the high-", "risk areas", set(), set()) == "the high-risk areas"
    # the document writes the word whole elsewhere: the hyphen was the typesetter's
    assert join_lines("to re-", "commends", {"recommends", "re", "commends"}, set()) == "to recommends"


def test_other_line_ends():
    assert join_lines("see", "Box 5.2", set(), set()) == "see Box 5.2"
    assert join_lines("the Inter-", "American Bank", set(), set()) == "the Inter-American Bank"
    assert join_lines("by Chile-", "Compra", {"chilecompra"}, set()) == "by ChileCompra"  # the text writes it whole
    assert join_lines("at http://dx.doi.org/10.1787/", "9789264197480-en", set(), set()) == \
        "at http://dx.doi.org/10.1787/9789264197480-en"
    assert join_lines("2013-", "2018", set(), set()) == "2013- 2018"  # not a word broken in two


def test_words_in_two_fonts_join_without_a_space_and_unnamed_glyphs_are_bullets():
    words = [word("(", 57, 60), word("Instituto", 60, 95, font="Times-Italic"), word("–", 98, 103),
             word("IMSS)", 106, 130)]
    assert line_text(words) == "(Instituto – IMSS)"
    assert line_text([word("(cid:127)", 57, 62), word("Job", 70, 85)]) == "• Job"


def rows_of_two_columns(n=12):
    return [[word("left", 57, 150 + i, bottom=100 + 12 * i), word("text", 160, 280, bottom=100 + 12 * i),
             word("right", 306, 420, bottom=100 + 12 * i), word("text", 425, 539, bottom=100 + 12 * i)]
            for i in range(n)]


def test_two_columns_are_found_and_one_column_is_not():
    x = gutter(rows_of_two_columns(), 595.0)
    assert x is not None and 280 <= x <= 306
    one = [[word("justified", 57, 150, bottom=100 + 12 * i), word("body", 153, 300, bottom=100 + 12 * i),
            word("text", 303, 539, bottom=100 + 12 * i)] for i in range(12)]
    assert gutter(one, 595.0) is None
    # a table's narrow cells are not columns
    cells = [[word("a", 57, 90, bottom=100 + 12 * i), word("b", 200, 230, bottom=100 + 12 * i),
              word("c", 330, 360, bottom=100 + 12 * i), word("d", 480, 520, bottom=100 + 12 * i)] for i in range(12)]
    assert gutter(cells, 595.0) is None


def test_running_headers_footers_and_page_numbers_are_dropped():
    pages = []
    for n in range(1, 6):
        pages.append([line("5. ENHANCING PROCUREMENT CAPABILITY IN IMSS", n, top=30),
                      line(f"Body text of page {n}.", n, top=300),
                      line(f"{170 + n} PUBLIC PROCUREMENT REVIEW OF IMSS © OECD 2013", n, top=670)])
    kept = drop_running(pages, [708.0] * 5)
    assert [[ln.text for ln in p] for p in kept] == [[f"Body text of page {n}."] for n in range(1, 6)]


def test_paragraphs_run_over_a_page_break_and_boxes_are_quoted():
    lines = [
        line("Chapter 5", 1, top=60, size=16, bold=True),
        line("A paragraph whose last line on the page runs to the column's edge and whose offi-", 1, top=600),
        line("cials go on reading on the next page.", 2, top=60, x1=250),
        line("Box 5.2. Training in Chile", 2, top=100, bold=True, region="box", box=0),
        line("The Chilean workforce is trained.", 2, top=113, region="box", box=0, x1=300),
        line("Source: ChileCompra.", 2, top=140, region="box", box=0, x1=200),
        line("After the box.", 2, top=200, x1=150),
    ]
    out = markdown(paragraphs(lines))
    assert out[1] == ["# Chapter 5", "A paragraph whose last line on the page runs to the column's edge and whose "
                                     "officials go on reading on the next page."]
    assert out[2] == ["> Box 5.2. Training in Chile", "> The Chilean workforce is trained.",
                      "> Source: ChileCompra.", "After the box."]


def test_a_heading_over_two_lines_is_one_heading():
    lines = [line("Skills framework for procurement professionals in", 1, top=80, bold=True, x1=300),
             line("IMSS – an example", 1, top=93, bold=True, x1=150),
             line("Body.", 1, top=120, x1=100)]
    assert markdown(paragraphs(lines))[1][0] == "# Skills framework for procurement professionals in IMSS – an example"


def test_a_dash_that_begins_a_line_of_running_text_is_not_a_bullet():
    lines = [line("A justified paragraph whose lines run to the right edge of the column, as", 1, top=60),
             line("the lines of running text do in a printed review.", 1, top=73),
             line("Kaufmann (2012), Valuing Health Care: Improving Productivity and Quality, Kauffman", 1, top=100),
             line("- The Foundation of Entrepreneurship, Kansas City.", 1, top=113, x1=300),
             line("Intro to a list:", 1, top=140, x1=150),
             line("- a first item", 1, top=153, x1=150)]
    assert markdown(paragraphs(lines))[1][1:] == [
        "Kaufmann (2012), Valuing Health Care: Improving Productivity and Quality, Kauffman - The Foundation of "
        "Entrepreneurship, Kansas City.", "Intro to a list:", "- a first item"]


def test_metadata_gives_title_publication_year_and_doi():
    info = {"Title": "Enhancing procurement capability in IMSS", "Author": "OECD",
            "Subject": "Public Procurement Review of IMSS", "CreationDate": "D:20130101000000+00'00'",
            "Keywords": "OECD, 10.1787/9789264197480-8-en"}
    assert metadata(info, "") == {
        "title": "Enhancing procurement capability in IMSS", "author": "OECD",
        "publication": "Public Procurement Review of IMSS", "year": 2013, "doi": "10.1787/9789264197480-8-en",
        "source_url": "https://doi.org/10.1787/9789264197480-8-en",
        "short_title": "OECD (2013) Public Procurement Review of IMSS"}
    assert metadata({}, "DOI: https://doi.org/10.1787/9789264287426-en")["doi"] == "10.1787/9789264287426-en"
    # a file without document information: the page tells title, author and year
    page = "# Chapter 5\n\n# Enhancing procurement capability in IMSS\n\nBody."
    assert metadata({}, page, ["PUBLIC PROCUREMENT REVIEW OF IMSS © OECD 2013"]) == {
        "title": "Enhancing procurement capability in IMSS", "author": "OECD", "year": 2013}
