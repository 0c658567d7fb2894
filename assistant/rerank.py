"""Optional reranking of fused candidates by a sentence-transformers CrossEncoder.

Off by default: no cross-encoder ships in a PyPI package we can rely on offline, so the stage runs
only when ``KB_RERANKER_MODEL`` names a local model folder (or a name already in the local cache).
A model that cannot be loaded offline turns the stage off with a warning instead of failing
searches.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache

import numpy as np

log = logging.getLogger(__name__)


@lru_cache(maxsize=2)
def load_reranker(name_or_path: str):
    """The CrossEncoder, or None (with a warning) when it is not available offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import CrossEncoder

    try:
        return CrossEncoder(name_or_path, device="cpu")
    except (OSError, ValueError) as exc:
        log.warning("reranker %r is not available offline (%s); reranking is off", name_or_path, exc)
        return None


def rerank_order(scores: np.ndarray) -> list[int]:
    """Positions sorted by cross-encoder score, best first; ties keep the fused order."""
    return sorted(range(len(scores)), key=lambda i: (-float(scores[i]), i))


def cross_scores(reranker, question: str, texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros(0, dtype="float32")
    return np.asarray(reranker.predict([(question, t) for t in texts], show_progress_bar=False), dtype="float32")
