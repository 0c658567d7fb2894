"""The chat UI served by `kb serve`: through the named API and through a real browser."""

from gradio_client import Client


def test_ask_endpoint_returns_the_kb_ask_json_object(server):
    result = Client(server, verbose=False).predict("What are the IMSS Innovation Olympics?", 3, api_name="/ask")
    assert result["question"] == "What are the IMSS Innovation Olympics?"
    assert result["passages"][0]["box_id"] == "9.3" and result["passages"][0]["citation"]


def test_browser_question_shows_cited_passages(server, page):
    page.goto(server)
    page.locator("#question textarea").fill("How does Chile train and certify its procurement workforce?")
    page.locator("#ask").click()
    page.get_by_text("Box 5.2. Training and certification in Chile’s acquisition workforce").first.wait_for(timeout=60000)
    assert "The Chilean acquisition workforce" in page.locator("#chat").inner_text()


def test_browser_renders_markup_as_text(server, page):
    page.goto(server)
    page.locator("#question textarea").fill("<img src=x onerror=alert(1)> training")
    page.locator("#ask").click()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.locator("#chat").get_by_text("[1]").first.wait_for(timeout=60000)
    assert "onerror=alert(1)" in page.locator("#chat").inner_text()  # shown as text
    assert page.locator("#chat img[src='x']").count() == 0 and not dialogs
