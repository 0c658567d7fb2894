from assistant.retrieve import Filters, best_sentence, minmax, rrf, top_indices
from indexer.passage import Passage

import numpy as np


def test_rrf_rewards_agreement_between_rankers():
    fused = rrf({"bm25": [1, 2, 3], "dense": [3, 1, 4]}, k=60)
    assert [i for i, _ in fused][:2] == [1, 3]
    assert abs(dict(fused)[1] - (1 / 61 + 1 / 62)) < 1e-12


def test_minmax_keeps_score_gaps_that_rrf_throws_away():
    bm25 = np.array([9.0, 1.0, 0.9, 0.0, 0.0, 0.0, 0.0])  # one clear lexical winner
    dense = np.array([0.50, 0.58, 0.57, 0.56, 0.55, 0.54, 0.10])  # near ties, passage 0 close behind
    by_rank = {"bm25": top_indices(bm25, 7, bm25 > 0), "dense": top_indices(dense, 7)}
    assert rrf(by_rank, k=60)[0][0] == 1  # RRF sees only that 0 is sixth by dense
    fused = minmax({"bm25": bm25, "dense": dense})
    assert fused[0][0] == 0 and abs(fused[0][1] - (1.0 + 0.4 / 0.48)) < 1e-6
    assert minmax({"bm25": bm25, "dense": dense}, weights={"bm25": 0.0})[0][0] == 1


def test_minmax_scales_over_admitted_passages_only_and_ignores_flat_channels():
    dense = np.array([0.9, 0.2, 0.4, 0.3])
    mask = np.array([False, True, True, True])
    fused = minmax({"dense": dense, "bm25": np.zeros(4)}, mask)
    assert [i for i, _ in fused] == [2, 3, 1]
    assert fused[0][1] == 1.0 and fused[-1][1] == 0.0


def test_best_sentence_takes_each_passages_best_sentence():
    sims = np.array([0.2, 0.8, 0.5, 0.1])
    owners = np.array([0, 0, 2, 2])
    assert best_sentence(sims, owners, 4).tolist() == [np.float32(0.8), -1.0, np.float32(0.5), -1.0]


def test_top_indices_respects_mask_and_order():
    scores = np.array([0.1, 0.9, 0.5, 0.7])
    assert top_indices(scores, 2) == [1, 3]
    assert top_indices(scores, 3, np.array([True, False, True, False])) == [2, 0]


def p(**kw) -> Passage:
    base = dict(id="x", text="t", kind="paragraph", doc_id="ch5", title="Enhancing capability", breadcrumb="b")
    return Passage(**{**base, **kw})


def test_filters():
    chile = p(kind="box", box_id="5.2", countries=["Chile"], chapter="5")
    refs = p(kind="references")
    assert Filters(country=("chile",)).admits(chile) and not Filters(country=("Norway",)).admits(chile)
    norway = p(kind="box", countries=["Norway"])
    assert Filters(country=("Noruega",)).admits(norway) and Filters(country=("NORWAY",)).admits(norway)
    assert Filters(box=("Box 5.2",)).admits(chile) and Filters(chapter=("5",)).admits(chile)
    assert Filters(doc=("capability",)).admits(chile) and not Filters(doc=("innovation",)).admits(chile)
    assert not Filters(exclude_kinds=("references",)).admits(refs)
    assert Filters(kinds=("references",), exclude_kinds=("references",)).admits(refs)


def test_a_recommendation_question_ranks_the_proposal_first(corpus_kb):
    """The staff-turnover proposal (no. 5 of chapter 5) answers this; before the lift the
    chapter's discussion of turnover came first."""
    top = corpus_kb.search("What does the OECD propose to reduce staff turnover?").passages
    assert top[0].passage.kind == "recommendation"
    assert "5. Certifying procurement officials to reduce turnover" in top[0].passage.text
