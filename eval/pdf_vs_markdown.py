"""PDF versus Markdown: the two bundled chapters rendered as OECD-like PDFs and indexed in place of
their Markdown, then evaluated on the gold sets beside the Markdown original.

    python -m eval.pdf_vs_markdown --out eval/reports/pdf

The PDFs come from ``tests/data/pdf/make_oecd_pdfs.py`` (reportlab: running header and footer,
justified text hyphenated at line ends, shaded boxes running over pages, bold headings, annex
tables), in one column and in two, and from ``tests/data/pdf_fpdf/make_pdfs.py`` (fpdf2, written
apart from the reader: framed or grey boxes, regular-weight coloured headings, other running heads). Each variant is its own knowledge base, built in a temporary
folder with the default settings (the two web pages of the 2018 review stay Markdown in all three),
and judged by the gold sets' evidence text, as ``kb eval --gold`` does. Writes OUT/report.md (the
table and the questions whose first relevant rank moved) and OUT/results.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import tempfile
from pathlib import Path

from kb.settings import REPO_ROOT

CHAPTERS = ("imss-2013-chapter-05-capability", "imss-2018-chapter-09-innovation")
PAGES = ("imss-2018-book-page", "imss-2018-project-page")
VARIANTS = ("markdown", "pdf", "pdf-2col", "pdf-fpdf2")
GOLD = ("dev", "check", "check_es")
METRICS = ("hit@1", "hit@5", "mrr@10")


MAKERS = {"pdf": "tests/data/pdf/make_oecd_pdfs.py", "pdf-2col": "tests/data/pdf/make_oecd_pdfs.py",
          "pdf-fpdf2": "tests/data/pdf_fpdf/make_pdfs.py"}


def load_maker(path: str):
    """``make(markdown_path, pdf_path, columns=1) -> summary`` of a PDF generator under tests/data
    (a script, not a package: loaded from its file)."""
    spec = importlib.util.spec_from_file_location(Path(path).stem, REPO_ROOT / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make


def corpus_folder(variant: str, root: Path) -> Path:
    """A folder with the bundled knowledge base, its chapters as Markdown or as PDFs."""
    folder = root / variant / "corpus"
    folder.mkdir(parents=True)
    for stem in PAGES:
        shutil.copy(REPO_ROOT / "corpus" / f"{stem}.md", folder)
    make = load_maker(MAKERS[variant]) if variant != "markdown" else None
    for stem in CHAPTERS:
        source = REPO_ROOT / "corpus" / f"{stem}.md"
        if make is None:
            shutil.copy(source, folder)
        else:
            make(source, folder / f"{stem}.pdf", columns=2 if variant == "pdf-2col" else 1)
    return folder


def evaluate(variant: str, root: Path) -> dict:
    """{gold set: {"by_lang": metrics, "ranks": {question id: first relevant rank}}} for one variant."""
    from assistant.api import KnowledgeBase
    from assistant.configs import DEFAULT
    from eval.gold import compare_gold, load_gold
    from kb.settings import Settings

    kb = KnowledgeBase(Settings(data_dir=root / variant / "data", corpus_dir=corpus_folder(variant, root)))
    report = kb.build(progress=False)
    out = {"passages": report.passages}
    for name in GOLD:
        runs, _ = compare_gold(kb, load_gold(REPO_ROOT / "eval" / "gold" / f"{name}.jsonl"), [DEFAULT], progress=False)
        out[name] = {"by_lang": {lang: {m: v[m] for m in (*METRICS, "n")} for lang, v in runs[0].summary["by_lang"].items()},
                     "ranks": {row["id"]: row["first_relevant_rank"] for row in runs[0].rows if row["answerable"]},
                     "questions": {row["id"]: row["question"] for row in runs[0].rows},
                     "langs": {row["id"]: row["lang"] for row in runs[0].rows}}
    return out


def pooled(result: dict, lang: str) -> dict:
    """hit@1, hit@5 and MRR@10 over the answerable questions of every gold set in ``lang``."""
    ranks = [r for name in GOLD for qid, r in result[name]["ranks"].items() if result[name]["langs"][qid] == lang]
    return {"n": len(ranks), "hit@1": sum(r == 1 for r in ranks) / len(ranks),
            "hit@5": sum(r is not None and r <= 5 for r in ranks) / len(ranks),
            "mrr@10": sum(1 / r for r in ranks if r is not None and r <= 10) / len(ranks)}


def report(results: dict) -> str:
    """The comparison as Markdown: each set and language, each variant's metrics and its MRR
    difference from the Markdown, then the questions whose first relevant rank moved."""
    head = " | ".join(f"{v} hit@1 / hit@5 / MRR@10" for v in VARIANTS)
    lines = ["# PDF versus Markdown", "", "Command: `python -m eval.pdf_vs_markdown --out eval/reports/pdf`", "",
             "Passages indexed: " + ", ".join(f"{v} {results[v]['passages']}" for v in VARIANTS), "",
             f"| set | lang | n | {head} | largest difference |", "|---|---|---|" + "---|" * len(VARIANTS) + "---|"]
    worst = 0.0
    for name in GOLD:
        for lang, base in results["markdown"][name]["by_lang"].items():
            cells, diff = [], 0.0
            for v in VARIANTS:
                m = results[v][name]["by_lang"][lang]
                cells.append(" / ".join(f"{m[k]:.3f}" for k in METRICS))
                diff = max([diff] + [abs(m[k] - base[k]) for k in METRICS])
            worst = max(worst, diff)
            lines.append(f"| {name} | {lang} | {base['n']} | " + " | ".join(cells) + f" | {diff:.3f} |")
    for lang in ("en", "es"):  # every set's questions in one language together: less noise than 8 questions
        cells, diff, n = [], 0.0, 0
        base = pooled(results["markdown"], lang)
        for v in VARIANTS:
            m = pooled(results[v], lang)
            n = m["n"]
            cells.append(" / ".join(f"{m[k]:.3f}" for k in METRICS))
            diff = max([diff] + [abs(m[k] - base[k]) for k in METRICS])
        lines.append(f"| all three, pooled | {lang} | {n} | " + " | ".join(cells) + f" | {diff:.3f} |")
    lines += ["", f"Largest difference from the Markdown over every set, language and metric: {worst:.3f}.", "",
              "## Questions whose first relevant rank moved (None: not in the top 10)", ""]
    for name in GOLD:
        base = results["markdown"][name]["ranks"]
        for qid, rank in base.items():
            moved = {v: results[v][name]["ranks"].get(qid) for v in VARIANTS[1:]}
            if any(r != rank for r in moved.values()):
                text = results["markdown"][name]["questions"][qid]
                lines.append(f"- {name} `{qid}`: Markdown {rank}, " + ", ".join(f"{v} {r}" for v, r in moved.items())
                             + f" — {text[:100]}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from kb.runtime import configure
    from kb.settings import Settings

    ap = argparse.ArgumentParser(prog="python -m eval.pdf_vs_markdown", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "eval" / "reports" / "pdf",
                    help="where report.md and results.json go (default eval/reports/pdf)")
    args = ap.parse_args(argv)
    configure(Settings().retrieval.query_threads)  # as `kb eval`, which builds a missing index likewise
    with tempfile.TemporaryDirectory() as tmp:
        results = {v: evaluate(v, Path(tmp)) for v in VARIANTS}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "report.md").write_text(report(results), encoding="utf-8")
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
