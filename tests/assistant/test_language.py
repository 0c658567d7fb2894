import json
from pathlib import Path

import pytest

from assistant.language import detect_language, stopword_votes

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "dev.jsonl"


@pytest.mark.parametrize("text", [
    "¿Qué es la Olimpiada de Innovación?",
    "capacitación de compradores",
    "Qué es la Olimpiada de Innovación",
    "certificación de compradores en Chile",
    "compras consolidadas IMSS",
    "licitaciones",
    "¿CompraNet?",
])
def test_spanish(text):
    assert detect_language(text) == "es"


@pytest.mark.parametrize("text", [
    "How does Chile certify buyers?",
    "training of buyers",
    "What is the Comisión Federal de Electricidad?",  # Spanish name inside an English question
    "What are the Olimpiadas de Innovación?",
    "IMSS procurement",
    "procurement",
    "IMSS",
    "Box 5.2",
    "",
    "   ",
])
def test_english_and_undecidable_default_to_english(text):
    assert detect_language(text) == "en"


def test_every_dev_question_gets_its_labelled_language():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert {r.get("lang", "en") for r in rows} == {"en", "es"}
    wrong = [r["id"] for r in rows if detect_language(r["question"]) != r.get("lang", "en")]
    assert wrong == []


def test_stopword_votes_count_function_words_of_each_language():
    assert stopword_votes("What is the role of the Comisión Federal de Electricidad?") == (5, 1)
    assert stopword_votes("¿Cuál es el papel de la CFE?")[1] >= 3
