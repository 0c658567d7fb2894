"""`kb`: the command line, a thin layer over ``assistant.api.KnowledgeBase``.

Heavy libraries (torch, FAISS, bm25s) are imported only by the subcommands that need them, so
`kb index` with nothing to do and `kb --help` answer at once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from kb.settings import DEFAULT_CONFIG, settings_from_args

EPILOG = """examples:
  kb index                          index the bundled corpus (and every source added before)
  kb index ~/reviews/new.pdf        add a file or folder to the knowledge base
  kb ask "How does Chile certify its procurement officials?"
  kb ask --json --country Chile "training of buyers"
  kb serve --port 7860              open the chat UI at http://127.0.0.1:7860
  kb bench --sizes corpus,10k       benchmark build, latency and memory by library size
environment: every setting has a KB_ variable (KB_DATA_DIR, KB_EMBED_MODEL, ...); see `kb settings`."""


def _kb(args):
    from assistant.api import KnowledgeBase

    return KnowledgeBase(settings_from_args(args))


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def report_dict(report) -> dict:
    from dataclasses import asdict

    return {**asdict(report), "ok": report.ok}


def print_report(report) -> None:
    for note in report.notes:
        print(f"Note: {note}.", file=sys.stderr)
    if report.noop:
        print(f"Index is up to date: {report.documents} documents, {report.passages} passages, "
              f"{report.boxes} boxes ({report.seconds:.2f} s).")
    else:
        print(f"Indexed {report.documents} documents: {report.passages} passages, {report.boxes} boxes; "
              f"embedded {report.embedded}, reused {report.reused} in {report.seconds:.1f} s "
              f"(embedding {report.embed_seconds:.1f} s).")
        for f in report.removed_files:
            print(f"  removed: {f}")
    for skip in report.skipped:
        print(f"  skipped {skip.path!r}: {skip.reason}", file=sys.stderr)
    for err in report.errors:
        print(f"  FAILED {err.path!r}: {err.reason}", file=sys.stderr)
    if not report.noop:
        print(f"Peak memory {report.peak_rss_mb:,.0f} MB.", file=sys.stderr)
    if report.errors:
        print(f"{len(report.errors)} file(s) could not be indexed; the others are searchable. "
              "Fix or remove them (`kb remove PATH`) and run `kb index` again.", file=sys.stderr)


def cmd_index(args) -> int:
    kb = _kb(args)
    report = kb.build(add=[Path(p) for p in args.paths], rebuild=args.rebuild, progress=not args.json,
                      verify=args.verify)
    _print_json(report_dict(report)) if args.json else print_report(report)
    return 0 if report.ok else 1


def cmd_remove(args) -> int:
    kb = _kb(args)
    report = kb.build(remove=[Path(p) for p in args.paths], progress=not args.json)
    _print_json(report_dict(report)) if args.json else print_report(report)
    return 0 if report.ok else 1


def cmd_rename(args) -> int:
    old, new = _kb(args).rename(args.document, args.title)
    if args.json:
        _print_json({"document": args.document, "old_title": old, "title": new})
    else:
        print(f"Renamed {old!r} to {new!r}: citations, filters and the documents list show it from now on.")
    return 0


def cmd_sources(args) -> int:
    kb = _kb(args)
    manifest = kb.manifest()
    if manifest is None:
        print(f"No index yet in {kb.settings.index_dir}; `kb index` builds it from {kb.settings.corpus_dir}.")
        return 0
    if args.json:
        _print_json({"sources": manifest["sources"], "files": manifest["files"], "failed": manifest.get("failed", {})})
        return 0
    print("Sources:")
    for s in manifest["sources"]:
        print(f"  {s}")
    print("Documents:")
    for path, entry in sorted(manifest["files"].items()):
        print(f"  {entry['doc_id']}: {entry['passages']} passages, {entry['boxes']} boxes  ({path})")
    return 0


def ensure_index(kb, quiet: bool = False) -> None:
    """``KnowledgeBase.ensure_index``, with the build summary printed when one ran."""
    report = kb.ensure_index(progress=not quiet)
    if report is not None and not quiet:
        print_report(report)


def _filters(kb, args):
    return kb.default_filters(doc=args.doc, chapter=args.chapter, country=args.country, box=args.box,
                              kinds=args.kind)


_ASK_WORDS = {
    "en": {"terms": "Your terms in the quotes:", "related": "Related passages:", "sources": "Sources:",
           "none": "No passage matches this question with these filters. Try other words or fewer filters."},
    "es": {"terms": "Sus términos en las citas:", "related": "Pasajes relacionados:", "sources": "Fuentes:",
           "none": "Ningún pasaje corresponde a esta pregunta con estos filtros. Pruebe otras palabras o menos filtros."},
}
"""``kb ask`` speaks the question's language around the verbatim English quotes."""


