"""Read source files (.md .txt .html .pdf .docx) into plain text pages plus metadata.

Readers only turn bytes into text; structure (chapters, boxes, sections) is the indexer's job.
Every failure is raised as ``ReadError`` with a reason a user can act on.
"""

from __future__ import annotations

import hashlib
import logging
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from corpus.decoding import NotText, decode_text
from corpus.problems import Problem, ProblemError

SUPPORTED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")


class ReadError(ProblemError):
    """A source file that cannot be read: ``problem`` and ``params`` say why (``str()`` in English)."""


@dataclass
class Page:
    text: str
    number: int | None = None  # 1-based page number for paginated formats (PDF)
    laid_out: bool = False  # text is Markdown paragraphs from a layout-aware reader, not hard-wrapped lines


@dataclass
class SourceDocument:
    path: Path
    meta: dict = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    sha256: str = ""


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Skipped(NamedTuple):
    """A file a folder holds that is passed over, and why (shown, never an error)."""

    path: Path
    problem: Problem


class Discovery(NamedTuple):
    files: list[Path]
    skipped: list[Skipped]


def discover(path: Path) -> Discovery:
    """Supported files under ``path`` (a file or a folder), sorted; hidden files and READMEs left out
    silently; symbolic links that leave the folder or go round in a loop, pipes and devices passed
    over with the reason (reading a pipe would hang the build)."""
    root = path.resolve() if path.is_dir() else path.parent.resolve()
    candidates = [path] if not path.is_dir() else sorted(
        p for p in path.rglob("*")
        if p.suffix.lower() in SUPPORTED
        and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)
        and p.stem.lower() != "readme")
    files, skipped = [], []
    for p in candidates:
        problem = _not_readable(p, root)
        if problem is None:
            files.append(p)
        elif problem:
            skipped.append(Skipped(p, problem))
    return Discovery(files, skipped)


def _not_readable(p: Path, root: Path) -> Problem | str | None:
    """Why ``p`` is passed over ("" for a folder, said nothing about), or None for a regular file."""
    try:
        target = p.resolve(strict=True)
        mode = target.stat().st_mode
    except RuntimeError:
        return Problem.LINK_LOOP
    except OSError:
        return Problem.LINK_BROKEN if p.is_symlink() else Problem.SPECIAL_FILE
    if p.is_symlink() and not target.is_relative_to(root):
        return Problem.LINK_OUTSIDE
    if stat.S_ISDIR(mode):
        return ""
    if not stat.S_ISREG(mode):
        return Problem.SPECIAL_FILE
    return None


_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def split_front_matter(text: str) -> tuple[dict, str]:
    """YAML front matter (``---`` block at the top) and the body after it."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    import yaml

    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ReadError(Problem.FRONT_MATTER, detail=str(exc).splitlines()[0] if str(exc) else "") from exc
    if not isinstance(meta, dict):
        raise ReadError(Problem.FRONT_MATTER, detail="it must be key: value lines")
    return {str(k): v for k, v in meta.items()}, text[m.end():]


def _decode(raw: bytes) -> str:
    try:
        return decode_text(raw).text
    except NotText as exc:
        raise ReadError(exc.problem, **exc.params) from exc


def read_text(path: Path) -> tuple[dict, list[Page]]:
    meta, body = split_front_matter(_decode(path.read_bytes()))
    return meta, [Page(body)]


_BLOCK_TAGS = frozenset(("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre", "section",
                         "br"))
_DROPPED_TAGS = frozenset(("script", "style", "noscript", "template", "head", "nav", "footer", "iframe"))
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def read_html(path: Path) -> tuple[dict, list[Page]]:
    """Visible text of an HTML page, one block per paragraph; scripts and styles dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode(path.read_bytes()), "html.parser")
    title = soup.title.get_text(strip=True) if soup.title else ""
    text = re.sub(r"[ \t]+", " ", html_text(soup))
    text = re.sub(r"\n\s*\n\s*", "\n\n", text).strip()
    meta = {"title": title} if title else {}
    return meta, [Page(text)]


