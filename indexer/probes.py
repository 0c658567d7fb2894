"""Question-like probes that a build tunes the approximate cross-lingual indexes on.

A build tunes each graph's efSearch and each IVF's nprobe to the least breadth at which a search
finds ``indexer.ann.TUNE_RECALL`` of the exact top 10 for questions like users'. The mean of two
stored vectors stands in for such a question in the English spaces, which are searched with the
question's English rendering: `kb bench` measures real questions' recall@10 at that breadth at 0.99
(10k passages) and 0.98 (100k). It does not in the cross-lingual spaces, which are searched with the
question as typed, often Spanish, against English passages: such a question lies further from the
passages than anything built from them. Tuned on such means alone, the cross-lingual graph of the
100k bench library searched at efSearch 48 and found 0.864 of real questions' exact top 10. So a
cross-lingual space is also tuned on the cross-lingual encoder's vectors of the probes in
``data/probe-questions.tsv``: generic public-procurement questions in English and Spanish, written
for this purpose and drawn from no eval set.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

PROBE_FILE = Path(__file__).parent / "data" / "probe-questions.tsv"
PROBED_SPACES = frozenset({"ml", "ml_sentence"})
"""The cross-lingual spaces, tuned on the probes as well."""


@lru_cache(maxsize=1)
def probe_questions() -> tuple[tuple[str, str], ...]:
    """(language, question) of every probe, in file order."""
    rows = []
    for line in PROBE_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, question = line.split("\t", 1)
            rows.append((lang, question.strip()))
    return tuple(rows)


def probe_vectors(encoder) -> np.ndarray:
    """The question vectors ``encoder`` gives every probe (one normalised row each)."""
    return np.stack([np.asarray(encoder.query(q), dtype="float32").reshape(-1) for _, q in probe_questions()])


def attach_probes(spaces: dict, plans: dict, cross_lingual) -> None:
    """Give each cross-lingual space that its plan makes approximate (``indexer.ann``) the probes'
    vectors, encoded once by the encoder ``cross_lingual()`` loads (not loaded when none needs it)."""
    probed = [name for name in spaces if name in PROBED_SPACES and plans.get(name) is not None and not plans[name].exact]
    vectors = probe_vectors(cross_lingual()) if probed else None
    for name in probed:
        spaces[name].probes = vectors
