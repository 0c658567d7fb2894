"""Interface text in English and Spanish: one table for both the static labels and the HTML we render.

Static labels go through ``gr.I18n`` (the browser picks the language); HTML built on the server
(sources, documents, status) uses ``ui_lang`` on the request's Accept-Language, which the browser
sets from the same preference, so both halves of a screen speak the same language.
"""

from __future__ import annotations

from typing import Literal

import gradio as gr

from ui.uploads import MAX_MB

Lang = Literal["en", "es"]

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "## IMSS procurement reviews · cited answers",
        "subtitle": "Ask about the OECD reviews of procurement at the Mexican Institute of Social Security. "
                    "Every sentence of an answer is quoted from a review, with its source.",
        "tab_ask": "Ask",
        "tab_pack": "Workshop pack",
        "tab_docs": "Documents",
        "question_ph": "Ask a question (English or Spanish)…",
        "ask": "Ask",
        "new_chat": "New conversation",
        "chat_label": "Conversation",
        "chat_empty": "Ask a question about the reviews, or pick an example:",
        "f_doc": "Document",
        "f_chapter": "Chapter",
        "f_country": "Country example (boxes)",
        "f_kind": "Type of passage",
        "filters_note": "Filters apply to the next question.",
        "sources": "Sources",
        "sources_empty": "The sources of an answer appear here. Click a marker such as [1] in the answer to "
                         "jump to its passage; the quoted sentences are highlighted.",
        "related": "Related passages (not an answer)",
        "cited": "cited",
        "not_cited": "further reading",
        "document": "Document",
        "chapter": "Chapter",
        "section": "Section",
        "box": "Box",
        "page": "Page",
        "collect": "+ Collect",
        "collect_title": "Add this passage to the workshop pack",
        "collected": "Added to the workshop pack: {label}",
        "already": "Already in the workshop pack: {label}",
        "not_covered": "Not covered by the reviews",
        "based_on_english": "Answer based on English passages:",
        "terms": "Your terms in the quotes:",
        "box_n": "Box {id}",
        "proposal": "Proposal for action",
        "searched_as": "Searched as a follow-up: “{q}”",
        "earlier": "Earlier question",
        "fb_comment_ph": "Feedback saved · optional comment: what was right or wrong?",
        "fb_send": "Send",
        "fb_thanks": "Thank you — your feedback was saved.",
        "pack_intro": "Collect passages with **+ Collect** in the sources panel. Add notes for your session, "
                      "then export the pack with full citations and the OECD acknowledgement.",
        "pack_empty": "The pack is empty.",
        "pack_count": "{n} passage(s) in the pack",
        "note": "Note for trainers",
        "remove": "Remove",
        "export_md": "Export Markdown",
        "export_docx": "Export Word (DOCX)",
        "clear_pack": "Empty the pack",
        "download": "Download",
        "no_country": "General (no country example)",
        "docs_intro": "Documents in the knowledge base. Add a file to make it answerable at once.",
        "upload": "Add documents (.pdf .docx .md .html .txt, up to {mb} MB each)",
        "upload_ok": "Indexed **{name}**: {passages} passages, {boxes} boxes. It is now answerable.",
        "upload_err": "**{name}** was not added: {reason}",
        "uploading": "Indexing…",
        "remove_doc": "Remove an uploaded document",
        "remove_btn": "Remove from the knowledge base",
        "removed": "Removed **{name}**: it is no longer searched or cited.",
        "open_page": "Open page {page}",
        "close": "Close",
        "open_context": "Show in the document",
        "original_missing": "The original file is no longer at {path}.",
        "original_alt": "Page {page} of {title}, the quoted sentences highlighted",
        "in_context": "the passage in its document",
        "rename_doc": "Rename a document",
        "new_title": "Title to show",
        "rename_btn": "Rename",
        "rename_pick": "Choose the document to rename first.",
        "rename_empty": "Type the title to show (one line, up to 200 characters).",
        "renamed": "Renamed **{old}** to **{new}**: citations, filters and this list show the new title.",
        "confirm_empty": "Empty the workshop pack? Your notes will be removed too.",
        "confirm_remove": "Remove this document from the knowledge base?",
        "confirm_clear_history": "Forget all earlier conversations? The current one stays.",
        "history": "Earlier conversations",
        "history_pick": "Reopen a conversation",
        "history_open": "Open",
        "history_export": "Export all (Markdown)",
        "history_clear": "Clear history",
        "history_now": "current conversation",
        "history_export_title": "Conversations with the IMSS procurement reviews",
        "history_q": "Question:",
        "history_no_answer": "(no answer)",
        "d_title": "Title",
        "d_passages": "Passages",
        "d_boxes": "Boxes",
        "d_indexed": "Indexed at",
        "d_file": "File",
        "status": "Index status and settings",
        "s_model": "Embedding model",
        "s_ml": "Cross-lingual model (Spanish questions)",
        "s_docs": "Documents",
        "s_passages": "Passages",
        "s_boxes": "Boxes",
        "s_built": "Last build",
        "s_config": "Retrieval configuration",
        "s_topk": "Passages per answer",
        "s_excluded": "Kinds left out unless filtered",
        "s_data": "Data directory",
        "s_none": "No index yet.",
        "error": "Error",
    },
    "es": {
        "title": "## Revisiones de compras del IMSS · respuestas citadas",
        "subtitle": "Pregunte sobre las revisiones de la OCDE de las compras del Instituto Mexicano del Seguro "
                    "Social. Cada frase de una respuesta se cita de una revisión, con su fuente.",
        "tab_ask": "Preguntar",
        "tab_pack": "Taller",
        "tab_docs": "Documentos",
        "question_ph": "Haga una pregunta (en español o en inglés)…",
        "ask": "Preguntar",
        "new_chat": "Nueva conversación",
        "chat_label": "Conversación",
        "chat_empty": "Haga una pregunta sobre las revisiones o elija un ejemplo:",
        "f_doc": "Documento",
        "f_chapter": "Capítulo",
        "f_country": "Ejemplo de país (recuadros)",
        "f_kind": "Tipo de pasaje",
        "filters_note": "Los filtros se aplican a la siguiente pregunta.",
        "sources": "Fuentes",
        "sources_empty": "Aquí aparecen las fuentes de una respuesta. Haga clic en una marca como [1] en la "
                         "respuesta para ir a su pasaje; las frases citadas aparecen resaltadas.",
        "related": "Pasajes relacionados (no son una respuesta)",
        "cited": "citado",
        "not_cited": "lectura adicional",
        "document": "Documento",
        "chapter": "Capítulo",
        "section": "Sección",
        "box": "Recuadro",
        "page": "Página",
        "collect": "+ Guardar",
        "collect_title": "Añadir este pasaje al paquete de taller",
        "collected": "Añadido al paquete de taller: {label}",
        "already": "Ya está en el paquete de taller: {label}",
        "not_covered": "No cubierto por las revisiones",
        "based_on_english": "Respuesta basada en pasajes en inglés:",
        "terms": "Sus términos en las citas:",
        "box_n": "Recuadro {id}",
        "proposal": "Propuesta de acción",
        "searched_as": "Buscado como continuación: «{q}»",
        "earlier": "Pregunta anterior",
        "fb_comment_ph": "Opinión guardada · comentario opcional: ¿qué estuvo bien o mal?",
        "fb_send": "Enviar",
        "fb_thanks": "Gracias: su opinión quedó guardada.",
        "pack_intro": "Reúna pasajes con **+ Guardar** en el panel de fuentes. Añada notas para su sesión y "
                      "exporte el paquete con citas completas y el reconocimiento a la OCDE.",
        "pack_empty": "El paquete está vacío.",
        "pack_count": "{n} pasaje(s) en el paquete",
        "note": "Nota para formadores",
        "remove": "Quitar",
        "export_md": "Exportar Markdown",
        "export_docx": "Exportar Word (DOCX)",
        "clear_pack": "Vaciar el paquete",
        "download": "Descargar",
        "no_country": "General (sin ejemplo de país)",
        "docs_intro": "Documentos de la base de conocimiento. Añada un archivo para poder consultarlo de inmediato.",
        "upload": "Añadir documentos (.pdf .docx .md .html .txt, hasta {mb} MB cada uno)",
        "upload_ok": "**{name}** indexado: {passages} pasajes, {boxes} recuadros. Ya se puede consultar.",
        "upload_err": "**{name}** no se añadió: {reason}",
        "uploading": "Indexando…",
        "remove_doc": "Quitar un documento añadido",
        "remove_btn": "Quitar de la base de conocimiento",
        "removed": "Se quitó **{name}**: ya no se busca ni se cita.",
        "open_page": "Abrir la página {page}",
        "close": "Cerrar",
        "open_context": "Ver en el documento",
        "original_missing": "El archivo original ya no está en {path}.",
        "original_alt": "Página {page} de {title}, con las frases citadas resaltadas",
        "in_context": "el pasaje en su documento",
        "rename_doc": "Cambiar el título de un documento",
        "new_title": "Título que se muestra",
        "rename_btn": "Cambiar título",
        "rename_pick": "Elija primero el documento.",
        "rename_empty": "Escriba el título que se muestra (una línea, hasta 200 caracteres).",
        "renamed": "Se cambió **{old}** por **{new}**: las citas, los filtros y esta lista muestran el nuevo título.",
        "confirm_empty": "¿Vaciar el paquete de taller? Sus notas también se borrarán.",
        "confirm_remove": "¿Quitar este documento de la base de conocimiento?",
        "confirm_clear_history": "¿Olvidar todas las conversaciones anteriores? La actual se conserva.",
        "history": "Conversaciones anteriores",
        "history_pick": "Reabrir una conversación",
        "history_open": "Abrir",
        "history_export": "Exportar todo (Markdown)",
        "history_clear": "Borrar el historial",
        "history_now": "conversación actual",
        "history_export_title": "Conversaciones con las revisiones de compras del IMSS",
        "history_q": "Pregunta:",
        "history_no_answer": "(sin respuesta)",
        "d_title": "Título",
        "d_passages": "Pasajes",
        "d_boxes": "Recuadros",
        "d_indexed": "Indexado el",
        "d_file": "Archivo",
        "status": "Estado del índice y configuración",
        "s_model": "Modelo de embeddings",
        "s_ml": "Modelo multilingüe (preguntas en español)",
        "s_docs": "Documentos",
        "s_passages": "Pasajes",
        "s_boxes": "Recuadros",
        "s_built": "Última indexación",
        "s_config": "Configuración de búsqueda",
        "s_topk": "Pasajes por respuesta",
        "s_excluded": "Tipos excluidos salvo filtro",
        "s_data": "Directorio de datos",
        "s_none": "Todavía no hay índice.",
        "error": "Error",
    },
}

