"""The measured phases of `kb bench`, each run in a subprocess of its own so that its peak resident
memory (``VmHWM``) is that phase's alone: ``python -m eval.bench.phases PHASE '<json args>'``
prints one JSON object on its last stdout line.

- ``build``: a cold build of the library (real encoders, or composed ones for the big sizes:
  ``eval.bench.composed``), then a no-op re-index; for a real build, the bare encoding of an evenly
  spaced sample of the same passages and sentences, scaled to all of them (build / bare).
- ``serve``: open the index, load the encoders, answer the questions (``eval.bench.latency``).
- ``ann``: recall@10 and search time of every approximate vector index against exact search.
- ``reindex``: append a paragraph to one document and re-index (real encoders), then the bare
  encoding of that document's passages and sentences.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from kb.settings import Settings


def bench_settings(a: dict) -> Settings:
    """The library folder is the knowledge base's (only) source; everything else as configured."""
    return Settings(data_dir=Path(a["data_dir"]), corpus_dir=Path(a["library"]), store=a["store"])


def _proc_status_mb(*names: str) -> dict[str, float]:
    """Fields of /proc/self/status in MB ({} where there is no /proc)."""
    status = Path("/proc/self/status")
    held = {}
    if status.is_file():
        for line in status.read_text().splitlines():
            name, _, value = line.partition(":")
            if name in names:
                held[name] = round(int(value.split()[0]) / 1024, 1)
    return held


def peak_rss_mb() -> float:
    """This process's peak resident memory: ``VmHWM`` of /proc/self/status where there is one (the
    high-water mark of this program's memory only: Linux's ``ru_maxrss`` carries the parent's peak
    across fork and exec), else ``ru_maxrss``."""
    return _proc_status_mb("VmHWM").get("VmHWM") or round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rss_split_mb() -> dict[str, float]:
    """This process's resident memory now, split into its own (``RssAnon``) and the pages of mapped
    files (``RssFile``: memory-mapped vectors, shared page cache the system can reclaim); {} where
    /proc does not say."""
    return {f"{name[3:].lower()}_rss_mb": mb for name, mb in _proc_status_mb("RssAnon", "RssFile").items()}


