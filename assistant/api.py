"""The one Python API that the CLI, the UI and the eval harness all call.

``KnowledgeBase`` owns the settings, builds the index on request and answers searches. It opens the
store and loads the encoders lazily, once, so a long-lived server pays for them a single time. A
question is analysed once (``assistant.query``) and the same ``Query`` serves retrieval, answers and
abstention; filters are resolved once into the store-side ``Where``.
"""

from __future__ import annotations

import sys
import time
from functools import partial
from pathlib import Path

from assistant.configs import DEFAULT, get_config
from assistant.filters import Filters, resolve
from assistant.query import Query, analyse
from assistant.results import Answer, SearchResult
from indexer.passage import Passage
from kb.settings import Settings


class KnowledgeBase:
    """Index management and search over one data directory."""

    def __init__(self, settings: Settings | None = None):
        from assistant.live import LiveSlot

        self.settings = settings or Settings()
        self._slot = LiveSlot(self.settings)  # the generation in use, reloaded when a build switches it
        self._answer_encoder = None
        self._llm = None
        self._terms: tuple[dict, dict] | None = None

    # -- indexing ---------------------------------------------------------------------------
    def build(self, add: list[Path] = (), remove: list[Path] = (), rebuild: bool = False, progress: bool = True,
              verify: bool = False):
        """Bring the index in line with its sources (``indexer.build.build_index``); ``verify`` reads
        every file again instead of trusting those whose size and times are as when last hashed."""
        from indexer.build import build_index

        report = build_index(self.settings, add=list(add), remove=list(remove), rebuild=rebuild, progress=progress,
                             verify=verify)
        if not report.noop:  # pick up the new generation on next use
            self._slot.forget()
        return report

    def ensure_index(self, progress: bool = True):
        """Build the index when there is none yet or it was built with other settings (saying so on
        stderr when ``progress``); returns the build report, or None when the index was current."""
        manifest = self.manifest()
        if manifest is not None and manifest.get("identity") == self.settings.index_identity():
            return None
        if progress:
            why = "No index yet" if manifest is None else "The index was built with other settings"
            print(f"{why}: building it from the knowledge base first...", file=sys.stderr)
        return self.build(progress=progress)

    def rename(self, document: str, title: str) -> tuple[str, str]:
        """Show ``document`` (its id, file path or current title) as ``title`` everywhere; returns
        (old title, new title). Nothing is re-encoded (``indexer.titles``)."""
        from indexer.titles import clean_title, write_title

        title = clean_title(title)
        files = (self.manifest() or {}).get("files", {})
        wanted = str(Path(document).resolve()) if Path(document).exists() else None
        found = [e for path, e in files.items()
                 if document in (e.get("doc_id"), e.get("title")) or (wanted and path == wanted)]
        if len(found) != 1:
            known = ", ".join(sorted(e.get("doc_id", "") for e in files.values()))
            raise ValueError(f"{'no' if not found else 'more than one'} document matches {document!r}; "
                             f"give one of its ids ({known}) or its file")
        write_title(self.settings.index_dir, found[0]["doc_id"], title)
        self._slot.forget()
        return found[0].get("title", ""), title

    def manifest(self) -> dict | None:
        from indexer.store import read_manifest

        return read_manifest(self.settings.index_dir)

    # -- the store and the retriever ----------------------------------------------------------
    def live(self):
        """The generation in use (``assistant.live.Live``): one request takes it once and uses only it,
        so a build switching generations meanwhile never mixes two."""
        return self._slot.get()

    def use_store(self, store) -> None:
        """Answer from ``store`` (an opened ``indexer.vectorstore.Store``) instead of opening the live
        generation's; a later build or generation switch replaces it."""
        self._slot.use(store)

    @property
    def store(self):
        return self.live().store

    @property
    def retriever(self):
        return self.live().retriever

    def generation_status(self) -> dict:
        """Which generation answers, since when, and how often a new one was picked up without a restart."""
        live = self.live()
        loaded = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(live.loaded_at))
        return {"generation": live.generation, "loaded_at": loaded, "reloads": self._slot.reloads}

    def term_files(self) -> tuple[dict, dict]:
        """The glossary (Spanish→English) and thesaurus (everyday→review terms) the settings name."""
        if self._terms is None:
            from assistant.glossary import DEFAULT_GLOSSARY, load_glossary
            from assistant.thesaurus import DEFAULT_THESAURUS, load_thesaurus

            r = self.settings.retrieval
            glossary_paths = ((str(DEFAULT_GLOSSARY),) if r.glossary else ()) + ((r.glossary_extra,) if r.glossary_extra else ())
            glossary = load_glossary(glossary_paths) if glossary_paths else {}
            paths = ((str(DEFAULT_THESAURUS),) if r.thesaurus else ()) + ((r.thesaurus_extra,) if r.thesaurus_extra else ())
            self._terms = (glossary, load_thesaurus(paths) if paths else {})
        return self._terms

    def analyse(self, question: str) -> Query:
        """The question analysed once: language, English rendering, expansions, intents, figures, names."""
        glossary, thesaurus = self.term_files()
        return analyse(question, glossary, thesaurus, self.settings.retrieval.max_question_chars)

    def default_filters(self, **kw) -> Filters:
        """Filters with the configured kinds (references, notes, ...) excluded unless asked for."""
        kw.setdefault("exclude_kinds", tuple(self.settings.retrieval.exclude_kinds))
        return Filters(**{k: tuple(v) if isinstance(v, (list, tuple)) else ((v,) if v else ()) for k, v in kw.items()})

    # -- searching --------------------------------------------------------------------------
    def search(self, question: str | Query, k: int | None = None, filters: Filters | None = None,
               config: str = DEFAULT, live=None) -> SearchResult:
        live = live or self.live()  # the index and encoders load once, outside the question's timing
        retriever = live.retriever
        t0 = time.perf_counter()
        query = question if isinstance(question, Query) else self.analyse(question)
        cfg = get_config(config)
        where = resolve(filters or self.default_filters(), live.store.documents())
        hits = retriever.search(query, k or self.settings.retrieval.top_k, where, cfg)
        ms = (time.perf_counter() - t0) * 1000
        return SearchResult(query.text, hits, config, {"retrieval": round(ms, 2)}, query.lang)

    def as_retriever(self, k: int | None = None, filters: Filters | None = None, config: str = DEFAULT):
        """This knowledge base as a llama-index ``BaseRetriever`` (nodes carry text, metadata, citation)."""
        from assistant.llama import KnowledgeBaseRetriever

        return KnowledgeBaseRetriever(self, k, filters, config)

    def bare_encode(self, question: str, config: str = DEFAULT) -> None:
        """Only the query encodings ``search`` would do (the eval harness's latency yardstick)."""
        self.retriever.bare_encode(self.analyse(question), get_config(config))

    def clear_query_cache(self) -> None:
        self.retriever.clear_query_cache()

    def ask(self, question: str, k: int | None = None, filters: Filters | None = None, config: str = DEFAULT,
            use_llm: bool = True) -> Answer:
        """Search, then quote the 1-4 sentences that answer, each with its [n] source — or decline."""
        from assistant.answer import compose_answer

        query = self.analyse(question)
        live = self.live()
        result = self.search(query, k, filters, config, live)
        r = live.retriever
        if self._answer_encoder is None:
            from indexer.encoders import cached_encoder

            self._answer_encoder = cached_encoder(r.encoders["english"].passages)
        answer = compose_answer(query, result.passages, self._answer_encoder, r.english_vector(query),
                                unknown_terms=self.unknown_terms(query, live),
                                threshold=self.settings.answers.threshold_for(query.lang),
                                stored=live.store.sentence_vectors, key_terms=self.key_terms(query, live),
                                cross=self._cross_lingual(query, live))
        answer.timings_ms = {**result.timings_ms, **answer.timings_ms}
        llm = self.llm()
        if llm is not None and use_llm:
            from assistant.generate import generate

            answer = generate(llm, answer)
        return answer

    def _cross_lingual(self, query: Query, live):
        """For a question not in English: the stored cross-lingual sentence vectors and the question's
        cross-lingual vector, so answers also weigh how each sentence matches the question as typed."""
        if query.lang == "en" or not live.store.has_space("ml_sentence"):
            return None
        vector = live.retriever.cross_lingual_vector(query)
        return None if vector is None else (partial(live.store.sentence_vectors, space="ml_sentence"), vector)

    def key_terms(self, query: Query, live=None) -> frozenset[str]:
        """The question's terms that say what it asks: its content terms the knowledge base uses, but
        not in more than a fifth of the passages ("procurement", "IMSS" say only where it is)."""
        from assistant.terms import content_terms, frame_terms, term_counts
        from assistant.coverage import common_terms

        live = live or self.live()
        if "terms_known" not in live.caches:
            counts, texts = term_counts(p.text for p in live.store.passages())
            live.caches["terms_known"] = (frozenset(counts), common_terms(counts, texts))
        known, common = live.caches["terms_known"]
        return (content_terms(query.english) - frame_terms() - common) & known

    def unknown_terms(self, query: Query, live=None) -> list[str]:
        """Acronyms and codes in the question (PAHO, COVID-19) that no document mentions under any
        alias (a country's short name, the glossary's English for a Spanish acronym)."""
        from assistant.coverage import unknown_acronyms
        from assistant.glossary import key_of
        from indexer.countries import canonical_country

        if not query.acronyms:
            return []
        glossary = self.term_files()[0]

        def aliases(term: str) -> list[str]:
            return [canonical_country(term), *glossary.get((key_of(term),), [])]

        return unknown_acronyms(query.acronyms, self.vocabulary(live), aliases)

    def vocabulary(self, live=None) -> frozenset[str]:
        """Every word the live generation's passages, breadcrumbs and titles use (worked out once per
        generation: seconds for a million passages, so a server does it as it starts)."""
        from assistant.coverage import vocabulary

        live = live or self.live()
        if "vocabulary" not in live.caches:
            live.caches["vocabulary"] = vocabulary(t for p in live.store.passages() for t in (p.text, p.breadcrumb, p.title))
        return live.caches["vocabulary"]

    def llm(self):
        """The configured OpenAI-compatible chat model, or None (extractive answers only)."""
        s = self.settings.llm
        if not s.llm_url:
            return None
        if self._llm is None:
            from assistant.generate import make_llm

            self._llm = make_llm(s.llm_url, s.llm_model, s.llm_api_key, s.llm_timeout, s.llm_max_tokens)
        return self._llm

    def warm_up(self) -> None:
        """Load the index, models and language identifier, and answer once, so users don't wait."""
        from assistant.language import warm_up

        warm_up()
        self.live().store.page_in()  # memory-mapped vectors read from disk now, not on users' first questions
        self.ask("procurement training")
        self.vocabulary()  # what a question naming an acronym needs (the first answer held its key terms)

    def passages(self) -> list[Passage]:
        return self.store.passages()
