from pathlib import Path

import pytest

from corpus.readers import read_document
from corpus.seeds import BOILERPLATE, SEEDS, build, clean_seed

REPO = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO.parent / "shared" / "seeds"
CORPUS = REPO / "corpus"


def test_clean_seed_drops_boilerplate_keeps_content():
    text = "Intro line\n\nThis is a required field\nInvalid data\n\nReal content stays.\n"
    out = clean_seed(text)
    assert "required field" not in out and "Invalid data" not in out
    assert "Intro line" in out and "Real content stays." in out


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="../shared/seeds not beside the checkout")
def test_committed_corpus_is_what_the_seeds_build(tmp_path):
    for written in build(SEEDS_DIR, tmp_path):
        assert written.read_text(encoding="utf-8") == (CORPUS / written.name).read_text(encoding="utf-8")


def test_every_corpus_file_has_citation_metadata_and_no_boilerplate():
    for meta in SEEDS.values():
        doc = read_document(CORPUS / meta["file"])
        for key in ("title", "publication", "year", "kind", "language", "acknowledgement"):
            assert doc.meta.get(key), (meta["file"], key)
        assert "OECD" in doc.meta["acknowledgement"]
        body = doc.pages[0].text
        assert not any(line.strip() in BOILERPLATE for line in body.splitlines())
    chapter5 = read_document(CORPUS / SEEDS["004_e7b99d28c9a266d8.txt"]["file"])
    assert chapter5.meta["doi"] == "10.1787/9789264197480-8-en" and chapter5.meta["chapter"] == "5"
