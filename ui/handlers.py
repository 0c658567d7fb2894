"""Event handlers of the web UI: take component values, call the API, return what to show.

No retrieval or answer logic lives here: questions go to ``KnowledgeBase.ask`` (through
``ui.endpoints.ask_dict``), indexing to ``KnowledgeBase.build``; the rest is the per-session state
(conversation turns, workshop pack, pending feedback) that only a UI has.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import gradio as gr

from assistant import feedback, pack
from corpus.problems import describe
from ui import render
from ui.choices import filter_choices
from ui.endpoints import CONFIG, ask_dict, filters_dict
from assistant.followup import carry_topic, next_topic
from ui.history import archive, take
from ui.history import choices as history_choices
from ui.history import to_markdown as history_markdown
from ui.i18n import t, ui_lang
from ui.uploads import UploadError, save_upload

if TYPE_CHECKING:
    from assistant.api import KnowledgeBase

FILTERS = ("doc", "chapter", "country", "kind")


def lang_of(request: gr.Request | None) -> str:
    """The interface language for server-rendered HTML: the browser's Accept-Language."""
    headers = getattr(request, "headers", None) or {}
    return ui_lang(headers.get("accept-language"))


def pack_count(items: list, lang: str) -> str:
    """The line above the pack: how many passages it holds, or that it is empty."""
    return t(lang, "pack_count", n=len(items)) if items else t(lang, "pack_empty")


