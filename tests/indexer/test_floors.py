"""Floor samples: a small library is sampled whole (its floors exact); a bigger one by farthest-point
sampling, whose floors come nearer the exact ones than evenly spaced vectors four times as many."""

import numpy as np

from indexer.floors import (FLOOR_PASSAGES, farthest_points, floor_passages, pick_passages, read_floor_samples,
                            sample_rows, write_floor_sample)
from indexer.ids import SENTENCE_BITS, owners
from indexer.store import Space


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype("float32")


def library(n: int, d: int = 16, seed: int = 3) -> dict[str, Space]:
    """``n`` passages of 1-4 sentences, their vectors leaning one way as embeddings do."""
    rng = np.random.default_rng(seed)
    lean = np.linspace(2.0, 0.2, d)
    labels = np.arange(1, n + 1, dtype="int64") * 7919
    sentences = [(label, i) for label in labels.tolist() for i in range(1 + label % 4)]
    s_labels = np.asarray([(label << SENTENCE_BITS) + i for label, i in sentences], dtype="int64")
    return {"dense": Space(labels, unit(rng.standard_normal((n, d)) * lean + 3)),
            "sentence": Space(s_labels, unit(rng.standard_normal((len(s_labels), d)) * lean + 3))}


def test_a_library_up_to_the_sample_size_is_sampled_whole():
    spaces = library(FLOOR_PASSAGES)
    picks = floor_passages(spaces)
    assert np.array_equal(picks["dense"], np.sort(spaces["dense"].labels))
    rows, own = sample_rows(spaces["sentence"].labels, True, picks["sentence"])
    assert sorted(rows.tolist()) == list(range(len(spaces["sentence"].labels)))  # every sentence: exact floors
    assert np.all(np.diff(own) >= 0)  # grouped by passage


def test_farthest_points_come_nearer_the_exact_floor_than_four_times_as_many_evenly_spaced():
    space = library(4000)["dense"]
    rng = np.random.default_rng(9)
    questions = unit(space.vectors[rng.integers(0, 4000, (200, 2))].sum(axis=1))
    exact = (questions @ space.vectors.T).min(axis=1)
    picked = farthest_points(space.vectors, 64)
    even = np.linspace(0, 3999, 256).astype(int)
    gap = {name: float(np.mean((questions @ space.vectors[rows].T).min(axis=1) - exact))
           for name, rows in (("farthest", picked), ("even", even))}
    assert 0 <= gap["farthest"] < gap["even"] / 2, gap
    assert np.array_equal(picked, farthest_points(space.vectors, 64))  # deterministic
    assert len(set(picked.tolist())) == 64


def test_a_sentence_space_follows_its_passage_spaces_picks(tmp_path):
    spaces = library(1000)
    picks = floor_passages(spaces, size=50)
    assert len(picks["dense"]) == 50 and np.array_equal(picks["sentence"], picks["dense"])
    assert np.array_equal(picks["dense"], pick_passages(spaces["dense"].labels, spaces["dense"].vectors, 50))
    for name, space in spaces.items():
        write_floor_sample(tmp_path, name, space, picks[name])
    held = read_floor_samples(tmp_path)
    assert np.array_equal(np.unique(held["dense"].owners), picks["dense"])
    wanted = np.isin(owners(spaces["sentence"].labels), picks["dense"]).sum()
    assert len(held["sentence"].owners) == wanted  # every sentence of each picked passage
    assert np.all(np.diff(held["sentence"].owners) >= 0)


def test_picks_are_made_among_an_evenly_spaced_pool_of_a_big_library():
    space = library(3000)["dense"]
    picked = pick_passages(space.labels, space.vectors, size=20, pool=500)
    pool = space.labels[np.linspace(0, 2999, 500).astype("int64")]
    assert len(picked) == 20 and set(picked.tolist()) <= set(pool.tolist())
