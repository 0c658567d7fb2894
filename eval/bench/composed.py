"""Stand-in encoders for the big sizes: vectors composed from the corpus's real stored vectors.

Encoding 100,000 passages and 450,000 sentences for real takes hours on two cores, and search cost
does not depend on the values of the vectors. So for sizes above ``--real-up-to`` the normal build
runs with ``ComposedEncoder`` in place of the English and cross-lingual encoders: a sentence of the
corpus gets the vector the corpus index stored for it, any other text (a passage: breadcrumb plus
sentences) the normalised mean of the stored vectors of the corpus sentences it holds (the
cross-lingual one: of their passages' cross-lingual vectors), or a fixed corpus vector picked by
its hash when it holds none. Everything else in the build (parsing, chunking, the index plans,
writing) is the product's own code.

Composing a passage means splitting it into sentences (Punkt), the slow part at 1M passages, so
composed vectors are cached: ``<cache>/vectors-<space>-<pool>.keys.npy`` (64-bit hashes of the
texts) and ``.vectors.npy`` (float16), keyed by the pool (the corpus index they come from). A
later run of any size reads them back instead of composing again.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import numpy as np

from eval.scale import corpus_pool, normalised
from indexer.sentences import split_sentences


def text_key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


class VectorCache:
    """Composed vectors by text hash, in two .npy files (16-bit vectors, read memory-mapped: a 1M
    library's would be gigabytes as objects); ``save`` appends what was composed since loading."""

    def __init__(self, folder: Path | None, name: str):
        self.paths = (folder / f"{name}.keys.npy", folder / f"{name}.vectors.npy") if folder else None
        self.known: dict[int, int] = {}  # text hash -> row of ``vectors``
        self.vectors = np.zeros((0, 0), dtype="float16")
        self.new: dict[int, np.ndarray] = {}  # text hash -> 16-bit vector composed since loading
        if self.paths and self.paths[0].is_file() and self.paths[1].is_file():
            keys, self.vectors = np.load(self.paths[0]), np.load(self.paths[1], mmap_mode="r")
            self.known = {key: row for row, key in enumerate(keys.tolist())}

    def get(self, key: int) -> np.ndarray | None:
        v = self.new.get(key)
        if v is None:
            row = self.known.get(key)
            v = None if row is None else self.vectors[row]
        return v

    def add(self, key: int, vector: np.ndarray) -> None:
        self.new[key] = np.asarray(vector, dtype="float16")

    def save(self, chunk: int = 65536) -> int:
        """Write old and new vectors back (atomically, a chunk at a time); returns how many were added."""
        if not self.paths or not self.new:
            return 0
        old, added = len(self.known), len(self.new)
        dim = len(next(iter(self.new.values())))
        self.paths[0].parent.mkdir(parents=True, exist_ok=True)
        keys_tmp, vectors_tmp = (path.with_suffix(".tmp.npy") for path in self.paths)
        np.save(keys_tmp, np.fromiter((*self.known, *self.new), dtype="int64", count=old + added))
        out = np.lib.format.open_memmap(vectors_tmp, mode="w+", dtype="float16", shape=(old + added, dim))
        for start in range(0, old, chunk):
            stop = min(start + chunk, old)
            out[start:stop] = self.vectors[start:stop]
        new = list(self.new.values())
        for start in range(0, added, chunk):
            part = np.stack(new[start:start + chunk])
            out[old + start:old + start + len(part)] = part
        out.flush()
        del out
        keys_tmp.replace(self.paths[0])
        vectors_tmp.replace(self.paths[1])
        self.new = {}
        return added


class ComposedEncoder:
    """An encoder's interface (``dim``, ``passages``, ``query``) over a table of known sentence vectors:
    passages are composed; a question (a build's tuning probes, ``indexer.probes``) is encoded by the
    real model ``real()`` loads, as a server would encode it."""

    def __init__(self, table: dict[str, np.ndarray], cache: VectorCache, real=None):
        self.table, self.cache, self.real = table, cache, real
        self.fallback = np.stack(list(table.values()))
        self.dim = int(self.fallback.shape[1])

    def vector(self, text: str) -> np.ndarray:
        v = self.table.get(text)
        if v is not None:
            return v
        key = text_key(text)
        v = self.cache.get(key)
        if v is None:
            parts = [self.table[s] for s in split_sentences(text) if s in self.table]
            v = normalised(np.mean(parts, axis=0)) if parts else self.fallback[key % len(self.fallback)]
            self.cache.add(key, v)
        return v

    def passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype="float32")
        return np.stack([np.asarray(self.vector(t), dtype="float32") for t in texts])

    def query(self, text: str) -> np.ndarray:
        return self.real().query(text) if self.real else self.passages([text])[0]


def pool_tables(index_dir: Path) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], str]:
    """English and cross-lingual vectors of every corpus sentence (``eval.scale.corpus_pool``), and a
    fingerprint of the pool for cache names."""
    pool, _ = corpus_pool(index_dir)
    english = {s: v for s, v, _ in pool}
    ml = {s: m for s, _, m in pool if m is not None}
    digest = hashlib.blake2b(digest_size=6)
    for s, v, _ in pool[:: max(1, len(pool) // 64)]:
        digest.update(s.encode("utf-8") + np.asarray(v, dtype="float16").tobytes())
    return english, ml, digest.hexdigest()


@contextmanager
def composed_encoders(index_dir: Path, cache_dir: Path | None):
    """Within the block, builds encode with ``ComposedEncoder``s over the corpus index in ``index_dir``;
    the composed vectors are saved to ``cache_dir`` at the end. Yields the two encoders."""
    import indexer.encoders as encoders

    english_table, ml_table, pool_id = pool_tables(index_dir)
    real_english, real_ml, given = encoders.english_encoder, encoders.cross_lingual_encoder, {}
    english = ComposedEncoder(english_table, VectorCache(cache_dir, f"vectors-english-{pool_id}"),
                              lambda: real_english(*given["english"][0], **given["english"][1]))
    ml = ComposedEncoder(ml_table or english_table, VectorCache(cache_dir, f"vectors-ml-{pool_id}"),
                         lambda: real_ml(*given["ml"][0], **given["ml"][1]))

    def composed(name: str, encoder: ComposedEncoder):
        def load(*args, **kwargs):  # the arguments the build loads the model with, for its real questions
            given[name] = (args, kwargs)
            return encoder
        return load

    with mock.patch.object(encoders, "english_encoder", composed("english", english)), \
            mock.patch.object(encoders, "cross_lingual_encoder", composed("ml", ml)):
        yield english, ml
    english.cache.save()
    ml.cache.save()
