"""The gold file and the gold scoring pipeline (with a stand-in knowledge base: no model)."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from corpus.readers import read_document
from eval.gold import SUMMARY_KEYS, compare_gold, load_gold
from eval.relevance import normalise
from kb.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "eval" / "gold" / "dev.jsonl"


def test_dev_gold_file_is_valid():
    questions = load_gold(DEV)
    assert len(questions) == 164
    assert sum(q.kind == "sentence" for q in questions) == 30  # evidence is one sentence: answers can be judged
    assert all(q.lang in ("en", "es") for q in questions)
    assert any(not q.answerable for q in questions)


CHECK_ES = ROOT / "eval" / "gold" / "check_es.jsonl"


@pytest.mark.parametrize("gold", [DEV, ROOT / "eval" / "gold" / "check.jsonl", CHECK_ES], ids=lambda p: p.name)
def test_every_evidence_quote_is_in_the_corpus(gold):
    docs = [read_document(p) for p in sorted((ROOT / "corpus").glob("*.md"))]
    texts = [normalise("\n".join(page.text for page in d.pages)) for d in docs]
    missing = [(q.id, quote) for q in load_gold(gold) for quote in q.evidence
               if not any(normalise(quote) in t for t in texts)]
    assert missing == []


def test_the_in_domain_unanswerable_set_has_both_languages_and_nothing_answerable():
    questions = load_gold(ROOT / "eval" / "gold" / "indomain_unanswerable.jsonl")
    assert not any(q.answerable for q in questions)
    assert sum(q.lang == "en" for q in questions) >= 15 and sum(q.lang == "es" for q in questions) >= 15


def test_the_independent_spanish_check_set_covers_what_issue_11_asks():
    questions = load_gold(CHECK_ES)
    assert all(q.lang == "es" for q in questions)
    assert sum(q.answerable for q in questions) >= 60 and sum(not q.answerable for q in questions) >= 10
    assert {q.kind for q in questions} >= {"fact", "box", "recommendation", "paraphrase", "unanswerable"}


def test_loader_defaults_and_errors(tmp_path):
    f = tmp_path / "g.jsonl"
    f.write_text('{"id": 1, "question": "Why?", "evidence": ["x"], "extra": 3}\n\n'
                 '{"id": "u", "question": "What?", "evidence": []}\n')
    a, b = load_gold(f)
    assert (a.id, a.lang, a.kind, a.answerable) == ("1", "en", "unknown", True)
    assert not b.answerable
    f.write_text('{"id": "a", "question": "Q", "evidence": []}\n{"id": "a", "question"\n')
    with pytest.raises(ValueError, match=r"g.jsonl:2"):
        load_gold(f)
    f.write_text('{"id": "a", "question": "Q", "evidence": "not a list"}\n')
    with pytest.raises(ValueError, match="evidence"):
        load_gold(f)


class FakeKB:
    """Fixed rankings over four passages; ``ask`` declines questions mentioning 'thresholds'."""

    def __init__(self, with_ask: bool):
        self.settings = Settings(data_dir=Path("/nonexistent"))
        texts = {"p1": "Chile certifies its buyers through ChileCompra.", "p2": "IMSS has 391 000 employees.",
                 "p3": "Unrelated text about hospitals.", "p4": "More unrelated text."}
        self._passages = [SimpleNamespace(id=i, text=t, kind="paragraph", breadcrumb=i) for i, t in texts.items()]
        self._order = {"chile": ["p1", "p3"], "imss": ["p3", "p4", "p2"], "thresholds": ["p4"]}
        if with_ask:
            self.ask = lambda question: SimpleNamespace(abstained="thresholds" in question)

    def passages(self):
        return self._passages

    def search(self, question, k=10, filters=None, config="hybrid"):
        key = next(w for w in self._order if w in question.lower())
        by_id = {p.id: p for p in self._passages}
        return SimpleNamespace(passages=[SimpleNamespace(passage=by_id[i], score=1.0) for i in self._order[key]][:k])


QUESTIONS_JSONL = "\n".join(json.dumps(d) for d in [
    {"id": "a", "question": "How does Chile certify buyers?", "evidence": ["certifies its buyers through ChileCompra"],
     "kind": "fact"},
    {"id": "b", "question": "How many people work at IMSS?", "evidence": ["IMSS has 391 000 employees"],
     "lang": "es", "kind": "fact"},
    {"id": "c", "question": "What are the thresholds?", "evidence": [], "kind": "none"},
])


@pytest.mark.parametrize("with_ask", [False, True])
def test_gold_scores_answerable_questions_and_abstention(tmp_path, with_ask):
    f = tmp_path / "g.jsonl"
    f.write_text(QUESTIONS_JSONL)
    (run,), sig = compare_gold(FakeKB(with_ask), load_gold(f), ["bm25"], progress=False)
    s = run.summary
    assert sig == {}
    assert set(s["overall"]) == {"n", *SUMMARY_KEYS}
    assert s["overall"]["n"] == 2 and s["overall"]["hit@1"] == 0.5 and s["overall"]["hit@5"] == 1.0
    assert s["overall"]["mrr@10"] == pytest.approx((1 + 1 / 3) / 2, abs=1e-4)
    assert s["by_lang"]["es"] == {"n": 1, "hit@1": 0.0, "hit@5": 1.0, "mrr@10": pytest.approx(1 / 3, abs=1e-4),
                                  "ndcg@10": 0.5, "recall@5": 1.0, "recall@10": 1.0}
    assert "none" not in s["by_kind"] and s["by_kind"]["fact"]["n"] == 2
    assert s["questions"] == {"total": 3, "answerable": 2, "unanswerable": 1,
                              "answerable_without_relevant_passage": []}
    assert s["config"]["name"] == "bm25" and s["config"]["k"] == 10 and "model" in s["config"]
    assert [r["first_relevant_rank"] for r in run.rows] == [1, 3, None]
    expected = {"unanswerable_declined": 1.0, "answerable_answered": 1.0, "declined_with_evidence_on_top": [],
                "by_lang": {"en": {"unanswerable_declined": 1.0, "answerable_answered": 1.0, "unanswerable": 1,
                                   "answerable": 1},
                            "es": {"unanswerable_declined": None, "answerable_answered": 1.0, "unanswerable": 0,
                                   "answerable": 1}}} if with_ask else \
        {"unanswerable_declined": None, "answerable_answered": None}
    assert s["abstention"] == expected
    assert set(s["latency_ms"]) == {"p50", "p95"}


def test_answerable_questions_declined_although_their_top_passage_holds_the_evidence_are_listed(tmp_path):
    f = tmp_path / "g.jsonl"
    f.write_text(QUESTIONS_JSONL)
    kb = FakeKB(True)
    kb.ask = lambda question: SimpleNamespace(abstained="chile" in question.lower() or "imss" in question.lower())
    (run,), _ = compare_gold(kb, load_gold(f), ["bm25"], progress=False)
    # "a" is declined with its evidence ranked first; "b" is declined but its evidence is third
    assert run.summary["abstention"]["declined_with_evidence_on_top"] == ["a"]
    assert run.summary["abstention"]["by_lang"]["es"]["answerable_answered"] == 0.0
