"""BM25 token ids per passage, kept with each generation, so a re-index tokenises only new passages.

bm25s builds its index from token ids and a vocabulary (``bm25s.tokenization.Tokenized``). A build
keeps the ids of every passage beside its BM25 index (``tokens.npz``: passage labels, where each
passage's ids start, the ids; ``tokens-vocab.json``: the words in id order). The next re-index takes
an unchanged passage's ids from there (same label: same text) and tokenises the others, their new
words appended to the vocabulary. BM25 scores depend on the words, not on their ids, so the index is
the one a fresh tokenisation gives; tokenising is most of BM25's share of a re-index (4 s of 7 s at
100,000 passages here).
"""

from __future__ import annotations

import json
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import numpy as np

from indexer.bulk import collector_paused
from indexer.reuse import find_rows

IDS, VOCAB = "tokens.npz", "tokens-vocab.json"


class Tokens(NamedTuple):
    """A generation's token ids: passage labels, offsets into ``ids`` (one more than labels), the
    ids, and the words in id order."""

    labels: np.ndarray
    offsets: np.ndarray
    ids: np.ndarray
    words: list[str]


def read_tokens(generation: Path | None) -> Tokens | None:
    """The token ids a generation kept (None when it kept none: built before they were, or none given)."""
    if generation is None or not (generation / IDS).is_file() or not (generation / VOCAB).is_file():
        return None
    try:
        with np.load(generation / IDS) as held:
            return Tokens(held["labels"], held["offsets"], held["ids"],
                          json.loads((generation / VOCAB).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None


def write_tokens(folder: Path, labels: list[int], ids: list[list[int]], vocab: dict[str, int]) -> None:
    lengths = np.fromiter((len(x) for x in ids), dtype="int64", count=len(ids))
    flat = np.fromiter(chain.from_iterable(ids), dtype="int64", count=int(lengths.sum()))
    with open(folder / IDS, "wb") as fh:
        np.savez(fh, labels=np.asarray(labels, dtype="int64"), offsets=np.r_[0, np.cumsum(lengths)], ids=flat)
    (folder / VOCAB).write_text(json.dumps(in_id_order(vocab), ensure_ascii=False), encoding="utf-8")


def in_id_order(vocab: dict[str, int]) -> list[str]:
    """The words of a vocabulary (word -> id, ids 0..n-1) listed by id."""
    words = [""] * len(vocab)
    for word, i in vocab.items():
        words[i] = word
    return words


def carried_tokens(texts: list[str], labels: list[int], old: Tokens | None, tokenize) -> tuple[list[list[int]], dict[str, int]]:
    """Token ids of every text and the vocabulary: a label ``old`` holds keeps its ids, the other
    texts go through ``tokenize`` (``texts -> Tokenized``) and their words join the vocabulary."""
    if old is None or not len(old.labels):
        fresh = tokenize(texts)
        return [list(x) for x in fresh.ids], dict(fresh.vocab)
    order = np.argsort(old.labels, kind="stable")
    rows = find_rows(old.labels[order], order, labels)
    vocab = {word: i for i, word in enumerate(old.words)}
    todo = np.flatnonzero(rows < 0).tolist()
    new = iter(())
    if todo:
        fresh = tokenize([texts[i] for i in todo])
        mapping = np.asarray([vocab.setdefault(word, len(vocab)) for word in in_id_order(fresh.vocab)], dtype="int64")
        new = (mapping[np.asarray(x, dtype="int64")].tolist() for x in fresh.ids)
    flat, offsets = old.ids, old.offsets.tolist()
    with collector_paused():
        out = [flat[offsets[r]:offsets[r + 1]].tolist() if r >= 0 else next(new) for r in rows.tolist()]
    return out, vocab
