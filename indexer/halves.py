"""A build holds its vectors as 16-bit floats: what every FAISS index here stores, at half the memory.

A build keeps every vector of every space until it writes the generation (and a re-index reads the
live generation's back): at 100,000 passages that was 1.75 GB of 32-bit floats, a 1M-passage
library ten times that. Every index stores 16-bit floats (``SQfp16``, alone or under an HNSW
graph), so the build rounds vectors as they are encoded, with FAISS's own encoder (its rounding of
exact ties differs from numpy's ``astype``), and an exact index gets the very codes it got from
32-bit floats. FAISS reads 32-bit floats, so it is given them a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

CHUNK = 65536
"""Rows widened to 32-bit floats at a time (25-33 MB for 384-512 dimensions)."""


def halves(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` as FAISS stores them in 16 bits (as they are when already 16-bit)."""
    import faiss

    v = np.asarray(vectors)
    if v.dtype == np.float16:
        return v
    out = np.empty(v.shape, dtype=np.float16)
    if v.size:
        codec = faiss.IndexScalarQuantizer(v.shape[1], faiss.ScalarQuantizer.QT_fp16)
        for start, part in chunks32(v):
            out[start:start + len(part)] = codec.sa_encode(part).view(np.float16).reshape(part.shape)
    return out


def chunks32(vectors: np.ndarray, chunk: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """``(start, rows as contiguous 32-bit floats)`` over ``vectors``, ``chunk`` rows (``CHUNK``) at a time."""
    chunk = chunk or CHUNK
    for start in range(0, len(vectors), chunk):
        yield start, np.ascontiguousarray(vectors[start:start + chunk], dtype=np.float32)
