"""`kb eval --gold` end to end: builds a real index of the bundled corpus once (module fixture)."""

import contextlib
import io
import json
from pathlib import Path

import pytest

from assistant.api import KnowledgeBase
from eval.gold import SUMMARY_KEYS
from kb.cli import main

DEV = Path(__file__).resolve().parents[2] / "eval" / "gold" / "dev.jsonl"
PICK = ("dev-001", "dev-104", "dev-122")  # a fact, a Spanish question, an unanswerable one


def _run(argv: list[str]) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def gold_env(tmp_path_factory):
    root = tmp_path_factory.mktemp("goldeval")
    small = root / "small.jsonl"
    small.write_text("".join(line + "\n" for line in DEV.read_text().splitlines()
                             if json.loads(line)["id"] in PICK))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KB_DATA_DIR", str(root / "data"))
        mp.setenv("KB_MULTILINGUAL_MODEL", "")  # the second (cross-lingual) embedding pass costs minutes
        result = _run(["eval", "--gold", str(small), "--json"])  # no index yet: builds it first
        yield root, small, result


def test_gold_json_keys(gold_env):
    _, _, result = gold_env
    assert set(result) >= {"overall", "by_kind", "by_lang", "abstention", "latency_ms", "config"}
    assert set(result["overall"]) == {"n", *SUMMARY_KEYS} and result["overall"]["n"] == 2
    assert set(result["by_lang"]) == {"en", "es"} and set(result["by_kind"]) == {"fact", "es"}
    assert {"unanswerable_declined", "answerable_answered"} <= set(result["abstention"])
    if hasattr(KnowledgeBase, "ask"):  # one unanswerable and two answerable questions: both shares apply
        shares = ("unanswerable_declined", "answerable_answered", "calibrated_unanswerable_declined",
                  "calibrated_answerable_answered")
        assert all(0 <= result["abstention"][k] <= 1 for k in shares)
        assert result["abstention"]["threshold"] == KnowledgeBase().settings.answers.abstain_threshold
        assert -1 <= result["abstention"]["calibrated_threshold"] <= 1
        by_lang = result["abstention"]["calibrated_by_lang"]  # each language calibrated apart, beside its threshold
        assert by_lang["es"]["threshold"] == KnowledgeBase().settings.answers.threshold_for("es")
        assert -1 <= by_lang["es"]["calibrated_threshold"] <= 1
    else:
        assert set(result["abstention"].values()) == {None}
    if hasattr(KnowledgeBase, "ask"):  # the answers themselves are judged too
        assert 0 <= result["answer"]["supported"] <= 1 and result["answer"]["n"] == 2
        assert set(result["answer"]["by_lang"]) == {"en", "es"} and "answerable_declined" in result["answer"]
    assert result["latency_ms"]["p50"] > 0 and result["latency_ms"]["p95"] >= result["latency_ms"]["p50"]
    # the bare query encodings are timed beside each search, and answers are timed too
    assert 0 < result["encode_ms"]["p50"] and result["latency_over_encode"] > 0
    assert result["answer_ms"]["p95"] >= result["answer_ms"]["p50"] > 0
    assert {"name", "k", "model", "chunk_target_words", "chunk_max_words"} <= set(result["config"])
    assert result["config"]["name"] == "hybrid" and result["questions"]["unanswerable"] == 1
    assert all(0 <= result["overall"][m] <= 1 for m in SUMMARY_KEYS)


def test_gold_compare_report_and_per_question(gold_env):
    root, small, _ = gold_env
    report, rows = root / "report", root / "rows.jsonl"
    result = _run(["eval", "--gold", str(small), "--compare", "bm25,hybrid", "--report", str(report),
                   "--per-question", str(rows), "--json"])
    assert set(result["configs"]) == {"bm25", "hybrid"}
    assert set(result["significance"]["p_values"]) == {"hit@1", "hit@5", "mrr@10", "ndcg@10"}
    lines = [json.loads(line) for line in rows.read_text().splitlines()]
    assert len(lines) == 6 and {"id", "config", "first_relevant_rank"} <= set(lines[0])
    text = (report / "report.md").read_text()
    assert "## Significance" in text and "lang: es" in text and "![hit@k](hit_at_k.png)" in text
    assert (report / "hit_at_k.png").stat().st_size > 0 and (report / "latency.png").stat().st_size > 0
