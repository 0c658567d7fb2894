"""The web UI of `kb serve`: chat with cited answers, sources panel, workshop pack, documents.

Thin by design: answers, retrieval, filters and indexing are ``assistant.api.KnowledgeBase``'s;
``ui.handlers`` turns events into API calls, ``ui.render`` turns results into escaped HTML. The
named API endpoints (``/ask``, ``/documents``, ``/status``) are documented in ``ui.endpoints``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

from assistant.api import KnowledgeBase
from corpus.readers import SUPPORTED
from assistant import pack
from ui import render
from ui.choices import filter_choices
from ui.endpoints import make_endpoints
from ui.handlers import Handlers, lang_of
from ui.handlers import pack_count as pack_count_text
from ui.i18n import I18N, confirm_js, label
from ui.uploads import MAX_MB

STATIC = Path(__file__).with_name("static")
EXAMPLES = [
    "How does Chile train and certify its procurement workforce?",
    "What are the IMSS Innovation Olympics?",
    "What does the OECD propose to reduce staff turnover in procurement?",
    "¿Cómo capacita y certifica Chile a sus compradores públicos?",
    "¿Qué recomienda la OCDE sobre la rotación del personal de compras?",
]
CHAT_PLACEHOLDER = ("**Ask a question about the reviews, or pick an example.**  \n"
                    "*Haga una pregunta sobre las revisiones o elija un ejemplo.*")
COLLECT_JS = """
watch("value", () => { const panel = element.querySelector(".kb-sources"); if (panel) panel.scrollTop = 0; });
if (!element.dataset.kbBound) {
  element.dataset.kbBound = "1";
  element.addEventListener("click", (ev) => {
    const b = ev.target.closest ? ev.target.closest("button.kb-collect, button.kb-open") : null;
    if (!b) return;
    const open = b.classList.contains("kb-open");
    trigger("select", {index: [Number(b.dataset.turn), Number(b.dataset.n)], value: open ? "open" : b.closest(".kb-src").id});
  });
}
"""
CONFIRM_EMPTY = confirm_js("confirm_empty")
"""Asked in the browser, in its language, before the pack is emptied."""
CONFIRM_CLEAR_HISTORY = confirm_js("confirm_clear_history")
"""Asked before the earlier conversations are forgotten."""
CONFIRM_REMOVE = confirm_js("confirm_remove", passes_value=True)
"""Asked before a document is removed; passes the chosen document on with the answer."""
PRIVATE = {"api_visibility": "private"}
INDEXING = {"concurrency_id": "indexing", "concurrency_limit": 1}
"""Uploads and removals build one at a time (builds also serialise on the index lock, across processes)."""


def answering(kb: KnowledgeBase) -> dict:
    """Questions share one queue served by ``KB_WORKERS`` threads: a slow answer (an LLM, a long
    question) never holds the others, and a build running meanwhile never blocks them (each request
    reads one immutable generation, ``assistant.live``)."""
    return {"concurrency_id": "answers", "concurrency_limit": max(1, kb.settings.server.workers)}


def _filters_row(choices: dict) -> list[gr.Dropdown]:
    labels = {"doc": "f_doc", "chapter": "f_chapter", "country": "f_country", "kind": "f_kind"}
    return [gr.Dropdown(choices[name], value=[], multiselect=True, label=label(key), elem_id=f"f-{name}",
                        scale=3 if name == "doc" else 2, min_width=140)
            for name, key in labels.items()]


def _pack_view(pack_state: gr.State, notes: gr.State) -> None:
    """The collected passages, by document and country, each with its editable note."""

    @gr.render(inputs=[pack_state, notes], triggers=[pack_state.change])
    def show(items: list, notes_now: dict):
        def keep_note(item_id: str, text: str, current: dict) -> dict:
            return {**current, item_id: text}

        def drop(item_id: str, current: list) -> list:
            return pack.remove_item(current, item_id)

        for title, groups in pack.group_items(items):
            gr.Markdown(f"### {render.esc(title)}", elem_classes="kb-pack-doc")
            for country, group in groups:
                if country:
                    gr.Markdown(f"#### {render.esc(country)}")
                else:
                    gr.Markdown(label("no_country"), elem_classes="kb-pack-general")
                for item in group:
                    with gr.Group():
                        gr.HTML(render.pack_card(item), padding=True)
                        with gr.Row(equal_height=False, elem_classes="kb-note-row"):
                            note = gr.Textbox(notes_now.get(item["id"], item.get("note", "")), label=label("note"),
                                              key=f"note-{item['id']}", scale=6, elem_classes="kb-note-box")
                            remove = gr.Button(label("remove"), key=f"rm-{item['id']}", size="sm", scale=0,
                                               min_width=90, elem_classes="kb-remove")
                    note.change(functools.partial(keep_note, item["id"]), [note, notes], [notes],
                                trigger_mode="always_last", **PRIVATE)
                    remove.click(functools.partial(drop, item["id"]), [pack_state], [pack_state], **PRIVATE)


def build_app(kb: KnowledgeBase) -> gr.Blocks:
    """The Blocks app over ``kb``; ``serve`` launches it with the theme, CSS, JS and translations."""
    h = Handlers(kb)
    answers = answering(kb)
    choices = filter_choices(kb.passages())
    with gr.Blocks(title="IMSS procurement reviews — cited answers") as app:
        # The conversation, the pack and its notes live in the browser's storage (localStorage): they
        # survive a reload and a server restart, stay on the user's machine, and need no accounts.
        turns = gr.BrowserState([], storage_key="kb-turns")
        pack_state = gr.BrowserState([], storage_key="kb-pack")
        notes = gr.BrowserState({}, storage_key="kb-notes")
        history = gr.BrowserState([], storage_key="kb-history")  # earlier conversations (ui.history)
        fb_state = gr.State(None)
        with gr.Row(elem_id="header"):
            gr.Markdown(label("title"))
            gr.Markdown(label("subtitle"))
        with gr.Tabs():
            with gr.Tab(label("tab_ask"), id="ask", elem_id="tab-ask"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=5, min_width=480):
                        with gr.Row(elem_id="filters"):
                            filters = _filters_row(choices)
                        chat = gr.Chatbot(label=label("chat_label"), show_label=False, height=395, elem_id="chat",
                                          placeholder=CHAT_PLACEHOLDER, examples=[{"text": q} for q in EXAMPLES],
                                          buttons=["copy"], layout="bubble")
                        with gr.Row():
                            box = gr.Textbox(placeholder=label("question_ph"), show_label=False, scale=8, lines=1,
                                             max_lines=4, elem_id="question", autofocus=True, container=False)
                            send = gr.Button(label("ask"), variant="primary", scale=1, min_width=90, elem_id="ask")
                        with gr.Row(visible=False, elem_id="feedback") as fb_row:
                            fb_text = gr.Textbox(placeholder=label("fb_comment_ph"), show_label=False, scale=8,
                                                 elem_id="fb-comment", container=False)
                            fb_send = gr.Button(label("fb_send"), scale=1, min_width=90, elem_id="fb-send")
                        with gr.Accordion(label("history"), open=False, elem_id="history"):
                            with gr.Row(equal_height=True):
                                hist_pick = gr.Dropdown([], value=None, label=label("history_pick"),
                                                        elem_id="history-pick", scale=3)
                                hist_open = gr.Button(label("history_open"), size="sm", scale=1, elem_id="history-open")
                            with gr.Row():
                                hist_export = gr.Button(label("history_export"), size="sm", elem_id="history-export")
                                hist_clear = gr.Button(label("history_clear"), size="sm", elem_id="history-clear")
                            hist_file = gr.File(label=label("download"), interactive=False, visible=False,
                                                elem_id="history-file")
                    with gr.Column(scale=4, min_width=360):
                        hint = gr.Markdown(label("sources_empty"), elem_id="sources-hint")
                        original = gr.HTML("", elem_id="original")  # the PDF page or document a source opens
                        sources = gr.HTML("", elem_id="sources", js_on_load=COLLECT_JS)
            with gr.Tab(label("tab_pack"), id="pack", elem_id="tab-pack"):
                gr.Markdown(label("pack_intro"))
                with gr.Row():
                    pack_count = gr.Markdown(label("pack_empty"), elem_id="pack-count")
                    md_btn = gr.Button(label("export_md"), size="sm", elem_id="export-md")
                    docx_btn = gr.Button(label("export_docx"), size="sm", elem_id="export-docx")
                    clear_btn = gr.Button(label("clear_pack"), size="sm", elem_id="clear-pack")
                export_file = gr.File(label=label("download"), interactive=False, elem_id="pack-file", visible=False)
                _pack_view(pack_state, notes)
            with gr.Tab(label("tab_docs"), id="docs", elem_id="tab-docs"):
                gr.Markdown(label("docs_intro"))
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        docs_html = gr.HTML(elem_id="documents")
                    with gr.Column(scale=2):
                        upload = gr.File(label=label("upload"), file_count="multiple", file_types=list(SUPPORTED),
                                         elem_id="upload", height=140)
                        upload_report = gr.Markdown(elem_id="upload-report")
                        with gr.Row(equal_height=True):
                            to_remove = gr.Dropdown([], value=None, label=label("remove_doc"), elem_id="remove-doc",
                                                    scale=3)
                            remove_btn = gr.Button(label("remove_btn"), size="sm", variant="stop", scale=1,
                                                   elem_id="remove-btn")
                        with gr.Row(equal_height=True):
                            to_rename = gr.Dropdown([], value=None, label=label("rename_doc"), elem_id="rename-doc",
                                                    scale=2)
                            new_title = gr.Textbox(label=label("new_title"), elem_id="new-title", scale=2, max_lines=1)
                            rename_btn = gr.Button(label("rename_btn"), size="sm", scale=1, elem_id="rename-btn")
                        with gr.Accordion(label("status"), open=True):
                            status_html = gr.HTML(elem_id="status")

        asked = [box, chat, turns, *filters]
        shown = [box, chat, turns, sources, fb_row, hint]
        send.click(h.respond, asked, shown, **PRIVATE, **answers)
        box.submit(h.respond, asked, shown, **PRIVATE, **answers)
        chat.example_select(h.example, [chat, turns, *filters], shown, **PRIVATE, **answers)
        chat.clear(h.new_conversation, [turns, history],
                   [chat, turns, sources, fb_row, fb_state, hint, history, hist_pick], **PRIVATE)
        hist_open.click(h.open_conversation, [hist_pick, turns, history], [chat, turns, sources, hint, history, hist_pick],
                        **PRIVATE)
        hist_export.click(h.export_history, [history, turns], [hist_file], **PRIVATE)
        clear_ok = gr.Checkbox(False, visible=False)  # what the browser's confirm() answered
        hist_clear.click(h.clear_history, [clear_ok], [history, hist_pick, hist_file], js=CONFIRM_CLEAR_HISTORY,
                         **PRIVATE)
        app.load(h.history_list, [history], [hist_pick], **PRIVATE)
        chat.like(h.like, [turns], [fb_row, fb_state, fb_text], **PRIVATE)
        fb_send.click(h.comment, [fb_text, fb_state], [fb_row, fb_state, fb_text], **PRIVATE)
        fb_text.submit(h.comment, [fb_text, fb_state], [fb_row, fb_state, fb_text], **PRIVATE)
        sources.select(h.on_source, [turns, pack_state], [pack_state, original], **PRIVATE)

        def count(items: list, request: gr.Request) -> str:
            return pack_count_text(items, lang_of(request))

        pack_state.change(count, [pack_state], [pack_count], **PRIVATE)
        md_btn.click(h.export_md, [pack_state, notes], [export_file], **PRIVATE)
        docx_btn.click(h.export_docx, [pack_state, notes], [export_file], **PRIVATE)

        def empty(confirmed) -> tuple:  # the browser asked first (CONFIRM_EMPTY); a cancel changes nothing
            return ([], {}, gr.update(value=None, visible=False)) if confirmed is True else (gr.skip(),) * 3

        confirmed = gr.Checkbox(False, visible=False)  # what the browser's confirm() answered
        clear_btn.click(empty, [confirmed], [pack_state, notes, export_file], js=CONFIRM_EMPTY, **PRIVATE)
        views = [docs_html, status_html, *filters, to_remove, to_rename]  # what Handlers.views refreshes
        upload.upload(h.upload, [upload], [upload_report, *views, upload],
                      **PRIVATE, **INDEXING)
        remove_ok = gr.Checkbox(False, visible=False)  # what the browser's confirm() answered
        remove_btn.click(h.remove, [to_remove, remove_ok], [upload_report, *views],
                         js=CONFIRM_REMOVE, **PRIVATE, **INDEXING)
        app.load(h.on_load, None, views, **PRIVATE)
        rename_btn.click(h.rename, [to_rename, new_title],
                         [upload_report, *views, new_title], **PRIVATE, **INDEXING)
        app.load(h.restore, [turns, pack_state], [chat, sources, hint, pack_count], **PRIVATE)

        ask, documents, status = make_endpoints(kb)
        gr.api(ask, api_name="ask", **answers)
        gr.api(documents, api_name="documents")
        gr.api(status, api_name="status")
    return app


def launch_options() -> dict:
    """Look and behaviour set at launch in Gradio 6: system fonts (nothing fetched), CSS, JS, i18n."""
    system = ["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"]
    mono = ["ui-monospace", "SFMono-Regular", "Consolas", "monospace"]
    theme = gr.themes.Default(font=system, font_mono=mono).set(  # WCAG AA: 4.5:1 or more on white
        button_primary_background_fill="#c2410c", button_primary_background_fill_hover="#9a3412",
        button_primary_text_color="#ffffff", color_accent="#c2410c", color_accent_soft="#ffedd5")
    return {"theme": theme,
            "css": (STATIC / "app.css").read_text(encoding="utf-8"),
            "js": (STATIC / "app.js").read_text(encoding="utf-8"),
            "i18n": I18N, "max_file_size": f"{MAX_MB + 5}mb", "footer_links": ["api", "settings"]}


def serve(kb: KnowledgeBase, host: str = "127.0.0.1", port: int = 7860,
          auth: list[tuple[str, str]] | None = None) -> None:
    """Load the index and models and answer once to warm the caches, then serve (sentence vectors
    come from the index, so first answers need no encoding either); ``auth``: the logins required
    (``ui.access``)."""
    kb.warm_up()  # the first user question should not pay for loading
    build_app(kb).launch(server_name=host, server_port=port, show_error=False, auth=auth or None, **launch_options())
