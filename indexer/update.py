"""The working half of a build: parse changed files, reuse known vectors by label, embed the rest, write."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

from corpus.problems import Problem
from corpus.readers import ReadError, read_document
from indexer.chunker import ChunkSettings, chunk
from indexer.faults import checkpoint
from indexer.halves import CHUNK, halves
from indexer.ids import MAX_SENTENCES, passage_label, sentence_label
from indexer.passage import Passage
from indexer.report import BuildReport, FileStatus, Outcome
from indexer.sentences import passage_sentences
from indexer.sources import doc_id_for, search_text
from indexer.ann import plans_for
from indexer.probes import attach_probes
from indexer.reuse import NOTHING_KNOWN, Known, carried_sentences
from indexer.store import Space, current_generation, load_generation, stored_arrays, write_generation
from indexer.structure import parse_blocks
from kb.settings import Settings


def _stage(progress: bool, what: str) -> None:
    """Name the next progress bar (sentence-transformers labels its bars only "Batches")."""
    if progress:
        print(what + "…", file=sys.stderr, flush=True)


def parse_file(path: Path, doc_id: str, settings: Settings) -> list[Passage]:
    """Passages of one file; ReadError when it cannot be read, yields nothing or passes a limit."""
    limits = settings.build
    size_mb = path.stat().st_size / 1024 ** 2
    if size_mb > limits.max_file_mb:
        raise ReadError(Problem.TOO_BIG, mb=f"{size_mb:,.1f}", limit=f"{limits.max_file_mb:g}")
    doc = read_document(path)
    s = settings.index
    passages = chunk(parse_blocks(doc.pages, doc.meta), doc.meta, doc_id,
                     ChunkSettings(s.chunk_target_words, s.chunk_max_words, s.box_max_words))
    for p in passages:
        p.source_path = str(path)
    if not passages:
        raise ReadError(Problem.NO_PASSAGES)
    if len(passages) > limits.max_file_passages:
        raise ReadError(Problem.TOO_MANY_PASSAGES, count=f"{len(passages):,}", limit=f"{limits.max_file_passages:,}")
    return passages


def sentence_rows(passages: list[Passage], carried: dict[int, list[int]] | None = None
                  ) -> tuple[list[int], list[str | None]]:
    """Labels and texts to embed of every quotable sentence (see ``indexer.sentences``). A passage
    in ``carried`` (passage label -> its sentence labels in the live generation: same label, same
    text) takes its labels from there and None for texts: its vectors are reused, not encoded."""
    labels, texts = [], []
    for p in passages:
        held = carried.get(passage_label(p.id)) if carried else None
        if held:
            labels.extend(held)
            texts.extend([None] * len(held))
            continue
        for position, _, _, text in passage_sentences(p.text, p.sentences, p.box_title):
            if position <= MAX_SENTENCES:
                labels.append(sentence_label(p.id, position))
                texts.append(text)
    return labels, texts


def embed_space(labels: list[int], texts: list[str], known: Known, encoder_of, what: str,
                progress: bool, stage: str = "") -> tuple[Space, int]:
    """Vectors for ``labels`` (16-bit, as the indexes store them: ``indexer.halves``): known ones
    reused, the rest encoded (the encoder is loaded only then). Returns the space and how many were
    encoded."""
    labels = np.asarray(labels, dtype="int64")
    rows = known.rows(labels)
    held = rows >= 0
    todo = np.flatnonzero(~held)
    encoder = encoder_of() if len(todo) or not len(known.labels) else None  # an empty index still needs the dimension
    if held.any():  # the reused vectors stay where they are (``Known.kept``), the new ones follow them
        kept, vectors = known.kept(rows[held], len(todo))
        labels, new_rows = np.concatenate([kept, labels[todo]]), np.arange(len(kept), len(kept) + len(todo))
    else:
        vectors = np.zeros((len(labels), encoder.dim if encoder else known.vectors.shape[1]), dtype="float16")
        new_rows = todo
    if len(todo):
        if any(texts[i] is None for i in todo.tolist()):  # ``carried_sentences`` checks every space first
            raise RuntimeError(f"{what}: a sentence taken from the live index has no vector there; "
                               "run `kb index --rebuild`")
        _stage(progress, f"Embedding {len(todo)} {what}")
        checkpoint(stage)
        # the encoders return 32-bit floats, rounded to 16 bits a chunk at a time (a 1M-passage
        # library's sentences in one call would be about 10 GB of 32-bit floats)
        for start in range(0, len(todo), CHUNK):
            part = todo[start:start + CHUNK].tolist()
            vectors[new_rows[start:start + len(part)]] = halves(encoder.passages([texts[i] for i in part],
                                                                                 progress=progress))
    return Space(labels, vectors), len(todo)


def _old_state(settings: Settings) -> tuple[dict[str, list[Passage]], dict[str, Known]]:
    """Passages of the live generation by source file, and its vectors by space and label."""
    # checked by ``build._live_manifest`` (a damaged generation is never reused): no second pass of checksums
    gen = load_generation(settings.index_dir, bm25=False, check=False) if current_generation(settings.index_dir) else None
    if gen is None:
        return {}, {}
    by_file: dict[str, list[Passage]] = {}
    for p in gen.passages:
        by_file.setdefault(p.source_path, []).append(p)
    return by_file, {name: Known.of(*stored_arrays(index, spare=index.ntotal // 4 + 4096))
                     for name, index in gen.spaces.items()}


def collect_passages(settings: Settings, files: dict[str, str], unchanged: set[str], old_files: dict,
                     old_passages: dict[str, list[Passage]], report: BuildReport
                     ) -> tuple[list[Passage], dict[str, dict], dict[str, dict]]:
    """Passages of every file (unchanged ones as stored), the manifest's file entries and failures."""
    taken = {old_files[f]["doc_id"] for f in unchanged}  # unchanged files keep their doc ids
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    passages: list[Passage] = []
    entries: dict[str, dict] = {}
    failed: dict[str, dict] = {}
    for f in sorted(files):
        if f in unchanged:
            passages.extend(old_passages.get(f, []))
            entries[f] = old_files[f]
            report.files.append(FileStatus(f, Outcome.UNCHANGED, passages=old_files[f].get("passages", 0)))
            continue
        doc_id = old_files[f]["doc_id"] if f in old_files else doc_id_for(Path(f), taken)
        try:
            new = parse_file(Path(f), doc_id, settings)
        except Exception as exc:  # ReadError says why; anything else is a parser bug that must not sink the rest
            if not isinstance(exc, ReadError):
                exc = ReadError(Problem.UNEXPECTED, detail=str(exc)[:200])
            report.fail(f, str(exc), exc.problem.value, exc.params)
            failed[f] = {"sha256": files[f], "reason": str(exc), "kind": exc.problem.value, "params": exc.params,
                         "limits": settings.build.limits()}
            if f in old_files:  # keep the last good version rather than lose the document
                passages.extend(old_passages.get(f, []))
                entries[f] = old_files[f]
            continue
        checkpoint("parse")
        report.changed_files.append(f)
        report.files.append(FileStatus(f, Outcome.INDEXED, passages=len(new)))
        passages.extend(new)
        entries[f] = {"sha256": files[f], "doc_id": doc_id, "title": new[0].title, "passages": len(new),
                      "boxes": len({p.box_id for p in new if p.box_id}), "indexed_at": now}
    return passages, entries, failed


