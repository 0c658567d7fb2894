"""The index on disk: generations written whole, then switched to atomically.

Layout under ``<data>/index``::

    CURRENT            name of the live generation (replaced with os.replace: atomic)
    gen-<stamp>/       manifest.json, passages.jsonl, vectors.npy, dense.faiss, bm25/,
                       vectors-ml.npy + dense-ml.faiss (cross-lingual encoder, when set),
                       sentences.npy + sentence-rows.npy (one English vector per sentence)

A build writes a new generation beside the live one and only then points CURRENT at it, so a
crash or Ctrl-C mid-build leaves the previous index intact and loadable.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.passage import Passage

if TYPE_CHECKING:
    import numpy as np

MANIFEST = "manifest.json"


class IndexMissing(Exception):
    """No index has been built in this data directory yet."""


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None
    gen = index_dir / pointer.read_text().strip()
    return gen if (gen / MANIFEST).is_file() else None


def read_manifest(index_dir: Path) -> dict | None:
    """The live manifest, or None when there is no index yet (cheap: no heavy imports)."""
    gen = current_generation(index_dir)
    return json.loads((gen / MANIFEST).read_text()) if gen else None


@lru_cache(maxsize=4)
def stemmer(language: str):
    """The Snowball stemmer of ``language`` (PyStemmer), built once per process: queries use it."""
    import Stemmer

    return Stemmer.Stemmer(language)


def tokenize_for_bm25(texts: list[str], language: str, ids: bool = True):
    """bm25s tokens with the language's stemmer and stopwords (the stemmer is built once: hot path)."""
    import bm25s

    return bm25s.tokenize(texts, stopwords={"english": "en", "spanish": "es"}.get(language, language),
                          stemmer=stemmer(language), return_ids=ids, show_progress=False)


def write_generation(index_dir: Path, manifest: dict, passages: list[Passage], vectors: np.ndarray,
                     search_texts: list[str], language: str, ml_vectors: np.ndarray | None = None,
                     sentences: SentenceVectors | None = None) -> Path:
    """Write a complete generation and switch CURRENT to it; older generations are removed."""
    import bm25s
    import faiss
    import numpy as np

    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
    tmp = index_dir / f".tmp-{name}"
    tmp.mkdir()
    try:
        with open(tmp / "passages.jsonl", "w", encoding="utf-8") as fh:
            for p in passages:
                fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        np.save(tmp / "vectors.npy", vectors)
        dense = faiss.IndexFlatIP(int(manifest["dim"]))
        if len(vectors):
            dense.add(vectors)
        faiss.write_index(dense, str(tmp / "dense.faiss"))
        if ml_vectors is not None:
            np.save(tmp / "vectors-ml.npy", ml_vectors)
            ml = faiss.IndexFlatIP(int(ml_vectors.shape[1]))
            if len(ml_vectors):
                ml.add(ml_vectors)
            faiss.write_index(ml, str(tmp / "dense-ml.faiss"))
        if sentences is not None:
            np.save(tmp / "sentences.npy", sentences.vectors)
            np.save(tmp / "sentence-rows.npy", sentences.rows)
        bm25 = bm25s.BM25()
        if passages:
            bm25.index(tokenize_for_bm25(search_texts, language), show_progress=False)
            bm25.save(str(tmp / "bm25"), show_progress=False)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        final = index_dir / name
        tmp.rename(final)
        pointer_tmp = index_dir / f".CURRENT-{uuid.uuid4().hex[:6]}"
        pointer_tmp.write_text(name)
        os.replace(pointer_tmp, index_dir / "CURRENT")  # the atomic switch
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for old in index_dir.iterdir():
        if old.is_dir() and old.name != name and (old.name.startswith("gen-") or old.name.startswith(".tmp-")):
            shutil.rmtree(old, ignore_errors=True)
    return final


@dataclass
class SentenceVectors:
    """One English vector per sentence, embedded at index time: retrieval scores a passage by its
    best sentence too, and answers pick sentences without encoding them at question time.
    ``rows[i]`` is (passage index, start, end) of sentence i in the passage text."""

    vectors: np.ndarray
    rows: np.ndarray

    def owners(self) -> np.ndarray:
        return self.rows[:, 0]


@dataclass
class LoadedIndex:
    """A live generation in memory: passages, vectors, FAISS and BM25 indexes."""

    path: Path
    manifest: dict
    passages: list[Passage]
    vectors: np.ndarray
    dense: object
    bm25: object | None
    dense_ml: object | None = None  # the cross-lingual index, when one was built
    sentences: SentenceVectors | None = None
    by_id: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {p.id: i for i, p in enumerate(self.passages)}


def load_passages(gen: Path) -> list[Passage]:
    with open(gen / "passages.jsonl", encoding="utf-8") as fh:
        return [Passage.from_dict(json.loads(line)) for line in fh if line.strip()]


def load_index(index_dir: Path) -> LoadedIndex:
    """Load the live generation; raises IndexMissing with what to do when there is none."""
    import bm25s
    import faiss
    import numpy as np

    gen = current_generation(index_dir)
    if gen is None:
        raise IndexMissing(f"no index in {index_dir}; run `kb index` first")
    manifest = json.loads((gen / MANIFEST).read_text())
    passages = load_passages(gen)
    bm25 = bm25s.BM25.load(str(gen / "bm25"), show_progress=False) if (gen / "bm25").is_dir() else None
    dense_ml = faiss.read_index(str(gen / "dense-ml.faiss")) if (gen / "dense-ml.faiss").is_file() else None
    sentences = None
    if (gen / "sentences.npy").is_file():
        sentences = SentenceVectors(np.load(gen / "sentences.npy"), np.load(gen / "sentence-rows.npy"))
    return LoadedIndex(path=gen, manifest=manifest, passages=passages, vectors=np.load(gen / "vectors.npy"),
                       dense=faiss.read_index(str(gen / "dense.faiss")), bm25=bm25, dense_ml=dense_ml,
                       sentences=sentences)
