"""The libraries `kb bench` indexes, as real files a normal build reads.

A synthetic library is ``n`` passages drawn as ``eval.scale.draws`` draws them (a seeded choice of
3-6 corpus sentences each), written as Markdown documents of 200 passages: front matter with the
title, ``## Chapter N.``, one numbered ``### section`` heading per paragraph (so each drawn passage
stays a passage), ``Box N.M. Country practice in <country>`` blocks closed by a ``Source:`` line,
``### Proposals for action`` and ``### References`` sections: what the structure parser recognises
in the bundled corpus. The corpus size is a copy of the bundled Markdown files.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterable
from pathlib import Path

from eval.scale import Draw, draws

PER_DOC = 200
ADDED_SECTION = "Added by kb bench"


def doc_markdown(doc: int, rows: list[tuple[Draw, str]]) -> str:
    """One synthetic document: ``rows`` are its draws with their text (pure)."""
    chapter = rows[0][0].chapter
    lines = ["---", f"title: Synthetic review {doc:04d}", f"chapter: '{chapter}'", "year: 2024", "---", "",
             f"Chapter {chapter}. Synthetic chapter {chapter}", ""]
    boxes = 0
    for draw, text in rows:
        if draw.kind == "box":
            boxes += 1
            country = draw.countries[0] if draw.countries else "Mexico"
            lines += [f"Box {chapter}.{boxes}. Country practice in {country}", "", text, "",
                      "Source: OECD (2024), synthetic library for kb bench.", ""]
            continue
        numbered = f"{chapter}.{draw.i % PER_DOC + 1} {draw.section}"  # numbered: neighbours never merge
        heading = {"recommendation": "Proposals for action", "references": "References"}.get(draw.kind, numbered)
        lines += [f"### {heading}", "", text, ""]
    return "\n".join(lines)


def write_library(pool_sentences: list[str], sections: list[str], n: int, folder: Path, seed: int = 7) -> list[Path]:
    """``n`` drawn passages as Markdown files in ``folder`` (replaced); returns the files."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    files: list[Path] = []
    rows: list[tuple[Draw, str]] = []

    def flush() -> None:
        if rows:
            path = folder / f"synthetic-{rows[0][0].doc:04d}.md"
            path.write_text(doc_markdown(rows[0][0].doc, rows), encoding="utf-8")
            files.append(path)
            rows.clear()

    for draw in draws(len(pool_sentences), sections, n, seed, PER_DOC):
        if rows and draw.doc != rows[0][0].doc:
            flush()
        rows.append((draw, " ".join(pool_sentences[j] for j in draw.picks)))
    flush()
    return files


def copy_corpus(corpus_dir: Path, folder: Path) -> list[Path]:
    """The bundled corpus's Markdown files copied into ``folder`` (so the one-file change touches a copy)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return [Path(shutil.copy2(f, folder / f.name)) for f in sorted(corpus_dir.glob("*.md"))]


def added_paragraph(pool_sentences: list[str], seed: int = 11) -> str:
    """The paragraph the one-file re-index appends: 4 corpus sentences, always the same ones."""
    rng = random.Random(seed)
    return " ".join(pool_sentences[rng.randrange(len(pool_sentences))] for _ in range(4))


def append_paragraph(path: Path, paragraph: str) -> None:
    """Change one document the way an editor would: a new section at its end."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"\n\n### {ADDED_SECTION}\n\n{paragraph}\n")


def library_files(folder: Path) -> Iterable[Path]:
    return sorted(folder.glob("*.md"))
