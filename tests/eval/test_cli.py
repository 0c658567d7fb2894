"""`kb eval` wiring that needs no index: argument checks, stale-index rebuild, the report command line."""

import argparse
from pathlib import Path

import pytest

from eval.cli import command_line
from assistant.api import KnowledgeBase
from kb.cli import build_parser, ensure_index, main


class StaleKB(KnowledgeBase):
    """An index exists but was built with other settings; ``build`` brings it up to date."""

    def __init__(self):
        super().__init__()
        self.settings = type("S", (), {"index_identity": lambda self: "new"})()
        self.identity, self.builds = "old", 0

    def manifest(self):
        return {"identity": self.identity}

    def build(self, progress=True):
        self.builds += 1
        self.identity = "new"


def test_stale_index_is_rebuilt_once():
    kb = StaleKB()
    ensure_index(kb, quiet=True)  # what `kb eval` calls first
    ensure_index(kb, quiet=True)  # what `kb eval` calls first
    assert kb.builds == 1


def test_needs_gold_or_beir_and_known_configs(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["eval"])
    with pytest.raises(SystemExit):
        build_parser().parse_args(["eval", "--gold", "g.jsonl", "--config", "nope"])
    assert main(["eval", "--gold", "g.jsonl", "--compare", "bm25,nope"]) == 2
    assert "unknown retrieval configuration" in capsys.readouterr().err


def test_missing_gold_file_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "data"))
    assert main(["eval", "--gold", str(tmp_path / "absent.jsonl")]) == 2
    assert "gold file not found" in capsys.readouterr().err


def test_command_line_for_reports():
    args = argparse.Namespace(gold=Path("eval/gold/dev.jsonl"), beir=None, compare="bm25,hybrid", config="hybrid",
                              limit=None, report=Path("out dir"), data_dir=None)
    assert command_line(args) == "kb eval --gold eval/gold/dev.jsonl --compare bm25,hybrid --report 'out dir'"
