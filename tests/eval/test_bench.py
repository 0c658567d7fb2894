"""`kb bench` at its smallest: the bundled corpus once, 5 questions, composed vectors over the session's
corpus index (so nothing is encoded twice) — the JSON, the Markdown and the plots come out. The
helpers are checked on their own, without an index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.bench.composed import ComposedEncoder, VectorCache
from eval.bench.latency import tie_aware_recall
from eval.bench.library import doc_markdown, write_library
from eval.bench.stats import merge_runs, parse_sizes, size_label
from eval.bench.targets import judge
from eval.scale import draws
from kb.cli import main


def test_sizes_parse_and_print():
    assert parse_sizes("corpus, 10k,100K,1m,10k") == ["corpus", 10_000, 100_000, 1_000_000]
    assert [size_label(s) for s in ("corpus", 10_000, 1_000_000, 12_345)] == ["corpus", "10k", "1m", "12345"]
    for bad in ("", "ten", "50"):
        with pytest.raises(ValueError):
            parse_sizes(bad)


def test_repeats_merge_into_medians_with_spread():
    merged = merge_runs([{"a": 1.0, "b": {"c": 3}, "mode": "real"}, {"a": 3.0, "b": {"c": 5}, "mode": "real"},
                         {"a": 2.0, "b": {"c": 4}, "mode": "real"}])
    assert merged["a"] == {"median": 2.0, "min": 1.0, "max": 3.0, "runs": 3}
    assert merged["b"]["c"]["median"] == 4 and merged["mode"] == "real"


def test_library_is_deterministic_markdown_the_parser_reads(tmp_path):
    from indexer.update import parse_file
    from kb.settings import Settings

    pool = [f"Sentence number {i} is about procurement training in Chile." for i in range(300)]
    files = write_library(pool, ["Training", "Innovation"], 450, tmp_path / "lib")
    assert [f.name for f in files] == ["synthetic-0000.md", "synthetic-0001.md", "synthetic-0002.md"]
    again = write_library(pool, ["Training", "Innovation"], 450, tmp_path / "again")
    assert files[0].read_text() == again[0].read_text()
    passages = parse_file(files[0], "d0", Settings())
    assert len(passages) == 200  # one passage per drawn passage
    kinds = {p.kind for p in passages}
    assert {"paragraph", "box", "recommendation", "references"} <= kinds
    assert any(p.countries for p in passages if p.kind == "box")
    rows = [(d, "A sentence.") for d in draws(10, ["S"], 3)]
    assert doc_markdown(0, rows).startswith("---\ntitle: Synthetic review 0000")


def test_composed_encoder_means_known_sentences_and_caches(tmp_path):
    import numpy as np

    table = {"One thing happened.": np.array([1.0, 0.0], dtype="float32"),
             "Another thing followed.": np.array([0.0, 1.0], dtype="float32")}
    enc = ComposedEncoder(table, VectorCache(tmp_path, "v"))
    vecs = enc.passages(["One thing happened.", "Crumb › here\nOne thing happened. Another thing followed."])
    assert np.allclose(vecs[0], [1, 0]) and np.allclose(vecs[1], [2 ** -0.5, 2 ** -0.5], atol=1e-6)
    assert enc.cache.save() == 1
    again = ComposedEncoder(table, VectorCache(tmp_path, "v"))
    assert len(again.cache.known) == 1 and np.allclose(again.passages([]).shape, (0, 2))
    assert np.allclose(again.passages(["Crumb › here\nOne thing happened. Another thing followed."])[0], vecs[1],
                       atol=1e-3)  # read back (16-bit) from the cache
    again.passages(["Another thing followed. One thing happened. Still.", "One thing happened. Yes."])
    assert again.cache.save(chunk=1) == 2  # appended to what was there, a row at a time
    third = VectorCache(tmp_path, "v")
    assert len(third.known) == 3 and third.vectors.shape == (3, 2)
    first_key = next(iter(third.known))
    assert np.allclose(third.get(first_key), vecs[1], atol=1e-3)  # the first vector kept its place


def test_composed_encoders_compose_passages_and_encode_questions_for_real(corpus_data_dir, tmp_path):
    """A build's question probes (``indexer.probes``) reach the real model the build asked for."""
    import numpy as np

    import indexer.encoders as encoders
    from eval.bench.composed import composed_encoders
    from kb.settings import Settings

    settings = Settings()
    real = encoders.english_encoder(settings.resolved_model(), settings.build.embed_batch_size)
    with composed_encoders(Path(corpus_data_dir) / "index", tmp_path) as (english, _):
        loaded = encoders.english_encoder(settings.resolved_model(), settings.build.embed_batch_size)
        assert loaded is english  # passages: composed
        assert np.allclose(loaded.query("How are medicines bought?"), real.query("How are medicines bought?"))


