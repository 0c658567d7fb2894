"""Index round trip on disk with the real packaged model and real FAISS / bm25s files."""

from pathlib import Path

import numpy
import pytest
from fpdf import FPDF

from assistant.api import KnowledgeBase
from indexer.ids import owners, passage_label, positions
from indexer.store import current_generation, load_generation, read_manifest, stored_vectors
from kb.settings import Settings

DOC_A = """---
title: Review A
chapter: '1'
chapter_title: Buying medicines
---

Consolidated purchasing

IMSS leads the largest consolidated procurement scheme of medicines in the Mexican public sector.

Box 1.1. Framework agreements in Norway

Norway uses framework agreements to buy welfare technology for municipalities.

Source: Example.
"""
DOC_B = """# Staff

Procurement officials at IMSS face high staff turnover and heavy workloads.
"""


def make_sources(root: Path) -> Path:
    src = root / "docs"
    src.mkdir()
    (src / "a.md").write_text(DOC_A, encoding="utf-8")
    (src / "b.md").write_text(DOC_B, encoding="utf-8")
    return src


@pytest.fixture
def kb(tmp_path):
    src = make_sources(tmp_path)
    return KnowledgeBase(Settings(data_dir=tmp_path / "data", corpus_dir=src))


def test_round_trip_noop_and_search(kb):
    first = kb.build(progress=False)
    assert first.ok and not first.noop and first.documents == 2 and first.boxes == 1
    assert first.embedded == first.passages
    index = load_generation(kb.settings.index_dir)
    assert index.spaces["dense"].ntotal == len(index.passages) == first.passages
    assert set(stored_vectors(index.spaces["dense"])) == {passage_label(p.id) for p in index.passages}
    assert index.manifest["model"].startswith("all-MiniLM-L6-v2") and index.manifest["dim"] == 384
    assert all(len(entry["sha256"]) == 64 for entry in index.manifest["files"].values())
    second = kb.build(progress=False)
    assert second.noop and second.passages == first.passages
    hits = kb.search("Which country buys welfare technology with framework agreements?", k=1)
    assert hits.passages[0].passage.box_id == "1.1" and hits.passages[0].passage.countries == ["Norway"]


def test_sentence_vectors_are_stored_and_reused(kb):
    kb.build(progress=False)
    index = load_generation(kb.settings.index_dir)
    first = stored_vectors(index.spaces["sentence"])
    assert len(first) >= len(index.passages)
    by_label = {passage_label(p.id): p for p in index.passages}
    labels = numpy.array(list(first))
    for label, owner, position in zip(labels, owners(labels), positions(labels)):  # every row names its passage
        p = by_label[int(owner)]
        assert position < len(p.sentences) and abs(float(first[label] @ first[label]) - 1.0) < 1e-4
    (kb.settings.corpus_dir / "c.md").write_text("# New\n\nA new document about tenders.\n", encoding="utf-8")
    kb.build(progress=False)
    again = stored_vectors(load_generation(kb.settings.index_dir).spaces["sentence"])
    assert len(again) > len(first)
    for label, v in first.items():  # old sentences kept their vectors, under the same labels
        assert numpy.allclose(again[label], v)


def test_changed_file_reembeds_only_its_passages(kb):
    kb.build(progress=False)
    before = {p.id for p in load_generation(kb.settings.index_dir).passages}
    b = Path(kb.settings.corpus_dir) / "b.md"
    b.write_text(DOC_B + "\nA new paragraph about training and certification of buyers.\n", encoding="utf-8")
    report = kb.build(progress=False)
    after = load_generation(kb.settings.index_dir).passages
    changed = [p for p in after if p.id not in before]
    assert report.changed_files == [str(b.resolve())]
    assert report.embedded == len(changed) >= 1 and report.reused == len(after) - len(changed)
    assert all(p.doc_id == "b" for p in changed)
    from indexer.update import sentence_rows

    gen = load_generation(kb.settings.index_dir)  # the carried sentence rows are those a split would give
    for space in ("sentence", "ml_sentence"):
        assert set(stored_vectors(gen.spaces[space])) == set(sentence_rows(after)[0])


def test_changed_chunk_settings_rebuild_by_themselves(kb, tmp_path):
    kb.build(progress=False)
    other = KnowledgeBase(kb.settings.updated(chunk_target_words=60))
    report = other.build(progress=False)
    assert not report.noop and report.embedded == report.passages
    assert read_manifest(kb.settings.index_dir)["settings"]["chunk_target_words"] == 60


def test_interrupted_build_leaves_previous_index_loadable(kb, monkeypatch):
    kb.build(progress=False)
    live = current_generation(kb.settings.index_dir)
    ids = [p.id for p in load_generation(kb.settings.index_dir).passages]
    (Path(kb.settings.corpus_dir) / "c.md").write_text("A third document about tenders.\n", encoding="utf-8")

    def boom(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C in the middle of writing the new generation

    monkeypatch.setattr(numpy, "save", boom)
    with pytest.raises(KeyboardInterrupt):
        kb.build(progress=False)
    assert current_generation(kb.settings.index_dir) == live
    assert [p.id for p in load_generation(kb.settings.index_dir).passages] == ids
    assert not [p for p in kb.settings.index_dir.iterdir() if p.name.startswith(".tmp-")]


def test_broken_and_empty_files_are_reported_others_indexed(kb, tmp_path):
    src = Path(kb.settings.corpus_dir)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 truncated garbage")
    (src / "empty.txt").write_bytes(b"")
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in ("Page one is about market consultation.", "Page two: Chile certifies its procurement officials."):
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(src / "good.pdf"))
    report = kb.build(progress=False)
    reasons = {Path(e.path).name: e.reason for e in report.errors}
    assert set(reasons) == {"broken.pdf", "empty.txt"} and "empty" in reasons["empty.txt"]
    assert report.documents == 3 and not report.ok
    again = kb.build(progress=False)  # nothing changed: a no-op that still names the broken files
    assert again.noop and {Path(e.path).name for e in again.errors} == {"broken.pdf", "empty.txt"}
    hit = kb.search("Who certifies procurement officials?", k=1).passages[0]
    assert hit.passage.doc_id == "good" and (hit.passage.page, hit.passage.page_end) == (1, 2)
    assert hit.to_dict()["citation"].endswith("pp. 1-2")


