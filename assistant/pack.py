"""Workshop packs for trainers: collected passages with notes, exported to Markdown or Word.

Pure functions over plain dicts (a pack lives in the browser session's state), so the UI, a future
`kb pack --questions FILE --out pack.md` and the tests share them. Every item carries its full
citation; every export ends with the OECD acknowledgement the reuse terms ask for.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.markup import parse, plain


if TYPE_CHECKING:
    from assistant.api import KnowledgeBase

ACKNOWLEDGEMENT = "OECD material reproduced for own use with acknowledgement of the OECD as source"
TITLE = "Workshop pack — OECD reviews of procurement at IMSS"
WORDS = {
    "en": {"title": TITLE, "count": "{n} passage(s)", "general": "General", "question": "Question",
           "searched": "searched as", "author": "IMSS procurement reviews assistant",
           "note": "Note", "citation": "Citation", "source": "Source", "ack": "Acknowledgement"},
    "es": {"title": "Paquete de taller — revisiones de la OCDE de las compras del IMSS", "count": "{n} pasaje(s)",
           "general": "General", "question": "Pregunta", "note": "Nota", "citation": "Cita", "source": "Fuente",
           "searched": "buscada como", "author": "Asistente de las revisiones de compras del IMSS",
           "ack": "Reconocimiento"},
}
"""Headings of an export in the interface language; quotes, citations and the acknowledgement (the
wording the OECD's terms ask for) stay as the sources give them."""


def words_for(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])
PASSAGE_FIELDS = ("id", "text", "title", "doc_id", "kind", "chapter", "chapter_title", "section", "box_id",
                  "box_title", "countries", "page", "page_end", "publication", "year", "doi", "source_url",
                  "citation")



