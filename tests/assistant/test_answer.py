"""Extractive answers: unit tests on small passages with a fake encoder (the real corpus and the real
model: ``test_answer_corpus.py``)."""

import re
import zlib

import numpy as np
import pytest

from assistant import answer as A
from assistant.query import analyse
from assistant.results import Answer, PassageResult
from indexer.encoders import cached_encoder
from indexer.passage import Passage
from indexer.ids import sentence_label
from indexer.sentences import sentence_spans

DIM = 256


def fake_encode(texts: list[str]) -> np.ndarray:
    """Hashed bag of stemmed content words, normalised: cosine = shared-word similarity."""
    out = np.zeros((len(texts), DIM), dtype="float32")
    for row, text in enumerate(texts):
        for term in A.content_terms(text):
            out[row, zlib.crc32(term.encode()) % DIM] += 1.0
        out[row] /= max(float(np.linalg.norm(out[row])), 1e-9)
    return out


def passage(pid: str, text: str, **kw) -> Passage:
    base = dict(id=pid, text=text, kind="paragraph", doc_id="d", title="Review",
                breadcrumb=f"Review › Chapter 5 › {pid}", sentences=sentence_spans(text))
    return Passage(**{**base, **kw})


def result(p: Passage, dense: float = 0.6) -> PassageResult:
    return PassageResult(p, 0.03, {"dense": 1}, {"dense": dense, "bm25": 2.0})


def ask(question: str, results, **kw) -> Answer:
    return A.compose_answer(analyse(question), results, fake_encode, fake_encode([question])[0], **kw)


def assert_invariants(ans: Answer, results, max_sentences: int = A.MAX_SENTENCES) -> None:
    """What every answer promises, abstained or not."""
    ids = [r.passage.id for r in results]
    assert [p["n"] for p in ans.passages] == list(range(1, len(results) + 1))
    assert sorted(p["id"] for p in ans.passages) == sorted(ids)
    by_n = {p["n"]: p for p in ans.passages}
    if ans.abstained:
        assert ans.citations == [] and ans.reason
        assert [p["id"] for p in ans.passages] == ids and not any(p["cited"] for p in ans.passages)
        assert ans.answer == A.ABSTAIN_TEXT[ans.lang]
        return
    assert 1 <= len(ans.citations) <= max_sentences and ans.reason == ""
    texts = {r.passage.id: r.passage.text for r in results}
    cited = [c.n for c in ans.citations]
    assert list(dict.fromkeys(cited)) == list(range(1, len(set(cited)) + 1))  # numbered by first citation
    assert {p["n"] for p in ans.passages if p["cited"]} == set(cited)  # cited sources come first
    for c in ans.citations:
        assert texts[c.passage_id][c.start:c.end] == c.quote  # verbatim
        assert by_n[c.n]["id"] == c.passage_id and c.citation == by_n[c.n]["citation"]
        assert f"{c.quote} [{c.n}]" in ans.answer
        assert not A.is_fragment(c.quote)
    assert ans.answer == " ".join(f"{c.quote} [{c.n}]" for c in ans.citations)
    assert {int(m) for m in re.findall(r"\[(\d+)\]", ans.answer)} == set(cited)  # every marker is a source
    assert len({c.quote for c in ans.citations}) == len(ans.citations)
    runs = [c.passage_id for i, c in enumerate(ans.citations) if i == 0 or ans.citations[i - 1].passage_id != c.passage_id]
    assert len(runs) == len(set(runs))  # grouped by passage
    for pid in set(runs):
        starts = [c.start for c in ans.citations if c.passage_id == pid]
        assert starts == sorted(starts)  # source order within a passage


# -- sentences ----------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [
    ("  - The first level is a basic mandatory training.  ", "The first level is a basic mandatory training."),
    ("• Raise awareness and provide training.", "Raise awareness and provide training."),
    ("Officials cannot procure without this certification; and", "Officials cannot procure without this certification"),
    ("This training is provided via e-learning;", "This training is provided via e-learning"),
    ("It is used in most OECD countries to support innovation (OECD, 2017[4]).",
     "It is used in most OECD countries to support innovation"),
    ("**November 2016** Signature of the agreement", "**November 2016** Signature of the agreement"),
])
def test_trim_span_keeps_a_verbatim_readable_slice(raw, expected):
    start, end = A.trim_span(raw, 0, len(raw))
    assert raw[start:end] == expected


