"""Locust users asking the `/ask` endpoint of a running `kb serve` (Gradio's HTTP API: POST the
call, then read its server-sent result), each asking ``KB_LOAD_QUESTIONS`` questions drawn in turn
from the dev set (English and Spanish), then stopping (the run ends when every user has). Each question is one "question" entry in the
statistics, timed from the call to the complete answer (a failure: an HTTP error, no result, an
error answer). Run by ``python -m eval.load``."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import gevent
from locust import HttpUser, constant, task

GOLD = Path(__file__).resolve().parent / "gold" / "dev.jsonl"
QUESTIONS = [json.loads(line)["question"] for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
PER_USER = int(os.environ.get("KB_LOAD_QUESTIONS", "50"))
UNTIL = os.environ.get("KB_LOAD_UNTIL", "")
"""A file: users that asked their questions go on asking until it exists (so a live update always
happens under load), at most ``MAX_EXTRA`` times their number."""
MAX_EXTRA = 20
_next_user = iter(range(10 ** 9))
_finished = [0]


class Asker(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.number = next(_next_user)
        self.asked = 0
        self.finished = False

    def finish(self) -> None:
        """Done asking: wait (no StopUser: locust would start a fresh user in its place); the last
        one to finish ends the run, with nothing in flight."""
        if not self.finished:
            self.finished = True
            _finished[0] += 1
            if _finished[0] >= self.environment.parsed_options.num_users:
                gevent.spawn_later(0.2, self.environment.runner.quit)
        gevent.sleep(0.5)

    def done(self) -> bool:
        if self.asked < PER_USER:
            return False
        return not UNTIL or Path(UNTIL).exists() or self.asked >= PER_USER * MAX_EXTRA

    @task
    def ask(self):
        if self.done():
            self.finish()
            return
        question = QUESTIONS[(self.number * 7 + self.asked) % len(QUESTIONS)]
        self.asked += 1
        t0, error, size = time.perf_counter(), None, 0
        try:
            posted = self.client.post("/gradio_api/call/ask", name="/ask (call)",
                                      json={"data": [question, 5, None, None, None, None, "hybrid"]})
            posted.raise_for_status()
            got = self.client.get(f"/gradio_api/call/ask/{posted.json()['event_id']}", name="/ask (result)")
            body, size = got.text, len(got.content)
            if "event: complete" not in body:
                raise RuntimeError(f"no result: {body[-200:]}")
            data = json.loads(body.split("data:", 1)[1].strip())[0]
            if data.get("error") or not (data.get("answer") or data.get("abstained")):
                raise RuntimeError(f"bad answer: {str(data)[:200]}")
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
            error = exc
        self.environment.events.request.fire(request_type="ASK", name="question", response_length=size,
                                             response_time=(time.perf_counter() - t0) * 1000, exception=error,
                                             context={})
