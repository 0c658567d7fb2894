from assistant.retrieve import Filters, rrf, top_indices
from indexer.passage import Passage

import numpy as np


def test_rrf_rewards_agreement_between_rankers():
    fused = rrf({"bm25": [1, 2, 3], "dense": [3, 1, 4]}, k=60)
    assert [i for i, _ in fused][:2] == [1, 3]
    assert abs(dict(fused)[1] - (1 / 61 + 1 / 62)) < 1e-12


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
