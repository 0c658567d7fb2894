"""Process-wide state, set once by each entry point (`kb`, the benchmarks, the test session).

Nothing downloads at run time: the Hugging Face libraries are told they are offline before any model
loads. Thread counts are process-wide in torch and OpenMP, so they are fixed here too: one thread
for a process that answers questions (latency stays flat on busy cores), more for one that builds.
"""

from __future__ import annotations

import os
import sys

OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
           "GRADIO_ANALYTICS_ENABLED": "False"}


def configure(threads: int | None = None) -> None:
    """Offline flags (unless already set) and, when given, the torch / OpenMP thread count."""
    for key, value in OFFLINE.items():
        os.environ.setdefault(key, value)
    if threads:
        os.environ["OMP_NUM_THREADS"] = str(threads)  # read by torch and the OpenMP runtimes as they load
        if "torch" in sys.modules:  # already loaded (a test session): tell it directly
            sys.modules["torch"].set_num_threads(threads)
        if "numpy" in sys.modules:  # its BLAS started with a thread per core: the entry points import
            from threadpoolctl import threadpool_limits  # numpy before they get here

            threadpool_limits(limits=threads)
