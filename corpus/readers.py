"""Read source files (.md .txt .html .pdf .docx) into plain text pages plus metadata.

Readers only turn bytes into text; structure (chapters, boxes, sections) is the indexer's job.
Every failure is raised as ``ReadError`` with a reason a user can act on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")


class ReadError(Exception):
    """A source file that cannot be read; the message says why."""


@dataclass
class Page:
    text: str
    number: int | None = None  # 1-based page number for paginated formats (PDF)


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


def discover(path: Path) -> list[Path]:
    """Supported files under ``path`` (a file or a folder), sorted; hidden files and READMEs skipped."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUPPORTED
        and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)
        and p.stem.lower() != "readme"
    )


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
        raise ReadError(f"front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise ReadError("front matter must be a mapping of key: value lines")
    return {str(k): v for k, v in meta.items()}, text[m.end():]


def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ReadError("text is neither UTF-8 nor Windows-1252")


def read_text(path: Path) -> tuple[dict, list[Page]]:
    meta, body = split_front_matter(_decode(path.read_bytes()))
    return meta, [Page(body)]


_BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre", "section", "br")


def read_html(path: Path) -> tuple[dict, list[Page]]:
    """Visible text of an HTML page, one block per paragraph; scripts and styles dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode(path.read_bytes()), "html.parser")
    title = soup.title.get_text(strip=True) if soup.title else ""
    for tag in soup(["script", "style", "noscript", "template", "head", "nav", "footer"]):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    for tag in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        tag.insert_before("# ")  # keep headings recognisable as headings
    text = re.sub(r"[ \t]+", " ", soup.get_text())
    text = re.sub(r"\n\s*\n\s*", "\n\n", text).strip()
    meta = {"title": title} if title else {}
    return meta, [Page(text)]


def read_pdf(path: Path) -> tuple[dict, list[Page]]:
    """Text per page with its page number; a PDF with no extractable text is an error."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise ReadError("PDF is encrypted")
        pages = [Page(page.extract_text() or "", i + 1) for i, page in enumerate(reader.pages)]
        info = reader.metadata or {}
        title = str(info.get("/Title") or "").strip()
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ReadError(f"not a readable PDF ({exc.__class__.__name__}: {exc})") from exc
    if not any(p.text.strip() for p in pages):
        raise ReadError("PDF has no extractable text (scanned image? run OCR first)")
    return ({"title": title} if title else {}), pages


def read_docx(path: Path) -> tuple[dict, list[Page]]:
    """Paragraphs and tables of a Word file; heading styles become Markdown headings."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ReadError(f"not a readable .docx file ({exc.__class__.__name__})") from exc
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
        raise ReadError(f"unsupported file type {path.suffix or '(none)'}; use one of {', '.join(SUPPORTED)}")
    if not path.is_file():
        raise ReadError("file not found")
    if path.stat().st_size == 0:
        raise ReadError("file is empty")
    meta, pages = reader(path)
    if not any(p.text.strip() for p in pages):
        raise ReadError("no text found in file")
    meta.setdefault("title", path.stem.replace("_", " ").replace("-", " "))
    return SourceDocument(path=path, meta=meta, pages=pages, sha256=file_sha256(path))
