"""Display titles users gave documents (`kb rename`, the Documents tab), kept beside the generations.

``<index>/titles.json`` maps a document id to the title to show. It is applied whenever a generation
or its manifest is read, so it survives rebuilds and reaches every surface (citations, filters, the
documents list, exports) without re-encoding anything: the title a document was indexed under stays
in its passages' breadcrumbs, so its words still find it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FILE = "titles.json"
MAX_CHARS = 200


def read_titles(index_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((Path(index_dir) / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_title(index_dir: Path, doc_id: str, title: str) -> None:
    """Record ``title`` for ``doc_id`` (written whole, then renamed into place)."""
    titles = {**read_titles(index_dir), doc_id: title}
    tmp = Path(index_dir) / f".{FILE}.tmp"
    tmp.write_text(json.dumps(titles, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, Path(index_dir) / FILE)


def clean_title(title: str) -> str:
    """One line, trimmed; ValueError when nothing is left or it is too long."""
    title = " ".join(str(title or "").split())
    if not title:
        raise ValueError("the new title is empty; type the title to show")
    if len(title) > MAX_CHARS:
        raise ValueError(f"the new title has {len(title)} characters; keep it under {MAX_CHARS}")
    return title


def apply_to_manifest(manifest: dict | None, titles: dict[str, str]) -> dict | None:
    """The manifest with each renamed document's file entry showing its title."""
    if not manifest or not titles:
        return manifest
    files = {path: ({**entry, "title": titles[entry["doc_id"]]} if entry.get("doc_id") in titles else entry)
             for path, entry in manifest.get("files", {}).items()}
    return {**manifest, "files": files}


def apply_to_passages(passages: list, titles: dict[str, str]) -> None:
    """Set each renamed document's title on its passages (in place: they were just loaded)."""
    if titles:
        for p in passages:
            if p.doc_id in titles:
                p.title = titles[p.doc_id]


def state(index_dir: Path) -> int:
    """Changes when the titles do (a server reloads its generation then)."""
    try:
        return (Path(index_dir) / FILE).stat().st_mtime_ns
    except OSError:
        return 0
