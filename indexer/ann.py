"""Which FAISS index each vector space gets: exact while small, approximate (ANN) when large.

A pure policy (``plan_indexes``) decides from the spaces' sizes and the settings; ``build_index``
makes the index a plan names; ``search_parameters`` carries the search-time knobs. The plans are
recorded in the manifest, with their parameters, so a server knows what it loaded and a changed
setting rebuilds the index.

- exact: ``IDMap2,SQfp16`` — every vector scored, held as 16-bit floats (memory-mapped when loaded).
- hnsw: ``IDMap2,HNSW32,SQfp16`` — a graph over the same 16-bit vectors: reads stay exact, search is
  approximate; about 2·d + 256 bytes a vector. The build tunes its efSearch (``tune_breadth``: the
  least reaching recall@10 0.99 against exact search, up to ``ann_ef_search``, on means of two stored
  vectors and, in a cross-lingual space, on real questions' vectors too: ``indexer.probes``) and the
  plan records it.
  Up to ``ann_graph_max_vectors``: `kb bench` measured recall@10 0.984 at 100k passages, but 0.847 at
  1M (session 9, efSearch 256: a graph over that many near-duplicates misses whole regions).
- ivf: ``IDMap2,IVF<nlist>,SQfp16`` — the 16-bit vectors clustered into ``nlist`` lists (4·√n); a search
  scans the ``nprobe`` lists nearest the question, scores exact; about 2·d + 40 bytes a vector. For
  bigger spaces (`kb bench` at 1M passages: recall@10 0.986 at nprobe 128, search p95 4.7 ms; the
  whole build 565 s, against 998 s with the graph). The build tunes nprobe as it tunes efSearch (``tune_probes``, up to ``ann_nprobe``).
- ivfpq: ``IDMap2,IVF<nlist>,PQ<m>`` — the same lists, vectors compressed to ``m`` bytes (d/8): the
  smallest, for spaces that would not fit in ``ann_memory_gb`` otherwise; scores are approximate.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

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
    breadth: int = 0  # an HNSW graph's efSearch or an IVF's nprobe, tuned by the build; 0: not tuned

    @property
    def exact(self) -> bool:
        return self.kind == "exact"

    def to_dict(self) -> dict:
        return asdict(self)


def bytes_per_vector(kind: str, dim: int) -> int:
    """Rough memory of one vector in an index of ``kind`` (codes, links, label maps)."""
    per = {"exact": 2 * dim, "hnsw": 2 * dim + 2 * HNSW_M * 4, "ivf": 2 * dim + 16,
           "ivfpq": pq_bytes(dim) + 8}.get(kind, 2 * dim)
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
    if kind in ("ivf", "ivfpq"):
        nlist = max(16, 1 << round(math.log2(4 * math.sqrt(max(vectors, 1)))))
        return f"IDMap2,IVF{nlist},{'SQfp16' if kind == 'ivf' else f'PQ{pq_bytes(dim)}'}"
    return kind if kind.startswith("IDMap2,") else f"IDMap2,{kind}"  # a FAISS factory string


def plan_indexes(sizes: dict[str, tuple[int, int]], min_vectors: int, choice: str = "auto",
                 memory_gb: float = 2.0, graph_max: int = 300_000) -> dict[str, IndexPlan]:
    """One plan per space from ``{space: (vectors, dim)}``: exact up to ``min_vectors``; above it
    ``choice`` ("hnsw", "ivf", "ivfpq", a factory string) or, for "auto", HNSW up to ``graph_max``
    vectors and IVF over 16-bit vectors above, unless the approximate spaces together would pass
    ``memory_gb``, in which case the largest of them switch to IVF-PQ until they fit."""
    def auto(n: int) -> str:
        return "hnsw" if n <= graph_max else "ivf"

    kinds = {s: ("exact" if n <= min_vectors else (auto(n) if choice == "auto" else choice))
             for s, (n, _) in sizes.items()}
    if choice == "auto":
        budget = memory_gb * 1024 ** 3
        for space in sorted((s for s in kinds if kinds[s] in ("hnsw", "ivf")), key=lambda s: -sizes[s][0] * sizes[s][1]):
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
    plans = plan_indexes(searched, index_settings.ann_min_vectors, index_settings.ann_index, index_settings.ann_memory_gb,
                         index_settings.ann_graph_max_vectors)
    return {**{name: IndexPlan("exact", EXACT, n, d) for name, (n, d) in sizes.items()}, **plans}


def build_index(plan: IndexPlan, labels: np.ndarray, vectors: np.ndarray, seed: int = 1234):
    """The FAISS index ``plan`` names over ``vectors`` under ``labels`` (trained on an evenly spaced
    sample when the index needs training), ready to search and to give vectors back by label.
    ``vectors`` may be 16-bit (``indexer.halves``): FAISS gets them as 32-bit floats, a chunk at a
    time (a graph grows by each chunk as a re-index grows it). A graph's nodes are then stored in
    ``indexer.locality`` order: the same graph, fewer cache misses a search."""
    import faiss

    from indexer.locality import place_nearby

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
    place_nearby(index, vectors)  # a graph's nodes renumbered for its searches' memory reads
    return index


BREADTHS = (32, 48, 64, 96, 128, 192, 256, 384, 512)
PROBES = (8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256)
TUNE_RECALL = 0.99
"""The recall@10 against exact search a build tunes each graph's efSearch and each IVF's nprobe for."""


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int = 10, chunk: int = 65536) -> np.ndarray:
    """Scores of each query's exact ``k`` best among ``vectors`` (a scan in chunks), best first."""
    best = np.full((len(queries), 0), -np.inf, dtype="float32")
    for _, part in chunks32(vectors, chunk):
        scores = queries @ part.T
        best = np.concatenate([best, scores], axis=1)
        if best.shape[1] > k:
            best = np.take_along_axis(best, np.argpartition(-best, k - 1, axis=1)[:, :k], axis=1)
    return -np.sort(-best, axis=1)