class Handlers:
    """Callbacks bound to one knowledge base; the state they get and return is per browser session."""

    def __init__(self, kb: "KnowledgeBase"):
        self.kb = kb

    # -- shared views ---------------------------------------------------------------------------
    def choice_updates(self, lang: str = "en") -> list[dict]:
        """Fresh choices for the four filter dropdowns, labelled in ``lang`` (selected values kept when
        still offered)."""
        choices = filter_choices(self.kb.passages(), lang)
        return [gr.update(choices=choices[name]) for name in FILTERS]

    def views(self, lang: str) -> tuple:
        """The views that follow the index, in the order events list them: the documents table, the
        status, the four filters, the remove and rename choices (the manifest read once)."""
        manifest = self.kb.manifest()
        files = (manifest or {}).get("files", {})
        every = sorted(((e.get("title") or e["doc_id"], e["doc_id"]) for e in files.values() if e.get("doc_id")),
                       key=lambda x: x[0].lower())
        return (render.documents_table(manifest, lang), render.status_table(manifest, self.kb.settings, CONFIG, lang),
                *self.choice_updates(lang), gr.update(choices=self.uploaded(manifest), value=None),
                gr.update(choices=every, value=None))

    def on_load(self, request: gr.Request):
        """Views that depend on the index or the browser's language, filled when a page opens."""
        return self.views(lang_of(request))

    # -- asking ---------------------------------------------------------------------------------
    def respond(self, question: str, history: list, turns: list, doc, chapter, country, kind,
                request: gr.Request):
        """One conversation turn: search (carrying the topic of a follow-up), show answer and sources."""
        lang = lang_of(request)
        question = (question or "").strip()
        if not question:
            return "", history, turns, gr.skip(), gr.skip(), gr.skip()
        topic = turns[-1]["topic"] if turns else None
        searched = carry_topic(question, topic)
        filters = filters_dict(doc, chapter, country, kind)
        answer = ask_dict(self.kb, searched, filters=filters)
        turn = {"question": question, "searched": searched, "topic": next_topic(question, topic),
                "filters": filters, "answer": answer}
        turns = [*turns, turn]
        n = len(turns) - 1
        history = [*(history or []), *render.turn_messages(turn, n)]
        hidden = gr.update(visible=False)  # the feedback comment row and the empty-panel hint
        return "", history, turns, render.sources_panel(turns, lang), hidden, hidden

    def example(self, evt: gr.SelectData, history: list, turns: list, doc, chapter, country, kind,
                request: gr.Request):
        """An example question from the empty chat, asked as if typed."""
        value = evt.value if isinstance(evt.value, dict) else {"text": str(evt.value)}
        return self.respond(value.get("text", ""), history, turns, doc, chapter, country, kind, request)

    def restore(self, turns: list, items: list, request: gr.Request):
        """A page (re)opened: the conversation kept in the browser shown again, with its sources, and
        the pack's count. With nothing kept, the chat is left alone: a question asked before this
        load event is served would otherwise be wiped by its late, empty answer."""
        lang = lang_of(request)
        turns = turns if isinstance(turns, list) else []
        if not turns:
            return gr.skip(), gr.skip(), gr.skip(), pack_count(items, lang)
        history = [m for n, turn in enumerate(turns) for m in render.turn_messages(turn, n)]
        return history, render.sources_panel(turns, lang), gr.update(visible=not turns), pack_count(items, lang)

    def reset(self):
        """A new conversation: no turns, no topic to carry, an empty sources panel."""
        return [], [], "", gr.update(visible=False), None, gr.update(visible=True)

    # -- earlier conversations (kept in the browser, ``ui.history``) --------------------------------
    def new_conversation(self, turns: list, history: list):
        """"New conversation": the current one is filed in the history, then the chat starts over."""
        history = archive(history, turns)
        return (*self.reset(), history, gr.update(choices=history_choices(history), value=None))

    def open_conversation(self, chosen: str | None, turns: list, history: list, request: gr.Request):
        """Reopen an earlier conversation (the current one is filed in its place)."""
        picked, rest = take(history, chosen or "")
        if not picked:
            return (gr.skip(),) * 6
        rest = archive(rest, turns)
        messages = [m for n, turn in enumerate(picked) for m in render.turn_messages(turn, n)]
        return (messages, picked, render.sources_panel(picked, lang_of(request)), gr.update(visible=False), rest,
                gr.update(choices=history_choices(rest), value=None))

    def export_history(self, history: list, turns: list, request: gr.Request):
        """Every conversation, the current one first, as a Markdown file to download."""
        if not history and not turns:
            return gr.update(value=None, visible=False)
        path = Path(tempfile.mkdtemp(prefix="kb-history-")) / "conversations.md"
        path.write_text(history_markdown(history, turns, lang_of(request)), encoding="utf-8")
        return gr.update(value=str(path), visible=True)

    @staticmethod
    def clear_history(confirmed):
        """Forget every earlier conversation (the browser asked first); the current one stays."""
        if confirmed is not True:
            return gr.skip(), gr.skip(), gr.skip()
        return [], gr.update(choices=[], value=None), gr.update(value=None, visible=False)

    @staticmethod
    def history_list(history: list):
        return gr.update(choices=history_choices(history), value=None)

    # -- feedback -------------------------------------------------------------------------------
    def _settings(self) -> dict:
        m = self.kb.manifest() or {}
        return {"model": m.get("model"), "index_identity": self.kb.settings.index_identity(),
                "built_at": m.get("built_at"), "top_k": self.kb.settings.retrieval.top_k, "config": CONFIG}

    def like(self, evt: gr.LikeData, turns: list, request: gr.Request):
        """A thumb on an answer: append its feedback line now; offer an optional comment."""
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        turn_no = int(index) // 2
        if evt.liked not in (True, False) or not 0 <= turn_no < len(turns):
            return gr.skip(), gr.skip(), gr.skip()
        turn = turns[turn_no]
        record = feedback.make_record(turn["answer"], "up" if evt.liked else "down", searched=turn["searched"],
                                      filters=turn["filters"], config=CONFIG, settings=self._settings())
        record["question"] = turn["question"]
        feedback.append_feedback(self.kb.settings.data_dir, record)
        return gr.update(visible=True), record, gr.update(value="")

    def comment(self, text: str, record: dict | None, request: gr.Request):
        """The optional comment: the same feedback line again with the comment (same id supersedes)."""
        if record and (text or "").strip():
            feedback.append_feedback(self.kb.settings.data_dir, {**record, "comment": text.strip()})
        gr.Info(t(lang_of(request), "fb_thanks"), duration=2)
        return gr.update(visible=False), None, gr.update(value="")

    # -- workshop pack --------------------------------------------------------------------------
    def on_source(self, evt: gr.SelectData, turns: list, items: list, request: gr.Request):
        """A source card's buttons: "collect" adds the passage (with its quoted spans) to the pack;
        "open" shows the original (the PDF page with the quote highlighted, or the passage in its
        document). Returns (pack, original view)."""
        lang = lang_of(request)
        try:
            turn_no, n = (int(x) for x in evt.index)
            entry = turns[turn_no]
        except (TypeError, ValueError, IndexError):
            return gr.skip(), gr.skip()
        answer = entry["answer"]
        passage = next((p for p in answer.get("passages", []) if p["n"] == n), None)
        if passage is None:
            return gr.skip(), gr.skip()
        spans = [(c["start"], c["end"]) for c in answer.get("citations", []) if c["passage_id"] == passage["id"]]
        if evt.value == "open":
            return gr.skip(), self.original(passage, spans, lang)
        return self.collect(passage, spans, entry, items, lang), gr.skip()

    def original(self, passage: dict, spans: list[tuple[int, int]], lang: str) -> str:
        from ui.original import context_view, pdf_view

        stored = self.kb.store.passage(passage["id"]).to_dict()
        if str(stored.get("source_path", "")).lower().endswith(".pdf") and stored.get("page"):
            text = stored.get("text", "")
            quotes = [text[s:e] for s, e in spans] or [text[:200]]
            return pdf_view(stored, quotes, lang)
        neighbours = sorted((p.to_dict() for p in self.kb.store.passages() if p.doc_id == stored["doc_id"]),
                            key=lambda p: p.get("order", 0))
        at = next(i for i, p in enumerate(neighbours) if p["id"] == stored["id"])
        return context_view(stored, neighbours[max(0, at - 2):at + 3], spans, lang)

    def collect(self, passage: dict, spans: list[tuple[int, int]], entry: dict, items: list, lang: str):
        items, added = pack.add_item(items, pack.make_item(passage, spans, entry["question"],
                                                           searched=entry.get("searched", "")))
        gr.Info(t(lang, "collected" if added else "already", label=render.short_label(passage)), duration=2)
        return items

    def export_md(self, items: list, notes: dict, request: gr.Request):
        return self.export(items, notes, "md", lang_of(request))

    def export_docx(self, items: list, notes: dict, request: gr.Request):
        return self.export(items, notes, "docx", lang_of(request))

    def export(self, items: list, notes: dict, fmt: str, lang: str = "en"):
        """Write the pack (with the notes typed so far), headed in the interface language, to a
        temporary file offered for download."""
        if not items:
            return gr.update(value=None, visible=False)
        items = [{**i, "note": notes.get(i["id"], i.get("note", ""))} for i in items]
        folder = Path(tempfile.mkdtemp(prefix="kb-pack-"))
        write = pack.export_docx if fmt == "docx" else pack.export_markdown
        return gr.update(value=str(write(items, folder / f"workshop-pack.{fmt}", lang=lang)), visible=True)

    # -- documents ------------------------------------------------------------------------------
    def uploaded(self, manifest: dict | None = None) -> list[tuple[str, str]]:
        """(title, file) of each document added through the UI: those are the ones it can remove
        (folders given to `kb index` are managed with `kb remove`)."""
        folder = (self.kb.settings.data_dir / "uploads").resolve()
        files = (manifest if manifest is not None else self.kb.manifest() or {}).get("files", {})
        return sorted(((e.get("title") or Path(p).name, p) for p, e in files.items()
                       if Path(p).resolve().parent == folder), key=lambda x: x[0].lower())

    def remove(self, path: str | None, confirmed, request: gr.Request):
        """Drop an uploaded document from the index and delete its copy; refresh the views."""
        lang = lang_of(request)
        known = dict((p, title) for title, p in self.uploaded())
        if confirmed is not True or not path or path not in known:
            return (gr.skip(),) * 9
        self.kb.build(remove=[Path(path)], progress=False)
        Path(path).unlink(missing_ok=True)
        return (f"- {t(lang, 'removed', name=html.escape(known[path]))}", *self.views(lang))

    def rename(self, doc_id: str | None, title: str, request: gr.Request):
        """Show a document under a new title everywhere; report it (or why not) and refresh the views."""
        lang = lang_of(request)
        if not doc_id:
            return (f"- {t(lang, 'rename_pick')}", *(gr.skip(),) * 9)
        try:
            old, new = self.kb.rename(doc_id, title)
        except ValueError:
            return (f"- {t(lang, 'rename_empty')}", *(gr.skip(),) * 9)
        return (f"- {t(lang, 'renamed', old=html.escape(old), new=html.escape(new))}", *self.views(lang), "")

    def upload(self, files: list[str] | None, request: gr.Request, progress=gr.Progress()):
        """Copy the uploads into the data directory, index them, report per file; refresh the views."""
        lang = lang_of(request)
        data_dir = self.kb.settings.data_dir
        lines, saved = [], []
        for i, f in enumerate(files or []):
            progress((i, len(files)), desc=t(lang, "uploading"))
            name = Path(f).name
            try:
                saved.append((name, save_upload(Path(f), data_dir, name)))
            except UploadError as exc:
                lines.append(t(lang, "upload_err", name=html.escape(name),
                               reason=html.escape(describe(exc.problem, exc.params, lang))))
        if saved:
            progress(0.5, desc=t(lang, "uploading"))
            report = self.kb.build(add=[p for _, p in saved], progress=False)
            failed = {str(Path(e.path).resolve()): (describe(e.kind, e.params, lang) if e.kind else e.reason)
                      for e in report.errors}
            files_info = (self.kb.manifest() or {}).get("files", {})
            for name, path in saved:
                reason = failed.get(str(path.resolve()))
                if reason:  # a file that cannot be read is not kept as a source
                    lines.append(t(lang, "upload_err", name=html.escape(name), reason=html.escape(reason)))
                    self.kb.build(remove=[path], progress=False)
                    path.unlink(missing_ok=True)
                    continue
                info = next((e for p, e in files_info.items() if Path(p).resolve() == path.resolve()), {})
                lines.append(t(lang, "upload_ok", name=html.escape(info.get("title") or name),
                               passages=info.get("passages", 0), boxes=info.get("boxes", 0)))
        return ("\n\n".join(f"- {line}" for line in lines), *self.views(lang), None)
