"""Which FAISS index each vector space gets: exact while small, approximate (ANN) when large.

A pure policy (``plan_indexes``) decides from the spaces' sizes and the settings; ``build_index``
makes the index a plan names; ``search_parameters`` carries the search-time knobs. The plans are
recorded in the manifest, with their parameters, so a server knows what it loaded and a changed
setting rebuilds the index.

- exact: ``IDMap2,SQfp16`` — every vector scored, held as 16-bit floats (memory-mapped when loaded).
- hnsw: ``IDMap2,HNSW32,SQfp16`` — a graph over the same 16-bit vectors: reads stay exact, search is
  approximate; about 2·d + 256 bytes a vector. The build tunes its efSearch (``tune_breadth``: the
  least reaching recall@10 0.99 against exact search, up to ``ann_ef_search``) and the plan records it.
- ivfpq: ``IDMap2,IVF<nlist>,PQ<m>`` — vectors clustered into ``nlist`` lists (4·√n) and compressed to
  ``m`` bytes (d/8): the smallest, for spaces HNSW would not fit in memory; scores are approximate.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from indexer.halves import chunks32
from indexer.ids import SENTENCE_SPACES

EXACT = "IDMap2,SQfp16"
HNSW_M = 32
TRAIN_PER_LIST = 64
"""Training vectors per IVF list (FAISS warns below 39)."""


@dataclass(frozen=True)
class IndexPlan:
    """The index of one space: its kind (exact, hnsw, ivfpq, custom), FAISS factory string and size."""

    kind: str
    factory: str
    vectors: int
    dim: int
    breadth: int = 0  # an HNSW graph's efSearch, tuned by the build (``tune_breadth``); 0: not tuned

    @property
    def exact(self) -> bool:
        return self.kind == "exact"

    def to_dict(self) -> dict:
        return asdict(self)


def bytes_per_vector(kind: str, dim: int) -> int:
    """Rough memory of one vector in an index of ``kind`` (codes, links, label maps)."""
    per = {"exact": 2 * dim, "hnsw": 2 * dim + 2 * HNSW_M * 4, "ivfpq": pq_bytes(dim) + 8}.get(kind, 2 * dim)
    return per + 24  # IDMap2's label and reverse map


def pq_bytes(dim: int) -> int:
    """PQ code size: one byte per 8 dimensions, the largest divisor of ``dim`` not above dim/8."""
    m = max(1, dim // 8)
    while dim % m:
        m -= 1
    return m


def factory_of(kind: str, vectors: int, dim: int) -> str:
    if kind == "exact":
        return EXACT
    if kind == "hnsw":
        return f"IDMap2,HNSW{HNSW_M},SQfp16"
    if kind == "ivfpq":
        nlist = max(16, 1 << round(math.log2(4 * math.sqrt(max(vectors, 1)))))
        return f"IDMap2,IVF{nlist},PQ{pq_bytes(dim)}"
    return kind if kind.startswith("IDMap2,") else f"IDMap2,{kind}"  # a FAISS factory string


def plan_indexes(sizes: dict[str, tuple[int, int]], min_vectors: int, choice: str = "auto",
                 memory_gb: float = 2.0) -> dict[str, IndexPlan]:
    """One plan per space from ``{space: (vectors, dim)}``: exact up to ``min_vectors``; above it
    ``choice`` ("hnsw", "ivfpq", a factory string) or, for "auto", HNSW unless the approximate spaces
    together would pass ``memory_gb``, in which case the largest of them switch to IVF-PQ until they fit."""
    kinds = {s: ("exact" if n <= min_vectors else ("hnsw" if choice == "auto" else choice))
             for s, (n, _) in sizes.items()}
    if choice == "auto":
        budget = memory_gb * 1024 ** 3
        for space in sorted((s for s in kinds if kinds[s] == "hnsw"), key=lambda s: -sizes[s][0] * sizes[s][1]):
            total = sum(sizes[s][0] * bytes_per_vector(kinds[s], sizes[s][1]) for s in kinds if kinds[s] != "exact")
            if total <= budget:
                break
            kinds[space] = "ivfpq"
    return {s: IndexPlan(kinds[s], factory_of(kinds[s], n, d), n, d) for s, (n, d) in sizes.items()}


def plans_for(spaces: dict, index_settings) -> dict[str, IndexPlan]:
    """The plans of a build's spaces (``{name: Space}``) under the ``index`` settings section.

    Sentence spaces stay exact at every size: no retrieval configuration searches them (the
    best-sentence channels re-score the other channels' candidates, reading their vectors in place),
    so a graph over them would cost build time and memory for nothing, and an exact index of 16-bit
    vectors is memory-mapped: only the candidates' pages are read."""
    sizes = {name: (len(sp.labels), int(sp.vectors.shape[1])) for name, sp in spaces.items()}
    searched = {name: size for name, size in sizes.items() if name not in SENTENCE_SPACES}
    plans = plan_indexes(searched, index_settings.ann_min_vectors, index_settings.ann_index, index_settings.ann_memory_gb)
    return {**{name: IndexPlan("exact", EXACT, n, d) for name, (n, d) in sizes.items()}, **plans}


def build_index(plan: IndexPlan, labels: np.ndarray, vectors: np.ndarray, seed: int = 1234):
    """The FAISS index ``plan`` names over ``vectors`` under ``labels`` (trained on an evenly spaced
    sample when the index needs training), ready to search and to give vectors back by label.
    ``vectors`` may be 16-bit (``indexer.halves``): FAISS gets them as 32-bit floats, a chunk at a
    time (a graph grows by each chunk as a re-index grows it)."""
    import faiss

    index = faiss.index_factory(plan.dim, plan.factory, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained and len(vectors):
        ivf = faiss.extract_index_ivf(index) if "IVF" in plan.factory else None
        want = TRAIN_PER_LIST * (ivf.nlist if ivf is not None else 256)
        rows = np.linspace(0, len(vectors) - 1, min(len(vectors), want)).astype("int64")
        index.train(np.ascontiguousarray(vectors[rows], dtype="float32"))
    labels = np.asarray(labels, dtype="int64")
    for start, part in chunks32(vectors):
        index.add_with_ids(part, labels[start:start + len(part)])
    if "IVF" in plan.factory:
        faiss.extract_index_ivf(index).make_direct_map()  # vectors back by label (fusion, answers)
    return index


BREADTHS = (32, 48, 64, 96, 128, 192, 256, 384, 512)
TUNE_RECALL = 0.99
"""The recall@10 against exact search a build tunes each HNSW graph's efSearch for."""


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int = 10, chunk: int = 65536) -> np.ndarray:
    """Scores of each query's exact ``k`` best among ``vectors`` (a scan in chunks), best first."""
    best = np.full((len(queries), 0), -np.inf, dtype="float32")
    for _, part in chunks32(vectors, chunk):
        scores = queries @ part.T
        best = np.concatenate([best, scores], axis=1)
        if best.shape[1] > k:
            best = np.take_along_axis(best, np.argpartition(-best, k - 1, axis=1)[:, :k], axis=1)
    return -np.sort(-best, axis=1)


def tune_breadth(index, vectors: np.ndarray, most: int = 512, queries: int = 100, k: int = 10, seed: int = 7) -> int:
    """The least efSearch (of ``BREADTHS``, up to ``most``) at which the HNSW ``index`` over
    ``vectors`` finds ``TUNE_RECALL`` of the exact top ``k`` for questions like users': the normalised
    mean of two stored vectors (a question between two passages). Recall is tie-aware: a result
    scored at least the exact k-th best counts (repeated passages tie)."""
    import faiss

    if len(vectors) <= k:
        return BREADTHS[0]
    pairs = np.random.default_rng(seed).integers(0, len(vectors), (queries, 2))
    q = vectors[pairs[:, 0]].astype("float32") + vectors[pairs[:, 1]].astype("float32")
    q /= np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
    kth = exact_top(vectors, q, k)[:, -1]
    for ef in (b for b in BREADTHS if b <= most):
        found, _ = index.search(q, k, params=faiss.SearchParametersHNSW(efSearch=ef))
        recall = np.mean(np.minimum(np.sum(found >= kth[:, None] - 2e-3, axis=1), k) / k)
        if recall >= TUNE_RECALL:
            return ef
    return most


def hnsw_breadth(tuned: int, most: int, share: float = 1.0) -> int:
    """efSearch for one search: the build's tuned breadth (``most`` when not tuned), at most
    ``most``; a filter admitting a ``share`` of the vectors needs 1/share times that (the walk
    passes over what it may not return), up to 4 × ``most``."""
    base = min(tuned or most, most)
    if share >= 1:
        return max(1, base)
    return max(1, min(4 * most, int(base / max(share, 1e-3))))


def inner_index(index):
    """The index under a FAISS id map (the index itself when it has none), as its own class."""
    import faiss

    return faiss.downcast_index(index.index) if hasattr(index, "id_map") else index


def is_exact(index) -> bool:
    """Whether a (label-mapped) FAISS index scores every vector."""
    import faiss

    return isinstance(inner_index(index), faiss.IndexFlatCodes)


def search_parameters(index, selector, ef_search: int, nprobe: int, share: float = 1.0, tuned: int = 0):
    """FAISS search parameters for ``index``: the filter's selector (admitting a ``share`` of the
    vectors), and the breadth of an HNSW (``tuned`` by the build, at most ``ef_search``) or IVF
    search (None when an exact index needs neither)."""
    import faiss

    inner = inner_index(index)
    if isinstance(inner, faiss.IndexHNSW):
        return faiss.SearchParametersHNSW(sel=selector, efSearch=hnsw_breadth(tuned, ef_search, share))
    if isinstance(inner, faiss.IndexIVF):
        wider = 1 if share >= 1 else 1 / max(share, 1e-3)
        return faiss.SearchParametersIVF(sel=selector, nprobe=max(1, min(4 * nprobe, int(nprobe * wider))))
    return faiss.SearchParameters(sel=selector) if selector is not None else None
