"""The ranx wrappers on a tiny example whose answers are worked out by hand."""

import math

import pytest

from eval import metrics as M

RELEVANT = {"q1": ["a"], "q2": ["b", "c"], "q3": ["z"], "q4": []}
RANKED = {"q1": ["a", "x"], "q2": ["x", "c", "b"], "q3": ["x"], "q4": ["a"]}


def test_per_query_values():
    got = M.per_query(RELEVANT, RANKED, ["hit@1", "hit@5", "mrr@10", "ndcg@10"])
    assert got["hit@1"] == {"q1": 1, "q2": 0, "q3": 0, "q4": 0}
    assert got["hit@5"] == {"q1": 1, "q2": 1, "q3": 0, "q4": 0}
    assert got["mrr@10"] == pytest.approx({"q1": 1, "q2": 0.5, "q3": 0, "q4": 0})
    ideal = 1 + 1 / math.log2(3)
    assert got["ndcg@10"]["q2"] == pytest.approx((1 / math.log2(3) + 1 / math.log2(4)) / ideal)


def test_missing_run_counts_as_a_miss():
    got = M.per_query({"q1": ["a"], "q2": ["b"]}, {"q1": ["a"]}, ["mrr@10"])
    assert got["mrr@10"] == {"q1": 1.0, "q2": 0.0}


def test_graded_qrels_and_metric_names():
    assert M.ranx_name("hit@5") == "hit_rate@5" and M.ranx_name("ndcg@10") == "ndcg@10"
    got = M.per_query({"q": {"d1": 2, "d2": 1}}, {"q": ["d2", "d1"]}, ["ndcg@10", "recall@100"])
    dcg = 1 + 2 / math.log2(3)  # ranx ndcg: gain = relevance
    assert got["ndcg@10"]["q"] == pytest.approx(dcg / (2 + 1 / math.log2(3)))
    assert got["recall@100"]["q"] == 1.0


def test_quote_recall_and_first_rank():
    matches = [frozenset({0}), frozenset(), frozenset({1, 2})]
    assert M.quote_recall(matches, 4, 1) == 0.25
    assert M.quote_recall(matches, 4, 3) == 0.75
    assert M.quote_recall([], 2, 5) == 0.0
    assert M.first_rank(["x", "c", "b"], ["b", "c"]) == 2
    assert M.first_rank(["x"], ["b"]) is None


def test_summaries_by_group():
    per_q = {"hit@1": {"q1": 1.0, "q2": 0.0, "q3": 1.0}}
    assert M.summarise(per_q, ["q1", "q2"]) == {"n": 2, "hit@1": 0.5}
    assert M.by_group(per_q, {"q1": "en", "q2": "es", "q3": "en"}) == {
        "en": {"n": 2, "hit@1": 1.0}, "es": {"n": 1, "hit@1": 0.0}}
    assert M.summarise(per_q, []) == {"n": 0, "hit@1": None}


def test_latency_and_share():
    assert M.latency([float(i) for i in range(1, 101)]) == {"p50": 50.5, "p95": 95.05}
    assert M.latency([]) == {"p50": None, "p95": None}
    assert M.share([True, False, True, True]) == 0.75 and M.share([]) is None


def test_significance_from_ranx_compare():
    relevant = {f"q{i}": ["a"] for i in range(8)}
    good = {q: ["a", "b"] for q in relevant}
    bad = {q: ["b", "a"] for q in relevant}
    sig = M.significance(relevant, {"good": good, "bad": bad}, ["mrr@10"])
    assert sig["scores"] == {"good": {"mrr@10": 1.0}, "bad": {"mrr@10": 0.5}}
    assert 0 <= sig["p_values"]["mrr@10"]["good"]["bad"] < 0.05
    assert M.significance(relevant, {"good": good}, ["mrr@10"]) == {}
