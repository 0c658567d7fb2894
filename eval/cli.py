"""`kb eval` options and command: argparse wiring and output only; the work is in eval.gold/eval.beir."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from eval.configs import CONFIGS, DEFAULT, parse_names
from kb.settings import settings_from_args

EPILOG = """examples:
  kb eval --gold eval/gold/dev.jsonl                       hybrid retrieval on the gold set
  kb eval --gold eval/gold/dev.jsonl --json                metrics as one JSON object
  kb eval --gold eval/gold/dev.jsonl --compare bm25,dense,hybrid --report eval/reports/dev
  kb eval --beir ../shared/data/beir/scifact --compare bm25,dense,hybrid --report eval/reports/scifact
relevance (gold): a passage is relevant when it holds >= 60% of an evidence quote as one contiguous run
(after normalising case, quotes, dashes, spaces and *); see eval/README.md."""


def add_eval_parser(sub, common) -> None:
    p = sub.add_parser("eval", parents=[common], help="measure retrieval quality (gold questions, BEIR)",
                       description="Evaluate retrieval on a gold question set (against the knowledge base in the "
                       "data directory, indexed first if needed) or on a BEIR benchmark (indexed into a cache).",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--gold", type=Path, metavar="FILE", help="gold questions, JSON Lines (id, question, evidence, lang, kind)")
    src.add_argument("--beir", type=Path, metavar="DIR", help="BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv)")
    p.add_argument("--config", default=DEFAULT, choices=list(CONFIGS), help=f"retrieval configuration (default {DEFAULT})")
    p.add_argument("--compare", metavar="NAMES", help="run several configurations, comma-separated, e.g. bm25,dense,hybrid")
    p.add_argument("--report", type=Path, metavar="DIR", help="write DIR/report.md with tables, significance tests and plots")
    p.add_argument("--per-question", type=Path, metavar="FILE",
                   help="write one JSON line per question and configuration (first relevant rank, top passages)")
    p.add_argument("--limit", type=int, metavar="N", help="only the first N questions / test queries")
    p.add_argument("--split", default="test", help="BEIR qrels split (default test)")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    p.set_defaults(func=cmd_eval)


def command_line(args) -> str:
    """The command, rebuilt from ``args``, for the report header (so a reader can re-run it)."""
    parts = ["kb", "eval", "--gold" if args.gold else "--beir", str(args.gold or args.beir)]
    parts += ["--compare", args.compare] if args.compare else ["--config", args.config]
    for flag, value in (("--limit", args.limit), ("--report", args.report), ("--data-dir", args.data_dir)):
        if value is not None:
            parts += [flag, str(value)]
    return shlex.join(parts)


def _write_rows(path: Path, runs: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for r in runs:
            for row in r.rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _limit(n: int | None) -> int | None:
    if n is not None and n < 1:
        raise ValueError("--limit must be at least 1")
    return n


def run_gold(args, names: list[str], progress: bool) -> int:
    from assistant.api import KnowledgeBase
    from eval.gold import compare_gold, load_gold
    from eval.report import write_gold_report
    from eval.tables import gold_text

    questions = load_gold(args.gold)[:_limit(args.limit)]
    kb = KnowledgeBase(settings_from_args(args))
    kb.ensure_index(progress=not args.json)  # builds a missing index, rebuilds one made with other settings
    runs, sig = compare_gold(kb, questions, names, progress=progress)
    if args.per_question:
        _write_rows(args.per_question, runs)
    if args.report:
        path = write_gold_report(args.report, runs, sig, command_line(args))
        print(f"Report written to {path}", file=sys.stderr)
    if args.json:
        _print_json(runs[0].summary if len(runs) == 1 else
                    {"configs": {r.name: r.summary for r in runs}, "significance": sig})
    else:
        print(gold_text({r.name: r.summary for r in runs}))
    return 0


def run_beir(args, names: list[str], progress: bool) -> int:
    from eval.beir import beir_json, compare_beir, load_beir, prepare_index
    from eval.report import write_beir_report
    from eval.tables import beir_text

    settings = settings_from_args(args)
    beir = load_beir(args.beir, args.split, _limit(args.limit))
    kb, stems = prepare_index(settings, beir, progress=progress)
    runs, sig = compare_beir(kb, beir, stems, names, progress=progress)
    result = beir_json(beir, runs, kb.settings, sig)  # the settings the BEIR index was built with
    if args.per_question:
        _write_rows(args.per_question, runs)
    if args.report:
        path = write_beir_report(args.report, result, runs, sig, command_line(args))
        print(f"Report written to {path}", file=sys.stderr)
    _print_json(result) if args.json else print(beir_text(result))
    return 0


def cmd_eval(args) -> int:
    """Entry point of `kb eval`; returns the exit code."""
    names = parse_names(args.compare) if args.compare else [args.config]
    progress = not args.json or sys.stderr.isatty()
    return run_gold(args, names, progress) if args.gold else run_beir(args, names, progress)
