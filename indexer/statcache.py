"""Content hashes remembered by file state, so that checking a large index does not read it all again.

A no-op ``kb index`` and a server's start compare every file of the live generation with its
checksum in the manifest, and every source file with the hash its passages came from: at a million
passages that is reading 13 GB. As git's index and make do, a file whose size, modification time,
change time, inode and device are those recorded when its hash was last computed is taken to have
that hash still. Any write through the file system moves the change time (``os.utime`` can put the
modification time back, not the change time), so an altered, cut short or replaced file is hashed
again; only damage below the file system (a failing disk) goes unseen, which ``kb index --verify``
(every file hashed) is for.

A record is kept only when the file had not changed for a while (``RACY_NS``; 2 s on a file system
keeping whole seconds) before it was looked at: a file changed again within the same timestamp tick
would otherwise keep its recorded state. Such a file is simply hashed next time. The records live in ``<index>/stat-cache.json`` (keys: absolute paths, or
paths relative to the index folder for a generation's files); a missing, unreadable or unwritable
cache only means hashing.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path

FILE = "stat-cache.json"
RACY_NS = 100_000_000
"""How long a file must have been left alone before its state vouches for its hash: Linux file systems
stamp times from a clock that ticks every 1-10 ms."""
COARSE_RACY_NS = 2_000_000_000
"""The same for a file system that keeps whole seconds (FAT's times tick every 2 seconds)."""


def settled(st: os.stat_result, now: int) -> bool:
    """Whether a later write would surely give the file other times: its last change is further back
    than its file system's timestamps tick (whole seconds: a coarse one)."""
    coarse = st.st_mtime_ns % 1_000_000_000 == 0
    return now - max(st.st_mtime_ns, st.st_ctime_ns) >= (COARSE_RACY_NS if coarse else RACY_NS)


def signature(st: os.stat_result) -> list[int]:
    """What identifies one state of a file: size, modification and change times, inode, device."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


class StatCache:
    """Remembered ``key -> (signature, sha256)`` records of one index folder."""

    def __init__(self, folder: Path | None, entries: dict | None = None, trust: bool = True):
        self.folder, self.entries, self.trust = folder, dict(entries or {}), trust
        self.changed = False

    @classmethod
    def at(cls, folder: Path, trust: bool = True) -> StatCache:
        """The records kept in ``folder`` (none when there are none or they cannot be read);
        ``trust=False`` hashes every file (and records what it found)."""
        try:
            entries = json.loads((folder / FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}
        return cls(folder, entries if isinstance(entries, dict) else {}, trust)

    def sha256(self, key: str, path: Path, digest: Callable[[Path], str]) -> str:
        """The SHA-256 of ``path``: the recorded one when its state is as recorded, else ``digest(path)``."""
        now = time.time_ns()
        st = os.stat(path)
        sig = signature(st)
        record = self.entries.get(key)
        if self.trust and isinstance(record, list) and record[:-1] == sig:
            return record[-1]
        sha = digest(path)
        if settled(st, now):
            self.entries[key] = [*sig, sha]
        else:
            self.entries.pop(key, None)
        self.changed = True
        return sha

    def resolve(self, key: str) -> Path:
        path = Path(key)
        return path if path.is_absolute() or self.folder is None else self.folder / path

    def save(self) -> None:
        """Write the records back (those of files that no longer exist dropped); nothing when none
        changed, or when the folder cannot be written (the next check hashes)."""
        if not self.changed or self.folder is None:
            return
        kept = {key: rec for key, rec in self.entries.items() if self.resolve(key).exists()}
        tmp = self.folder / f".stat-cache-{uuid.uuid4().hex[:8]}"
        try:
            tmp.write_text(json.dumps(kept), encoding="utf-8")
            os.replace(tmp, self.folder / FILE)  # readers see the old records or the new, never half
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        self.changed = False
