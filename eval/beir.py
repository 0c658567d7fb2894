"""BEIR benchmarks (e.g. SciFact) through the product's own indexing and retrieval pipeline.

Layout read: ``corpus.jsonl`` (``_id``, ``title``, ``text``), ``queries.jsonl`` (``_id``, ``text``)
and ``qrels/<split>.tsv`` (header ``query-id corpus-id score``). Queries without qrels in the split
are skipped; gains ≤ 0 are not relevant.

Each BEIR document becomes ``<cache>/docs/<_id>.txt`` with YAML front matter (``title``), indexed
by the normal ``KnowledgeBase.build`` into ``<data_dir>/cache/beir/<name>-<hash>/``. The hash
covers the corpus file and ``Settings.index_identity()``, so re-runs reuse the index and a model or
chunking change builds a fresh one. A passage maps back to its document by the file stem; a
document scores as its best passage (passages arrive best first, so the first one seen). To reach
100 documents, retrieval takes ``PASSAGE_DEPTH`` passages and each retriever's candidate pool is
raised to match (``candidates`` in the reported config). No kind filter is applied: the kind rules
(references, notes) are written for the OECD reports, not abstracts.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from eval import metrics as M
from eval.configs import search_kwargs
from eval.runner import timed_search

PASSAGE_DEPTH = 200
DOC_DEPTH = 100
METRICS = ("ndcg@10", "recall@100", "mrr@10")
LAYOUT_VERSION = "1"
"""Bump when the way documents are written changes, so cached indexes are rebuilt."""

ANCHORS = {
    "scifact": {
        "bm25": {"ndcg@10": 0.665, "source": "BEIR paper (Thakur et al., 2021), BM25"},
        "dense": {"ndcg@10": 0.645, "source": "MTEB, all-MiniLM-L6-v2 (about)"},
    },
}
"""Published nDCG@10 to print beside ours, by dataset and the configuration they correspond to."""

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")


@dataclass
class BeirSet:
    name: str
    corpus_path: Path
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def read_jsonl(path: Path):
    """Decoded objects of a JSON Lines file, blank lines skipped."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    """``{query: {doc: gain}}`` with gains > 0 only, from a BEIR qrels TSV with a header row."""
    out: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            gain = int(float(row["score"]))
            if gain > 0:
                out.setdefault(str(row["query-id"]), {})[str(row["corpus-id"])] = gain
    return out


def load_beir(folder: Path, split: str = "test", limit: int | None = None) -> BeirSet:
    """Queries of ``split`` that have qrels, in queries.jsonl order, the first ``limit`` of them."""
    folder = Path(folder)
    corpus, queries_path, qrels_path = folder / "corpus.jsonl", folder / "queries.jsonl", folder / "qrels" / f"{split}.tsv"
    for p in (corpus, queries_path, qrels_path):
        if not p.is_file():
            raise FileNotFoundError(f"not a BEIR folder: {p} is missing")
    qrels = load_qrels(qrels_path)
    queries = {str(q["_id"]): q["text"] for q in read_jsonl(queries_path) if str(q["_id"]) in qrels}
    if limit is not None:
        queries = dict(list(queries.items())[:limit])
    if not queries:
        raise ValueError(f"{folder}: no {split} queries with relevance judgements")
    return BeirSet(folder.resolve().name, corpus, queries, {q: qrels[q] for q in queries})


def file_stem(doc_id: str) -> str:
    """A file name stem for a BEIR id: the id itself when filename-safe, else a stable hash."""
    if _SAFE.fullmatch(doc_id) and doc_id.lower() != "readme":
        return doc_id
    return "id-" + hashlib.sha1(doc_id.encode()).hexdigest()[:20]


def doc_file_text(title: str, text: str) -> str:
    """A ``.txt`` document with the title in YAML front matter (the reader puts it in breadcrumbs)."""
    import yaml

    front = yaml.safe_dump({"title": " ".join(str(title or "").split())}, allow_unicode=True, width=10**9)
    body = str(text or "").strip() or str(title or "").strip()
    return f"---\n{front}---\n\n{body}\n"


def cache_dir(data_dir: Path, beir: BeirSet, identity: str) -> Path:
    """``<data_dir>/cache/beir/<name>-<hash of corpus file, index identity, layout>``."""
    h = hashlib.sha256()
    with open(beir.corpus_path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    h.update(f"|{identity}|{LAYOUT_VERSION}".encode())
    return Path(data_dir) / "cache" / "beir" / f"{beir.name}-{h.hexdigest()[:16]}"


def write_docs(corpus_path: Path, docs_dir: Path) -> dict[str, str]:
    """Write every document with text as ``<stem>.txt``; returns ``{stem: BEIR id}``."""
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    docs_dir.mkdir(parents=True)
    stems: dict[str, str] = {}
    for d in read_jsonl(corpus_path):
        doc_id = str(d["_id"])
        if not (str(d.get("text") or "").strip() or str(d.get("title") or "").strip()):
            continue
        stem = file_stem(doc_id)
        if stem in stems:
            raise ValueError(f"{corpus_path}: duplicate document id {doc_id!r}")
        stems[stem] = doc_id
        (docs_dir / f"{stem}.txt").write_text(doc_file_text(d.get("title", ""), d.get("text", "")), encoding="utf-8")
    return stems


def prepare_index(settings, beir: BeirSet, progress: bool = True):
    """A KnowledgeBase over the BEIR corpus only, built (or reused) in its cache folder."""
    from assistant.api import KnowledgeBase

    # BEIR sets are English: the cross-lingual encoder (used for Spanish questions) adds nothing but
    # a long second embedding pass over thousands of documents, so it is left out here; so is the
    # procurement thesaurus, which knows nothing of other domains.
    settings = settings.updated(multilingual_model="", thesaurus=False)
    cache = cache_dir(settings.data_dir, beir, settings.index_identity())
    docs, ids_file = cache / "docs", cache / "doc_ids.json"
    if not ids_file.is_file():  # written last: its presence means the docs are complete
        stems = write_docs(beir.corpus_path, docs)
        ids_file.write_text(json.dumps(stems))
    stems = json.loads(ids_file.read_text())
    variant = settings.updated(data_dir=cache, corpus_dir=docs,
                               candidates=max(settings.retrieval.candidates, PASSAGE_DEPTH))
    kb = KnowledgeBase(variant)
    report = kb.build(add=[docs], progress=progress)
    if report.errors:
        print(f"kb eval: {len(report.errors)} BEIR document(s) could not be indexed "
              f"(first: {report.errors[0].path}: {report.errors[0].reason})", file=sys.stderr)
    return kb, stems


def doc_ranking(source_paths: list[str], stems: dict[str, str], depth: int = DOC_DEPTH) -> list[str]:
    """Documents in order of their best passage (passages come best first), the top ``depth``."""
    out: dict[str, None] = {}
    for sp in source_paths:
        doc = stems.get(Path(sp).stem)
        if doc is not None:
            out.setdefault(doc)
            if len(out) == depth:
                break
    return list(out)


@dataclass
class BeirRun:
    name: str
    summary: dict
    ranked: dict[str, list[str]] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)


def evaluate_beir(kb, beir: BeirSet, stems: dict[str, str], name: str, progress: bool = True) -> BeirRun:
    """Score configuration ``name`` on the BEIR queries with ranx and the BEIR qrels."""
    from assistant.filters import Filters

    results, times = timed_search(kb, list(beir.queries.items()), search_kwargs(name), PASSAGE_DEPTH,
                                  filters=Filters(), progress=progress, desc=f"{beir.name} {name}")
    ranked = {q: doc_ranking([h.passage.source_path for h in results[q]], stems) for q in beir.queries}
    per_q = M.per_query(beir.qrels, ranked, list(METRICS))
    summary = {**{m: M.mean_of(per_q[m], beir.queries) for m in METRICS},
               "latency_ms": M.latency(list(times.values()))}
    rows = [{"id": q, "config": name, "first_relevant_rank": M.first_rank(ranked[q], beir.qrels[q]),
             "relevant": len(beir.qrels[q]), "latency_ms": round(times[q], 2), "top": ranked[q][:3]}
            for q in beir.queries]
    return BeirRun(name, summary, ranked, list(times.values()), rows)


def compare_beir(kb, beir: BeirSet, stems: dict[str, str], names: list[str],
                 progress: bool = True) -> tuple[list[BeirRun], dict]:
    """Every configuration on the same queries, plus paired significance tests (ranx compare)."""
    runs = [evaluate_beir(kb, beir, stems, n, progress) for n in names]
    sig = M.significance(beir.qrels, {r.name: r.ranked for r in runs}, list(METRICS))
    return runs, sig


def beir_json(beir: BeirSet, runs: list[BeirRun], settings, significance: dict | None = None) -> dict:
    """The ``--json`` object for a BEIR evaluation."""
    out = {
        "dataset": beir.name,
        "n_queries": len(beir.queries),
        "configs": {r.name: r.summary for r in runs},
        "anchors": ANCHORS.get(beir.name.lower(), {}),
        "config": {**settings.identity_fields(), "passage_depth": PASSAGE_DEPTH, "doc_depth": DOC_DEPTH,
                   "candidates": max(settings.retrieval.candidates, PASSAGE_DEPTH),
                   "rrf_k": settings.retrieval.rrf_k, "fusion": settings.retrieval.fusion,
                   "fusion_weights": dict(settings.retrieval.fusion_weights), "thesaurus": settings.retrieval.thesaurus},
    }
    if significance:
        out["significance"] = significance
    return out
