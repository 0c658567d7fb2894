"""Earlier conversations, kept in the browser beside the current one (``gr.BrowserState``).

Pure functions over plain lists, so the UI's events stay thin and the rules are tested without a
browser: "New conversation" files the current one at the top; reopening one takes it out of the list
(it is the current one again, and is filed again when left); at most ``KEEP`` are kept, the oldest
dropped first. An export writes them all, each question with its answer and the sources it cites.
"""

from __future__ import annotations

import datetime as dt

from assistant.markup import plain
from ui.i18n import t

KEEP = 30
"""Conversations kept (about 30 × 10 answers fit well inside a browser's local storage)."""


def title_of(turns: list[dict]) -> str:
    first = " ".join(str(turns[0].get("question", "")).split()) if turns else ""
    return first if len(first) <= 80 else first[:79] + "…"


def archive(history: list[dict], turns: list[dict], now: dt.datetime | None = None) -> list[dict]:
    """``history`` with the conversation ``turns`` filed at the top (nothing to file when empty)."""
    history = list(history or [])
    if not turns:
        return history
    now = now or dt.datetime.now()
    entry = {"id": now.strftime("%Y%m%d%H%M%S%f"), "when": now.strftime("%Y-%m-%d %H:%M"),
             "title": title_of(turns), "turns": list(turns)}
    return [entry, *history][:KEEP]


def choices(history: list[dict]) -> list[tuple[str, str]]:
    """(label, id) of each earlier conversation, newest first: "2026-12-01 10:15 · question (3)"."""
    return [(f"{h['when']} · {h['title']} ({len(h['turns'])})", h["id"]) for h in history or []]


def take(history: list[dict], conversation_id: str) -> tuple[list[dict], list[dict]]:
    """The turns of ``conversation_id`` and the history without it ([] and ``history`` when unknown)."""
    found = next((h for h in history or [] if h["id"] == conversation_id), None)
    if found is None:
        return [], list(history or [])
    return list(found["turns"]), [h for h in history if h["id"] != conversation_id]


def to_markdown(history: list[dict], current: list[dict], lang: str = "en") -> str:
    """Every conversation (the current one first) as Markdown: questions, answers, cited sources."""
    conversations = ([{"title": title_of(current), "when": t(lang, "history_now"), "turns": current}] if current else [])
    conversations += list(history or [])
    out = [f"# {t(lang, 'history_export_title')}", ""]
    for c in conversations:
        out += [f"## {c['title']}", "", f"_{c['when']}_", ""]
        for turn in c["turns"]:
            answer = turn.get("answer", {})
            out += [f"**{t(lang, 'history_q')}** {turn.get('question', '')}", "",
                    plain(str(answer.get("answer", ""))).strip() or t(lang, "history_no_answer"), ""]
            cited = [p for p in answer.get("passages", []) if p.get("cited")]
            out += [f"- [{p['n']}] {plain(str(p.get('citation', '')))}" for p in cited] + ([""] if cited else [])
    return "\n".join(out).rstrip() + "\n"
