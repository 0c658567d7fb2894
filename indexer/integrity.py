"""Checksums of a generation's files: written into its manifest by the build, verified at load.

A generation is written whole and never modified, so any difference at load (a file missing, cut
short, or altered on disk) means the copy on disk is damaged. The load then refuses it with a
message that says how to rebuild, instead of serving wrong results or failing with a traceback deep
inside FAISS or bm25s. SHA-256 runs at about 1-2 GB/s here (a 100k-passage index takes about a
second, a million passages 13 s), so a file whose state on disk is as when it was last hashed keeps
that hash (``indexer.statcache``): only files written since are read again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from indexer.statcache import StatCache

MANIFEST = "manifest.json"


class IndexDamaged(Exception):
    """The live generation's files do not match its manifest; the message says how to rebuild."""


def _digest(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def checksums(folder: Path, cache: StatCache | None = None, name: str = "") -> dict[str, str]:
    """SHA-256 of every file under ``folder`` but the manifest, by path relative to it (files
    ``cache`` vouches for are not read; it records them under ``name``, the generation's name
    when ``folder`` is still a temporary one)."""
    cache = cache or StatCache(None, trust=False)
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
        rel = path.relative_to(folder).as_posix()
        out[rel] = cache.sha256(f"{name or folder.name}/{rel}", path, _digest)
    return out


def problems(folder: Path, expected: dict[str, str], cache: StatCache | None = None) -> list[str]:
    """What differs between the files under ``folder`` and ``expected`` (empty when all match); the
    files are hashed through ``cache`` (by default the index folder's stat cache, saved afterwards)."""
    own = cache is None
    cache = StatCache.at(folder.parent) if own else cache
    found = checksums(folder, cache)
    if own:
        cache.save()
    out = [f"{name} is missing" for name in sorted(set(expected) - set(found))]
    out += [f"{name} was changed or cut short" for name in sorted(expected) if name in found and found[name] != expected[name]]
    return out


def verify(folder: Path, manifest: dict, cache: StatCache | None = None) -> None:
    """Raise ``IndexDamaged`` when the generation in ``folder`` does not match its manifest's
    checksums (a generation written before checksums were recorded is taken as it is); ``cache``:
    a caller's stat cache (a build's, which hashes the sources through it too and saves it once)."""
    expected = manifest.get("checksums")
    if expected is None:
        return
    found = problems(folder, expected, cache)
    if found:
        raise IndexDamaged(f"the index in {folder} is damaged ({'; '.join(found[:3])}"
                           f"{'; …' if len(found) > 3 else ''}); rebuild it with `kb index --rebuild`")
