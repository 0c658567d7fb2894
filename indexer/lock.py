"""One build at a time per index folder: ``kb index`` runs started together wait their turn.

An exclusive ``flock`` on ``<index>/.lock``, held for the whole build (read manifest, parse, encode,
write, switch), so the second run starts from the first one's result and both updates land. The
kernel releases the lock when the process ends, however it ends (a SIGKILL leaves no stale lock).
Readers (servers, `kb ask`) never take it: generations are immutable and switched atomically.
"""

from __future__ import annotations

import fcntl
import sys
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def build_lock(index_dir: Path, progress: bool = True):
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if progress:
                print("Another `kb index` is updating this index; waiting for it to finish…", file=sys.stderr,
                      flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
