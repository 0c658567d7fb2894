#!/usr/bin/env python3
"""Render the bundled OECD review chapters into PDFs laid out like the printed reports.

The corpus ships two chapters of the OECD procurement reviews of IMSS as Markdown;
a layout-aware PDF reader must be tested on PDFs with the hard parts of the real
reports, with the Markdown as ground truth.  Made with reportlab: OECD book page
(176 x 250 mm); running header (chapter number and title in capitals, not on the
opening page) and footer (publication, (c) OECD year, page number from a realistic
start, alternating sides); justified serif text hyphenated at line ends ("offi-" /
"cials"), compounds ("co-operation") keeping their own hyphen; bold headings;
shaded, framed boxes breaking over pages (if none does by itself, blank space goes
before the box that needs least of it); bullet lists; tables with wrapped cells;
small notes and references.  Two columns: A4, boxes and tables in a column,
annexes and the back page full width.  Deterministic bytes (invariant mode,
creation date 1 January of the publication year).  Fonts: standard Type 1 Times
and Helvetica (WinAnsi). The web capture's endnote arrows (U+2190, outside WinAnsi)
become a "Notes" heading, as in print.

    python tests/data/pdf/make_oecd_pdfs.py OUTDIR [--columns 1|2] [SOURCE.md ...]

writes OUTDIR/<stem>.pdf (two columns: <stem>-2col.pdf) per source (default: the
two corpus chapters) and prints the make() summaries as JSON.
"""
import argparse
import functools
import json
import re
from pathlib import Path

import pyphen
import pypdfium2 as pdfium
import yaml
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, FrameBreak, NextPageTemplate,
                                PageBreak, PageTemplate, Paragraph, Spacer, Table)

REPO = Path(__file__).resolve().parents[3]
SOURCES = ('corpus/imss-2013-chapter-05-capability.md', 'corpus/imss-2018-chapter-09-innovation.md')
BOOK = (176 * mm, 250 * mm)                      # OECD book format (two columns: A4)
MARGIN, GAP = 20 * mm, 6 * mm
FIRST_PAGE = {'5': 171, '9': 233}                # page number of each chapter's opening page
CHAR_MAP = {}                                     # characters the WinAnsi fonts lack (none left)
BOX_BG, BOX_LINE, HEAD_BG = colors.HexColor('#E4ECF5'), colors.HexColor('#2F5597'), colors.HexColor('#D9D9D9')

SPECIAL = re.compile(r'^(Proposals for action|Notes?|References|Annex \d+\.\w+)$')
BOX_RE = re.compile(r'^Box (\d+\.\d+)\. ')
END_BOX_RE = re.compile(r'^(Sources?|Note):')   # a box's last paragraph
ITEM_RE = re.compile(r'^\s*(?:([-\u2022])|(\d+)\.)\s+')
REF_RE = re.compile(r'^[^()]{2,90}\((?:\d{4}|\(n\.d\.\))\),')
NOTE_RE = re.compile(r'^<\s*\d+\.\s')

_PYPHEN = pyphen.Pyphen(lang='en_GB', left=2, right=3)


def hyphenate(word, compounds=True):
    """(head, tail) break points for reportlab, longest head first.  A compound
    breaks only after its own hyphens; acronyms and words with digits never break.
    compounds=False (boxes, tables) keeps compounds whole: reportlab's in-row table
    split re-flows cell text and would drop the hyphen of a compound broken there."""
    if '-' in word:
        return [(word[:i + 1], word[i + 1:]) for i in range(len(word) - 2, 0, -1)
                if word[i] == '-'] if compounds else []
    if not word.isalpha() or sum(c.isupper() for c in word) > 1:
        return []
    return list(_PYPHEN.iterate(word))


_cell_hyphenate = functools.partial(hyphenate, compounds=False)


def _style(name, font='Times-Roman', size=10, leading=None, align=TA_JUSTIFY, hyph=hyphenate, **kw):
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.25, alignment=align,
                          hyphenationLang=hyph or '', bulletFontName=font, bulletFontSize=size,
                          uriWasteReduce=0.3, embeddedHyphenation=0, splitLongWords=1, **kw)


