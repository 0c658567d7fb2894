"""Follow-up questions carry the previous question's topic into retrieval (ui.followup)."""

from assistant.followup import carry_topic, is_followup, next_topic


def test_follow_up_questions_are_recognised_in_english_and_spanish():
    for q in ("and in Chile?", "And Canada?", "What about Norway?", "¿Y en Colombia?", "y en México", "Chile?"):
        assert is_followup(q), q
    for q in ("How does Chile train and certify its procurement workforce?", "What are the IMSS Innovation Olympics?"):
        assert not is_followup(q), q


def test_a_follow_up_is_searched_with_the_topic_and_a_new_question_alone():
    topic = "How are procurement officials certified?"
    assert carry_topic("and in Chile?", topic) == "How are procurement officials certified? and in Chile?"
    assert carry_topic("What are the IMSS Innovation Olympics?", topic) == "What are the IMSS Innovation Olympics?"
    assert carry_topic("and in Chile?", None) == "and in Chile?"  # first question of a conversation


def test_a_follow_up_naming_a_country_replaces_the_earlier_country():
    searched = carry_topic("¿y en Canadá?", "¿Cómo capacita y certifica Chile a sus compradores públicos?")
    assert "Chile" not in searched and "certifica" in searched and searched.endswith("¿y en Canadá?")


def test_the_topic_survives_follow_ups_and_changes_with_a_new_question():
    topic = next_topic("How are buyers certified?", None)
    topic = next_topic("and in Chile?", topic)
    assert topic == "How are buyers certified?"
    assert next_topic("What does IMSS buy centrally?", topic) == "What does IMSS buy centrally?"
