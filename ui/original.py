"""The original behind a source, one click away: the PDF page with the quoted sentences highlighted,
or, for other formats, the passage among its neighbours in the document.

A PDF page is rendered by pypdfium2 from the file the passage was indexed from (under the data
directory for uploads) and sent inline as a PNG; the quote is found on the page by pdfium's own text
search, a few words at a time (line breaks and hyphenation make whole-sentence matches brittle), and
each found run is painted over in translucent yellow.
"""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Sequence
from html import escape as esc
from pathlib import Path

from indexer.chunker import SEP
from ui.i18n import t
from ui.render import highlight

SCALE = 1.6
"""Pixels per PDF point of the rendered page (about 115 dpi)."""
CHUNK_WORDS = 4
"""Words searched at a time on the page."""


def quote_rects(textpage, quote: str) -> list[tuple[float, float, float, float]]:
    """Rectangles (left, bottom, right, top, in PDF points) of the runs of ``quote`` found on the page."""
    words = quote.split()
    rects, start = [], 0
    for i in range(0, len(words), CHUNK_WORDS):
        chunk = " ".join(words[i:i + CHUNK_WORDS])
        found = textpage.search(chunk, index=start).get_next() if chunk else None
        if not found:
            continue
        index, count = found
        start = index + count
        rects += [textpage.get_rect(r) for r in range(textpage.count_rects(index, count))]
    return rects


def pdf_page_png(path: Path, pages: Sequence[int], quotes: Sequence[str]) -> tuple[int, bytes, int, float]:
    """(page number, PNG bytes, runs highlighted, where the first run starts as a share of the page's
    height) of the first of ``pages`` (1-based) where a quote is found, else of the first page, with
    the runs painted over."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = [n for n in pages if 1 <= n <= len(pdf)] or [1]
        chosen, rects = pages[0], []
        for number in pages:
            textpage = pdf[number - 1].get_textpage()
            found = [r for q in quotes for r in quote_rects(textpage, q)]
            if found:
                chosen, rects = number, found
                break
        page = pdf[chosen - 1]
        height = page.get_size()[1]
        image = page.render(scale=SCALE).to_pil().convert("RGBA")
    finally:
        pdf.close()
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for left, bottom, right, top in rects:
        draw.rectangle([left * SCALE - 1, (height - top) * SCALE - 1, right * SCALE + 1, (height - bottom) * SCALE + 1],
                       fill=(250, 204, 21, 110))
    buf = io.BytesIO()
    Image.alpha_composite(image, overlay).convert("RGB").save(buf, "PNG", optimize=True)
    focus = min(((height - top) / height for _, _, _, top in rects), default=0.0)
    return chosen, buf.getvalue(), len(rects), max(0.0, focus)


def pdf_view(passage: dict, quotes: Sequence[str], lang: str) -> str:
    path = Path(passage.get("source_path") or "")
    if not path.is_file():
        return f'<p class="kb-original-missing">{esc(t(lang, "original_missing", path=str(path)))}</p>'
    first = int(passage.get("page") or 1)
    last = int(passage.get("page_end") or first)
    number, png, runs, focus = pdf_page_png(path, range(first, last + 2), quotes)  # + 1: a paragraph runs on
    title = passage.get("title", "")
    alt = t(lang, "original_alt", page=number, title=title)
    return _frame(f"{title} · {t(lang, 'page')} {number}",
                  f'<img alt="{esc(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">', lang,
                  f' data-runs="{runs}" data-focus="{focus:.3f}"')  # app.js scrolls the first run into view


def context_view(passage: dict, neighbours: Sequence[dict], spans: Sequence[tuple[int, int]], lang: str) -> str:
    """The passage between its neighbours in the document (``neighbours`` in reading order, the
    passage among them), its quoted sentences marked."""
    blocks = []
    for p in neighbours:
        mine = p["id"] == passage["id"]
        text = highlight(p.get("text", ""), spans if mine else ())
        crumb = esc(SEP.join(x for x in str(p.get("breadcrumb", "")).split(SEP)[1:] if x))  # the title is above
        blocks.append(f'<div class="kb-context{" kb-context-this" if mine else ""}">'
                      f'{f"<p class=kb-crumb>{crumb}</p>" if crumb else ""}<div class="kb-text">{text}</div></div>')
    return _frame(f"{passage.get('title', '')} · {t(lang, 'in_context')}", "".join(blocks), lang)


def _frame(heading: str, body: str, lang: str, attrs: str = "") -> str:
    """The view's frame: a button that hides it again (``ui/static/app.js``) and its heading. Each view
    is stamped with the time it was made, so opening the same source again shows it again."""
    return (f'<section class="kb-original"{attrs} data-shown="{time.time_ns()}">'
            f'<button class="kb-close" type="button" aria-label="{esc(t(lang, "close"))}">×</button>'
            f'<h3>{esc(heading)}</h3>{body}</section>')
