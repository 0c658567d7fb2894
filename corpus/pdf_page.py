"""One PDF page as printed lines in reading order, each with its font, place and region.

pdfplumber (pdfminer.six; MIT) gives every word with its font, size and position, the drawn
rectangles and the ruled tables. A page whose lines keep a wide gap at the same place near the
middle is read left column, then right (a line across both, such as a title, keeps its place above
or below them); lines inside a shaded or framed rectangle belong to a box; ruled tables of two or
more columns become one line holding their rows of tab-separated cells. ``corpus.pdf_layout`` turns
the lines of all pages into paragraphs.

Pure functions over pdfplumber's word and rectangle dicts, except ``page_lines``, which asks the page.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Line:
    """One printed line: its words' text, position, dominant font and the region it sits in."""

    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    region: str = "body"  # "body", "box" or "table"
    box: int | None = None  # which framed rectangle of the page holds it
    column_right: float = 0.0  # where justified text of its column ends (over the document; inf: ragged)
    rows: list[str] = field(default_factory=list)  # a table's tab-separated rows
    column: str = "W"  # "L" or "R" on a two-column page, "W" across the page


def _font(words: list[dict]) -> tuple[float, bool]:
    """Size and boldness of the most characters of some words."""
    weight = Counter()
    for w in words:
        weight[(round(float(w["size"]), 1), "bold" in w["fontname"].lower() or "black" in w["fontname"].lower())] += len(w["text"])
    (size, bold), _ = weight.most_common(1)[0]
    return size, bold


def _rows_of(words: list[dict], tolerance: float = 2.0) -> list[list[dict]]:
    """Words grouped into printed lines (same baseline within ``tolerance``), each left to right."""
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - w["bottom"]) <= tolerance:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(r, key=lambda w: w["x0"]) for r in rows]


def line_text(words: list[dict]) -> str:
    """Words of one printed line as text: a space where the line has one, none between the parts
    of a word set in two fonts; a glyph pdfminer cannot name at a line start is a bullet."""
    out = ""
    for prev, w in zip([None] + words[:-1], words):
        if prev is not None and w["x0"] - prev["x1"] > 0.12 * float(w["size"]):
            out += " "
        out += w["text"]
    out = re.sub(r"^\(cid:\d+\)\s*", "• ", out)
    return re.sub(r"\s*\(cid:\d+\)\s*", " ", out).strip()


def _spans(row: list[dict], x: float, min_gap: float) -> bool:
    """Whether a printed line runs across ``x`` (a word over it, or words closer than a gutter)."""
    left = max((w["x1"] for w in row if w["x1"] <= x), default=None)
    right = min((w["x0"] for w in row if w["x0"] >= x), default=None)
    return any(w["x0"] < x < w["x1"] for w in row) or (left is not None and right is not None and right - left < min_gap)


def _column_like(segments: list[list[dict]], width: float) -> bool:
    """Whether lines' parts on one side of a gap read as a column of text: a quarter of the page
    wide, and mostly ink (table cells leave wide gaps between their words)."""
    spans = [s[-1]["x1"] - s[0]["x0"] for s in segments]
    ink = [sum(w["x1"] - w["x0"] for w in s) / max(span, 1e-6) for s, span in zip(segments, spans)]
    return statistics.median(spans) >= 0.25 * width and statistics.median(ink) >= 0.6


def gutter(rows: list[list[dict]], width: float, min_gap: float = 8.0) -> float | None:
    """The x of the gap between two columns: near the middle, crossed by at most a fifth of the
    printed lines, with at least three lines on each side, each side's text column-like (not table
    cells); None for a one-column page."""
    best, fewest = None, 0.2 * len(rows) + 1e-9
    for x in range(int(width * 0.35), int(width * 0.65), 2):
        spanning = [r for r in rows if _spans(r, x, min_gap)]
        if len(spanning) >= fewest:
            continue
        left = [r for r in ([w for w in row if w["x1"] <= x] for row in rows) if r]
        right = [r for r in ([w for w in row if w["x0"] >= x] for row in rows) if r]
        if len(left) >= 3 and len(right) >= 3 and _column_like(left, width) and _column_like(right, width):
            best, fewest = x, len(spanning)
    return best