@pytest.mark.parametrize("text, fragment", [
    ("1.", True),
    ("Two exams.", True),
    ("Source: Information provided by ChileCompra.", True),
    ("Note: figures are for 2012 and rounded.", True),
    ("Skills | Procurement Management Roles", True),
    ("Research (OECD, 2015[2]) clearly suggests a positive link.", True),
    ("Contracting officials must re-certify every two years.", False),
])
def test_is_fragment(text, fragment):
    assert A.is_fragment(text) is fragment


# -- composing ----------------------------------------------------------------------------------
CHILE = passage("chile", "The Chilean acquisition workforce is composed of 13 000 officials. "
                "Contracting officials must re-certify every two years. Source: Information provided by ChileCompra.",
                kind="box", box_id="5.2", box_title="Training and certification in Chile’s acquisition workforce")
NORWAY = passage("norway", "Norway has a decentralised procurement system. "
                 "A programme was established in 2010 to promote procurement for innovation.")
HOURS = passage("hours", "Procurement officials in IMSS work up to 70 hours per week. The areas are understaffed.")


def test_answer_quotes_the_best_sentence_and_numbers_sources_by_first_citation():
    results = [result(NORWAY), result(HOURS), result(CHILE)]
    ans = ask("How often must contracting officials re-certify?", results)
    assert_invariants(ans, results)
    assert ans.citations[0].quote == "Contracting officials must re-certify every two years."
    assert ans.citations[0].n == 1 and ans.passages[0]["id"] == "chile" and ans.passages[0]["cited"]
    assert "Source:" not in ans.answer and ans.lang == "en" and not ans.abstained


def test_query_vector_is_optional_and_encoded_with_the_sentences():
    results = [result(CHILE), result(NORWAY)]
    calls = []

    def counting(texts):
        calls.append(list(texts))
        return fake_encode(texts)

    q = "How often must contracting officials re-certify?"
    without = A.compose_answer(analyse(q), results, counting)
    assert len(calls) == 1 and calls[0][0] == q  # one batch: question and sentences
    assert without.answer == ask(q, results).answer


def test_intro_line_is_quoted_only_with_the_line_after_it():
    text = ("IMSS procurement managers need to develop competencies such as:\n"
            "- negotiation with suppliers in complex markets\n"
            "- contract management of framework agreements")
    intro = passage("intro", text)
    ans = ask("Which competencies do IMSS procurement managers need to develop?", [result(intro)])
    quotes = [c.quote for c in ans.citations]
    assert quotes[0].endswith("such as:") and quotes[1] == "negotiation with suppliers in complex markets"
    dangling = passage("dangling", "Procurement managers of IMSS should hold these competencies:")
    ans = ask("Which competencies should procurement managers of IMSS hold?", [result(dangling)])
    assert ans.abstained and ans.citations == []


def test_near_duplicates_are_quoted_once_and_max_sentences_holds():
    twin = passage("twin", "Contracting officials must re-certify every two years. Norway funds pilots.")
    results = [result(CHILE), result(twin), result(NORWAY)]
    for limit in (1, 2, 3, 4):
        ans = ask("Must contracting officials re-certify every two years?", results, max_sentences=limit)
        assert_invariants(ans, results, limit)
    assert sum("re-certify" in c.quote for c in ans.citations) == 1
    with pytest.raises(ValueError):
        ask("anything", results, max_sentences=0)


def test_only_the_top_passages_are_quoted_but_all_are_listed():
    results = [result(NORWAY), result(HOURS), result(CHILE)]
    ans = ask("How often must contracting officials re-certify?", results, top_passages=2)
    assert_invariants(ans, results)
    assert not ans.abstained and all(c.passage_id != "chile" for c in ans.citations)
    assert ans.passages[-1]["id"] == "chile" and not ans.passages[-1]["cited"]


def test_abstains_plainly_and_lists_related_passages():
    results = [result(NORWAY, dense=0.1), result(HOURS, dense=0.05)]
    ans = ask("What is the capital of Australia?", results)
    assert_invariants(ans, results)
    assert ans.abstained and "weak evidence" in ans.reason
    assert ans.answer.startswith("The reviews do not appear to cover this question")
    es = ask("¿Cuál es la capital de Australia?", results)
    assert es.abstained and es.lang == "es" and es.answer == A.ABSTAIN_TEXT["es"]
    empty = ask("How does Chile certify buyers?", [])
    assert empty.abstained and empty.passages == [] and "no passage" in empty.reason


