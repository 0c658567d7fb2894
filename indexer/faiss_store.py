"""The embedded store: FAISS id maps on disk (passages, BM25 and the metadata index are the shared
``GenerationStore``'s).

Filters are applied inside each search, as a vector database applies metadata filters: a ``Where``
becomes a FAISS ``IDSelector`` over passage (or sentence) labels (and a bm25s weight mask), worked
out from the metadata index once per distinct filter and kept (questions reuse a handful of
filters, the default one most of all). Searches return stable passage ids, never positions.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from indexer.ann import is_exact, search_parameters
from indexer.generation_store import GenerationStore
from indexer.graphs import read_retired
from indexer.ids import SENTENCE_BITS, SENTENCE_SPACES
from indexer.metadata import Admitted
from indexer.rows import space_rows
from indexer.store import Generation, page_in
from indexer.where import Where


EXACT_AMONG = 5000
"""A filter admitting at most this many passages is searched exactly among them in an ANN space."""


class Compiled(NamedTuple):
    """One filter, worked out for the store: a FAISS selector per kind of label ("dense" for passage
    labels, "sentence" for sentence labels; none when everything is admitted), whether nothing is
    admitted, and the selectors an ``IDSelectorNot`` wraps (they must outlive it). BM25's weight
    mask is the shared ``GenerationStore``'s."""

    selectors: dict
    nothing: bool
    keep: tuple
    share: float = 1.0  # the share of passages admitted
    only: np.ndarray | None = None  # the passage labels admitted, when the filter names them
    by_space: dict | None = None  # a space whose graph holds retired labels: its own selector, leaving them out

    def selector(self, space: str):
        if self.by_space and space in self.by_space:
            return self.by_space[space]
        return self.selectors.get("sentence" if space in SENTENCE_SPACES else "dense")


class SearchPlan(NamedTuple):
    """One space searched under one filter: nothing admitted, or exactly among a few admitted
    passages, or FAISS with these parameters (they point at the selectors ``compiled`` holds)."""

    nothing: bool
    among: bool
    params: object
    compiled: Compiled
    ntotal: int


