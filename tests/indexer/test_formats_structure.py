"""Word and HTML reviews get the Markdown treatment of structure: the chapter from its heading, the
section from a sub-heading, a "Box N.N." run up to its "Source:" line as one box passage with its
id and country, and the text after the box back to a paragraph."""

import docx
import pytest

from indexer.update import parse_file
from kb.settings import Settings

LINES = ["Procurement officials need certification to manage large tenders in many OECD countries.",
         "Box 3.1. Certification of procurement officials in Chile",
         "ChileCompra certifies public buyers through a competency exam every three years.",
         "Source: ChileCompra (2012).",
         "After the box, the review returns to IMSS and its training plans."]


def write_docx(path):
    d = docx.Document()
    d.add_heading("Chapter 3. Training the procurement workforce", level=1)
    d.add_heading("Certification of buyers", level=2)
    for line in LINES:
        d.add_paragraph(line)
    d.save(path)
    return path


def write_html(path):
    body = "".join(f"<p>{line}</p>" for line in LINES)
    path.write_text("<html><head><title>HTML review</title></head><body><h1>Chapter 3. Training the procurement "
                    f"workforce</h1><h2>Certification of buyers</h2>{body}</body></html>", encoding="utf-8")
    return path


@pytest.mark.parametrize("write", [write_docx, write_html], ids=["docx", "html"])
def test_headings_and_boxes_come_out_as_from_markdown(tmp_path, write):
    path = write(tmp_path / ("r.docx" if write is write_docx else "r.html"))
    passages = parse_file(path, "r", Settings())
    assert [p.kind for p in passages] == ["paragraph", "box", "paragraph"]
    assert {p.chapter for p in passages} == {"3"} and {p.section for p in passages} == {"Certification of buyers"}
    box = passages[1]
    assert box.box_id == "3.1" and box.countries == ["Chile"] and "competency exam" in box.text
