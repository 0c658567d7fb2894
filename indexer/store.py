"""The index on disk: generations written whole, then switched to atomically.

Layout under ``<data>/index``::

    CURRENT            name of the live generation (replaced with os.replace: atomic)
    stat-cache.json    the state on disk of files last hashed (``indexer.statcache``): a check
                       reads only files written since
    gen-<stamp>/       manifest.json, passages.jsonl (BM25 row order), bm25/,
                       <space>.faiss for each vector space: "dense" (English model, passages),
                       "sentence" (English model, one vector per sentence), "ml" (cross-lingual),
                       "ml_sentence" (cross-lingual, one vector per sentence);
                       retired-<space>.npy where an HNSW graph grew from the previous
                       generation's and holds passages that went (``indexer.graphs``)

Every vector sits in a FAISS ``IndexIDMap2`` (exact, or approximate for a large space: ``indexer.ann``
plans it and the manifest records it) under its stable label (``indexer.ids``), never a list
position: searches return labels, incremental builds take unchanged vectors back by label. A build writes a new generation beside the live one and only
then points CURRENT at it, so a crash or Ctrl-C mid-build leaves the previous index intact and loadable;
the manifest records a checksum of every file, checked at load (``indexer.integrity``).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.ann import EXACT, IndexPlan, tuned
from indexer.faults import checkpoint
from indexer.integrity import IndexDamaged, checksums, verify
from indexer.passage import Passage
from indexer.statcache import StatCache
from indexer.titles import apply_to_manifest, apply_to_passages, read_titles

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    import numpy as np

MANIFEST = "manifest.json"
SPACES = ("dense", "sentence", "ml", "ml_sentence")


class IndexMissing(Exception):
    """No index has been built in this data directory yet."""


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None
    gen = index_dir / pointer.read_text().strip()
    return gen if (gen / MANIFEST).is_file() else None


def pointer_state(index_dir: Path) -> tuple:
    """What CURRENT looks like on disk (inode, change time, size; () when absent): a switch replaces
    the file (a new inode), so a server finds out whether it moved with one ``stat`` and reads the
    name only when this changed."""
    try:
        st = (index_dir / "CURRENT").stat()
    except OSError:
        return ()
    return st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size


def read_manifest(index_dir: Path) -> dict | None:
    """The live manifest, or None when there is no index yet (cheap: no heavy imports);
    ``IndexDamaged`` when it cannot be read."""
    gen = current_generation(index_dir)
    if gen is None:
        return None
    try:
        manifest = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise IndexDamaged(f"the index in {gen} is damaged (its manifest cannot be read); rebuild it with "
                           "`kb index --rebuild`") from exc
    return apply_to_manifest(manifest, read_titles(index_dir))


@lru_cache(maxsize=4)
def stemmer(language: str):
    """The Snowball stemmer of ``language`` (PyStemmer), built once per process: queries use it."""
    import Stemmer

    return Stemmer.Stemmer(language)


def _stopwords_of(language: str) -> str:
    return {"english": "en", "spanish": "es"}.get(language, language)


def tokenize_for_bm25(texts: list[str], language: str, ids: bool = True):
    """bm25s tokens with the language's stemmer and stopwords (the stemmer is built once: hot path)."""
    import bm25s

    return bm25s.tokenize(texts, stopwords=_stopwords_of(language), stemmer=stemmer(language), return_ids=ids,
                          show_progress=False)


@lru_cache(maxsize=4)
def _splitter_and_stopwords(language: str):
    from bm25s.tokenization import Tokenizer

    held = Tokenizer(lower=True, stopwords=_stopwords_of(language))  # bm25s's splitter and stopword list
    return held.splitter, frozenset(held.stopwords)


def question_tokens(text: str, language: str) -> list[str]:
    """``tokenize_for_bm25([text], language, ids=False)[0]`` for one question, about ten times faster:
    ``bm25s.tokenize`` sets up three progress bars and a stopword set on every call, most of the cost
    for one short text. The same splitter, stopwords and stemmer (tests compare the two on every
    passage and question of the bundled corpus and gold sets)."""
    split, stopwords = _splitter_and_stopwords(language)
    return stemmer(language).stemWords([w for w in split(text.lower()) if w not in stopwords])


@dataclass
class Space:
    """Vectors of one space and their labels, as a build hands them to ``write_generation`` (16-bit
    floats in a build: ``indexer.halves``; 32-bit ones are taken too)."""

    labels: np.ndarray
    vectors: np.ndarray
    probes: np.ndarray | None = None  # question vectors an approximate index is tuned on too (``indexer.probes``)


def id_map(space: Space, plan: IndexPlan | None = None):
    """The FAISS index ``plan`` names (``indexer.ann``; exact when none) over ``space``, addressed by label."""
    from indexer.ann import IndexPlan, build_index

    dim = int(space.vectors.shape[1])
    plan = plan or IndexPlan("exact", EXACT, len(space.labels), dim)
    return build_index(plan, space.labels, space.vectors)