def cmd_ask(args) -> int:
    kb = _kb(args)
    ensure_index(kb, quiet=args.json)
    answer = kb.ask(args.question, k=args.k, filters=_filters(kb, args), config=args.config)
    if args.json:
        _print_json({**answer.to_dict(), "config": args.config})
        return 0
    words = _ASK_WORDS.get(answer.lang, _ASK_WORDS["en"])
    from assistant.markup import plain  # the reader sees text, not the source's Markdown emphasis

    print(plain(answer.answer) + "\n")
    if answer.terms:
        print(words["terms"] + " " + "; ".join(f"{asked} → {found}" for asked, found in answer.terms) + "\n")
    if answer.abstained and answer.abstention:
        from assistant.coverage import why_declined

        print(why_declined(answer.abstention.reason, answer.abstention.terms, answer.lang) + "\n")
    if answer.notice:
        print(f"({answer.notice})\n")
    if not answer.passages:
        print(words["none"])
        return 0
    print(words["related"] if answer.abstained else words["sources"])
    for p in answer.passages:
        print(f"[{p['n']}] {p['citation']}")
        print("    " + plain(p["text"]).replace("\n", "\n    ") + "\n")
    return 0


def cmd_serve(args) -> int:
    kb = _kb(args)
    from ui.access import LOCAL, AccessError, credentials, login_for

    host = args.host or kb.settings.server.host
    try:
        auth = login_for(host, credentials(kb.settings.server.auth, kb.settings.server.auth_file), args.no_auth)
    except AccessError as exc:
        print(f"kb serve: {exc}", file=sys.stderr)
        return 2
    if auth is None and host not in LOCAL:
        print(f"WARNING: serving on {host} without a login (--no-auth): anyone who can reach it can read the "
              "reviews and upload files.", file=sys.stderr)
    # Gradio stages uploads in its temp folder: keep that inside the data directory too.
    os.environ.setdefault("GRADIO_TEMP_DIR", str((kb.settings.data_dir / "tmp").resolve()))
    from ui.app import serve

    ensure_index(kb)
    serve(kb, host=host, port=args.port or kb.settings.server.port, auth=auth)
    return 0


def cmd_feedback(args) -> int:
    from assistant.feedback import read_feedback, to_gold_candidates

    s = settings_from_args(args)
    records = read_feedback(s.data_dir)
    if args.gold_out:
        candidates = to_gold_candidates(records)
        with open(args.gold_out, "w", encoding="utf-8") as fh:
            for c in candidates:
                fh.write(json.dumps(c, ensure_ascii=False) + "\n")
        print(f"Wrote {len(candidates)} gold candidate(s) from thumbs-up ratings to {args.gold_out}; "
              f"check them, then evaluate with `kb eval --gold {args.gold_out}`.")
        return 0
    if args.json:
        _print_json(records)
    elif not records:
        print(f"No feedback yet in {s.data_dir}; ratings given in the chat UI are collected there.")
    for r in records if not args.json else []:
        mark = "+" if r.get("rating") == "up" else "-"
        comment = f"  — {r['comment']}" if r.get("comment") else ""
        print(f"[{mark}] {r.get('timestamp', '')[:19]}  {r.get('question', '')}{comment}")
    return 0


def cmd_pack(args) -> int:
    from assistant.pack import export_docx, export_markdown, pack_from_questions

    kb = _kb(args)
    ensure_index(kb, quiet=True)
    questions = [q for q in Path(args.questions).read_text(encoding="utf-8").splitlines()
                 if q.strip() and not q.lstrip().startswith("#")]
    items = pack_from_questions(kb, questions, k=args.k)
    out = Path(args.out)
    (export_docx if out.suffix.lower() == ".docx" else export_markdown)(items, out, lang=args.lang)
    print(f"Workshop pack: {len(items)} cited passage(s) from {len(questions)} question(s) -> {out}")
    return 0


