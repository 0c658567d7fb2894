"""The gold question set: load it, judge the index against it, and score one configuration.

Format (JSON Lines, one question per line): ``id``, ``question``, ``evidence`` (list of verbatim
quotes from the corpus; empty = the knowledge base cannot answer it), optional ``lang`` (default
"en") and ``kind`` (default "unknown"); other fields are ignored. Relevance comes from the evidence
text (see ``eval.relevance``), so the set survives re-chunking.

Retrieval metrics are over answerable questions only; abstention and latency over all of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from eval import metrics as M
from eval.answers import abstention, answer_figures, ask_all
from eval.configs import search_kwargs
from eval.relevance import judge
from eval.runner import timed_search

K = 10
"""Passages retrieved per question: the deepest cut-off any gold metric looks at."""
HIT_KS = tuple(range(1, K + 1))
SUMMARY_KEYS = ("hit@1", "hit@5", "mrr@10", "ndcg@10", "recall@5", "recall@10")
"""The keys of ``overall``/``by_kind``/``by_lang`` (besides ``n``); other tools read them."""


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    evidence: tuple[str, ...] = ()
    lang: str = "en"
    kind: str = "unknown"

    @property
    def answerable(self) -> bool:
        return bool(self.evidence)


def parse_question(obj: object) -> GoldQuestion:
    """One decoded line; ValueError saying what is wrong with it."""
    if not isinstance(obj, dict):
        raise ValueError("each line must be a JSON object")
    qid, question, evidence = obj.get("id"), obj.get("question"), obj.get("evidence", [])
    if not isinstance(qid, (str, int)) or str(qid).strip() == "":
        raise ValueError("missing 'id'")
    if not isinstance(question, str) or not question.strip():
        raise ValueError(f"question {qid}: missing or empty 'question'")
    if evidence is None:
        evidence = []
    if not isinstance(evidence, list) or not all(isinstance(q, str) and q.strip() for q in evidence):
        raise ValueError(f"question {qid}: 'evidence' must be a list of non-empty strings")
    return GoldQuestion(str(qid), question.strip(), tuple(evidence),
                        str(obj.get("lang") or "en"), str(obj.get("kind") or "unknown"))


def load_gold(path: Path) -> list[GoldQuestion]:
    """All questions of a JSON Lines gold file (blank lines skipped); errors name the line."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"gold file not found: {path}")
    out: list[GoldQuestion] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            q = parse_question(json.loads(line))
        except (json.JSONDecodeError, ValueError) as exc:
            raise ValueError(f"{path}:{n}: {exc}") from exc
        if q.id in seen:
            raise ValueError(f"{path}:{n}: duplicate id {q.id!r}")
        seen.add(q.id)
        out.append(q)
    if not out:
        raise ValueError(f"{path}: no questions")
    return out


def judge_index(passages: list, questions: list[GoldQuestion]) -> dict[str, dict[str, frozenset[int]]]:
    """Relevant passage ids (and the quotes each matches) of every answerable question."""
    return judge({q.id: list(q.evidence) for q in questions if q.answerable}, {p.id: p.text for p in passages})


def config_info(settings, name: str, k: int = K) -> dict:
    """What produced the numbers: configuration, depth, model and chunking, fusion settings."""
    r = settings.retrieval
    return {"name": name, "k": k, "search": search_kwargs(name), **settings.identity_fields(),
            "rrf_k": r.rrf_k, "candidates": r.candidates, "fusion": r.fusion,
            "fusion_weights": dict(r.fusion_weights), "recommendation_weight": r.recommendation_weight,
            "thesaurus": r.thesaurus, "abstain_threshold": settings.answers.abstain_threshold,
            "exclude_kinds": list(r.exclude_kinds)}


@dataclass
class GoldRun:
    """One configuration's results: the ``--json`` summary plus what reports and analysis need."""

    name: str
    summary: dict
    rows: list[dict] = field(default_factory=list)
    ranked: dict[str, list[str]] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    hit_curve: dict[int, float] = field(default_factory=dict)


