"""`kb bench`'s plan: for each size and store, ``repeat`` runs of the phases (``eval.bench.phases``),
each in its own subprocess, merged into medians with their spread; progress with time left on stderr."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from eval.bench.library import added_paragraph, copy_corpus, library_files, write_library
from eval.bench.stats import CORPUS, merge_runs, size_label
from kb.settings import REPO_ROOT, Settings


@dataclass
class Plan:
    sizes: list
    stores: list[str]
    questions: list[str]
    cache: Path
    pool_data: Path
    repeat: int | None = None  # None: 3 for the corpus, 1 for the synthetic sizes
    real_up_to: int = 10_000
    bare_sample: int = 1000
    progress: bool = True

    def repeats(self, size) -> int:
        return self.repeat or (3 if size == CORPUS else 1)

    def composed(self, passages: int) -> bool:
        return passages > self.real_up_to


def run_phase(name: str, args: dict) -> dict:
    """One phase in a fresh interpreter; its JSON result (its stderr, progress bars included, passes through)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO_ROOT), os.environ.get("PYTHONPATH"))))}
    done = subprocess.run([sys.executable, "-m", "eval.bench.phases", name, json.dumps(args)], cwd=REPO_ROOT,
                          env=env, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"kb bench: the {name} phase failed (exit {done.returncode}); its error is above")
    return json.loads(done.stdout.strip().splitlines()[-1])


def clock(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


class Progress:
    """Phases done out of all planned, weighted by their expected cost, with the time left."""

    def __init__(self, weights: list[float], enabled: bool):
        self.total, self.done, self.t0, self.enabled = sum(weights), 0.0, time.perf_counter(), enabled

    def say(self, what: str) -> None:
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.t0
        left = f", about {clock(elapsed / self.done * (self.total - self.done))} left" if self.done else ""
        print(f"kb bench: {what} ({clock(elapsed)} in{left})", file=sys.stderr, flush=True)

    def add(self, weight: float) -> None:
        self.done += weight


def pool(plan: Plan) -> tuple[list[str], list[str], Path]:
    """The corpus sentences and section names the synthetic libraries are drawn from, and the index
    they come from (built once, for real, in ``pool_data``)."""
    from assistant.api import KnowledgeBase
    from eval.scale import corpus_pool

    kb = KnowledgeBase(Settings(data_dir=plan.pool_data))
    kb.ensure_index(progress=plan.progress)
    sentences, sections = corpus_pool(kb.settings.index_dir)
    return [s for s, _, _ in sentences], sections, kb.settings.index_dir


def weight(plan: Plan, size) -> float:
    """Expected cost of one run of ``size`` (seconds, roughly, on two cores): for the time left."""
    n = 160 if size == CORPUS else size
    return 30 + n * (0.004 if plan.composed(n) else 0.12)


def one_run(plan: Plan, size, store: str, work: Path, sentences: list[str], sections: list[str],
            pool_index: Path, progress: Progress, label: str) -> dict:
    library = work / "library"
    files = (copy_corpus(Settings().corpus_dir, library) if size == CORPUS
             else write_library(sentences, sections, size, library))
    n = 160 if size == CORPUS else size
    base = {"data_dir": str(work / "data"), "library": str(library), "store": store, "cache": str(plan.cache),
            "pool_index": str(pool_index), "questions": plan.questions}
    run = {"mode": "composed" if plan.composed(n) else "real"}
    w = weight(plan, size)
    progress.say(f"{label}: building {len(files)} documents ({run['mode']} vectors)")
    run["build"] = run_phase("build", {**base, "composed": plan.composed(n), "progress": plan.progress,
                                       "bare_sample": plan.bare_sample})
    progress.add(w * 0.6)
    progress.say(f"{label}: {len(plan.questions)} questions in a serving process")
    run["serve"] = run_phase("serve", base)
    if store == "faiss" and any(k != "exact" for k in run["build"]["vector_index"].values()):
        progress.say(f"{label}: ANN recall against exact search")
        run["ann"] = run_phase("ann", base)["spaces"]
    progress.add(w * 0.1)
    progress.say(f"{label}: one document changed, re-indexed")
    changed = sorted(library_files(library), key=lambda f: f.stat().st_size)[0] if size == CORPUS else files[0]
    run["reindex"] = run_phase("reindex", {**base, "file": str(changed), "paragraph": added_paragraph(sentences)})
    progress.add(w * 0.3)
    return run


def machine() -> dict:
    import faiss

    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "faiss": faiss.__version__, "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def run_bench(plan: Plan) -> dict:
    """Every size x store, ``repeats`` runs each; the results object that ``eval.bench.report`` writes."""
    sentences, sections, pool_index = pool(plan)
    s = Settings()
    result = {"machine": machine(), "questions": len(plan.questions),
              "settings": {"model": s.model_label(), "multilingual_model": s.index.multilingual_model,
                           "ann_min_vectors": s.index.ann_min_vectors, "ann_index": s.index.ann_index,
                           "ann_memory_gb": s.index.ann_memory_gb, "ann_ef_search": s.retrieval.ann_ef_search,
                           "ann_nprobe": s.retrieval.ann_nprobe, "real_up_to": plan.real_up_to,
                           "bare_sample": plan.bare_sample},
              "runs": []}
    plan.cache.mkdir(parents=True, exist_ok=True)
    progress = Progress([weight(plan, size) * plan.repeats(size) for size in plan.sizes for _ in plan.stores],
                        plan.progress)
    for size in plan.sizes:
        for store in plan.stores:
            reps = []
            for rep in range(plan.repeats(size)):
                label = f"{size_label(size)} {store} run {rep + 1}/{plan.repeats(size)}"
                work = plan.cache / f"work-{size_label(size)}-{store}"
                try:
                    reps.append(one_run(plan, size, store, work, sentences, sections, pool_index, progress, label))
                finally:
                    shutil.rmtree(work, ignore_errors=True)
            merged = merge_runs(reps)
            result["runs"].append({"size": size_label(size), "store": store, "repeats": len(reps), **merged})
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return result
