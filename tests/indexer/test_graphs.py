"""HNSW graphs carried across generations: the new passages' vectors added, the gone ones retired and
left out of every search, built afresh past the retired share or when a retired label comes back
(the policy pure, ``plan_growth``; the rest with real FAISS generations on disk)."""

import faiss
import numpy as np

from indexer.ann import plan_indexes
from indexer.faiss_store import FaissStore
from indexer.graphs import plan_growth, read_retired
from indexer.ids import passage_label
from indexer.passage import Passage
from indexer.store import Space, load_generation, write_generation
from indexer.where import Where


def test_the_growth_policy():
    growth = plan_growth(np.arange(100), np.zeros(0), np.r_[np.arange(5, 100), [200, 201]])
    assert growth.add.tolist() == [95, 96] and growth.retired.tolist() == [0, 1, 2, 3, 4]
    again = plan_growth(np.r_[np.arange(100), [200, 201]], growth.retired, np.r_[np.arange(6, 100), [200, 201]])
    assert again.add.tolist() == [] and again.retired.tolist() == [0, 1, 2, 3, 4, 5]
    assert plan_growth(np.arange(100), np.arange(5), np.r_[np.arange(1, 100)]) is None  # label 1 back: afresh
    assert plan_growth(np.arange(100), np.zeros(0), np.arange(20, 100)) is None  # 20 % retired: afresh
    assert plan_growth(np.arange(100), np.zeros(0), np.arange(100)).add.size == 0  # nothing changed


def library(n: int, start: int = 0) -> tuple[list[Passage], np.ndarray]:
    rng = np.random.default_rng(3)
    centres = rng.standard_normal((16, 24))
    x = centres[np.arange(n + start) % 16] + 0.5 * rng.standard_normal((n + start, 24))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype("float32")[start:]
    passages = [Passage(id=f"{i + 1:013x}000", text=f"passage {i}", kind="box" if i % 3 == 0 else "paragraph",
                        doc_id="d", title="T", breadcrumb="T", sentences=[]) for i in range(start, start + n)]
    return passages, x


def write(folder, passages, x, previous=None):
    labels = np.asarray([passage_label(p.id) for p in passages], dtype="int64")
    plans = plan_indexes({"dense": (len(passages), x.shape[1])}, min_vectors=50)
    return write_generation(folder, {"identity": "t"}, passages, {"dense": Space(labels, x)},
                            [p.text for p in passages], "english", plans, previous=previous)


def exact_best(passages, x, query, k, admit=lambda p: True):
    scores = [(float(v @ query), p.id) for p, v in zip(passages, x) if admit(p)]
    return [pid for _, pid in sorted(scores, reverse=True)[:k]]


def test_a_changed_document_grows_the_graph_and_the_gone_passages_are_never_found(tmp_path):
    everything, x = library(420)
    first = write(tmp_path, everything[:400], x[:400])
    breadth = load_generation(tmp_path).manifest["vector_index"]["dense"]["breadth"]
    kept = list(range(15, 400)) + list(range(400, 420))  # 15 passages gone, 20 new
    second = write(tmp_path, [everything[i] for i in kept], x[kept], previous=first)
    gen = load_generation(tmp_path)
    assert gen.path == second and not first.exists()
    graph = gen.spaces["dense"]
    assert graph.ntotal == 420  # grown: 400 + 20, the 15 gone still in the graph
    gone = {everything[i].id for i in range(15)}
    assert sorted(read_retired(second, "dense").tolist()) == sorted(passage_label(pid) for pid in gone)
    assert gen.manifest["vector_index"]["dense"]["breadth"] == breadth  # the graph's tuning, kept
    store = FaissStore(gen)
    live = [everything[i] for i in kept]
    for q in range(15):  # questions nearest the gone passages themselves
        found = [pid for pid, _ in store.vector_top_k("dense", x[q], 10, Where())]
        assert not gone & set(found)
        assert len(set(found) & set(exact_best(live, x[kept], x[q], 10))) >= 9
        paragraphs = [pid for pid, _ in store.vector_top_k("dense", x[q], 10, Where(exclude_kind=frozenset({"box"})))]
        assert not gone & set(paragraphs) and all(store.passage(pid).kind == "paragraph" for pid in paragraphs)
        boxes = [pid for pid, _ in store.vector_top_k("dense", x[q], 5, Where.of(kind=["box"]))]
        assert not gone & set(boxes) and len(set(boxes) & set(exact_best(live, x[kept], x[q], 5, lambda p: p.kind == "box"))) >= 4


def test_past_the_retired_share_the_graph_is_built_afresh(tmp_path):
    everything, x = library(400)
    first = write(tmp_path, everything, x)
    second = write(tmp_path, everything[100:], x[100:], previous=first)  # a quarter gone
    gen = load_generation(tmp_path)
    assert gen.spaces["dense"].ntotal == 300 and read_retired(second, "dense").size == 0
    assert faiss.vector_to_array(gen.spaces["dense"].id_map).size == 300
