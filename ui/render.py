"""HTML for the chat messages and the sources panel, built from ``Answer.to_dict()``.

Every piece of document or user text goes through ``html.escape`` here and nowhere else is text
turned into markup, so a document holding ``<script>`` or ``<img onerror=…>`` shows as text.
Markers ``[n]`` are links to ``#src-<turn>-<n>``; ui/static/app.js scrolls the panel to them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from assistant.coverage import why_declined
from assistant.markup import parse, plain
from assistant.pack import merge_spans, short_label
from ui.i18n import t

esc = html.escape
_MARKER = re.compile(r"\[(\d+)\]")


def source_id(turn: int, n: int) -> str:
    """DOM id of source ``n`` of answer ``turn``: what a marker links to."""
    return f"src-{turn}-{n}"


def marker(turn: int, n: int) -> str:
    return f'<a class="kb-cite" href="#{source_id(turn, n)}">[{n}]</a>'


def highlight(text: str, spans: Iterable[tuple[int, int]] = ()) -> str:
    """``text`` escaped, its Markdown emphasis shown as ``<strong>``/``<em>`` (markers dropped), and the
    source character ranges ``spans`` wrapped in ``<mark>``."""
    m = parse(text)
    flags = [[False, False, False] for _ in m.plain]  # mark, strong, em
    for s, e in merge_spans((m.span(s, e) for s, e in spans), len(m.plain)):
        for i in range(s, e):
            flags[i][0] = True
    for s, e, kind in m.runs:
        for i in range(s, e):
            flags[i][1 if kind == "strong" else 2] = True
    tags = ("mark", "strong", "em")
    parts, i = [], 0
    while i < len(m.plain):
        j = i
        while j < len(m.plain) and flags[j] == flags[i]:
            j += 1
        on = [tag for tag, flag in zip(tags, flags[i]) if flag]
        parts.append("".join(f"<{tag}>" for tag in on) + esc(m.plain[i:j]) + "".join(f"</{tag}>" for tag in reversed(on)))
        i = j
    return "".join(parts)


def _inline(text: str) -> str:
    """Escaped plain text on one line (Markdown emphasis markers dropped), so an HTML block in the
    chat's Markdown is never cut by a blank line."""
    return esc(" ".join(plain(text).split()))


def answer_message(answer: dict, turn: int) -> str:
    """The assistant's chat message: quoted sentences with markers, or a clearly marked abstention."""
    lang = answer.get("lang", "en")
    passages = answer.get("passages", [])
    if answer.get("error"):
        return f'<div class="kb-error"><strong>{esc(t(lang, "error"))}:</strong> {_inline(answer["error"])}</div>'
    if answer.get("abstained") or not answer.get("citations"):
        related = "".join(f"<li>{marker(turn, p['n'])} {_inline(short_label(p))}</li>" for p in passages)
        return (f'<div class="kb-abstain"><p class="kb-label">{esc(t(lang, "not_covered"))}</p>'
                f"<p>{_inline(answer.get('answer', ''))}</p>"
                + (f'<p class="kb-why">{_inline(why_declined(answer["reason_kind"], answer.get("reason_terms", ()), lang))}</p>'
                   if answer.get("reason_kind") else "")
                + (f'<p class="kb-related">{esc(t(lang, "related"))}:</p><ul class="kb-related">{related}</ul>'
                   if passages else "")
                + "</div>")
    if answer.get("mode") == "llm":  # generated sentences, each already followed by its checked [n]
        body = _MARKER.sub(lambda m: marker(turn, int(m.group(1))), _inline(answer.get("answer", "")))
    else:
        body = " ".join(f"{highlight(' '.join(c['quote'].split()))} {marker(turn, c['n'])}" for c in answer["citations"])
    note = ""
    if lang != "en":  # the quotes are English: say in the reader's language what was found, and where
        cited = [p for p in passages if p.get("cited")]
        items = "; ".join(f"{marker(turn, p['n'])} {_inline(source_label(p, lang))}" for p in cited)
        note = f'<p class="kb-note">{esc(t(lang, "based_on_english"))} {items}</p>'
        if answer.get("terms"):
            found = "; ".join(f"{esc(x['asked'])} → <em>{esc(x['found'])}</em>" for x in answer["terms"])
            note += f'<p class="kb-terms">{esc(t(lang, "terms"))} {found}</p>'
    return f'<div class="kb-answer"><p>{body}</p>{note}</div>'


