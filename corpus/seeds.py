"""Turn the plain-text seed captures (``../shared/seeds``) into the bundled corpus files.

Each seed becomes one Markdown file with a front-matter block of citation metadata. The text is
kept as captured; only web boilerplate (sign-up form messages, "Also available in" links) and
leading/trailing blank lines are dropped. Run ``python -m corpus.seeds [SEEDS_DIR]`` to rebuild.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ACK_2018 = (
    "Source: OECD (2018), Second Public Procurement Review of the Mexican Institute of Social Security "
    "(IMSS): Reshaping Strategies for Better Healthcare, OECD Public Governance Reviews, OECD Publishing, "
    "Paris. Reproduced for own use with acknowledgement of the OECD as source."
)
ACK_2013 = (
    "Source: OECD (2013), Public Procurement Review of the Mexican Institute of Social Security: "
    "Enhancing Efficiency and Integrity for Better Health Care, OECD Public Governance Reviews, OECD "
    "Publishing, Paris, https://doi.org/10.1787/9789264197480-en. Reproduced for own use with "
    "acknowledgement of the OECD as source."
)
PUB_2018 = (
    "Second Public Procurement Review of the Mexican Institute of Social Security (IMSS): "
    "Reshaping Strategies for Better Healthcare"
)
PUB_2013 = (
    "Public Procurement Review of the Mexican Institute of Social Security: "
    "Enhancing Efficiency and Integrity for Better Health Care"
)

SEEDS: dict[str, dict] = {
    "000_eb79e3cdd08eed76.txt": {
        "file": "imss-2018-project-page.md",
        "title": "Second Public Procurement Review of the Mexican Institute of Social Security (IMSS) — project page",
        "short_title": "OECD project page: Second Public Procurement Review of IMSS (2016-2018)",
        "publication": PUB_2018,
        "year": 2018,
        "kind": "project page",
        "acknowledgement": ACK_2018,
    },
    "001_6145a5a42e9d5603.txt": {
        "file": "imss-2018-book-page.md",
        "title": "Second Public Procurement Review of the Mexican Institute of Social Security (IMSS): "
        "Reshaping Strategies for Better Healthcare — book page",
        "short_title": "OECD (2018) Second Public Procurement Review of IMSS: book page",
        "publication": PUB_2018,
        "year": 2018,
        "kind": "book page",
        "acknowledgement": ACK_2018,
    },
    "003_42aa78ad1f0176e4.txt": {
        "file": "imss-2018-chapter-09-innovation.md",
        "title": "Unlocking the potential for innovation in the Mexican health system through public procurement",
        "short_title": "OECD (2018) Second Public Procurement Review of IMSS",
        "publication": PUB_2018,
        "year": 2018,
        "kind": "chapter",
        "chapter": "9",
        "chapter_title": "Unlocking the potential for innovation in the Mexican health system through public procurement",
        "acknowledgement": ACK_2018,
    },
    "004_e7b99d28c9a266d8.txt": {
        "file": "imss-2013-chapter-05-capability.md",
        "title": "Enhancing procurement capability in IMSS",
        "short_title": "OECD (2013) Public Procurement Review of IMSS",
        "publication": PUB_2013,
        "year": 2013,
        "kind": "chapter",
        "chapter": "5",
        "chapter_title": "Enhancing procurement capability in IMSS",
        "doi": "10.1787/9789264197480-8-en",
        "source_url": "https://doi.org/10.1787/9789264197480-8-en",
        "acknowledgement": ACK_2013,
    },
}

BOILERPLATE = {
    "This is a required field",
    "Please enter a valid email address",
    "Approval was a Success",
    "Invalid data",
    "An Error Occurred",
    "Approval was partially successful, following selected items could not be processed due to error",
    "English Also available in: Spanish",
}


def clean_seed(text: str) -> str:
    """Drop web boilerplate lines and surrounding blank lines; keep every content line as is."""
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip() not in BOILERPLATE]
    body = "\n".join(lines).strip("\n")
    while "\n\n\n\n" in body:  # the boilerplate leaves holes; keep at most two blank lines
        body = body.replace("\n\n\n\n", "\n\n\n")
    return body + "\n"


def render(meta: dict, body: str) -> str:
    """A Markdown file with YAML front matter (the citation metadata) followed by the text."""
    fields = {k: v for k, v in meta.items() if k != "file"}
    fields.setdefault("language", "en")
    head = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{head}---\n\n{body}"


def build(seeds_dir: Path, out_dir: Path) -> list[Path]:
    """Write one corpus file per known seed; returns the written paths."""
    written = []
    for name, meta in SEEDS.items():
        text = (seeds_dir / name).read_text(encoding="utf-8")
        out = out_dir / meta["file"]
        out.write_text(render(meta, clean_seed(text)), encoding="utf-8")
        written.append(out)
    return written


if __name__ == "__main__":
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "seeds"
    for path in build(seeds, Path(__file__).resolve().parent):
        print(path)
