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


class Known(NamedTuple):
    """The vectors of one space of the live generation, found by label with a binary search."""

    labels: np.ndarray  # sorted
    order: np.ndarray  # row in ``vectors`` of each sorted label
    vectors: np.ndarray

    @classmethod
    def of(cls, labels: np.ndarray, vectors: np.ndarray) -> "Known":
        order = np.argsort(labels, kind="stable")
        return cls(np.asarray(labels, dtype="int64")[order], order, vectors)

    def rows(self, labels: np.ndarray) -> np.ndarray:
        """The row of each label's vector; -1 for a label not known."""
        if not len(self.labels):
            return np.full(len(labels), -1, dtype="int64")
        at = np.minimum(np.searchsorted(self.labels, labels), len(self.labels) - 1)
        return np.where(self.labels[at] == labels, self.order[at], -1)


NOTHING_KNOWN = Known(np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64"), np.zeros((0, 0), dtype="float32"))


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
