"""Independent fpdf2 generator of test PDFs for the two bundled IMSS chapters.

Renders corpus/imss-2013-chapter-05-capability.md and
corpus/imss-2018-chapter-09-innovation.md as A4 report PDFs whose conventions
differ from a classic OECD book: justified serif body with pyphen soft hyphens
(visible hyphens at line ends), 13 pt dark-blue regular section headings, 11 pt
bold sub-headings, running header (short publication | page number) from page
2, "(c) OECD <year>" footer, boxes as a bare 0.4 mm frame (chapter 5) or a grey
fill without border (chapter 9), hanging-indent bullets, fpdf2 tables, and an
optional two-column layout (tables and the "From:" page go full width).
Up to three passes: measure; if no box is split over two pages (>= 12 mm on
each), shift the box needing least blank space so that it is; redraw with box
fills whose extents are then known.  Deterministic (fixed creation date).

Usage: python tests/data/pdf_fpdf/make_pdfs.py OUTDIR [--columns 1|2]
       -> OUTDIR/<stem>-fpdf.pdf or <stem>-fpdf-2col.pdf, JSON summary per PDF
API:   make(md_path, out_path, columns=1) -> summary dict
"""
import argparse, datetime, json, re, sys
from pathlib import Path

import pyphen, yaml
from fpdf import FPDF

ROOT = Path(__file__).resolve().parents[3]
CHAPTERS = [ROOT / "corpus/imss-2013-chapter-05-capability.md",
            ROOT / "corpus/imss-2018-chapter-09-innovation.md"]
FONTS = Path(__import__("matplotlib").get_data_path()) / "fonts" / "ttf"   # DejaVu, shipped with matplotlib
MARGIN, TOP, BOTTOM, GUTTER, PAD = 22.0, 24.0, 22.0, 7.0, 3.0   # mm
BLUE, GREY = (20, 45, 110), (232, 232, 232)
DATE = datetime.datetime(2020, 1, 1, 12, 0, tzinfo=datetime.timezone.utc)
HYPH = pyphen.Pyphen(lang="en_GB", left=2, right=3)
LIST_RE = re.compile(r"^\s*(- |• |\d+\. )(.*)$")
BOX_RE = re.compile(r"^Box \d+\.\d+\. ")           # "Box 9.2 offers ..." (NBSP) is no box
END_BOX_RE = re.compile(r"^(Sources?|Notes?):")


def strip_html(s):
    s = re.sub(r"<(https?://[^>\s]+)>", r"\1", s)                  # <url> -> url
    s = re.sub(r"</p>\s*", "\n", s)
    s = re.sub(r"</?(p|ul|ol|li|br|span|div|b|i|em|strong|sup|sub)\b[^>]*>", " ", s)
    return "\n".join(re.sub(r"[ \t]+", " ", ln).strip() for ln in s.split("\n")).strip()

def hyphenate(s):
    """Insert U+00AD into words of >= 6 letters (not URLs, acronyms, numbers).
    Existing hard hyphens (co-operation) are kept; each part is hyphenated."""
    def word(m):
        return m[0] if m[0].isupper() else HYPH.inserted(m[0], hyphen="\u00ad")
    return "".join(t if re.search(r"://|www\.|@|/|\d", t)
                   else re.sub(r"[A-Za-zÀ-ÖØ-öø-ÿ]{6,}", word, t)
                   for t in re.split(r"(\s+)", s))

def md(s, hyph=True):
    """Input inline Markdown -> fpdf2 markdown (**bold**, __italic__), escaped."""
    s = strip_html(s).replace("\\", "\\\\").replace("--", "\\--").replace("__", "\\__")
    s = re.sub(r"(?<!\*)\*(?!\*)(\S[^*]*?)\*(?!\*)", r"__\1__", s)
    return hyphenate(s) if hyph else s

def plain(s): return re.sub(r"\*+", "", strip_html(s))

