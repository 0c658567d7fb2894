"""`kb bench` options and command: argparse wiring and output only; the work is in eval.bench.runner."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
from pathlib import Path

from eval.bench.stats import CORPUS, parse_sizes

EPILOG = """examples:
  kb bench                                    the bundled corpus (3 runs) and 10k passages encoded for real
  kb bench --sizes corpus --repeat 1 --questions 5 --out /tmp/bench      a quick check (about a minute)
  kb bench --sizes corpus,10k,100k --out eval/reports/bench              what eval/reports/bench holds
  kb bench --sizes 100k,1m --json             big libraries with composed vectors, results as JSON
  kb bench --sizes 1m --merge eval/reports/bench --out eval/reports/bench   1M added to the committed report
what it measures: the build split into parse/chunk, each encoder and writing (passages/s); a no-op and a
one-file re-index; query latency p50/p95 split into encode, each channel, fusion and answer, against the
bare query encoding; peak RSS of the build, serving and re-index processes; ANN recall@10 against exact
search. Sizes above --real-up-to are built with composed vectors cached in --cache; see eval/README.md."""


def add_bench_parser(sub, common) -> None:
    from indexer.stores import STORES

    p = sub.add_parser("bench", parents=[common], help="benchmark build, re-index, latency, memory and ANN recall by size",
                       description="Benchmark the product from the bundled corpus up to large synthetic libraries "
                       "(deterministic, drawn from the corpus sentences): every phase runs in a process of its own "
                       "and is reported as medians of --repeat runs with their spread, in DIR/bench.md, "
                       "DIR/bench.json and plots.", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="corpus,10k", help="comma-separated: corpus and/or passage counts such as 10k, "
                   "100k, 1m (default corpus,10k)")
    p.add_argument("--store", default="faiss", help=f"comma-separated stores to benchmark ({', '.join(STORES)}; "
                   "default faiss, the only one measured so far)")
    p.add_argument("--repeat", type=int, metavar="N", help="runs per size (default 3 for the corpus, 1 for the others)")
    p.add_argument("--questions", type=int, default=0, metavar="N", help="time the first N dev questions (default all)")
    p.add_argument("--gold", type=Path, help="the questions to time (default eval/gold/dev.jsonl; their text only)")
    p.add_argument("--real-up-to", type=int, default=10_000, metavar="N",
                   help="encode libraries up to N passages for real, compose the vectors of bigger ones (default 10000; "
                   "0 composes every size, the bundled corpus too)")
    p.add_argument("--bare-sample", type=int, default=1000, metavar="N",
                   help="time the bare encoders on at most N evenly spaced passages and N sentences (default 1000)")
    p.add_argument("--out", type=Path, default=Path("eval/reports/bench"), metavar="DIR",
                   help="write DIR/bench.md, DIR/bench.json, DIR/latency.png, DIR/memory.png (default eval/reports/bench)")
    p.add_argument("--cache", type=Path, metavar="DIR",
                   help="composed vectors, the corpus index they come from and the work folders (default "
                   f"{Path(tempfile.gettempdir()) / 'kb-bench'}); never the repository")
    p.add_argument("--pool-data", type=Path, metavar="DIR",
                   help="a data directory whose corpus index provides the sentences and vectors (default CACHE/corpus-data, "
                   "built once)")
    p.add_argument("--merge", type=Path, metavar="DIR",
                   help="keep the runs of DIR/bench.json whose size and store this run does not measure (a big size "
                   "run on its own, joined to the small ones); the report names the command each came from")
    p.add_argument("--note", action="append", default=[], metavar="TEXT",
                   help="a line for the report's header (what else ran on the machine, what was not run); repeatable")
    p.add_argument("--json", action="store_true", help="print the results object as JSON")
    p.set_defaults(func=cmd_bench)


def command_line(args) -> str:
    parts = ["kb", "bench", "--sizes", args.sizes]
    for flag, value in (("--store", args.store if args.store != "faiss" else None), ("--repeat", args.repeat),
                        ("--questions", args.questions or None), ("--out", args.out), ("--merge", args.merge),
                        ("--real-up-to", args.real_up_to if args.real_up_to != 10_000 else None)):
        if value is not None:
            parts += [flag, str(value)]
    return shlex.join(parts)


def merged_with(result: dict, earlier: dict) -> dict:
    """``result`` with the runs of ``earlier`` (an earlier bench.json) whose size and store it lacks,
    and where they came from: the run that measured them (``earlier`` itself, or one it had merged)."""
    measured = {(r["size"], r["store"]) for r in result["runs"]}
    kept = [r for r in earlier["runs"] if (r["size"], r["store"]) not in measured]
    if not kept:
        return result
    sizes = list(dict.fromkeys(r["size"] for r in kept))
    origins = [{**m, "sizes": [s for s in m["sizes"] if s in sizes]} for m in earlier.get("merged", [])]
    origins = [m for m in origins if m["sizes"]]
    inherited = {s for m in origins for s in m["sizes"]}
    own = [s for s in sizes if s not in inherited]
    if own:
        origins.append({"command": earlier.get("command"), "machine": earlier.get("machine"), "sizes": own})
    runs = sorted(kept + result["runs"], key=lambda r: (0, 0) if r["size"] == CORPUS else (1, parse_sizes(r["size"])[0]))
    return {**result, "runs": runs, "merged": origins}


def cmd_bench(args) -> int:
    from eval.bench.report import write_report
    from eval.bench.runner import Plan, run_bench
    from eval.gold import load_gold
    from indexer.stores import STORES
    from kb.settings import REPO_ROOT

    sizes = parse_sizes(args.sizes)
    stores = [s.strip() for s in args.store.split(",") if s.strip()]
    unknown = [s for s in stores if s not in STORES]
    if unknown or not stores:
        raise ValueError(f"unknown store {', '.join(unknown) or '(none)'}; choose from {', '.join(STORES)}")
    if args.repeat is not None and args.repeat < 1 or args.questions < 0:
        raise ValueError("--repeat must be at least 1 and --questions at least 0")
    gold = load_gold(args.gold or REPO_ROOT / "eval" / "gold" / "dev.jsonl")
    questions = [q.question for q in gold][:args.questions or None]
    cache = (args.cache or Path(tempfile.gettempdir()) / "kb-bench").resolve()
    plan = Plan(sizes, stores, questions, cache, (args.pool_data or cache / "corpus-data").resolve(), args.repeat,
                args.real_up_to, args.bare_sample, progress=not args.json or sys.stderr.isatty())
    result = {**run_bench(plan), "notes": args.note}
    if args.merge:
        result = merged_with(result, json.loads((args.merge / "bench.json").read_text(encoding="utf-8")))
    path = write_report(args.out, result, command_line(args))
    print(f"Report written to {path}", file=sys.stderr)
    if args.json:
        print(json.dumps(json.loads((args.out / "bench.json").read_text()), ensure_ascii=False, indent=2))
    else:
        print(path.read_text())
    return 0
