"""`kb bench`'s outputs: ``bench.json`` (the results object), ``bench.md`` (tables) and the plots."""

from __future__ import annotations

import json
from pathlib import Path

from eval.bench.plots import lines_by_size
from eval.bench.stats import get, median_of
from eval.bench.targets import judge

STAGES = ("parse_chunk", "encode_passages", "encode_sentences", "encode_cross_lingual",
          "encode_cross_lingual_sentences", "write")
PIECES = ("bare_encode", "retrieval", "encode", "channel_*", "fusion", "answer")


def pieces(runs: list[dict]) -> list[str]:
    """The latency pieces in reading order, ``channel_*`` standing for every channel timed."""
    channels = sorted({p for r in runs for p in (get(r, "serve", "ms") or {}) if p.startswith("channel_")})
    return [c for p in PIECES for c in (channels if p == "channel_*" else [p])]


def cell(figure, digits: int = 3) -> str:
    """A median, with its min-max spread when several runs differed ("–" when not measured)."""
    if figure is None:
        return "–"
    if not isinstance(figure, dict):
        return number(figure, digits) if isinstance(figure, (int, float)) else str(figure)
    med = number(figure["median"], digits)
    if figure.get("runs", 1) > 1 and figure["min"] != figure["max"]:
        return f"{med} ({number(figure['min'], digits)}–{number(figure['max'], digits)})"
    return med


def number(v: float, digits: int = 3) -> str:
    """3 significant digits, thousands in full (10,009 passages, not 1e+04)."""
    return f"{v:,.0f}" if abs(v) >= 10 ** digits else f"{v:.{digits}g}"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header), *("| " + " | ".join(r) + " |" for r in rows)]


def build_table(runs: list[dict]) -> list[str]:
    rows = [[r["size"], r["store"], r["mode"], cell(get(r, "build", "documents")), cell(get(r, "build", "passages")),
             cell(get(r, "build", "sentences")), cell(get(r, "build", "build_s")),
             *(cell(get(r, "build", "stages_s", s)) for s in STAGES), cell(get(r, "build", "passages_per_s")),
             cell(get(r, "build", "build_over_bare")), cell(get(r, "build", "peak_rss_mb"))] for r in runs]
    return table(["size", "store", "vectors", "docs", "passages", "sentences", "build s", *(f"{s} s" for s in STAGES),
                  "passages/s", "build / bare encodes", "peak RSS MB"], rows)


def reindex_table(runs: list[dict]) -> list[str]:
    rows = [[r["size"], r["store"], cell(get(r, "build", "noop_s")), str(get(r, "reindex", "file")),
             cell(get(r, "reindex", "doc_passages")), cell(get(r, "reindex", "embedded")),
             cell(get(r, "reindex", "reindex_s")), cell(get(r, "reindex", "doc_bare_encode_s")),
             cell(get(r, "reindex", "reindex_over_doc_bare")), cell(get(r, "reindex", "reindex_minus_2x_doc_bare_s")),
             cell(get(r, "reindex", "stages_s", "write")), cell(get(r, "reindex", "peak_rss_mb"))] for r in runs]
    return table(["size", "store", "no-op s", "changed file", "its passages", "embedded", "re-index s",
                  "its bare encoding s", "ratio", "re-index − 2 × bare s", "of which write s", "peak RSS MB"], rows)


def latency_table(runs: list[dict], quantile: str) -> list[str]:
    names = pieces(runs)
    rows = [[r["size"], r["store"], *(cell(get(r, "serve", "ms", p, quantile)) for p in names),
             cell(get(r, "serve", "retrieval_over_bare_p50")) if quantile == "p50" else "",
             cell(get(r, "serve", "peak_rss_mb")), cell(get(r, "serve", "anon_rss_mb")), cell(get(r, "serve", "file_rss_mb")),
             cell(get(r, "serve", "major_faults_per_question")), cell(get(r, "serve", "load_s")),
             cell(get(r, "serve", "warm_up_s"))] for r in runs]
    return table(["size", "store", *names, "retrieval / bare (p50)", "serving peak RSS MB", "own MB", "mapped MB",
                  "disk reads / question", "load s", "warm-up s"], rows)


def ann_table(runs: list[dict]) -> list[str]:
    rows = [[r["size"], r["store"], space, str(a.get("factory")), cell(get(a, "vectors")), cell(get(a, "recall_at_10")),
             cell(get(a, "recall_min")), cell(get(a, "recall_at_10_by_label")), cell(get(a, "search_ms", "p50")),
             cell(get(a, "search_ms", "p95"))]
            for r in runs for space, a in (r.get("ann") or {}).items()]
    if not rows:
        return ["Every vector space of every size benchmarked is below `KB_ANN_MIN_VECTORS` and searched exactly."]
    return table(["size", "store", "space", "index", "vectors", "recall@10 (tie-aware)", "worst question",
                  "recall@10 by label", "search p50 ms", "search p95 ms"], rows)


