"""A user's filters (title words, aliases, "box 5.2", "UK") and their resolution into a store ``Where``.

Resolution happens once per question, over the store's document list and canonical names, never over
its passages; the store then applies the resulting metadata values inside each search.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.countries import canonical_country
from indexer.where import NOTHING, Where


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval. Empty fields mean no restriction; matching is case-insensitive."""

    doc: tuple[str, ...] = ()  # document id or words of its title or file path
    chapter: tuple[str, ...] = ()
    country: tuple[str, ...] = ()  # any alias: "UK", "Reino Unido", "British"
    box: tuple[str, ...] = ()  # "5.2" or "Box 5.2"
    kinds: tuple[str, ...] = ()  # only these kinds, when given
    exclude_kinds: tuple[str, ...] = ()


def matching_documents(words: tuple[str, ...], documents: list[dict]) -> set[str]:
    """Ids of the documents a user's document filter names (id, title words or path words)."""
    out = set()
    for d in documents:
        hay = (d["doc_id"].lower(), d["title"].lower(), str(d.get("source_path", "")).lower())
        if any(w.lower() == hay[0] or any(w.lower() in h for h in hay) for w in words):
            out.add(d["doc_id"])
    return out


def resolve(filters: Filters | None, documents: list[dict]) -> Where:
    """The store-side filter for ``filters`` (``documents``: the store's ``documents()``)."""
    if filters is None:
        return Where()
    doc_ids = matching_documents(filters.doc, documents) if filters.doc else set()
    if filters.doc and not doc_ids:
        return NOTHING
    kinds = {k.lower() for k in filters.kinds}
    return Where.of(doc_id=doc_ids, chapter=filters.chapter, countries=[canonical_country(c) for c in filters.country],
                    box_id=[b.lower().removeprefix("box").strip() for b in filters.box], kind=kinds,
                    exclude_kind={k.lower() for k in filters.exclude_kinds} - kinds)
