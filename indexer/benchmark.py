"""Cold-build cost against the bare encoding cost of the same passages, measured side by side.

``python -m indexer.benchmark`` builds the bundled corpus into a temporary data directory, then
encodes the same texts with the same encoders (the English model on passages and on sentences, and
the cross-lingual encoder on passages when one is set) and times a no-op re-index. It reports the
build's stages and two ratios: build / all bare encodes (what the pipeline adds on top of
embedding) and build / bare English-model encodes (the budget the cross-lingual encoder must fit
in). Shared machines are noisy: compare the ratios, not the seconds.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from indexer.build import build_index
from indexer.encoders import cross_lingual_encoder, english_encoder
from indexer.sources import search_text
from indexer.store import load_generation
from indexer.update import sentence_rows
from kb.settings import Settings


def loaded_encoders(settings: Settings):
    """The build's English and cross-lingual (or None) encoders, loaded and warmed up (they are
    cached per process, so a build that follows reuses them)."""
    english = english_encoder(settings.resolved_model(), settings.build.embed_batch_size)
    english.passages(["warm-up"])
    ml = cross_lingual_encoder(settings.index.multilingual_model) if settings.index.multilingual_model else None
    if ml is not None:
        ml.passages(["warm-up"])
    return english, ml


def bare_encodes(english, ml, texts: list[str], sentences: list[str]) -> dict[str, float]:
    """Seconds the encoders alone take on passages' texts and sentences, as a build encodes them (``ml``
    may be None)."""
    bare = {}
    for name, encoder, items in (("english_passages", english, texts), ("english_sentences", english, sentences),
                                 ("cross_lingual_passages", ml, texts), ("cross_lingual_sentences", ml, sentences)):
        if encoder is not None:
            t0 = time.perf_counter()
            encoder.passages(items)
            bare[name] = time.perf_counter() - t0
    return bare


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        english, ml = loaded_encoders(settings)  # loaded once, outside both timings
        t0 = time.perf_counter()
        report = build_index(settings, progress=False)
        build_s = time.perf_counter() - t0
        passages = load_generation(settings.index_dir).passages
        texts = [search_text(p) for p in passages]
        _, sentences = sentence_rows(passages)
        bare = bare_encodes(english, ml, texts, sentences)
        t0 = time.perf_counter()
        noop = build_index(settings, progress=False)
        noop_s = time.perf_counter() - t0
    english_s = bare["english_passages"] + bare["english_sentences"]
    return {
        "documents": report.documents, "passages": report.passages, "boxes": report.boxes,
        "sentences": report.sentences, "cold_build_s": round(build_s, 2), "stages_s": report.stage_seconds,
        "passages_per_s": round(report.passages / build_s, 1),
        **{f"bare_{k}_s": round(v, 2) for k, v in bare.items()},
        "build_over_bare_encodes": round(build_s / sum(bare.values()), 2),
        "build_over_bare_english": round(build_s / english_s, 2),
        "noop_s": round(noop_s, 3), "noop": noop.noop,
    }


if __name__ == "__main__":
    from kb.runtime import configure

    configure(Settings().build.index_threads)
    print(json.dumps(run(), indent=2))