def source_label(p: dict, lang: str) -> str:
    """``short_label`` with what the passage is named in the reader's language: "Recuadro 5.2 · Chile:
    <English box title>", "Propuesta de acción · <section>"."""
    if p.get("box_id"):
        title = p.get("box_title") or ""
        if title.lower().startswith("box"):
            title = title.split(" ", 2)[2] if title.count(" ") >= 2 else ""
        countries = ", ".join(p.get("countries") or [])
        head = t(lang, "box_n", id=p["box_id"]) + (f" · {countries}" if countries else "")
        return f"{head}: {title}" if title else head
    if p.get("kind") == "recommendation":
        where = p.get("chapter_title") or p.get("title") or ""
        return t(lang, "proposal") + (f" · {where}" if where else "")
    return short_label(p)


def turn_messages(turn: dict, n: int) -> list[dict]:
    """One conversation turn as the chat's two messages: the question, then answer ``n``."""
    answer = turn["answer"]
    return [{"role": "user", "content": user_message(turn["question"], turn.get("searched", turn["question"]),
                                                     answer.get("lang", "en"))},
            {"role": "assistant", "content": answer_message(answer, n)}]


def user_message(question: str, searched: str, lang: str) -> str:
    """The user's chat message; when a follow-up was expanded, what was actually searched."""
    out = f"<p>{_inline(question)}</p>"
    if searched.strip() != question.strip():
        out += f'<p class="kb-searched">{esc(t(lang, "searched_as", q=" ".join(searched.split())))}</p>'
    return f'<div class="kb-user">{out}</div>'


def _meta_rows(p: dict, lang: str) -> str:
    rows = [("document", p.get("title", ""))]
    if p.get("chapter"):
        rows.append(("chapter", f"{p['chapter']}. {p.get('chapter_title', '')}".strip()))
    if p.get("section"):
        rows.append(("section", p["section"]))
    if p.get("box_id"):
        rows.append(("box", short_label(p)))
    if p.get("page") is not None:
        pages = str(p["page"]) if p.get("page_end") in (None, p["page"]) else f"{p['page']}–{p['page_end']}"
        rows.append(("page", pages))
    return "".join(f"<dt>{esc(t(lang, k))}</dt><dd>{highlight(str(v))}</dd>" for k, v in rows if v)


def source_card(p: dict, turn: int, spans: Sequence[tuple[int, int]], lang: str) -> str:
    """One source: where it is in the reviews, and its text with the quoted sentences marked."""
    tag = t(lang, "cited") if p.get("cited") else t(lang, "not_cited")
    countries = ", ".join(p.get("countries") or [])
    return (
        f'<article class="kb-src{" kb-cited" if p.get("cited") else ""}" id="{source_id(turn, p["n"])}">'
        f'<header><span class="kb-n">[{p["n"]}]</span> <span class="kb-tag">{esc(tag)}</span>'
        + (f' <span class="kb-country">{esc(countries)}</span>' if countries else "")
        + f'<button class="kb-collect" type="button" data-turn="{turn}" data-n="{p["n"]}" '
        f'title="{esc(t(lang, "collect_title"))}">{esc(t(lang, "collect"))}</button>'
        f'<button class="kb-open" type="button" data-turn="{turn}" data-n="{p["n"]}">'
        f'{esc(t(lang, "open_page", page=p["page"]) if p.get("page") else t(lang, "open_context"))}</button></header>'
        f'<dl class="kb-meta">{_meta_rows(p, lang)}</dl>'
        f'<div class="kb-text">{highlight(p.get("text", ""), spans)}</div></article>'
    )


