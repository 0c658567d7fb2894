"""Query latency on a deterministic synthetic library built from the corpus sentences.

``python -m eval.scale --passages 10000 --out eval/reports/scale`` makes ``N`` passages from the bundled
corpus's sentences (a seeded draw of 3-6 sentences each) spread over documents, chapters, sections,
boxes with countries, proposals for action and reference lists, so filters have work; writes them as
a real index generation (FAISS id maps, bm25s, manifest) and times, question by question and side by
side: the bare query encodings, an unfiltered search, a country-filtered and a box-filtered one.

The synthetic passages' vectors are composed, not encoded: each sentence keeps the real vector the
indexer stored for it in the corpus index, a passage's English and cross-lingual vectors are the
normalised means of its sentences' English vectors and of its source passages' cross-lingual vectors.
Search cost does not depend on the values of the vectors; encoding 10,000 passages for real is the
build benchmark's job (``python -m indexer.benchmark``).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.ann import plans_for
from indexer.chunker import SEP
from indexer.ids import passage_label, sentence_label
from indexer.passage import Passage
from indexer.probes import attach_probes
from indexer.sentences import passage_sentences
from indexer.sources import search_text
from indexer.store import Space, load_generation, stored_vectors, write_generation

COUNTRIES = ("Chile", "Norway", "Canada", "Korea", "United Kingdom", "Finland", "Colombia", "Portugal")


def normalised(v: np.ndarray) -> np.ndarray:
    return (v / max(float(np.linalg.norm(v)), 1e-9)).astype("float32")


def corpus_pool(index_dir: Path) -> tuple[list[tuple[str, np.ndarray, np.ndarray | None]], list[str]]:
    """(sentence, its stored English vector, its passage's cross-lingual vector) of every corpus
    sentence, and the corpus's section names."""
    gen = load_generation(index_dir)
    sent = stored_vectors(gen.spaces["sentence"])
    ml = stored_vectors(gen.spaces["ml"]) if "ml" in gen.spaces else {}
    pool, sections = [], []
    for p in gen.passages:
        if p.kind in ("references", "notes", "citation"):
            continue
        sections.append(p.section)
        for position, start, end, _ in passage_sentences(p.text, p.sentences):
            label = sentence_label(p.id, position)
            if label in sent:
                pool.append((p.text[start:end], sent[label], ml.get(passage_label(p.id))))
    return pool, sorted({s for s in sections if s})


@dataclass(frozen=True)
class Draw:
    """One synthetic passage as drawn: its place (document, chapter, section, box), kind and the pool
    sentences it is made of (indices into the pool)."""

    i: int
    doc: int
    chapter: str
    kind: str
    picks: tuple[int, ...]
    section: str
    box_id: str
    countries: tuple[str, ...]


def draws(pool_size: int, sections: list[str], n: int, seed: int = 7, per_doc: int = 200) -> Iterator[Draw]:
    """The deterministic draws of ``n`` synthetic passages (a seeded choice of 3-6 pool sentences each),
    shared by this module's in-memory library and ``kb bench``'s Markdown library."""
    rng = random.Random(seed)
    for i in range(n):
        d = i // per_doc
        chapter = str(1 + d % 12)
        kind = ("references" if i % 33 == 0 else "recommendation" if i % 20 == 0 else "box" if i % 10 == 0
                else "paragraph")
        picks = tuple(rng.randrange(pool_size) for _ in range(rng.randint(3, 6)))
        box_id = f"{chapter}.{1 + (i // 10) % 9}" if kind == "box" else ""
        countries = (COUNTRIES[(i // 10) % len(COUNTRIES)],) if kind == "box" else ()
        yield Draw(i, d, chapter, kind, picks, sections[rng.randrange(len(sections))], box_id, countries)


def synthetic_library(pool, sections: list[str], n: int, seed: int = 7, per_doc: int = 200):
    """``n`` passages with their English passage, sentence and cross-lingual vectors (deterministic)."""
    passages, dense, ml, s_labels, s_vecs = [], [], [], [], []
    for dr in draws(len(pool), sections, n, seed, per_doc):
        i, d, chapter, kind, box_id, section = dr.i, dr.doc, dr.chapter, dr.kind, dr.box_id, dr.section
        picks = [pool[j] for j in dr.picks]
        text, spans = "", []
        for sentence, _, _ in picks:
            start = len(text) + (1 if text else 0)
            text = f"{text} {sentence}" if text else sentence
            spans.append((start, len(text)))
        countries = list(dr.countries)
        title = f"Synthetic review {d:03d}"
        crumb = SEP.join(x for x in (title, f"Chapter {chapter}", section, f"Box {box_id}" if box_id else "") if x)
        pid = f"{(i * 2654435761 + 97) % (1 << 52):013x}{i % 4096:03x}"
        passages.append(Passage(id=pid, text=text, kind=kind, doc_id=f"synthetic-{d:03d}", title=title,
                                breadcrumb=crumb, chapter=chapter, section=section, box_id=box_id,
                                box_title=f"Country practice {box_id}" if box_id else "", countries=countries,
                                sentences=spans, order=i, source_path=f"synthetic/{d:03d}.md"))
        vecs = [v for _, v, _ in picks]
        dense.append(normalised(np.mean(vecs, axis=0)))
        mls = [m for _, _, m in picks if m is not None]
        ml.append(normalised(np.mean(mls, axis=0)) if mls else dense[-1])
        for position, v in enumerate(vecs):
            s_labels.append(sentence_label(pid, position))
            s_vecs.append(v)
    labels = np.asarray([passage_label(p.id) for p in passages], dtype="int64")
    spaces = {"dense": Space(labels, np.stack(dense)), "sentence": Space(np.asarray(s_labels), np.stack(s_vecs)),
              "ml": Space(labels, np.stack(ml))}
    return passages, spaces


def filter_values(passages: list[Passage]) -> tuple[str, str]:
    """The country and the box the filtered searches ask for: the first box passage's, so that both
    admit passages of the library (a country no passage names would time an empty search)."""
    first = next(p for p in passages if p.countries)
    return first.countries[0], first.box_id


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def p(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2)


def run(n: int, questions: list[str], data_dir: Path) -> dict:
    from assistant.api import KnowledgeBase
    from kb.settings import Settings

    corpus = KnowledgeBase(Settings(data_dir=data_dir / "corpus"))
    corpus.build(progress=False)
    pool, sections = corpus_pool(corpus.settings.index_dir)
    t0 = time.perf_counter()
    passages, spaces = synthetic_library(pool, sections, n)
    settings = Settings(data_dir=data_dir / "synthetic")
    manifest = {"identity": settings.index_identity(), "settings": settings.identity_fields(),
                "model": settings.model_label(), "dim": 384, "store": "faiss", "sources": [], "files": {},
                "failed": {}, "counts": {"passages": n, "sentences": len(spaces["sentence"].labels)}, "synthetic": True}
    plans, encoders = plans_for(spaces, settings.index), corpus.retriever.encoders  # tuned as a build tunes
    attach_probes(spaces, plans, lambda: encoders["ml"].encoder)
    write_generation(settings.index_dir, manifest, passages, spaces, [search_text(x) for x in passages],
                     settings.index.bm25_language, plans)
    write_s = time.perf_counter() - t0
    kb = KnowledgeBase(settings)
    kb.search("warm-up question about procurement")
    country, box = filter_values(passages)
    filters = {"none": kb.default_filters(), "country": kb.default_filters(country=country),
               "box": kb.default_filters(box=box)}
    for f in filters.values():  # each distinct filter is compiled once per store, as in a server
        kb.search("warm-up", filters=f)
    times: dict[str, list[float]] = {name: [] for name in ("encode", *filters)}
    for q in questions:
        kb.clear_query_cache()
        times["encode"].append(timed(lambda: kb.bare_encode(q)))
        for name, f in filters.items():
            kb.clear_query_cache()
            times[name].append(timed(lambda: kb.search(q, filters=f)))
    p50 = {name: p(v, 50) for name, v in times.items()}
    ratio = [t / e for t, e in zip(times["none"], times["encode"])]
    return {
        "passages": n, "sentences": int(len(spaces["sentence"].labels)), "questions": len(questions),
        "write_index_s": round(write_s, 2),
        "p50_ms": p50, "p95_ms": {name: p(v, 95) for name, v in times.items()},
        "retrieval_p50_over_bare_encode_p50": round(p50["none"] / p50["encode"], 3),
        "median_per_question_ratio": round(statistics.median(ratio), 3),
        "filters": {"country": country, "box": box,
                    "admitted": {"country": sum(country in p.countries for p in passages),
                                 "box": sum(p.box_id == box for p in passages)}},
        "country_over_unfiltered_p50": round(p50["country"] / p50["none"], 3),
        "box_over_unfiltered_p50": round(p50["box"] / p50["none"], 3),
    }


def main(argv: list[str] | None = None) -> int:
    from kb.runtime import configure
    from kb.settings import REPO_ROOT, Settings

    ap = argparse.ArgumentParser(prog="python -m eval.scale", description=__doc__.split("\n\n")[0])
    ap.add_argument("--passages", type=int, default=10000, help="synthetic library size (default 10000)")
    ap.add_argument("--gold", type=Path, default=REPO_ROOT / "eval" / "gold" / "dev.jsonl",
                    help="questions to time (their text only)")
    ap.add_argument("--out", type=Path, help="write OUT/scale-N.json")
    args = ap.parse_args(argv)
    configure(Settings().retrieval.query_threads)
    questions = [json.loads(line)["question"] for line in args.gold.read_text(encoding="utf-8").splitlines() if line]
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.passages, questions, Path(tmp))
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"scale-{args.passages}.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
