"""Floor samples: a fixed set of each space's vectors that min-max floors are taken over.

Min-max fusion scales a channel's scores from the lowest score an admitted passage can have. Every
store takes that floor over the same sample: every vector of a space of up to ``FLOOR_SAMPLE``
vectors (the floor is then exact), evenly spaced rows of a larger one (a floor a little high, at a
fixed cost). A build writes the sample of each space into the generation (``floor-<space>.npz``,
16-bit vectors as the FAISS copy holds them), so a store whose vectors live in an engine computes
floors without asking it; FAISS can take the same rows from its own index.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

from indexer.ids import SENTENCE_SPACES, owners

FLOOR_SAMPLE = 1024
"""Vectors per space that min-max floors are taken over."""


class FloorSample(NamedTuple):
    """Some vectors of a space and the passage labels they belong to, grouped by passage."""

    vectors: np.ndarray
    owners: np.ndarray


def sample_labels(labels: np.ndarray, sentence_space: bool, size: int = FLOOR_SAMPLE) -> tuple[np.ndarray, np.ndarray]:
    """The labels of the sample (grouped by passage: a passage's best is one ``reduceat``) and
    the passage labels they belong to."""
    labels = np.sort(np.asarray(labels, dtype="int64"))  # the same sample whatever order a build wrote them in
    if len(labels) > size:
        labels = labels[np.linspace(0, len(labels) - 1, size).astype("int64")]
    own = owners(labels) if sentence_space else labels
    order = np.argsort(own, kind="stable")
    return labels[order], own[order]


def _path(folder: Path, space: str) -> Path:
    return folder / f"floor-{space}.npz"


def write_floor_sample(folder: Path, name: str, space) -> None:
    """The floor sample of one space (an ``indexer.store.Space``), beside the generation's other files."""
    picked, own = sample_labels(space.labels, name in SENTENCE_SPACES)
    labels = np.asarray(space.labels, dtype="int64")
    order = np.argsort(labels, kind="stable")
    rows = order[np.searchsorted(labels[order], picked)]  # every picked label is one of the space's
    vectors = np.asarray(space.vectors[rows]).astype("float16")
    with open(_path(folder, name), "wb") as fh:
        np.savez(fh, vectors=vectors, owners=own)


def read_floor_samples(folder: Path) -> dict[str, FloorSample]:
    """The floor samples a build wrote (none for a generation written before they were)."""
    out = {}
    for path in sorted(folder.glob("floor-*.npz")):
        with np.load(path) as held:
            out[path.stem.removeprefix("floor-")] = FloorSample(held["vectors"].astype("float32"), held["owners"])
    return out
