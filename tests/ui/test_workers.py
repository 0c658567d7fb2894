"""One slow question never holds the others: a real `kb serve` whose LLM endpoint (a local HTTP
server, the only stand-in here: no LLM runs in this test) takes 6 s over one answered question, and
the server answers another, asked after it, at once; with KB_WORKERS=1 the second waits for the first (what workers change)."""

import json
import shutil
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.ui.conftest import running_server

SLOW_WORD = "urgently"


class SlowLLM(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if SLOW_WORD.encode() in body:
            time.sleep(6)
        data = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                           "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": "No sources."}}],
                           "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def call(url: str, question: str) -> str:
    req = urllib.request.Request(url + "gradio_api/call/ask", headers={"Content-Type": "application/json"},
                                 data=json.dumps({"data": [question, 5, None, None, None, None, "hybrid"]}).encode())
    return json.loads(urllib.request.urlopen(req, timeout=30).read())["event_id"]


def finished_at(url: str, event: str, done: dict, key: str) -> None:
    body = urllib.request.urlopen(f"{url}gradio_api/call/ask/{event}", timeout=120).read().decode()
    assert "event: complete" in body, body[:300]
    done[key] = (time.monotonic(), json.loads(body.split("data:", 1)[1].strip())[0])


@pytest.mark.parametrize("workers", [4, 1])
def test_a_slow_question_does_not_hold_a_fast_one(corpus_data_dir, tmp_path, workers):
    llm = ThreadingHTTPServer(("127.0.0.1", 0), SlowLLM)
    threading.Thread(target=llm.serve_forever, daemon=True).start()
    data = tmp_path / "data"
    shutil.copytree(corpus_data_dir, data, ignore=shutil.ignore_patterns("serve.log", "feedback.jsonl", "uploads"))
    env = {"KB_LLM_URL": f"http://127.0.0.1:{llm.server_address[1]}/v1", "KB_WORKERS": str(workers)}
    try:
        with running_server(data, env) as url:
            done: dict = {}
            slow = call(url, f"How does Chile train and certify its procurement workforce, {SLOW_WORD}?")
            time.sleep(0.5)
            fast = call(url, "What are the IMSS Innovation Olympics?")
            threads = [threading.Thread(target=finished_at, args=(url, e, done, k)) for e, k in ((slow, "slow"), (fast, "fast"))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            assert all("llm" in answer["timings_ms"] for _, answer in done.values())  # both asked the endpoint
            assert (done["fast"][0] < done["slow"][0]) == (workers > 1), {k: t for k, (t, _) in done.items()}
    finally:
        llm.shutdown()
