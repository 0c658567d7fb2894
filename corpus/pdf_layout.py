"""Read a PDF as a reader of the printed page would: paragraphs, headings, boxes and tables, without
the running headers, the page numbers or the line-end hyphens.

``corpus.pdf_page`` gives each page's printed lines in reading order (columns one after the other),
each with its font and region (body, box, table). Over the whole document, then:

- **running headers and footers**: lines in the top or bottom margin whose text, digits aside,
  comes back on at least 40 % of the pages (two at least), bare page numbers there, and small margin
  lines in capitals or with a copyright sign, are dropped;
- **headings**: lines set in bold, or larger than the body text, outside boxes and tables; a
  heading over two lines is one heading;
- **paragraphs**: a new one after a vertical gap wider than the line spacing, at a bullet or at a
  change of style; one that runs to its column's justified edge (or ends in a hyphen) at a page or
  column break goes on over it;
- **hyphens**: one at a line end is dropped ("offi-" + "cials") unless it belongs to the word: the
  document writes the word with it elsewhere, or (writing neither form) the first part is such as
  "co" or "high", or the second such as "based";
- **boxes**: their paragraphs are written as Markdown quotes (``> ``), so the structure parser knows
  where a box ends, also when it runs over a page; **tables**: rows of tab-separated cells;
- **metadata**: title, author, publication (the PDF's subject), year, DOI and a short title.

Pure functions over ``Line``s, except ``read_layout``, which opens the file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from corpus.pdf_page import Line, page_lines

MARGIN = 0.09
"""Share of the page height at the top and at the bottom where running headers and footers sit."""

REPEATED = 0.4
"""A margin line whose text (digits aside) is on at least this share of the pages is running."""

PREFIXES = frozenset("co non self cross anti well e semi quasi multi high low long short large small full mid "
                     "take".split())
"""First parts that keep their hyphen at a line end when the document has neither spelling elsewhere."""

SECOND_PARTS = frozenset("based led related making term level wide oriented specific driven scale friendly "
                         "sector owned funded run intensive effective free alone looking".split())
"""Second parts of compounds ("evidence-based", "long-term") that keep the hyphen likewise."""

_BULLET = re.compile(r"^(?:[•▪●◦·‣–-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
_BOX_TITLE = re.compile(r"^Box\s+\d+(?:\.\d+)*(?:\.[A-Z]\d+)?\.\s")
_SENTENCE_END = ('.', '?', '!', ':', ';')


# -- running heads -------------------------------------------------------------------------------
def _margin_key(line: Line, height: float) -> str | None:
    if MARGIN * height < line.top and line.bottom < (1 - MARGIN) * height:
        return None
    return re.sub(r"\s+", " ", re.sub(r"\d+", "", line.text)).strip().lower()


def drop_running(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """The pages without their running headers, footers and page numbers: margin lines repeated
    on many pages, bare numbers there, and (for documents too short to repeat much) small margin
    lines in capitals or with a copyright sign."""
    seen = Counter()
    for lines, height in zip(pages, heights):
        seen.update({k for ln in lines if ln.region == "body" and (k := _margin_key(ln, height)) is not None})
    need = max(2, REPEATED * len(pages))
    body = _body_size([ln for lines in pages for ln in lines])

    def running(ln: Line, key: str) -> bool:
        return seen[key] >= need or key == "" or (ln.size <= 0.85 * body and (ln.text.isupper() or "©" in ln.text))

    return [[ln for ln in lines if ln.region != "body" or (k := _margin_key(ln, height)) is None or not running(ln, k)]
            for lines, height in zip(pages, heights)]


# -- paragraphs ----------------------------------------------------------------------------------
def _vocabulary(lines: list[Line]) -> tuple[set[str], set[str]]:
    """Words of the document, and its hyphenated words, as printed within lines (line ends aside)."""
    words, hyphenated = set(), set()
    broke = False  # the previous line ended in a hyphen: this one starts with the rest of a word
    for ln in lines:
        tokens = ln.text.split()[1 if broke else 0:]
        broke = ln.text.endswith("-")
        for t in tokens[:-1] if broke else tokens:
            t = t.strip(".,;:()“”\"'’‘[]").lower()
            (hyphenated if "-" in t.strip("-") else words).add(t)
            words.update(t.split("-"))
    return words, hyphenated


def join_lines(left: str, right: str, words: set[str], hyphenated: set[str]) -> str:
    """Two printed lines as one text: a line-end hyphen dropped when it only broke the word (kept
    when the document writes the word with it elsewhere, or, writing neither form, the first part is
    a first part such as "co" or "high", or a second such as "based"); a link broken at the line
    end is joined as it was."""
    in_link = re.search(r"(?:://|www\.|%[0-9A-Fa-f]{2})\S*$", left) and not left.endswith((".", ",", ";"))
    if in_link and right and (right[0].islower() or right[0].isdigit() or right[0] in "%/-_#?=&"):
        return left + right  # a link broken at the line end
    m = re.search(r"(\w+)-$", left)
    if not m or not right[:1].isalpha():
        return f"{left} {right}"
    first, second = m.group(1), re.match(r"[\w’']*", right).group(0)
    pair, joined = f"{first}-{second}".lower(), f"{first}{second}".lower()
    if right[:1].isupper():  # "Inter-" + "American" keeps it, "Chile-" + "Compra" when the text has "ChileCompra" not
        return left[:-1] + right if joined in words and pair not in hyphenated else left + right
    compound = (first.lower() in PREFIXES and len(second) >= 4) or second.lower() in SECOND_PARTS
    keep = pair in hyphenated or (joined not in words and compound)
    return left + right if keep else left[:-1] + right


def _body_size(lines: list[Line]) -> float:
    """The size most of the body text is set in."""
    weight = Counter()
    for ln in lines:
        if ln.region == "body":
            weight[ln.size] += len(ln.text)
    return weight.most_common(1)[0][0] if weight else 10.0


@dataclass
class _Para:
    kind: str  # "heading", "body", "box", "table"
    lines: list[Line]
    text: str = ""


def paragraphs(lines: list[Line]) -> list[_Para]:
    """The document's lines (in reading order) as paragraphs, headings and table rows."""
    body = _body_size(lines)
    words, hyphenated = _vocabulary(lines)
    edges: dict = {}
    for ln in lines:  # where the text of a column (body or boxes) ends, on odd and on even pages
        key = (ln.column, ln.region, ln.page % 2)
        edges[key] = max(edges.get(key, 0.0), ln.x1)
    reach = Counter((ln.column, ln.region, ln.page % 2) for ln in lines
                    if ln.x1 >= edges[(ln.column, ln.region, ln.page % 2)] - 2)
    for ln in lines:  # a margin that at least three lines reach is a justified one; else none is known
        key = (ln.column, ln.region, ln.page % 2)
        ln.column_right = edges[key] if reach[key] >= 3 else float("inf")
    paras: list[_Para] = []
    for ln in lines:
        kind = ln.region if ln.region != "body" else (
            "heading" if (ln.bold or ln.size >= body * 1.15) and len(ln.text) < 200 and not _BULLET.match(ln.text)
            else "body")
        if kind == "box" and ln.bold and _BOX_TITLE.match(ln.text):
            kind = "box-title"
        prev = paras[-1] if paras else None
        last = prev.lines[-1] if prev else None
        if prev is not None and kind == "table" and prev.kind == "table" and ln.rows[:1] == prev.lines[0].rows[:1] \
                and ln.page != last.page:
            ln.rows = ln.rows[1:]  # the header row again over a table continued on the next page
        if prev is not None and _continues(prev, last, ln, kind):
            prev.lines.append(ln)
            if kind != "table":
                prev.text = join_lines(prev.text, ln.text, words, hyphenated)
            continue
        paras.append(_Para(kind, [ln], ln.text))
    for ln in (ln for p in paras if p.kind == "table" for ln in p.lines):
        ln.rows = ["\t".join(_fold(cell.split("\n"), words, hyphenated) for cell in row.split("\t")) for row in ln.rows]
    return paras