def space_index(space_name: str, space: Space, plan: IndexPlan, previous: Path | None, old_plans: dict):
    """The FAISS index of one space of a new generation, its plan (an HNSW graph's or an IVF's tuned
    breadth recorded) and the labels retired in it: an HNSW graph grows from ``previous``'s graph of the
    same plan when it can (``indexer.graphs``), any other index is built afresh."""
    from indexer.graphs import grown_graph

    old = old_plans.get(space_name) or {}
    if plan.kind == "hnsw" and previous is not None and old.get("factory") == plan.factory and old.get("breadth"):
        grown = grown_graph(previous, space_name, space.labels, space.vectors)
        if grown is not None:
            return grown[0], replace(plan, breadth=int(old["breadth"])), grown[1]
    index = id_map(space, plan)
    return index, tuned(plan, index, space.vectors, space.labels, space.probes), None  # the least breadth reaching the recall target


def write_generation(index_dir: Path, manifest: dict, passages: list[Passage], spaces: dict[str, Space],
                     bm25_texts: list[str], language: str, plans: dict[str, IndexPlan] | None = None,
                     publish: Callable[[str], dict] | None = None, previous: Path | None = None,
                     release: bool = False) -> Path:
    """Write a complete generation and switch CURRENT to it; older generations are removed. Each
    space gets the index its plan names (``indexer.ann.plan_indexes``; exact when none is given);
    HNSW graphs grow from the ``previous`` generation's where they can. ``publish``
    (``indexer.publish``) is called with the generation's name before the switch, to put the vectors
    in an engine as well; what it returns joins the manifest. With ``release`` (a build that no longer
    needs them), each space's vectors are let go once its index and floor sample are written, so a
    big library's build does not hold every space to the end."""
    import bm25s
    import faiss
    import numpy as np

    from indexer.floors import floor_passages, write_floor_sample
    from indexer.graphs import retired_path

    index_dir.mkdir(parents=True, exist_ok=True)
    hashed = StatCache.at(index_dir)  # the checksums' file states, so the next check need not read them
    name = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
    tmp = index_dir / f".tmp-{name}"
    tmp.mkdir()
    try:
        with open(tmp / "passages.jsonl", "w", encoding="utf-8") as fh:
            for p in passages:
                fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        plans = {s: (plans or {}).get(s) or IndexPlan("exact", EXACT, len(sp.labels), int(sp.vectors.shape[1]))
                 for s, sp in spaces.items()}
        old_plans = _vector_plans(previous)
        picks = floor_passages(spaces)  # before any space's vectors are let go: sentence spaces follow passage spaces
        for space_name, space in spaces.items():
            index, plans[space_name], retired = space_index(space_name, space, plans[space_name], previous, old_plans)
            faiss.write_index(index, str(tmp / f"{space_name}.faiss"))
            del index
            if retired is not None and len(retired):
                np.save(retired_path(tmp, space_name), retired)
            write_floor_sample(tmp, space_name, space, picks[space_name])
            if release:
                space.vectors = space.vectors[:0]
        checkpoint("write")
        if passages:
            from bm25s.tokenization import Tokenized

            from indexer.ids import passage_label
            from indexer.lexicon import carried_tokens, read_tokens, write_tokens

            labels = [passage_label(p.id) for p in passages]
            ids, vocab = carried_tokens(bm25_texts, labels, read_tokens(previous),
                                        lambda texts: tokenize_for_bm25(texts, language))
            bm25 = bm25s.BM25()
            bm25.index(Tokenized(ids=ids, vocab=vocab), show_progress=False)
            bm25.save(str(tmp / "bm25"), show_progress=False)
            write_tokens(tmp, labels, ids, vocab)
        manifest = {**manifest, "vector_index": {s: plan.to_dict() for s, plan in plans.items()},
                    **(publish(name) if publish else {}), "checksums": checksums(tmp, hashed, name)}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        final = index_dir / name
        tmp.rename(final)
        checkpoint("switch")
        pointer_tmp = index_dir / f".CURRENT-{uuid.uuid4().hex[:6]}"
        pointer_tmp.write_text(name)
        os.replace(pointer_tmp, index_dir / "CURRENT")  # the atomic switch
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for old in index_dir.iterdir():  # older generations, and what an interrupted build left behind
        if old.is_dir() and old.name != name and (old.name.startswith("gen-") or old.name.startswith(".tmp-")):
            shutil.rmtree(old, ignore_errors=True)
        elif old.is_file() and old.name.startswith(".CURRENT-"):
            old.unlink(missing_ok=True)
    hashed.save()
    return final


def _vector_plans(generation: Path | None) -> dict:
    """The index plans a generation's manifest records ({} when there is none or it cannot be read)."""
    try:
        return json.loads((generation / MANIFEST).read_text(encoding="utf-8")).get("vector_index") or {}
    except (TypeError, OSError, ValueError):
        return {}


