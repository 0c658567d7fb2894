"""The knowledge base's sources (files and folders recorded in the manifest), document ids, and the
text each passage is indexed under. Pure functions shared by the two halves of a build."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from indexer.passage import Passage
from kb.settings import Settings


def doc_id_for(path: Path, taken: set[str]) -> str:
    """A readable document id from the file name, made unique among ``taken`` (which it joins)."""
    base = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "doc"
    if base in taken:
        base = f"{base}-{hashlib.sha1(str(path).encode()).hexdigest()[:6]}"
    taken.add(base)
    return base


def resolve_sources(settings: Settings, manifest: dict | None, add: list[Path], remove: list[Path]) -> list[str]:
    """Recorded sources (default: the bundled corpus), plus ``add``, minus ``remove``."""
    sources = list(manifest["sources"]) if manifest else [str(settings.corpus_dir.resolve())]
    for p in add:
        s = str(Path(p).resolve())
        if s not in sources:
            sources.append(s)
    drop = {str(Path(p).resolve()) for p in remove}
    unknown = drop - set(sources)
    if unknown:
        raise ValueError(f"not a recorded source: {', '.join(sorted(unknown))} (see `kb sources`)")
    return [s for s in sources if s not in drop]


def search_text(p: Passage) -> str:
    """What BM25 and the encoders see: breadcrumb (where the passage sits) + the source text."""
    return f"{p.breadcrumb}\n{p.text}"
