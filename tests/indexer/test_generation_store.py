"""BM25's top rows: the k highest positive scores, best first, ties by row (also at the cut)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from indexer.generation_store import top_rows


def reference(scores: np.ndarray, k: int) -> list[int]:
    return sorted((r for r in range(len(scores)) if scores[r] > 0), key=lambda r: (-scores[r], r))[:k]


@given(st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.25, 3.0]), max_size=60), st.integers(0, 70))
def test_top_rows_match_a_full_sort_with_ties_by_row(values, k):
    scores = np.asarray(values, dtype="float32")
    assert top_rows(scores, k).tolist() == reference(scores, k)


def test_top_rows_of_many_distinct_scores():
    scores = np.random.default_rng(3).random(10000).astype("float32")
    scores[::7] = 0
    assert top_rows(scores, 30).tolist() == reference(scores, 30)
