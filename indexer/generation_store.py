"""What every store serves from the generation's files, whichever holds its vectors.

Passages, documents, the metadata index that turns a ``Where`` into admitted labels, BM25 (bm25s,
filtered with a weight mask) and min-max floors over a space's floor sample come from the live
generation alone. A store adds the vector half: ``_search`` (the ``k`` best labels of a space under
a ``Where``) and the look-ups by passage; the top-k calls of the ``Store`` protocol are built on it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from indexer.floors import FloorSample, read_floor_samples
from indexer.ids import SENTENCE_SPACES, owners, passage_label
from indexer.metadata import MetadataIndex
from indexer.passage import Passage
from indexer.store import Generation
from indexer.vectorstore import Ranked
from indexer.where import Where

SENTENCE_FANOUT = 4
"""Sentences fetched per passage wanted by ``sentence_top_k`` (passages hold about five each)."""


class Mask(NamedTuple):
    """One filter for BM25: whether nothing is admitted, and the weight of every row (None: all 1)."""

    nothing: bool
    weights: np.ndarray | None


class GenerationStore:
    """The non-vector half of a store over one loaded generation."""

    def __init__(self, generation: Generation):
        self.generation = generation
        self.manifest = generation.manifest
        self._passages = generation.passages
        self._by_id = {p.id: p for p in self._passages}
        labels = [passage_label(p.id) for p in self._passages]
        if len(set(labels)) != len(labels):
            raise RuntimeError("two passages share a label; rebuild the index with `kb index --rebuild`")
        self._labels = labels
        self._id_of = dict(zip(labels, (p.id for p in self._passages)))
        self._label_of = dict(zip(self._id_of.values(), self._id_of))
        self._bm25_last: tuple = ((), None)
        self._row_of = {label: row for row, label in enumerate(labels)}
        self._position = {p.id: row for row, p in enumerate(self._passages)}  # id -> store row
        self._ids = [p.id for p in self._passages]  # store row -> id
        self._sentences_of = {label: len(p.sentences) for label, p in zip(labels, self._passages)}
        self.metadata = MetadataIndex(zip(labels, (p.to_dict() for p in self._passages)))
        self._masks = lru_cache(maxsize=64)(self._mask)
        self._samples: dict[str, FloorSample] = read_floor_samples(generation.path)  # written by the build
        self._sample_rows_of = lru_cache(maxsize=64)(self._sample_rows)
        docs: dict[str, dict] = {}
        for p in self._passages:
            docs.setdefault(p.doc_id, {"doc_id": p.doc_id, "title": p.title, "source_path": p.source_path})
        self._documents = list(docs.values())

    def __len__(self) -> int:
        return len(self._passages)

    def page_in(self) -> int:
        """Nothing here is memory-mapped (passages and BM25 are read into memory): a store whose
        vectors are mapped files reads them (``indexer.store.page_in``)."""
        return 0

    # -- vector searches, over the store's ``_search`` ------------------------------------------
    def _search(self, space: str, vector: np.ndarray, k: int, where: Where) -> tuple[np.ndarray, np.ndarray]:
        """Scores and labels of the ``k`` best of ``space`` under ``where``, best first (sentence
        labels for the sentence space, passage labels for the others)."""
        raise NotImplementedError

    def vector_top_k(self, space: str, vector: np.ndarray, k: int, where: Where) -> Ranked:
        scores, labels = self._search(space, vector, k, where)
        id_of = self._id_of
        return [(id_of[label], s) for label, s in zip(labels.tolist(), np.asarray(scores).tolist())]

    def sentence_top_k(self, vector: np.ndarray, k: int, where: Where, space: str = "sentence") -> Ranked:
        scores, labels = self._search(space, vector, k * SENTENCE_FANOUT, where)
        best: dict[int, float] = {}
        for owner, s in zip(owners(labels).tolist(), np.asarray(scores).tolist()):
            if owner not in best:  # hits come best first: the first is the passage's best sentence
                best[owner] = s
        return [(self._id_of[label], s) for label, s in list(best.items())[:k]]

    # -- min-max floors -------------------------------------------------------------------------
    def _sample_rows(self, space: str, where: Where) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the space's floor sample that ``where`` admits, grouped by passage, and where
        each passage's group starts (worked out once per space and filter)."""
        admitted, sample = self.metadata.admitted(where), self._samples[space]
        if admitted.only is not None:
            keep = np.isin(sample.owners, admitted.only)
        else:
            keep = ~np.isin(sample.owners, admitted.excluded)
        rows = np.flatnonzero(keep)  # the sample is grouped by passage already
        grouped = sample.owners[rows]
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if len(rows) else rows
        return rows, starts

    def vector_floor(self, space: str, vector: np.ndarray, where: Where) -> float | None:
        """The lowest score an admitted passage has (in the sentence space: the lowest best-sentence
        score of a passage), over the space's floor sample (exact up to ``FLOOR_PASSAGES`` passages)."""
        sample = self._samples.get(space)
        if sample is None or not len(sample.owners):
            return None
        rows, starts = self._sample_rows_of(space, where)
        if not len(rows):
            return None
        sims = sample.vectors @ np.asarray(vector, dtype="float32")
        if len(rows) < len(sims):
            sims = sims[rows]
        if space not in SENTENCE_SPACES:
            return float(sims.min())
        return float(np.maximum.reduceat(sims, starts).min())  # each passage's best sampled sentence

    # -- BM25 -----------------------------------------------------------------------------------
    def _mask(self, where: Where) -> Mask:
        admitted = self.metadata.admitted(where)
        if admitted.everything:
            return Mask(False, None)
        if admitted.only is not None:
            weights = np.zeros(len(self), dtype="float32")
            weights[self._store_rows(admitted.only)] = 1.0
        else:
            weights = np.ones(len(self), dtype="float32")
            weights[self._store_rows(admitted.excluded)] = 0.0
        return Mask(admitted.nothing, weights)

    def bm25_top_k(self, tokens: list[str], k: int, where: Where) -> Ranked:
        bm25 = self.generation.bm25
        mask = self._masks(where)
        if mask.nothing or bm25 is None or not tokens or not len(self):
            return []
        scores = self._bm25_scores(tuple(tokens))
        if scores is None:
            return []
        if mask.weights is not None:
            scores = scores * mask.weights
        found = np.flatnonzero(scores > 0)  # the rows holding a query word: fewer than the library's
        k = min(k, len(found))
        if k <= 0:
            return []
        top = found[np.argpartition(-scores[found], k - 1)[:k]]
        top = top[np.lexsort((top, -scores[top]))]  # best first, ties by row
        ids = self._ids
        return [(ids[r], s) for r, s in zip(top.tolist(), scores[top].tolist())]

    def _bm25_scores(self, tokens: tuple[str, ...]) -> np.ndarray | None:
        """bm25s's scores of every row for the tokens it knows; the last query's are kept, since
        fusion asks for the scores of other channels' candidates right after the top-k."""
        if self._bm25_last[0] != tokens:
            bm25 = self.generation.bm25
            known = [t for t in tokens if bm25 is not None and t in bm25.vocab_dict]
            self._bm25_last = (tokens, np.asarray(bm25.get_scores(known), dtype="float32") if known else None)
        return self._bm25_last[1]

    def bm25_scores(self, tokens: list[str], passage_ids: list[str]) -> dict[str, float]:
        """BM25 scores of given passages (bm25s scores the query's postings; the rows are picked)."""
        scores = self._bm25_scores(tuple(tokens)) if passage_ids and self.generation.bm25 is not None else None
        if scores is None:
            return {}
        picked = scores[self._positions(passage_ids)].tolist()
        return dict(zip(passage_ids, picked))

    # -- look-ups -------------------------------------------------------------------------------
    def _store_rows(self, labels: np.ndarray) -> np.ndarray:
        """Store rows (passage order) of passage labels."""
        return np.fromiter(map(self._row_of.__getitem__, np.asarray(labels).tolist()), dtype="int64", count=len(labels))

    def _positions(self, passage_ids: list[str]) -> np.ndarray:
        return np.fromiter(map(self._position.__getitem__, passage_ids), dtype="int64", count=len(passage_ids))

    def passage(self, passage_id: str) -> Passage:
        return self._by_id[passage_id]

    def passages(self) -> list[Passage]:
        return list(self._passages)

    def documents(self) -> list[dict]:
        return self._documents  # built once; callers read it
