"""Milvus (Milvus Lite) and Qdrant (qdrant-client's local mode) against FAISS, for real.

The bundled corpus's index (built once per session) is published to each engine as a build does,
then every search, with and without filters, must give FAISS's ids and scores. Builds through the
engines run on a few small Markdown files: publishing before the switch, old collections dropped,
an interrupted publish leaving the previous generation serving, and the one-line errors.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from assistant.api import KnowledgeBase
from indexer.engine_store import EngineStore
from indexer.ids import passage_label
from indexer.publish import Publisher
from indexer.store import Space, current_generation, load_generation, stored_vectors
from indexer.stores import open_store
from indexer.where import NOTHING, Where
from kb.cli import main
from kb.settings import Settings

ENGINES = ("milvus", "qdrant")
TOL = 1e-3
QUESTIONS = ("How does Chile certify its procurement officials?", "framework agreements for medicines",
             "¿Qué propone la OCDE sobre la rotación del personal?", "staff turnover at IMSS")


@pytest.fixture(scope="module", params=ENGINES)
def engine_kb(request, corpus_kb, tmp_path_factory):
    """The corpus's live generation published to ``request.param`` (no re-encoding), served by an
    ``EngineStore`` inside a KnowledgeBase otherwise like ``corpus_kb``."""
    settings = corpus_kb.settings.updated(store=request.param, data_dir=tmp_path_factory.mktemp(request.param))
    gen = load_generation(corpus_kb.settings.index_dir)
    spaces = {}
    for name, index in gen.spaces.items():
        held = stored_vectors(index)
        spaces[name] = Space(np.asarray(list(held), dtype="int64"), np.asarray(list(held.values()), dtype="float32"))
    gen.manifest = {**gen.manifest, **Publisher(settings).add(gen.passages, spaces)(gen.path.name)}
    kb = KnowledgeBase(corpus_kb.settings)
    kb.use_store(EngineStore(gen, settings))
    return kb


def wheres(store) -> list[Where]:
    """No filter, each field alone, a combination, the default exclusion, and nothing."""
    passages = store.passages()
    box = next(p for p in passages if p.box_id and p.countries)
    return [Where(), Where.of(countries=["Chile"]), Where.of(countries=["Chile", "Norway"]), Where.of(box_id=[box.box_id]),
            Where.of(kind=["box", "recommendation"]), Where.of(doc_id=[passages[-1].doc_id]),
            Where.of(chapter=[box.chapter], countries=box.countries[:1]),
            Where(exclude_kind=frozenset({"references", "notes", "citation"})), NOTHING]


def same(got, want, what):
    """The same ranking: equal scores at every rank, and each passage its FAISS score (passages tied
    with another, e.g. by a sentence two of them share, may come in either order)."""
    assert np.allclose([s for _, s in got], [s for _, s in want], atol=TOL), what
    scores, last = dict(want), want[-1][1] if want else None
    assert all(abs(scores.get(pid, last) - s) < TOL for pid, s in got), what


def test_searches_match_faiss_with_and_without_filters(engine_kb, corpus_kb):
    engine, faiss = engine_kb.store, corpus_kb.store
    assert engine.page_in() == 0  # a server's warm-up: the engine holds the vectors, no file is mapped
    r = corpus_kb.retriever
    for question in QUESTIONS:
        query = corpus_kb.analyse(question)
        english, ml = r.english_vector(query), r.encoders["ml"].query(query.text)
        for where in wheres(faiss):
            what = (question, where)
            admitted = [p.id for p in faiss.passages() if where.matches(p.to_dict())]
            assert {pid for pid, _ in engine.vector_top_k("dense", english, len(faiss), where)} == set(admitted), what
            same(engine.vector_top_k("dense", english, 10, where), faiss.vector_top_k("dense", english, 10, where), what)
            same(engine.vector_top_k("ml", ml, 10, where), faiss.vector_top_k("ml", ml, 10, where), what)
            same(engine.sentence_top_k(english, 10, where), faiss.sentence_top_k(english, 10, where), what)
            for space, vector in (("dense", english), ("sentence", english), ("ml", ml)):
                want = faiss.vector_floor(space, vector, where)
                assert (want is None) == (engine.vector_floor(space, vector, where) is None), what
                assert want is None or abs(engine.vector_floor(space, vector, where) - want) < TOL, what
        candidates = [pid for pid, _ in faiss.vector_top_k("dense", english, 40, Where())][::3]
        for got, want in ((engine.vector_scores("ml", ml, candidates), faiss.vector_scores("ml", ml, candidates)),
                          (engine.sentence_scores(english, candidates), faiss.sentence_scores(english, candidates))):
            assert set(got) == set(want) == set(candidates)
            assert all(abs(got[pid] - want[pid]) < TOL for pid in candidates)


def test_whole_searches_and_stored_sentences_match_faiss(engine_kb, corpus_kb):
    for question in QUESTIONS:
        for filters in (None, corpus_kb.default_filters(country="Chile")):
            got = engine_kb.search(question, k=5, filters=filters).passages
            want = corpus_kb.search(question, k=5, filters=filters).passages
            assert [h.passage.id for h in got] == [h.passage.id for h in want], question
            assert np.allclose([h.score for h in got], [h.score for h in want], atol=TOL), question
    p = corpus_kb.store.passages()[3]
    labels = [(passage_label(p.id) << 8) | i for i in range(len(p.sentences) + 2)]  # two that were never stored
    got, want = engine_kb.store.sentence_vectors(labels), corpus_kb.store.sentence_vectors(labels)
    assert set(got) == set(want) and all(np.allclose(got[x], want[x], atol=TOL) for x in want)


def _retrieval_tests():
    path = Path(__file__).resolve().parents[1] / "assistant" / "test_retrieve.py"
    spec = importlib.util.spec_from_file_location("retrieval_tests_on_engines", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["test_every_channel_returns_its_own_top_k_of_passage_ids",
                                  "test_filters_are_applied_inside_every_channel",
                                  "test_sentence_channel_scores_a_passage_by_its_best_sentence",
                                  "test_a_recommendation_question_ranks_the_proposal_first"])
def test_the_retrieval_tests_pass_on_every_engine(engine_kb, name):
    getattr(_retrieval_tests(), name)(engine_kb)


# -- builds through an engine ------------------------------------------------------------------

DOCS = {"a.md": "---\ntitle: Review A\nchapter: '1'\n---\n\nConsolidated purchasing\n\nIMSS leads the largest "
        "consolidated procurement of medicines in Mexico.\n\nBox 1.1. Framework agreements in Norway\n\nNorway "
        "uses framework agreements to buy welfare technology.\n\nSource: Example.\n",
        "b.md": "# Staff\n\nProcurement officials at IMSS face high staff turnover and heavy workloads.\n"}


def small_kb(tmp_path: Path, store: str) -> KnowledgeBase:
    src = tmp_path / "docs"
    src.mkdir(exist_ok=True)
    for name, text in DOCS.items():
        (src / name).write_text(text, encoding="utf-8")
    return KnowledgeBase(Settings(data_dir=tmp_path / "data", corpus_dir=src, store=store))


def live_collections(kb) -> set[str]:
    return {c for c in kb.store.engine.collections() if c.startswith("kb_gen_")}


@pytest.mark.parametrize("store", ENGINES)
def test_a_rebuild_publishes_before_the_switch_and_drops_old_collections(tmp_path, store, monkeypatch):
    kb = small_kb(tmp_path, store)
    assert kb.build(progress=False).ok
    first = live_collections(kb)
    manifest = kb.manifest()
    assert manifest["store"] == store and manifest["engine"]["prefix"] == "kb"
    assert first == {c["name"] for c in manifest["engine"]["collections"].values()} and len(first) == 4  # dense, sentence, ml, ml_sentence
    hit = kb.search("Which country buys welfare technology?", k=1).passages[0].passage
    assert hit.countries == ["Norway"]

    live = current_generation(kb.settings.index_dir)
    (kb.settings.corpus_dir / "c.md").write_text("# New\n\nChile certifies its buyers.\n", encoding="utf-8")
    import indexer.publish

    def cut(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C while the vectors are being published

    monkeypatch.setattr(indexer.publish, "nodes", cut)
    with pytest.raises(KeyboardInterrupt):
        KnowledgeBase(kb.settings).build(progress=False)
    assert current_generation(kb.settings.index_dir) == live and live_collections(kb) == first
    monkeypatch.undo()

    again = KnowledgeBase(kb.settings)
    assert again.build(progress=False).ok
    second = live_collections(again)
    assert len(second) == 4 and not second & first
    assert again.search("Who certifies its buyers?", k=1).passages[0].passage.doc_id == "c"


def one_line_error(capsys, *argv) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


def test_unknown_store_is_one_line_naming_the_choices(isolated_env, monkeypatch, capsys):
    monkeypatch.setenv("KB_STORE", "chroma")
    err = one_line_error(capsys, "index")
    assert "unknown store 'chroma' (KB_STORE)" in err and "faiss, milvus, qdrant" in err


@pytest.mark.parametrize("store", ENGINES)
def test_unreachable_engine_is_one_line_naming_the_uri(isolated_env, monkeypatch, capsys, store):
    monkeypatch.setenv("KB_STORE", store)
    monkeypatch.setenv("KB_STORE_URI", "http://127.0.0.1:9")
    err = one_line_error(capsys, "index")
    assert f"cannot reach the {store} engine at http://127.0.0.1:9" in err and "start the engine or fix KB_STORE_URI" in err


def test_an_index_built_for_another_store_says_to_rebuild(corpus_kb, capsys):
    with pytest.raises(RuntimeError, match=r"built for the faiss store, not qdrant .*run `kb index --rebuild`"):
        open_store(corpus_kb.settings.updated(store="qdrant"))