def turn_sources(turn: int, entry: dict, lang: str, current: bool) -> str:
    """All sources of one answer; earlier answers fold away under their question."""
    answer = entry["answer"]
    spans: dict[str, list[tuple[int, int]]] = {}
    for c in answer.get("citations", []):
        spans.setdefault(c["passage_id"], []).append((c["start"], c["end"]))
    heading = t(lang, "related") if answer.get("abstained") else t(lang, "sources")
    cards = "".join(source_card(p, turn, spans.get(p["id"], []), lang) for p in answer.get("passages", []))
    return (f'<details class="kb-turn" data-turn="{turn}"{" open" if current else ""}>'
            f'<summary><span class="kb-turn-h">{esc(heading)}</span> · {_inline(entry["question"])}</summary>'
            f"{cards}</details>")


def sources_panel(turns: Sequence[dict], lang: str) -> str:
    """The panel beside the chat: the latest answer's sources open, earlier ones folded, newest first."""
    if not turns:
        return ""  # the app shows a translated hint instead
    last = len(turns) - 1
    body = "".join(turn_sources(i, turns[i], lang, i == last) for i in range(last, -1, -1))
    return f'<div class="kb-sources">{body}</div>'


def documents_table(manifest: dict | None, lang: str) -> str:
    """The indexed documents: title, passages, boxes, when indexed and from which file."""
    files = (manifest or {}).get("files", {})
    if not files:
        return f"<p>{esc(t(lang, 's_none'))}</p>"
    head = "".join(f"<th>{esc(t(lang, k))}</th>" for k in ("d_title", "d_passages", "d_boxes", "d_indexed", "d_file"))
    rows = []
    for path, e in sorted(files.items(), key=lambda kv: kv[1].get("title", "").lower()):
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        when = str(e.get("indexed_at", "")).replace("T", " ")[:16]
        rows.append(f'<tr><td>{esc(e.get("title", ""))}</td><td class="num">{e.get("passages", 0)}</td>'
                    f'<td class="num">{e.get("boxes", 0)}</td><td>{esc(when)}</td><td>{esc(name)}</td></tr>')
    return f'<table class="kb-docs"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def status_table(manifest: dict | None, settings, config: str, lang: str) -> str:
    """Read-only index status and the settings answers are made with."""
    if not manifest:
        return f"<p>{esc(t(lang, 's_none'))}</p>"
    counts = manifest.get("counts", {})
    rows = [
        ("s_model", manifest.get("model", "")),
        ("s_ml", manifest.get("settings", {}).get("multilingual_model", "") or "—"),
        ("s_docs", counts.get("documents", "")),
        ("s_passages", counts.get("passages", "")),
        ("s_boxes", counts.get("boxes", "")),
        ("s_built", str(manifest.get("built_at", "")).replace("T", " ")[:19]),
        ("s_config", config),
        ("s_topk", settings.retrieval.top_k),
        ("s_excluded", ", ".join(settings.retrieval.exclude_kinds)),
        ("s_data", str(settings.data_dir)),
    ]
    body = "".join(f"<tr><th>{esc(t(lang, k))}</th><td>{esc(str(v))}</td></tr>" for k, v in rows)
    return f'<table class="kb-status">{body}</table>'


def pack_card(item: dict) -> str:
    """A collected passage in the pack view: label, text with its quoted sentences, full citation."""
    p = item["passage"]
    return (f'<div class="kb-pack-card"><strong>{_inline(short_label(p))}</strong>'
            f'<div class="kb-text">{highlight(p.get("text") or "", [tuple(s) for s in item.get("spans", [])])}</div>'
            f'<div class="kb-pack-cite">{esc(p.get("citation") or "")}</div></div>')
