"""Parser and chunker on the real seed texts (the bundled corpus)."""

from pathlib import Path

import pytest

from corpus.readers import Page, read_document
from indexer.chunker import ChunkSettings, chunk, words
from indexer.structure import is_heading, parse_blocks

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SETTINGS = ChunkSettings()


def passages_of(name: str):
    doc = read_document(CORPUS / name)
    return chunk(parse_blocks(doc.pages, doc.meta), doc.meta, Path(name).stem, SETTINGS)


@pytest.fixture(scope="module")
def ch9():
    return passages_of("imss-2018-chapter-09-innovation.md")


@pytest.fixture(scope="module")
def ch5():
    return passages_of("imss-2013-chapter-05-capability.md")


def boxes(passages):
    out = {}
    for p in passages:
        if p.kind == "box":
            out.setdefault(p.box_id, p)
    return out


def test_chapter_9_has_its_six_country_boxes(ch9):
    found = {b: (p.countries, p.box_title) for b, p in boxes(ch9).items()}
    assert sorted(found) == ["9.1", "9.2", "9.3", "9.4", "9.5", "9.6"]
    assert found["9.1"][0] == ["United Kingdom"]
    assert found["9.2"][0] == ["Colombia"]
    assert found["9.3"][0] == ["Mexico"] and "Innovation Olympics" in found["9.3"][1]
    assert found["9.4"][0] == ["Norway"]
    assert found["9.5"][0] == ["Mexico"]
    assert found["9.6"][0] == ["Chile"]


def test_chapter_5_has_its_four_boxes(ch5):
    found = {b: p.countries for b, p in boxes(ch5).items()}
    assert sorted(found) == ["5.1", "5.2", "5.3", "5.4"]
    assert found["5.2"] == ["Chile"] and found["5.4"] == ["Finland"]
    assert set(found["5.3"]) == {"Canada", "Mexico", "United Kingdom", "United States"}


def test_box_runs_to_its_source_line_and_stays_whole_when_it_fits(ch5):
    chile = [p for p in ch5 if p.box_id == "5.2"]
    assert len(chile) == 1
    assert chile[0].text.startswith("The Chilean acquisition workforce")
    assert chile[0].text.rstrip().endswith("Source: Information provided by ChileCompra.")
    assert chile[0].breadcrumb.endswith("Box 5.2. Training and certification in Chile’s acquisition workforce")


def test_proposals_references_notes_and_citation_are_tagged(ch5, ch9):
    for passages, n_props in ((ch5, "9. Providing adequate working environments"),
                              (ch9, "Use multiannual contracts to encourage innovation")):
        recs = " ".join(p.text for p in passages if p.kind == "recommendation")
        assert n_props in recs
        assert any(p.kind == "references" for p in passages)
        assert any(p.kind == "notes" for p in passages)
    assert any(p.kind == "references" and "Kaufmann (2012)" in p.text for p in ch9)
    assert any(p.kind == "citation" and "Please cite this chapter as" in p.text for p in ch5)
    assert not any("Please cite" in p.text for p in ch5 if p.kind != "citation")
    assert any(p.kind == "table" and p.section.startswith("Annex 5.A1") for p in ch5)


def test_each_proposal_for_action_is_a_passage_of_its_own(ch5):
    recs = [p for p in ch5 if p.kind == "recommendation"]
    assert len(recs) == 9  # proposals 1-9 of chapter 5; the lead-in rides with the first
    assert recs[0].text.startswith("In order to enhance the capacity") and "\n1. Engaging" in recs[0].text
    assert recs[4].text.startswith("5. Certifying procurement officials to reduce turnover")
    assert all(p.breadcrumb.endswith("Proposals for action") for p in recs)


def test_no_passage_is_empty_or_over_the_size_limit(ch5, ch9):
    for p in ch5 + ch9:
        assert p.text.strip()
        limit = SETTINGS.box_max_words if p.kind == "box" else SETTINGS.max_words
        assert words(p.text) <= limit, (p.breadcrumb, words(p.text))


def test_passage_text_is_source_text_and_breadcrumb_places_it(ch9):
    source = (CORPUS / "imss-2018-chapter-09-innovation.md").read_text(encoding="utf-8")
    for p in ch9:
        for line in p.text.split("\n"):
            assert line.strip() in source
        assert p.breadcrumb.startswith("OECD (2018) Second Public Procurement Review of IMSS › Chapter 9.")


def test_ids_are_stable_and_unique(ch9):
    again = passages_of("imss-2018-chapter-09-innovation.md")
    assert [p.id for p in again] == [p.id for p in ch9]
    assert len({p.id for p in ch9}) == len(ch9)


def test_sentence_spans_quote_the_text(ch9):
    p = next(p for p in ch9 if p.box_id == "9.3")
    sentences = [p.text[s:e] for s, e in p.sentences]
    assert sentences[0].startswith("The Innovation Olympics") and sentences[0].endswith("disciplines.")


def test_headings_and_pdf_pages():
    assert is_heading("Proposals for action") and not is_heading("Country: Mexico")
    assert not is_heading("This sentence ends with a period.")
    blocks = parse_blocks([Page("Training of buyers\nChile trains its officials in three levels.", 4)], {})
    assert blocks[-1].page == 4 and blocks[-1].section == ("Training of buyers",)


def test_a_sentence_opening_with_chapter_stays_running_text():
    # Found by the chunker's property test: "chapter 0 0 0." was taken for a chapter heading and lost.
    blocks = parse_blocks([Page("Chapter 5. Enhancing capability\n\nchapter 0 0 0.\n\n"
                                "Chapter 3 presents the findings of the review.\n\nCHAPTER 6\n\nText.")], {})
    assert [(b.chapter, b.text) for b in blocks] == [
        ("5", "chapter 0 0 0."), ("5", "Chapter 3 presents the findings of the review."), ("6", "Text.")]
