"""Candidates' vectors read in place from a space's codes equal FAISS's own reconstruction."""

import numpy as np

from indexer.ids import SENTENCE_BITS
from indexer.rows import space_rows
from indexer.store import Space, id_map


def test_rows_of_passages_match_reconstruct_in_any_order_with_gaps_and_absent_passages():
    rng = np.random.default_rng(0)
    passages = np.asarray([11, 42, 7, 99], dtype="int64")  # store order; 99 has no sentence vectors
    # sentences added out of passage order, passage 42 missing position 1 (an empty sentence)
    labels = np.asarray([(42 << SENTENCE_BITS) + 2, (11 << SENTENCE_BITS), (42 << SENTENCE_BITS),
                         (7 << SENTENCE_BITS) + 1, (11 << SENTENCE_BITS) + 1, (7 << SENTENCE_BITS)], dtype="int64")
    vectors = rng.standard_normal((len(labels), 8)).astype("float32")
    index = id_map(Space(labels, vectors))
    rows = space_rows(index, passages, sentence_space=True)
    assert rows.count.tolist() == [2, 2, 2, 0]
    at, count = rows.rows(np.asarray([1, 3, 0]))  # passages 42, 99, 11
    assert count.tolist() == [2, 0, 2]
    got = rows.vectors(at)
    want = index.reconstruct_batch(labels[[0, 2, 1, 4]])  # 42's rows, then 11's, each in added order
    np.testing.assert_array_equal(got, want)


def test_passage_space_rows_and_an_empty_space():
    vectors = np.eye(4, dtype="float32")
    index = id_map(Space(np.asarray([5, 6, 7, 8]), vectors))
    rows = space_rows(index, np.asarray([8, 5, 3], dtype="int64"), sentence_space=False)
    at, count = rows.rows(np.asarray([0, 1, 2]))
    assert count.tolist() == [1, 1, 0]
    np.testing.assert_array_equal(rows.vectors(at), vectors[[3, 0]])
    empty = space_rows(id_map(Space(np.zeros(0, dtype="int64"), np.zeros((0, 4), dtype="float32"))),
                       np.asarray([1], dtype="int64"), sentence_space=False)
    assert empty.rows(np.asarray([0]))[1].tolist() == [0]


def test_every_kind_of_code_decodes_as_faiss_reconstructs_it():
    """16-bit codes (decoded by torch), 32-bit ones (viewed) and 8-bit ones (FAISS) give FAISS's values exactly."""
    import faiss

    from indexer.rows import decode, flat_codes

    vectors = np.random.default_rng(1).standard_normal((9, 16)).astype("float32")
    for factory in ("SQfp16", "Flat", "SQ8", "HNSW8,SQfp16"):
        index = faiss.index_factory(16, factory, faiss.METRIC_INNER_PRODUCT)
        index.train(vectors)
        index.add(vectors)
        codes, codec = flat_codes(index)
        got = decode(codes[[4, 0, 7]], codec)
        assert got.dtype == np.float32 and got.shape == (3, 16), factory
        np.testing.assert_array_equal(got, index.reconstruct_batch(np.asarray([4, 0, 7])), err_msg=factory)