@dataclass
class Generation:
    """A live generation in memory: passages (BM25 row order), one FAISS index per space, BM25."""

    path: Path
    manifest: dict
    passages: list[Passage]
    spaces: dict[str, object]
    bm25: object | None


SHARED_FIELDS = ("kind", "doc_id", "title", "breadcrumb", "chapter", "chapter_title", "section", "box_title",
                 "publication", "doc_kind", "source_path", "source_url", "doi", "language")
"""Passage fields that many passages share (a document's title, a section's breadcrumb): held once."""


def load_passages(gen: Path) -> list[Passage]:
    """Every passage of a generation (``indexer.bulk``: the cycle collector paused meanwhile), the
    strings passages share held once, not once a passage."""
    from indexer.bulk import collector_paused

    def shared(d: dict) -> dict:
        for name in SHARED_FIELDS:
            if isinstance(d.get(name), str):
                d[name] = sys.intern(d[name])
        return d

    with collector_paused(), open(gen / "passages.jsonl", encoding="utf-8") as fh:
        return [Passage.from_dict(shared(json.loads(line))) for line in fh if line.strip()]


def load_generation(index_dir: Path, bm25: bool = True, check: bool = True, ann_in_memory: bool = False) -> Generation:
    """Load the live generation (its BM25 index too, unless a build only wants passages and
    vectors); raises IndexMissing with what to do when there is none, IndexDamaged when its files do
    not match their checksums (``check=False``: the caller has just checked them).

    Vector indexes are memory-mapped: an exact one's vectors are paged in as searches touch them
    (the candidates' rows). ``ann_in_memory`` (a server) reads the approximate ones into memory
    instead: a graph walk or an IVF scan touches pages all over its file, and read from disk on first
    use that made a search at 1M passages take 164 ms at the median (`kb bench`)."""
    import bm25s
    import faiss

    gen = current_generation(index_dir)
    if gen is None:
        raise IndexMissing(f"no index in {index_dir}; run `kb index` first")
    manifest = read_manifest(index_dir)
    if check:
        verify(gen, manifest)  # IndexDamaged, saying how to rebuild, rather than wrong results
    passages = load_passages(gen)
    apply_to_passages(passages, read_titles(index_dir))  # the titles users gave documents
    lexical = bm25s.BM25.load(str(gen / "bm25"), show_progress=False) if bm25 and (gen / "bm25").is_dir() else None
    plans = manifest.get("vector_index") or {}

    def flags(space: str) -> int:  # memory-mapped: every space of a build, the exact ones of a server
        in_memory = ann_in_memory and (plans.get(space) or {}).get("kind", "exact") != "exact"
        return 0 if in_memory else faiss.IO_FLAG_MMAP_IFC

    spaces = {name: faiss.read_index(str(gen / f"{name}.faiss"), flags(name))
              for name in SPACES if (gen / f"{name}.faiss").is_file()}
    return Generation(gen, manifest, passages, spaces, lexical)


def page_in(paths: Iterable[Path], chunk: int = 1 << 24) -> int:
    """Read ``paths`` through the operating system's page cache, one reused buffer at a time (the
    cache is the system's: a process that maps the files finds their pages there without holding a
    copy); the bytes read. A file that cannot be read is skipped: its pages come on first touch."""
    buffer = memoryview(bytearray(chunk))
    total = 0
    for path in paths:
        try:
            with open(path, "rb", buffering=0) as fh:
                while read := fh.readinto(buffer):
                    total += read
        except OSError:
            continue
    return total


def stored_arrays(index, spare: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Every label of a FAISS ``IndexIDMap2`` and its vector as 16-bit floats (``indexer.halves``), in
    the index's row order (an incremental build reuses them), the vectors followed by ``spare`` rows
    left to fill (memory the system gives only when they are written). 16-bit codes are copied as
    they are; other indexes' vectors are decoded a chunk at a time."""
    import faiss
    import numpy as np

    from indexer.halves import CHUNK, halves
    from indexer.rows import flat_codes

    vectors = np.empty((index.ntotal + spare, index.d), dtype="float16")
    if index.ntotal == 0:
        return np.zeros(0, dtype="int64"), vectors
    held = flat_codes(index)
    if held is not None and held[0].shape[1] == 2 * index.d and isinstance(held[1], faiss.IndexScalarQuantizer):
        vectors[:index.ntotal] = held[0].view(np.float16)
    else:
        for start in range(0, index.ntotal, CHUNK):
            n = min(CHUNK, index.ntotal - start)
            vectors[start:start + n] = halves(index.index.reconstruct_n(start, n))
    return faiss.vector_to_array(index.id_map), vectors


def stored_vectors(index) -> dict[int, np.ndarray]:
    """Every vector of a FAISS ``IndexIDMap2`` by label (32-bit floats)."""
    labels, vectors = stored_arrays(index)
    return dict(zip(labels.tolist(), vectors.astype("float32")))
