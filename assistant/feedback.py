"""Thumbs up/down on answers, kept as JSON Lines in ``<data_dir>/feedback.jsonl``.

One line per rating, appended (never rewritten), so concurrent sessions cannot lose each other's
lines. A comment sent after the thumb is a new line with the same ``id``: the last line of an id is
the one that counts (``read_feedback``). Thumbs-up answers become eval gold candidates: their quoted
sentences are evidence the reviews answer the question (``to_gold_candidates``).
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path

FILENAME = "feedback.jsonl"
RATINGS = ("up", "down")
_LOCK = threading.Lock()


def feedback_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILENAME


def make_record(answer: dict, rating: str, *, comment: str = "", searched: str | None = None,
                filters: dict | None = None, config: str = "hybrid", settings: dict | None = None,
                record_id: str | None = None, now: datetime | None = None) -> dict:
    """The feedback line for one rated answer (``answer`` is ``Answer.to_dict()``).

    ``question`` is what the user typed; ``searched`` what was retrieved for (a follow-up carries the
    previous question), which is the self-contained wording a gold question needs.
    """
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
    citations = answer.get("citations", [])
    return {
        "id": record_id or uuid.uuid4().hex,
        "timestamp": (now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "question": answer.get("question", ""),
        "searched": searched or answer.get("question", ""),
        "answer": answer.get("answer", ""),
        "abstained": bool(answer.get("abstained")),
        "cited_passage_ids": list(dict.fromkeys(c["passage_id"] for c in citations)),
        "quotes": [c["quote"] for c in citations],
        "lang": answer.get("lang", "en"),
        "rating": rating,
        "comment": comment.strip(),
        "filters": {k: list(v) for k, v in (filters or {}).items() if v},
        "config": config,
        "settings": settings or {},
    }


def append_feedback(data_dir: Path, record: dict) -> Path:
    """Append ``record`` as one line (the data directory is created if needed)."""
    path = feedback_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _LOCK, open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
    return path


def read_feedback(data_dir: Path) -> list[dict]:
    """Every rating, the latest line per ``id``, in the order first given; unreadable lines skipped."""
    path = feedback_path(data_dir)
    if not path.is_file():
        return []
    latest: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(rec, dict) and rec.get("id"):
            latest[rec["id"]] = rec
    return list(latest.values())


def to_gold_candidates(records: list[dict]) -> list[dict]:
    """Eval gold lines from thumbs-up ratings: the quotes of an approved answer are its evidence.

    An approved abstention yields empty evidence (a question the reviews do not answer). Thumbs-down
    ratings need a person to find the right passages, so they are left out. One line per searched
    question (the latest rating wins).
    """
    out: dict[str, dict] = {}
    for rec in records:
        if rec.get("rating") != "up":
            continue
        question = " ".join(str(rec.get("searched") or rec.get("question") or "").split())
        if not question:
            continue
        evidence = [] if rec.get("abstained") else list(dict.fromkeys(q for q in rec.get("quotes", []) if q.strip()))
        out[question.lower()] = {"id": f"feedback-{str(rec['id'])[:12]}", "question": question,
                                 "evidence": evidence, "lang": rec.get("lang", "en"), "kind": "feedback"}
    return list(out.values())
