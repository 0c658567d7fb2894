"""What a re-index takes from the live generation: vectors by label, and the sentence rows of the
passages it already holds.

A passage's label is a hash of its document, place and text, so a label the live generation holds
names the same text and the same vectors: a re-index reuses them instead of encoding again, and
takes an unchanged passage's sentence labels from there instead of splitting its text again.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from indexer.ids import SENTENCE_BITS, SENTENCE_SPACES


def find_rows(sorted_labels: np.ndarray, order: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The row of each of ``labels`` (``order[i]`` is the row of ``sorted_labels[i]``); -1 when absent."""
    labels = np.asarray(labels, dtype="int64")
    if not len(sorted_labels):
        return np.full(len(labels), -1, dtype="int64")
    at = np.minimum(np.searchsorted(sorted_labels, labels), len(sorted_labels) - 1)
    return np.where(sorted_labels[at] == labels, order[at], -1)


class Known(NamedTuple):
    """The vectors of one space of the live generation, found by label with a binary search.

    ``vectors`` holds them in the index's row order (``row_labels``), in a buffer with spare rows
    beyond them: a re-index keeps the rows it reuses in this buffer (``kept``) and writes its new
    vectors into the spare rows, instead of copying hundreds of megabytes into fresh memory (a fresh
    page costs about 9 µs here: 4 s of a 100k re-index went to such copies)."""

    labels: np.ndarray  # sorted
    order: np.ndarray  # row in ``vectors`` of each sorted label
    vectors: np.ndarray
    row_labels: np.ndarray

    @classmethod
    def of(cls, labels: np.ndarray, vectors: np.ndarray) -> "Known":
        labels = np.array(labels, dtype="int64")  # its own copy: ``kept`` rearranges it
        order = np.argsort(labels, kind="stable")
        return cls(labels[order], order, vectors, labels)

    def rows(self, labels: np.ndarray) -> np.ndarray:
        """The row of each label's vector; -1 for a label not known."""
        return find_rows(self.labels, self.order, labels)

    def kept(self, rows: np.ndarray, extra: int) -> tuple[np.ndarray, np.ndarray]:
        """The labels and vectors of ``rows`` (in an order of its own), the vectors followed by
        ``extra`` rows to fill. Done in this buffer where it has room, a row not kept taking the
        place of one from the end, so it answers once: ``rows`` and ``vectors`` are stale afterwards."""
        keep = np.zeros(len(self.row_labels), dtype=bool)
        keep[rows] = True
        m = int(keep.sum())
        if m + extra > len(self.vectors):  # no room: a fresh array
            at = np.flatnonzero(keep)
            out = np.empty((m + extra, self.vectors.shape[1]), dtype=self.vectors.dtype)
            out[:m] = self.vectors[at]
            return self.row_labels[at], out
        holes, movers = np.flatnonzero(~keep[:m]), m + np.flatnonzero(keep[m:])
        self.vectors[holes] = self.vectors[movers]
        self.row_labels[holes] = self.row_labels[movers]
        return self.row_labels[:m].copy(), self.vectors[:m + extra]


NOTHING_KNOWN = Known(*(np.zeros(0, dtype="int64"),) * 2, np.zeros((0, 0), dtype="float16"), np.zeros(0, dtype="int64"))


def carried_sentences(passage_labels: list[int], old: dict[str, Known]) -> dict[int, list[int]]:
    """For each passage the live generation holds under the same label, its sentence labels there
    (in position order), where every sentence space holds all of them; {} without a live generation."""
    dense, sentence = old.get("dense"), old.get("sentence")
    if dense is None or sentence is None or not len(sentence.labels):
        return {}
    labels = np.asarray(passage_labels, dtype="int64")
    labels = labels[dense.rows(labels) >= 0]
    owner = sentence.labels >> SENTENCE_BITS  # sorted labels: grouped by passage, positions ascending
    start, end = np.searchsorted(owner, labels, "left"), np.searchsorted(owner, labels, "right")
    some = end > start
    labels, start, count = labels[some], start[some], (end - start)[some]
    bounds = np.r_[0, np.cumsum(count)]
    held = sentence.labels[np.repeat(start, count) + np.arange(bounds[-1]) - np.repeat(bounds[:-1], count)]
    whole = np.ones(len(labels), dtype=bool)
    for name, other in old.items():
        if name in SENTENCE_SPACES and name != "sentence":
            missing = held[other.rows(held) < 0] >> SENTENCE_BITS
            whole &= ~np.isin(labels, missing)
    flat, cut = held.tolist(), bounds.tolist()
    return {label: flat[cut[i]:cut[i + 1]] for i, label in enumerate(labels.tolist()) if whole[i]}
