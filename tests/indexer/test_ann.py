"""The index policy: exact while small, HNSW or IVF-PQ when large, recorded in the manifest; real FAISS."""

import numpy as np

from indexer.ann import IndexPlan, build_index, pq_bytes, plan_indexes, search_parameters
from indexer.faiss_store import FaissStore
from indexer.passage import Passage
from indexer.store import Space, load_generation, write_generation
from indexer.where import Where


def test_small_spaces_are_exact_large_ones_approximate():
    plans = plan_indexes({"dense": (1000, 384), "sentence": (5000, 384)}, min_vectors=2000)
    assert plans["dense"].exact and plans["dense"].factory == "IDMap2,SQfp16"
    assert plans["sentence"].kind == "hnsw" and plans["sentence"].factory == "IDMap2,HNSW32,SQfp16"


def test_auto_moves_the_largest_spaces_to_ivfpq_until_they_fit_the_memory_budget():
    sizes = {"dense": (1_000_000, 384), "sentence": (4_500_000, 384), "ml": (1_000_000, 512)}
    plans = plan_indexes(sizes, min_vectors=200_000, memory_gb=2.0, graph_max=10_000_000)
    assert plans["sentence"].kind == "ivfpq" and plans["sentence"].factory == "IDMap2,IVF8192,PQ48"
    assert plans["dense"].kind == "hnsw"
    roomy = plan_indexes(sizes, min_vectors=200_000, memory_gb=64, graph_max=10_000_000)
    assert {p.kind for p in roomy.values()} == {"hnsw"}
    # above graph_max a space gets IVF over its 16-bit vectors (a graph over a million near-duplicates
    # misses whole regions); the budget still moves the largest to IVF-PQ
    plans = plan_indexes(sizes, min_vectors=200_000, memory_gb=2.0, graph_max=300_000)
    assert plans["dense"].kind == "ivf" and plans["dense"].factory == "IDMap2,IVF4096,SQfp16"
    assert plans["sentence"].kind == plans["ml"].kind == "ivfpq"  # the two largest, until they fit
    both = plan_indexes({"dense": (1_000_000, 384), "ml": (1_000_000, 512)}, 5000)  # 1.9 GB: they fit
    assert both["dense"].kind == both["ml"].kind == "ivf"
    assert plan_indexes({"d": (300_000, 384)}, 5000)["d"].kind == "hnsw"
    assert plan_indexes({"d": (300_001, 384)}, 5000)["d"].kind == "ivf"
    assert plan_indexes(sizes, 200_000, "ivfpq")["dense"].factory.startswith("IDMap2,IVF")
    assert plan_indexes(sizes, 200_000, "IVF256,Flat")["dense"].factory == "IDMap2,IVF256,Flat"
    assert pq_bytes(384) == 48 and pq_bytes(512) == 64 and pq_bytes(100) == 10


