"""Feedback lines in <data_dir>/feedback.jsonl and the gold candidates made from them (assistant.feedback)."""

import json

import pytest

from assistant.feedback import append_feedback, feedback_path, make_record, read_feedback, to_gold_candidates

ANSWER = {"question": "How does Chile certify buyers?", "answer": "Contracting officials must re-certify. [1]",
          "abstained": False, "lang": "en",
          "citations": [{"n": 1, "passage_id": "p1", "quote": "Contracting officials must re-certify every two years.",
                         "citation": "Box 5.2", "start": 0, "end": 55}], "passages": []}


def test_a_rating_is_one_appended_json_line_with_what_the_eval_needs(tmp_path):
    rec = make_record(ANSWER, "down", comment=" wrong box ", filters={"country": ["Chile"], "doc": []},
                      settings={"model": "m"})
    append_feedback(tmp_path, rec)
    append_feedback(tmp_path, make_record(ANSWER, "up"))
    lines = feedback_path(tmp_path).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["rating"] == "down" and first["comment"] == "wrong box" and first["abstained"] is False
    assert first["cited_passage_ids"] == ["p1"] and first["filters"] == {"country": ["Chile"]}
    assert first["settings"] == {"model": "m"} and first["timestamp"] and first["question"] == ANSWER["question"]


def test_a_later_line_with_the_same_id_supersedes_and_bad_lines_are_skipped(tmp_path):
    rec = make_record(ANSWER, "up")
    append_feedback(tmp_path, rec)
    with open(feedback_path(tmp_path), "a", encoding="utf-8") as fh:
        fh.write("not json\n")
    append_feedback(tmp_path, {**rec, "comment": "exactly right"})
    assert [r["comment"] for r in read_feedback(tmp_path)] == ["exactly right"]
    assert read_feedback(tmp_path / "missing") == []


def test_thumbs_up_become_gold_candidates_with_the_quotes_as_evidence():
    up = make_record(ANSWER, "up", searched="How does Chile certify buyers? and how often?")
    down = make_record({**ANSWER, "question": "Other?"}, "down")
    declined = make_record({**ANSWER, "question": "Capital of Australia?", "abstained": True, "citations": []}, "up")
    gold = to_gold_candidates([up, down, declined])
    assert gold == [
        {"id": f"feedback-{up['id'][:12]}", "question": "How does Chile certify buyers? and how often?",
         "evidence": ["Contracting officials must re-certify every two years."], "lang": "en", "kind": "feedback"},
        {"id": f"feedback-{declined['id'][:12]}", "question": "Capital of Australia?", "evidence": [], "lang": "en",
         "kind": "feedback"},
    ]


def test_an_unknown_rating_is_refused():
    with pytest.raises(ValueError):
        make_record(ANSWER, "meh")