def _row(q: GoldQuestion, name: str, hits: list, judged: dict[str, frozenset[int]], ms: float) -> dict:
    ids = [h.passage.id for h in hits]
    matches = [judged.get(i, frozenset()) for i in ids]
    return {
        "id": q.id, "config": name, "kind": q.kind, "lang": q.lang, "answerable": q.answerable,
        "question": q.question,
        "first_relevant_rank": M.first_rank(ids, judged) if q.answerable else None,
        "relevant_in_index": len(judged),
        "quotes": len(q.evidence),
        "quotes_found_top10": len(frozenset().union(*matches)) if matches else 0,
        "latency_ms": round(ms, 2),
        "top": [{"id": h.passage.id, "kind": h.passage.kind, "breadcrumb": h.passage.breadcrumb,
                 "relevant": h.passage.id in judged} for h in hits[:3]],
    }


def evaluate_gold(kb, questions: list[GoldQuestion], name: str, judged: dict[str, dict[str, frozenset[int]]],
                  k: int = K, progress: bool = True) -> GoldRun:
    """Search every question with configuration ``name`` and score the answerable ones."""
    kwargs = search_kwargs(name)
    encode_times: dict[str, float] = {}
    results, times = timed_search(kb, [(q.id, q.question) for q in questions], kwargs, k,
                                  progress=progress, desc=f"gold {name}", encode_times=encode_times)
    answerable = [q for q in questions if q.answerable]
    ranked = {q.id: [h.passage.id for h in results[q.id]] for q in answerable}
    relevant = {q.id: list(judged.get(q.id, {})) for q in answerable}
    top_relevant = {qid: bool(r) and r[0] in judged.get(qid, {}) for qid, r in ranked.items()}
    answers, answer_times = ask_all(kb, questions, kwargs)
    declined = abstention(kb, questions, answers, top_relevant)
    answered = answer_figures(questions, answers, top_relevant) if answers else {}
    search_ms, encode_ms = M.latency(list(times.values())), M.latency(list(encode_times.values()))
    per_q = M.per_query(relevant, ranked, [f"hit@{n}" for n in HIT_KS] + ["mrr@10", "ndcg@10"])
    for cut in (5, 10):
        per_q[f"recall@{cut}"] = {
            q.id: M.quote_recall([judged.get(q.id, {}).get(i, frozenset()) for i in ranked[q.id]],
                                 len(q.evidence), cut) for q in answerable}
    keyed = {m: per_q[m] for m in SUMMARY_KEYS}
    ids = [q.id for q in answerable]
    summary = {
        "overall": M.summarise(keyed, ids),
        "by_kind": M.by_group(keyed, {q.id: q.kind for q in answerable}),
        "by_lang": M.by_group(keyed, {q.id: q.lang for q in answerable}),
        "abstention": declined,
        "answer": answered.get("summary", {}),
        "latency_ms": search_ms,
        "encode_ms": encode_ms,
        "latency_over_encode": M.ratio(search_ms["p50"], encode_ms["p50"]),
        "answer_ms": M.latency(answer_times),
        "config": config_info(kb.settings, name, k),
        "questions": {"total": len(questions), "answerable": len(answerable),
                      "unanswerable": len(questions) - len(answerable),
                      "answerable_without_relevant_passage": sorted(q.id for q in answerable if not relevant[q.id])},
        "hit_curve": {str(n): M.mean_of(per_q[f"hit@{n}"], ids) for n in HIT_KS},
    }
    rows = [{**_row(q, name, results[q.id], judged.get(q.id, {}), times[q.id]),
             **answered.get("rows", {}).get(q.id, {})} for q in questions]
    return GoldRun(name, summary, rows, ranked, list(times.values()),
                   {n: summary["hit_curve"][str(n)] for n in HIT_KS})


def compare_gold(kb, questions: list[GoldQuestion], names: list[str], k: int = K,
                 progress: bool = True) -> tuple[list[GoldRun], dict]:
    """Every configuration on the same questions and judgements, plus paired significance tests."""
    judged = judge_index(kb.passages(), questions)
    runs = [evaluate_gold(kb, questions, n, judged, k, progress) for n in names]
    relevant = {q.id: list(judged.get(q.id, {})) for q in questions if q.answerable}
    sig = M.significance(relevant, {r.name: r.ranked for r in runs}, ["hit@1", "hit@5", "mrr@10", "ndcg@10"])
    return runs, sig
