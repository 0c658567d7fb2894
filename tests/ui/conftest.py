"""A real `kb serve` on a free localhost port, and a real Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
SCREENS = OUTPUT / "screens"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(data_dir: Path, env: dict | None = None) -> Iterator[str]:
    """`kb serve` over ``data_dir`` (with extra environment ``env``) until the block ends; its output
    goes to ``data_dir/serve.log``."""
    port = free_port()
    kb = Path(sys.executable).with_name("kb")
    log = open(data_dir / "serve.log", "w")
    proc = subprocess.Popen([str(kb), "serve", "--data-dir", str(data_dir), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 180
    try:
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError((data_dir / "serve.log").read_text())
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("kb serve did not start in 180 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def server(corpus_data_dir):
    """The shared server over the corpus index; tests must not add documents to it."""
    with running_server(corpus_data_dir) as url:
        yield url


@pytest.fixture(scope="module")
def upload_data_dir(corpus_data_dir, tmp_path_factory) -> Path:
    """A copy of the corpus index that upload tests may change (copying beats re-embedding)."""
    data = tmp_path_factory.mktemp("upload-data") / "data"
    shutil.copytree(corpus_data_dir, data, ignore=shutil.ignore_patterns("serve.log", "feedback.jsonl", "uploads"))
    return data


@pytest.fixture(scope="module")
def upload_server(upload_data_dir):
    """A second server, over ``upload_data_dir``, for the tests that upload documents."""
    with running_server(upload_data_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: .ci/run installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def new_page(browser, request):
    """Pages in a 1366x768 window with a given browser language; screenshots of failures kept."""
    contexts = []

    def make(locale: str = "en-US"):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale=locale, accept_downloads=True)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None)
    for n, context in enumerate(contexts):
        if failed is not None and failed.failed and context.pages:
            OUTPUT.mkdir(exist_ok=True)
            context.pages[0].screenshot(path=str(OUTPUT / f"{request.node.name}-{n}.png"), full_page=True)
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def snap():
    """Save a screenshot of a main screen under test-output/screens/ (for people to look at)."""

    def save(pg, name: str, full_page: bool = False) -> Path:
        SCREENS.mkdir(parents=True, exist_ok=True)
        path = SCREENS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=full_page)
        return path

    return save


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


ANSWERS = "#chat .kb-answer, #chat .kb-abstain, #chat .kb-error"
SOURCES = "#sources details.kb-turn"


@pytest.fixture
def ask():
    """Type a question, send it, wait for its answer (or abstention) in the chat and its sources."""

    def run(pg, question: str, timeout: float = 120_000) -> None:
        before = [pg.locator(ANSWERS).count(), pg.locator(SOURCES).count()]
        pg.locator("#question textarea").fill(question)
        pg.locator("#ask").click()
        pg.wait_for_function("([a, s, n]) => document.querySelectorAll(a).length > n[0] && "
                             "document.querySelectorAll(s).length > n[1]", arg=[ANSWERS, SOURCES, before],
                             timeout=timeout)

    return run
