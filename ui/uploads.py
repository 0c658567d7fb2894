"""Accept an uploaded file into ``<data_dir>/uploads/``: checked type and size, safe name, never elsewhere.

The browser's file picker filter is a convenience only; these checks run on the server, before the
file is copied or parsed, and their messages say what to do.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

from corpus.problems import Problem, ProblemError
from corpus.readers import SUPPORTED

MAX_MB = 20
MAX_BYTES = MAX_MB * 1024 * 1024
UPLOADS = "uploads"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class UploadError(ProblemError, ValueError):
    """An upload refused: ``problem`` and ``params`` say why (``str()`` in English)."""


def uploads_dir(data_dir: Path) -> Path:
    return Path(data_dir) / UPLOADS


def safe_name(name: str) -> str:
    """A plain file name from whatever the browser sent: no folders, no leading dots, ASCII only."""
    base = re.split(r"[\\/]", str(name))[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _UNSAFE.sub("_", stem).strip("._-")[:100] or "upload"
    suffix = _UNSAFE.sub("", suffix).lower()
    return f"{stem}.{suffix}" if suffix else stem


def check_upload(src: Path, name: str, max_bytes: int = MAX_BYTES) -> None:
    """Raise ``UploadError`` unless ``src`` is a supported, non-empty file within the size limit."""
    suffix = Path(safe_name(name)).suffix.lower()
    if suffix not in SUPPORTED:
        raise UploadError(Problem.UNSUPPORTED, suffix=suffix or "(none)", supported=", ".join(SUPPORTED))
    if not Path(src).is_file():
        raise UploadError(Problem.UPLOAD_MISSING)
    size = Path(src).stat().st_size
    if size == 0:
        raise UploadError(Problem.EMPTY)
    if size > max_bytes:
        raise UploadError(Problem.UPLOAD_TOO_BIG, mb=f"{size / 1048576:.1f}", limit=f"{max_bytes / 1048576:.0f}")


def save_upload(src: Path, data_dir: Path, name: str | None = None, max_bytes: int = MAX_BYTES) -> Path:
    """Copy an uploaded file into the uploads folder after the checks; a same-named upload is replaced."""
    name = name or Path(src).name
    check_upload(src, name, max_bytes)
    folder = uploads_dir(data_dir).resolve()
    dest = (folder / safe_name(name)).resolve()
    if dest.parent != folder:  # safe_name makes this impossible; keep the promise explicit
        raise UploadError(Problem.BAD_NAME)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.part")
    shutil.copyfile(src, tmp)
    tmp.replace(dest)
    return dest
