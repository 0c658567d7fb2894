"""The reranking stage with a real CrossEncoder.

No trained cross-encoder ships in a package here, so the test builds one from the packaged MiniLM
folder: a real CrossEncoder whose classification head is untrained. Its scores are arbitrary, which
is enough to check the plumbing (the stage reorders by those scores); quality is for `kb eval`.
"""

import numpy as np
import pytest

from assistant.api import KnowledgeBase
from assistant.rerank import cross_scores, load_reranker, rerank_order


def test_rerank_order_is_by_score_with_stable_ties():
    assert rerank_order(np.array([0.1, 0.9, 0.1, 0.5])) == [1, 3, 0, 2]


def test_missing_model_turns_reranking_off(tmp_path):
    assert load_reranker(str(tmp_path / "no-such-model")) is None


def test_hybrid_rerank_reorders_by_cross_encoder(corpus_kb):
    with pytest.raises(ValueError, match="KB_RERANKER_MODEL"):
        corpus_kb.search("How does Chile certify buyers?", config="hybrid-rerank")
    settings = corpus_kb.settings.updated(reranker_model=corpus_kb.settings.resolved_model(),
                                          rerank_candidates=8)
    kb = KnowledgeBase(settings)
    reranker = kb.retriever.reranker
    assert reranker is not None
    question = "How does Chile certify buyers?"
    fused = kb.search(question, k=8, config="hybrid")
    reranked = kb.search(question, k=8, config="hybrid-rerank")
    assert {p.passage.id for p in reranked.passages} == {p.passage.id for p in fused.passages}
    texts = [f"{p.passage.breadcrumb}\n{p.passage.text}" for p in fused.passages]
    expected = [fused.passages[i].passage.id for i in rerank_order(cross_scores(reranker, question, texts))]
    assert [p.passage.id for p in reranked.passages] == expected
    assert all("rerank" in p.scores for p in reranked.passages)
