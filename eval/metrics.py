"""Metric arithmetic: thin wrappers over ranx, plus the two things ranx does not cover.

ranx computes hit@k (``hit_rate@k``), MRR@10, nDCG@10 and recall@k over passage or document ids,
per query, so the same per-query values feed the overall mean, the by-kind/by-lang breakdown and
the paired significance tests. Runs are built from our ranked lists with score 1/rank, so ranx
sees exactly our order (no ties re-sorted by chance).

Not ranx: *quote recall* (gold set) is the share of a question's evidence quotes matched by at
least one passage in the top k. Its "relevant items" are quotes, not passages, and one passage can
match several quotes, which a ranx run over passage ids cannot express. Latency percentiles are
plain numpy.
"""

from __future__ import annotations

import warnings
from typing import Iterable

import numpy as np

RANX_NAMES = {"hit": "hit_rate"}
"""Our metric prefixes that ranx spells differently (``hit@5`` is ranx ``hit_rate@5``)."""


def ranx_name(metric: str) -> str:
    """ranx's name for one of our metric keys."""
    base, _, k = metric.partition("@")
    return f"{RANX_NAMES.get(base, base)}@{k}" if k else RANX_NAMES.get(base, base)


def to_qrels(relevant: dict[str, Iterable[str] | dict[str, int]]):
    """ranx Qrels: a list of ids means binary gains (1 each); a dict ``{id: gain}`` keeps its gains."""
    from ranx import Qrels

    return Qrels({qid: ({str(d): int(g) for d, g in ids.items()} if isinstance(ids, dict) else {str(d): 1 for d in ids})
                  for qid, ids in relevant.items()})


def to_run(ranked: dict[str, list[str]], name: str = "run"):
    """ranx Run preserving our order: the item at rank r scores 1/r."""
    from ranx import Run

    return Run({qid: {str(d): 1.0 / r for r, d in enumerate(ids, start=1)} for qid, ids in ranked.items()},
               name=name)


def per_query(relevant: dict[str, Iterable[str] | dict[str, int]], ranked: dict[str, list[str]],
              metrics: list[str]) -> dict[str, dict[str, float]]:
    """Per-query values ``{metric: {qid: value}}`` from ranx; queries are those of ``relevant``."""
    from ranx import evaluate

    if not relevant:
        return {m: {} for m in metrics}
    run = to_run({qid: ranked.get(qid, []) for qid in relevant})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba type-safety chatter from inside ranx
        evaluate(to_qrels(relevant), run, [ranx_name(m) for m in metrics])
    return {m: {qid: float(v) for qid, v in run.scores[ranx_name(m)].items()} for m in metrics}


def quote_recall(matches: list[frozenset[int]], n_quotes: int, k: int) -> float:
    """Share of the ``n_quotes`` quotes matched by the first ``k`` ranked passages.

    ``matches[i]`` holds the quote indices the passage at rank i+1 matches.
    """
    if n_quotes == 0:
        return 0.0
    found = frozenset().union(*matches[:k]) if matches[:k] else frozenset()
    return len(found) / n_quotes


def first_rank(ranked: list[str], relevant: Iterable[str]) -> int | None:
    """1-based rank of the first relevant item, None when none was retrieved."""
    rel = set(relevant)
    return next((r for r, d in enumerate(ranked, start=1) if d in rel), None)


def mean_of(values: dict[str, float], ids: Iterable[str], digits: int = 6) -> float | None:
    """Rounded mean over ``ids``; None when there are none (JSON has no NaN)."""
    ids = list(ids)
    return round(float(np.mean([values[i] for i in ids])), digits) if ids else None


def summarise(per_q: dict[str, dict[str, float]], ids: Iterable[str]) -> dict:
    """``{"n": …, metric: mean, …}`` over the query ids ``ids``."""
    ids = list(ids)
    return {"n": len(ids), **{m: mean_of(v, ids) for m, v in per_q.items()}}


def by_group(per_q: dict[str, dict[str, float]], groups: dict[str, str]) -> dict[str, dict]:
    """``summarise`` for each group (kind, lang, ...) of the queries in ``groups``, sorted by name."""
    members: dict[str, list[str]] = {}
    for qid, g in groups.items():
        members.setdefault(g, []).append(qid)
    return {g: summarise(per_q, ids) for g, ids in sorted(members.items())}


def latency(ms: list[float]) -> dict:
    """Median and 95th percentile of per-query times, in ms (None when there were no queries)."""
    if not ms:
        return {"p50": None, "p95": None}
    p50, p95 = np.percentile(np.asarray(ms, dtype=float), [50, 95])
    return {"p50": round(float(p50), 2), "p95": round(float(p95), 2)}


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b rounded for reports; None when either is missing or b is zero."""
    return round(a / b, 3) if a is not None and b else None


def share(flags: list[bool]) -> float | None:
    """Share of True, None for an empty list (the metric does not apply)."""
    return round(sum(flags) / len(flags), 4) if flags else None


def significance(relevant: dict[str, Iterable[str] | dict[str, int]], runs: dict[str, dict[str, list[str]]],
                 metrics: list[str], max_p: float = 0.05, stat_test: str = "student") -> dict:
    """Paired significance tests between configurations, from ranx ``compare``.

    Returns the test name, each configuration's mean scores and the p-value of every pair per
    metric (``p_values[metric][a][b]``), all keyed by our metric names.
    """
    from ranx import compare

    if len(runs) < 2 or not relevant:
        return {}
    qrels = to_qrels(relevant)
    ranx_runs = [to_run({qid: r.get(qid, []) for qid in relevant}, name) for name, r in runs.items()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = compare(qrels, ranx_runs, [ranx_name(m) for m in metrics], stat_test=stat_test, max_p=max_p)
    d = report.to_dict()
    names = list(runs)
    return {
        "test": stat_test,
        "max_p": max_p,
        "n": len(relevant),
        "scores": {n: {m: round(float(d[n]["scores"][ranx_name(m)]), 4) for m in metrics} for n in names},
        "p_values": {m: {a: {b: round(float(d[a]["comparisons"][b][ranx_name(m)]), 4) for b in names if b != a}
                         for a in names} for m in metrics},
        "table": str(report),
    }
