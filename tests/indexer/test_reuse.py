"""What a re-index takes from the live generation: vectors found by label, and the sentence rows of
the passages it holds (pure, over hand-made arrays)."""

import numpy as np

from indexer.reuse import NOTHING_KNOWN, Known, carried_sentences


def known(labels, dim=2):
    labels = np.asarray(labels, dtype="int64")
    return Known.of(labels, np.arange(len(labels) * dim, dtype="float32").reshape(len(labels), dim))


def test_vectors_are_found_by_label():
    k = known([30, 10, 20])
    assert k.rows(np.array([10, 20, 30, 40, 5])).tolist() == [1, 2, 0, -1, -1]
    assert NOTHING_KNOWN.rows(np.array([1, 2])).tolist() == [-1, -1]


def test_sentence_rows_are_carried_only_where_every_sentence_space_holds_them():
    s = [(1 << 8) | 0, (1 << 8) | 1, (2 << 8) | 0, (4 << 8) | 0]
    old = {"dense": known([1, 2, 3]), "sentence": known(s[::-1]), "ml_sentence": known([s[0], s[1], s[3]])}
    # 1: carried; 2: its sentence missing from ml_sentence; 3: no sentences; 4: not a passage there; 5: new
    assert carried_sentences([5, 3, 2, 1, 4], old) == {1: [256, 257]}
    assert carried_sentences([1, 2], {**old, "ml_sentence": known(s)}) == {1: [256, 257], 2: [512]}
    assert carried_sentences([1], {}) == {}


def test_kept_vectors_stay_in_their_buffer_and_new_ones_follow():
    labels = np.array([10, 20, 30, 40, 50])
    buffer = np.zeros((8, 2), dtype="float32")
    buffer[:5] = labels[:, None]  # each row holds its label
    k = Known.of(labels, buffer)
    out_labels, vectors = k.kept(k.rows(np.array([50, 20, 40])), extra=2)  # 10 and 30 gone, two new
    assert np.shares_memory(vectors, buffer) and vectors.shape == (5, 2)
    assert sorted(out_labels.tolist()) == [20, 40, 50]
    assert (vectors[:3, 0] == out_labels).all()  # every kept label still beside its own vector
    small = Known.of(labels, labels[:, None].astype("float32").repeat(2, axis=1))  # no spare rows
    out_labels, vectors = small.kept(small.rows(np.array([20, 50])), extra=4)  # 6 rows: more than it holds
    assert not np.shares_memory(vectors, small.vectors) and (vectors[:2, 0] == out_labels).all() and len(vectors) == 6
