"""Write the hostile-document folder: files a library's users will, sooner or later, drop in.

``python tests/data/hostile/make_hostile.py OUT [--small]`` writes every kind into ``OUT`` (a fresh
folder) plus ``OUT/../hostile-outside.md`` (the target of a symbolic link that leaves the folder).
Nothing here is committed as data: the large files (a 60 MB text file, a 5 MB single line) are made
on the spot, deterministically. ``--small`` shrinks those two (the quick run in ``make test``,
``tests/indexer/test_hostile.py``, under small limits). ``--bench OUT`` indexes the full folder under
the default limits and writes ``OUT/hostile.json`` (outcomes, time, peak RSS).

``EXPECTED`` says, per file name, whether a build must index it ("indexed") or name it with a
plain reason ("failed") or pass over it saying why ("skipped").
"""

from __future__ import annotations

import io
import os
import random
import sys
import zipfile
from pathlib import Path

GOOD = ("# Chapter 1. Hostile test review\n\n## Training buyers\n\nThe {name} review says procurement "
        "officials in Chile receive certification after a training course on framework agreements.\n")

EXPECTED: dict[str, str] = {}


def _w(folder: Path, name: str, data: bytes | str, outcome: str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    EXPECTED[name] = outcome
    return path


def _pdf(text_pages: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in text_pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make(out: Path, small: bool = False) -> dict[str, str]:
    """Write the folder; return ``EXPECTED`` (file name -> outcome)."""
    EXPECTED.clear()
    out.mkdir(parents=True)
    rng = random.Random(11)
    good = GOOD.format(name="plain")
    # -- text that is not what it says, or is empty ------------------------------------------------
    _w(out, "empty.md", b"", "failed")
    _w(out, "whitespace-only.txt", " \n\t\n   \r\n" * 50, "failed")
    _w(out, "random-binary.txt", rng.randbytes(200_000), "failed")
    _w(out, "random-binary.md", rng.randbytes(50_000), "failed")
    _w(out, "random-binary.pdf", rng.randbytes(50_000), "failed")
    _w(out, "random-binary.docx", rng.randbytes(50_000), "failed")
    _w(out, "nul-bytes.md", good.replace(" ", " \x00", 5).encode("utf-8"), "indexed")
    _w(out, "only-nul-bytes.txt", b"\x00" * 10_000, "failed")
    # -- encodings ------------------------------------------------------------------------------------
    latin = "# Revisión\n\nLa revisión señala que los funcionarios de compras de México reciben formación.\n"
    _w(out, "latin-1.md", latin.encode("latin-1"), "indexed")
    _w(out, "utf-16-bom.md", GOOD.format(name="utf sixteen").encode("utf-16"), "indexed")
    _w(out, "utf-8-bom.md", b"\xef\xbb\xbf" + GOOD.format(name="bom").encode("utf-8"), "indexed")
    _w(out, "invalid-utf-8.md", GOOD.format(name="café invalid").encode("utf-8") + b"\xff\xfe\xc3(" + b" tail text.\n",
       "indexed")
    # -- PDFs -----------------------------------------------------------------------------------------
    real_pdf = _pdf(["Procurement officials in Norway are trained by the central purchasing body. " * 3,
                     "The second page of the PDF review talks about framework agreements in Korea."])
    _w(out, "good.pdf", real_pdf, "indexed")
    _w(out, "truncated.pdf", real_pdf[: len(real_pdf) // 3], "failed")
    _w(out, "text-pretending.pdf", "%PDF-1.7\nThis is only text pretending to be a PDF.\n", "failed")
    _w(out, "encrypted.pdf", _encrypted_pdf(real_pdf), "failed")
    _w(out, "image-only.pdf", _image_only_pdf(), "failed")
    _w(out, "zero-pages.pdf", _zero_page_pdf(), "failed")
    # -- DOCX -----------------------------------------------------------------------------------------
    _w(out, "good.docx", _docx(["Heading: tender evaluation", "Evaluation committees in Finland score bids on "
                                "quality and price, says this Word review."]), "indexed")
    _w(out, "broken.docx", _docx(["whatever"])[:3000], "failed")
    _w(out, "zip-bomb.docx", _zip_bomb(), "failed")
    # -- size ------------------------------------------------------------------------------------------
    big_mb = 2 if small else 60
    _w(out, "huge.txt", _words(rng, big_mb * 1024 * 1024, lines=True), "failed")
    _w(out, "single-line.txt", _words(rng, 600_000 if small else 5 * 1024 * 1024, lines=False), "failed")
    # -- markup ---------------------------------------------------------------------------------------
    depth = 20_000
    _w(out, "deep-nesting.html", "<html><body>" + "<div>" * depth + "<p>Deeply nested procurement text about "
       "Canada's audits.</p>" + "</div>" * depth + "</body></html>", "indexed")
    _w(out, "script.html", "<html><head><title>Script page</title><script>alert('x')</script></head><body>"
       "<p>Tender boards in Portugal publish awards.<img src=x onerror=alert(1)></p>"
       "<a href=\"javascript:alert(2)\">link</a><iframe src=\"https://example.org\"></iframe></body></html>",
       "indexed")
    _w(out, "script.md", "# Markdown with markup\n\nThe <script>alert('md')</script> review of Colombia's "
       "procurement says <img src=x onerror=alert(1)> officials [click](javascript:alert(3)) rotate.\n\n"
       "<iframe src=\"https://example.org\"></iframe>\n", "indexed")
    # -- names, links, special files -----------------------------------------------------------------
    _w(out, "name with spaces.md", GOOD.format(name="spaced"), "indexed")
    _w(out, "ünïcödé-名前.md", GOOD.format(name="unicode"), "indexed")
    _w(out, "new\nline.md", GOOD.format(name="newline"), "indexed")
    _w(out, "duplicate-a.md", GOOD.format(name="duplicate"), "indexed")
    _w(out, "duplicate-b.md", GOOD.format(name="duplicate"), "skipped")
    outside = out.parent / "hostile-outside.md"
    outside.write_text(GOOD.format(name="outside"), encoding="utf-8")
    os.symlink(outside, out / "link-outside.md")
    EXPECTED["link-outside.md"] = "skipped"
    os.symlink(out / "loop-b.md", out / "loop-a.md")
    os.symlink(out / "loop-a.md", out / "loop-b.md")
    EXPECTED["loop-a.md"] = EXPECTED["loop-b.md"] = "skipped"
    (out / "folder.md").mkdir()
    _w(out / "folder.md", "inside.md", GOOD.format(name="inside a folder named .md"), "indexed")
    EXPECTED["folder.md/inside.md"] = EXPECTED.pop("inside.md")
    os.mkfifo(out / "fifo.md")
    EXPECTED["fifo.md"] = "skipped"
    return dict(EXPECTED)


def _words(rng: random.Random, size: int, lines: bool) -> str:
    vocab = ["procurement", "tender", "officials", "framework", "agreement", "audit", "supplier", "price",
             "contract", "training", "review", "hospital", "medicine", "quality", "budget", "award"]
    parts, total = [], 0
    while total < size:
        sentence = " ".join(rng.choice(vocab) for _ in range(12)).capitalize() + ". "
        parts.append(sentence + ("\n\n" if lines and rng.random() < 0.2 else ""))
        total += len(parts[-1])
    return "".join(parts)


def _encrypted_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _image_only_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(40, 40, 40)
    pdf.rect(20, 20, 100, 60, style="F")  # a drawing, no text: what a scan looks like to a text reader
    return bytes(pdf.output())


def _zero_page_pdf() -> bytes:
    from pypdf import PdfWriter

    buf = io.BytesIO()
    PdfWriter().write(buf)
    return buf.getvalue()


def _zip_bomb() -> bytes:
    """A .docx whose document part inflates to 1 GB (a few MB on disk)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(1024):
                fh.write(chunk)
    return buf.getvalue()


def bench(out: Path) -> dict:
    """Index the full folder with the default limits in a fresh data directory (a real `kb index`
    process, without the bundled corpus); the outcome per kind, wall time and the child's peak RSS."""
    import json
    import resource
    import subprocess
    import tempfile
    import time

    with tempfile.TemporaryDirectory() as tmp:
        docs, empty = Path(tmp) / "lib" / "docs", Path(tmp) / "no-corpus"
        expected = make(docs)
        empty.mkdir()
        env = {**os.environ, "KB_DATA_DIR": str(Path(tmp) / "data"), "KB_CORPUS_DIR": str(empty)}
        t0 = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "kb.cli", "index", str(docs), "--json"], env=env,
                             capture_output=True, text=True, timeout=3600)
        seconds = time.perf_counter() - t0
        report = json.loads(run.stdout)
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    got = {name: by_name.get(Path(name).name, {}).get("outcome") for name in expected}
    result = {
        "kinds": len(expected),
        "outcomes": {o: sum(1 for v in got.values() if v == o) for o in ("indexed", "failed", "skipped")},
        "as_expected": sum(got[n] == expected[n] for n in expected),
        "exit_code": run.returncode,
        "traceback": "Traceback" in run.stderr,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "stage_seconds": report["stage_seconds"],
        "files": {name: {"outcome": got[name],
                         "reason": by_name.get(Path(name).name, {}).get("reason", "").replace(f"{docs.resolve()}/", "")}
                  for name in expected},
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "hostile.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    if sys.argv[1] == "--bench":
        summary = bench(Path(sys.argv[2]))
        print({k: v for k, v in summary.items() if k != "files"})
    else:
        folder = Path(sys.argv[1])
        print("\n".join(f"{o:8s} {n!r}" for n, o in make(folder, small="--small" in sys.argv).items()))
