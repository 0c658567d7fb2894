"""HNSW graphs carried from one generation to the next: a changed document costs its own vectors.

Building an HNSW graph over a large space is most of a re-index's write (about 10 s a space per
100,000 passages here), while a changed document changes a few hundred vectors. FAISS cannot take a
vector out of an HNSW graph, so a new generation takes the previous one's graph, adds the vectors of
its new passages and *retires* the labels of the passages that went: they stay in the graph, listed in
``retired-<space>.npy``, and the store leaves them out of every search of that space (in the same
id selector as a user's filter). A graph is built afresh, retiring nothing, when the retired labels
would pass ``RETIRE_SHARE`` of it, when a retired label comes back, or when the previous graph was
built to another plan. The same label always holds the same vector: a passage's label is a hash of
its text and place, and builds reuse vectors by label.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

RETIRE_SHARE = 0.1
"""The most of a graph that may be retired labels before it is built afresh."""


class Growth(NamedTuple):
    """How a new generation's space comes from the previous graph: the positions (in the new space)
    of the vectors to add, and every retired label after it."""

    add: np.ndarray
    retired: np.ndarray


def plan_growth(graph_labels: np.ndarray, retired: np.ndarray, labels: np.ndarray,
                share: float = RETIRE_SHARE) -> Growth | None:
    """The growth that turns a graph holding ``graph_labels`` (``retired`` of them retired) into one
    serving exactly ``labels``; None when it must be built afresh."""
    graph_labels, retired, labels = (np.asarray(x, dtype="int64") for x in (graph_labels, retired, labels))
    held = np.setdiff1d(graph_labels, retired)
    add = np.flatnonzero(~np.isin(labels, held))
    if np.isin(labels[add], graph_labels).any():  # a retired label back: it would be found twice
        return None
    now_retired = np.union1d(retired, np.setdiff1d(held, labels))
    if len(now_retired) > share * (len(graph_labels) + len(add)):
        return None
    return Growth(add, now_retired)


def retired_path(generation: Path, space: str) -> Path:
    return generation / f"retired-{space}.npy"


def read_retired(generation: Path, space: str) -> np.ndarray:
    """The labels retired in a generation's graph of ``space`` (none when it was built afresh)."""
    path = retired_path(generation, space)
    return np.load(path) if path.is_file() else np.zeros(0, dtype="int64")


def grown_graph(previous: Path, space: str, labels: np.ndarray, vectors: np.ndarray):
    """The previous generation's graph of ``space`` grown to serve ``labels`` (their ``vectors``),
    and its retired labels; None when it must be built afresh (or cannot be read)."""
    import faiss

    path = previous / f"{space}.faiss"
    if not path.is_file():
        return None
    try:
        index = faiss.read_index(str(path))
    except RuntimeError:
        return None
    growth = plan_growth(faiss.vector_to_array(index.id_map), read_retired(previous, space), labels)
    if growth is None:
        return None
    if len(growth.add):
        index.add_with_ids(np.ascontiguousarray(vectors[growth.add], dtype="float32"),
                           np.asarray(labels, dtype="int64")[growth.add])
    return index, growth.retired
