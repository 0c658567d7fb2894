"""Stable integer labels for passages and sentences, derived from the stable passage id.

A passage id is a 16-hex-digit hash of its document, place and text (``chunker``); the stores
(FAISS ``IndexIDMap2``, a vector database) need 64-bit integers. A passage's label is the first
52 bits of its id; a sentence's label is its passage's label shifted left by 8 bits plus its
position in the passage, so the passage of any sentence hit is ``label >> 8``: no lookup table,
and an unchanged passage keeps the labels of its vectors across builds.
"""

from __future__ import annotations

import hashlib

import numpy as np

SENTENCE_SPACES = frozenset({"sentence", "ml_sentence"})
"""Vector spaces holding one vector per sentence, under sentence labels (the others: passage labels)."""
SENTENCE_BITS = 8
MAX_SENTENCES = (1 << SENTENCE_BITS) - 1
"""Sentences beyond this position in one passage are not given a vector (passages hold < 40)."""


def passage_label(passage_id: str) -> int:
    """The 52-bit integer label of a passage id: its first 13 hex digits (an id that is not a hex
    hash, as in hand-made test passages, is hashed first)."""
    try:
        return int(passage_id[:13], 16)
    except ValueError:
        return int(hashlib.sha1(passage_id.encode()).hexdigest()[:13], 16)


def sentence_label(passage_id: str, position: int) -> int:
    """The label of the sentence at ``position`` of passage ``passage_id``."""
    if not 0 <= position <= MAX_SENTENCES:
        raise ValueError(f"sentence position {position} outside 0..{MAX_SENTENCES}")
    return (passage_label(passage_id) << SENTENCE_BITS) | position


def owners(sentence_labels: np.ndarray) -> np.ndarray:
    """Passage labels of sentence labels."""
    return np.asarray(sentence_labels, dtype="int64") >> SENTENCE_BITS


def positions(sentence_labels: np.ndarray) -> np.ndarray:
    """Positions of sentence labels within their passages."""
    return np.asarray(sentence_labels, dtype="int64") & MAX_SENTENCES
