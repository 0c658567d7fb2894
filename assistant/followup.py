"""Follow-up questions: carry the conversation's topic into retrieval.

"and in Chile?" says nothing the index can match on its own; prefixed with the question it follows
("How are procurement officials certified? and in Chile?") it retrieves what the user means.
Retrieval is stateless, so the conversation has to supply the topic. When the follow-up names
a country ("¿y en Canadá?"), the countries of the earlier question are dropped from the topic, or
they would outweigh the one now asked about.
"""

from __future__ import annotations

import re
import unicodedata

from indexer.countries import find_countries

SHORT_WORDS = 3
"""Questions of at most this many words lean on the previous one ("Chile?", "¿y Colombia?")."""
_LEADS = re.compile(
    r"^\s*[¿¡]?\s*(?:and|also|what about|how about|same for|y|e|también|qué hay de|que hay de|"
    r"y qué|y que|y en|y para|y con)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+")


def is_followup(question: str) -> bool:
    """True for questions that continue the previous one: short, or opening with "and"/"y"/"what about"."""
    words = _WORD.findall(question)
    return bool(words) and (len(words) <= SHORT_WORDS or bool(_LEADS.match(question)))


def carry_topic(question: str, topic: str | None) -> str:
    """The text to search for: ``topic`` (the last self-contained question) + a follow-up question.

    A question that stands on its own, or the first of a conversation, is searched as typed.
    """
    question = question.strip()
    if not topic or not is_followup(question):
        return question
    return f"{without_other_countries(topic, question)} {question}"


def fold(text: str) -> str:
    """Text without accents, so Spanish spellings (Canadá, México, Perú) match country names."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def without_other_countries(topic: str, question: str) -> str:
    """``topic`` minus the countries it names that ``question`` does not, when ``question`` names one."""
    asked = find_countries(fold(question))
    if not asked:
        return topic.strip()
    for country in find_countries(fold(topic)):
        if country not in asked:
            topic = re.sub(rf"(?<![\w-]){re.escape(country)}(?![\w-])", "", topic)
    return " ".join(topic.split())


def next_topic(question: str, topic: str | None) -> str:
    """The topic after ``question``: unchanged by a follow-up, replaced by a new question."""
    return topic if topic and is_followup(question) else question.strip()
