"""The small interface every store answers (``indexer.stores`` opens the one the settings name).

Retrieval channels and the answer layer see only this: top-k searches that return stable passage ids
with scores under a ``Where`` the store applies itself, and look-ups by id or label. FAISS (embedded,
``indexer.faiss_store``) is the default; Milvus and Qdrant, through their llama-index integrations
(``indexer.engine_store``), answer the same calls, named by ``KB_STORE``. Both share the non-vector
half (``indexer.generation_store``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np

    from indexer.passage import Passage
    from indexer.store import Generation
    from indexer.where import Where

Ranked = list[tuple[str, float]]
"""(passage id, score), best first."""


class Store(Protocol):
    manifest: dict
    generation: Generation  # the loaded generation it serves (its folder names it)

    def __len__(self) -> int: ...

    def has_space(self, space: str) -> bool:
        """Whether vectors of ``space`` ("dense", "sentence", "ml", "ml_sentence") were stored."""

    def vector_top_k(self, space: str, vector: np.ndarray, k: int, where: Where) -> Ranked:
        """The ``k`` passages of ``space`` nearest ``vector`` (inner product) among those ``where`` admits."""

    def sentence_top_k(self, vector: np.ndarray, k: int, where: Where, space: str = "sentence") -> Ranked:
        """Up to ``k`` passages scored by their best sentence, from a top-k over a sentence space's
        vectors ("sentence": English model; "ml_sentence": cross-lingual)."""

    def bm25_top_k(self, tokens: list[str], k: int, where: Where) -> Ranked:
        """The ``k`` best BM25 matches (score > 0) for the stemmed query tokens."""

    def bm25_scores(self, tokens: list[str], passage_ids: list[str]) -> dict[str, float]:
        """BM25 scores of the given passages (fusion candidates the BM25 top-k left out)."""

    def vector_floor(self, space: str, vector: np.ndarray, where: Where) -> float | None:
        """The lowest score an admitted passage (in the sentence space: sentence) has (min-max fusion's floor)."""

    def vector_scores(self, space: str, vector: np.ndarray, passage_ids: list[str]) -> dict[str, float]:
        """Scores in ``space`` of the given passages (filling in fusion candidates a channel missed)."""

    def sentence_scores(self, vector: np.ndarray, passage_ids: list[str], space: str = "sentence") -> dict[str, float]:
        """Best-sentence scores of the given passages in a sentence space."""

    def sentence_vectors(self, labels: list[int], space: str = "sentence") -> dict[int, np.ndarray]:
        """Stored sentence vectors by sentence label (missing labels are left out)."""

    def passage(self, passage_id: str) -> Passage: ...

    def passages(self) -> list[Passage]:
        """Every passage (listing documents and filter choices; not on the question path)."""

    def documents(self) -> list[dict]:
        """One ``{"doc_id", "title", "source_path"}`` per document (resolving title-word filters)."""

    def page_in(self) -> int:
        """Read the files its searches memory-map into the operating system's page cache, so that no
        question waits for a disk read on a page's first touch (a server does this as it starts; the
        process's own memory does not grow); the bytes read."""
