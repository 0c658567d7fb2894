"""Run a list of questions through ``kb.search`` with per-question wall-clock timing.

Shared by the gold and BEIR harnesses so both measure latency the same way: one untimed warm-up
query first (model and index loading), then ``time.perf_counter`` around each ``kb.search`` call,
in process. The retriever keeps the vectors of recent questions (answering reuses them); that
memory is emptied before each timed call, so every question pays for its own encoding, as a new
question from a user would, and the order of configurations does not change their latency.
When the knowledge base can (``bare_encode``), each search is followed by the bare query encodings
it needed, timed the same way: the two are measured side by side, so their ratio holds on a busy
machine where absolute times do not.
"""

from __future__ import annotations

import sys
import time

from tqdm import tqdm


def forget_recent_queries(kb) -> None:
    """Empty the retriever's recent-question vector memory, when it has one."""
    clear = getattr(getattr(kb, "retriever", None), "clear_query_cache", None)
    if clear is not None:
        clear()


def timed_search(kb, questions: list[tuple[str, str]], search_kwargs: dict, k: int, filters=None,
                 progress: bool = True, desc: str = "", encode_times: dict[str, float] | None = None
                 ) -> tuple[dict[str, list], dict[str, float]]:
    """Search every ``(id, question)``; returns ``({id: [PassageResult, ...]}, {id: ms})``.
    ``encode_times``, when given, receives ``{id: ms}`` of the bare query encodings."""
    results: dict[str, list] = {}
    times: dict[str, float] = {}
    if not questions:
        return results, times
    bare = getattr(kb, "bare_encode", None) if encode_times is not None else None
    kb.search(questions[0][1], k=k, filters=filters, **search_kwargs)  # warm-up, not timed
    for qid, question in tqdm(questions, desc=desc or "questions", unit="q", disable=not progress,
                              file=sys.stderr, leave=False):
        forget_recent_queries(kb)
        t0 = time.perf_counter()
        res = kb.search(question, k=k, filters=filters, **search_kwargs)
        times[qid] = (time.perf_counter() - t0) * 1000
        results[qid] = res.passages
        if bare is not None:
            t0 = time.perf_counter()
            bare(question, **search_kwargs)
            encode_times[qid] = (time.perf_counter() - t0) * 1000
    return results, times


def timed_ask(kb, questions: list[tuple[str, str]], ask_kwargs: dict) -> tuple[dict[str, object], dict[str, float]]:
    """``kb.ask`` every question (no LLM), timed like ``timed_search``: ``({id: Answer}, {id: ms})``."""
    answers: dict[str, object] = {}
    times: dict[str, float] = {}
    for qid, question in questions:
        forget_recent_queries(kb)
        t0 = time.perf_counter()
        answers[qid] = kb.ask(question, **ask_kwargs)
        times[qid] = (time.perf_counter() - t0) * 1000
    return answers, times
