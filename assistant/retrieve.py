"""Hybrid retrieval: BM25, passage and sentence vectors, the cross-lingual encoder; filtered, fused.

Channels: ``bm25`` (the question plus thesaurus terms; glossary English for Spanish), ``dense``
(MiniLM, passage), ``sentence`` (MiniLM, the passage's best sentence: a question often matches one
sentence that the passage vector dilutes), ``ml`` (multilingual-e5, the question as typed). The
default fusion scales each channel's scores to 0-1 over the admitted passages and sums them
(``minmax``); reciprocal rank fusion (``rrf``) is kept for comparison. Pure ranking functions are
apart from the index-bound ``Retriever`` so they can be tested and compared by the eval harness.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from assistant.coverage import asks_for_recommendation
from indexer.countries import canonical_country
from indexer.passage import Passage
from indexer.store import LoadedIndex, tokenize_for_bm25

CONFIGS = ("bm25", "dense", "hybrid", "hybrid-lite", "hybrid-rrf", "hybrid-plain", "hybrid-rerank")
"""bm25, dense: one retriever. hybrid (default): all four channels for every question, fused as
settings say (minmax). hybrid-lite: the cross-lingual channel for Spanish questions only.
hybrid-rrf: the first release's default (BM25 without thesaurus, MiniLM passages, cross-lingual;
RRF). hybrid-plain: BM25 + MiniLM on the question as typed, RRF (the naive baseline).
hybrid-rerank: hybrid, then the configured cross-encoder reorders the best fused candidates."""


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval. Empty fields mean no restriction; matching is case-insensitive."""

    doc: tuple[str, ...] = ()
    chapter: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    box: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # only these kinds, when given
    exclude_kinds: tuple[str, ...] = ()

    def admits(self, p: Passage) -> bool:
        low = str.lower
        if self.doc and not any(low(d) in (low(p.doc_id), low(p.title)) or low(d) in low(p.title)
                                or low(d) in low(p.source_path) for d in self.doc):
            return False
        if self.chapter and low(str(p.chapter)) not in {low(c) for c in self.chapter}:
            return False
        if self.country and not any(low(canonical_country(c)) == low(pc) for c in self.country for pc in p.countries):
            return False
        if self.box and low(p.box_id) not in {low(b).removeprefix("box ").strip() for b in self.box}:
            return False
        if self.kinds and p.kind not in self.kinds:
            return False
        return p.kind not in self.exclude_kinds or p.kind in self.kinds


@dataclass
class Hit:
    index: int
    score: float
    ranks: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)