def tune_breadth(index, vectors: np.ndarray, labels: np.ndarray, most: int = 512, probes: np.ndarray | None = None) -> int:
    """The least efSearch (of ``BREADTHS``, up to ``most``) at which the HNSW ``index`` reaches
    ``TUNE_RECALL`` (``least_reaching``)."""
    import faiss

    return least_reaching(index, vectors, labels, BREADTHS, most, lambda ef: faiss.SearchParametersHNSW(efSearch=ef),
                          probes=probes)


def tune_probes(index, vectors: np.ndarray, labels: np.ndarray, most: int = 256, probes: np.ndarray | None = None) -> int:
    """The least nprobe (of ``PROBES``, up to ``most``) at which the IVF ``index`` reaches
    ``TUNE_RECALL`` (``least_reaching``)."""
    import faiss

    return least_reaching(index, vectors, labels, PROBES, most, lambda n: faiss.SearchParametersIVF(nprobe=n),
                          probes=probes)


def tuned(plan: IndexPlan, index, vectors: np.ndarray, labels: np.ndarray, probes: np.ndarray | None = None) -> IndexPlan:
    """``plan`` with the breadth its index searches at recorded: a graph's efSearch, an IVF's nprobe
    (an exact index has none); ``probes``: encoded question-like texts it must reach too (``indexer.probes``)."""
    if plan.kind == "hnsw":
        return replace(plan, breadth=tune_breadth(index, vectors, labels, probes=probes))
    if plan.kind in ("ivf", "ivfpq"):
        return replace(plan, breadth=tune_probes(index, vectors, labels, probes=probes))
    return plan


def least_reaching(index, vectors: np.ndarray, labels: np.ndarray, steps: tuple[int, ...], most: int, params,
                   queries: int = 100, k: int = 10, seed: int = 7, probes: np.ndarray | None = None) -> int:
    """The least of ``steps`` (up to ``most``; ``most`` when none does) at which ``index`` (over
    ``vectors`` under ``labels``) finds ``TUNE_RECALL`` of the exact top ``k`` for questions like
    users': the normalised means of two stored vectors (a question between two passages) and, when
    given, the ``probes`` (real questions' vectors, ``indexer.probes``), each set on its own. Found
    results are scored from the stored vectors (an index's own scores may be approximate), and recall
    is tie-aware: a result scored at least the exact k-th best counts (repeated passages tie)."""
    if len(vectors) <= k:
        return min(steps[0], most)
    pairs = np.random.default_rng(seed).integers(0, len(vectors), (queries, 2))
    q = vectors[pairs[:, 0]].astype("float32") + vectors[pairs[:, 1]].astype("float32")
    q /= np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
    sets = [q] + ([np.asarray(probes, dtype="float32")] if probes is not None and len(probes) else [])
    sizes = np.cumsum([0] + [len(s) for s in sets])
    q = np.concatenate(sets)
    kth = exact_top(vectors, q, k)[:, -1]
    labels = np.asarray(labels, dtype="int64")
    by_label = np.argsort(labels, kind="stable")
    for step in (s for s in steps if s <= most):
        _, found = index.search(q, k, params=params(step))
        rows = by_label[np.searchsorted(labels[by_label], np.maximum(found, labels.min()))]
        scores = np.einsum("qkd,qd->qk", vectors[rows].astype("float32"), q)
        hit = (found >= 0) & (scores >= kth[:, None] - 2e-3)
        recall = np.minimum(hit.sum(axis=1), k) / k
        if all(recall[a:b].mean() >= TUNE_RECALL for a, b in zip(sizes[:-1], sizes[1:])):
            return step
    return most


def search_breadth(tuned: int, most: int, share: float = 1.0) -> int:
    """efSearch (or an IVF's nprobe) for one search: the build's tuned breadth (``most`` when not
    tuned), at most ``most``; a filter admitting a ``share`` of the vectors needs 1/share times that
    (the search passes over what it may not return), up to 4 × ``most``."""
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
    search (``tuned``, at most ``nprobe``; None when an exact index needs neither)."""
    import faiss

    inner = inner_index(index)
    if isinstance(inner, faiss.IndexHNSW):
        return faiss.SearchParametersHNSW(sel=selector, efSearch=search_breadth(tuned, ef_search, share))
    if isinstance(inner, faiss.IndexIVF):
        return faiss.SearchParametersIVF(sel=selector, nprobe=search_breadth(tuned, nprobe, share))
    return faiss.SearchParameters(sel=selector) if selector is not None else None
