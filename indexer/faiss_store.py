"""The embedded store: FAISS id maps on disk, bm25s, and a metadata index for filters.

Filters are applied inside each search, as a vector database applies metadata filters: a ``Where``
becomes a FAISS ``IDSelector`` over passage (or sentence) labels and a bm25s weight mask, worked
out from the metadata index once per distinct filter and kept (questions reuse a handful of
filters, the default one most of all). Searches return stable passage ids, never positions.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from indexer.ids import SENTENCE_BITS, owners, passage_label
from indexer.metadata import Admitted, MetadataIndex
from indexer.passage import Passage
from indexer.rows import space_rows
from indexer.store import Generation
from indexer.vectorstore import Ranked
from indexer.where import Where

SENTENCE_FANOUT = 4
"""Sentences fetched per passage wanted by ``sentence_top_k`` (passages hold about five each)."""
FLOOR_SAMPLE = 1024
"""Vectors per space that min-max floors are taken over: every vector of a smaller space (the
floor is then exact), evenly spaced rows of a larger one (a floor a little high, at a fixed cost)."""


class FloorSample(NamedTuple):
    """Some vectors of a space and the passage labels they belong to."""

    vectors: np.ndarray
    owners: np.ndarray


def floor_sample(index, sentence_space: bool, size: int = FLOOR_SAMPLE) -> FloorSample:
    import faiss

    labels = faiss.vector_to_array(index.id_map)
    if len(labels) > size:
        labels = labels[np.linspace(0, len(labels) - 1, size).astype("int64")]
    own = owners(labels) if sentence_space else labels
    order = np.argsort(own, kind="stable")  # grouped by passage: a passage's best is one reduceat
    labels, own = labels[order], own[order]
    vectors = index.reconstruct_batch(labels) if len(labels) else np.zeros((0, index.d), dtype="float32")
    return FloorSample(vectors, own)


class Compiled(NamedTuple):
    """One filter, worked out for the store: a FAISS selector per kind of label ("dense" for passage
    labels, "sentence" for sentence labels; none when everything is admitted), the bm25s weight mask,
    whether nothing is admitted, and the selectors an ``IDSelectorNot`` wraps (they must outlive it)."""

    selectors: dict
    mask: np.ndarray | None
    nothing: bool
    keep: tuple

    def selector(self, space: str):
        return self.selectors.get("sentence" if space == "sentence" else "dense")


class FaissStore:
    def __init__(self, generation: Generation):
        self.generation = generation
        self.manifest = generation.manifest
        self._passages = generation.passages
        self._by_id = {p.id: p for p in self._passages}
        labels = [passage_label(p.id) for p in self._passages]
        if len(set(labels)) != len(labels):
            raise RuntimeError("two passages share a label; rebuild the index with `kb index --rebuild`")
        self._id_of = dict(zip(labels, (p.id for p in self._passages)))
        self._label_of = dict(zip(self._id_of.values(), self._id_of))
        self._bm25_last: tuple = ((), None)
        self._row_of = {label: row for row, label in enumerate(labels)}
        self._position = {p.id: row for row, p in enumerate(self._passages)}  # id -> store row
        self._sentences_of = {label: len(p.sentences) for label, p in zip(labels, self._passages)}
        self.metadata = MetadataIndex(zip(labels, (p.to_dict() for p in self._passages)))
        self._filters = lru_cache(maxsize=64)(self._compile)
        passage_labels = np.asarray(labels, dtype="int64")
        self._rows = {name: space_rows(index, passage_labels, name == "sentence")
                      for name, index in generation.spaces.items()}
        self._samples = {name: floor_sample(index, name == "sentence") for name, index in generation.spaces.items()}
        self._sample_rows_of = lru_cache(maxsize=64)(self._sample_rows)
        docs: dict[str, dict] = {}
        for p in self._passages:
            docs.setdefault(p.doc_id, {"doc_id": p.doc_id, "title": p.title, "source_path": p.source_path})
        self._documents = list(docs.values())

    def __len__(self) -> int:
        return len(self._passages)

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
        if admitted.everything:
            return Compiled({}, None, False, ())
        if admitted.only is not None:
            sel = {"dense": faiss.IDSelectorBatch(admitted.only),
                   "sentence": faiss.IDSelectorBatch(self._sentence_labels(admitted.only))}
            inner = ()
            mask = np.zeros(len(self), dtype="float32")
            mask[[self._row_of[int(x)] for x in admitted.only]] = 1.0
        else:
            inner = (faiss.IDSelectorBatch(admitted.excluded),
                     faiss.IDSelectorBatch(self._sentence_labels(admitted.excluded)))
            sel = {"dense": faiss.IDSelectorNot(inner[0]), "sentence": faiss.IDSelectorNot(inner[1])}
            mask = np.ones(len(self), dtype="float32")
            mask[[self._row_of[int(x)] for x in admitted.excluded]] = 0.0
        return Compiled(sel, mask, admitted.nothing, inner)

    # -- searches -----------------------------------------------------------------------------
    def _search(self, space: str, vector: np.ndarray, k: int, where: Where) -> tuple[np.ndarray, np.ndarray]:
        """Scores and labels of the ``k`` best of ``space`` under ``where`` (sentence labels for
        the sentence space, passage labels for the others)."""
        import faiss

        compiled = self._filters(where)
        index = self.generation.spaces.get(space)
        k = min(k, index.ntotal if index is not None else 0)
        if compiled.nothing or k <= 0:
            return np.zeros(0, dtype="float32"), np.zeros(0, dtype="int64")
        selector = compiled.selector(space)
        params = faiss.SearchParameters(sel=selector) if selector is not None else None
        scores, labels = index.search(np.asarray(vector, dtype="float32").reshape(1, -1), k, params=params)
        keep = labels[0] >= 0
        return scores[0][keep], labels[0][keep]

    def vector_top_k(self, space: str, vector: np.ndarray, k: int, where: Where) -> Ranked:
        scores, labels = self._search(space, vector, k, where)
        return [(self._id_of[int(label)], float(s)) for label, s in zip(labels, scores)]

    def sentence_top_k(self, vector: np.ndarray, k: int, where: Where) -> Ranked:
        scores, labels = self._search("sentence", vector, k * SENTENCE_FANOUT, where)
        best: dict[int, float] = {}
        for owner, s in zip(owners(labels).tolist(), scores.tolist()):
            if owner not in best:  # hits come best first: the first is the passage's best sentence
                best[owner] = s
        return [(self._id_of[label], s) for label, s in list(best.items())[:k]]

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
        score of a passage), over the space's floor sample (exact up to ``FLOOR_SAMPLE`` vectors)."""
        sample = self._samples.get(space)
        if sample is None or not len(sample.owners):
            return None
        rows, starts = self._sample_rows_of(space, where)
        if not len(rows):
            return None
        sims = sample.vectors @ np.asarray(vector, dtype="float32")
        if len(rows) < len(sims):
            sims = sims[rows]
        if space != "sentence":
            return float(sims.min())
        return float(np.maximum.reduceat(sims, starts).min())  # each passage's best sampled sentence

    def _positions(self, passage_ids: list[str]) -> np.ndarray:
        return np.fromiter(map(self._position.__getitem__, passage_ids), dtype="int64", count=len(passage_ids))

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

    def sentence_scores(self, vector: np.ndarray, passage_ids: list[str]) -> dict[str, float]:
        """Best-sentence scores of given passages (their sentence vectors read in one gather)."""
        rows = self._rows.get("sentence")
        if not self.has_space("sentence") or not passage_ids:
            return {}
        if rows is None:
            return self._sentence_scores_reconstructed(vector, passage_ids)
        at, count = rows.rows(self._positions(passage_ids))
        if not len(at):
            return {}
        sims = rows.vectors(at) @ np.asarray(vector, dtype="float32")
        held = count > 0
        starts = (np.cumsum(count) - count)[held]
        return dict(zip((pid for pid, h in zip(passage_ids, held.tolist()) if h),
                        np.maximum.reduceat(sims, starts).tolist()))

    def _sentence_scores_reconstructed(self, vector: np.ndarray, passage_ids: list[str]) -> dict[str, float]:
        labels = [(self._label_of[pid] << SENTENCE_BITS) + position for pid in passage_ids
                  for position in range(self._sentences_of.get(self._label_of[pid], 0))]
        best: dict[int, float] = {}
        for label, v in self.sentence_vectors(labels).items():
            owner = label >> SENTENCE_BITS
            best[owner] = max(best.get(owner, -np.inf), float(v @ vector))
        return {pid: best[self._label_of[pid]] for pid in passage_ids if self._label_of[pid] in best}

    def bm25_top_k(self, tokens: list[str], k: int, where: Where) -> Ranked:
        bm25 = self.generation.bm25
        compiled = self._filters(where)
        if compiled.nothing or bm25 is None or not tokens or not len(self):
            return []
        scores = self._bm25_scores(tuple(tokens))
        if scores is None:
            return []
        if compiled.mask is not None:
            scores = scores * compiled.mask
        k = min(k, int((scores > 0).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]  # best first, ties by row
        return [(self._passages[int(r)].id, float(scores[r])) for r in top]

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

    # -- look-ups -----------------------------------------------------------------------------
    def sentence_vectors(self, labels: list[int]) -> dict[int, np.ndarray]:
        index = self.generation.spaces.get("sentence")
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

    def passage(self, passage_id: str) -> Passage:
        return self._by_id[passage_id]

    def passages(self) -> list[Passage]:
        return list(self._passages)

    def documents(self) -> list[dict]:
        return self._documents  # built once; callers read it
