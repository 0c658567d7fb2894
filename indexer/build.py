"""Build or update the index incrementally from the recorded sources.

The knowledge base is the set of sources in the manifest (the bundled corpus by default). A run
hashes every source file; when the index identity (model + chunk settings) and all hashes match,
it stops at once (no model is loaded). Otherwise unchanged files keep their passages and vectors,
changed files are re-parsed and only passages with new ids are embedded.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from corpus.readers import discover, file_sha256
from indexer.store import read_manifest
from kb.settings import Settings


@dataclass
class FileError:
    path: str
    reason: str


@dataclass
class BuildReport:
    """What a build did, for the CLI summary, ``--json`` and the UI."""

    noop: bool = False
    documents: int = 0
    passages: int = 0
    boxes: int = 0
    embedded: int = 0
    reused: int = 0
    sentences: int = 0
    changed_files: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0
    index_path: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def _doc_id(path: Path, taken: set[str]) -> str:
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


def search_text(p) -> str:
    """What BM25 and the embedder see: breadcrumb (where the passage sits) + the source text."""
    return f"{p.breadcrumb}\n{p.text}"


def build_index(settings: Settings, add: list[Path] = (), remove: list[Path] = (), rebuild: bool = False,
                progress: bool = True) -> BuildReport:
    """Bring the index in line with its sources; atomic, incremental, and a no-op when nothing changed."""
    t0 = time.perf_counter()
    report = BuildReport()
    index_dir = settings.index_dir
    manifest = read_manifest(index_dir)
    for p in add:
        if not Path(p).exists():
            report.errors.append(FileError(str(p), "no such file or folder"))
    add = [p for p in add if Path(p).exists()]
    sources = resolve_sources(settings, manifest, add, remove)

    files: dict[str, str] = {}  # path -> sha256
    for src in sources:
        for f in discover(Path(src)):
            try:
                files[str(f.resolve())] = file_sha256(f)
            except OSError as exc:
                report.errors.append(FileError(str(f), f"cannot read: {exc.strerror or exc}"))
    if not Path(settings.corpus_dir).exists() and str(settings.corpus_dir.resolve()) in sources:
        report.errors.append(FileError(str(settings.corpus_dir), "corpus folder not found"))

    identity = settings.index_identity()
    same_identity = bool(manifest) and manifest.get("identity") == identity and not rebuild
    old_files = manifest.get("files", {}) if same_identity else {}
    old_failed = manifest.get("failed", {}) if same_identity else {}
    unchanged = {f for f, sha in files.items() if old_files.get(f, {}).get("sha256") == sha}
    known_broken = {f for f, sha in files.items() if old_failed.get(f, {}).get("sha256") == sha}
    if (same_identity and unchanged | known_broken == set(files) and set(old_files) | set(old_failed) == set(files)
            and manifest["sources"] == sources):
        report.noop = True
        report.errors.extend(FileError(f, old_failed[f]["reason"]) for f in sorted(known_broken))
        report.documents = len(files)
        report.passages = manifest.get("counts", {}).get("passages", 0)
        report.boxes = manifest.get("counts", {}).get("boxes", 0)
        report.seconds = time.perf_counter() - t0
        return report

    from indexer.update import assemble  # heavy imports only when there is work to do

    return assemble(settings, manifest if same_identity else None, sources, files, unchanged, report,
                    progress=progress, t0=t0)