def _fold(lines: list[str], words: set[str], hyphenated: set[str]) -> str:
    text = ""
    for line in (ln.strip() for ln in lines if ln.strip()):
        text = join_lines(text, line, words, hyphenated) if text else line
    return text


def _continues(prev: _Para, last: Line, ln: Line, kind: str) -> bool:
    """Whether line ``ln`` goes on with paragraph ``prev`` (whose last line is ``last``)."""
    if kind == "table" or prev.kind == "table":
        return kind == prev.kind == "table" and last.page != ln.page and last.box == ln.box
    if kind == "box-title":
        return False
    if _BULLET.match(ln.text):  # a bullet starts anew, but for a dash that only began a line of running text
        dash = ln.text[:2] in ("- ", "– ") and not _BULLET.match(prev.text) and abs(ln.x0 - last.x0) < 1
        if not (dash and ln.page == last.page and last.x1 >= 0.98 * last.column_right and not last.text.endswith(":")):
            return False
    below = ln.page == last.page and ln.top > last.top
    if prev.kind == "box-title":  # a title over two lines
        return kind == "box" and ln.bold and below and ln.top - last.bottom < 0.45 * ln.size
    if kind != prev.kind:
        return False
    if kind == "heading":  # a heading over two lines (also across a two-column page)
        return below and ln.size == last.size and ln.top - last.bottom < 0.6 * ln.size \
            and not prev.text.endswith(_SENTENCE_END)
    if below and ln.column == last.column:
        return ln.top - last.bottom < 0.45 * ln.size and ln.size == last.size and ln.box == last.box
    if ln.page == last.page and ln.column == last.column:
        return False  # a paragraph further up the same column: not a continuation
    # a page or column break: go on when the last line ran to the column's edge or broke a word
    full = last.x1 >= last.column_right - 0.02 * last.column_right  # justified: not a paragraph's last line
    if full or last.text.endswith("-"):
        return True
    return not last.text.endswith((".", "?", "!", ":")) and ln.text[:1].islower()