def sample(items: list, at_most: int) -> list:
    step = max(1, -(-len(items) // at_most)) if at_most > 0 else 1
    return items[::step]


def scaled_bare(settings: Settings, passages: list, at_most: int) -> dict:
    """Bare encoding seconds of ``passages`` and their sentences, from evenly spaced samples of at
    most ``at_most`` each, scaled to the whole (exact when the sample is everything)."""
    from indexer.benchmark import bare_encodes, loaded_encoders
    from indexer.sources import search_text
    from indexer.update import sentence_rows

    english, ml = loaded_encoders(settings)
    texts = [search_text(p) for p in passages]
    _, sentences = sentence_rows(passages)
    t, s = sample(texts, at_most), sample(sentences, at_most)
    measured = bare_encodes(english, ml, t, s)
    per_text, per_sentence = len(texts) / max(len(t), 1), len(sentences) / max(len(s), 1)
    return {name: round(sec * (per_sentence if name.endswith("sentences") else per_text), 3)
            for name, sec in measured.items()} | {
        "sampled_passages": len(t), "sampled_sentences": len(s)}


def build(a: dict) -> dict:
    from eval.bench.composed import composed_encoders
    from indexer.benchmark import loaded_encoders
    from indexer.build import build_index
    from indexer.store import load_generation

    settings = bench_settings(a)
    composed = bool(a["composed"])
    if not composed:
        loaded_encoders(settings)  # model loading stays outside the timing, as in indexer.benchmark
    with composed_encoders(Path(a["pool_index"]), Path(a["cache"]) if a.get("cache") else None) if composed \
            else nullcontext():
        t0 = time.perf_counter()
        report = build_index(settings, progress=a.get("progress", False))
        build_s = time.perf_counter() - t0
    if report.errors:
        raise RuntimeError(f"the build failed: {report.errors[:3]}")
    t0 = time.perf_counter()
    noop = build_index(settings, progress=False)
    noop_s = time.perf_counter() - t0
    out = {"documents": report.documents, "passages": report.passages, "sentences": report.sentences,
           "boxes": report.boxes, "build_s": round(build_s, 3), "stages_s": report.stage_seconds,
           "passages_per_s": round(report.passages / build_s, 1), "noop_s": round(noop_s, 4), "noop": noop.noop,
           "vector_index": {s: p["kind"] for s, p in (load_generation(settings.index_dir, bm25=False)
                                                      .manifest.get("vector_index") or {}).items()},
           "peak_rss_mb": peak_rss_mb()}
    if not composed:  # measured after the peak above, so it does not count towards it
        passages = load_generation(settings.index_dir, bm25=False).passages
        bare = scaled_bare(settings, passages, a.get("bare_sample", 1000))
        out["bare_s"] = bare
        encode_s = sum(v for k, v in bare.items() if not k.startswith("sampled"))
        out["build_over_bare"] = round(build_s / encode_s, 3) if encode_s else None
    return out


def serve(a: dict) -> dict:
    from assistant.api import KnowledgeBase
    from eval.bench.latency import latency

    kb = KnowledgeBase(bench_settings(a))
    t0 = time.perf_counter()
    kb.retriever  # the index and the encoders
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    kb.warm_up()  # as a server starts: mapped vectors paged in, one answer, the corpus's terms
    warm_s = time.perf_counter() - t0
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_majflt
    result = latency(kb, a["questions"])
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_majflt - faults  # pages read from disk by the questions
    return {"load_s": round(load_s, 3), "warm_up_s": round(warm_s, 3), **result, "peak_rss_mb": peak_rss_mb(),
            **rss_split_mb(), "major_faults_per_question": round(faults / max(len(a["questions"]), 1), 2)}


def ann(a: dict) -> dict:
    import numpy as np

    from assistant.api import KnowledgeBase
    from eval.bench.latency import ann_recall

    settings = bench_settings(a)
    kb = KnowledgeBase(settings)
    r, plans = kb.retriever, kb.store.manifest.get("vector_index") or {}
    queries = [kb.analyse(q) for q in a["questions"]]
    out = {}
    for space, plan in plans.items():
        if plan["kind"] == "exact":
            continue
        cross_lingual = space.startswith("ml")  # "ml", "ml_sentence": the cross-lingual encoder, on the question as typed
        encoder, reads = (r.encoders["ml"], "text") if cross_lingual else (r.encoders["english"], "english")
        vectors = np.stack([encoder.query(getattr(q, reads)) for q in queries]).astype("float32")
        out[space] = {"kind": plan["kind"], "factory": plan["factory"],
                      "breadth": plan.get("breadth", 0),
                      **ann_recall(kb.store.generation.spaces[space], vectors, settings.retrieval.ann_ef_search,
                                   settings.retrieval.ann_nprobe, tuned=int(plan.get("breadth") or 0))}
    return {"spaces": out, "peak_rss_mb": peak_rss_mb()}


def reindex(a: dict) -> dict:
    from eval.bench.library import append_paragraph
    from indexer.benchmark import loaded_encoders
    from indexer.build import build_index
    from indexer.store import load_generation

    settings = bench_settings(a)
    loaded_encoders(settings)
    path = Path(a["file"])
    append_paragraph(path, a["paragraph"])
    t0 = time.perf_counter()
    report = build_index(settings, progress=False)
    reindex_s = time.perf_counter() - t0
    doc = [p for p in load_generation(settings.index_dir, bm25=False).passages if p.source_path == str(path.resolve())]
    bare = scaled_bare(settings, doc, 10**9)
    doc_bare_s = sum(v for k, v in bare.items() if not k.startswith("sampled"))
    return {"file": path.name, "doc_passages": len(doc), "doc_sentences": bare["sampled_sentences"],
            "embedded": report.embedded, "reindex_s": round(reindex_s, 3), "stages_s": report.stage_seconds,
            "doc_bare_encode_s": round(doc_bare_s, 3),
            "reindex_over_doc_bare": round(reindex_s / doc_bare_s, 3) if doc_bare_s else None,
            "reindex_minus_2x_doc_bare_s": round(reindex_s - 2 * doc_bare_s, 3), "peak_rss_mb": peak_rss_mb()}


PHASES = {"build": build, "serve": serve, "ann": ann, "reindex": reindex}


def main(argv: list[str]) -> int:
    from kb.runtime import configure

    name, args = argv[0], json.loads(argv[1])
    settings = bench_settings(args)
    configure(settings.retrieval.query_threads if name == "serve" else settings.build.index_threads)
    print(json.dumps(PHASES[name](args)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
