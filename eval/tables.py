"""Tables of results, as terminal text or Markdown (``tabulate`` does the layout).

Pure functions from result summaries to strings, shared by ``kb eval`` output and ``report.md``.
"""

from __future__ import annotations

from tabulate import tabulate

from eval.gold import SUMMARY_KEYS

LATENCY = ("p50", "p95")


def fmt(v, digits: int = 3) -> str:
    """A number for a table; ``n/a`` for a metric that does not apply (None)."""
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def _grid(headers: list[str], rows: list[list], markdown: bool) -> str:
    align = ("left",) + ("right",) * (len(headers) - 1)  # labels left, numbers right
    return tabulate(rows, headers=headers, tablefmt="github" if markdown else "simple",
                    disable_numparse=True, colalign=align)


def gold_overall(summaries: dict[str, dict], markdown: bool = False) -> str:
    """One row per configuration: the overall metrics, abstention and latency."""
    headers = ["config", "n", *SUMMARY_KEYS, "declined unanswerable", "answered answerable", "p50 ms", "p95 ms",
               "encode p50 ms", "p50 / encode", "answer p95 ms"]
    rows = [[name, s["overall"]["n"], *(fmt(s["overall"][m]) for m in SUMMARY_KEYS),
             fmt(s["abstention"]["unanswerable_declined"]), fmt(s["abstention"]["answerable_answered"]),
             *(fmt(s["latency_ms"][p], 1) for p in LATENCY),
             fmt(s.get("encode_ms", {}).get("p50"), 1), fmt(s.get("latency_over_encode"), 2),
             fmt(s.get("answer_ms", {}).get("p95"), 1)] for name, s in summaries.items()]
    return _grid(headers, rows, markdown)


def gold_groups(summaries: dict[str, dict], by: str, markdown: bool = False) -> str:
    """``by`` = "by_kind" or "by_lang": one row per group and configuration."""
    headers = [by.removeprefix("by_"), "config", "n", *SUMMARY_KEYS]
    groups = sorted({g for s in summaries.values() for g in s[by]})
    rows = [[g, name, s[by][g]["n"], *(fmt(s[by][g][m]) for m in SUMMARY_KEYS)]
            for g in groups for name, s in summaries.items() if g in s[by]]
    return _grid(headers, rows, markdown)


def abstention_by_lang(summaries: dict[str, dict], markdown: bool = False) -> str:
    """Declined unanswerable / answered answerable per language and configuration."""
    def fit(s: dict, lang: str) -> list:
        f = s["abstention"].get("calibrated_by_lang", {}).get(lang, {})
        return [fmt(f.get("threshold"), 4), fmt(f.get("calibrated_threshold"), 4)]

    rows = [[lang, name, a["unanswerable"], fmt(a["unanswerable_declined"]), a["answerable"], fmt(a["answerable_answered"]),
             *fit(s, lang)]
            for name, s in summaries.items() for lang, a in s["abstention"].get("by_lang", {}).items()]
    return _grid(["lang", "config", "unanswerable", "declined", "answerable", "answered", "threshold", "calibrated"],
                 rows, markdown)


def answer_table(summaries: dict[str, dict], markdown: bool = False) -> str:
    """The answers themselves: share of answerable questions whose quotes hold the evidence, overall
    and per language and kind, and how many answerable questions were declined."""
    groups = [("overall", None)] + [(f"{by}: {g}", (by, g)) for by in ("lang", "kind")
                                    for g in sorted({g for s in summaries.values() for g in s.get("answer", {}).get(f"by_{by}", {})})]
    rows = []
    for label, key in groups:
        for name, s in summaries.items():
            a = s.get("answer") or {}
            cell = a if key is None else a.get(f"by_{key[0]}", {}).get(key[1])
            if cell:
                rows.append([label, name, cell["n"], fmt(cell["supported"])]
                            + ([a["answerable_declined"], a["declined_with_evidence_on_top"]] if key is None else ["", ""]))
    return _grid(["questions", "config", "n", "answer supported", "declined", "declined, evidence on top"], rows, markdown)


def metric_breakdown(summaries: dict[str, dict], metric: str, markdown: bool = True) -> str:
    """One metric: rows overall / kind: … / lang: …, one column per configuration."""
    names = list(summaries)
    first = next(iter(summaries.values()))
    rows = [["overall", first["overall"]["n"], *(fmt(summaries[n]["overall"][metric]) for n in names)]]
    for by in ("by_kind", "by_lang"):
        for g in sorted({g for s in summaries.values() for g in s[by]}):
            n = next(s[by][g]["n"] for s in summaries.values() if g in s[by])
            rows.append([f"{by.removeprefix('by_')}: {g}", n,
                         *(fmt(summaries[c][by].get(g, {}).get(metric)) for c in names)])
    return _grid(["questions", "n", *names], rows, markdown)


def gold_text(summaries: dict[str, dict]) -> str:
    """The readable ``kb eval --gold`` output."""
    first = next(iter(summaries.values()))
    q = first["questions"]
    parts = [f"Gold set: {q['total']} questions, {q['answerable']} answerable, {q['unanswerable']} unanswerable; "
             f"model {first['config']['model']}, top {first['config']['k']}.",
             "", gold_overall(summaries), "", "By kind:", gold_groups(summaries, "by_kind"),
             "", "By language:", gold_groups(summaries, "by_lang")]
    if first.get("answer"):
        parts += ["", "Answers (their quotes hold 60 % of an evidence quote as one run):", answer_table(summaries)]
    if first["abstention"].get("by_lang"):
        parts += ["", "Abstention by language:", abstention_by_lang(summaries),
                  "Answerable questions declined although their top passage holds the evidence: "
                  + "; ".join(f"{n}: {len(s['abstention'].get('declined_with_evidence_on_top', []))}"
                              for n, s in summaries.items())]
    if q["answerable_without_relevant_passage"]:
        parts += ["", "No passage in the index matches the evidence of: "
                  + ", ".join(q["answerable_without_relevant_passage"])]
    return "\n".join(parts)


def beir_table(result: dict, markdown: bool = False) -> str:
    """One row per configuration: nDCG@10, recall@100, MRR@10, latency and any published anchor."""
    anchors = result.get("anchors", {})
    headers = ["config", "ndcg@10", "recall@100", "mrr@10", "p50 ms", "p95 ms", "published ndcg@10"]
    rows = []
    for name, s in result["configs"].items():
        a = anchors.get(name)
        rows.append([name, fmt(s["ndcg@10"]), fmt(s["recall@100"]), fmt(s["mrr@10"]),
                     *(fmt(s["latency_ms"][p], 1) for p in LATENCY),
                     f"{a['ndcg@10']:.3f} ({a['source']})" if a else ""])
    return _grid(headers, rows, markdown)


def beir_text(result: dict) -> str:
    """The readable ``kb eval --beir`` output."""
    return (f"BEIR {result['dataset']}: {result['n_queries']} test queries with judgements; "
            f"model {result['config']['model']}.\n\n" + beir_table(result))


def p_value_table(sig: dict, metric: str, markdown: bool = True) -> str:
    """Pairwise p-values of one metric; ``*`` marks p below the test's threshold."""
    pv = sig["p_values"][metric]
    names = list(pv)
    rows = [[a, *("—" if a == b else f"{pv[a][b]:.4f}{' *' if pv[a][b] < sig['max_p'] else ''}" for b in names)]
            for a in names]
    return _grid([metric, *names], rows, markdown)