def test_recall_counts_tied_vectors_as_found():
    import numpy as np

    # the exact 10th best scores 0.5; results scoring 0.5 (another label of a tied vector) count
    assert tie_aware_recall(np.array([0.9] + [0.5] * 9), 0.5, 10) == 1.0
    assert tie_aware_recall(np.array([0.9] * 5 + [0.4] * 5), 0.5, 10) == 0.5


def test_targets_need_the_1m_size_to_be_judged():
    run = {"size": "corpus", "store": "faiss", "serve": {"retrieval_over_bare_p50": 1.1, "ms": {}},
           "build": {"noop_s": 0.01}, "reindex": {"reindex_minus_2x_doc_bare_s": 0.5}}
    verdicts = {t["target"]: t["verdict"] for t in judge([run])}
    assert verdicts["retrieval p50 <= 1.2 x bare query encoding"] == "met"
    assert verdicts["no-op re-index < 1 s"] == "met"
    assert verdicts["peak RSS serving 1M x 384-d <= 3 GB"] == "not measured"


def test_kb_bench_on_the_corpus(corpus_data_dir, tmp_path, capsys):
    out = tmp_path / "bench"
    code = main(["bench", "--sizes", "corpus", "--repeat", "1", "--questions", "5", "--real-up-to", "0",
                 "--out", str(out), "--cache", str(tmp_path / "cache"), "--pool-data", str(corpus_data_dir), "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result == json.loads((out / "bench.json").read_text())
    run = result["runs"][0]
    assert run["size"] == "corpus" and run["build"]["passages"]["median"] > 100
    assert set(run["build"]["stages_s"]) >= {"parse_chunk", "encode_passages", "encode_sentences", "write"}
    assert run["build"]["noop"] is True and run["reindex"]["embedded"]["median"] >= 1
    assert {"bare_encode", "retrieval", "encode", "channel_bm25", "channel_dense", "fusion", "answer"} <= set(run["serve"]["ms"])
    assert 0 < run["serve"]["peak_rss_mb"]["median"] < 8000
    serve = run["serve"]  # its own memory and mapped files' pages; pages read from disk by the questions
    assert 0 < serve["anon_rss_mb"]["median"] <= serve["peak_rss_mb"]["median"] and serve["file_rss_mb"]["median"] >= 0
    assert serve["major_faults_per_question"]["median"] >= 0 and serve["warm_up_s"]["median"] > 0
    md = (out / "bench.md").read_text()
    assert "## Targets" in md and "| corpus | faiss |" in md
    for png in ("latency.png", "memory.png"):
        assert (out / png).read_bytes()[:4] == b"\x89PNG"


def test_a_big_size_run_alone_joins_the_earlier_runs_in_size_order():
    from eval.bench.cli import merged_with

    earlier = {"command": "kb bench --sizes corpus,10k,100k", "machine": {"load_average_at_start": [1.0]},
               "runs": [{"size": s, "store": "faiss", "x": 1} for s in ("corpus", "10k", "100k")]}
    now = {"runs": [{"size": "1m", "store": "faiss", "x": 2}, {"size": "10k", "store": "faiss", "x": 2}]}
    merged = merged_with(now, earlier)
    assert [(r["size"], r["x"]) for r in merged["runs"]] == [("corpus", 1), ("10k", 2), ("100k", 1), ("1m", 2)]
    assert merged["merged"] == [{"command": "kb bench --sizes corpus,10k,100k", "machine": earlier["machine"],
                                 "sizes": ["corpus", "100k"]}]
    assert merged_with(now, {"runs": []}) is now
    again = merged_with({"runs": [{"size": s, "store": "faiss", "x": 3} for s in ("corpus", "10k")]}, merged)
    assert again["merged"] == [  # 100k and 1m still name the runs that measured them, not the merge between
        {"command": "kb bench --sizes corpus,10k,100k", "machine": earlier["machine"], "sizes": ["100k"]},
        {"command": None, "machine": None, "sizes": ["1m"]}]
