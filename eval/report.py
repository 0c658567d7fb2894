"""``--report DIR``: a Markdown report with tables, significance tests and PNG plots.

Significance comes from ranx ``compare`` (paired Student's t-test over the same questions); its
own table is included verbatim beside our pairwise p-value tables.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from eval import plots
from eval.gold import SUMMARY_KEYS
from eval.tables import abstention_by_lang, answer_table, beir_table, gold_overall, metric_breakdown, p_value_table

RULE = ("A passage is relevant when, after normalisation (lower case; curly quotes, dashes and non-breaking "
        "spaces unified; `*` dropped; whitespace collapsed), it contains at least 60 % of one evidence quote "
        "as one contiguous run of characters. recall@k is the share of a question's evidence quotes matched "
        "by the top k passages.")


def _significance(sig: dict, unit: str = "questions") -> list[str]:
    if not sig:
        return ["Only one configuration: no comparison."]
    test = "Student's t-test" if sig["test"] == "student" else f"{sig['test']} test"
    out = [f"Paired {test} over the same {sig['n']} {unit} (ranx `compare`); "
           f"`*` = p < {sig['max_p']}.", ""]
    for m in sig["p_values"]:
        out += [f"**{m}**", "", p_value_table(sig, m), ""]
    out += ["ranx summary (a superscript names the configurations this one is significantly better than):",
            "", "```", sig["table"], "```"]
    return out


def _header(title: str, command: str, config: dict) -> list[str]:
    stamp = dt.datetime.now().isoformat(timespec="minutes")
    chunks = ", ".join(f"{k} {v}" for k, v in config.items() if k.startswith("chunk") or k == "box_max_words")
    return [f"# {title}", "", f"Generated {stamp} by `{command}`.", "",
            f"Model: {config['model']}; {chunks}; fusion {config.get('fusion', 'rrf')} "
            f"(weights {config.get('fusion_weights') or 'equal'}; hybrid-rrf and hybrid-plain use RRF k "
            f"{config.get('rrf_k')}), candidates {config.get('candidates')}, thesaurus "
            f"{'on' if config.get('thesaurus', False) else 'off'}.", ""]


def write_gold_report(folder: Path, runs: list, sig: dict, command: str) -> Path:
    """report.md, hit_at_k.png and latency.png for gold-set runs."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    summaries = {r.name: r.summary for r in runs}
    first = runs[0].summary
    q = first["questions"]
    plots.hit_curves({r.name: r.hit_curve for r in runs}, folder / "hit_at_k.png")
    plots.latency_box({r.name: r.latencies_ms for r in runs}, folder / "latency.png")
    lines = _header("Retrieval evaluation: gold set", command, first["config"])
    lines += [f"{q['total']} questions: {q['answerable']} answerable, {q['unanswerable']} unanswerable. "
              f"Retrieval metrics over answerable questions (top {first['config']['k']}).", "", RULE, "",
              "## Overall", "", gold_overall(summaries, markdown=True), "",
              "Abstention is n/a until the assistant can decline (`KnowledgeBase.ask(...).abstained`)."
              if first["abstention"]["unanswerable_declined"] is None else
              "Abstention: `KnowledgeBase.ask(question, config=…).abstained` over all questions; \"declined "
              "unanswerable\" is the share of unanswerable questions declined, \"answered answerable\" the share "
              "of answerable ones answered.", "",
              "Latency, in process on this machine: \"p50/p95 ms\" is `kb.search`; \"encode p50 ms\" the bare "
              "query encodings the same configuration needs (MiniLM, and multilingual-e5 when it is used), timed "
              "one after the other right after each search, so \"p50 / encode\" compares the two side by side; "
              "\"answer p95 ms\" is `kb.ask` without an LLM (retrieval plus the extractive answer).", ""]
    if first.get("answer"):
        lines += ["### Answers", "", "Does the answer itself hold the evidence? `answer supported`: the share of answerable "
                  "questions answered (not declined) with quotes that hold 60 % of one evidence quote as one run, the "
                  "rule applied to passages above.", "", answer_table(summaries, markdown=True), ""]
    if first["abstention"].get("by_lang"):
        lines += ["### Abstention by language", "", abstention_by_lang(summaries, markdown=True), "",
                  "Answerable questions declined although their top passage holds the evidence: "
                  + "; ".join(f"{n} {len(s['abstention'].get('declined_with_evidence_on_top', []))}"
                              for n, s in summaries.items()) + ".", ""]
    if q["answerable_without_relevant_passage"]:
        lines += ["No passage in the index matches the evidence of: "
                  + ", ".join(q["answerable_without_relevant_passage"]) + " (counted as misses).", ""]
    lines += ["## Per metric, by kind and language", "",
              "Each table: one metric, overall and for each question kind and language (n = answerable questions).", ""]
    for m in SUMMARY_KEYS:
        lines += [f"### {m}", "", metric_breakdown(summaries, m), ""]
    lines += ["## Significance", "", *_significance(sig), "",
              "## Plots", "", "![hit@k](hit_at_k.png)", "", "![latency](latency.png)", ""]
    path = folder / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_beir_report(folder: Path, result: dict, runs: list, sig: dict, command: str) -> Path:
    """report.md and latency.png for BEIR runs."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    plots.latency_box({r.name: r.latencies_ms for r in runs}, folder / "latency.png")
    lines = _header(f"Retrieval evaluation: BEIR {result['dataset']}", command, result["config"])
    lines += [f"{result['n_queries']} test queries with relevance judgements; documents ranked by their best "
              f"passage among the top {result['config']['passage_depth']} passages, top "
              f"{result['config']['doc_depth']} documents kept.", "",
              "## Results", "", beir_table(result, markdown=True), "",
              "## Significance", "", *_significance(sig, "queries"), "",
              "## Plots", "", "![latency](latency.png)", ""]
    path = folder / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
