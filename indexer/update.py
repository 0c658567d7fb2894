"""The working half of a build: parse changed files, reuse known vectors, embed the rest, write."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

from corpus.readers import ReadError, read_document
from indexer.build import BuildReport, FileError, _doc_id, search_text
from indexer.chunker import ChunkSettings, chunk
from indexer.passage import Passage
from indexer.embed import dimension, encode, load_model
from indexer.sentences import passage_sentences
from indexer.store import SentenceVectors, current_generation, load_passages, write_generation
from indexer.structure import parse_blocks
from kb.settings import Settings


def _stage(progress: bool, what: str) -> None:
    """Name the next progress bar (sentence-transformers labels its bars only "Batches")."""
    if progress:
        print(what + "…", file=sys.stderr, flush=True)


def parse_file(path: Path, doc_id: str, settings: Settings) -> list[Passage]:
    """Passages of one file; ReadError when it cannot be read or yields nothing."""
    doc = read_document(path)
    passages = chunk(parse_blocks(doc.pages, doc.meta), doc.meta, doc_id,
                     ChunkSettings(settings.chunk_target_words, settings.chunk_max_words, settings.box_max_words))
    for p in passages:
        p.source_path = str(path)
    if not passages:
        raise ReadError("no text passages found")
    return passages


def reuse_vectors(keys: list[str], known: dict[str, np.ndarray], dim: int) -> tuple[np.ndarray, list[int]]:
    """Vectors of the keys (passage ids, sentence keys) embedded before, and the positions still to embed."""
    out = np.zeros((len(keys), dim), dtype="float32")
    todo = []
    for i, key in enumerate(keys):
        if key in known:
            out[i] = known[key]
        else:
            todo.append(i)
    return out, todo


def sentence_key(passage_id: str, start: int, end: int) -> str:
    """A sentence is known by its passage (whose id hashes its text) and its span."""
    return f"{passage_id}:{start}:{end}"


def embed_multilingual(settings: Settings, passages: list[Passage], texts: list[str],
                       known: dict[str, np.ndarray], progress: bool) -> np.ndarray | None:
    """Cross-lingual vectors (reused by passage id), or None when no multilingual model is set."""
    if not settings.multilingual_model:
        return None
    from indexer.multilingual import encode_passages, load_multilingual

    out, todo = reuse_vectors([p.id for p in passages], known, 384)
    if todo:
        _stage(progress, f"Embedding {len(todo)} passages (cross-lingual model)")
        model = load_multilingual(settings.multilingual_model, settings.index_threads)
        out[todo] = encode_passages(model, [texts[i] for i in todo], progress=progress)
    return out


def embed_sentences(settings: Settings, passages: list[Passage], known: dict[str, np.ndarray],
                    dim: int, progress: bool) -> SentenceVectors:
    """One English vector per sentence; a passage seen before (same id, so same text) keeps its
    sentence vectors."""
    rows, texts = [], []
    for i, p in enumerate(passages):
        for _, start, end, text in passage_sentences(p.text, p.sentences, p.box_title):
            rows.append((i, start, end))
            texts.append(text)
    vectors, todo = reuse_vectors([sentence_key(passages[i].id, s, e) for i, s, e in rows], known, dim)
    if todo:
        _stage(progress, f"Embedding {len(todo)} sentences (English model)")
        vectors[todo] = encode(load_model(settings.resolved_model()), [texts[j] for j in todo],
                               settings.embed_batch_size, threads=settings.index_threads, progress=progress)
    return SentenceVectors(vectors, np.asarray(rows, dtype="int32").reshape(-1, 3))


def assemble(settings: Settings, manifest: dict | None, sources: list[str], files: dict[str, str],
             unchanged: set[str], report: BuildReport, progress: bool, t0: float) -> BuildReport:
    """Write a new generation for ``files``; ``manifest`` is the live one when its identity matches."""
    old_passages: dict[str, list[Passage]] = {}
    old_vectors: dict[str, np.ndarray] = {}
    old_ml: dict[str, np.ndarray] = {}
    old_sentences: dict[str, np.ndarray] = {}
    if manifest:
        gen = current_generation(settings.index_dir)
        vecs = np.load(gen / "vectors.npy")
        ml = np.load(gen / "vectors-ml.npy") if (gen / "vectors-ml.npy").is_file() else None
        loaded = load_passages(gen)
        for i, p in enumerate(loaded):
            old_passages.setdefault(p.source_path, []).append(p)
            old_vectors[p.id] = vecs[i]
            if ml is not None:
                old_ml[p.id] = ml[i]
        if (gen / "sentences.npy").is_file():
            svecs, srows = np.load(gen / "sentences.npy"), np.load(gen / "sentence-rows.npy")
            for v, (i, start, end) in zip(svecs, srows):
                old_sentences[sentence_key(loaded[i].id, start, end)] = v
    old_files = manifest.get("files", {}) if manifest else {}

    taken: set[str] = set()
    for f in sorted(unchanged):  # unchanged files keep their doc ids
        taken.add(old_files[f]["doc_id"])
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    passages: list[Passage] = []
    file_entries: dict[str, dict] = {}
    failed: dict[str, dict] = {}
    for f in sorted(files):
        if f in unchanged:
            passages.extend(old_passages.get(f, []))
            file_entries[f] = old_files[f]
            continue
        doc_id = old_files[f]["doc_id"] if f in old_files else _doc_id(Path(f), taken)
        try:
            new = parse_file(Path(f), doc_id, settings)
        except Exception as exc:  # ReadError says why; anything else is a parser bug that must not sink the rest
            reason = str(exc) if isinstance(exc, ReadError) else f"could not parse: {exc.__class__.__name__}: {exc}"
            report.errors.append(FileError(f, reason))
            failed[f] = {"sha256": files[f], "reason": reason}
            if f in old_files:  # keep the last good version rather than lose the document
                passages.extend(old_passages.get(f, []))
                file_entries[f] = old_files[f]
            continue
        report.changed_files.append(f)
        passages.extend(new)
        file_entries[f] = {
            "sha256": files[f], "doc_id": doc_id, "title": new[0].title, "passages": len(new),
            "boxes": len({p.box_id for p in new if p.box_id}), "indexed_at": now,
        }
    report.removed_files = sorted(set(old_files) - set(files))

    texts = [search_text(p) for p in passages]
    needs_model = not manifest or any(p.id not in old_vectors for p in passages)
    model = load_model(settings.resolved_model()) if needs_model else None
    dim = dimension(model) if model is not None else int(manifest["dim"])
    vectors, todo = reuse_vectors([p.id for p in passages], old_vectors, dim)
    t_embed = time.perf_counter()
    if todo:
        _stage(progress, f"Embedding {len(todo)} passages (English model)")
        vectors[todo] = encode(model, [texts[i] for i in todo], settings.embed_batch_size,
                               threads=settings.index_threads, progress=progress)
    sentences = embed_sentences(settings, passages, old_sentences, dim, progress)
    ml_vectors = embed_multilingual(settings, passages, texts, old_ml, progress)
    report.embed_seconds = time.perf_counter() - t_embed
    report.embedded, report.reused = len(todo), len(passages) - len(todo)
    report.sentences = len(sentences.rows)

    for order, p in enumerate(passages):
        p.order = order
    new_manifest = {
        "identity": settings.index_identity(),
        "settings": settings.identity_fields(),
        "model": settings.model_label(),
        "dim": dim,
        "sources": sources,
        "files": file_entries,
        "failed": failed,
        "counts": {"documents": len(file_entries), "passages": len(passages),
                   "boxes": len({(p.doc_id, p.box_id) for p in passages if p.box_id})},
        "built_at": now,
    }
    path = write_generation(settings.index_dir, new_manifest, passages, vectors, texts, settings.bm25_language,
                            ml_vectors, sentences)
    report.index_path = str(path)
    report.documents = len(file_entries)
    report.passages = len(passages)
    report.boxes = new_manifest["counts"]["boxes"]
    report.seconds = time.perf_counter() - t0
    return report