def parse(md_path):
    """Return (front matter, blocks); a block is (kind, payload)."""
    _, fm, body = Path(md_path).read_text(encoding="utf-8").split("---\n", 2)
    paras = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", body) if p.strip()]
    blocks, in_box, i = [], False, 0
    while i < len(paras):
        p = paras[i]; s = p.strip(); i += 1
        m = re.match(r"^Chapter (\d+)\.?\s*(.*)$", s)
        if m and not blocks:                       # "Chapter 5" + title, or "Chapter 9. Title"
            title = m[2] or plain(paras[i]); i += 0 if m[2] else 1
            blocks.append(("chapter", (m[1], title)))
        elif s.startswith("From:"):                # closing citation block: rest of file
            blocks.append(("closing", paras[i - 1:])); break
        elif s.startswith("←"):
            blocks.append(("endnote", s.lstrip("← ")))
        elif BOX_RE.match(s):
            in_box = True; blocks.append(("box_start", s))
        elif "\t" in p:                            # table: one row per line, tab-separated
            blocks.append(("table", [[strip_html(c) for c in ln.split("\t")]
                                     for ln in p.split("\n")]))
        elif any(LIST_RE.match(ln) for ln in p.split("\n")):
            items, lead = [], []
            for ln in p.split("\n"):
                m2 = LIST_RE.match(ln)
                if m2: items.append([m2[1].strip(), m2[2]])
                elif items: items[-1][1] += " " + ln.strip()
                else: lead.append(ln.strip())
            if lead: blocks.append(("para", " ".join(lead)))
            blocks.append(("list", items))
        elif END_BOX_RE.match(s) or s.startswith("* "):
            blocks.append(("source", s))
            if in_box: blocks.append(("box_end", None)); in_box = False
        elif ("\n" not in s and len(s) <= 200 and not re.search(r"[.:;,?!)”\"]$", s)
              and not re.match(r"^([A-Z][\w ]{0,30}:|<|Box\s)", s)):
            sub = len(s) > 70 or re.match(r"^(Example \d+|Job Title|Notes?)$", s)
            blocks.append(("subheading" if sub else "heading", s))
        else:
            blocks.append(("para", " ".join(ln.strip() for ln in p.split("\n"))))
    return yaml.safe_load(fm), blocks

