"""Cold-build cost against the bare embedding cost of the same passages, measured side by side.

``python -m indexer.benchmark`` builds the bundled corpus into a temporary data directory, then
encodes the same texts with the same models and threads (MiniLM for passages and for sentences, and
the multilingual encoder for passages when one is set), and times a no-op re-index. The ratio
build / bare encodes says how much the pipeline adds on top of embedding (shared machines are
noisy; compare the ratio, not the seconds).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from assistant.api import KnowledgeBase
from indexer.build import search_text
from indexer.embed import encode, load_model
from indexer.sentences import passage_sentences
from indexer.store import load_index
from kb.settings import Settings


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        model = load_model(settings.resolved_model())  # loaded once, outside both timings
        encode(model, ["warm-up"], threads=settings.index_threads)
        kb = KnowledgeBase(settings)
        t0 = time.perf_counter()
        report = kb.build(progress=False)
        build_s = time.perf_counter() - t0
        index = load_index(settings.index_dir)
        texts = [search_text(p) for p in index.passages]
        sentences = [t for p in index.passages for *_, t in passage_sentences(p.text, p.sentences, p.box_title)]
        t0 = time.perf_counter()
        encode(model, texts, settings.embed_batch_size, threads=settings.index_threads)
        encode_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        encode(model, sentences, settings.embed_batch_size, threads=settings.index_threads)
        sentence_s = time.perf_counter() - t0
        ml_s = 0.0
        if settings.multilingual_model:
            from indexer.multilingual import encode_passages, load_multilingual

            ml = load_multilingual(settings.multilingual_model, settings.index_threads)
            t0 = time.perf_counter()
            encode_passages(ml, texts)
            ml_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        noop = kb.build(progress=False)
        noop_s = time.perf_counter() - t0
    return {
        "documents": report.documents, "passages": report.passages, "boxes": report.boxes,
        "sentences": report.sentences,
        "cold_build_s": round(build_s, 2), "bare_encode_minilm_s": round(encode_s, 2),
        "bare_encode_sentences_s": round(sentence_s, 2), "bare_encode_multilingual_s": round(ml_s, 2),
        "build_over_bare_encodes": round(build_s / (encode_s + sentence_s + ml_s), 2), "noop_s": round(noop_s, 3),
        "noop": noop.noop,
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
