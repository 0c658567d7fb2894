"""The one Python API that the CLI, the UI and the eval harness all call.

``KnowledgeBase`` owns the settings, builds the index on request and answers searches. It loads
the index and the model lazily, once, so a long-lived server pays for them a single time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.retrieve import Filters, Hit, Retriever
from indexer.passage import Passage
from kb.settings import Settings


def citation(p: Passage) -> str:
    """Human citation: document › chapter › section › box, and the page when there is one."""
    where = p.breadcrumb
    if p.page is not None:
        where += f", p. {p.page}" if p.page_end in (None, p.page) else f", pp. {p.page}-{p.page_end}"
    return where


@dataclass
class PassageResult:
    passage: Passage
    score: float
    ranks: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)  # raw per-retriever scores (bm25, dense cosine)

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


def stored_sentence_vectors(index) -> dict:
    """The index's sentence vectors keyed by the text the answer layer embeds for each sentence."""
    from indexer.sentences import encoding_text

    sent = getattr(index, "sentences", None)
    if sent is None:
        return {}
    passages = index.passages
    return {encoding_text(passages[i].box_title, passages[i].text[start:end]): v
            for v, (i, start, end) in zip(sent.vectors, sent.rows)}


class KnowledgeBase:
    """Index management and search over one data directory."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self._index = None
        self._retriever: Retriever | None = None
        self._encoder = None
        self._llm = None
        self._vocabulary: frozenset[str] | None = None

    # -- indexing ---------------------------------------------------------------------------
    def build(self, add: list[Path] = (), remove: list[Path] = (), rebuild: bool = False, progress: bool = True):
        from indexer.build import build_index

        report = build_index(self.settings, add=list(add), remove=list(remove), rebuild=rebuild, progress=progress)
        if not report.noop:
            # pick up the new generation on next use
            self._index, self._retriever, self._encoder, self._vocabulary = None, None, None, None
        return report

    def manifest(self) -> dict | None:
        from indexer.store import read_manifest

        return read_manifest(self.settings.index_dir)

    # -- searching --------------------------------------------------------------------------
    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            from indexer.embed import load_model
            from indexer.store import load_index

            self._index = load_index(self.settings.index_dir)
            if self._index.manifest.get("identity") != self.settings.index_identity():
                raise RuntimeError("the index was built with other settings (model or chunking); run `kb index`")
            model = load_model(self.settings.resolved_model())
            ml_model = None
            if self.settings.multilingual_model and self._index.dense_ml is not None:
                from indexer.multilingual import load_multilingual

                ml_model = load_multilingual(self.settings.multilingual_model, self.settings.query_threads)
            from assistant.glossary import DEFAULT_GLOSSARY, load_glossary

            from assistant.thesaurus import DEFAULT_THESAURUS, load_thesaurus

            s = self.settings
            paths = (str(DEFAULT_GLOSSARY),) + ((s.glossary_extra,) if s.glossary_extra else ())
            thesaurus = (((str(DEFAULT_THESAURUS),) if s.thesaurus else ())
                         + ((s.thesaurus_extra,) if s.thesaurus_extra else ()))
            self._retriever = Retriever(self._index, model, s.bm25_language, s.rrf_k, s.candidates,
                                        s.query_threads, ml_model, load_glossary(paths), s.fusion_weights,
                                        self._load_reranker(), s.rerank_candidates,
                                        load_thesaurus(thesaurus) if thesaurus else {},
                                        s.fusion, s.recommendation_weight)
        return self._retriever

    def _load_reranker(self):
        if not self.settings.reranker_model:
            return None
        from assistant.rerank import load_reranker

        return load_reranker(self.settings.reranker_model)

    def default_filters(self, **kw) -> Filters:
        """Filters with the configured kinds (references, notes, ...) excluded unless asked for."""
        kw.setdefault("exclude_kinds", tuple(self.settings.exclude_kinds))
        return Filters(**{k: tuple(v) if isinstance(v, (list, tuple)) else ((v,) if v else ()) for k, v in kw.items()})

    def search(self, question: str, k: int | None = None, filters: Filters | None = None,
               config: str = "hybrid") -> SearchResult:
        question = (question or "").strip()
        if not question:
            raise ValueError("the question is empty; type a question about the reviews")
        r = self.retriever
        from assistant.language import detect_language

        t0 = time.perf_counter()
        lang = detect_language(question)
        hits: list[Hit] = r.search(question, k or self.settings.top_k, filters or self.default_filters(), config, lang)
        ms = (time.perf_counter() - t0) * 1000
        return SearchResult(question, [PassageResult(r.index.passages[h.index], h.score, h.ranks, h.scores) for h in hits],
                            config, {"retrieval": round(ms, 2)}, lang)

    def bare_encode(self, question: str, config: str = "hybrid") -> None:
        """Only the query encodings ``search`` would do (the eval harness's latency yardstick)."""
        from assistant.language import detect_language

        self.retriever.bare_encode(question, config, detect_language(question))

    def ask(self, question: str, k: int | None = None, filters: Filters | None = None, config: str = "hybrid",
            use_llm: bool = True):
        """Search, then quote the 1-4 sentences that answer, each with its [n] source — or decline."""
        from assistant.answer import cached_encoder, compose_answer, model_encoder

        result = self.search(question, k, filters, config)
        r = self.retriever
        if self._encoder is None:
            self._encoder = cached_encoder(model_encoder(r.model, self.settings.query_threads),
                                           known=stored_sentence_vectors(r.index))
        search_text = r.english_query(question, result.lang)
        answer = compose_answer(question, result.passages, self._encoder, r.encode_query(search_text),
                                lang=result.lang, search_text=search_text,
                                unknown_terms=self.unknown_terms(question), threshold=self.settings.abstain_threshold)
        answer.timings_ms = {**result.timings_ms, **answer.timings_ms}
        llm = self.llm()
        if llm is not None and use_llm:
            from assistant.generate import generate

            answer = generate(llm, answer)
        return answer

    def unknown_terms(self, question: str) -> list[str]:
        """Acronyms and codes in the question (PAHO, COVID-19) that no document mentions under any
        alias (a country's short name, the glossary's English for a Spanish acronym)."""
        from assistant.coverage import unknown_acronyms, vocabulary
        from assistant.glossary import key_of
        from indexer.countries import canonical_country

        r = self.retriever
        if self._vocabulary is None:
            self._vocabulary = vocabulary(t for p in r.index.passages for t in (p.text, p.breadcrumb, p.title))

        def aliases(term: str) -> list[str]:
            return [canonical_country(term), *r.glossary.get((key_of(term),), [])]

        return unknown_acronyms(question, self._vocabulary, aliases)

    def llm(self):
        """The configured OpenAI-compatible chat model, or None (extractive answers only)."""
        if not self.settings.llm_url:
            return None
        if self._llm is None:
            from assistant.generate import make_llm

            s = self.settings
            self._llm = make_llm(s.llm_url, s.llm_model, s.llm_api_key, s.llm_timeout, s.llm_max_tokens)
        return self._llm

    def warm_up(self) -> None:
        """Load the index, models and language identifier, and answer once, so users don't wait."""
        from assistant.language import warm_up

        warm_up()
        self.ask("procurement training")

    def passages(self) -> list[Passage]:
        return self.retriever.index.passages
