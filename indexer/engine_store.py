"""A store whose vectors live in Milvus or Qdrant, searched through llama-index's integrations.

Passages, BM25, the metadata index and floors come from the generation's files (``GenerationStore``);
the vectors from the collections the build published (named in the manifest). A ``Where`` is pushed
down to the engine as ``MetadataFilters`` (``indexer.engines``); the metadata index only answers
"nothing is admitted" without asking. Candidate scores are engine searches restricted to the
candidates' passage ids, and stored sentence vectors are fetched by id.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from indexer.engines import MAX_TOP_K, EngineError, engine_of, first_line, label_of, node_id
from indexer.generation_store import GenerationStore
from indexer.ids import owners
from indexer.store import Generation
from indexer.where import Where
from kb.settings import Settings

_NONE = (np.zeros(0, dtype="float32"), np.zeros(0, dtype="int64"))


class EngineStore(GenerationStore):
    def __init__(self, generation: Generation, settings: Settings):
        super().__init__(generation)
        published = generation.manifest.get("engine") or {}
        self.engine = engine_of(settings)
        held = set(self.engine.collections())
        self._sizes: dict[str, int] = {}
        self._spaces = {}
        for space, info in published.get("collections", {}).items():
            if not info["vectors"]:
                continue  # an empty space: nothing was published
            if info["name"] not in held:
                raise RuntimeError(f"collection {info['name']} is not on the {self.engine.name} engine at "
                                   f"{self.engine.uri} (KB_STORE_URI); run `kb index --rebuild`")
            self._spaces[space] = self.engine.vector_store(info["name"])
            self._sizes[space] = int(info["vectors"])
        self._filters = lru_cache(maxsize=64)(self.engine.filters)

    def has_space(self, space: str) -> bool:
        return space in self._spaces

    def _query(self, space: str, vector: np.ndarray, k: int, filters) -> tuple[np.ndarray, np.ndarray]:
        """Scores and labels of the engine's ``k`` best in ``space`` under ``filters``."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        k = min(k, self._sizes.get(space, 0), MAX_TOP_K)
        if k <= 0:
            return _NONE
        query = VectorStoreQuery(query_embedding=np.asarray(vector, dtype="float32").tolist(),
                                 similarity_top_k=k, filters=filters)
        try:
            found = self._spaces[space].query(query, **self.engine.search_kwargs(self._sizes[space]))
        except Exception as exc:  # noqa: BLE001 - the engine went away or refused: one line, what to do
            raise EngineError(f"the {self.engine.name} engine at {self.engine.uri} did not answer: {first_line(exc)}; "
                              "start the engine or fix KB_STORE_URI") from exc
        return (np.asarray(found.similarities, dtype="float32"),
                np.fromiter((label_of(i) for i in found.ids), dtype="int64", count=len(found.ids)))

    def _search(self, space: str, vector: np.ndarray, k: int, where: Where) -> tuple[np.ndarray, np.ndarray]:
        if self.metadata.admitted(where).nothing:
            return _NONE
        return self._query(space, vector, k, self._filters(where))

    def vector_scores(self, space: str, vector: np.ndarray, passage_ids: list[str]) -> dict[str, float]:
        """Scores of given passages in ``space``: a search among just those passages."""
        if space not in self._spaces or not passage_ids:
            return {}
        scores, labels = self._query(space, vector, len(passage_ids), self.engine.filters(Where(), passage_ids))
        return {self._id_of[int(label)]: float(s) for label, s in zip(labels, scores)}

    def sentence_scores(self, vector: np.ndarray, passage_ids: list[str], space: str = "sentence") -> dict[str, float]:
        """Best-sentence scores of given passages: a search among just their sentences."""
        if space not in self._spaces or not passage_ids:
            return {}
        k = sum(self._sentences_of.get(self._label_of[pid], 0) for pid in passage_ids) + len(passage_ids)
        scores, labels = self._query(space, vector, k, self.engine.filters(Where(), passage_ids))
        best: dict[int, float] = {}
        for owner, s in zip(owners(labels).tolist(), scores.tolist()):
            best.setdefault(owner, s)  # hits come best first
        return {self._id_of[label]: s for label, s in best.items()}

    def sentence_vectors(self, labels: list[int], space: str = "sentence") -> dict[int, np.ndarray]:
        """Stored sentence vectors, fetched from the engine by id."""
        if space not in self._spaces or not labels:
            return {}
        nodes = self._spaces[space].get_nodes(node_ids=[node_id(label) for label in labels])
        return {label_of(n.node_id): np.asarray(n.embedding, dtype="float32") for n in nodes if n.embedding}
