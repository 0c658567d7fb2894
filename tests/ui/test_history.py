"""Earlier conversations: filing, reopening, the cap, the Markdown export (pure, ``ui.history``); and
in a real browser, new conversation → history → reopen → export → reload → clear (asked first)."""

import datetime as dt

from ui.history import KEEP, archive, choices, take, to_markdown

TURN = {"question": "How does Chile train buyers?", "answer": {"answer": "Chile trains **buyers**. [1]", "passages": [
    {"n": 1, "cited": True, "citation": "OECD (2013), Box 5.2"}, {"n": 2, "cited": False, "citation": "other"}]}}


def test_filing_reopening_and_the_cap():
    now = dt.datetime(2026, 12, 1, 10, 15)
    history = archive([], [TURN], now)
    assert archive(history, []) == history  # an empty conversation is not filed
    assert choices(history) == [("2026-12-01 10:15 · How does Chile train buyers? (1)", history[0]["id"])]
    turns, rest = take(history, history[0]["id"])
    assert turns == [TURN] and rest == []
    assert take(history, "unknown") == ([], history)
    many = []
    for i in range(KEEP + 5):
        many = archive(many, [{**TURN, "question": f"q{i}"}], now + dt.timedelta(seconds=i))
    assert len(many) == KEEP and many[0]["title"] == f"q{KEEP + 4}"


def test_export_has_questions_answers_and_cited_sources_only():
    text = to_markdown(archive([], [TURN]), [{**TURN, "question": "¿Y en Noruega?"}], "es")
    assert text.startswith("# Conversaciones con las revisiones")
    assert text.index("¿Y en Noruega?") < text.index("How does Chile")  # the current one first
    assert "Chile trains buyers. [1]" in text and "**buyers**" not in text
    assert "- [1] OECD (2013), Box 5.2" in text and "other" not in text


def test_earlier_conversations_in_the_browser(server, page, ask):
    page.goto(server)
    ask(page, "How does Chile train and certify its procurement workforce?")
    page.locator("#chat button[aria-label='Clear']").first.click()  # "New conversation" files it
    # the chat empties in the browser at once; the server's reset (sources panel, history) comes after it
    page.wait_for_function("() => !document.querySelector('#chat .kb-answer') && "
                           "!document.querySelector('#sources details.kb-turn')")
    ask(page, "What are the IMSS Innovation Olympics?")
    page.reload()
    page.locator("#chat .kb-answer").first.wait_for()
    page.locator("#history").get_by_text("Earlier conversations").click()
    page.locator("#history-pick input").click()
    page.get_by_role("option", name="How does Chile train").click()
    page.locator("#history-open").click()
    page.wait_for_function("() => document.querySelector('#chat').innerText.includes('certify its procurement')")
    assert "Innovation Olympics" not in page.locator("#chat").inner_text()
    with page.expect_download() as download:
        page.locator("#history-export").click()
        page.locator("#history-file a").first.click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.index("How does Chile") < text.index("Innovation Olympics")  # current first, then the earlier
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#history-clear").click()
    page.wait_for_timeout(800)
    page.locator("#history-pick input").click()
    assert page.get_by_role("option").count() == 0
