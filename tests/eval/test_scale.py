"""The synthetic library of ``eval.scale``: its filtered searches ask for a country and a box that
passages of the library have (pure, on made-up vectors)."""

import numpy as np

from eval.scale import filter_values, synthetic_library


def test_the_filtered_searches_ask_for_values_the_library_has():
    rng = np.random.default_rng(3)
    pool = [(f"Sentence {i} about procurement.", rng.standard_normal(8).astype("float32"),
             rng.standard_normal(8).astype("float32")) for i in range(50)]
    passages, spaces = synthetic_library(pool, ["Staff", "Audit"], 2000)
    country, box = filter_values(passages)
    assert sum(country in p.countries for p in passages) >= 20  # a country's boxes, about one in eighty passages
    assert sum(p.box_id == box for p in passages) >= 1
    assert len({c for p in passages for c in p.countries}) >= 4 and len(spaces["dense"].labels) == 2000
