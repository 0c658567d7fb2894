"""The English encoder's question vector is the one ``encode`` gives, to the bit."""

import numpy as np


def test_a_question_vector_equals_the_batch_encoding_exactly():
    from indexer.encoders import english_encoder
    from kb.settings import Settings

    encoder = english_encoder(Settings().resolved_model())
    for text in ("What does the OECD recommend on framework agreements?", "¿Qué propone la OCDE?", "x" * 3000):
        got = encoder.query(text)
        assert got.dtype == np.float32 and got.shape == (encoder.dim,)
        np.testing.assert_array_equal(got, encoder.passages([text])[0])
