"""Shared fixtures: one real index of the bundled corpus per test session (real model, real FAISS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.runtime import configure

configure(threads=2)  # the test session is an entry point: offline flags and threads, once

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def corpus_data_dir(tmp_path_factory) -> Path:
    """A data directory holding a real index of the bundled corpus, built once per session."""
    from assistant.api import KnowledgeBase
    from kb.settings import Settings

    data = tmp_path_factory.mktemp("corpus-data")
    report = KnowledgeBase(Settings(data_dir=data)).build(progress=False)
    assert report.ok and report.passages > 100
    return data


@pytest.fixture(scope="session")
def corpus_kb(corpus_data_dir):
    from assistant.api import KnowledgeBase
    from kb.settings import Settings

    return KnowledgeBase(Settings(data_dir=corpus_data_dir))


@pytest.fixture(scope="session")
def oecd_pdf():
    """``make(markdown_path, pdf_path, columns=1) -> summary``: a review written out as an OECD-like
    PDF (tests/data/pdf/make_oecd_pdfs.py, reportlab: running heads, hyphenation, shaded boxes, tables)."""
    from eval.pdf_vs_markdown import load_maker

    return load_maker("tests/data/pdf/make_oecd_pdfs.py")


@pytest.fixture(scope="session")
def other_pdf():
    """The same, by a second generator written apart from the reader and the first (fpdf2: framed or
    filled boxes, regular-weight coloured headings, other running heads; tests/data/pdf_fpdf)."""
    from eval.pdf_vs_markdown import load_maker

    return load_maker("tests/data/pdf_fpdf/make_pdfs.py")


@pytest.fixture
def isolated_env(monkeypatch, tmp_path):
    """KB_DATA_DIR pointing at a fresh folder, so CLI calls never touch ./data."""
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "data"))
    return tmp_path
