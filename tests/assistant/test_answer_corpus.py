"""Extractive answers on the real corpus: the invariants on every passage (fake encoder), stored
sentence vectors, and real questions with the real model (``assistant.answer``; the unit tests on
small passages are in ``test_answer.py``)."""

import random

import numpy as np
import pytest

from assistant import answer as A
from assistant.results import PassageResult
from indexer.encoders import cached_encoder
from tests.assistant.test_answer import ask, assert_invariants, fake_encode, result


def test_stored_sentence_vectors_cover_every_quotable_sentence(corpus_kb):
    """Answers from the index's own sentences encode nothing at question time: every candidate
    sentence has its vector stored by the indexer under its label, equal to encoding it now."""
    from indexer.ids import sentence_label

    passages = corpus_kb.passages()
    results = [PassageResult(p, 0.0) for p in passages]
    cands = A.candidates(results, len(results))
    labels = [sentence_label(results[c.source].passage.id, c.position) for c in cands]
    stored = corpus_kb.store.sentence_vectors(labels)
    assert labels and set(labels) == set(stored)
    sample = cands[::97]
    fresh = corpus_kb.retriever.encoders["english"].passages(
        [A.encoding_text(results[c.source].passage, c.text) for c in sample])
    assert np.allclose(np.stack([stored[x] for x in labels[::97]]), fresh, atol=1e-4)
    calls = []
    vecs = A.sentence_vectors(results, cands[:5], lambda t: calls.append(t) or fake_encode(t), corpus_kb.store.sentence_vectors)
    assert calls == [] and vecs.shape[0] == 5


def test_invariants_hold_on_every_corpus_passage(corpus_kb):
    """Property loop: a question made from each real passage, with its neighbours as other results."""
    passages = corpus_kb.passages()
    rng = random.Random(11)
    answered = 0
    for i, p in enumerate(passages):
        spans = p.sentences or [(0, len(p.text))]
        s, e = max(spans, key=lambda sp: sp[1] - sp[0])
        question = " ".join(p.text[s:e].split()[:10]) + "?"
        others = rng.sample([q for q in passages if q.id != p.id], 4)
        results = [result(q, dense=0.6) for q in [*others[: i % 3], p, *others[i % 3:]]]
        limit = 1 + i % 4
        ans = ask(question, results, max_sentences=limit, top_passages=3 + i % 3)
        assert_invariants(ans, results, limit)
        answered += not ans.abstained
    assert answered > 0.8 * len(passages)


@pytest.fixture(scope="module")
def real(corpus_kb):
    """Ask with the real model; sentence vectors cached across the tests of this module."""
    kb = corpus_kb
    encode = cached_encoder(kb.retriever.encoders["english"].passages)

    def ask_real(question: str):
        query = kb.analyse(question)
        found = kb.search(query)
        ans = A.compose_answer(query, found.passages, encode, kb.retriever.english_vector(query))
        assert_invariants(ans, found.passages)
        return ans

    return ask_real


def test_chile_certification_question_cites_box_5_2(real):
    ans = real("How does Chile train and certify its procurement officials?")
    assert not ans.abstained
    cited = {p["box_id"] for p in ans.passages if p["cited"]}
    assert "5.2" in cited


@pytest.mark.parametrize("question", ["What is the capital of Australia?", "What was IMSS's 2022 budget?"])
def test_out_of_corpus_questions_abstain(real, question):
    ans = real(question)
    assert ans.abstained and ans.citations == [] and ans.passages


@pytest.mark.parametrize("question, reason", [
    ("How does IMSS take part in joint medicine purchases through the PAHO Strategic Fund?", "PAHO"),
    ("How large is the fine for a supplier found colluding in an IMSS tender?", "figure"),
])
def test_kb_declines_names_and_figures_the_reviews_lack(corpus_kb, question, reason):
    ans = corpus_kb.ask(question, use_llm=False)
    assert ans.abstained and reason in ans.reason


def test_a_recommendation_question_is_answered_with_the_proposal_first(corpus_kb):
    ans = corpus_kb.ask("What does the OECD propose to reduce staff turnover?", use_llm=False)
    assert ans.citations[0].quote.startswith("Certifying procurement officials to reduce turnover")
    assert ans.passages[0]["kind"] == "recommendation"


def test_spanish_question_is_answered_in_context(real):
    ans = real("¿Qué son las Olimpiadas de Innovación del IMSS?")
    assert ans.lang == "es" and not ans.abstained
    assert any("Innovation Olympics" in c.quote for c in ans.citations)


@pytest.mark.parametrize("question", [
    "Who ran the training sessions for IMSS staff?",
    "What is therapeutic substitution?",
    "How many hours per week do IMSS procurement officials work?",
    "What did Norway do to make procurement innovation friendly?",
])
def test_real_answers_keep_the_invariants(real, question):
    assert not real(question).abstained
