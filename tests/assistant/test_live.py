"""The live generation: a request finds out whether a build switched CURRENT with a ``stat``, reads
the pointer only when its file changed, and loads a generation CURRENT was switched to (real index)."""

import os
import shutil

import assistant.live as live_module
from assistant.live import LiveSlot
from kb.settings import Settings


def point(index, name: str) -> None:
    tmp = index / ".CURRENT-test"
    tmp.write_text(name)
    os.replace(tmp, index / "CURRENT")  # as a build switches it


def test_the_pointer_is_read_only_when_its_file_changed(corpus_data_dir, tmp_path, monkeypatch):
    index = tmp_path / "data" / "index"
    shutil.copytree(corpus_data_dir / "index", index)
    reads = []
    real = live_module.current_name
    monkeypatch.setattr(live_module, "current_name", lambda settings: reads.append(1) or real(settings))
    slot = LiveSlot(Settings(data_dir=tmp_path / "data"))
    first = slot.get()
    for _ in range(3):
        assert slot.get() is first
    assert len(reads) == 1  # once after loading, then a stat says nothing changed
    name = (index / "CURRENT").read_text().strip()
    point(index, name)  # rewritten, same generation: read once, nothing reloaded
    assert slot.get() is first and slot.get() is first and len(reads) == 2 and slot.reloads == 0
    shutil.copytree(index / name, index / "gen-copy")
    point(index, "gen-copy")  # switched: the next request loads it
    assert slot.get().generation == "gen-copy" and slot.reloads == 1