def _frames(page, tables: list) -> list[tuple[float, float, float, float]]:
    """Shaded or framed rectangles big enough to hold text (table cells aside), those touching one
    above the other merged: the page's boxes, as (x0, top, x1, bottom)."""
    def inside_table(r) -> bool:
        return any(t[0] - 1 <= r["x0"] and r["x1"] <= t[2] + 1 and t[1] - 1 <= r["top"] and r["bottom"] <= t[3] + 1
                   for t in tables)

    def shaded(r) -> bool:
        colour = r.get("non_stroking_color")
        white = colour in (None, 1, (1,), (1, 1, 1), [1], [1, 1, 1], (0, 0, 0, 0), [0, 0, 0, 0])
        return bool(r.get("fill")) and not white or bool(r.get("stroke"))

    found = sorted((r["x0"], r["top"], r["x1"], r["bottom"]) for r in page.rects
                   if r["width"] >= 100 and r["height"] >= 12 and shaded(r) and not inside_table(r))
    merged: list[list[float]] = []
    for x0, top, x1, bottom in sorted(found, key=lambda f: (round(f[0]), f[1])):
        last = merged[-1] if merged else None
        if last and abs(last[0] - x0) < 2 and abs(last[2] - x1) < 2 and top <= last[3] + 2:
            last[3] = max(last[3], bottom)
        elif not any(m[0] - 1 <= x0 and x1 <= m[2] + 1 and m[1] - 1 <= top and bottom <= m[3] + 1 for m in merged):
            merged.append([x0, top, x1, bottom])
    return [tuple(m) for m in merged]


def _within(box: tuple, x0: float, top: float, x1: float, bottom: float) -> bool:
    cx, cy = (x0 + x1) / 2, (top + bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _table_rows(table) -> list[str]:
    """Rows of tab-separated cells; a cell's printed lines stay apart (joined with the document's words)."""
    rows = []
    for row in table.extract():
        cells = [re.sub(r"\(cid:\d+\)", "•", re.sub(r"[ \t]+", " ", c)).strip() for c in row if c and c.strip()]
        if cells:
            rows.append("\t".join(cells))
    return rows


def _open_ends(page) -> list[float]:
    """Where ruled columns stop without a rule across them: a table row cut at the page's end (or
    continued at its top), which the table finder needs closed."""
    across = [e for e in page.edges if e["orientation"] == "h"]
    ends = set()
    for e in (e for e in page.edges if e["orientation"] == "v"):
        for y in (e["top"], e["bottom"]):
            if not any(abs(y - h["top"]) < 2 and h["x0"] - 2 <= e["x0"] <= h["x1"] + 2 for h in across):
                ends.add(round(float(y), 1))
    return sorted(ends)


def page_lines(page, number: int) -> list[Line]:
    """The page's lines in reading order (columns one after the other), tables as one line each."""
    found = page.find_tables({"explicit_horizontal_lines": _open_ends(page)})
    tables = [t for t in found if max((len([c for c in r.cells if c]) for r in t.rows), default=0) >= 2]
    boxes = [t.bbox for t in tables]
    frames = _frames(page, boxes)
    words = [w for w in page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
             if not any(_within(b, w["x0"], w["top"], w["x1"], w["bottom"]) for b in boxes)]
    rows = _rows_of(words)
    split = gutter(rows, float(page.width))
    columns: list[tuple[str, list[list[dict]]]] = []  # (column: "L", "R" or "W" whole width, its rows)
    if split is None:
        columns = [("W", rows)]
    else:
        full = [r for r in rows if _spans(r, split, 8.0)]
        across = {id(r) for r in full}
        start = float("-inf")
        for edge, line in zip([r[0]["top"] for r in full] + [float("inf")], full + [None]):
            band = [r for r in rows if id(r) not in across and start <= r[0]["top"] < edge]
            columns.append(("L", [s for s in ([w for w in r if w["x1"] <= split] for r in band) if s]))
            columns.append(("R", [s for s in ([w for w in r if w["x0"] >= split] for r in band) if s]))
            if line is not None:
                columns.append(("W", [line]))
            start = edge
    out: list[Line] = []
    for column, col_rows in columns:
        for r in col_rows:
            size, bold = _font(r)
            x0, x1, top, bottom = r[0]["x0"], r[-1]["x1"], min(w["top"] for w in r), max(w["bottom"] for w in r)
            box = next((i for i, f in enumerate(frames) if _within(f, x0, top, x1, bottom)), None)
            out.append(Line(line_text(r), number, x0, x1, top, bottom, size, bold,
                            "box" if box is not None else "body", box, column=column))
    for t in tables:
        x0, top, x1, bottom = t.bbox
        box = next((i for i, f in enumerate(frames) if _within(f, x0, top, x1, bottom)), None)
        at = next((i for i, ln in enumerate(out) if ln.top > top and (split is None or (ln.x0 < split) == (x0 < split))),
                  len(out))
        out.insert(at, Line("", number, x0, x1, top, bottom, 0.0, False, "table", box, x1, _table_rows(t),
                            "W" if split is None else ("L" if x1 <= split else "R" if x0 >= split else "W")))
    return out
