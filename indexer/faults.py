"""Named points of a build where a test can kill it for real (crash-safety tests).

``checkpoint(name)`` does nothing unless the environment variable ``KB_CRASH_AT`` names that point;
then the process sends itself SIGKILL there: no cleanup, no ``finally``, as when a machine loses
power or the kernel kills the build. Points: ``parse`` (after the first file is parsed), ``encode``
stages by name (``encode_passages``, ``encode_sentences``, ``encode_cross_lingual``,
``encode_cross_lingual_sentences``), ``write`` (vector files written, BM25 not yet) and ``switch``
(the new generation complete on disk, CURRENT not yet pointed at it).
"""

from __future__ import annotations

import os
import signal

POINTS = ("parse", "encode_passages", "encode_sentences", "encode_cross_lingual", "encode_cross_lingual_sentences",
          "write", "switch")


def checkpoint(name: str) -> None:
    if os.environ.get("KB_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