class Doc(FPDF):
    """FPDF with running header/footer, manual column frames and split boxes."""

    def __init__(self, meta, columns, fills=None, shifts=None):
        super().__init__("P", "mm", "A4")
        self.meta, self.columns, self.fills, self.shifts = meta, columns, fills or {}, shifts or {}
        self.box_style = "frame" if str(meta.get("chapter")) == "5" else "fill"
        self.col, self.col_top, self.fullwidth, self.indent = 0, TOP, True, 0.0
        self.box = None                            # open box: {"idx", "seg", "y0"}
        self.segments, self.box_titles, self.tables, self.headings = [], [], [], []
        self.colw = (self.w - 2 * MARGIN - (columns - 1) * GUTTER) / columns
        for fam, base, it in (("serif", "DejaVuSerif", "Italic"), ("sans", "DejaVuSans", "Oblique")):
            for style, suf in (("", ""), ("B", "-Bold"), ("I", "-" + it), ("BI", "-Bold" + it)):
                self.add_font(fam, style, str(FONTS / f"{base}{suf}.ttf"))
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, BOTTOM)
        self.set_creation_date(DATE)
        doi = meta.get("doi")
        self.set_title(meta["chapter_title"]); self.set_author("OECD")
        self.set_subject(meta["publication"]); self.set_lang("en")
        self.set_keywords((f"doi:{doi} " if doi else "") + "OECD; IMSS; public procurement")

    def header(self):
        if self.page_no() > 1:
            self.set_font("sans", "", 8); self.set_text_color(60)
            for text, align in ((str(self.meta["publication"]).split(":")[0], "L"),
                                (str(self.page_no()), "R")):
                self.set_xy(MARGIN, 12); self.cell(self.w - 2 * MARGIN, 4, text, align=align)
            self.set_draw_color(110); self.set_line_width(0.2)
            self.line(MARGIN, 17, self.w - MARGIN, 17)
        self.set_text_color(0); self.y = TOP

    def footer(self):
        self.set_font("sans", "", 8); self.set_text_color(60)
        self.set_xy(MARGIN, self.h - 14)
        self.cell(self.w - 2 * MARGIN, 4, f"© OECD {self.meta['year']}", align="C")
        self.set_text_color(0)

    # frames ----------------------------------------------------------------
    def set_frame(self):
        """Margins = current column (or full width) + box inset + list indent."""
        left = MARGIN if self.fullwidth else MARGIN + self.col * (self.colw + GUTTER)
        width = self.w - 2 * MARGIN if self.fullwidth else self.colw
        inset = PAD + 1 if self.box else 0
        self.set_left_margin(left + inset + self.indent)
        self.set_right_margin(self.w - left - width + inset)

    def _perform_page_break(self):
        """fpdf2 hook for every automatic break: next column or new page; split box."""
        dx = self.x - self.l_margin
        if self.box: self._close_segment(self.y + PAD / 2)
        if not self.fullwidth and self.col == 0 and self.columns == 2:
            self.col, self.y = 1, self.col_top
        else:
            super()._perform_page_break()
            self.col, self.col_top = 0, TOP
        self.set_frame(); self.x = self.l_margin + dx
        if self.box: self._open_segment(self.y - PAD / 2)

    def next_frame(self): self._perform_page_break(); self.x = self.l_margin

    def new_page(self, full=False):
        """Hard page break (annexes, closing page)."""
        super()._perform_page_break()
        self.col, self.col_top, self.fullwidth = 0, TOP, full or self.columns == 1
        self.set_frame(); self.x = self.l_margin

    def full_width(self, on):
        """Two-column mode: leave the columns for a full-width block, or return."""
        if self.columns == 1: return
        if on and self.col == 1: self.next_frame()
        self.fullwidth = on
        if not on: self.col, self.col_top = 0, self.y
        self.set_frame(); self.x = self.l_margin

    def need(self, h):
        """Keep-with-next: start a new column/page unless ``h`` mm fit."""
        if self.y + h > self.page_break_trigger: self.next_frame()

    # boxes -----------------------------------------------------------------
    def _open_segment(self, y0):
        b = self.box; b["seg"] += 1; b["y0"] = y0
        rect = self.fills.get((b["idx"], b["seg"]))   # known from the previous pass
        if rect and self.box_style == "fill":
            self.set_fill_color(*GREY); self.rect(*rect, style="F")

    def _close_segment(self, y1):
        b = self.box; x0 = self.l_margin - PAD - 1 - self.indent
        rect = (x0, b["y0"], self.w - self.r_margin + PAD + 1 - x0, y1 - b["y0"])
        self.segments.append((b["idx"], b["seg"], self.page, self.col, rect, self.col_top))
        if self.box_style == "frame":
            self.set_draw_color(0); self.set_line_width(0.4); self.rect(*rect)

    def begin_box(self, title):
        idx = len(self.box_titles); self.box_titles.append(plain(title))
        self.y += 2; self.need(22)
        jump, shift = self.shifts.get(idx, (False, 0.0))   # forced split, see plan_shift
        if jump: self.next_frame()
        self.y += shift
        self.box = {"idx": idx, "seg": -1}; self._open_segment(self.y)
        self.y += PAD; self.set_frame(); self.x = self.l_margin
        self.set_font("sans", "B", 10)
        self.multi_cell(0, 5, md(title, False), markdown=True, align="L"); self.y += 1

    def end_box(self):
        self.y += PAD - 1.5; self._close_segment(self.y)
        self.box = None; self.set_frame(); self.y += 4

    # text ------------------------------------------------------------------
    def para(self, text, size=None, style="", family="serif", gap=2.2):
        size = size or (9.5 if self.box else 10.5)
        self.set_font(family, style, size); self.x = self.l_margin
        align = "L" if re.search(r"\S{36,}", text) else "J"   # long URLs: ragged
        self.multi_cell(0, size * 0.48, md(text), markdown=True, align=align)
        self.y += gap

    def bullets(self, items):
        size = 9.5 if self.box else 10.5
        for marker, text in items:
            if not marker[0].isdigit():
                marker = "–" if self.box_style == "fill" else "•"
            self.need(size * 0.48); self.set_font("serif", "", size)
            self.x = self.l_margin + 1.5; self.cell(5, size * 0.48, marker)
            self.indent += 6.5; self.set_frame(); self.x = self.l_margin
            self.multi_cell(0, size * 0.48, md(text), markdown=True, align="J")
            self.indent -= 6.5; self.set_frame(); self.y += 1.2
        self.y += 1.2

    def heading(self, text, sub=False):
        self.y += 3 if sub else 5; self.need(22)
        self.headings.append({"level": 2 if sub else 1, "text": text, "page": self.page})
        self.set_font("sans", "B" if sub else "", 11 if sub else 13)
        self.set_text_color(*((0, 0, 0) if sub else BLUE)); self.x = self.l_margin
        self.multi_cell(0, 5.2 if sub else 6.2, md(text, False), markdown=True, align="L")
        self.set_text_color(0); self.y += 2

    def chapter(self, number, title):
        self.set_font("sans", "", 12); self.set_text_color(*BLUE)
        self.cell(0, 6, f"Chapter {number}", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0); self.y += 3; self.set_font("sans", "B", 20)
        self.multi_cell(0, 8.5, title, align="L"); self.y += 2
        self.set_draw_color(*BLUE); self.set_line_width(0.6)
        self.line(MARGIN, self.y, MARGIN + 40, self.y); self.y += 6
        self.headings.append({"level": 0, "text": title, "page": self.page})
        self.full_width(False)

    def table_block(self, rows):
        ncol = max(len(r) for r in rows)
        rows = [r + [""] * (ncol - len(r)) for r in rows]         # ragged rows -> padded
        weight = [min(max(len(r[i]) for r in rows), 400) ** 0.5 + 3 for i in range(ncol)]
        self.full_width(True); self.y += 2; start = self.page
        self.set_font("sans", "", 7.5 if ncol > 3 else 8.5)
        with self.table(width=self.w - self.l_margin - self.r_margin, col_widths=weight,
                        text_align="LEFT", v_align="TOP", line_height=3.6, padding=1.2,
                        markdown=True, borders_layout="ALL", first_row_as_headings=True) as t:
            for r in rows:
                row = t.row()
                for c in r: row.cell(md(c))
        self.tables.append({"rows": len(rows), "cols": ncol, "pages": [start, self.page]})
        self.y += 3; self.full_width(False)