def test_add_and_remove_sources(kb, tmp_path):
    kb.build(progress=False)
    extra = tmp_path / "extra.txt"
    extra.write_text("Colombia runs innovation labs for public buyers.\n", encoding="utf-8")
    added = kb.build(add=[extra], progress=False)
    assert added.documents == 3 and added.embedded >= 1
    assert str(extra.resolve()) in read_manifest(kb.settings.index_dir)["sources"]
    removed = kb.build(remove=[extra], progress=False)
    assert removed.documents == 2 and removed.removed_files == [str(extra.resolve())] and removed.embedded == 0
    with pytest.raises(ValueError, match="not a recorded source"):
        kb.build(remove=[tmp_path / "never-added.md"], progress=False)


def test_a_file_that_breaks_keeps_its_last_good_version(kb):
    kb.build(progress=False)
    (Path(kb.settings.corpus_dir) / "b.md").write_bytes(b"")
    report = kb.build(progress=False)
    assert [Path(e.path).name for e in report.errors] == ["b.md"] and report.documents == 2
    assert any(p.doc_id == "b" for p in load_generation(kb.settings.index_dir).passages)


def test_a_changed_document_in_a_library_with_graphs_grows_them(kb, monkeypatch):
    """Above ``ann_min_vectors`` the passage spaces are HNSW graphs, the cross-lingual one tuned on the
    question probes too: re-indexing a changed document adds its new passages to the previous graphs
    and retires the gone ones, which no search returns."""
    import indexer.update
    from indexer.graphs import read_retired
    from indexer.probes import attach_probes

    probed = []

    def attach(spaces, plans, cross_lingual):  # the real thing, noting which spaces got probes
        attach_probes(spaces, plans, cross_lingual)
        probed.append(sorted(name for name, space in spaces.items() if space.probes is not None))

    monkeypatch.setattr(indexer.update, "attach_probes", attach)

    topics = ["hospital cleaning", "medical imaging", "insulin pumps", "ambulance fleets", "laboratory reagents",
              "surgical gloves", "vaccines", "dialysis services", "hospital meals", "orthopaedic implants",
              "blood bags", "oxygen supply", "wheelchairs", "x-ray film", "bandages", "syringes"]
    paragraphs = [f"IMSS buys {t} through a tender that {len(t)} suppliers answered in region {i}." for i, t in enumerate(topics)]
    c = Path(kb.settings.corpus_dir) / "c.md"
    sections = [f"## {t.capitalize()}\n\n{x}" for t, x in zip(topics, paragraphs)]  # a passage each
    c.write_text("# Purchases\n\n" + "\n\n".join(sections) + "\n", encoding="utf-8")
    kb = KnowledgeBase(kb.settings.updated(ann_min_vectors=8))
    assert kb.build(progress=False).ok
    first = load_generation(kb.settings.index_dir)
    assert first.manifest["vector_index"]["dense"]["kind"] == "hnsw" and first.manifest["vector_index"]["ml"]["kind"] == "hnsw"
    assert probed == [["ml"]]  # the sentence spaces stay exact; the English graph is tuned on means of its vectors
    gone = next(p for p in first.passages if "ambulance fleets" in p.text)
    spaces = ("dense", "sentence", "ml", "ml_sentence")
    before = {space: stored_vectors(first.spaces[space]) for space in spaces}
    new = "IMSS rents its ambulance fleets from a single leasing company under a five-year contract."
    c.write_text("# Purchases\n\n" + "\n\n".join([x for x in sections if "ambulance" not in x] + ["## Leasing\n\n" + new])
                 + "\n", encoding="utf-8")
    report = kb.build(progress=False)
    assert report.ok and report.embedded == 1
    second = load_generation(kb.settings.index_dir)
    for space in ("dense", "ml"):  # grown, not rebuilt: the gone passage retired, the new one added
        assert second.spaces[space].ntotal == first.spaces[space].ntotal + 1
        assert read_retired(second.path, space).tolist() == [passage_label(gone.id)]
    for space in spaces:  # every vector reused (rows moved in place) still under its own label
        after = stored_vectors(second.spaces[space])
        lost = set(before[space]) - set(after)  # graphs keep the gone passage (retired); sentence spaces drop its sentences
        assert not lost if space in ("dense", "ml") else lost and set(owners(numpy.array(list(lost))).tolist()) == {passage_label(gone.id)}
        assert all(numpy.allclose(after[label], v) for label, v in before[space].items() if label in after)
    hits = kb.search("Who leases the ambulance fleets of IMSS?", k=5).passages
    assert "leasing company" in hits[0].passage.text and gone.id not in {h.passage.id for h in hits}
