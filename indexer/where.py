"""Store-side filters: the metadata values a search is restricted to, as vector databases take them.

A user's filter ("UK", "box 5.2", title words) is resolved once per question into canonical values
(``assistant.filters``); a ``Where`` holds only those values and every channel hands it to its store,
which applies it inside the search (FAISS id selectors, bm25s weight masks, a database's metadata
filter). Empty fields mean no restriction. Values are compared in lower case.
"""

from __future__ import annotations

from dataclasses import dataclass

FIELDS = ("doc_id", "chapter", "box_id", "countries", "kind")
"""The stored metadata fields a ``Where`` can restrict (``countries`` is a list per passage)."""


@dataclass(frozen=True)
class Where:
    """Passages whose metadata match: every given field must hold one of its values."""

    doc_id: frozenset[str] = frozenset()
    chapter: frozenset[str] = frozenset()
    box_id: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    kind: frozenset[str] = frozenset()
    exclude_kind: frozenset[str] = frozenset()

    @classmethod
    def of(cls, **values) -> "Where":
        """A ``Where`` from iterables of values, lower-cased (``Where.of(kind=["box"])``)."""
        return cls(**{k: frozenset(str(v).lower() for v in vs) for k, vs in values.items() if vs})

    def restricting(self) -> dict[str, frozenset[str]]:
        """The fields that restrict, with their values."""
        return {f: getattr(self, f) for f in FIELDS if getattr(self, f)}

    def narrowed(self, **values) -> "Where":
        """This filter with more fields restricted (an empty intersection admits nothing)."""
        extra = Where.of(**values)
        merged = {f: (getattr(self, f) & getattr(extra, f)) if getattr(self, f) and getattr(extra, f)
                  else getattr(self, f) or getattr(extra, f) for f in FIELDS}
        empty = any(getattr(self, f) and getattr(extra, f) and not merged[f] for f in FIELDS)
        return Where(**merged, exclude_kind=self.exclude_kind | extra.exclude_kind) if not empty else NOTHING

    def matches(self, meta: dict) -> bool:
        """Whether one passage's metadata (``Passage.to_dict()``) passes (for tests and small stores)."""
        for f, values in self.restricting().items():
            got = meta.get(f)
            got = {str(g).lower() for g in got} if isinstance(got, (list, tuple)) else {str(got or "").lower()}
            if not got & values:
                return False
        return str(meta.get("kind", "")).lower() not in self.exclude_kind


NOTHING = Where(kind=frozenset({"\x00none"}))
"""A filter no passage passes."""