class FaissStore(GenerationStore):
    def __init__(self, generation: Generation, ef_search: int = 256, nprobe: int = 128):
        super().__init__(generation)  # passages, metadata index, BM25, floors (``indexer.generation_store``)
        self.breadth = (ef_search, nprobe)  # how widely an approximate space is searched (at most)
        self._tuned = {s: int(p.get("breadth") or 0) for s, p in (generation.manifest.get("vector_index") or {}).items()}
        retired = {s: read_retired(generation.path, s) for s in generation.spaces}
        self._retired = {s: labels for s, labels in retired.items() if len(labels)}  # ``indexer.graphs``
        labels = self._labels
        self._filters = lru_cache(maxsize=64)(self._compile)
        self._among = lru_cache(maxsize=64)(self._admitted_rows)
        self._plans = lru_cache(maxsize=256)(self._plan)
        passage_labels = np.asarray(labels, dtype="int64")
        self._rows = {name: space_rows(index, passage_labels, name in SENTENCE_SPACES)
                      for name, index in generation.spaces.items()}

    def page_in(self) -> int:
        """Read the exact spaces' files (memory-mapped: ``indexer.store.load_generation``) into the page
        cache. At 1M passages the sentence spaces are 7 GB, and a question scores some hundreds of
        candidates' sentences at pages all over them: read from disk on first touch, that is most of a
        search's time."""
        return page_in(self.generation.path / f"{space}.faiss" for space, index in self.generation.spaces.items()
                       if is_exact(index))

    def has_space(self, space: str) -> bool:
        return space in self.generation.spaces and self.generation.spaces[space].ntotal > 0

    # -- filters ------------------------------------------------------------------------------
    def _sentence_labels(self, passage_labels: np.ndarray) -> np.ndarray:
        out = [(label << SENTENCE_BITS) + np.arange(self._sentences_of.get(int(label), 0), dtype="int64")
               for label in passage_labels.tolist()]
        return np.concatenate(out) if out else np.zeros(0, dtype="int64")

    def _compile(self, where: Where) -> Compiled:
        import faiss

        admitted: Admitted = self.metadata.admitted(where)
        if admitted.only is not None:  # retired labels are no passage's: a list of passages leaves them out
            sel = {"dense": faiss.IDSelectorBatch(admitted.only),
                   "sentence": faiss.IDSelectorBatch(self._sentence_labels(admitted.only))}
            return Compiled(sel, admitted.nothing, (), len(admitted.only) / max(len(self), 1), admitted.only)
        excluded = np.zeros(0, dtype="int64") if admitted.everything else admitted.excluded
        left_out = {s: faiss.IDSelectorBatch(np.union1d(excluded, labels)) for s, labels in self._retired.items()}
        by_space = {s: faiss.IDSelectorNot(b) for s, b in left_out.items()}
        if admitted.everything:
            return Compiled({}, False, tuple(left_out.values()), by_space=by_space)
        inner = (faiss.IDSelectorBatch(excluded), faiss.IDSelectorBatch(self._sentence_labels(excluded)))
        sel = {"dense": faiss.IDSelectorNot(inner[0]), "sentence": faiss.IDSelectorNot(inner[1])}
        share = 1 - len(excluded) / max(len(self), 1)
        return Compiled(sel, admitted.nothing, (*inner, *left_out.values()), share, None, by_space)

    # -- searches -----------------------------------------------------------------------------
    def _search(self, space: str, vector: np.ndarray, k: int, where: Where) -> tuple[np.ndarray, np.ndarray]:
        """Scores and labels of the ``k`` best of ``space`` under ``where`` (sentence labels for
        the sentence space, passage labels for the others)."""
        plan = self._plans(space, where)
        k = min(k, plan.ntotal)
        if plan.nothing or k <= 0:
            return np.zeros(0, dtype="float32"), np.zeros(0, dtype="int64")
        if plan.among:
            return self._exact_among(space, vector, k, where)
        index = self.generation.spaces[space]
        scores, labels = index.search(np.asarray(vector, dtype="float32").reshape(1, -1), k, params=plan.params)
        keep = labels[0] >= 0
        return scores[0][keep], labels[0][keep]

    def _plan(self, space: str, where: Where) -> "SearchPlan":
        """How a search of ``space`` under ``where`` runs (worked out once per space and filter: FAISS
        parameter objects take longer to make than a small graph search)."""
        compiled = self._filters(where)
        index = self.generation.spaces.get(space)
        ntotal = index.ntotal if index is not None else 0
        if compiled.nothing or not ntotal:
            return SearchPlan(True, False, None, compiled, ntotal)
        approximate = space not in SENTENCE_SPACES and not is_exact(index)
        if approximate and compiled.only is not None and len(compiled.only) <= EXACT_AMONG and self._rows.get(space):
            return SearchPlan(False, True, None, compiled, ntotal)
        params = search_parameters(index, compiled.selector(space), *self.breadth, share=compiled.share,
                                   tuned=self._tuned.get(space, 0))
        return SearchPlan(False, False, params, compiled, ntotal)

    def _exact_among(self, space: str, vector: np.ndarray, k: int, where: Where) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` best of a few admitted passages, every one scored from its stored vector: a graph
        search under a narrow filter walks past most of what it finds and misses some of the rest."""
        at, held = self._among(space, where)
        scores = self._rows[space].vectors(at) @ np.asarray(vector, dtype="float32")
        top = np.argsort(-scores, kind="stable")[:k]
        return scores[top].astype("float32"), held[top]

    def _admitted_rows(self, space: str, where: Where) -> tuple[np.ndarray, np.ndarray]:
        """The rows of ``space`` holding the passages a narrow filter admits, and their labels (worked
        out once per space and filter: a Python pass over some thousands of labels)."""
        only = self._filters(where).only
        at, count = self._rows[space].rows(self._store_rows(only))
        return at, only[count > 0]

    def vector_scores(self, space: str, vector: np.ndarray, passage_ids: list[str]) -> dict[str, float]:
        """Scores of given passages in ``space`` (their stored vectors, read in place)."""
        index, rows = self.generation.spaces.get(space), self._rows.get(space)
        if index is None or not passage_ids:
            return {}
        vector = np.asarray(vector, dtype="float32")
        if rows is None:  # an index whose vectors cannot be viewed in place
            vecs = index.reconstruct_batch(np.asarray([self._label_of[pid] for pid in passage_ids], dtype="int64"))
            return dict(zip(passage_ids, (vecs @ vector).tolist()))
        at, count = rows.rows(self._positions(passage_ids))
        held = [pid for pid, c in zip(passage_ids, count.tolist()) if c]
        return dict(zip(held, (rows.vectors(at) @ vector).tolist()))

    def sentence_scores(self, vector: np.ndarray, passage_ids: list[str], space: str = "sentence") -> dict[str, float]:
        """Best-sentence scores of given passages (their sentence vectors read in one gather)."""
        rows = self._rows.get(space)
        if not self.has_space(space) or not passage_ids:
            return {}
        if rows is None:
            return self._sentence_scores_reconstructed(vector, passage_ids, space)
        at, count = rows.rows(self._positions(passage_ids))
        if not len(at):
            return {}
        sims = rows.vectors(at) @ np.asarray(vector, dtype="float32")
        held = count > 0
        starts = (np.cumsum(count) - count)[held]
        return dict(zip((pid for pid, h in zip(passage_ids, held.tolist()) if h),
                        np.maximum.reduceat(sims, starts).tolist()))

    def _sentence_scores_reconstructed(self, vector: np.ndarray, passage_ids: list[str], space: str) -> dict[str, float]:
        labels = [(self._label_of[pid] << SENTENCE_BITS) + position for pid in passage_ids
                  for position in range(self._sentences_of.get(self._label_of[pid], 0))]
        best: dict[int, float] = {}
        for label, v in self.sentence_vectors(labels, space).items():
            owner = label >> SENTENCE_BITS
            best[owner] = max(best.get(owner, -np.inf), float(v @ vector))
        return {pid: best[self._label_of[pid]] for pid in passage_ids if self._label_of[pid] in best}

    # -- look-ups -----------------------------------------------------------------------------
    def sentence_vectors(self, labels: list[int], space: str = "sentence") -> dict[int, np.ndarray]:
        index = self.generation.spaces.get(space)
        if index is None or not labels:
            return {}
        try:
            return dict(zip(labels, index.reconstruct_batch(np.asarray(labels, dtype="int64"))))
        except RuntimeError:  # a label not stored (an empty sentence): take them one by one
            out = {}
            for label in labels:
                try:
                    out[label] = index.reconstruct(int(label))
                except RuntimeError:
                    continue
            return out
