"""The index on disk: generations written whole, then switched to atomically.

Layout under ``<data>/index``::

    CURRENT            name of the live generation (replaced with os.replace: atomic)
    gen-<stamp>/       manifest.json, passages.jsonl (BM25 row order), bm25/,
                       <space>.faiss for each vector space: "dense" (English model, passages),
                       "sentence" (English model, one vector per sentence), "ml" (cross-lingual)

Every vector sits in a FAISS ``IndexIDMap2`` (``VECTOR_INDEX``, recorded in the manifest) under its
stable label (``indexer.ids``), never a list position: searches return labels, incremental builds
take unchanged vectors back by label. A build writes a new generation beside the live one and only
then points CURRENT at it, so a crash or Ctrl-C mid-build leaves the previous index intact and loadable.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.passage import Passage

if TYPE_CHECKING:
    import numpy as np

MANIFEST = "manifest.json"
SPACES = ("dense", "sentence", "ml")


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


@dataclass
class Space:
    """Vectors of one space and their labels, as a build hands them to ``write_generation``."""

    labels: np.ndarray
    vectors: np.ndarray


VECTOR_INDEX = "IDMap2,SQfp16"
"""The FAISS index every space is written as: exact (every vector scored) over vectors held as 16-bit
floats, addressed by label. Half the memory and disk of 32-bit floats at the same scan speed; scores
differ by about 1e-4 and the rankings of every dev and check question are unchanged."""


def id_map(space: Space):
    """An exact inner-product FAISS index (``VECTOR_INDEX``) over ``space``, addressed by label."""
    import faiss
    import numpy as np

    index = faiss.index_factory(int(space.vectors.shape[1]), VECTOR_INDEX, faiss.METRIC_INNER_PRODUCT)
    if len(space.labels):
        index.add_with_ids(np.ascontiguousarray(space.vectors, dtype="float32"),
                           np.asarray(space.labels, dtype="int64"))
    return index


def write_generation(index_dir: Path, manifest: dict, passages: list[Passage], spaces: dict[str, Space],
                     bm25_texts: list[str], language: str) -> Path:
    """Write a complete generation and switch CURRENT to it; older generations are removed."""
    import bm25s
    import faiss

    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
    tmp = index_dir / f".tmp-{name}"
    tmp.mkdir()
    try:
        with open(tmp / "passages.jsonl", "w", encoding="utf-8") as fh:
            for p in passages:
                fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        for space_name, space in spaces.items():
            faiss.write_index(id_map(space), str(tmp / f"{space_name}.faiss"))
        if passages:
            bm25 = bm25s.BM25()
            bm25.index(tokenize_for_bm25(bm25_texts, language), show_progress=False)
            bm25.save(str(tmp / "bm25"), show_progress=False)
        manifest = {**manifest, "vector_index": {name: VECTOR_INDEX for name in spaces}}
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
class Generation:
    """A live generation in memory: passages (BM25 row order), one FAISS index per space, BM25."""

    path: Path
    manifest: dict
    passages: list[Passage]
    spaces: dict[str, object]
    bm25: object | None


def load_passages(gen: Path) -> list[Passage]:
    with open(gen / "passages.jsonl", encoding="utf-8") as fh:
        return [Passage.from_dict(json.loads(line)) for line in fh if line.strip()]


def load_generation(index_dir: Path, bm25: bool = True) -> Generation:
    """Load the live generation (its BM25 index too, unless a build only wants passages and
    vectors); raises IndexMissing with what to do when there is none."""
    import bm25s
    import faiss

    gen = current_generation(index_dir)
    if gen is None:
        raise IndexMissing(f"no index in {index_dir}; run `kb index` first")
    manifest = json.loads((gen / MANIFEST).read_text())
    lexical = bm25s.BM25.load(str(gen / "bm25"), show_progress=False) if bm25 and (gen / "bm25").is_dir() else None
    spaces = {name: faiss.read_index(str(gen / f"{name}.faiss")) for name in SPACES if (gen / f"{name}.faiss").is_file()}
    return Generation(gen, manifest, load_passages(gen), spaces, lexical)


def stored_vectors(index) -> dict[int, np.ndarray]:
    """Every vector of a FAISS ``IndexIDMap2`` by label (an incremental build reuses them)."""
    import faiss

    if index.ntotal == 0:
        return {}
    labels = faiss.vector_to_array(index.id_map)
    vectors = index.index.reconstruct_n(0, index.ntotal)
    return dict(zip(labels.tolist(), vectors))
