"""Term files: the TSV format shared by the Spanish glossary and the English thesaurus.

One entry a line, ``phrase<TAB>term[; term...]``; ``#`` starts a comment. Each file brings its own
word key (Spanish or English stemming), so inflected forms of a phrase find the same entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

Terms = dict[tuple[str, ...], list[str]]
_WORD = re.compile(r"[\wÀ-ÿ]+(?:[-'][\wÀ-ÿ]+)*")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def parse_terms(text: str, key: Callable[[str], str]) -> Terms:
    """Entries keyed by the phrase as a tuple of word keys; repeated phrases merge their terms."""
    entries: Terms = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#") or "\t" not in line:
            continue
        phrase, terms = line.split("\t", 1)
        k = tuple(key(w) for w in words(phrase))
        targets = [t.strip() for t in terms.split(";") if t.strip()]
        if k and targets:
            _merge(entries, k, targets)
    return entries


def load_terms(paths: Iterable[str], key: Callable[[str], str]) -> Terms:
    """Several files merged in order (a trainer's file adds to the bundled one)."""
    merged: Terms = {}
    for path in paths:
        for k, targets in parse_terms(Path(path).read_text(encoding="utf-8"), key).items():
            _merge(merged, k, targets)
    return merged


def _merge(entries: Terms, key: tuple[str, ...], targets: Iterable[str]) -> None:
    """Add ``targets`` to the entry of ``key``, keeping order and dropping repeats."""
    known = entries.setdefault(key, [])
    known.extend(t for t in targets if t not in known)


def segment(keys: list[str], terms: Terms) -> list[tuple[int, list[str] | None]]:
    """Walk word keys left to right, taking the longest phrase the file knows at each point:
    ``(position, its terms)`` for a known phrase, ``(position, None)`` for an unknown word."""
    longest = max((len(k) for k in terms), default=1)
    out: list[tuple[int, list[str] | None]] = []
    i = 0
    while i < len(keys):
        for n in range(min(longest, len(keys) - i), 0, -1):
            if tuple(keys[i:i + n]) in terms:
                out.append((i, terms[tuple(keys[i:i + n])]))
                i += n
                break
        else:
            out.append((i, None))
            i += 1
    return out