def rrf(rankings: dict[str, list[int]], k: int = 60, weights: dict[str, float] | None = None) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of ranked id lists: score = sum of w / (k + rank), rank from 1."""
    fused: dict[int, float] = {}
    for name, ranked in rankings.items():
        w = (weights or {}).get(name, 1.0)
        for rank, idx in enumerate(ranked, start=1):
            fused[idx] = fused.get(idx, 0.0) + w / (k + rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def minmax(channels: dict[str, np.ndarray], mask: np.ndarray | None = None,
           weights: dict[str, float] | None = None, top: int | None = None) -> list[tuple[int, float]]:
    """Score fusion: each channel scaled to 0-1 over the admitted passages, weighted, summed;
    the best ``top`` (all when None), best first.

    Unlike RRF it keeps how far apart scores are (a clear BM25 winner stays clear). A channel
    whose scores are all equal (BM25 with no matching term) adds nothing.
    """
    n = len(next(iter(channels.values()))) if channels else 0
    admitted = np.ones(n, dtype=bool) if mask is None else mask
    if not admitted.any():
        return []
    total = np.zeros(n, dtype="float64")
    for name, scores in channels.items():
        s = np.asarray(scores, dtype="float64")
        lo, hi = float(s[admitted].min()), float(s[admitted].max())
        if hi > lo:
            total += (weights or {}).get(name, 1.0) * (s - lo) / (hi - lo)
    total[~admitted] = -np.inf  # top_indices keeps finite scores only
    return [(i, float(total[i])) for i in top_indices(total, top if top is not None else n)]


def best_sentence(sentence_sims: np.ndarray, owners: np.ndarray, n: int) -> np.ndarray:
    """Per passage, the best similarity among its sentences (-1 for a passage without any)."""
    out = np.full(n, -1.0, dtype="float32")
    if len(owners):
        np.maximum.at(out, owners, np.asarray(sentence_sims, dtype="float32"))
    return out


def top_indices(scores: np.ndarray, n: int, mask: np.ndarray | None = None) -> list[int]:
    """Indices of the ``n`` best positive scores (ties broken by position), within ``mask``."""
    s = scores.copy()
    if mask is not None:
        s[~mask] = -np.inf
    n = min(n, int(np.isfinite(s).sum()))
    if n <= 0:
        return []
    part = np.argpartition(-s, n - 1)[:n]
    return [int(i) for i in sorted(part, key=lambda i: (-s[i], i)) if np.isfinite(s[i])]


def all_scores(index, query_vec: np.ndarray) -> np.ndarray:
    """Inner product of one query vector with every vector of a flat FAISS index, in index order."""
    n = index.ntotal
    if n == 0:
        return np.zeros(0, dtype="float32")
    sims, ids = index.search(np.asarray(query_vec, dtype="float32")[None, :], n)
    out = np.full(n, -1.0, dtype="float32")
    out[ids[0][ids[0] >= 0]] = sims[0][ids[0] >= 0]
    return out


class Retriever:
    """Searches one loaded index with the model that built it."""

    def __init__(self, index: LoadedIndex, model, language: str = "english", rrf_k: int = 60,
                 candidates: int = 50, query_threads: int = 1, ml_model=None, glossary: dict | None = None,
                 weights: dict[str, float] | None = None, reranker=None, rerank_candidates: int = 20,
                 thesaurus: dict | None = None, fusion: str = "minmax", recommendation_weight: float = 0.5):
        self.index, self.model, self.language = index, model, language
        self.rrf_k, self.candidates, self.query_threads = rrf_k, candidates, query_threads
        self.ml_model = ml_model if index.dense_ml is not None else None
        self.glossary = glossary or {}
        self.thesaurus = thesaurus or {}
        if fusion not in ("minmax", "rrf"):
            raise ValueError(f"unknown fusion {fusion!r}; choose minmax or rrf")
        self.fusion = fusion
        self.weights = {"recommendation": recommendation_weight, **(weights or {})}
        self.reranker, self.rerank_candidates = reranker, rerank_candidates
        self._query_cache: dict[str, np.ndarray] = {}
        self._masks: dict[Filters, np.ndarray] = {}
        self._proposals = np.array([p.kind == "recommendation" for p in index.passages], dtype="float32")

    def mask(self, filters: Filters | None) -> np.ndarray | None:
        """Admitted passages as a boolean array; the same filters (the default ones on every
        question) are worked out once per index."""
        if filters is None or filters == Filters():
            return None
        if filters not in self._masks:
            if len(self._masks) > 64:
                self._masks.clear()
            self._masks[filters] = np.array([filters.admits(p) for p in self.index.passages], dtype=bool)
        return self._masks[filters]

    def bm25_scores(self, question: str) -> np.ndarray:
        if self.index.bm25 is None:
            return np.zeros(len(self.index.passages), dtype="float32")
        tokens = tokenize_for_bm25([question], self.language, ids=False)[0]
        if not tokens:
            return np.zeros(len(self.index.passages), dtype="float32")
        return np.asarray(self.index.bm25.get_scores(tokens), dtype="float32")

    def clear_query_cache(self) -> None:
        """Forget remembered query vectors (the eval harness times cold encodes)."""
        self._query_cache.clear()

    def encode_query(self, question: str) -> np.ndarray:
        """The question's MiniLM vector; the last few are kept, since answering reuses it."""
        from indexer.embed import encode

        if question not in self._query_cache:
            if len(self._query_cache) > 64:
                self._query_cache.clear()
            self._query_cache[question] = encode(self.model, [question], threads=self.query_threads)[0]
        return self._query_cache[question]

    def dense_scores(self, question: str) -> np.ndarray:
        """Cosine similarity of the question to every passage, from the FAISS index."""
        return all_scores(self.index.dense, self.encode_query(question))

    def sentence_scores(self, question: str) -> np.ndarray:
        """Per passage, the cosine of its best sentence to the question (index-time sentence vectors)."""
        sent = self.index.sentences
        return best_sentence(sent.vectors @ self.encode_query(question), sent.owners(), len(self.index.passages))

    def ml_scores(self, question: str) -> np.ndarray:
        """Cross-lingual cosine similarity of the question (any language) to every passage."""
        from indexer.multilingual import encode_query

        return all_scores(self.index.dense_ml, encode_query(self.ml_model, question))

    def rerank(self, question: str, fused: list[tuple[int, float]]) -> tuple[list[tuple[int, float]], np.ndarray]:
        """Reorder the best fused candidates by cross-encoder score (the rest keep their order)."""
        if self.reranker is None:
            raise ValueError("hybrid-rerank needs a reranker: set KB_RERANKER_MODEL to a local CrossEncoder folder")
        from assistant.rerank import cross_scores, rerank_order

        head, tail = fused[:self.rerank_candidates], fused[self.rerank_candidates:]
        texts = [f"{self.index.passages[i].breadcrumb}\n{self.index.passages[i].text}" for i, _ in head]
        scores = cross_scores(self.reranker, question, texts)
        full = np.full(len(self.index.passages), np.nan, dtype="float32")
        for (i, _), s in zip(head, scores):
            full[i] = s
        return [(head[j][0], float(scores[j])) for j in rerank_order(scores)] + tail, full

    def english_query(self, question: str, lang: str) -> str:
        """The question for the English retrievers: as typed, or glossary-expanded when Spanish."""
        if lang != "es" or not self.glossary:
            return question
        from assistant.glossary import expand

        return expand(question, self.glossary) or question

    def bare_encode(self, question: str, config: str = "hybrid", lang: str = "en") -> None:
        """Encode the question with each model ``config`` uses, one after the other and nothing
        else: the yardstick the eval harness holds retrieval latency against."""
        from indexer.embed import encode
        from indexer.multilingual import encode_query

        if config != "bm25":
            encode(self.model, [question if config == "hybrid-plain" else self.english_query(question, lang)],
                   threads=self.query_threads)
        if self.uses_ml(config, lang):
            encode_query(self.ml_model, question)

    def uses_ml(self, config: str, lang: str) -> bool:
        """Whether ``config`` asks the cross-lingual encoder about a question in ``lang``."""
        return self.ml_model is not None and (config in ("hybrid", "hybrid-rerank", "hybrid-rrf")
                                              or (config == "hybrid-lite" and lang == "es"))

    def bm25_query(self, english: str) -> str:
        """The BM25 query: the English question plus the review terms the thesaurus gives for it."""
        if not self.thesaurus:
            return english
        from assistant.thesaurus import expand

        return expand(english, self.thesaurus)

    def search(self, question: str, k: int = 5, filters: Filters | None = None, config: str = "hybrid",
               lang: str = "en") -> list[Hit]:
        if config not in CONFIGS:
            raise ValueError(f"unknown retrieval configuration {config!r}; choose from {', '.join(CONFIGS)}")
        use_ml = self.uses_ml(config, lang)
        mask = self.mask(filters)
        rankings: dict[str, list[int]] = {}
        raw: dict[str, np.ndarray] = {}
        baseline = config in ("hybrid-plain", "hybrid-rrf")
        english = question if config == "hybrid-plain" else self.english_query(question, lang)
        if config != "dense":
            raw["bm25"] = self.bm25_scores(english if baseline else self.bm25_query(english))
            bm_mask = raw["bm25"] > 0 if mask is None else mask & (raw["bm25"] > 0)
            rankings["bm25"] = top_indices(raw["bm25"], self.candidates, bm_mask)
        if config != "bm25":
            raw["dense"] = self.dense_scores(english)
            rankings["dense"] = top_indices(raw["dense"], self.candidates, mask)
        if config.startswith("hybrid") and not baseline and self.index.sentences is not None:
            raw["sentence"] = self.sentence_scores(english)
            rankings["sentence"] = top_indices(raw["sentence"], self.candidates, mask)
        if use_ml:
            raw["ml"] = self.ml_scores(question)
            rankings["ml"] = top_indices(raw["ml"], self.candidates, mask)
        if config.startswith("hybrid") and not baseline and self.weights["recommendation"] \
                and asks_for_recommendation(question):
            raw["recommendation"] = self._proposals
        if config.startswith("hybrid"):
            if baseline or self.fusion == "rrf":
                fused = rrf(rankings, self.rrf_k, self.weights)
            else:
                fused = minmax(raw, mask, self.weights, top=max(k, self.candidates, self.rerank_candidates))
            if config == "hybrid-rerank":
                fused, raw["rerank"] = self.rerank(english, fused)
        else:
            name = config
            fused = [(i, float(raw[name][i])) for i in rankings[name]]
        hits = []
        for idx, score in fused[:k]:
            ranks = {name: r.index(idx) + 1 for name, r in rankings.items() if idx in r}
            hits.append(Hit(idx, float(score), ranks,
                            {name: float(s[idx]) for name, s in raw.items() if not np.isnan(s[idx])}))
        return hits