ST = {
    'label': _style('label', 'Helvetica', 15, 20, TA_LEFT, None, spaceAfter=6, textColor=BOX_LINE),
    'title': _style('title', 'Helvetica-Bold', 20, 24, TA_LEFT, None, spaceAfter=14),
    'body': _style('body', spaceAfter=6),
    'item': _style('item', spaceAfter=3, leftIndent=14, bulletIndent=3),
    'h1': _style('h1', 'Helvetica-Bold', 12, 15, TA_LEFT, None, spaceBefore=12, spaceAfter=6),
    'h2': _style('h2', 'Times-BoldItalic', 10.5, 13, TA_LEFT, None, spaceBefore=8, spaceAfter=5),
    'boxtitle': _style('boxtitle', 'Helvetica-Bold', 9.5, 12, TA_LEFT, None, spaceAfter=4),
    'boxbody': _style('boxbody', size=9, hyph=_cell_hyphenate, spaceAfter=3),
    'boxitem': _style('boxitem', size=9, hyph=_cell_hyphenate, spaceAfter=2, leftIndent=12, bulletIndent=2),
    'source': _style('source', size=8, hyph=_cell_hyphenate, spaceBefore=2),
    'small': _style('small', size=8.5, spaceAfter=3, leftIndent=12, firstLineIndent=-12),   # references
    'note': _style('note', size=8.5, spaceAfter=3, leftIndent=12, bulletIndent=0),
    'back': _style('back', 'Helvetica', 8.5, 11, TA_LEFT, None, spaceAfter=6),
    'th': _style('th', 'Times-Bold', 7.5, 9, TA_LEFT, None),
    'td': _style('td', size=7.5, leading=9, align=TA_LEFT, hyph=_cell_hyphenate),
}


def inline(text, cell=False):
    """Markdown/HTML inline markup -> reportlab paragraph markup."""
    s = re.sub(r'</?(?:p|ul|li)\b[^>]*>', '\0', text)                 # HTML in table cells: line breaks
    s = re.sub(r'<((?:https?|mailto):[^>\s]+)>', r'\1', s)            # autolinks: keep the URL
    s = s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
    s = re.sub(r'\*\*(.+?)\*\*', r'<b>\1</b>', s, flags=re.S)
    s = re.sub(r'(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])', r'<i>\1</i>', s, flags=re.S)
    if cell:                                                             # list items inside cells
        s = re.sub(r'\s+-\s+(?=[A-Z])', '\0\u00a0\u00a0- ', re.sub(r'\s+\u2022\s+', '\0\u2022 ', s))
    s = re.sub(r'\s*(?:\0\s*)+', '\0', s).strip('\0 ').replace('\0', '<br/>')
    return s.replace('\n', '<br/>')


def read_chapter(md_path):
    """Front matter, chapter label and title, body blocks, back-page paragraphs."""
    text = Path(md_path).read_text(encoding='utf-8')
    for a, b in CHAR_MAP.items():
        text = text.replace(a, b)
    _, front, body = text.split('---\n', 2)
    paras = [p.strip('\n') for p in re.split(r'\n[ \t]*\n', body) if p.strip()]
    cut = next((i for i, p in enumerate(paras) if p.startswith('From:')), len(paras))
    paras, back = paras[:cut], paras[cut:]
    m = re.match(r'Chapter (\w+)\.?\s*(.*)$', paras[0], re.S)   # "Chapter 5" or "Chapter 9. Title"
    label, title = (paras[0], paras[1]) if not m.group(2) else (paras[0][:m.end(1) + 1], m.group(2))
    arrows = [i for i, p in enumerate(paras) if p.startswith('\u2190')]  # the web capture's endnotes
    if arrows:                                    # print them as a report does: under a "Notes" heading
        paras = paras[:arrows[0]] + ['Notes'] + [p.lstrip('\u2190 ') for p in paras[arrows[0]:]]
    merged = []                                   # rejoin paragraphs cut at a source page break
    for p in paras[1 if m.group(2) else 2:]:
        prev = merged[-1] if merged else ''
        if kind(prev) == kind(p) == 'para' and len(prev) > 200 and re.search(r'[a-z*]$', prev) \
                and not END_BOX_RE.match(p):
            merged[-1] = prev + ' ' + p
        else:
            merged.append(p)
    return yaml.safe_load(front), label, title, structure(merged), back


def kind(p):
    """table (tab rows), list, box (title), heading (one short line, no final punctuation), para."""
    s = p.strip()
    return ('table' if '\t' in p else 'list' if all(ITEM_RE.match(x) for x in p.split('\n')) else
            'box' if BOX_RE.match(s) else
            'heading' if ('\n' not in s and len(s) <= 200 and re.match(r'[A-Z0-9]', s)
                          and not re.search(r'[.:;,]$', s) and not END_BOX_RE.match(s)) else 'para')


