"""Text and Markdown tables from result summaries (no index needed)."""

from eval.gold import SUMMARY_KEYS
from eval.tables import beir_text, gold_text, metric_breakdown, p_value_table


def _summary(v: float) -> dict:
    group = {"n": 2, **{m: v for m in SUMMARY_KEYS}}
    return {"overall": group, "by_kind": {"fact": group}, "by_lang": {"en": group, "es": {**group, "n": 1}},
            "abstention": {"unanswerable_declined": None, "answerable_answered": None},
            "latency_ms": {"p50": 12.345, "p95": 20.0}, "config": {"model": "m", "k": 10},
            "questions": {"total": 3, "answerable": 2, "unanswerable": 1, "answerable_without_relevant_passage": ["x"]}}


def test_gold_text_shows_configs_groups_and_na():
    text = gold_text({"bm25": _summary(0.5), "hybrid": _summary(0.75)})
    assert "3 questions, 2 answerable, 1 unanswerable" in text
    assert "0.750" in text and "n/a" in text and "12.3" in text and "No passage in the index" in text


def test_metric_breakdown_markdown():
    md = metric_breakdown({"bm25": _summary(0.5), "hybrid": _summary(0.75)}, "hit@1")
    assert md.splitlines()[0].startswith("|") and "lang: es" in md and "kind: fact" in md


def test_beir_text_prints_anchor_beside_ours():
    result = {"dataset": "scifact", "n_queries": 3, "config": {"model": "m"},
              "configs": {"bm25": {"ndcg@10": 0.6, "recall@100": 0.9, "mrr@10": 0.55,
                                   "latency_ms": {"p50": 1.0, "p95": 2.0}}},
              "anchors": {"bm25": {"ndcg@10": 0.665, "source": "BEIR paper"}}}
    text = beir_text(result)
    assert "0.600" in text and "0.665 (BEIR paper)" in text


def test_p_value_table_marks_significant_pairs():
    sig = {"max_p": 0.05, "p_values": {"mrr@10": {"a": {"b": 0.01}, "b": {"a": 0.01}}}}
    assert "0.0100 *" in p_value_table(sig, "mrr@10")
