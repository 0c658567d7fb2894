"""Writing a generation: a build that lets each space's vectors go once its index is written gets
the same files as one that keeps them all to the end."""

import numpy as np

from indexer.halves import halves
from indexer.ids import passage_label, sentence_label
from indexer.integrity import checksums
from indexer.passage import Passage
from indexer.store import Space, current_generation, write_generation


def spaces(passages):
    rng = np.random.default_rng(5)
    labels = np.asarray([passage_label(p.id) for p in passages])
    s_labels = np.asarray([sentence_label(p.id, i) for p in passages for i in range(2)])
    return {"dense": Space(labels, halves(rng.standard_normal((len(labels), 8)))),
            "sentence": Space(s_labels, halves(rng.standard_normal((len(s_labels), 8))))}


def test_released_spaces_write_the_same_generation(tmp_path):
    passages = [Passage(id=f"{i + 1:013x}000", text=f"passage {i}. Its second sentence.", kind="paragraph",
                        doc_id="d", title="T", breadcrumb="T", sentences=[]) for i in range(40)]
    written = {}
    for release in (False, True):
        held = spaces(passages)
        write_generation(tmp_path / str(release), {"identity": "t"}, passages, held, [p.text for p in passages],
                         "english", release=release)
        written[release] = checksums(current_generation(tmp_path / str(release)))
        assert all(len(sp.vectors) == (0 if release else len(sp.labels)) for sp in held.values())
    assert written[False] == written[True]
    assert {"dense.faiss", "sentence.faiss", "floor-dense.npz", "floor-sentence.npz"} <= set(written[True])


def test_question_tokens_are_bm25s_tokens():
    """The one-question tokenizer gives what ``bm25s.tokenize`` gives (the index's tokens), on every
    paragraph of the bundled corpus and every gold question, in both stemmer languages."""
    import json
    from pathlib import Path

    from indexer.store import question_tokens, tokenize_for_bm25

    root = Path(__file__).resolve().parents[2]
    texts = [para for md in sorted((root / "corpus").glob("*.md"))
             for para in md.read_text(encoding="utf-8").split("\n\n")]
    texts += [json.loads(line)["question"] for gold in sorted((root / "eval" / "gold").glob("*.jsonl"))
              for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["", "the of and", "¿Qué recomienda la OCDE?", "IMSS's 2018-2019 e-procurement (CompraNet) ÁÉÍ ñ"]
    assert len(texts) > 400
    for language in ("english", "spanish"):
        assert [question_tokens(t, language) for t in texts] == tokenize_for_bm25(texts, language, ids=False)