def cmd_settings(args) -> int:
    s = settings_from_args(args)
    rows = {name: {**row, "value": str(row["value"])} for name, row in s.fields().items()}
    if args.json:
        _print_json(rows)
        return 0
    section = None
    for row in rows.values():
        if row["section"] != section:
            section = row["section"]
            print(f"[{section}]" if section else "[paths]")
        print(f"  {row['env']:<26} = {row['value']}\n      {row['description']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, help="data directory (index, caches, feedback); default ./data or $KB_DATA_DIR")
    parser = argparse.ArgumentParser(prog="kb", description="Search the OECD procurement reviews with cited passages.",
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", parents=[common], help="build or update the index (incremental; no-op when unchanged)",
                       description="Index the knowledge base. With PATHs, add those files or folders as sources "
                       "(.md .txt .html .pdf .docx). Unchanged files are not re-embedded.")
    p.add_argument("paths", nargs="*", help="files or folders to add as sources")
    p.add_argument("--rebuild", action="store_true", help="re-parse and re-embed everything")
    p.add_argument("--verify", action="store_true",
                   help="read and hash every source and index file, even those whose size and modification and "
                   "change times are as when last hashed (a check for damage below the file system; "
                   "slow on a large library)")
    p.add_argument("--json", action="store_true", help="print the build report as JSON")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("remove", parents=[common], help="drop a source (file or folder) from the knowledge base")
    p.add_argument("paths", nargs="+", help="sources to drop, as given to `kb index`")
    p.add_argument("--json", action="store_true", help="print the build report as JSON")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("rename", parents=[common], help="change the title a document is shown and cited under",
                       description="Change the title a document is shown and cited under (citations, filters, the "
                       "documents list, exports). Nothing is re-indexed; a running `kb serve` picks it up.",
                       epilog='example: kb rename imss-2018-book-page "Second Public Procurement Review of IMSS (2018)"')
    p.add_argument("document", help="the document: its id (see `kb sources`), its file, or its current title")
    p.add_argument("title", help="the title to show")
    p.add_argument("--json", action="store_true", help="print the old and new titles as JSON")
    p.set_defaults(func=cmd_rename)

    p = sub.add_parser("sources", parents=[common], help="list the sources and documents in the index")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("ask", parents=[common], help="find the passages that answer a question, with citations")
    p.add_argument("question", help="the question, in English or Spanish")
    p.add_argument("--k", type=int, default=None, help="number of passages (default 5)")
    p.add_argument("--json", action="store_true",
                   help='print {"question", "answer", "abstained", "citations", "passages", "lang", "timings_ms"} as JSON')
    p.add_argument("--country", action="append", default=[], help="only boxes about this country (repeatable)")
    p.add_argument("--doc", action="append", default=[], help="only this document (id or title words; repeatable)")
    p.add_argument("--chapter", action="append", default=[], help="only this chapter number (repeatable)")
    p.add_argument("--box", action="append", default=[], help="only this box, e.g. 5.2 (repeatable)")
    p.add_argument("--kind", action="append", default=[],
                   help="only passages of this kind: paragraph, box, recommendation, table, references, notes, citation")
    from assistant.configs import CONFIGS  # noqa: PLC0415 - the registry of retrieval configurations

    p.add_argument("--config", default=DEFAULT_CONFIG, choices=list(CONFIGS),
                   help=f"retrieval configuration (default {DEFAULT_CONFIG}; see README)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("serve", parents=[common], help="start the chat UI (builds the index first if missing)")
    p.add_argument("--host", default=None, help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default 7860)")
    p.add_argument("--no-auth", action="store_true",
                   help="serve on another address without a login (a warning is printed); otherwise set KB_AUTH or "
                   "KB_AUTH_FILE")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("feedback", parents=[common], help="list answer ratings from the UI; export gold candidates",
                       description="Ratings given in the chat UI (thumbs up/down and comments), read from "
                       "<data-dir>/feedback.jsonl. --gold-out turns thumbs-up answers into eval gold lines.")
    p.add_argument("--json", action="store_true", help="print the records as JSON")
    p.add_argument("--gold-out", metavar="FILE", help="write gold-question candidates (JSON Lines) for `kb eval --gold`")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("pack", parents=[common], help="build a workshop pack (Markdown or DOCX) from a list of questions",
                       description="Answer each question (one per line; # comments) and collect the cited passages, "
                       "grouped by document and country, with full citations and the OECD acknowledgement.")
    p.add_argument("--questions", required=True, metavar="FILE", help="text file, one question per line")
    p.add_argument("--out", required=True, metavar="FILE", help="pack.md or pack.docx")
    p.add_argument("--k", type=int, default=None, help="passages retrieved per question (default 5)")
    p.add_argument("--lang", choices=("en", "es"), default="en",
                   help="language of the pack's headings (quotes and citations stay as the reviews give them)")
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("settings", parents=[common], help="show every setting, its value and KB_ variable")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=cmd_settings)

    from eval.cli import add_eval_parser  # noqa: PLC0415 - keeps eval's options next to its code

    add_eval_parser(sub, common)
    from eval.bench.cli import add_bench_parser  # noqa: PLC0415 - keeps bench's options next to its code

    add_bench_parser(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from indexer.store import IndexDamaged, IndexMissing
    from kb.runtime import configure

    try:
        settings = settings_from_args(args)
        configure(settings.build.index_threads if args.command in ("index", "remove")
                  else settings.retrieval.query_threads)
        return args.func(args)
    except (IndexMissing, IndexDamaged, ValueError, RuntimeError, FileNotFoundError) as exc:
        print(f"kb {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"kb {args.command}: interrupted; the previous index is unchanged.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