def markdown(paras: list[_Para]) -> dict[int, list[str]]:
    """Each paragraph as Markdown, under the page it starts on: headings "# ", box paragraphs quoted
    ("> "), table rows one per line with tab-separated cells."""
    out: dict[int, list[str]] = {}
    for p in paras:
        page = p.lines[0].page
        quoted = p.kind in ("box", "box-title") or (p.kind == "table" and p.lines[0].box is not None)
        if p.kind == "table":
            rows = [r for ln in p.lines for r in ln.rows]
            text = "\n".join(("> " if quoted else "") + r for r in rows)
            if not rows:
                continue
        elif p.kind == "heading":
            text = "# " + p.text
        else:
            text = ("> " if quoted else "") + p.text
        out.setdefault(page, []).append(text)
    return out


# -- the document --------------------------------------------------------------------------------
def metadata(info: dict, first_page: str, running: list[str] = ()) -> dict:
    """Title, author, publication, year, DOI and link from the PDF's document information; what it
    lacks from the page: the title from the first page's first heading, author and year from a
    running "© OECD 2013", the DOI from the first page. Then the short title citations use
    ("OECD (2013) Public Procurement Review of …")."""
    meta = {}
    for key, name in (("Title", "title"), ("Author", "author"), ("Subject", "publication")):
        value = info.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if value and str(value).strip():
            meta[name] = str(value).strip()
    year = re.match(r"(?:D:)?((?:19|20)\d\d)", str(info.get("CreationDate") or ""))
    printed = next((m for m in (re.search(r"©\s*([A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,3})\s+((?:19|20)\d\d)", t)
                                for t in running) if m), None)
    if printed:  # the page says it: "© OECD 2013" (a file's creation date may be a reprint's)
        meta.setdefault("author", printed.group(1))
        meta["year"] = int(printed.group(2))
    elif year:
        meta["year"] = int(year.group(1))
    if "title" not in meta:
        heading = next((h[2:] for h in first_page.split("\n\n") if h.startswith("# ")
                        and not re.match(r"# Chapter\s+\d+\.?$", h)), None)
        if heading:
            meta["title"] = heading
    if meta.get("publication"):
        name = meta["publication"].split(":")[0].strip()
        meta["short_title"] = f"{meta['author']} ({meta['year']}) {name}" if "author" in meta and "year" in meta else name
    doi = re.search(r"\b10\.\d{4,9}/[^\s,;\"'<>]+", f"{info.get('Keywords') or ''} {first_page}")
    if doi:
        meta["doi"] = doi.group(0).rstrip(".")
        meta["source_url"] = f"https://doi.org/{meta['doi']}"
    return meta


def read_layout(path: Path) -> tuple[dict, list[tuple[int, str]]]:
    """(metadata, [(page number, Markdown text of the paragraphs starting on that page)])."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        pages = [page_lines(page, i + 1) for i, page in enumerate(pdf.pages)]
        heights = [float(page.height) for page in pdf.pages]
        info = dict(pdf.metadata or {})
    kept = drop_running(pages, heights)
    kept_ids = {id(ln) for lines in kept for ln in lines}
    running = [ln.text for lines in pages for ln in lines if id(ln) not in kept_ids]
    by_page = markdown(paragraphs([ln for lines in kept for ln in lines]))
    meta = metadata(info, "\n\n".join(by_page.get(1, [])), running)
    pages = kept
    return meta, [(n, "\n\n".join(by_page.get(n, []))) for n in range(1, len(pages) + 1)]