def html_text(soup) -> str:
    """The visible text of a parsed page with a blank line around each block and "# " before each
    heading, in one pass with an explicit stack (a page nested 20,000 levels deep reads in linear
    time, where inserting separators into the tree took quadratic time)."""
    from bs4.element import NavigableString, PreformattedString, Tag

    out: list[str] = []
    stack: list[tuple[object, bool]] = [(soup, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            out.append("\n\n")
        elif isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctype, CDATA, instructions
                out.append(str(node))
        elif isinstance(node, Tag) and node.name not in _DROPPED_TAGS:
            if node.name in _BLOCK_TAGS:
                out.append("\n\n# " if node.name in _HEADINGS else "\n\n")
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
    return "".join(out)


def read_pdf(path: Path) -> tuple[dict, list[Page]]:
    """Paragraphs, headings, boxes and tables per page, read from the layout (``corpus.pdf_layout``),
    with title, publication, year and DOI from the PDF's metadata; a PDF pdfplumber cannot lay out
    falls back to pypdf's plain text, one printed line per line. No extractable text is an error."""
    from pypdf import PdfReader

    from corpus.pdf_layout import read_layout

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair warnings are not the user's business
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise ReadError(Problem.PDF_ENCRYPTED)
        if len(reader.pages) == 0:
            raise ReadError(Problem.PDF_NO_PAGES)
        try:
            meta, laid = read_layout(path)
            pages = [Page(text, number, laid_out=True) for number, text in laid]
        except Exception:  # pdfminer gives up on some files pypdf repairs: their plain text
            pages = [Page(page.extract_text() or "", i + 1) for i, page in enumerate(reader.pages)]
            title = str((reader.metadata or {}).get("/Title") or "").strip()
            meta = {"title": title} if title else {}
    except ReadError:
        raise
    except Exception as exc:  # pypdf raises many kinds on malformed files (PdfReadError, IndexError, ...)
        raise ReadError(Problem.PDF_UNREADABLE) from exc
    if not any(p.text.strip() for p in pages):
        raise ReadError(Problem.PDF_NO_TEXT)
    return meta, pages


def read_docx(path: Path) -> tuple[dict, list[Page]]:
    """Paragraphs and tables of a Word file; heading styles become Markdown headings."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_zip(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ReadError(Problem.DOCX_UNREADABLE) from exc
    blocks = []
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name or "").lower() if para.style is not None else ""
        blocks.append(f"# {text}" if style.startswith(("heading", "title")) else text)
    for table in document.tables:
        for row in table.rows:
            blocks.append("\t".join(cell.text.strip() for cell in row.cells))
    title = (document.core_properties.title or "").strip()
    return ({"title": title} if title else {}), [Page("\n\n".join(blocks))]


MAX_INFLATED_MB = 512
"""A Word file's parts may inflate to this much in all; more is a damaged file or a zip bomb."""


def _check_zip(path: Path) -> None:
    """Refuse a .docx that is not a zip, or whose parts would inflate past ``MAX_INFLATED_MB`` (read
    from the zip's directory, before anything is inflated)."""
    try:
        with zipfile.ZipFile(path) as z:
            inflated = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(Problem.DOCX_UNREADABLE) from exc
    if inflated > MAX_INFLATED_MB * 1024 * 1024:
        raise ReadError(Problem.DOCX_BOMB, mb=f"{inflated / 1024 ** 2:,.0f}", limit=MAX_INFLATED_MB)


READERS = {
    ".md": read_text,
    ".markdown": read_text,
    ".txt": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
}


def read_document(path: Path) -> SourceDocument:
    """Read one file; raises ``ReadError`` naming the reason when it cannot be used."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(Problem.UNSUPPORTED, suffix=path.suffix or "(none)", supported=", ".join(SUPPORTED))
    if not path.is_file():
        raise ReadError(Problem.NOT_FOUND)
    if path.stat().st_size == 0:
        raise ReadError(Problem.EMPTY)
    meta, pages = reader(path)
    if not any(p.text.strip() for p in pages):
        raise ReadError(Problem.NO_TEXT)
    meta.setdefault("title", path.stem.replace("_", " ").replace("-", " "))
    return SourceDocument(path=path, meta=meta, pages=pages, sha256=file_sha256(path))
