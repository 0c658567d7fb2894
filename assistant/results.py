"""The result types every layer hands on: ranked passages, searches, answers, citations, abstentions.

Data only (with their JSON forms); the CLI's ``--json``, the UI's endpoints and the eval harness all
read these. Why the assistant declined is an ``AbstainReason`` with the terms it concerns, never
text to be parsed back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum

from indexer.passage import Passage


class AbstainReason(str, Enum):
    """Why an answer was declined."""

    NO_MATCH = "no_match"  # no passage passed the filters
    MISSING_FIGURE = "missing_figure"  # a figure of the question is in no passage found
    UNKNOWN_NAME = "unknown_name"  # an acronym or code of the question is nowhere in the knowledge base
    NO_FIGURE_STATED = "no_figure_stated"  # the question asks for a figure; the best passages state none
    NO_QUOTABLE = "no_quotable"  # the passages found hold no sentence worth quoting
    WEAK_EVIDENCE = "weak_evidence"  # the best similarity is below the calibrated threshold
    OFF_TOPIC_FIGURE = "off_topic_figure"  # figures quoted, but none in a sentence about what was asked
    NO_SHARE_STATED = "no_share_stated"  # the question asks for a percentage; the quotes state none
    NO_DATE_STATED = "no_date_stated"  # the question asks when; the quotes give no date or period

    @property
    def by_rule(self) -> bool:
        """Declined by a rule, not by the evidence threshold (calibration counts these apart)."""
        return self is not AbstainReason.WEAK_EVIDENCE


@dataclass(frozen=True)
class Abstention:
    """A decline: its reason, the terms it concerns ("PAHO", "2022") and a technical detail."""

    reason: AbstainReason
    terms: tuple[str, ...] = ()
    detail: str = ""

    def text(self) -> str:
        """One English line for logs and ``--json`` (readers get ``coverage.why_declined``)."""
        x = ", ".join(self.terms)
        return {AbstainReason.NO_MATCH: "no passage matched the question",
                AbstainReason.MISSING_FIGURE: f"the passages found do not mention {x}",
                AbstainReason.UNKNOWN_NAME: f"the knowledge base never mentions {x}",
                AbstainReason.NO_FIGURE_STATED: "the question asks for a figure and the best passages state none",
                AbstainReason.NO_QUOTABLE: "the passages found hold no quotable sentence",
                AbstainReason.OFF_TOPIC_FIGURE: "the figures found are not about what the question asks",
                AbstainReason.NO_SHARE_STATED: "the question asks for a percentage and the best passages state none",
                AbstainReason.NO_DATE_STATED: "the question asks when and the best passages give no date",
                AbstainReason.WEAK_EVIDENCE: f"weak evidence: {self.detail}"}[self.reason]


def citation(p: Passage) -> str:
    """Human citation: document › chapter › section › box, and the page when there is one."""
    where = p.breadcrumb
    if p.page is not None:
        where += f", p. {p.page}" if p.page_end in (None, p.page) else f", pp. {p.page}-{p.page_end}"
    return where


@dataclass
class PassageResult:
    """One retrieved passage: its fused score, and each channel's rank and raw score for it."""

    passage: Passage
    score: float
    ranks: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = self.passage.to_dict()
        d.pop("sentences", None)
        return {"id": self.passage.id, "text": self.passage.text, "score": round(self.score, 6),
                "citation": citation(self.passage), **{k: v for k, v in d.items() if k not in ("id", "text")},
                "ranks": self.ranks, "scores": {k: round(v, 6) for k, v in self.scores.items()}}


@dataclass
class SearchResult:
    question: str
    passages: list[PassageResult]
    config: str = "hybrid"
    timings_ms: dict[str, float] = field(default_factory=dict)
    lang: str = "en"

    def to_dict(self) -> dict:
        return {"question": self.question, "config": self.config, "lang": self.lang,
                "passages": [p.to_dict() for p in self.passages], "timings_ms": self.timings_ms}


@dataclass
class Citation:
    """One quoted sentence: source number, passage, the exact text and where it sits in the passage."""

    n: int
    passage_id: str
    quote: str
    citation: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    """What the assistant says, the sentences it quotes and the numbered sources behind them."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    passages: list[dict]
    lang: str
    timings_ms: dict[str, float]
    abstention: Abstention | None = None
    evidence: float | None = None  # diagnostic for calibration; not part of ``to_dict``
    mode: str = "extractive"  # or "llm" when a generated answer passed the citation check
    notice: str = ""  # e.g. why the language model was not used
    terms: list[tuple[str, str]] = field(default_factory=list)  # ("rotación de personal", "staff turnover") quoted

    @property
    def reason(self) -> str:
        return self.abstention.text() if self.abstention else ""

    def to_dict(self) -> dict:
        a = self.abstention
        return {"answer": self.answer, "abstained": self.abstained,
                "citations": [c.to_dict() for c in self.citations], "passages": self.passages,
                "lang": self.lang, "timings_ms": self.timings_ms, "question": self.question, "reason": self.reason,
                "reason_kind": a.reason.value if a else "", "reason_terms": list(a.terms) if a else [],
                "mode": self.mode, "notice": self.notice,
                "terms": [{"asked": asked, "found": found} for asked, found in self.terms]}
