"""Filter choices (documents, chapters, countries, kinds) read from the indexed passages.

The choices come from the index rather than a fixed list, so an uploaded document, its chapters
and the countries of its boxes can be filtered on as soon as it is indexed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from indexer.passage import Passage

Choices = list[tuple[str, str]]

KIND_LABELS = {
    "en": {"paragraph": "Text", "box": "Country example (box)", "recommendation": "Proposals for action",
           "table": "Table", "references": "References", "notes": "Notes", "citation": "How to cite"},
    "es": {"paragraph": "Texto", "box": "Ejemplo de país (recuadro)", "recommendation": "Propuestas de acción",
           "table": "Cuadro", "references": "Referencias", "notes": "Notas", "citation": "Cómo citar"},
}
"""What readers call each kind of passage (an unknown kind shows as it is stored)."""


def filter_choices(passages: Iterable[Passage], lang: str = "en") -> dict[str, Choices]:
    """(label, value) pairs per filter, labelled in ``lang``; values are what
    ``KnowledgeBase.default_filters`` accepts. Documents whose shortened titles coincide show their id."""
    passages = list(passages)
    docs: dict[str, str] = {}
    chapters: dict[str, str] = {}
    countries: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for p in passages:
        docs.setdefault(p.doc_id, p.title or p.doc_id)
        if p.chapter:
            chapters.setdefault(str(p.chapter), p.chapter_title or "")
        if p.box_id:
            countries.update(set(p.countries))
        kinds[p.kind] += 1

    def chapter_key(c: str) -> tuple[int, str]:
        return (int(c), c) if c.isdigit() else (10**6, c)

    shown = Counter(_short(title) for title in docs.values())
    kind_label = KIND_LABELS.get(lang, KIND_LABELS["en"])
    return {
        "doc": sorted(((_short(title) + (f" ({doc_id})" if shown[_short(title)] > 1 else ""), doc_id)
                       for doc_id, title in docs.items()), key=lambda x: x[0].lower()),
        "chapter": [(f"{c}. {_short(chapters[c])}" if chapters[c] else c, c)
                    for c in sorted(chapters, key=chapter_key)],
        "country": [(f"{c} ({n})", c) for c, n in sorted(countries.items())],
        "kind": [(f"{kind_label.get(k, k)} ({n})", k) for k, n in sorted(kinds.items(), key=lambda kv: kind_label.get(kv[0], kv[0]))],
    }


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
