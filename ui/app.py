"""Gradio chat over the KnowledgeBase API: a question in, cited passages out.

Thin by design: every decision (retrieval, filters, citations) is made by ``assistant.api``; this
module only renders. The ``ask`` API endpoint returns the same object as ``kb ask --json``.
"""

from __future__ import annotations

import html
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

from assistant.api import KnowledgeBase

EXAMPLES = [
    "How does Chile train and certify its procurement workforce?",
    "What are the IMSS Innovation Olympics?",
    "What does the OECD propose to reduce staff turnover in procurement?",
    "¿Qué recomienda la OCDE sobre la certificación de los compradores públicos?",
]


def render_passages(result: dict) -> str:
    """Markdown for the chat: each passage with its citation line, text escaped (never rendered as HTML)."""
    if not result["passages"]:
        return "No passage in the reviews matches this question. Try other words or fewer filters."
    parts = []
    for n, p in enumerate(result["passages"], start=1):
        text = html.escape(p["text"]).replace("\n", "  \n")
        parts.append(f"**[{n}] {html.escape(p['citation'])}**\n\n{text}")
    return "\n\n---\n\n".join(parts)


def build_app(kb: KnowledgeBase) -> gr.Blocks:
    def ask(question: str, k: int = 5) -> dict:
        """The `ask` endpoint: question in, {"question", "passages": [...]} out."""
        try:
            return kb.search(question, k=int(k)).to_dict()
        except ValueError as exc:
            return {"question": question, "passages": [], "error": str(exc)}

    def respond(question: str, history: list[dict]):
        history = list(history or [])
        if not (question or "").strip():
            return "", history
        result = ask(question)
        answer = result.get("error") or render_passages(result)
        history += [{"role": "user", "content": html.escape(question)}, {"role": "assistant", "content": answer}]
        return "", history

    with gr.Blocks(title="IMSS procurement reviews — search with citations") as app:
        gr.Markdown("## IMSS procurement reviews\nAsk about the OECD reviews; every passage comes with its citation.")
        chat = gr.Chatbot(label="Conversation", height=520, elem_id="chat")
        with gr.Row():
            box = gr.Textbox(placeholder="Ask a question (English or Spanish)…", show_label=False, scale=8,
                             elem_id="question")
            send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
        gr.Examples(EXAMPLES, inputs=box)
        send.click(respond, [box, chat], [box, chat], api_visibility="private")
        box.submit(respond, [box, chat], [box, chat], api_visibility="private")
        gr.api(ask, api_name="ask")
    return app


def serve(kb: KnowledgeBase, host: str = "127.0.0.1", port: int = 7860) -> None:
    kb.retriever  # load index and model before the first question, not during it
    build_app(kb).launch(server_name=host, server_port=port, show_error=False)