for _table in TEXT.values():
    _table["upload"] = _table["upload"].format(mb=MAX_MB)

I18N = gr.I18n(**{lang: {f"kb_{k}": v for k, v in table.items()} for lang, table in TEXT.items()})
"""Passed to ``launch(i18n=...)``. Keys carry a ``kb_`` prefix: Gradio's own messages use plain
keys such as "status" and "upload", which ours must not shadow."""


def label(key: str):
    """A static label translated in the browser: ``label("ask")``."""
    return I18N(f"kb_{key}")


def t(lang: str, key: str, **kw: object) -> str:
    """The text for ``key`` in ``lang`` (English when missing), formatted with ``kw``."""
    table = TEXT.get(lang, TEXT["en"])
    text = table.get(key, TEXT["en"][key])
    return text.format(**kw) if kw else text


def confirm_js(key: str, passes_value: bool = False) -> str:
    """A Gradio ``js`` hook asking ``key``'s question in the browser's language with ``confirm()``: its
    answer becomes the event's last input (after the first input's value, when ``passes_value``)."""
    import json

    texts = json.dumps({lang: table[key] for lang, table in TEXT.items()}, ensure_ascii=False)
    ask = f'confirm({texts}[(navigator.language || "").toLowerCase().startsWith("es") ? "es" : "en"])'
    return f"(value, _) => [value, !!value && {ask}]" if passes_value else f"(_) => {ask}"


def ui_lang(accept_language: str | None) -> Lang:
    """Spanish when the browser's first preferred language is Spanish, else English."""
    first = (accept_language or "").split(",")[0].strip().lower()
    return "es" if first.startswith("es") else "en"