def plot(result: dict, out: Path) -> list[str]:
    runs = result["runs"]
    x = {id(r): median_of(get(r, "build", "passages")) for r in runs}
    latency = {f"{p} p50 ({r_store})": [(x[id(r)], median_of(get(r, "serve", "ms", p, "p50")))
                                          for r in runs if r["store"] == r_store]
               for r_store in dict.fromkeys(r["store"] for r in runs)
               for p in ("bare_encode", "retrieval", "fusion", "answer")}
    memory = {f"{phase} ({r_store})": [(x[id(r)], median_of(get(r, key, "peak_rss_mb"))) for r in runs
                                       if r["store"] == r_store]
              for r_store in dict.fromkeys(r["store"] for r in runs)
              for phase, key in (("build", "build"), ("serving", "serve"), ("re-index", "reindex"))}
    lines_by_size(latency, out / "latency.png", "ms per question (p50)", "query latency against library size")
    lines_by_size(memory, out / "memory.png", "peak RSS, MB", "peak memory per process against library size")
    return ["latency.png", "memory.png"]


def markdown(result: dict, command: str, plots: list[str]) -> str:
    m, s, runs = result["machine"], result["settings"], result["runs"]
    out = ["# kb bench", "", f"Command: `{command}`", "",
           f"Machine: {m['cpus']} cores ({m['platform']}, Python {m['python']}, FAISS {m['faiss']}), shared: load "
           f"average {m['load_average_at_start']} at the start, {m.get('load_average_at_end')} at the end. Compare "
           "the ratios measured side by side in one run, not the seconds.", "",
           f"Models: {s['model']} + cross-lingual `{s['multilingual_model']}`. ANN above {s['ann_min_vectors']:,} "
           f"vectors per space (`{s['ann_index']}`, {s['ann_memory_gb']} GB, efSearch {s['ann_ef_search']}, "
           f"nprobe {s['ann_nprobe']}). {result['questions']} questions (eval/gold/dev.jsonl). Sizes up to "
           f"{s['real_up_to']:,} passages are encoded for real; bigger ones are built with composed vectors "
           "(eval/README.md, \"kb bench\"): their encode stages are table look-ups, not encoding. Figures are "
           "medians over the runs, with the min–max spread in brackets when several runs differed.", "",
           *(f"Note: {note}\n" for note in result.get("notes", [])),
           *(f"Sizes {', '.join(m['sizes'])} come from an earlier run, `{m['command']}` (load average "
             f"{(m.get('machine') or {}).get('load_average_at_start')} at its start).\n" for m in result.get("merged", [])),
           "## Targets", "", *table(["target", "size", "measured", "verdict"],
                                    [[t["target"], t["size"], t["measured"], t["verdict"]] for t in judge(runs)]),
           "", "## Build", "", *build_table(runs), "",
           f"build / bare encodes: the build against the encoders alone on the same texts (a real build; bare "
           f"encoding timed on an evenly spaced sample of at most {s['bare_sample']} passages and sentences and "
           "scaled to all). Peak RSS of the build process (its encoders included).", "",
           "## Re-index", "", *reindex_table(runs), "",
           "One document (the smallest of the corpus, the first of a synthetic library) gets a new section at its "
           "end and `kb index` runs again with the real encoders; its bare encoding is all of its passages and "
           "sentences through the encoders, in the same process.", "",
           "## Query latency (ms per question)", "", "p50:", "", *latency_table(runs, "p50"), "", "p95:", "",
           *latency_table(runs, "p95"), "",
           "bare_encode: the question's encodings only (the yardstick); retrieval: the whole search; then the same "
           "search in pieces: encode (query vectors), each channel's own top-k (channel_sentence: its scores of "
           "the candidates), fusion (floors, other channels' scores of the candidates, min-max, hits); answer: "
           "quoting the answer sentences. Serving peak RSS: a process that opened the index, loaded the encoders, "
           "warmed up (warm-up s: the memory-mapped vectors read into the page cache, one answer, the library's "
           "terms) and answered every question; at the end, own MB is its own memory (RssAnon), mapped MB the "
           "pages of memory-mapped files it touched (RssFile: page cache, shared and reclaimable); disk reads: "
           "major page faults per question.", "",
           "## ANN recall", "", *ann_table(runs), "",
           "recall@10: the approximate index's top 10 against an exact search over the vectors it holds, per "
           "question (English rendering for English spaces, the question as typed for cross-lingual ones); "
           "tie-aware: a result scored at least the exact 10th best counts (tied vectors: repeated sentences); "
           "by label: the same labels. Search time: one query at a time, 50 deep.", ""]
    out += ["## Plots", "", *(f"![{p}]({p})" for p in plots), ""]
    return "\n".join(out)


def write_report(out: Path, result: dict, command: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    result = {**result, "command": command, "targets": judge(result["runs"])}
    (out / "bench.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    plots = plot(result, out)
    (out / "bench.md").write_text(markdown(result, command, plots), encoding="utf-8")
    return out / "bench.md"


def main(argv: list[str] | None = None) -> int:
    """``python -m eval.bench.report DIR [NOTE...]``: write bench.md and the plots again from
    DIR/bench.json, with NOTEs added to its notes."""
    import sys

    out, *notes = argv if argv is not None else sys.argv[1:]
    out = Path(out)
    result = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    result["notes"] = [*result.get("notes", []), *notes]
    print(write_report(out, result, result["command"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
