"""The retriever: runs a configuration's channels on an analysed question and fuses their candidates.

Every channel returns its own top-k ``(passage_id, score)`` under the store-side filter; fusion
(min-max relative scores, or reciprocal ranks) works on the union of those candidates only. A hit
is a ``PassageResult``: the passage, its fused score, and each channel's rank and raw score for it.
"""

from __future__ import annotations

from assistant import fusion
from assistant.channels import (Bm25Channel, RecommendationChannel, SentenceChannel, VectorChannel,
                               forget_tokens)
from assistant.configs import RetrievalConfig, encoders_used, rescoring_channels
from assistant.query import Query
from assistant.results import PassageResult
from indexer.sources import search_text
from indexer.vectorstore import Ranked, Store
from indexer.where import Where
from kb.settings import RetrievalSettings, Settings


class Retriever:
    """Searches one store with the encoders that built it."""

    def __init__(self, store: Store, channels: dict, settings: RetrievalSettings, encoders: dict | None = None,
                 reranker=None):
        self.store, self.channels, self.settings = store, channels, settings
        self.encoders = encoders or {}  # name -> QueryCache, for bare encodes and clearing
        self.reranker = reranker
        self.weights = {"recommendation": settings.recommendation_weight, **settings.fusion_weights}
        self.lang_weights = settings.fusion_weights_by_lang
        if settings.fusion not in ("minmax", "rrf"):
            raise ValueError(f"unknown fusion {settings.fusion!r}; choose minmax or rrf (KB_FUSION)")

    @classmethod
    def from_settings(cls, settings: Settings, store: Store) -> "Retriever":
        """The channels the store has vectors for, with the encoders the settings name."""
        from indexer.encoders import QueryCache, cross_lingual_encoder, english_encoder

        english = QueryCache(english_encoder(settings.resolved_model(), settings.build.embed_batch_size))
        encoders = {"english": english}
        channels = {"bm25": Bm25Channel(store, settings.index.bm25_language),
                    "dense": VectorChannel(store, "dense", english),
                    "sentence": SentenceChannel(store, english),
                    "recommendation": RecommendationChannel(store, english)}
        if settings.index.multilingual_model and store.has_space("ml"):
            encoders["ml"] = QueryCache(cross_lingual_encoder(settings.index.multilingual_model))
            channels["ml"] = VectorChannel(store, "ml", encoders["ml"])
            if store.has_space("ml_sentence"):
                channels["ml_sentence"] = SentenceChannel(store, encoders["ml"], "ml_sentence")
        reranker = None
        if settings.retrieval.reranker_model:
            from assistant.rerank import load_reranker

            reranker = load_reranker(settings.retrieval.reranker_model)
        return cls(store, channels, settings.retrieval, encoders, reranker)

    def weights_for(self, lang: str) -> dict[str, float]:
        """Channel weights for a question in ``lang``: the weights, with that language's own over them."""
        return {**self.weights, **self.lang_weights.get(lang, {})}

    def clear_query_cache(self) -> None:
        """Forget remembered query vectors and BM25 tokens (the eval harness times cold searches)."""
        for enc in self.encoders.values():
            enc.clear()
        forget_tokens()

    def english_vector(self, query: Query):
        """The English encoder's vector of the question's English rendering (answers reuse it)."""
        return self.encoders["english"].query(query.english)

    def cross_lingual_vector(self, query: Query):
        """The cross-lingual encoder's vector of the question as typed (answers to questions in another
        language reuse it to choose sentences), or None without that encoder."""
        return self.encoders["ml"].query(query.text) if "ml" in self.encoders else None

    def runs(self, query: Query, config: RetrievalConfig, where: Where) -> dict[str, Ranked]:
        """Each channel's top-k candidates, then the re-scoring channels' scores of all of them, best
        first (channels without vectors in the store are skipped)."""
        k = max(self.settings.candidates, self.settings.rerank_candidates)
        used = [u for u in config.uses if u.channel in encoders_used(config, query.lang) and u.channel in self.channels
                and (u.channel != "recommendation" or self.weights["recommendation"])]
        rescoring = rescoring_channels(config, query.lang)
        runs = {u.channel: self.channels[u.channel].top_k(query, k, where, u.reads) for u in used
                if u.channel not in rescoring}
        union = list(dict.fromkeys(pid for ranked in runs.values() for pid, _ in ranked))
        for u in (u for u in used if u.channel in rescoring):
            runs[u.channel] = fusion.best_first(self.channels[u.channel].scores(query, union, u.reads))
        return runs

    def bare_encode(self, query: Query, config: RetrievalConfig) -> None:
        """Encode the question with each model ``config`` uses, one after the other and nothing else:
        the yardstick the eval harness holds retrieval latency against."""
        used = encoders_used(config, query.lang)
        if used & {"dense", "sentence", "recommendation"}:
            english = next(config.reads[c] for c in ("dense", "sentence", "recommendation") if c in used)
            self.encoders["english"].encoder.query(getattr(query, english))
        if used & {"ml", "ml_sentence"} and "ml" in self.encoders:
            self.encoders["ml"].encoder.query(getattr(query, config.reads["ml"]))

    def search(self, query: Query, k: int, where: Where, config: RetrievalConfig) -> list[PassageResult]:
        runs = self.runs(query, config, where)
        floors, extra = {}, {}
        if config.fusion == "none":
            fused = next(iter(runs.values()), [])
        elif config.fusion == "rrf" or self.settings.fusion == "rrf":
            fused = fusion.rrf({n: r for n, r in runs.items() if n != "recommendation"}, self.settings.rrf_k,
                               self.weights_for(query.lang))
        else:
            floors, extra = self.fill(query, config, runs, where)
            fused = fusion.minmax(runs, self.weights_for(query.lang), floors, extra)
        rerank_scores = {}
        if config.rerank:
            fused, rerank_scores = self.rerank(query, fused)
        top = fused[:k]
        returned = {pid for pid, _ in top}
        known = {name: {pid: s for pid, s in (*extra.get(name, {}).items(), *ranked) if pid in returned}
                 for name, ranked in runs.items()}
        for name in known:  # every channel's raw score of the passages returned, as far as it can tell
            missing = [pid for pid, _ in top if pid not in known[name]]
            if missing and name not in extra:
                known[name].update(self.channels[name].scores(query, missing, config.reads[name]))
        ranks = fusion.ranks(runs, returned)
        hits = []
        for pid, score in top:
            scores = {name: s[pid] for name, s in known.items() if pid in s}
            if pid in rerank_scores:
                scores["rerank"] = rerank_scores[pid]
            hits.append(PassageResult(self.store.passage(pid), float(score), ranks.get(pid, {}), scores))
        return hits

    def fill(self, query: Query, config: RetrievalConfig, runs: dict[str, Ranked], where: Where
             ) -> tuple[dict[str, float | None], dict[str, dict[str, float]]]:
        """For min-max fusion: each channel's floor, and its scores of the candidates it did not
        return itself (both asked of the store for the candidates only)."""
        union = list(dict.fromkeys(pid for ranked in runs.values() for pid, _ in ranked))
        rescoring = rescoring_channels(config, query.lang)  # they scored the union already
        floors, extra = {}, {}
        for name, ranked in runs.items():
            channel, reads = self.channels[name], config.reads[name]
            floors[name] = channel.floor(query, where, reads)
            have = {pid for pid, _ in ranked}
            missing = [pid for pid in union if pid not in have] if name not in rescoring else []
            extra[name] = channel.scores(query, missing, reads) if missing else {}
        return floors, extra

    def rerank(self, query: Query, fused: Ranked) -> tuple[Ranked, dict[str, float]]:
        """Reorder the best fused candidates by cross-encoder score (the rest keep their order)."""
        if self.reranker is None:
            raise ValueError("hybrid-rerank needs a reranker: set KB_RERANKER_MODEL to a local CrossEncoder folder")
        from assistant.rerank import cross_scores, rerank_order

        head, tail = fused[:self.settings.rerank_candidates], fused[self.settings.rerank_candidates:]
        scores = cross_scores(self.reranker, query.english, [search_text(self.store.passage(pid)) for pid, _ in head])
        order = [(head[j][0], float(scores[j])) for j in rerank_order(scores)]
        return order + tail, {pid: float(s) for (pid, _), s in zip(head, scores)}
