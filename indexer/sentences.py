"""Sentence boundaries, from NLTK's Punkt model as shipped inside llama-index (no download)."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

EXTRA_ABBREVIATIONS = {"e.g", "i.e", "approx", "no", "nos", "fig", "etc", "vs", "cf", "art", "para", "p", "pp"}


@lru_cache(maxsize=1)
def _tokenizer():
    import nltk

    spec = importlib.util.find_spec("llama_index.core")
    cache = os.path.join(os.path.dirname(spec.origin), "_static", "nltk_cache") if spec and spec.origin else None
    if cache and cache not in nltk.data.path:
        nltk.data.path.append(cache)
    from nltk.tokenize.punkt import PunktTokenizer

    tok = PunktTokenizer("english")
    tok._params.abbrev_types.update(EXTRA_ABBREVIATIONS)
    return tok


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in ``text`` (so answers can quote the source verbatim)."""
    spans = []
    for start, end in _tokenizer().span_tokenize(text):
        # Punkt keeps a line break inside a span when a list follows; split there too.
        piece_start = start
        for i in range(start, end):
            if text[i] == "\n" and i > piece_start:
                spans.append((piece_start, i))
                piece_start = i + 1
        if piece_start < end:
            spans.append((piece_start, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def split_sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]