def merge_spans(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Sorted, clipped, non-overlapping spans (touching ones joined)."""
    out: list[list[int]] = []
    for s, e in sorted((max(0, int(s)), min(length, int(e))) for s, e in spans):
        if s >= e:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def short_label(p: dict) -> str:
    """What a reader recognises a source by: the box, else the section, else the chapter or title."""
    if p.get("box_title"):
        return p["box_title"] if p["box_title"].lower().startswith("box") else f"Box {p['box_id']}. {p['box_title']}"
    return p.get("section") or p.get("chapter_title") or p.get("title") or p.get("id", "")

def make_item(passage: dict, spans: Iterable[Sequence[int]] = (), question: str = "", note: str = "",
              searched: str = "") -> dict:
    """A pack item: the passage (the fields a citation needs), its quoted spans, the question as asked
    (and, for a follow-up such as "¿y en Chile?", the question it was searched as) and a note."""
    p = {k: passage.get(k) for k in PASSAGE_FIELDS}
    p["countries"] = list(p["countries"] or [])
    searched = searched if " ".join(searched.split()) != " ".join(question.split()) else ""
    return {"id": p["id"], "passage": p, "spans": [list(s) for s in spans], "question": question,
            "searched": searched, "note": note}


def asked(item: dict, w: dict[str, str]) -> str:
    """The question line of an item: as asked, with what a follow-up was searched as."""
    return item["question"] + (f" ({w['searched']}: {item['searched']})" if item.get("searched") else "")


def add_item(items: list[dict], item: dict) -> tuple[list[dict], bool]:
    """``items`` with ``item`` appended, unless that passage is already there; and whether it was added."""
    if any(i["id"] == item["id"] for i in items):
        return list(items), False
    return [*items, item], True


def remove_item(items: list[dict], item_id: str) -> list[dict]:
    return [i for i in items if i["id"] != item_id]


def set_note(items: list[dict], item_id: str, note: str) -> list[dict]:
    return [{**i, "note": note} if i["id"] == item_id else i for i in items]


def country_label(passage: dict) -> str:
    """The country a passage's box is an example of, its first named ("" for passages that are not a
    country example): one country per group in a pack."""
    return (passage.get("countries") or [""])[0]


def group_items(items: Sequence[dict]) -> list[tuple[str, list[tuple[str, list[dict]]]]]:
    """Items by document (oldest publication first), then by country (general passages last)."""
    docs: dict[str, dict[str, list[dict]]] = {}
    years: dict[str, str] = {}
    for item in items:
        p = item["passage"]
        title = p.get("title") or p.get("doc_id") or ""
        years.setdefault(title, str(p.get("year") or ""))
        docs.setdefault(title, {}).setdefault(country_label(p), []).append(item)
    return [(title, sorted(groups.items(), key=lambda kv: (kv[0] == "", kv[0])))
            for title, groups in sorted(docs.items(), key=lambda kv: (years[kv[0]] or "9999", kv[0]))]


def is_oecd(p: dict) -> bool:
    return (str(p.get("doi") or "").startswith("10.1787") or "oecd" in str(p.get("source_url") or "").lower()
            or str(p.get("citation") or "").startswith("OECD"))


def reference(p: dict) -> str:
    """The publication a passage comes from: "OECD (2013), <publication>, <link>"."""
    link = f"https://doi.org/{p['doi']}" if p.get("doi") else (p.get("source_url") or "")
    name = p.get("publication") or p.get("title") or p.get("doc_id") or ""
    author = "OECD " if is_oecd(p) else ""
    year = f"({p['year']})" if p.get("year") else ""
    head = f"{author}{year}".strip()
    return ", ".join(x for x in (head, name, link) if x)


def acknowledgements(items: Sequence[dict]) -> list[str]:
    """One acknowledgement per OECD publication in the pack, oldest first."""
    refs = {reference(i["passage"]): str(i["passage"].get("year") or "") for i in items if is_oecd(i["passage"])}
    return [f"{ACKNOWLEDGEMENT}: {ref}." for ref, _ in sorted(refs.items(), key=lambda kv: (kv[1], kv[0]))]


def marked_segments(item: dict) -> list[tuple[str, bool]]:
    """The passage as plain text (Markdown emphasis markers dropped) cut into (text, quoted) pieces,
    quoted pieces being the cited sentences."""
    marked = parse(item["passage"].get("text") or "")
    text = marked.plain
    out, pos = [], 0
    for s, e in merge_spans((marked.span(s, e) for s, e in item.get("spans", [])), len(text)):
        out += [(text[pos:s], False), (text[s:e], True)]
        pos = e
    out.append((text[pos:], False))
    return [(t, q) for t, q in out if t]


def _md(text: str) -> str:
    """Document text as plain text (its own emphasis markers dropped), with the characters Markdown
    renderers would read as markup made inert (``*``, ``_`` escaped; HTML escaped)."""
    return re.sub(r"([*_`\\])", r"\\\1", html.escape(plain(text), quote=False))


def _bold(text: str) -> str:
    """Quoted text in bold (``__…__``: no asterisk reaches an export), its surrounding blanks left outside
    the markers (or Markdown ignores them)."""
    core = " ".join(text.split())
    if not core:
        return text
    lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}__{_md(core)}__{tail}"


def to_markdown(items: Sequence[dict], title: str | None = None, today: date | None = None, lang: str = "en") -> str:
    """The pack as Markdown: grouped passages, quoted sentences in bold, notes, citations, acknowledgement."""
    w = words_for(lang)
    lines = [f"# {title or w['title']}", "", f"{w['count'].format(n=len(items))} · {(today or date.today()).isoformat()}", ""]
    n = 0
    for doc, groups in group_items(items):
        lines += [f"## {_md(doc)}", ""]
        for country, group in groups:
            lines += [f"### {_md(country or w['general'])}", ""]
            for item in group:
                n += 1
                p = item["passage"]
                lines += [f"#### {n}. {_md(short_label(p))}", ""]
                body = "".join(_bold(t) if q else _md(t) for t, q in marked_segments(item))
                lines += ["> " + line if line.strip() else ">" for line in body.strip().splitlines()]
                lines.append("")
                if item.get("question"):
                    lines += [f"_{w['question']}:_ {_md(asked(item, w))}", ""]
                if item.get("note", "").strip():
                    lines += [f"_{w['note']}:_ {_md(item['note'].strip())}", ""]
                lines += [f"_{w['citation']}:_ {_md(p.get('citation') or '')}  ", f"_{w['source']}:_ {_md(reference(p))}", ""]
    ack = acknowledgements(items)
    if ack:
        lines += ["---", "", f"## {w['ack']}", ""] + [f"- {_md(a)}" for a in ack] + [""]
    return "\n".join(lines)


def export_markdown(items: Sequence[dict], path: Path, lang: str = "en") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_markdown(items, lang=lang), encoding="utf-8")
    return path


def export_docx(items: Sequence[dict], path: Path, title: str | None = None, lang: str = "en") -> Path:
    """The same pack as a Word document (python-docx): headings, bold quotes, notes, citations."""
    from docx import Document

    w = words_for(lang)
    doc = Document()
    doc.core_properties.title, doc.core_properties.author = title or w["title"], w["author"]
    doc.core_properties.language = lang
    doc.add_heading(title or w["title"], level=0)
    doc.add_paragraph(f"{w['count'].format(n=len(items))} · {date.today().isoformat()}")
    n = 0
    for doc_title, groups in group_items(items):
        doc.add_heading(plain(doc_title), level=1)
        for country, group in groups:
            doc.add_heading(country or w["general"], level=2)
            for item in group:
                n += 1
                p = item["passage"]
                doc.add_heading(f"{n}. {plain(short_label(p))}", level=3)
                para = doc.add_paragraph(style="Quote")
                for text, quoted in marked_segments(item):
                    para.add_run(text).bold = quoted
                if item.get("question"):
                    doc.add_paragraph().add_run(f"{w['question']}: {asked(item, w)}").italic = True
                if item.get("note", "").strip():
                    doc.add_paragraph().add_run(f"{w['note']}: {item['note'].strip()}").italic = True
                doc.add_paragraph(f"{w['citation']}: {plain(p.get('citation') or '')}")
                doc.add_paragraph(f"{w['source']}: {plain(reference(p))}")
    ack = acknowledgements(items)
    if ack:
        doc.add_heading(w["ack"], level=1)
        for a in ack:
            doc.add_paragraph(a)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def pack_from_questions(kb: "KnowledgeBase", questions: Iterable[str], k: int | None = None) -> list[dict]:
    """A pack of the passages cited in the answers to ``questions`` (abstentions add nothing)."""
    items: list[dict] = []
    for question in (q.strip() for q in questions):
        if not question:
            continue
        answer = kb.ask(question, k=k).to_dict()
        spans: dict[str, list[tuple[int, int]]] = {}
        for c in answer["citations"]:
            spans.setdefault(c["passage_id"], []).append((c["start"], c["end"]))
        for p in answer["passages"]:
            if p.get("cited"):
                items, _ = add_item(items, make_item(p, spans.get(p["id"], []), question))
    return items
