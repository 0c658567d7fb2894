"""The server's named API endpoints, thin over ``KnowledgeBase`` (what ``gradio_client`` calls).

Endpoints (``Client(url).predict(..., api_name=...)``):

``/ask`` — ``predict(question, k=5, doc=None, chapter=None, country=None, kind=None, config="hybrid")``
    Returns the object ``kb ask --json`` prints: ``{"question", "answer", "abstained", "citations":
    [{"n", "passage_id", "quote", "citation", "start", "end"}], "passages": [{"n", "cited", "id",
    "text", "citation", "title", "chapter", "section", "box_id", "countries", "page", ...}], "lang",
    "timings_ms", "reason", "config"}``. ``doc``/``chapter``/``country``/``kind`` are lists of strings
    (as ``kb ask --doc/--chapter/--country/--kind``); ``config`` is bm25, dense or hybrid. A bad
    request (empty question, unknown config) returns ``{"question", "error", "abstained": true,
    "citations": [], "passages": []}``. Example: ``Client(url).predict("What are the IMSS Innovation
    Olympics?", 5, api_name="/ask")`` or with filters ``predict("training", 5, None, None, ["Chile"],
    api_name="/ask")``.

``/documents`` — ``predict(api_name="/documents")``: the indexed documents, ``[{"file", "doc_id",
    "title", "passages", "boxes", "indexed_at"}]``.

``/status`` — ``predict(api_name="/status")``: ``{"model", "counts", "built_at", "settings", "config",
    "top_k", "exclude_kinds", "generation", "loaded_at", "reloads"}`` (read-only index status and
    settings; ``generation`` is the index generation answering now, ``reloads`` how many new ones the
    server picked up without a restart).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.api import KnowledgeBase

CONFIG = "hybrid"
"""The retrieval configuration the UI answers with (shown in the status panel)."""


def filters_dict(doc=None, chapter=None, country=None, kind=None) -> dict[str, list[str]]:
    """The filter lists by ``default_filters`` keyword (empty lists dropped)."""
    raw = {"doc": doc, "chapter": chapter, "country": country, "kinds": kind}
    return {k: [str(x) for x in v] for k, v in raw.items() if v}


def ask_dict(kb: "KnowledgeBase", question: str, k: int | None = None, filters: dict | None = None,
             config: str = CONFIG) -> dict:
    """``kb ask --json`` as a dict; a ValueError (bad request) becomes an ``error`` answer, not a crash."""
    try:
        answer = kb.ask(question, k=int(k) if k else None, filters=kb.default_filters(**(filters or {})),
                        config=config)
    except ValueError as exc:
        return {"question": question, "answer": "", "error": str(exc), "abstained": True, "citations": [],
                "passages": [], "lang": "en", "timings_ms": {}, "reason": "error", "config": config}
    return {**answer.to_dict(), "config": config}


def make_endpoints(kb: "KnowledgeBase"):
    """The endpoint functions bound to ``kb``; their docstrings and hints document the API page."""

    def ask(question: str, k: int = 5, doc: list[str] | None = None, chapter: list[str] | None = None,
            country: list[str] | None = None, kind: list[str] | None = None, config: str = CONFIG) -> dict:
        """Answer a question with quoted, cited sentences from the reviews, or decline.

        Parameters:
            question: the question, in English or Spanish
            k: number of passages to retrieve (default 5)
            doc: only these documents (doc id or title words)
            chapter: only these chapter numbers
            country: only boxes about these countries
            kind: only these passage kinds (paragraph, box, recommendation, table, ...)
            config: retrieval configuration: bm25, dense or hybrid
        Returns:
            the answer object of `kb ask --json`
        """
        return ask_dict(kb, question, k, filters_dict(doc, chapter, country, kind), config)

    def documents() -> list[dict]:
        """The indexed documents with their passage and box counts and when they were indexed.

        Returns:
            one {"file", "doc_id", "title", "passages", "boxes", "indexed_at"} per document
        """
        files = (kb.manifest() or {}).get("files", {})
        return [{"file": path, **{k: e.get(k) for k in ("doc_id", "title", "passages", "boxes", "indexed_at")}}
                for path, e in sorted(files.items())]

    def status() -> dict:
        """Read-only index status and the settings answers are made with.

        Returns:
            {"model", "counts", "built_at", "settings", "config", "top_k", "exclude_kinds", "generation",
            "loaded_at", "reloads"}
        """
        m = kb.manifest() or {}
        return {"model": m.get("model"), "counts": m.get("counts", {}), "built_at": m.get("built_at"),
                "settings": m.get("settings", {}), "config": CONFIG, "top_k": kb.settings.retrieval.top_k,
                "exclude_kinds": list(kb.settings.retrieval.exclude_kinds), **kb.generation_status()}

    return ask, documents, status
