"""Checksums in the manifest: a truncated, altered or missing index file, or an unreadable manifest,
is refused at load with a message that says how to rebuild (API and CLI, no traceback); `kb index`
notices it and builds a whole new generation."""

import os
import subprocess
import sys

import pytest

from assistant.api import KnowledgeBase
from indexer.integrity import IndexDamaged
from indexer.store import current_generation
from kb.settings import Settings

DOC = "# Staff\n\nProcurement officials at IMSS face high staff turnover and heavy workloads.\n"


def damage(gen, how: str) -> None:
    if how == "truncated":
        path = gen / "dense.faiss"
        path.write_bytes(path.read_bytes()[:100])
    elif how == "altered":
        path = gen / "passages.jsonl"
        raw = bytearray(path.read_bytes())
        raw[raw.index(b"turnover")] = ord("T")  # same size, one letter changed
        path.write_bytes(bytes(raw))
    elif how == "missing":
        (gen / "sentence.faiss").unlink()
    else:
        (gen / "manifest.json").write_text("{ not json", encoding="utf-8")


@pytest.mark.parametrize("how", ["truncated", "altered", "missing", "manifest"])
def test_damaged_index_is_refused_with_how_to_rebuild(tmp_path, how):
    docs, empty = tmp_path / "docs", tmp_path / "no-corpus"
    docs.mkdir()
    empty.mkdir()
    (docs / "s.md").write_text(DOC, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=empty)
    assert KnowledgeBase(settings).build(add=[docs], progress=False).ok
    damage(current_generation(settings.index_dir), how)

    with pytest.raises(IndexDamaged, match=r"kb index --rebuild"):
        KnowledgeBase(settings).search("staff turnover")
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "KB_CORPUS_DIR": str(empty)}
    ask = subprocess.run([sys.executable, "-m", "kb.cli", "ask", "staff turnover"], env=env, capture_output=True,
                         text=True, timeout=300)
    assert ask.returncode == 2 and "damaged" in ask.stderr and "kb index --rebuild" in ask.stderr
    assert "Traceback" not in ask.stderr

    # plain `kb index` repairs it (with the folder named again when the manifest, the list of sources, is lost)
    report = KnowledgeBase(settings).build(add=[docs] if how == "manifest" else [], progress=False)
    assert report.ok and not report.noop and "damaged" in report.notes[0]
    assert "turnover" in KnowledgeBase(settings).search("staff turnover").passages[0].passage.text