def structure(paras):
    """Blocks: ('heading', text, level), ('box', title, blocks), ('table', rows),
    ('item', text, bullet, style) and ('para', text, style)."""
    kinds = [kind(p) for p in paras]
    blocks, i, has_subs, section = [], 0, False, ''
    while i < len(paras):
        p, k, s = paras[i], kinds[i], paras[i].strip()
        if k == 'heading':                        # level 1 = section, 2 = sub-heading
            if SPECIAL.match(s):
                level, has_subs, section = 1, True, s
            elif (blocks and blocks[-1][0] == 'heading') or section.startswith('Annex'):
                level = 2
            elif kinds[i + 1:i + 2] == ['heading']:      # a section opening with a sub-heading
                level, has_subs, section = 1, True, s
            else:
                level, section = (2, section) if has_subs else (1, s)
            blocks.append(('heading', s, level))
        elif k == 'box':
            j = i + 1
            while j < len(paras) and not END_BOX_RE.match(paras[j].strip()) and kinds[j] != 'box':
                j += 1
            blocks.append(('box', s, structure(paras[i + 1:j + 1])))
            i = j
        elif k == 'table':
            blocks.append(('table', [r for r in p.split('\n') if r.strip()]))
        elif k == 'list':
            style = 'small' if section == 'References' else 'note' if section.startswith('Note') else ''
            for m in map(ITEM_RE.match, p.split('\n')):
                blocks.append(('item', m.string[m.end():].strip(), m.group(2) + '.' if m.group(2) else '\u2022',
                               style))
        else:
            blocks.append(('para', s, 'source' if END_BOX_RE.match(s) else 'note' if NOTE_RE.match(s) else
                           'small' if section in ('References', 'Proposals for action') and REF_RE.match(s)
                           else 'body'))
        i += 1
    return blocks


class Mark(Flowable):
    """Zero-size flowable recording where it is drawn: log[key] = (page, x, y)."""
    def __init__(self, log, key):
        super().__init__()
        self.log, self.key = log, key

    def draw(self):
        m = self.canv._currentMatrix
        self.log[self.key] = (self.canv.getPageNumber(), m[4], m[5])


class FillTo(Flowable):
    """Blank space leaving only half of `box`'s height at the foot of the page, so the
    box has to run over the page break.  In a column that is not the page's last it
    asks for more than the column holds, so it moves on to the next column."""
    def __init__(self, doc, box):
        super().__init__()
        self.doc, self.box = doc, box

    def wrap(self, aw, ah):
        frame = self.doc.frame
        if frame is not self.doc.pageTemplate.frames[-1] and not frame._atTop:
            return aw, ah + 1
        return aw, max(0, ah - max(70, self.box.wrap(aw, 1e6)[1] / 2))

    def draw(self):
        pass


class SplitTable(Table):
    """Table whose page split drops the empty remainder that reportlab's in-row
    split leaves when a last row's text fits but its bottom padding does not."""
    def split(self, aw, ah):
        parts = super().split(aw, ah)
        full = [p for p in parts if any(c not in ('', None, (), []) for row in p._cellvalues for c in row)]
        return full if len(parts) > 1 else parts


def table(rows, width):
    """Tab-separated rows as a gridded table: bold first row, one-cell rows span."""
    cells = [r.split('\t') for r in rows]
    n = max(len(r) for r in cells)
    weights = [40 + sum(min(len(r[j]), 300) for r in cells if len(r) > max(j, 1)) for j in range(n)]
    style = [('GRID', (0, 0), (-1, -1), 0.4, colors.grey), ('VALIGN', (0, 0), (-1, -1), 'TOP'),
             ('BACKGROUND', (0, 0), (-1, 0), HEAD_BG), ('LEFTPADDING', (0, 0), (-1, -1), 3),
             ('RIGHTPADDING', (0, 0), (-1, -1), 3)]
    style += [('SPAN', (0, i), (-1, i)) for i, r in enumerate(cells) if len(r) == 1 and n > 1]
    data = [[Paragraph(inline(c, cell=True), ST['th' if i == 0 or len(r) == 1 else 'td']) for c in r]
            + [''] * (n - len(r)) for i, r in enumerate(cells)]
    return SplitTable(data, colWidths=[width * (0.5 / n + 0.5 * w / sum(weights)) for w in weights],
                      style=style, repeatRows=1, splitByRow=0, splitInRow=1, hAlign='LEFT',
                      spaceBefore=4, spaceAfter=8)


