"""A build's 16-bit vectors: rounded as FAISS stores them, so an exact index built from them holds the
codes it holds when given 32-bit floats; and the live generation's vectors read back as they are."""

import faiss
import numpy as np
import pytest

import indexer.halves as halves_module
from indexer.ann import IndexPlan, build_index
from indexer.halves import chunks32, halves
from indexer.store import stored_arrays


def unit_vectors(n: int, dim: int = 16, seed: int = 3) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype("float32")
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def codes(index) -> np.ndarray:
    inner = faiss.downcast_index(index.index)
    return faiss.rev_swig_ptr(inner.codes.data(), inner.codes.size()).copy()


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(halves_module, "CHUNK", 7)  # several chunks, the last one short


def test_rounding_is_faiss_own_so_an_exact_index_gets_the_same_codes(small_chunks):
    v = unit_vectors(4000)  # 64,000 components: some fall on a rounding tie, where numpy rounds otherwise
    plan = IndexPlan("exact", "IDMap2,SQfp16", len(v), v.shape[1])
    labels = np.arange(len(v), dtype="int64") * 3
    from_32 = build_index(plan, labels, v)
    from_16 = build_index(plan, labels, halves(v))
    assert halves(v).dtype == np.float16
    assert np.array_equal(codes(from_32), codes(from_16))
    assert np.array_equal(codes(from_32).view(np.float16).reshape(v.shape), halves(v))
    assert np.array_equal(halves(halves(v)), halves(v))
    assert halves(np.zeros((0, 16), dtype="float32")).shape == (0, 16)


def test_chunks_cover_every_row_once_as_32_bit_floats():
    v = halves(unit_vectors(23))
    got = list(chunks32(v, 5))
    assert [start for start, _ in got] == [0, 5, 10, 15, 20]
    assert all(part.dtype == np.float32 and part.flags.c_contiguous for _, part in got)
    assert np.array_equal(np.concatenate([part for _, part in got]), v.astype("float32"))


@pytest.mark.parametrize("factory", ["IDMap2,SQfp16", "IDMap2,HNSW32,SQfp16", "IDMap2,Flat"])
def test_stored_vectors_come_back_16_bit_with_spare_rows(factory):
    v = unit_vectors(300)
    labels = np.arange(300, dtype="int64") + 1000
    index = build_index(IndexPlan("hnsw" if "HNSW" in factory else "exact", factory, 300, 16), labels, halves(v))
    got_labels, got = stored_arrays(index, spare=5)
    assert got.dtype == np.float16 and got.shape == (305, 16)
    assert np.array_equal(got_labels, labels)
    assert np.array_equal(got[:300], halves(v))  # 16-bit codes copied; 32-bit ones (Flat) rounded the same way
