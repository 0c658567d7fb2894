"""Floor samples: a fixed set of each space's vectors that min-max floors are taken over.

Min-max fusion scales a channel's scores from the lowest score an admitted passage can have. Every
store takes that floor over the same sample of passages: every passage of a library of up to
``FLOOR_PASSAGES`` (the floor is then exact); in a bigger one, the passages that farthest-point
sampling picks in the passage space (``farthest_points``), the extremes of the space, where a
question's lowest scores are. A sentence space's sample is every sentence of the passages picked in
its passage space (a passage's floor score there is its best sentence).

Measured on the 10,000-passage synthetic library (one-off, session 14: ``/tmp`` scripts, not
committed), mean gap between the store's floor under the default filter and the exact one over every
admitted passage, for the dev, check and check_es questions: English passages +0.013 with 256 picked
passages against +0.053 with the 1,024 evenly spaced vectors sampled before; cross-lingual +0.012
against +0.023; best sentences +0.014 against -0.106 (an evenly spaced sentence stood for its
passage, below the passage's best). The dev questions' top 5 differed from those fused with exact
floors in 37 of 164 searches, against 87 before; the samples are 2.2 MB there instead of 5 MB, and a
search after the encoders took 0.44-0.54 ms less (p50, side by side). Picking among at most ``POOL``
passages costs a build 0.2-0.4 s a space from 8,192 passages up (65,536 took 3-6 s at 100,000).

A build writes the sample of each space into the generation (``floor-<space>.npz``, 16-bit vectors
as the FAISS copy holds them), so a store whose vectors live in an engine computes floors without
asking it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

from indexer.ids import SENTENCE_SPACES, owners

FLOOR_PASSAGES = 256
"""Passages per floor sample (every passage of a library up to this size)."""

POOL = 8192
"""The most passages farthest-point sampling chooses among (evenly spaced ones of a bigger library):
its 256 passes over them stay in the cache."""

PASSAGE_SPACE = {"sentence": "dense", "ml_sentence": "ml"}
"""The passage space whose picks a sentence space's sample follows."""


class FloorSample(NamedTuple):
    """Some vectors of a space and the passage labels they belong to, grouped by passage."""

    vectors: np.ndarray
    owners: np.ndarray


def farthest_points(vectors: np.ndarray, m: int) -> np.ndarray:
    """Rows of ``vectors`` (unit length) picked by farthest-point sampling: first the row least like
    their mean, then each time the row whose greatest similarity to those picked so far is least.
    Deterministic; all rows when there are at most ``m``."""
    n = len(vectors)
    if n <= m:
        return np.arange(n)
    x = np.asarray(vectors, dtype="float32")  # a pool of at most ``POOL`` rows
    nearest = x @ x.mean(axis=0)  # similarity to the mean stands in for "to the picked" at first
    picked = np.empty(m, dtype="int64")
    for i in range(m):
        picked[i] = int(np.argmin(nearest))
        sims = x @ x[picked[i]]
        nearest = sims if i == 0 else np.maximum(nearest, sims)
        nearest[picked[i]] = np.inf
    return np.sort(picked)


def pick_passages(labels: np.ndarray, vectors: np.ndarray, size: int = FLOOR_PASSAGES, pool: int = POOL) -> np.ndarray:
    """The passage labels of a passage space's floor sample: every one up to ``size``, else
    ``size`` picked by ``farthest_points`` among at most ``pool`` evenly spaced ones."""
    labels = np.asarray(labels, dtype="int64")
    among = np.arange(len(labels))
    if len(among) > pool:
        among = np.linspace(0, len(labels) - 1, pool).astype("int64")
    rows = among if len(among) <= size else among[farthest_points(np.asarray(vectors)[among], size)]
    return np.sort(labels[rows])


def floor_passages(spaces: dict, size: int = FLOOR_PASSAGES) -> dict[str, np.ndarray]:
    """``{space: passage labels of its sample}`` for a build's spaces (``{name: indexer.store.Space}``),
    worked out before any space's vectors are let go: a sentence space follows its passage space's
    picks (``PASSAGE_SPACE``), or takes evenly spaced passages when there is none."""
    picks = {name: pick_passages(sp.labels, sp.vectors, size) for name, sp in spaces.items()
             if name not in SENTENCE_SPACES}
    for name, sp in spaces.items():
        if name in SENTENCE_SPACES:
            if PASSAGE_SPACE.get(name) in picks:
                picks[name] = picks[PASSAGE_SPACE[name]]
            else:
                held = np.unique(owners(sp.labels))
                picks[name] = held[np.linspace(0, len(held) - 1, min(size, len(held))).astype("int64")] if len(held) else held
    return picks


def sample_rows(labels: np.ndarray, sentence_space: bool, passages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a space (``labels`` in index order) whose passages are in ``passages``, grouped by
    passage (a passage's best is one ``reduceat``), and the passage labels they belong to."""
    labels = np.asarray(labels, dtype="int64")
    own = owners(labels) if sentence_space else labels
    rows = np.flatnonzero(np.isin(own, passages))
    rows = rows[np.lexsort((labels[rows], own[rows]))]  # by passage, then label: whatever order a build wrote
    return rows, own[rows]


def _path(folder: Path, space: str) -> Path:
    return folder / f"floor-{space}.npz"


def write_floor_sample(folder: Path, name: str, space, passages: np.ndarray) -> None:
    """The floor sample of one space (an ``indexer.store.Space``) over ``passages`` (``floor_passages``),
    beside the generation's other files."""
    rows, own = sample_rows(space.labels, name in SENTENCE_SPACES, passages)
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
