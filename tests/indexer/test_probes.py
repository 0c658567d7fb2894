"""The question probes a build tunes the approximate cross-lingual indexes on: both languages,
encoded once, only for the cross-lingual spaces that are approximate (the real cross-lingual encoder)."""

import numpy as np

from indexer.ann import IndexPlan
from indexer.probes import attach_probes, probe_questions, probe_vectors
from indexer.store import Space

HNSW, EXACT = IndexPlan("hnsw", "IDMap2,HNSW32,SQfp16", 3, 8), IndexPlan("exact", "IDMap2,SQfp16", 3, 8)


def test_the_probes_are_questions_in_english_and_spanish():
    assert {lang for lang, _ in probe_questions()} == {"en", "es"} and len(probe_questions()) >= 60
    assert all(q.endswith("?") for _, q in probe_questions())


def spaces(*names):
    return {name: Space(np.arange(3), np.eye(3, 8, dtype="float32")) for name in names}


def test_only_approximate_cross_lingual_spaces_get_probes_and_the_encoder_loads_only_then():
    from indexer.encoders import cross_lingual_encoder
    from kb.settings import Settings

    encoder, loads = cross_lingual_encoder(Settings().index.multilingual_model), []

    def load():
        loads.append(1)
        return encoder

    held = spaces("dense", "ml", "ml_sentence")
    attach_probes(held, {"dense": HNSW, "ml": HNSW, "ml_sentence": EXACT}, load)
    assert len(loads) == 1 and held["dense"].probes is None and held["ml_sentence"].probes is None
    probes = held["ml"].probes
    assert probes.shape == (len(probe_questions()), encoder.dim)
    assert np.allclose(np.linalg.norm(probes, axis=1), 1, atol=1e-3)
    assert np.allclose(probes, probe_vectors(encoder), atol=1e-5)

    exact = spaces("dense", "ml")
    attach_probes(exact, {"dense": HNSW, "ml": EXACT}, load)
    assert len(loads) == 1 and exact["ml"].probes is None  # nothing to tune: the encoder was not asked for
