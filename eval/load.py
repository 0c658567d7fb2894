"""Load test: locust users asking a real `kb serve`, optionally while `kb index` adds a document.

``python -m eval.load --users 20 --questions 50 --workers 1,4 --live-update --out eval/reports/load``
builds (or reuses, ``--data-dir``) an index of the bundled corpus, then for each worker count starts
`kb serve` on a free 127.0.0.1 port, runs locust headless (``eval/locustfile.py``: each user asks its
questions one after another, English and Spanish from the dev set) and, with ``--live-update``, runs
`kb index NEWFILE` in another process as the users start (they go on asking until the server answers
from the new generation): the server must pick up the new generation without a restart (``/status``:
``generation``, ``reloads``; the new document is then cited) while no request fails. Writes ``load.json`` and
``load.md``: questions, failures, throughput, p50/p95/p99 per worker count, and the live-update result.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEW_DOC = """# Chapter 1. Live update test

## Audit of framework agreements

The live-update review notes that the audit office of Iceland checks every framework agreement twice a year.
"""


def kb_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kb.cli", *args]


def gradio_call(url: str, api: str, data: list):
    """One call of a named endpoint through Gradio's HTTP API: POST the call, read its result."""
    req = urllib.request.Request(f"{url}gradio_api/call/{api}", data=json.dumps({"data": data}).encode(),
                                 headers={"Content-Type": "application/json"})
    event = json.loads(urllib.request.urlopen(req, timeout=30).read())["event_id"]
    body = urllib.request.urlopen(f"{url}gradio_api/call/{api}/{event}", timeout=120).read().decode()
    return json.loads(body.split("data:", 1)[1].strip())[0]


def status(url: str) -> dict:
    """``/status``: which generation answers, and how many the server picked up."""
    return gradio_call(url, "status", [])


def start_server(data_dir: Path, port: int, workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "KB_DATA_DIR": str(data_dir), "KB_WORKERS": str(workers)}
    proc = subprocess.Popen(kb_command("serve", "--port", str(port)), env=env, stdout=open(log, "w"),
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kb serve exited: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("kb serve did not start in 300 s")


def live_update_under_load(data_dir: Path, url: str, out: Path, generation: str, marker: Path) -> dict:
    """`kb index NEWFILE` in another process while the users ask; then wait (at most a minute) for
    the server to answer from the new generation, and let the users stop."""
    doc = out / "live-update.md"
    doc.write_text(NEW_DOC, encoding="utf-8")
    t0 = time.perf_counter()
    built = subprocess.run(kb_command("index", str(doc), "--json"), capture_output=True, text=True,
                           env={**os.environ, "KB_DATA_DIR": str(data_dir)}, timeout=1800)
    seconds = time.perf_counter() - t0
    switched = (data_dir / "index" / "CURRENT").stat().st_mtime
    deadline = time.time() + 60
    while status(url)["generation"] == generation and time.time() < deadline:
        time.sleep(0.2)
    marker.touch()
    return {"index_exit_code": built.returncode, "index_seconds": round(seconds, 1), "generation_before": generation,
            "switched_at": switched}


def cites_new(url: str) -> bool:
    """Whether the server now answers from the added document."""
    answer = gradio_call(url, "ask", ["Which audit office checks every framework agreement twice a year?", 5,
                                      None, None, None, None, "hybrid"])
    return any("Iceland" in p.get("text", "") for p in answer.get("passages", []))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def question_row(prefix: Path) -> dict:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["Name"] == "question")
    return {"questions": int(row["Request Count"]), "failures": int(row["Failure Count"]),
            "per_second": round(float(row["Requests/s"]), 2), "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]), "p99_ms": float(row["99%"]), "max_ms": float(row["Max Response Time"])}


def one_run(data_dir: Path, out: Path, users: int, questions: int, workers: int, live_update: bool) -> dict:
    proc, url = start_server(data_dir, free_port(), workers, out / f"serve-{workers}.log")
    try:
        before = status(url)
        prefix, marker = out / f"locust-{workers}", out / f"updated-{workers}"
        env = {**os.environ, "KB_LOAD_QUESTIONS": str(questions), **({"KB_LOAD_UNTIL": str(marker)} if live_update else {})}
        started = time.time()
        locust = subprocess.Popen([sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
                                   "-u", str(users), "-r", str(users), "--host", url.rstrip("/"), "--run-time", "30m",
                                   "--stop-timeout", "60", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=open(out / f"locust-{workers}.log", "w"))
        update = live_update_under_load(data_dir, url, out, before["generation"], marker) if live_update else {}
        locust.wait(timeout=3600)
        ended = time.time()
        after = status(url)
        if live_update:
            switched = update.pop("switched_at")
            update.update({"generation_after": after["generation"], "reloads": after["reloads"],
                           "switched_during_load": started < switched < ended, "new_document_cited": cites_new(url)})
            subprocess.run(kb_command("remove", str(out / "live-update.md")), capture_output=True, timeout=1800,
                           env={**os.environ, "KB_DATA_DIR": str(data_dir)})
        return {"workers": workers, **question_row(prefix), "live_update": update}
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.load", description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=20, help="concurrent users (default 20)")
    ap.add_argument("--questions", type=int, default=50, help="questions each user asks (default 50)")
    ap.add_argument("--workers", default="4", help="comma-separated KB_WORKERS values to run side by side (default 4)")
    ap.add_argument("--live-update", action="store_true", help="add a document with `kb index` half-way")
    ap.add_argument("--data-dir", type=Path, help="an existing data directory (default: a fresh index in a temp folder)")
    ap.add_argument("--out", type=Path, help="write OUT/load.json and OUT/load.md")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        subprocess.run(kb_command("index"), env={**os.environ, "KB_DATA_DIR": str(data_dir)}, check=True,
                       capture_output=True)
        work = Path(tmp) / "work"
        work.mkdir()
        runs = [one_run(data_dir, work, args.users, args.questions, int(w), args.live_update)
                for w in args.workers.split(",")]
    result = {"users": args.users, "questions_per_user": args.questions, "runs": runs}
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "load.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        rows = ["| workers | questions | failures | questions/s | p50 ms | p95 ms | p99 ms | live update |",
                "|---|---|---|---|---|---|---|---|"]
        for r in runs:
            u = r["live_update"]
            live = (f"`kb index` exit {u['index_exit_code']} in {u['index_seconds']} s during the load: "
                    f"{'yes' if u['switched_during_load'] else 'NO'}; generation "
                    f"{'changed' if u['generation_before'] != u['generation_after'] else 'UNCHANGED'}, reloads "
                    f"{u['reloads']}, new document cited: {'yes' if u['new_document_cited'] else 'NO'}") if u else "—"
            rows.append(f"| {r['workers']} | {r['questions']} | {r['failures']} | {r['per_second']} | {r['p50_ms']:.0f} | "
                        f"{r['p95_ms']:.0f} | {r['p99_ms']:.0f} | {live} |")
        (args.out / "load.md").write_text(f"{args.users} users × {args.questions} questions against `kb serve` "
                                          "(127.0.0.1, this machine)\n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
