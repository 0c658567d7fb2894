"""`kb index` on the hostile-document folder (tests/data/hostile/make_hostile.py, small variant): every
bad file named with a plain reason, every good one indexed, links out of the folder and pipes passed
over, nothing hangs, no traceback, the exit code says "partly failed". Run as a real `kb` process.

The full folder (a 60 MB file, a 5 MB single line) under the default limits is the committed
benchmark: ``python tests/data/hostile/make_hostile.py --bench eval/reports/hostile``.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from assistant.api import KnowledgeBase
from kb.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "hostile"))
from make_hostile import make  # noqa: E402

LIBRARY_WORDS = re.compile(r"\b\w*(Error|Exception|Warning)\b|Traceback|pypdf|docx\.|bs4|zipfile")


def test_hostile_folder_indexes_the_good_and_names_the_bad(tmp_path):
    docs = tmp_path / "lib" / "docs"
    expected = make(docs, small=True)
    empty = tmp_path / "no-corpus"
    empty.mkdir()
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "KB_CORPUS_DIR": str(empty),
           "KB_MAX_FILE_MB": "1", "KB_MAX_FILE_PASSAGES": "200"}
    run = subprocess.run([sys.executable, "-m", "kb.cli", "index", str(docs), "--json"], env=env,
                         capture_output=True, text=True, timeout=600)  # a pipe read would hang: the timeout fails it
    assert run.returncode == 1, run.stderr[-2000:]  # partly failed
    assert "Traceback" not in run.stderr
    report = json.loads(run.stdout)
    outcome = {Path(f["path"]).relative_to(docs.resolve() if f["outcome"] != "skipped" else docs).as_posix():
               (f["outcome"], f["reason"]) for f in report["files"]}
    got = {name: o for name, (o, _) in outcome.items()}
    assert got == expected
    for name, (o, reason) in outcome.items():
        if o in ("failed", "skipped"):
            assert reason and not LIBRARY_WORDS.search(reason), (name, reason)
    assert "over the 1 MB limit" in outcome["huge.txt"][1]
    assert "over the limit of 200" in outcome["single-line.txt"][1]
    assert "outside the source folder" in outcome["link-outside.md"][1]
    assert "zip bomb" in outcome["zip-bomb.docx"][1]
    assert report["peak_rss_mb"] > 0

    kb = KnowledgeBase(Settings(data_dir=tmp_path / "data"))
    texts = {Path(p.source_path).name: p.text for p in kb.store.passages()}
    assert "hostile-outside.md" not in texts  # the link out of the folder was not followed
    assert "utf sixteen review" in texts["utf-16-bom.md"]
    assert "\x00" not in texts["utf-16-bom.md"] and "\x00" not in texts["nul-bytes.md"]
    assert "café invalid" in texts["invalid-utf-8.md"]  # UTF-8 kept, not re-read as Windows-1252
    assert "revisión señala" in texts["latin-1.md"]
    assert "alert" not in texts["script.html"] and "Portugal" in texts["script.html"]
    assert "Canada" in texts["deep-nesting.html"]

    again = subprocess.run([sys.executable, "-m", "kb.cli", "index", "--json"], env=env, capture_output=True,
                           text=True, timeout=600)
    assert json.loads(again.stdout)["noop"] and again.returncode == 1  # known failures stay named
    raised = subprocess.run([sys.executable, "-m", "kb.cli", "index", "--json"], capture_output=True, text=True,
                            env={**env, "KB_MAX_FILE_MB": "3"}, timeout=600)
    files = {Path(f["path"]).name: f["outcome"] for f in json.loads(raised.stdout)["files"]}
    assert files["huge.txt"] == "failed" and "passages" in next(
        f["reason"] for f in json.loads(raised.stdout)["files"] if f["path"].endswith("huge.txt"))
