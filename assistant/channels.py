"""Retrieval channels behind one contract: ``top_k(query, k, where) -> [(passage_id, score)]``.

Each channel asks its store for its own top-k under the store-side filter; nothing here touches
every passage. BM25 reads stemmed tokens, the vector channels a query vector of their encoder, the
sentence channel groups the best sentence hits by passage (or, as the hybrid configurations use it,
re-scores the other channels' candidates by their best stored sentence), and the proposal lift returns the
"Proposals for action" nearest the question (each with the same lift) when the question asks what
is recommended. A new channel is one more class with ``top_k``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

from assistant.query import Intent, Query
from indexer.store import question_tokens
from indexer.vectorstore import Ranked, Store
from indexer.where import Where


class Channel(Protocol):
    def top_k(self, query: Query, k: int, where: Where, reads: str = "english") -> Ranked:
        """The channel's own best ``k`` passages under ``where``, best first."""

    def floor(self, query: Query, where: Where, reads: str = "english") -> float | None:
        """The lowest score an admitted passage can have (min-max fusion scales from it); None: the
        lowest of the candidates."""

    def scores(self, query: Query, passage_ids: list[str], reads: str = "english") -> dict[str, float]:
        """Scores of fusion candidates this channel did not return ({} when it cannot tell)."""


def text_of(query: Query, reads: str) -> str:
    """The form of the question a channel reads: "text", "english" or "expanded"."""
    return getattr(query, reads)


@lru_cache(maxsize=256)
def _tokens(text: str, language: str) -> tuple[str, ...]:
    """Stemmed BM25 tokens of a question (asked for its top-k, then for the other candidates' scores)."""
    return tuple(question_tokens(text, language))


def forget_tokens() -> None:
    """Drop the remembered question tokens (the eval harness times cold searches)."""
    _tokens.cache_clear()


class Bm25Channel:
    def __init__(self, store: Store, language: str = "english"):
        self.store, self.language = store, language

    def tokens(self, text: str) -> list[str]:
        return list(_tokens(text, self.language))

    def top_k(self, query: Query, k: int, where: Where, reads: str = "expanded") -> Ranked:
        return self.store.bm25_top_k(self.tokens(text_of(query, reads)), k, where)

    def floor(self, query: Query, where: Where, reads: str = "expanded") -> float | None:
        return 0.0  # a passage without any query term scores 0

    def scores(self, query: Query, passage_ids: list[str], reads: str = "expanded") -> dict[str, float]:
        return self.store.bm25_scores(self.tokens(text_of(query, reads)), passage_ids)


class VectorChannel:
    """Passages nearest the question in one vector space (English passages, cross-lingual)."""

    def __init__(self, store: Store, space: str, encoder):
        self.store, self.space, self.encoder = store, space, encoder

    def top_k(self, query: Query, k: int, where: Where, reads: str = "english") -> Ranked:
        return self.store.vector_top_k(self.space, self.encoder.query(text_of(query, reads)), k, where)

    def floor(self, query: Query, where: Where, reads: str = "english") -> float | None:
        return self.store.vector_floor(self.space, self.encoder.query(text_of(query, reads)), where)

    def scores(self, query: Query, passage_ids: list[str], reads: str = "english") -> dict[str, float]:
        return self.store.vector_scores(self.space, self.encoder.query(text_of(query, reads)), passage_ids)


class SentenceChannel:
    """Passages scored by their best sentence: a question often matches one sentence that the
    passage vector dilutes."""

    def __init__(self, store: Store, encoder, space: str = "sentence"):
        self.store, self.encoder, self.space = store, encoder, space

    def top_k(self, query: Query, k: int, where: Where, reads: str = "english") -> Ranked:
        return self.store.sentence_top_k(self.encoder.query(text_of(query, reads)), k, where, self.space)

    def floor(self, query: Query, where: Where, reads: str = "english") -> float | None:
        return self.store.vector_floor(self.space, self.encoder.query(text_of(query, reads)), where)

    def scores(self, query: Query, passage_ids: list[str], reads: str = "english") -> dict[str, float]:
        return self.store.sentence_scores(self.encoder.query(text_of(query, reads)), passage_ids, self.space)


class RecommendationChannel:
    """The lift of "Proposals for action" for questions asking what is recommended: the proposals
    nearest the question, each scored 1 (fusion weighs the lift)."""

    def __init__(self, store: Store, encoder):
        self.store, self.encoder = store, encoder

    def top_k(self, query: Query, k: int, where: Where, reads: str = "english") -> Ranked:
        if not query.asks(Intent.RECOMMENDATION):
            return []
        found = self.store.vector_top_k("dense", self.encoder.query(text_of(query, reads)), k,
                                        where.narrowed(kind=["recommendation"]))
        return [(pid, 1.0) for pid, _ in found]

    def floor(self, query: Query, where: Where, reads: str = "english") -> float | None:
        return 0.0  # passages that are not proposals get no lift

    def scores(self, query: Query, passage_ids: list[str], reads: str = "english") -> dict[str, float]:
        return {}