def assemble(settings: Settings, manifest: dict | None, sources: list[str], files: dict[str, str],
             unchanged: set[str], report: BuildReport, progress: bool, t0: float) -> BuildReport:
    """Write a new generation for ``files``; ``manifest`` is the live one when its identity matches.
    With an engine store, the vectors are published to it before the generation goes live."""
    from indexer.encoders import cross_lingual_encoder, english_encoder
    from indexer.stores import publisher

    engine = publisher(settings, progress)  # a wrong store or an unreachable engine fails here, before encoding
    old_passages, old_vectors = _old_state(settings) if manifest else ({}, {})
    old_files = manifest.get("files", {}) if manifest else {}
    t_parse = time.perf_counter()
    passages, file_entries, failed = collect_passages(settings, files, unchanged, old_files, old_passages, report)
    report.removed_files = sorted(set(old_files) - set(files))
    report.stage_seconds["parse_chunk"] = time.perf_counter() - t_parse

    def english():
        return english_encoder(settings.resolved_model(), settings.build.embed_batch_size)

    texts = [search_text(p) for p in passages]
    labels = [passage_label(p.id) for p in passages]
    spaces: dict[str, Space] = {}
    t_embed = time.perf_counter()
    carried = carried_sentences(labels, old_vectors)  # before ``embed_space`` moves the reused rows
    t = time.perf_counter()
    spaces["dense"], report.embedded = embed_space(labels, texts, old_vectors.get("dense", NOTHING_KNOWN), english,
                                                   "passages (English model)", progress, "encode_passages")
    report.stage_seconds["encode_passages"] = time.perf_counter() - t
    t = time.perf_counter()
    s_labels, s_texts = sentence_rows(passages, carried)
    spaces["sentence"], _ = embed_space(s_labels, s_texts, old_vectors.get("sentence", NOTHING_KNOWN), english,
                                        "sentences (English model)", progress, "encode_sentences")
    report.stage_seconds["encode_sentences"] = time.perf_counter() - t
    if settings.index.multilingual_model:
        t = time.perf_counter()
        spaces["ml"], _ = embed_space(labels, texts, old_vectors.get("ml", NOTHING_KNOWN),
                                      lambda: cross_lingual_encoder(settings.index.multilingual_model),
                                      "passages (cross-lingual model)", progress, "encode_cross_lingual")
        report.stage_seconds["encode_cross_lingual"] = time.perf_counter() - t
        t = time.perf_counter()
        spaces["ml_sentence"], _ = embed_space(s_labels, s_texts, old_vectors.get("ml_sentence", NOTHING_KNOWN),
                                               lambda: cross_lingual_encoder(settings.index.multilingual_model),
                                               "sentences (cross-lingual model)", progress, "encode_cross_lingual_sentences")
        report.stage_seconds["encode_cross_lingual_sentences"] = time.perf_counter() - t
    report.embed_seconds = time.perf_counter() - t_embed
    old_vectors.clear()  # what was reused lives on in the new spaces; the rest can go before writing
    del s_texts, carried  # the sentences are encoded (a 1M-passage library's are about a gigabyte)
    report.reused = len(passages) - report.embedded
    report.sentences = len(s_labels)

    for order, p in enumerate(passages):
        p.order = order
    new_manifest = {
        "identity": settings.index_identity(),
        "settings": settings.identity_fields(),
        "model": settings.model_label(),
        "dim": int(spaces["dense"].vectors.shape[1]),
        "store": settings.index.store,
        "sources": sources,
        "files": file_entries,
        "failed": failed,
        "counts": {"documents": len(file_entries), "passages": len(passages), "sentences": len(s_labels),
                   "boxes": len({(p.doc_id, p.box_id) for p in passages if p.box_id})},
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    t = time.perf_counter()
    plans = plans_for(spaces, settings.index)
    attach_probes(spaces, plans, lambda: cross_lingual_encoder(settings.index.multilingual_model))
    path = write_generation(settings.index_dir, new_manifest, passages, spaces, texts, settings.index.bm25_language,
                            plans, publish=engine.add(passages, spaces) if engine else None,
                            previous=current_generation(settings.index_dir) if manifest else None,
                            release=engine is None)  # an engine's publishing reads them after the indexes
    if engine:
        engine.retire(path.name)  # the new generation is live: older collections go
    report.stage_seconds["write"] = time.perf_counter() - t
    report.stage_seconds = {k: round(v, 3) for k, v in report.stage_seconds.items()}
    report.index_path = str(path)
    report.documents = len(file_entries)
    report.passages = len(passages)
    report.boxes = new_manifest["counts"]["boxes"]
    report.seconds = time.perf_counter() - t0
    return report
