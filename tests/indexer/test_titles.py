"""Display titles: `kb rename` (API and CLI) changes the title citations, filters and the documents
list show, survives a rebuild, re-encodes nothing, and reaches a running server's next question."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from assistant.api import KnowledgeBase
from indexer.titles import apply_to_manifest, clean_title
from kb.settings import Settings

NEW = "Segunda revisión de compras del IMSS"


@pytest.fixture
def kb(corpus_data_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(corpus_data_dir, data, ignore=shutil.ignore_patterns("serve.log", "feedback.jsonl", "uploads"))
    return KnowledgeBase(Settings(data_dir=data))


def test_rename_shows_everywhere_and_survives_a_rebuild(kb):
    doc = next(d for d in kb.store.documents() if "book" in d["doc_id"])
    generation = kb.live().generation
    old, new = kb.rename(doc["doc_id"], f"  {NEW} \n")
    assert new == NEW and old != NEW
    hits = kb.search("Second Public Procurement Review", filters=kb.default_filters(doc=[NEW])).passages
    assert hits and all(h.passage.title == NEW for h in hits)  # the filter resolves the new title too
    entry = next(e for e in kb.manifest()["files"].values() if e["doc_id"] == doc["doc_id"])
    assert entry["title"] == NEW and kb.live().generation == generation  # nothing rebuilt
    report = kb.build(rebuild=True, progress=False)
    assert report.ok and all(p.title == NEW for p in kb.store.passages() if p.doc_id == doc["doc_id"])


def test_rename_refuses_unknown_documents_and_empty_titles(kb):
    with pytest.raises(ValueError, match="no document matches"):
        kb.rename("no-such-doc", "x")
    with pytest.raises(ValueError, match="empty"):
        kb.rename(kb.store.documents()[0]["doc_id"], "   ")
    assert clean_title("a\nb") == "a b" and apply_to_manifest(None, {"x": "y"}) is None


def test_kb_rename_command(kb):
    doc = kb.store.documents()[0]["doc_id"]
    env = {**os.environ, "KB_DATA_DIR": str(kb.settings.data_dir)}
    run = subprocess.run([sys.executable, "-m", "kb.cli", "rename", doc, "Renamed review", "--json"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and json.loads(run.stdout)["title"] == "Renamed review"
    bad = subprocess.run([sys.executable, "-m", "kb.cli", "rename", "nope", "x"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 2 and "no document matches" in bad.stderr and "Traceback" not in bad.stderr
    fresh = KnowledgeBase(Settings(data_dir=kb.settings.data_dir))
    assert {d["title"] for d in fresh.store.documents() if d["doc_id"] == doc} == {"Renamed review"}


def test_a_running_knowledge_base_picks_up_a_rename_made_elsewhere(kb):
    doc = kb.store.documents()[0]["doc_id"]
    other = KnowledgeBase(Settings(data_dir=kb.settings.data_dir))  # e.g. `kb rename` while `kb serve` runs
    other.rename(doc, "Renamed elsewhere")
    assert {p.title for p in kb.store.passages() if p.doc_id == doc} == {"Renamed elsewhere"}
