"""The UI served by `kb serve`: through the named API and through a real browser."""

from gradio_client import Client


def test_ask_endpoint_returns_the_kb_ask_json_object(server):
    client = Client(server, verbose=False)
    result = client.predict("What are the IMSS Innovation Olympics?", 3, api_name="/ask")
    assert result["question"] == "What are the IMSS Innovation Olympics?"
    assert result["passages"][0]["box_id"] == "9.3" and result["passages"][0]["citation"]
    assert not result["abstained"] and result["citations"][0]["n"] == 1 and result["config"] == "hybrid"
    p = result["passages"][0]
    c = result["citations"][0]
    assert p["text"][c["start"]:c["end"]] == c["quote"]


def test_ask_endpoint_takes_filters_and_reports_bad_requests(server):
    client = Client(server, verbose=False)
    result = client.predict("How are procurement officials trained?", 5, None, None, ["Finland"], api_name="/ask")
    assert result["passages"] and all("Finland" in p["countries"] for p in result["passages"])
    assert "error" in client.predict("  ", 5, api_name="/ask")


def test_documents_and_status_endpoints(server):
    client = Client(server, verbose=False)
    docs = client.predict(api_name="/documents")
    assert {d["doc_id"] for d in docs} >= {"imss-2013-chapter-05-capability", "imss-2018-chapter-09-innovation"}
    status = client.predict(api_name="/status")
    assert status["counts"]["passages"] == sum(d["passages"] for d in docs) and status["config"] == "hybrid"


def test_browser_question_shows_cited_passages(server, page, ask):
    page.goto(server)
    ask(page, "How does Chile train and certify its procurement workforce?")
    box = "Box 5.2. Training and certification in Chile’s acquisition workforce"
    page.locator("#sources").get_by_text(box).first.wait_for()
    assert "The Chilean acquisition workforce" in page.locator("#sources").inner_text()


def test_browser_renders_markup_as_text(server, page, ask):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server)
    ask(page, "<img src=x onerror=alert(1)> training")
    assert "onerror=alert(1)" in page.locator("#chat").inner_text()  # shown as text
    assert page.locator("img[src='x']").count() == 0 and not dialogs
