"""Sentence-transformers embeddings, loaded from a local folder (offline) and cached per process."""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=4)
def load_model(path_or_name: str):
    """Load a sentence-transformers model once per process, never touching the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(path_or_name, device="cpu")
    except OSError as exc:  # a name that is not on disk would need a download
        raise RuntimeError(
            f"embedding model {path_or_name!r} is not available offline; set KB_EMBED_MODEL to a local "
            "sentence-transformers folder or unset it to use the packaged all-MiniLM-L6-v2"
        ) from exc


def dimension(model) -> int:
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(getter())


def encode(model, texts: list[str], batch_size: int = 32, threads: int | None = None,
           progress: bool = False) -> np.ndarray:
    """L2-normalised float32 embeddings (inner product = cosine)."""
    import torch

    if threads:
        torch.set_num_threads(threads)
    if not texts:
        return np.zeros((0, dimension(model)), dtype="float32")
    vecs = model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                        show_progress_bar=progress, convert_to_numpy=True)
    return np.ascontiguousarray(vecs, dtype="float32")
