"""The knowledge base as a llama-index retriever (``KnowledgeBase.as_retriever()``).

Any llama-index pipeline can use the product's retrieval — the hybrid channels, store-side filters,
fusion — as it uses any ``BaseRetriever``: each hit comes back as a ``NodeWithScore`` whose
``TextNode`` carries the passage text, its metadata (document, chapter, section, box, countries,
kind, page) and the citation a trainer or an LLM prompt needs. Nothing is re-embedded: the node's
text is excluded from llama-index's own embedding and LLM metadata where it would duplicate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from assistant.configs import DEFAULT
from assistant.results import PassageResult

if TYPE_CHECKING:
    from assistant.filters import Filters

METADATA = ("doc_id", "title", "chapter", "section", "breadcrumb", "box_id", "box_title", "countries", "kind",
            "page", "page_end", "source_path")


def to_node(hit: PassageResult) -> NodeWithScore:
    """One retrieved passage as a llama-index node with its fused score."""
    d = hit.to_dict()
    metadata = {key: d[key] for key in METADATA if d.get(key) not in (None, "", [])}
    metadata["citation"] = d["citation"]
    metadata["channel_ranks"] = hit.ranks
    node = TextNode(id_=hit.passage.id, text=hit.passage.text, metadata=metadata,
                    excluded_embed_metadata_keys=list(metadata), excluded_llm_metadata_keys=["channel_ranks", "source_path"])
    return NodeWithScore(node=node, score=hit.score)


class KnowledgeBaseRetriever(BaseRetriever):
    """A llama-index retriever over a ``KnowledgeBase`` (``assistant.api``, which builds this one: not
    imported here): ``retrieve("question")`` returns its passages."""

    def __init__(self, kb, k: int | None = None, filters: Filters | None = None,
                 config: str = DEFAULT):
        super().__init__()
        self.kb, self.k, self.filters, self.config = kb, k, filters, config

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        result = self.kb.search(query_bundle.query_str, self.k, self.filters, self.config)
        return [to_node(hit) for hit in result.passages]
