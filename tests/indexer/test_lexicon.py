"""BM25 token ids carried across generations: only new passages are tokenised, and the BM25 index
is the one a fresh build gives (pure mapping; then real bm25s indexes written by ``write_generation``)."""

import hashlib
from types import SimpleNamespace

import numpy as np

from indexer.lexicon import Tokens, carried_tokens
from indexer.passage import Passage
from indexer.store import Space, load_generation, tokenize_for_bm25, write_generation


def split(texts):
    vocab, ids = {}, []
    for text in texts:
        ids.append([vocab.setdefault(w, len(vocab)) for w in text.split()])
    return SimpleNamespace(ids=ids, vocab=vocab)


def test_unchanged_passages_keep_their_ids_and_new_words_join_the_vocabulary():
    old = Tokens(np.array([7, 3]), np.array([0, 2, 3]), np.array([0, 1, 2]), ["tender", "medicine", "audit"])
    calls = []
    ids, vocab = carried_tokens(["audit", "new tender rules", "tender medicine"], [3, 9, 7], old,
                                lambda texts: calls.append(texts) or split(texts))
    assert calls == [["new tender rules"]]  # only the new passage is tokenised
    words = {i: w for w, i in vocab.items()}
    assert [[words[i] for i in x] for x in ids] == [["audit"], ["new", "tender", "rules"], ["tender", "medicine"]]
    assert ids[0] == [2] and ids[2] == [0, 1] and sorted(vocab.values()) == list(range(len(vocab)))


def passages(texts):
    return [Passage(id=hashlib.sha1(t.encode()).hexdigest()[:16], text=t, kind="paragraph", doc_id="d", title="T",
                    breadcrumb="T") for t in texts]


def bm25_of(folder, items, previous=None):
    labels = np.arange(len(items), dtype="int64") + 1
    write_generation(folder, {"identity": "t"}, items, {"dense": Space(labels, np.eye(len(items), 4, dtype="float32"))},
                     [p.text for p in items], "english", previous=previous)
    return load_generation(folder).bm25


def test_a_carried_index_scores_as_a_fresh_one(tmp_path):
    first = passages(["Consolidated purchases of medicines at IMSS", "Framework agreements in Norway",
                      "Staff turnover among buyers", "Auditors review the tenders of hospitals"])
    second = first[1:] + passages(["Chile trains and certifies its buyers", "Hospitals buy oxygen in tenders"])
    bm25_of(tmp_path / "a", first)
    previous = next((tmp_path / "a").glob("gen-*"))
    carried = bm25_of(tmp_path / "a", second, previous=previous)
    fresh = bm25_of(tmp_path / "b", second)
    for question in ("medicines purchases", "buyers certified in Chile", "hospital tenders", "Norway framework"):
        tokens = [t for t in tokenize_for_bm25([question], "english", ids=False)[0]]
        assert np.allclose(scores(carried, tokens), scores(fresh, tokens)), question


def scores(bm25, tokens):
    """Scores as the store asks for them: the words the index knows (a word only a gone passage held
    may stay in a carried vocabulary, found in no row)."""
    known = [t for t in tokens if t in bm25.vocab_dict]
    return bm25.get_scores(known) if known else np.zeros(bm25.scores["num_docs"])
