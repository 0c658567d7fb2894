"""Crash safety for real: `kb index` processes SIGKILLed at each build stage (indexer.faults), the
previous index loading and answering the same afterwards, the next build completing and clearing what
the killed ones left; two builds started together serialising on the lock, both updates landing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.api import KnowledgeBase
from indexer.faults import POINTS
from indexer.statcache import FILE as STAT_CACHE
from kb.settings import Settings

DOC_A = "# Chapter 1. Buying medicines\n\nNorway uses framework agreements to buy welfare technology for municipalities.\n"
DOC_B = "# Staff\n\nProcurement officials at IMSS face high staff turnover and heavy workloads.\n"
DOC_C = "# Audits\n\nThe supreme audit office of Finland reviews tender decisions every year.\n"
QUESTION = "framework agreements for welfare technology"


def kb_index(env: dict, *args: str, crash_at: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kb.cli", "index", *args, "--json"], capture_output=True, text=True,
                          env={**env, "KB_CRASH_AT": crash_at}, timeout=600)


@pytest.fixture
def library(tmp_path):
    docs, empty = tmp_path / "docs", tmp_path / "no-corpus"
    docs.mkdir()
    empty.mkdir()
    (docs / "a.md").write_text(DOC_A, encoding="utf-8")
    (docs / "b.md").write_text(DOC_B, encoding="utf-8")
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "KB_CORPUS_DIR": str(empty)}
    assert kb_index(env, str(docs)).returncode == 0
    return docs, env, tmp_path / "data"


def answer_ids(data: Path) -> list[str]:
    return [h.passage.id for h in KnowledgeBase(Settings(data_dir=data)).search(QUESTION).passages]


def test_killed_builds_leave_the_previous_index_serving(library):
    docs, env, data = library
    before = answer_ids(data)
    manifest_before = (data / "index" / "CURRENT").read_text()
    (docs / "c.md").write_text(DOC_C, encoding="utf-8")
    for point in POINTS:
        killed = kb_index(env, crash_at=point)
        assert killed.returncode == -9, (point, killed.stderr[-1500:])  # SIGKILL, at that point
        assert (data / "index" / "CURRENT").read_text() == manifest_before, point
        assert answer_ids(data) == before, point
        texts = {p.source_path for p in KnowledgeBase(Settings(data_dir=data)).store.passages()}
        assert not any(t.endswith("c.md") for t in texts), point
    leftovers = [p.name for p in (data / "index").iterdir() if p.name.startswith((".tmp-", "gen-"))]
    assert len(leftovers) > 1  # the killed builds left partial generations behind
    done = kb_index(env)
    assert done.returncode == 0, done.stderr[-1500:]
    assert any(f.endswith("c.md") for f in json.loads(done.stdout)["changed_files"])
    names = [p.name for p in (data / "index").iterdir() if not p.name.startswith(".lock") and p.name != STAT_CACHE]
    assert sorted(n.split("-")[0] for n in names) == ["CURRENT", "gen"]  # one generation, nothing abandoned


def test_two_builds_at_once_both_land(library, tmp_path):
    docs, env, data = library
    extra = [tmp_path / "x", tmp_path / "y"]
    for folder, text in zip(extra, (DOC_C, DOC_C.replace("Finland", "Chile"))):
        folder.mkdir()
        (folder / f"{folder.name}.md").write_text(text, encoding="utf-8")
    runs = [subprocess.Popen([sys.executable, "-m", "kb.cli", "index", str(f), "--json"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in extra]
    outs = [r.communicate(timeout=600) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], [e[-800:] for _, e in outs]
    sources = json.loads(subprocess.run([sys.executable, "-m", "kb.cli", "sources", "--json"], env=env,
                                        capture_output=True, text=True, timeout=120).stdout)["sources"]
    assert {str(f.resolve()) for f in extra} <= set(sources)
    texts = " ".join(p.text for p in KnowledgeBase(Settings(data_dir=data)).store.passages())
    assert "Finland" in texts and "Chile" in texts
