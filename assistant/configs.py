"""The one registry of retrieval configurations: which channels run, on which form of the question,
and how their candidates are fused. The CLI's choices, the eval harness and the reports read it."""

from __future__ import annotations

from dataclasses import dataclass

from kb.settings import DEFAULT_CONFIG


@dataclass(frozen=True)
class Use:
    """One channel in a configuration: which form of the question it reads (``Query`` field), and
    whether it runs only for questions in one language, and whether it brings candidates of its own
    or re-scores those the others found (the best-sentence channel: measured the same on dev and
    check, without a top-k over every sentence)."""

    channel: str  # "bm25", "dense", "sentence", "ml", "ml_sentence", "recommendation"
    reads: str = "english"  # "text" (as typed), "english" (glossary English), "expanded" (+ thesaurus)
    only_lang: str = ""
    rescores: bool = False  # scores the other channels' candidates instead of adding its own top-k
    own_lang: str = ""  # with ``rescores``: questions in this language still get its own top-k

    def runs_for(self, lang: str) -> bool:
        """Whether the channel runs at all for a question in ``lang``."""
        return not self.only_lang or self.only_lang == lang

    def rescores_for(self, lang: str) -> bool:
        """Whether, for a question in ``lang``, the channel re-scores the others' candidates."""
        return self.rescores and lang != self.own_lang


@dataclass(frozen=True)
class RetrievalConfig:
    name: str
    uses: tuple[Use, ...]
    fusion: str = "settings"  # "settings" (KB_FUSION), "rrf", or "none" (one channel)
    rerank: bool = False
    description: str = ""

    @property
    def reads(self) -> dict[str, str]:
        """The form of the question each channel reads."""
        return {u.channel: u.reads for u in self.uses}


_HYBRID = (Use("bm25", "expanded"), Use("dense"), Use("sentence", rescores=True),
           Use("ml", "text", rescores=True, own_lang="es"),
           Use("ml_sentence", "text", only_lang="es", rescores=True), Use("recommendation"))
"""The cross-lingual channel brings candidates of its own for Spanish questions only (their glossary
English misses what it finds); for English ones BM25 and MiniLM find the candidates and it re-scores
them, one graph search fewer (dev and check_es measured the same, check one rank better)."""
CONFIGS: dict[str, RetrievalConfig] = {c.name: c for c in (
    RetrievalConfig("bm25", (Use("bm25", "expanded"),), "none", description="BM25 with the thesaurus only."),
    RetrievalConfig("dense", (Use("dense"),), "none", description="MiniLM passage vectors only."),
    RetrievalConfig("hybrid", _HYBRID, description="The default: BM25 with the thesaurus, MiniLM on passages and "
                    "on their best sentence, the cross-lingual encoder (its own candidates for Spanish questions, "
                    "re-scoring the others' for English ones), the proposal lift; fused as KB_FUSION says."),
    RetrievalConfig("hybrid-lite", tuple(Use(u.channel, u.reads, "es" if u.channel.startswith("ml") else u.only_lang,
                                             u.rescores, u.own_lang)
                                         for u in _HYBRID),
                    description="hybrid with the cross-lingual encoder for Spanish questions only (faster)."),
    RetrievalConfig("hybrid-rrf", (Use("bm25"), Use("dense"), Use("ml", "text")), "rrf",
                    description="The first release's default: BM25 without thesaurus, MiniLM, cross-lingual; RRF."),
    RetrievalConfig("hybrid-plain", (Use("bm25", "text"), Use("dense", "text")), "rrf",
                    description="BM25 + MiniLM on the question as typed, RRF (the naive baseline)."),
    RetrievalConfig("hybrid-rerank", _HYBRID, rerank=True,
                    description="hybrid, then the configured cross-encoder (KB_RERANKER_MODEL) reorders the best."),
)}
DEFAULT = DEFAULT_CONFIG


def get_config(name: str) -> RetrievalConfig:
    if name not in CONFIGS:
        raise ValueError(f"unknown retrieval configuration {name!r}; choose from {', '.join(CONFIGS)}")
    return CONFIGS[name]


def encoders_used(config: RetrievalConfig, lang: str) -> set[str]:
    """The vector channels ``config`` runs for a question in ``lang`` (what a search must encode)."""
    return {u.channel for u in config.uses if u.runs_for(lang)}


def rescoring_channels(config: RetrievalConfig, lang: str) -> set[str]:
    """The channels that, for a question in ``lang``, re-score the others' candidates (no top-k of their own)."""
    return {u.channel for u in config.uses if u.runs_for(lang) and u.rescores_for(lang)}
