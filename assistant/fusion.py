"""Fusion of channel results over their candidates (the union of each channel's top-k), never the corpus.

Pure functions over ``{channel: [(passage_id, score), ...]}``, as ranx fuses run dicts and
llama-index's ``QueryFusionRetriever`` fuses each retriever's top-k.
"""

from __future__ import annotations

from operator import itemgetter

Ranked = list[tuple[str, float]]


def minmax(runs: dict[str, Ranked], weights: dict[str, float] | None = None,
           floors: dict[str, float | None] | None = None, extra: dict[str, dict[str, float]] | None = None) -> Ranked:
    """Min-max score fusion over the candidates: each channel's scores scaled to 0-1 between its floor
    (the lowest score an admitted passage can have, when the channel knows it; else its lowest
    candidate) and its best candidate, weighted and summed. ``extra`` holds a channel's scores of
    candidates other channels found (a candidate it has no score for gets nothing from it). A channel
    whose scores are all equal adds nothing. Best first; ties by id, so the order is deterministic.

    Unlike RRF it keeps how far apart scores are (a clear BM25 winner stays clear)."""
    fused: dict[str, float] = {pid: 0.0 for ranked in runs.values() for pid, _ in ranked}
    for name, ranked in runs.items():
        scores = {**(extra or {}).get(name, {}), **dict(ranked)}
        if not scores:
            continue
        floor = (floors or {}).get(name)
        lo, hi = (min(scores.values()) if floor is None else floor), max(scores.values())
        if hi <= lo:
            continue
        w = (weights or {}).get(name, 1.0)
        for pid, s in scores.items():
            if pid in fused:
                fused[pid] += w * (s - lo) / (hi - lo)
    return best_first(fused)


def best_first(scores: dict[str, float]) -> Ranked:
    """Highest score first, ties by id (two stable sorts: no key tuple per item)."""
    return sorted(sorted(scores.items()), key=itemgetter(1), reverse=True)


def rrf(runs: dict[str, Ranked], k: int = 60, weights: dict[str, float] | None = None) -> Ranked:
    """Reciprocal rank fusion: score = sum of w / (k + rank), rank from 1 in each channel's list."""
    fused: dict[str, float] = {}
    for name, ranked in runs.items():
        w = (weights or {}).get(name, 1.0)
        for rank, (pid, _) in enumerate(ranked, start=1):
            fused[pid] = fused.get(pid, 0.0) + w / (k + rank)
    return best_first(fused)


def ranks(runs: dict[str, Ranked], only: set[str] | None = None) -> dict[str, dict[str, int]]:
    """Per passage (of ``only``, when given), its rank (from 1) in each channel that returned it."""
    out: dict[str, dict[str, int]] = {}
    for name, ranked in runs.items():
        for rank, (pid, _) in enumerate(ranked, start=1):
            if only is None or pid in only:
                out.setdefault(pid, {})[name] = rank
    return out
