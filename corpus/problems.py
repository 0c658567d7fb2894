"""Why a source file was not indexed, or was passed over: a kind and its details, said in English or
Spanish. Builds record the kind and details (manifest, ``kb index --json``); each surface says them
in its user's language (the CLI in English, the UI in the browser's)."""

from __future__ import annotations

from enum import Enum


class Problem(str, Enum):
    """What is wrong with a file (a failure) or why it is passed over (a skip)."""

    EMPTY = "empty"
    NO_TEXT = "no_text"
    BINARY = "binary"
    BAD_BOM = "bad_bom"
    UNSUPPORTED = "unsupported"
    NOT_FOUND = "not_found"
    FRONT_MATTER = "front_matter"
    PDF_ENCRYPTED = "pdf_encrypted"
    PDF_NO_PAGES = "pdf_no_pages"
    PDF_UNREADABLE = "pdf_unreadable"
    PDF_NO_TEXT = "pdf_no_text"
    DOCX_UNREADABLE = "docx_unreadable"
    DOCX_BOMB = "docx_bomb"
    TOO_BIG = "too_big"
    TOO_MANY_PASSAGES = "too_many_passages"
    NO_PASSAGES = "no_passages"
    CANNOT_READ = "cannot_read"
    UNEXPECTED = "unexpected"
    LINK_OUTSIDE = "link_outside"
    LINK_LOOP = "link_loop"
    LINK_BROKEN = "link_broken"
    SPECIAL_FILE = "special_file"
    DUPLICATE = "duplicate"
    UPLOAD_MISSING = "upload_missing"
    UPLOAD_TOO_BIG = "upload_too_big"
    BAD_NAME = "bad_name"


MESSAGES: dict[Problem, dict[str, str]] = {
    Problem.EMPTY: {"en": "file is empty", "es": "el archivo está vacío"},
    Problem.NO_TEXT: {"en": "no text found in file", "es": "el archivo no tiene texto"},
    Problem.BINARY: {"en": "looks like binary data, not text (is it really a text file?)",
                     "es": "parece contener datos binarios, no texto (¿es de verdad un archivo de texto?)"},
    Problem.BAD_BOM: {"en": "starts with a {encoding} byte-order mark but is not valid {encoding} text",
                      "es": "empieza con la marca de orden de bytes de {encoding}, pero no es texto {encoding} válido"},
    Problem.UNSUPPORTED: {"en": "unsupported file type {suffix}; use one of {supported}",
                          "es": "tipo de archivo no admitido ({suffix}); use uno de {supported}"},
    Problem.NOT_FOUND: {"en": "file not found", "es": "no se encontró el archivo"},
    Problem.FRONT_MATTER: {"en": "front matter is not valid YAML: {detail}",
                           "es": "el encabezado YAML no es válido: {detail}"},
    Problem.PDF_ENCRYPTED: {"en": "PDF is password-protected; save an unprotected copy and add that",
                            "es": "el PDF está protegido con contraseña; guarde una copia sin protección y añádala"},
    Problem.PDF_NO_PAGES: {"en": "PDF has no pages", "es": "el PDF no tiene páginas"},
    Problem.PDF_UNREADABLE: {"en": "not a readable PDF (damaged, cut short or not a PDF at all)",
                             "es": "no es un PDF legible (dañado, incompleto o no es un PDF)"},
    Problem.PDF_NO_TEXT: {"en": "PDF has no extractable text (scanned image? run OCR first)",
                          "es": "el PDF no tiene texto extraíble (¿una imagen escaneada? aplique OCR primero)"},
    Problem.DOCX_UNREADABLE: {"en": "not a readable .docx file (damaged, or not a Word document)",
                              "es": "no es un archivo .docx legible (dañado, o no es un documento de Word)"},
    Problem.DOCX_BOMB: {"en": "a Word file that would inflate to {mb} MB (over {limit} MB): damaged or a zip bomb",
                        "es": "un archivo de Word que ocuparía {mb} MB al descomprimirse (más de {limit} MB): "
                              "dañado o una bomba zip"},
    Problem.TOO_BIG: {"en": "file is {mb} MB, over the {limit} MB limit; raise KB_MAX_FILE_MB to index it",
                      "es": "el archivo pesa {mb} MB, más que el límite de {limit} MB; suba KB_MAX_FILE_MB para "
                            "indexarlo"},
    Problem.TOO_MANY_PASSAGES: {"en": "file yields {count} passages, over the limit of {limit}; split it, or raise "
                                      "KB_MAX_FILE_PASSAGES if it really is one review",
                                "es": "el archivo da {count} pasajes, más que el límite de {limit}; divídalo, o suba "
                                      "KB_MAX_FILE_PASSAGES si de verdad es una sola revisión"},
    Problem.NO_PASSAGES: {"en": "no text passages found", "es": "no se encontraron pasajes de texto"},
    Problem.CANNOT_READ: {"en": "cannot read: {detail}", "es": "no se puede leer: {detail}"},
    Problem.UNEXPECTED: {"en": "could not be read (an unexpected problem: {detail})",
                         "es": "no se pudo leer (un problema inesperado: {detail})"},
    Problem.LINK_OUTSIDE: {"en": "symbolic link to a file outside the source folder: not followed",
                           "es": "enlace simbólico a un archivo fuera de la carpeta: no se sigue"},
    Problem.LINK_LOOP: {"en": "symbolic link loop: skipped", "es": "bucle de enlaces simbólicos: se omite"},
    Problem.LINK_BROKEN: {"en": "broken symbolic link: skipped", "es": "enlace simbólico roto: se omite"},
    Problem.SPECIAL_FILE: {"en": "not a regular file (a pipe, socket or device): skipped",
                           "es": "no es un archivo normal (una tubería, un socket o un dispositivo): se omite"},
    Problem.DUPLICATE: {"en": "same content as {other}: skipped", "es": "mismo contenido que {other}: se omite"},
    Problem.UPLOAD_MISSING: {"en": "the upload did not arrive; try again", "es": "el archivo no llegó; inténtelo de nuevo"},
    Problem.UPLOAD_TOO_BIG: {"en": "the file is {mb} MB; the limit is {limit} MB",
                             "es": "el archivo pesa {mb} MB; el límite es {limit} MB"},
    Problem.BAD_NAME: {"en": "invalid file name", "es": "nombre de archivo no válido"},
}


class ProblemError(Exception):
    """An error that is one ``Problem`` with its details; ``str()`` says it in English."""

    def __init__(self, problem: Problem | str, **params):
        self.problem, self.params = Problem(problem), params
        super().__init__(describe(problem, params))


def describe(problem: Problem | str, params: dict | None = None, lang: str = "en") -> str:
    """The problem in ``lang`` ("en" or "es"; English for any other), with its details filled in."""
    texts = MESSAGES[Problem(problem)]
    return texts.get(lang, texts["en"]).format(**(params or {}))
