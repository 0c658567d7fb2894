"""Sentences: boundaries from NLTK's Punkt model as shipped inside llama-index (no download), the
readable slice of each, and the text that is embedded for it. Shared by the indexer (which stores
one vector per sentence) and the answer layer (which quotes them)."""

from __future__ import annotations

import importlib.util
import os
import re
from functools import lru_cache

_BULLET = re.compile(r"(?:[-•*·–]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_TAIL = re.compile(r"(?:\s*[;,]\s*(?:and|or|y|o)?)\s*$")
_REFERENCE_TAIL = re.compile(r"\s*\([^()]*\[\d+\]\)\s*[.;,]?$")
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


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a sentence span to what reads well inline: no blanks, list bullet, trailing ';' or
    closing reference "(OECD, 2017[4])." (its "[4]" would read as one of the answer's markers)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    bullet = _BULLET.match(text, start, end)
    if bullet and bullet.end() < end:
        start = bullet.end()
    for pattern in (_REFERENCE_TAIL, _TAIL):
        tail = pattern.search(text, start, end)
        if tail and tail.start() > start:
            end = tail.start()
    return start, end


def encoding_text(box_title: str, sentence: str) -> str:
    """What is embedded for a sentence: box sentences carry the box title, because a box line
    ("The first level corresponds to a basic mandatory training") rarely names what the box is
    about (training in Chile), yet that is what questions ask."""
    return f"{box_title}: {sentence}" if box_title else sentence


def passage_sentences(text: str, spans: list[tuple[int, int]], box_title: str = "") -> list[tuple[int, int, int, str]]:
    """(position, start, end, text to embed) of every non-empty trimmed sentence of a passage."""
    out = []
    for position, (s, e) in enumerate(spans or sentence_spans(text)):
        start, end = trim_span(text, s, e)
        if end > start:
            out.append((position, start, end, encoding_text(box_title, text[start:end])))
    return out