def render(meta, blocks, columns, fills=None, shifts=None):
    pdf = Doc(meta, columns, fills, shifts)
    pdf.add_page(); pdf.set_frame()
    notes, first_para = [], True

    def flush_notes():
        if notes: pdf.heading("Notes")
        for n in notes: pdf.para(n, size=8.5, family="sans", gap=1)
        notes.clear()

    for kind, data in blocks:
        if kind == "chapter": pdf.chapter(*data)
        elif kind in ("heading", "subheading"):
            if data.startswith("Annex "): pdf.new_page()
            pdf.heading(data, kind == "subheading")
        elif kind == "para":                                      # abstract in italics
            pdf.para(data, style="I" if first_para else ""); first_para = False
        elif kind == "list": pdf.bullets(data)
        elif kind == "source": pdf.para(data, size=8.5, family="sans", gap=1.5)
        elif kind == "table": pdf.table_block(data)
        elif kind == "box_start": pdf.begin_box(data)
        elif kind == "box_end": pdf.end_box()
        elif kind == "endnote": notes.append(data)
        elif kind == "closing":
            flush_notes(); pdf.new_page(full=True)
            pdf.set_font("sans", "B", 11)
            pdf.cell(0, 6, "From:", new_x="LMARGIN", new_y="NEXT")
            first = data[0].split("\n", 1)[1:]                    # text after "From:"
            for p in first + data[1:]:
                pdf.para(" ".join(p.split("\n")), size=9, family="sans", gap=2)
    flush_notes()
    return pdf