def clustered(n: int, dim: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((32, dim))
    x = centres[rng.integers(0, 32, n)] + 0.4 * rng.standard_normal((n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype("float32")


def test_hnsw_recall_against_exact_search_with_and_without_a_filter():
    x, labels = clustered(6000, 48), np.arange(6000, dtype="int64") * 7 + 1
    queries = clustered(40, 48, seed=1)
    exact = build_index(IndexPlan("exact", "IDMap2,SQfp16", 6000, 48), labels, x)
    hnsw = build_index(plan_indexes({"d": (6000, 48)}, 100)["d"], labels, x)
    import faiss

    from kb.settings import Settings

    ef = Settings().retrieval.ann_ef_search
    for sel in (None, faiss.IDSelectorBatch(labels[::3])):
        _, want = exact.search(queries, 10, params=search_parameters(exact, sel, ef, 32))
        share = 1.0 if sel is None else 1 / 3
        _, got = hnsw.search(queries, 10, params=search_parameters(hnsw, sel, ef, 32, share))
        recall = np.mean([len(set(w) & set(g)) / 10 for w, g in zip(want, got)])
        assert recall >= 0.95, recall
        if sel is not None:
            assert set(got.ravel()) <= set(labels[::3].tolist())


def test_ivfpq_gives_vectors_back_by_label():
    x, labels = clustered(3000, 32), np.arange(3000, dtype="int64") + 100
    index = build_index(plan_indexes({"d": (3000, 32)}, 100, "ivfpq")["d"], labels, x)
    back = index.reconstruct_batch(labels[:5])
    assert back.shape == (5, 32) and np.all(np.sum(back * x[:5], axis=1) > 0.8)  # approximate


def test_the_manifest_records_each_space_plan_and_the_store_searches_an_hnsw_space(tmp_path):
    n = 300
    passages = [Passage(id=f"{i + 1:013x}000", text=f"passage {i}", kind="box" if i % 2 else "paragraph", doc_id="d",
                        title="T", breadcrumb="T", sentences=[]) for i in range(n)]
    from indexer.ids import passage_label

    labels = np.asarray([passage_label(p.id) for p in passages])
    x = clustered(n, 16)
    plans = plan_indexes({"dense": (n, 16)}, min_vectors=100)
    write_generation(tmp_path, {"identity": "t"}, passages, {"dense": Space(labels, x)},
                     [p.text for p in passages], "english", plans)
    gen = load_generation(tmp_path)
    assert gen.manifest["vector_index"]["dense"]["kind"] == "hnsw"
    assert gen.manifest["vector_index"]["dense"]["breadth"] >= 32  # tuned by the build
    store = FaissStore(gen)
    # a filter admitting few passages is searched exactly among them: the true best of the boxes
    box_rows = np.flatnonzero(np.arange(n) % 2 == 1)
    want = passages[int(box_rows[np.argmax(x[box_rows] @ x[10])])].id
    assert store.vector_top_k("dense", x[10], 3, Where.of(kind=["box"]))[0][0] == want
    hits = store.vector_top_k("dense", x[3], 5, Where.of(kind=["box"]))
    assert hits[0][0] == passages[3].id and all(store.passage(pid).kind == "box" for pid, _ in hits)
    scores = store.vector_scores("dense", x[3], [passages[3].id, passages[4].id])
    assert abs(scores[passages[3].id] - 1.0) < 1e-2


def test_sentence_spaces_stay_exact_at_any_size_because_they_are_only_rescored():
    from types import SimpleNamespace

    from indexer.ann import plans_for

    def space(n, d):
        return SimpleNamespace(labels=np.zeros(n), vectors=np.zeros((1, d), dtype="float32"))

    settings = SimpleNamespace(ann_min_vectors=100, ann_index="auto", ann_memory_gb=2.0, ann_graph_max_vectors=300_000)
    plans = plans_for({"dense": space(1000, 8), "sentence": space(5000, 8), "ml_sentence": space(5000, 8)}, settings)
    assert plans["dense"].kind == "hnsw" and plans["sentence"].exact and plans["ml_sentence"].exact


def test_a_build_tunes_each_graphs_breadth_for_its_recall_and_searches_use_it():
    from indexer.ann import BREADTHS, search_breadth, tune_breadth

    x, labels = clustered(6000, 48), np.arange(6000, dtype="int64") * 7 + 1
    hnsw = build_index(plan_indexes({"d": (6000, 48)}, 100)["d"], labels, x)
    ef = tune_breadth(hnsw, x, labels)
    assert ef in BREADTHS and ef > BREADTHS[0]  # this clustered data needs a wide walk
    assert tune_breadth(hnsw, x, labels, most=64) == 64  # never past the setting
    assert search_breadth(ef, 256) == min(ef, 256) and search_breadth(0, 256) == 256  # untuned: the setting
    assert search_breadth(64, 256, share=0.25) == 256 and search_breadth(64, 256, share=0.001) == 1024


def test_a_build_tunes_each_ivfs_probes_and_searches_use_them():
    import faiss

    from indexer.ann import PROBES, TUNE_RECALL, exact_top, search_breadth, tune_probes

    x, labels = clustered(6000, 48), np.arange(6000, dtype="int64") * 3 + 5
    for kind in ("ivf", "ivfpq"):
        plan = plan_indexes({"d": (6000, 48)}, 100, kind)["d"]
        assert plan.factory == ("IDMap2,IVF256,SQfp16" if kind == "ivf" else "IDMap2,IVF256,PQ6")
        ivf = build_index(plan, labels, x)
        probes = tune_probes(ivf, x, labels)
        assert probes in PROBES and PROBES[0] < probes <= 256
        assert tune_probes(ivf, x, labels, most=8) == 8  # never past the setting
        if kind == "ivf":  # the tuned breadth reaches the recall it was tuned for, on other such questions
            pairs = np.random.default_rng(11).integers(0, 6000, (50, 2))
            q = x[pairs[:, 0]] + x[pairs[:, 1]]
            q /= np.linalg.norm(q, axis=1, keepdims=True)
            found, _ = ivf.search(q, 10, params=faiss.SearchParametersIVF(nprobe=search_breadth(probes, 256)))
            assert np.mean(np.sum(found >= exact_top(x, q, 10)[:, -1:] - 1e-3, axis=1) / 10) >= TUNE_RECALL - 0.03


def test_a_build_tunes_on_question_probes_that_lie_off_the_stored_vectors():
    """An asymmetric encoder puts questions off the passages' manifold (multilingual-e5's "query:"):
    means of stored vectors then tune too narrow a search, and the probes widen it (``indexer.probes``)."""
    import faiss

    from indexer.ann import TUNE_RECALL, exact_top, tune_breadth

    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 32))[rng.integers(0, 32, 6000)] + rng.standard_normal((6000, 32))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype("float32")
    labels = np.arange(6000, dtype="int64")
    shift = np.random.default_rng(99).standard_normal(32)

    def questions(n, seed):  # near a passage, moved along one shared direction, with noise
        r = np.random.default_rng(seed)
        q = x[r.integers(0, 6000, n)] + shift / np.linalg.norm(shift) + 0.5 * r.standard_normal((n, 32))
        return (q / np.linalg.norm(q, axis=1, keepdims=True)).astype("float32")

    hnsw = build_index(plan_indexes({"d": (6000, 32)}, 100)["d"], labels, x)
    held_out = questions(60, 2)
    kth = exact_top(x, held_out, 10)[:, -1:]

    def recall(ef):
        found, _ = hnsw.search(held_out, 10, params=faiss.SearchParametersHNSW(efSearch=ef))
        return float(np.mean(np.sum(found >= kth - 1e-3, axis=1) / 10))

    means_only, with_probes = tune_breadth(hnsw, x, labels), tune_breadth(hnsw, x, labels, probes=questions(60, 1))
    assert with_probes > means_only
    assert recall(means_only) < TUNE_RECALL - 0.02 <= recall(with_probes)


def mapped_files() -> set[str]:
    return {line.split()[-1] for line in open("/proc/self/maps") if len(line.split()) >= 6}


def test_a_server_reads_approximate_indexes_into_memory_and_maps_exact_ones(tmp_path):
    n = 300
    passages = [Passage(id=f"{i + 1:013x}000", text=f"passage {i}", kind="paragraph", doc_id="d", title="T",
                        breadcrumb="T", sentences=[]) for i in range(n)]
    from indexer.ids import passage_label

    labels = np.asarray([passage_label(p.id) for p in passages])
    spaces = {"dense": Space(labels, clustered(n, 16)), "ml": Space(labels, clustered(n, 16, seed=2))}
    plans = {**plan_indexes({"dense": (n, 16)}, min_vectors=100), **plan_indexes({"ml": (n, 16)}, min_vectors=1000)}
    write_generation(tmp_path, {"identity": "t"}, passages, spaces, [p.text for p in passages], "english", plans)
    build = load_generation(tmp_path)  # a build: every space mapped (its vectors are only copied)
    served = load_generation(tmp_path, ann_in_memory=True)  # a server: a graph walk reads all over its file
    folder = str(build.path)
    assert {f"{folder}/dense.faiss", f"{folder}/ml.faiss"} <= mapped_files()
    del build
    import gc

    gc.collect()
    mapped = mapped_files()
    assert f"{folder}/ml.faiss" in mapped and f"{folder}/dense.faiss" not in mapped
    assert served.manifest["vector_index"]["dense"]["kind"] == "hnsw" and served.spaces["dense"].ntotal == n
    store = FaissStore(served)  # as it starts, a server reads the mapped (exact) files into the page cache
    assert store.page_in() == (served.path / "ml.faiss").stat().st_size
