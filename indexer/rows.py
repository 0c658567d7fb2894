"""A vector space's stored vectors read in place, for scoring a few candidates without a search.

Fusion asks each channel for the scores of the other channels' candidates: a few hundred passages,
or their sentences. FAISS's ``reconstruct_batch`` does that one vector at a time through its label
map and decoder, which costs more than the search itself on 16-bit vectors. The exact indexes written
by ``indexer.store`` keep their vectors as one contiguous code array (``IndexFlatCodes``), so this
module views it as a (rows × code size) byte matrix without a copy and works out once, per space,
which rows belong to each passage; a candidate's vectors are then a numpy gather of their codes,
decoded: 16-bit floats by torch (already loaded for the English encoder; 13 µs for 268 sentence
vectors against FAISS's ``sa_decode`` 102 µs and numpy's ``astype`` 224 µs, the same exact values),
32-bit floats viewed as they are, any other code by FAISS.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from indexer.ann import inner_index
from indexer.ids import owners


class SpaceRows(NamedTuple):
    """A space's vector codes as a byte matrix, the index that decodes them and, for each passage
    (in store order), where its rows are: ``order[start[i] : start[i] + count[i]]`` (count 0 when
    the passage has no vector there)."""

    codes: np.ndarray
    codec: object
    order: np.ndarray
    start: np.ndarray
    count: np.ndarray

    def rows(self, passages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the given passages (store positions), grouped by passage, and each one's count."""
        count = self.count[passages]
        first = np.repeat(self.start[passages], count)
        within = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        return self.order[first + within], count

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        return decode(self.codes[rows], self.codec)


def decode(codes: np.ndarray, codec) -> np.ndarray:
    """(n × code size) bytes of ``codec``'s codes as (n × d) 32-bit floats."""
    import faiss

    if isinstance(codec, faiss.IndexScalarQuantizer) and codec.sq.qtype == faiss.ScalarQuantizer.QT_fp16:
        import torch

        return torch.from_numpy(codes.view(np.float16)).float().numpy()
    if isinstance(codec, faiss.IndexFlat):  # 32-bit floats, inner product or L2
        return codes.view(np.float32)
    return codec.sa_decode(codes)


def flat_codes(index) -> tuple[np.ndarray, object] | None:
    """The codes of an ``IndexIDMap2`` over an exact index (``IndexFlatCodes``: 32-bit floats or
    16-bit floats) or an HNSW graph over one, viewed in place as (vectors × code size) bytes, and the index that decodes them;
    None for any other kind of index (an ANN index: callers fall back to ``reconstruct_batch``)."""
    import faiss

    inner = inner_index(index)
    if isinstance(inner, faiss.IndexHNSW):  # a graph over flat storage: read the storage
        inner = faiss.downcast_index(inner.storage)
    if not isinstance(inner, faiss.IndexFlatCodes):
        return None
    if index.ntotal == 0:
        return np.zeros((0, inner.code_size), dtype="uint8"), inner
    raw = faiss.rev_swig_ptr(inner.codes.data(), inner.codes.size())
    return raw.reshape(index.ntotal, inner.code_size), inner


def space_rows(index, passage_labels: np.ndarray, sentence_space: bool) -> SpaceRows | None:
    """Where each passage's vectors sit in ``index`` (``passage_labels`` in store order)."""
    import faiss

    held = flat_codes(index)
    if held is None:
        return None
    labels = faiss.vector_to_array(index.id_map)
    own = owners(labels) if sentence_space else labels
    order = np.argsort(own, kind="stable")
    groups, first, count = np.unique(own[order], return_index=True, return_counts=True)
    none = np.zeros(len(passage_labels), dtype="int64")
    if not len(groups):
        return SpaceRows(*held, order, none, none)
    at = np.minimum(np.searchsorted(groups, passage_labels), len(groups) - 1)
    found = groups[at] == passage_labels
    return SpaceRows(*held, order, np.where(found, first[at], 0), np.where(found, count[at], 0))
