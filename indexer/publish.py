"""A build's vectors published to Milvus or Qdrant, before the generation goes live.

``write_generation`` calls a ``Publisher`` with the new generation's name once its files are
written and before CURRENT switches: every vector space goes into a new collection, as llama-index
``TextNode``s holding the vector and the metadata a ``Where`` filters on (lower-cased, as it
compares them; sentence nodes also their position). A publish that fails or is interrupted drops
what it created and the previous generation, with its collections, keeps serving. Once the new
generation is live, ``retire`` drops the collections of older ones.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from indexer.engines import EngineError, collection_name, collection_prefix, engine_of, first_line, node_id
from indexer.ids import MAX_SENTENCES, SENTENCE_BITS, SENTENCE_SPACES, passage_label

if TYPE_CHECKING:
    from indexer.passage import Passage
    from indexer.store import Space
    from kb.settings import Settings

BATCH = 512
"""Nodes built and sent per call (the integrations batch further)."""


def metadata(p: Passage) -> dict:
    """What an engine filters a passage's vectors on (``indexer.where.FIELDS``), lower-cased."""
    return {"passage_id": p.id, "doc_id": p.doc_id.lower(), "chapter": str(p.chapter or "").lower(),
            "box_id": str(p.box_id or "").lower(), "countries": [str(c).lower() for c in p.countries],
            "kind": str(p.kind or "").lower()}


def nodes(space: Space, sentence_space: bool, by_label: dict[int, Passage], start: int, stop: int) -> list:
    """llama-index nodes of rows ``start:stop`` of ``space`` (no text: passages are served from
    the generation's files). The document is the node's source, which llama-index also stores as
    ``doc_id``."""
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    out = []
    for label, vector in zip(space.labels[start:stop].tolist(), space.vectors[start:stop]):
        p = by_label[label >> SENTENCE_BITS if sentence_space else label]
        meta = metadata(p)
        if sentence_space:
            meta["position"] = label & MAX_SENTENCES
        out.append(TextNode(id_=node_id(label), text="", embedding=vector.tolist(), metadata=meta,
                            relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=meta["doc_id"])}))
    return out


class Publisher:
    """Publishes one build's spaces; connecting when made, so a wrong URI fails before encoding."""

    def __init__(self, settings: Settings, progress: bool = False):
        self.engine = engine_of(settings)
        self.prefix = collection_prefix(settings)
        self.progress = progress
        self.passages: list[Passage] = []
        self.spaces: dict[str, Space] = {}

    def add(self, passages: list[Passage], spaces: dict[str, Space]) -> Publisher:
        self.passages, self.spaces = passages, spaces
        return self

    def __call__(self, generation: str) -> dict:
        """Publish every space into collections of ``generation``; the manifest's ``engine`` entry."""
        by_label = {passage_label(p.id): p for p in self.passages}
        created, collections = [], {}
        if self.progress:
            print(f"Publishing vectors to {self.engine.name} at {self.engine.uri}…", file=sys.stderr, flush=True)
        try:
            for space_name, space in self.spaces.items():
                name = collection_name(self.prefix, generation, space_name)
                count, dim = len(space.labels), int(space.vectors.shape[1])
                created.append(name)
                store = self.engine.vector_store(name, dim=dim, vectors=count)
                for start in range(0, count, BATCH):
                    store.add(nodes(space, space_name in SENTENCE_SPACES, by_label, start, start + BATCH))
                if self.engine.name == "milvus":
                    store.client.flush(name)  # sealed before the switch: every client sees it
                collections[space_name] = {"name": name, "vectors": count, "dim": dim}
        except Exception as exc:
            self._drop(created)
            raise EngineError(f"publishing to the {self.engine.name} engine at {self.engine.uri} failed: "
                                    f"{first_line(exc)}; the previous index still serves. Check the engine "
                                    "(KB_STORE_URI) and run `kb index` again") from exc
        except BaseException:  # Ctrl-C: the previous generation and its collections stay live
            self._drop(created)
            raise
        return {"engine": {"uri": self.engine.uri, "prefix": self.prefix, "collections": collections}}

    def retire(self, live_generation: str) -> None:
        """Drop the collections of every other generation under this prefix (older builds, and
        publishes that were cut short)."""
        live = collection_name(self.prefix, live_generation, "")
        self._drop([c for c in self.engine.collections()
                    if c.startswith(f"{self.prefix}_gen_") and not c.startswith(live)])

    def _drop(self, names: list[str]) -> None:
        for name in names:
            try:
                if name in self.engine.collections():
                    self.engine.drop(name)
            except Exception:  # noqa: BLE001 - a leftover is dropped by the next build's retire
                continue
