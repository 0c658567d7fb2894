"""BEIR loading, caching and scoring, end to end on a ten-document folder (real model, tiny index)."""

import contextlib
import io
import json
from pathlib import Path

import pytest

from corpus.readers import read_document
from eval.beir import doc_file_text, doc_ranking, file_stem, load_beir
from kb.cli import main

TOPICS = {
    "d0": ("Zebra migration", "Zebras cross the Serengeti plains every year following the rains and fresh grass."),
    "d1": ("Sourdough baking", "A sourdough starter ferments flour and water with wild yeast and lactobacilli."),
    "d2": ("Volcano eruptions", "Magma pressure builds under a volcano until ash and lava erupt from the crater."),
    "d3": ("Chess openings", "The Sicilian Defence answers e4 with c5 and leads to sharp asymmetric positions."),
    "d4": ("Coral bleaching", "Warm ocean water makes corals expel their algae, turning the reef white."),
    "d5": ("Bicycle gears", "A derailleur moves the chain between sprockets to change the gear ratio."),
    "d6": ("Insulin signalling", "Insulin binds its receptor on liver cells and lowers blood glucose."),
    "d7": ("Glacier retreat", "Alpine glaciers lose ice mass as summer temperatures rise."),
    "d8": ("Honeybee dance", "Forager honeybees perform a waggle dance to show nest mates where flowers are."),
    "d9": ("Solar panels", "Photovoltaic cells convert sunlight into electricity using doped silicon."),
}
QUERIES = {"q1": "waggle dance of forager honeybees", "q2": "sourdough starter wild yeast",
           "q3": "how do glaciers lose ice", "q4": "a query without judgements"}
QRELS = {"q1": "d8", "q2": "d1", "q3": "d7"}


@pytest.fixture(scope="module")
def beir_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("beir") / "tinyset"
    (d / "qrels").mkdir(parents=True)
    (d / "corpus.jsonl").write_text("".join(json.dumps({"_id": i, "title": t, "text": x}) + "\n"
                                            for i, (t, x) in TOPICS.items()))
    (d / "queries.jsonl").write_text("".join(json.dumps({"_id": q, "text": t}) + "\n" for q, t in QUERIES.items()))
    (d / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n"
                                          + "".join(f"{q}\t{doc}\t1\n" for q, doc in QRELS.items()) + "q1\td0\t0\n")
    return d


def test_load_beir_skips_unjudged_queries_and_zero_gains(beir_dir):
    b = load_beir(beir_dir)
    assert b.name == "tinyset" and list(b.queries) == ["q1", "q2", "q3"]
    assert b.qrels["q1"] == {"d8": 1}
    assert list(load_beir(beir_dir, limit=2).queries) == ["q1", "q2"]
    with pytest.raises(FileNotFoundError):
        load_beir(beir_dir / "qrels")


def test_file_names_and_document_text(tmp_path):
    assert file_stem("31715818") == "31715818" and file_stem("doc-1.v2") == "doc-1.v2"
    unsafe = file_stem("../etc/passwd")
    assert unsafe.startswith("id-") and "/" not in unsafe and file_stem("README") != "README"
    f = tmp_path / "x.txt"
    f.write_text(doc_file_text('Title: with "quotes" and: colons', "Body text."))
    doc = read_document(f)
    assert doc.meta["title"] == 'Title: with "quotes" and: colons' and doc.pages[0].text.strip() == "Body text."


def test_doc_ranking_keeps_each_documents_best_passage():
    stems = {"a": "A", "b": "B", "c": "C"}
    paths = ["/x/b.txt", "/x/a.txt", "/x/b.txt", "/x/zzz.txt", "/x/c.txt"]
    assert doc_ranking(paths, stems) == ["B", "A", "C"]
    assert doc_ranking(paths, stems, depth=2) == ["B", "A"]


def _run(argv: list[str]) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    return json.loads(out.getvalue())


def test_beir_end_to_end(beir_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "data"))
    rows = tmp_path / "rows.jsonl"
    argv = ["eval", "--beir", str(beir_dir), "--compare", "bm25,hybrid", "--json", "--per-question", str(rows),
            "--report", str(tmp_path / "report")]
    result = _run(argv)
    assert result["dataset"] == "tinyset" and result["n_queries"] == 3 and result["anchors"] == {}
    assert set(result["configs"]) == {"bm25", "hybrid"}
    for summary in result["configs"].values():
        assert {"ndcg@10", "recall@100", "mrr@10", "latency_ms"} <= set(summary)
        assert summary["recall@100"] == 1.0
    ranks = [json.loads(line) for line in rows.read_text().splitlines()]
    assert {(r["config"], r["id"]): r["first_relevant_rank"] for r in ranks}[("bm25", "q1")] == 1
    assert all(r["first_relevant_rank"] == 1 for r in ranks if r["id"] in ("q1", "q2"))
    assert (tmp_path / "report" / "report.md").read_text().count("## Significance") == 1
    assert (tmp_path / "report" / "latency.png").stat().st_size > 0

    caches = list((tmp_path / "data" / "cache" / "beir").iterdir())
    assert len(caches) == 1 and caches[0].name.startswith("tinyset-")
    current = (caches[0] / "index" / "CURRENT").read_text()
    again = _run(["eval", "--beir", str(beir_dir), "--config", "bm25", "--limit", "1", "--json"])
    assert again["n_queries"] == 1 and list(again["configs"]) == ["bm25"]
    assert (caches[0] / "index" / "CURRENT").read_text() == current  # cached index reused, not rebuilt
