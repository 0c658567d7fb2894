"""Graph nodes stored in cluster order (``indexer.locality``): the same searches, nearer neighbours."""

import numpy as np

from indexer.ann import build_index, plan_indexes
from indexer.locality import locality_order, renumber_graph
from tests.indexer.test_ann import clustered


def clone(index):
    import faiss

    return faiss.deserialize_index(faiss.serialize_index(index))


def test_a_built_graph_stores_neighbours_together_and_renumbering_changes_no_result():
    import faiss

    x, labels = clustered(6000, 48), np.arange(6000, dtype="int64") * 7 + 1
    index = build_index(plan_indexes({"d": (6000, 48)}, 100)["d"], labels, x)
    assert isinstance(faiss.downcast_index(index.index), faiss.IndexHNSW)
    by_label = dict(zip(labels.tolist(), x))
    stored = faiss.vector_to_array(index.id_map)
    near = np.mean([by_label[a] @ by_label[b] for a, b in zip(stored[:-1], stored[1:])])
    assert near > 0.5  # consecutive nodes mostly share a cluster (rows were drawn from 32 at random)
    assert np.mean([x[i] @ x[i + 1] for i in range(len(x) - 1)]) < 0.2

    shuffled = clone(index)
    renumber_graph(shuffled, np.random.default_rng(3).permutation(6000))
    queries = clustered(30, 48, seed=1)
    params = faiss.SearchParametersHNSW(efSearch=64)
    a_scores, a_labels = index.search(queries, 10, params=params)
    b_scores, b_labels = shuffled.search(queries, 10, params=params)
    assert (a_labels == b_labels).all() and np.allclose(a_scores, b_scores)
    for label in (labels[0], labels[4321]):  # vectors back by label, through the rebuilt map
        assert np.allclose(shuffled.reconstruct(int(label)), by_label[int(label)], atol=1e-3)


def test_too_few_vectors_keep_their_order():
    assert locality_order(clustered(300, 8)) is None
    order = locality_order(clustered(2000, 8))
    assert sorted(order.tolist()) == list(range(2000))
