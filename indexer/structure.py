"""Parse a document's text into structural blocks: headings, paragraphs, list items, boxes,
tables, "Proposals for action", references, notes and the citation block.

Pure functions over text: the same rules serve the OECD captures (plain paragraphs separated by
blank lines), Markdown, HTML/DOCX text (headings marked with ``#``) and PDF pages (Markdown from the
layout reader, a framed box's paragraphs quoted with ``>``; or, where it fails, hard-wrapped lines). Each block knows its chapter, section path, box and page, which the chunker turns into
citable passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from corpus.readers import Page
from indexer.countries import find_countries

KINDS = ("paragraph", "list", "box", "table", "recommendation", "references", "notes", "citation")

_BULLET = re.compile(r"^\s*(?:[•\-–*·▪●]|\(?\d{1,2}[.)]|[a-z][.)])\s+")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_CHAPTER = re.compile(r"^Chapter\s+(\d+)\.?(?:\s+(.+))?$", re.I)
_BOX = re.compile(r"^Box\s+(\d+(?:\.\d+)*(?:\.[A-Z]\d+)?)\.\s+(.+)$")
_BOX_END = re.compile(r"^(Source|Sources|Note|Notes)\s*:", re.I)
_ANNEX = re.compile(r"^Annex\s+\d+(?:\.[A-Z]\d*)?\b")
_LABEL = re.compile(r"^[A-Z][\w ]{0,30}:\s+\S")  # "Country: Mexico" is a field, not a heading
_REFERENCE = re.compile(r"^[^\s(][^()]{0,160}?\(\(?(?:\d{4}[a-z]?|n\.d\.)\)?\)\s*,")
_HTML = re.compile(r"</?(?:p|ul|li|ol|br|span|div|table|tr|td|th|strong|em)\b[^>]*>", re.I)

_RECOMMENDATIONS = re.compile(r"^(proposals? for action|recommendations?|key recommendations)$", re.I)
_REFERENCES = re.compile(r"^(references|bibliography|works cited)$", re.I)
_NOTES = re.compile(r"^(notes?|endnotes?)$", re.I)


@dataclass
class Block:
    """One structural unit of a document, with where it sits."""

    text: str
    kind: str
    section: tuple[str, ...] = ()
    chapter: str = ""
    chapter_title: str = ""
    box_id: str = ""
    box_title: str = ""
    countries: list[str] = field(default_factory=list)
    page: int | None = None
    starts_box: bool = False


def _join_wrapped(lines: list[str]) -> list[str]:
    """Join hard-wrapped PDF lines into paragraphs: a paragraph ends at ., ?, ! or : line ends."""
    paras, cur = [], []
    for line in lines:
        line = line.strip()
        if not line:
            if cur:
                paras.append(" ".join(cur))
                cur = []
            continue
        if _BULLET.match(line) and cur:
            paras.append(" ".join(cur))
            cur = []
        cur.append(line)
        if line.endswith((".", "?", "!", ":")) or len(line) < 45:
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    return paras


def paragraphs(page: Page) -> list[str]:
    """Split page text into paragraphs: blank-line separated; list items and table rows apart."""
    text = page.text.replace("\r\n", "\n").replace("\r", "\n")
    if page.number is not None and not page.laid_out:  # plain PDF text: hard-wrapped, one printed line per line
        return [p for p in _join_wrapped(text.split("\n")) if p.strip()]
    out: list[str] = []
    for chunk in re.split(r"\n[ \t\u00a0]*\n", text):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        if len(lines) > 1 and (all(_BULLET.match(ln) or "\t" in ln for ln in lines[1:])):
            out.extend(ln.strip() for ln in lines)  # a list or a table: one block per line
        elif any("\t" in ln for ln in lines):
            out.append("\n".join(ln.rstrip() for ln in lines))
        else:
            out.append(" ".join(ln.strip() for ln in lines))
    return out


def chapter_heading(found: re.Match) -> bool:
    """A ``_CHAPTER`` match is a heading ("Chapter 5. Enhancing capability", "CHAPTER 2"), not a
    sentence of running text that opens with the word ("chapter 3 presents the findings.")."""
    title = (found.group(2) or "").rstrip()
    return found.group(0)[0].isupper() and not title.endswith((".", "!", "?", ";", ","))


def is_heading(text: str) -> bool:
    """A plain-text heading: one short line that does not read like a sentence or a list item."""
    t = text.strip()
    if not t or "\n" in t or len(t) > 160 or len(t.split()) > 25:
        return False
    if t[-1] in ".,;:" or _BULLET.match(t) or _LABEL.match(t) or "\t" in t or _HTML.search(t):
        return False
    return t[0].isupper() or t[0].isdigit() or t[0] in "“\"'‘"


def clean_table(text: str) -> str:
    """Readable text of a table row or an HTML fragment (tags dropped, cells separated by |)."""
    if _HTML.search(text):
        text = BeautifulSoup(text, "html.parser").get_text(" ")
    cells = [re.sub(r"\s+", " ", c).strip() for c in text.replace("\n", "\t").split("\t")]
    return " | ".join(c for c in cells if c)


def box_countries(title: str, body: str) -> list[str]:
    """Countries of a box: those in its title, else those its text names (IMSS counts as Mexico)."""
    return find_countries(title) or find_countries(body)


class _Parser:
    """A single pass over a document's paragraphs, tracking chapter, sections, box and mode."""

    def __init__(self, meta: dict):
        self.chapter = str(meta.get("chapter") or "")
        self.chapter_title = str(meta.get("chapter_title") or "")
        self.section: list[str] = []
        self.annex = ""
        self.last_was_heading = False
        self.mode = "paragraph"  # or recommendation / references / notes / citation
        self.box: dict | None = None
        self.blocks: list[Block] = []
        self.pending_chapter_title = False

    def emit(self, text: str, kind: str, page: int | None, **extra) -> None:
        self.blocks.append(
            Block(text=text, kind=kind, section=tuple(self.section), chapter=self.chapter,
                  chapter_title=self.chapter_title, page=page, **extra)
        )
        self.last_was_heading = False

    def heading(self, title: str) -> None:
        if self.pending_chapter_title and not self.chapter_title:
            self.chapter_title = title
            self.pending_chapter_title = False
            return
        self.pending_chapter_title = False
        if self.chapter_title and title == self.chapter_title and not self.blocks:
            return
        if _ANNEX.match(title):
            self.annex, self.section, self.mode, self.last_was_heading = title, [title], "paragraph", True
            return
        if _RECOMMENDATIONS.match(title):
            self.mode, self.annex = "recommendation", ""
        elif _REFERENCES.match(title):
            self.mode, self.annex = "references", ""
        elif _NOTES.match(title):
            self.mode, self.annex = "notes", ""
        elif self.mode != "citation":
            self.mode = "paragraph"
        base = [self.annex] if self.annex else []
        rest = self.section[len(base):]
        if self.last_was_heading and rest:
            self.section = base + [rest[-1], title]  # a heading right under a heading: a subsection
        else:
            self.section = base + [title]
        self.last_was_heading = True

    def feed(self, para: str, page: int | None) -> None:
        text = para.strip()
        quoted = text.startswith(">")  # a framed box's paragraph (the PDF reader quotes them)
        if quoted:
            text = text.lstrip(">").strip()
        md = _MD_HEADING.match(text)
        if self.box is not None and self.box["quoted"] and not quoted:
            self.close_box()  # the frame ended
        if self.box is not None:
            self.feed_box(text, page)
            return
        if self.mode != "citation" and (text == "From:" or text.lower().startswith("please cite this chapter as")):
            self.mode, self.section, self.annex = "citation", ["How to cite"], ""
        if self.mode == "citation":
            self.emit(text, "citation", page)
            return
        chapter = _CHAPTER.match(md.group(1) if md else text)
        if chapter and len(text) < 200 and chapter_heading(chapter):
            self.chapter = chapter.group(1)
            self.chapter_title = (chapter.group(2) or "").strip()
            self.pending_chapter_title = not self.chapter_title
            self.section, self.mode, self.last_was_heading = [], "paragraph", True
            return
        box = _BOX.match(md.group(1) if md else text)
        if box and is_heading(box.group(0)):
            self.box = {"id": box.group(1), "title": box.group(2).strip(), "page": page, "parts": [], "quoted": quoted}
            return
        if md or is_heading(text):
            self.heading(md.group(1) if md else text)
            return
        self.pending_chapter_title = False
        if not re.search(r"\w", text):
            return  # template bullets and rules carry no content
        if text.startswith("←") and self.mode != "notes":
            self.mode, self.section = "notes", ["Notes"]
        if self.mode == "notes":
            self.emit(text.lstrip("← ").strip() if text.startswith("←") else text, "notes", page)
        elif self.mode == "references":
            self.emit(text, "references", page)
        elif "\t" in text or _HTML.search(text):
            self.emit(clean_table(text), "table", page)
        elif self.mode == "recommendation" and self._looks_like_reference(text):
            self.mode, self.section = "references", ["References"]
            self.emit(text, "references", page)
        elif self.mode == "recommendation":
            self.emit(text, "recommendation", page)
        else:
            self.emit(text, "list" if _BULLET.match(text) else "paragraph", page)

    @staticmethod
    def _looks_like_reference(text: str) -> bool:
        return bool(_REFERENCE.match(text)) and len(text) < 500

    def feed_box(self, text: str, page: int | None) -> None:
        assert self.box is not None
        md = _MD_HEADING.match(text)
        if _BOX.match(md.group(1) if md else text) and is_heading(text):
            quoted = self.box["quoted"]
            self.close_box()
            self.feed(("> " if quoted else "") + text, page)
            return
        self.box["parts"].append((clean_table(text) if "\t" in text or _HTML.search(text) else text, page))
        if _BOX_END.match(text) or len(self.box["parts"]) > 60:
            self.close_box()

    def close_box(self) -> None:
        box, self.box = self.box, None
        if not box or not box["parts"]:
            return
        body = "\n".join(t for t, _ in box["parts"])
        countries = box_countries(box["title"], body)
        for i, (text, page) in enumerate(box["parts"]):
            self.emit(text, "box", page, box_id=box["id"], box_title=box["title"],
                      countries=countries, starts_box=(i == 0))

    def finish(self) -> list[Block]:
        self.close_box()
        return self.blocks


def parse_blocks(pages: list[Page], meta: dict | None = None) -> list[Block]:
    """Blocks of a document in reading order, each tagged with kind, chapter, section, box, page."""
    parser = _Parser(meta or {})
    for page in pages:
        for para in paragraphs(page):
            parser.feed(para, page.number)
    return parser.finish()