def test_to_dict_has_the_agreed_keys():
    ans = ask("How often must contracting officials re-certify?", [result(CHILE)])
    d = ans.to_dict()
    assert set(d) == {"answer", "abstained", "citations", "passages", "lang", "timings_ms", "question", "reason",
                      "reason_kind", "reason_terms", "mode", "notice", "terms"}
    assert d["mode"] == "extractive" and d["notice"] == ""
    assert set(d["citations"][0]) == {"n", "passage_id", "quote", "citation", "start", "end"}
    assert d["passages"][0]["n"] == 1 and d["passages"][0]["id"] == "chile" and "citation" in d["passages"][0]
    assert set(d["timings_ms"]) == {"encode", "compose"}


# -- abstention -----------------------------------------------------------------------------------
def test_missing_numbers_are_figures_no_passage_mentions():
    results = [result(HOURS), result(passage("staff", "IMSS has approximately 391 000 employees."))]
    assert A.missing_numbers(analyse("What was IMSS's total budget in 2022?"), results) == ["2022"]
    assert A.missing_numbers(analyse("Does IMSS have 391,000 employees working 70 hours?"), results) == []
    assert A.missing_numbers(analyse("What are the 3 levels?"), results) == []  # single digits are too common
    dated = [result(passage("r", "The review was launched.", breadcrumb="OECD (2013) Review"))]
    assert A.missing_numbers(analyse("What did the 2013 review say?"), dated) == []


def test_should_abstain_rules():
    strong, weak = [result(CHILE, dense=0.7)], [result(CHILE, dense=0.2)]
    from assistant.results import AbstainReason

    q, chile = analyse("q"), analyse("How does Chile certify?")
    assert A.should_abstain([], q).reason is AbstainReason.NO_MATCH
    assert A.should_abstain(strong, analyse("What happened in 2022?")).terms == ("2022",)
    assert A.should_abstain(strong, chile, threshold=0.5) is None
    assert A.should_abstain(weak, chile, threshold=0.5).reason is AbstainReason.WEAK_EVIDENCE
    assert A.should_abstain(weak, chile, best_sentence_sim=0.8, threshold=0.5) is None
    unscored = [PassageResult(CHILE, 0.1)]  # no raw scores (e.g. BM25 only): nothing to judge by
    assert A.evidence_score(unscored) is None and A.should_abstain(unscored, q) is None


def test_cached_encoder_encodes_each_text_once_in_one_batch():
    calls = []

    def counting(texts):
        calls.append(list(texts))
        return fake_encode(texts)

    enc = cached_encoder(counting)
    first = enc(["a procurement officer", "a tender", "a procurement officer"])
    second = enc(["a tender", "framework agreements"])
    assert calls == [["a procurement officer", "a tender"], ["framework agreements"]]
    assert np.allclose(first[1], second[0]) and first.shape == (3, DIM)
    assert enc([]).shape[0] == 0


def test_a_question_asking_for_a_figure_gets_one_or_is_declined():
    staffing = passage("s", "Officials say procurement is understaffed and overworked. "
                            "Procurement is understaffed: staffing is 50% lower than it should be.")
    ans = ask("By how much is procurement understaffed and overworked?", [result(staffing)], max_sentences=1)
    assert not ans.abstained and "50%" in ans.answer  # the figure joins, though its words match less
    vague = passage("v", "Officials say procurement is understaffed and overworked. Workloads are heavy.")
    declined = ask("By how much is procurement understaffed and overworked?", [result(vague)])
    assert declined.abstained and "figure" in declined.reason
    assert not ask("Is procurement understaffed and overworked?", [result(vague)]).abstained


def test_names_the_knowledge_base_never_mentions_are_declined():
    p1 = passage("p", "IMSS buys medicines jointly with other institutions through consolidated procurement.")
    ans = ask("How does IMSS buy medicines jointly through the PAHO fund?", [result(p1)], unknown_terms=["PAHO"])
    assert ans.abstained and "PAHO" in ans.reason


def test_the_settings_default_threshold_is_the_calibrated_one():
    from kb.settings import Settings

    assert Settings().answers.abstain_threshold == A.DEFAULT_THRESHOLD
    answers = Settings().answers  # Spanish has its own, calibrated on dev's Spanish questions
    assert answers.threshold_for("en") == A.DEFAULT_THRESHOLD and answers.threshold_for("es") == 0.444


