"""A graph's nodes numbered so that neighbours in space sit near each other in memory.

An HNSW search hops from node to node and reads each visited node's vector and neighbour list. A
question's search starts just after the encoders have run, so those reads miss the CPU caches; when
a node's neighbours lie in the same pages and cache lines as the node, fewer of them miss. A build
therefore renumbers a finished graph in the order of a k-means clustering of its vectors (nodes of
one cluster together). The graph itself is unchanged, so a search visits the same nodes and returns
the same labels and scores; only where they are stored moves (measured one-off on the 100k
synthetic library: a search after the encoders 1.75 -> 1.25 ms for the cross-lingual graph).
"""

from __future__ import annotations

import numpy as np

from indexer.halves import chunks32

PER_CLUSTER = 200
"""About this many nodes a cluster (the measured gain grew from 16 to 512 clusters at 100k)."""
MOST_CLUSTERS = 512


def locality_order(vectors: np.ndarray, seed: int = 1) -> np.ndarray | None:
    """The rows of ``vectors`` (32- or 16-bit) grouped by k-means cluster, each cluster's rows in their
    first order; None when there are too few to cluster."""
    import faiss

    n, dim = vectors.shape
    k = min(MOST_CLUSTERS, n // PER_CLUSTER)
    if k < 2:
        return None
    rows = np.linspace(0, n - 1, min(n, 64 * k)).astype("int64")  # k-means learns from a sample
    km = faiss.Kmeans(dim, k, niter=10, seed=seed, spherical=True, min_points_per_centroid=1,
                      max_points_per_centroid=64)
    km.train(np.ascontiguousarray(vectors[rows], dtype="float32"))
    cluster = np.concatenate([km.index.search(part, 1)[1][:, 0] for _, part in chunks32(vectors)])
    return np.argsort(cluster, kind="stable")


def renumber_graph(index, order: np.ndarray) -> None:
    """Store the nodes of an ``IndexIDMap2`` over an HNSW graph in ``order`` (new node i is old node
    ``order[i]``), its label map with them."""
    import faiss

    faiss.downcast_index(index.index).permute_entries(np.ascontiguousarray(order, dtype="int64"))
    labels = faiss.vector_to_array(index.id_map)[order]
    faiss.copy_array_to_vector(labels, index.id_map)
    index.construct_rev_map()


def place_nearby(index, vectors: np.ndarray) -> None:
    """Renumber ``index`` (an ``IndexIDMap2`` over an HNSW graph just built from ``vectors``, in row
    order) in ``locality_order``; any other index is left as it is."""
    import faiss

    index = faiss.downcast_index(index)
    if not isinstance(index, faiss.IndexIDMap2) or not isinstance(faiss.downcast_index(index.index), faiss.IndexHNSW):
        return
    order = locality_order(vectors)
    if order is not None:
        renumber_graph(index, order)
