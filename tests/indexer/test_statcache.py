"""Hashes remembered by file state: a file left as it was is not read again; any write through the file
system (even with its modification time put back) is read again; a file changed moments before it was
looked at is never vouched for; a no-op `kb index` reads no file, `--verify` reads every one, and an
altered index file is still refused."""

import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

import indexer.statcache as statcache
from assistant.api import KnowledgeBase
from indexer.integrity import IndexDamaged
from indexer.statcache import StatCache
from indexer.store import current_generation
from kb.settings import Settings


class Spy:
    """A digest that counts the files it reads."""

    def __init__(self):
        self.read = []

    def __call__(self, path):
        self.read.append(path.name)
        return "sha-of-" + path.read_text()


@pytest.fixture
def settled(monkeypatch):
    monkeypatch.setattr(statcache, "RACY_NS", 0)  # files written just now count as settled
    monkeypatch.setattr(statcache, "COARSE_RACY_NS", 0)


def test_unchanged_file_is_not_read_again_and_any_write_is(tmp_path, settled):
    f = tmp_path / "a.txt"
    f.write_text("one")
    spy, cache = Spy(), StatCache(tmp_path)
    assert cache.sha256("a.txt", f, spy) == cache.sha256("a.txt", f, spy) == "sha-of-one"
    assert spy.read == ["a.txt"]

    before = f.stat()
    f.write_text("two")  # same size; its modification time put back as it was
    os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert cache.sha256("a.txt", f, spy) == "sha-of-two" and spy.read == ["a.txt", "a.txt"]

    assert StatCache(tmp_path, cache.entries, trust=False).sha256("a.txt", f, spy) == "sha-of-two"
    assert len(spy.read) == 3  # trust=False reads it whatever the record says


def test_a_file_changed_moments_ago_is_never_vouched_for(tmp_path):
    f = tmp_path / "fresh.txt"
    f.write_text("new")
    spy, cache = Spy(), StatCache(tmp_path)
    cache.sha256("fresh.txt", f, spy)
    cache.sha256("fresh.txt", f, spy)
    assert spy.read == ["fresh.txt", "fresh.txt"] and "fresh.txt" not in cache.entries

    whole = f.stat().st_ctime_ns // 10**9 * 10**9  # a file system keeping whole seconds ticks slower
    fine = SimpleNamespace(st_mtime_ns=whole + 123, st_ctime_ns=whole + 123)
    assert statcache.settled(fine, whole + 123 + statcache.RACY_NS)
    assert not statcache.settled(SimpleNamespace(st_mtime_ns=whole, st_ctime_ns=whole), whole + statcache.RACY_NS)


def test_records_are_saved_without_the_files_gone_and_a_bad_folder_is_no_error(tmp_path, settled):
    (tmp_path / "keep.txt").write_text("k")
    (tmp_path / "gone.txt").write_text("g")
    cache = StatCache(tmp_path)
    for name in ("keep.txt", "gone.txt"):
        cache.sha256(name, tmp_path / name, Spy())
    (tmp_path / "gone.txt").unlink()
    cache.save()
    assert set(json.loads((tmp_path / statcache.FILE).read_text())) == {"keep.txt"}
    assert set(StatCache.at(tmp_path).entries) == {"keep.txt"}

    (tmp_path / statcache.FILE).write_text("{ not json")
    assert StatCache.at(tmp_path).entries == {}
    lost = StatCache(tmp_path / "no-such-folder", {"x": [1]})
    lost.changed = True
    lost.save()  # nothing written, nothing raised: the next check hashes


def test_noop_index_reads_no_file_verify_reads_all_and_damage_is_still_found(tmp_path, settled, monkeypatch):
    docs, empty = tmp_path / "docs", tmp_path / "no-corpus"
    docs.mkdir()
    empty.mkdir()
    for i in range(3):
        (docs / f"d{i}.md").write_text(f"# Doc {i}\n\nProcurement officials at IMSS buy item {i} in bulk.\n")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=empty)
    kb = KnowledgeBase(settings)
    assert kb.build(add=[docs], progress=False).ok

    import indexer.build
    import indexer.integrity

    read = []
    sources, index_files = indexer.build.file_sha256, indexer.integrity._digest
    monkeypatch.setattr(indexer.build, "file_sha256", lambda p: read.append(p.name) or sources(p))
    monkeypatch.setattr(indexer.integrity, "_digest", lambda p: read.append(p.name) or index_files(p))
    assert kb.build(progress=False).noop and read == []

    gen = current_generation(settings.index_dir)
    assert kb.build(progress=False, verify=True).noop
    assert sorted(read) == sorted([f"d{i}.md" for i in range(3)]
                                  + [p.name for p in gen.rglob("*") if p.is_file() and p.name != "manifest.json"])

    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "KB_CORPUS_DIR": str(empty)}
    cli = subprocess.run([sys.executable, "-m", "kb.cli", "index", "--verify", "--json"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0 and json.loads(cli.stdout)["noop"] is True

    path = gen / "passages.jsonl"  # one letter changed, same size, modification time put back
    before, raw = path.stat(), bytearray(path.read_bytes())
    raw[raw.index(b"bulk")] = ord("B")
    path.write_bytes(bytes(raw))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(IndexDamaged, match=r"kb index --rebuild"):
        KnowledgeBase(settings).search("bulk purchases")