def test_cached_encoder_seeded_with_known_vectors_encodes_only_the_rest():
    calls = []
    known = {"a tender": np.ones(DIM, dtype="float32")}
    enc = cached_encoder(lambda t: calls.append(list(t)) or fake_encode(t), known=known)
    out = enc(["a tender", "a bid"])
    assert calls == [["a bid"]] and np.allclose(out[0], 1.0)


def test_the_cut_tail_of_a_sentence_is_not_quoted():
    cut = passage("cut", "accountability and efficiency in workforce management of IMSS. "
                  "Managers should be trained on how to conduct appraisals of staff.\n"
                  "- planning work and setting expectations for staff")
    quotes = [c.text for c in A.candidates([result(cut)])]
    assert quotes == ["Managers should be trained on how to conduct appraisals of staff.",
                      "planning work and setting expectations for staff"]


def test_a_pointer_to_a_box_brings_the_box_along():
    pointer = passage("pointer", "Chile provides a good example of how procurement officials are trained and certified "
                      "(Box 5.2).")
    results = [result(pointer), result(NORWAY), result(HOURS), result(CHILE)]  # the box ranks 4th
    assert [c.box for c in A.candidates(results, top_passages=3)][-1] == "5.2"
    ans = ask("How are procurement officials in Chile trained and certified?", results)
    assert_invariants(ans, results)
    assert [c.passage_id for c in ans.citations][:2] == ["pointer", "chile"]
    assert ans.passages[1]["box_id"] == "5.2" and ans.passages[1]["cited"]


def test_terms_found_pairs_the_question_phrases_with_the_english_the_quotes_use():
    terms = (("rotación de personal", ("staff turnover",)), ("Chile", ("Chile",)),
             ("compradores", ("procurement officer", "buyers")), ("licitación", ("tender",)))
    quotes = ["Buyers leave: staff turnover is high.", "Chile certifies its buyers."]
    assert A.terms_found(terms, quotes) == [("rotación de personal", "staff turnover"), ("compradores", "buyers")]


def test_a_sentence_referring_back_brings_the_sentence_before_it():
    p = passage("olympics", "IMSS launched the Innovation Olympics in 2011 to reward ideas from its staff. "
                "It was the first organisation in Mexico to run such a contest for clinical innovations. "
                "Procurement rules were reviewed separately.")
    results = [result(p)]
    ans = ask("Which organisation was the first in Mexico to run a contest for clinical innovations?", results)
    assert_invariants(ans, results)
    quotes = [c.quote for c in ans.citations]
    assert quotes[:2] == ["IMSS launched the Innovation Olympics in 2011 to reward ideas from its staff.",
                          "It was the first organisation in Mexico to run such a contest for clinical innovations."]


def test_an_antecedent_never_pushes_the_answer_past_its_length():
    cands = [A.Candidate(0, n, 0, 1, text) for n, text in enumerate(
        ["Chile certifies buyers.", "It tests them.", "Norway trains them.", "These trainings last a week.",
         "Canada pays them.", "They are happy."])]
    scores = np.array([0.1, 0.9, 0.2, 0.8, 0.7, 0.3], dtype="float32")
    out = A.with_antecedents(cands, [1, 3, 4, 5], scores, max_sentences=4)
    assert len(out) == 4 and {0, 1, 2, 3} == set(out)  # both antecedents in; the weakest others gave way


def test_spanish_questions_choose_sentences_with_the_cross_lingual_vectors_too():
    p = passage("p", "Chile trains its buyers every year. Norway trains its buyers in innovation.")
    results = [result(p)]
    labels = {}

    first = sentence_label("p", 0)

    def stored(wanted):  # the cross-lingual space says the first sentence is the one
        labels["asked"] = list(wanted)
        return {x: np.array([1.0, 0.0] if x == first else [0.0, 1.0], dtype="float32") for x in wanted}

    q = analyse("¿Cómo capacitan a sus compradores en ese país?")
    plain = A.compose_answer(q, results, fake_encode, fake_encode(["buyers trains"])[0], max_sentences=1)
    crossed = A.compose_answer(q, results, fake_encode, fake_encode(["buyers trains"])[0], max_sentences=1,
                               cross=(stored, np.array([1.0, 0.0], dtype="float32")))
    assert len(labels["asked"]) == 2
    assert plain.citations[0].quote.startswith("Norway") and crossed.citations[0].quote.startswith("Chile")