def box_parts(pdf, idx): return [s for s in pdf.segments if s[0] == idx]

def crossing(pdf, min_part=12.0):
    """Boxes split over two pages with every part at least min_part mm tall."""
    return [t for i, t in enumerate(pdf.box_titles)
            if len({s[2] for s in box_parts(pdf, i)}) > 1
            and min(s[4][3] for s in box_parts(pdf, i)) >= min_part]

def plan_shift(pdf, tail=18.0, head=25.0):
    """Pick the box needing the least blank space to be split over two pages.

    Returns {box index: (jump, shift)}: optionally jump to the right column
    (two columns, box starting in the left one), then move down ``shift`` mm
    so that >= ``head`` mm stay on the first page and >= ``tail`` mm go over.
    """
    trig, best = pdf.page_break_trigger, None
    for idx in range(len(pdf.box_titles)):
        segs = box_parts(pdf, idx)
        _, _, _, col, (_, y0, _, _), col_top = segs[0]
        h = sum(s[4][3] for s in segs) - PAD * (len(segs) - 1)   # unsplit height
        jump = pdf.columns == 2 and col == 0
        start = col_top if jump else y0
        shift = max(0.0, trig + tail - h - start)
        gap = shift + (trig - y0 if jump else 0)
        if start + shift < trig - head and (best is None or gap < best[0]):
            best = (gap, idx, jump, shift)
    return {best[1]: (best[2], best[3])} if best else {}

def count_hyphens(path):
    """Line-end hyphens in pdfium's text: pdfium joins a soft-hyphen break into
    one word with U+FFFE (or U+00AD); a hard '-' at a line end is counted too."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path))
    n = sum(len(re.findall(r"[\u00ad\ufffe]|[A-Za-zà-ÿ]-(?=\r?\n|$)",
                           page.get_textpage().get_text_range())) for page in doc)
    doc.close()
    return n

def make(md_path, out_path, columns=1):
    """Render one chapter to ``out_path``; return a JSON-able summary dict."""
    meta, blocks = parse(md_path)
    pdf = render(meta, blocks, columns)                           # pass 1: measure
    shifts = {} if crossing(pdf) else plan_shift(pdf)
    if shifts: pdf = render(meta, blocks, columns, shifts=shifts)  # pass 2: forced split
    fills = {(s[0], s[1]): s[4] for s in pdf.segments}
    pdf = render(meta, blocks, columns, fills, shifts)            # final pass, with fills
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out_path))
    boxes = [{"title": t, "pages": sorted({s[2] for s in box_parts(pdf, i)}),
              "parts": [[s[2], s[3]] for s in box_parts(pdf, i)]}   # [page, column]
             for i, t in enumerate(pdf.box_titles)]
    return {"file": str(out_path), "columns": columns, "pages": pdf.pages_count,
            "box_style": pdf.box_style, "boxes": boxes,
            "boxes_crossing_page_break": [b["title"] for b in boxes if len(b["pages"]) > 1],
            "forced_box_split": {pdf.box_titles[k]: {"column_jump": j, "shift_mm": round(v, 1)}
                                 for k, (j, v) in shifts.items()},
            "line_end_hyphens": count_hyphens(out_path), "tables": pdf.tables,
            "headings": pdf.headings}

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--columns", type=int, choices=(1, 2), default=1)
    a = ap.parse_args(argv)
    for src in CHAPTERS:
        out = Path(a.outdir) / f"{src.stem}-fpdf{'-2col' if a.columns == 2 else ''}.pdf"
        print(json.dumps(make(src, out, a.columns), ensure_ascii=False, indent=1))

if __name__ == "__main__":
    sys.exit(main())
