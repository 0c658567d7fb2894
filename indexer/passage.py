"""The passage record: what is stored, searched, shown and cited. No heavy imports (read on no-op paths)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Passage:
    """A citable unit: the source text shown to users plus everything needed to cite and filter it."""

    id: str
    text: str
    kind: str
    doc_id: str
    title: str
    breadcrumb: str
    chapter: str = ""
    chapter_title: str = ""
    section: str = ""
    box_id: str = ""
    box_title: str = ""
    countries: list[str] = field(default_factory=list)
    country: str = ""
    page: int | None = None
    page_end: int | None = None
    publication: str = ""
    year: int | str | None = None
    doc_kind: str = ""
    source_path: str = ""
    source_url: str = ""
    doi: str = ""
    language: str = "en"
    order: int = 0
    sentences: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Every field, lists copied (what ``dataclasses.asdict`` gives, at a third of its cost: a
        re-index writes every passage)."""
        d = {name: getattr(self, name) for name in self.__dataclass_fields__}
        d["countries"], d["sentences"] = list(self.countries), list(self.sentences)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Passage":
        d = dict(d)
        d["sentences"] = [tuple(s) for s in d.get("sentences", [])]
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})