def box(title, inner, width, ctx):
    """A shaded, framed one-column table, one row per paragraph, that splits over pages."""
    key = BOX_RE.match(title).group(0)[:-2]
    rows = [[[Mark(ctx['marks'], key + ' start'), Paragraph(inline(title), ST['boxtitle'])]]]
    rows += [[[f]] for f in inner]
    rows[-1][0].append(Mark(ctx['marks'], key + ' end'))
    ctx['boxes'].append(key)
    t = SplitTable(rows, colWidths=[width], splitByRow=0, splitInRow=1, spaceBefore=6, spaceAfter=10, style=[
        ('BACKGROUND', (0, 0), (-1, -1), BOX_BG), ('BOX', (0, 0), (-1, -1), 0.6, BOX_LINE),
        ('VALIGN', (0, 0), (-1, -1), 'TOP'), ('LEFTPADDING', (0, 0), (-1, -1), 6),
        ('RIGHTPADDING', (0, 0), (-1, -1), 6), ('TOPPADDING', (0, 0), (-1, -1), 1),
        ('BOTTOMPADDING', (0, 0), (-1, -1), 1), ('TOPPADDING', (0, 0), (-1, 0), 6),
        ('BOTTOMPADDING', (0, -1), (-1, -1), 6)])
    return [CondPageBreak(70)] + ([FillTo(ctx['doc'], t)] if key == ctx['force'] else []) + [t]


def flowables(blocks, width, ctx, in_box=False):
    """Flowables for blocks.  Annexes start a page (full width with two columns)."""
    out = []
    for i, b in enumerate(blocks):
        if b[0] == 'heading' and not in_box:
            if b[1].startswith('Annex') or (b[1] == 'References' and ctx['wide']):
                ctx['wide'] = b[1].startswith('Annex')
                if ctx['columns'] == 2:
                    out.append(NextPageTemplate('wide' if ctx['wide'] else 'later'))
                    width = ctx['text_width'] if ctx['wide'] else ctx['col_width']
                out.append(PageBreak())
            if not (i and blocks[i - 1][0] == 'heading'):
                out.append(CondPageBreak(80))     # keep a heading with some of its text
            out.append(Paragraph(inline(b[1]), ST['h%d' % b[2]]))
        elif b[0] == 'heading':
            out.append(Paragraph(inline(b[1]), ST['boxtitle']))
        elif b[0] == 'para':
            out.append(Paragraph(inline(b[1]), ST['boxbody' if in_box and b[2] == 'body' else b[2]]))
        elif b[0] == 'item':
            st = ST[b[3] or ('boxitem' if in_box else 'item')]
            out.append(Paragraph(inline(b[1]), st, bulletText=None if b[3] == 'small' else b[2]))
        elif b[0] == 'table':
            out.append(table(b[1], width))
            ctx['tables'] += 1
        elif b[0] == 'box':
            out += box(b[1], flowables(b[2], width - 12, ctx, in_box=True), width, ctx)
    return out


