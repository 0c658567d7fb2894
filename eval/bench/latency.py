"""Query latency piece by piece, and ANN recall against exact search.

For each question, side by side in one process: the bare query encodings (``bare_encode``, the
yardstick), a whole search as the product runs it (``retrieval``), the same search taken apart
(``encode``: the query vectors, cold; each channel's own top-k and the re-scoring channel's scores
as ``Retriever.runs`` asks them; ``fusion``: the rest of the search — the channels' floors and scores
of the other candidates (``Retriever.fill``), ``fusion.minmax`` and the hits), and the answer
(``compose_answer``'s time inside ``ask``). Query caches are cleared before each cold timing.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

import numpy as np

from eval.bench.stats import p50_p95
from eval.scale import timed

ANN_K = 10


class TimedChannel:
    """A channel whose ``top_k`` (and, while ``Retriever.runs`` runs, ``scores``) time themselves."""

    def __init__(self, channel, name: str, sink: dict[str, float]):
        self.channel, self.name, self.sink = channel, name, sink
        self.in_runs = True

    def top_k(self, *args, **kw):
        return self._timed(self.channel.top_k, *args, **kw)

    def scores(self, *args, **kw):
        return self._timed(self.channel.scores, *args, **kw) if self.in_runs else self.channel.scores(*args, **kw)

    def floor(self, *args, **kw):
        return self.channel.floor(*args, **kw)

    def _timed(self, fn, *args, **kw):
        t0 = time.perf_counter()
        out = fn(*args, **kw)
        self.sink[self.name] = self.sink.get(self.name, 0.0) + (time.perf_counter() - t0) * 1000
        return out


@contextmanager
def timed_channels(retriever, sink: dict[str, float]):
    """Channels of ``retriever`` timed into ``sink`` (ms by channel) during ``runs`` only."""
    original, fill = retriever.channels, retriever.fill
    wrapped = {name: TimedChannel(c, name, sink) for name, c in original.items()}

    def fill_untimed(*args, **kw):
        for w in wrapped.values():
            w.in_runs = False
        return fill(*args, **kw)

    retriever.channels, retriever.fill = wrapped, fill_untimed
    try:
        yield
    finally:
        retriever.channels = original
        del retriever.fill  # the class's method again


def encode_query(kb, query) -> None:
    """The query vectors a hybrid search needs, into the encoders' caches (timed cold by the caller)."""
    r = kb.retriever
    r.english_vector(query)
    if "ml" in r.encoders:
        r.encoders["ml"].query(query.text)


def question_times(kb, question: str) -> dict[str, float]:
    """One question's pieces, in ms (see the module docstring)."""
    out: dict[str, float] = {}
    kb.clear_query_cache()
    out["bare_encode"] = timed(lambda: kb.bare_encode(question))
    kb.clear_query_cache()
    out["retrieval"] = timed(lambda: kb.search(question))
    kb.clear_query_cache()
    query = kb.analyse(question)
    out["encode"] = timed(lambda: encode_query(kb, query))
    channels: dict[str, float] = {}
    with timed_channels(kb.retriever, channels):
        search_ms = timed(lambda: kb.search(query))
    out.update({f"channel_{name}": ms for name, ms in channels.items()})
    out["fusion"] = max(search_ms - sum(channels.values()), 0.0)
    out["answer"] = float(kb.ask(question, use_llm=False).timings_ms.get("compose", 0.0))
    return out


def latency(kb, questions: list[str]) -> dict:
    """p50/p95 of every piece over ``questions``, and the retrieval / bare-encode ratios (``kb``
    warmed up, as a server is before its first question: ``KnowledgeBase.warm_up``)."""
    rows = [question_times(kb, q) for q in questions]
    names = dict.fromkeys(name for row in rows for name in row)
    pieces = {name: p50_p95([row.get(name, 0.0) for row in rows]) for name in names}
    ratios = [row["retrieval"] / row["bare_encode"] for row in rows if row["bare_encode"] > 0]
    return {"ms": pieces,
            "retrieval_over_bare_p50": round(pieces["retrieval"]["p50"] / pieces["bare_encode"]["p50"], 3),
            "retrieval_over_bare_median_per_question": round(float(np.median(ratios)), 3) if ratios else None}


def exact_top(index, queries: np.ndarray, k: int, chunk: int = 200_000) -> tuple[np.ndarray, np.ndarray]:
    """Scores and labels of the exact top ``k`` by inner product over the vectors ``index`` holds, read
    in chunks."""
    import faiss

    inner = faiss.downcast_index(index.index)
    labels = faiss.vector_to_array(index.id_map)
    best_s = np.full((len(queries), 0), -np.inf, dtype="float32")
    best_l = np.zeros((len(queries), 0), dtype="int64")
    for start in range(0, index.ntotal, chunk):
        n = min(chunk, index.ntotal - start)
        sims = queries @ inner.reconstruct_n(start, n).T
        s = np.concatenate([best_s, sims], axis=1)
        lab = np.concatenate([best_l, np.broadcast_to(labels[start:start + n], sims.shape)], axis=1)
        top = np.argsort(-s, axis=1)[:, :k]
        best_s, best_l = np.take_along_axis(s, top, 1), np.take_along_axis(lab, top, 1)
    return best_s, best_l


def tie_aware_recall(found_scores: np.ndarray, kth_exact: float, k: int, eps: float = 1e-5) -> float:
    """Share of the ``k`` exact best that an ANN result list matches, counting any result scored at
    least the exact k-th best as one of them: a synthetic library repeats its corpus sentences, so
    many vectors tie and which of the tied labels come back is arbitrary (pure)."""
    return min(int(np.sum(found_scores[:k] >= kth_exact - eps)), k) / k


def ann_recall(index, queries: np.ndarray, ef_search: int, nprobe: int, k: int = ANN_K, candidates: int = 50,
               tuned: int = 0) -> dict:
    """recall@k of the ANN index against exact search over the same vectors (tie-aware, and by label),
    and its search time (one query at a time, ``candidates`` deep as the channels ask) in ms, at the
    breadth a search uses (the build's ``tuned`` one, at most the settings')."""
    from indexer.ann import search_parameters

    params = search_parameters(index, None, ef_search, nprobe, tuned=tuned)
    times, found = [], []
    for q in queries:
        t0 = time.perf_counter()
        _, labels = index.search(q.reshape(1, -1), candidates, params=params)
        times.append((time.perf_counter() - t0) * 1000)
        found.append(labels[0][:k][labels[0][:k] >= 0])
    exact_s, exact_l = exact_top(index, queries, k)
    recall = [tie_aware_recall(index.reconstruct_batch(f) @ q if len(f) else np.zeros(0), float(e[-1]), k)
              for f, q, e in zip(found, queries, exact_s)]
    by_label = [len(set(f.tolist()) & set(e.tolist())) / k for f, e in zip(found, exact_l)]
    return {"recall_at_10": round(float(np.mean(recall)), 4), "recall_min": round(float(np.min(recall)), 4),
            "recall_at_10_by_label": round(float(np.mean(by_label)), 4),
            "search_ms": p50_p95(times), "vectors": int(index.ntotal)}