frame = functools.partial(Frame, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _doc(out_path, meta, columns, opening):
    """Doc template with page templates 'first', 'later' and 'wide' (full width); with
    two columns the opening flowables get a full-width frame of their height."""
    (W, H), m = BOOK if columns == 1 else A4, MARGIN
    tw, th, cw = W - 2 * m, H - 2 * m, (W - 2 * m - GAP) / 2
    top = sum(f.wrap(tw, th)[1] + f.getSpaceAfter() for f in opening) + 8 * mm
    chap, first = str(meta['chapter']), FIRST_PAGE.get(str(meta['chapter']), 1)
    header = f"{chap}. {meta['chapter_title'].upper()}"
    footer = f"{meta['publication'].split(':')[0].upper()} \u00a9 OECD {meta['year']}"

    def text(canv, s, y, left, font='Helvetica', size=7.0, width=tw):
        while stringWidth(s, font, size) > width and size > 5:          # shrink to fit
            size -= 0.25
        canv.setFont(font, size)
        canv.drawString(m, y, s) if left else canv.drawRightString(W - m, y, s)

    def decorate(canv, doc, head=True):
        n = canv.getPageNumber() + first - 1
        odd = n % 2                               # odd pages are right-hand pages
        canv.saveState()
        canv.setDateFormatter(lambda *a: f"D:{meta['year']}0101000000+00'00'")
        if head:
            text(canv, header, H - 14 * mm, not odd, size=7.5)
            canv.setLineWidth(0.4)
            canv.line(m, H - 15.5 * mm, W - m, H - 15.5 * mm)
        text(canv, footer, 11 * mm, odd, width=tw - 12 * mm)
        text(canv, str(n), 11 * mm, not odd, 'Helvetica-Bold', 9)
        canv.restoreState()

    full = [frame(m, m, tw, th, id='full')]
    cols = [frame(m + i * (cw + GAP), m, cw, th - (top if f else 0), id=f'{"first" * f}col{i}')
            for f in (1, 0) for i in (0, 1)]
    doc = BaseDocTemplate(str(out_path), pagesize=(W, H), invariant=1, title=meta['chapter_title'],
                          author='OECD', subject=meta['publication'], creator='make_oecd_pdfs.py',
                          keywords=f"OECD, public procurement, IMSS, chapter {chap}, {meta.get('doi', '')}"
                          .strip(', '))
    doc.addPageTemplates([
        PageTemplate('first', full if columns == 1 else [frame(m, H - m - top, tw, top, id='title')] + cols[:2],
                     onPage=lambda c, d: decorate(c, d, head=False)),
        PageTemplate('later', full if columns == 1 else cols[2:], onPage=decorate),
        PageTemplate('wide', full, onPage=decorate)])
    return doc, tw, cw if columns == 2 else tw


def _build(md_path, out_path, columns, force=None):
    meta, label, title, blocks, back = read_chapter(md_path)
    opening = [Paragraph(inline(label), ST['label']), Paragraph(inline(title), ST['title'])]
    doc, tw, cw = _doc(out_path, meta, columns, opening)
    ctx = dict(columns=columns, text_width=tw, col_width=cw, wide=False, doc=doc, marks={}, force=force,
               boxes=[], tables=0)
    story = [NextPageTemplate('later')] + opening + [FrameBreak() if columns == 2 else Spacer(1, 6 * mm)]
    story += flowables(blocks, cw, ctx)
    if back:                                      # the OECD "From:" back page
        story += [NextPageTemplate('wide'), PageBreak()] + [Paragraph(inline(p), ST['back']) for p in back]
    doc.build(story)
    return ctx


def hyphen_line_ends(pdf_path, source):
    """Lines ending in letter + '-' whose word is not a compound of the source text."""
    n, pdf = 0, pdfium.PdfDocument(str(pdf_path))
    for page in pdf:                              # pdfium joins a line ending in '-' with U+FFFE
        lines = re.sub('[\x02\ufffe]', '-\n', page.get_textpage().get_text_range()).splitlines()
        for a, b in zip(lines, lines[1:]):
            m, m2 = re.search(r'([A-Za-z]+)-$', a.rstrip()), re.match(r'\s*([a-z]+)', b)
            n += bool(m and m2 and f'{m.group(1)}-{m2.group(1)}' not in source)
    pages = len(pdf)
    pdf.close()
    return n, pages


def make(md_path: Path, out_path: Path, columns: int = 1) -> dict:
    """Render one chapter to out_path; return a summary of its layout."""
    def crossing(ctx):
        return [b for b in ctx['boxes'] if ctx['marks'][b + ' start'][0] != ctx['marks'][b + ' end'][0]]

    def need(b):                                  # blank space that moves box b over the page foot
        (_, x, top), (_, _, bot) = ctx['marks'][b + ' start'], ctx['marks'][b + ' end']
        W, H = BOOK if columns == 1 else A4
        return bot - MARGIN + (top - bot) / 2 + (H - 2 * MARGIN if columns == 2 and x < W / 2 else 0)

    ctx = _build(md_path, out_path, columns)
    if ctx['boxes'] and not crossing(ctx):
        for b in sorted(ctx['boxes'], key=need):
            ctx = _build(md_path, out_path, columns, force=b)
            if crossing(ctx):
                break
    hyphens, pages = hyphen_line_ends(out_path, Path(md_path).read_text(encoding='utf-8'))
    return {'file': str(out_path), 'pages': pages, 'boxes': len(ctx['boxes']),
            'boxes_over_page_break': crossing(ctx), 'hyphenated_line_ends': hyphens, 'tables': ctx['tables']}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('outdir', type=Path)
    ap.add_argument('--columns', type=int, choices=(1, 2), default=1)
    ap.add_argument('sources', nargs='*', type=Path, default=[REPO / s for s in SOURCES])
    args = ap.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    print(json.dumps([make(src, args.outdir / f"{src.stem}{'-2col' * (args.columns == 2)}.pdf", args.columns)
                      for src in args.sources], indent=2))


if __name__ == '__main__':
    main()
