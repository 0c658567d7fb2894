"""Milvus and Qdrant through llama-index's vector-store integrations: connections, collection names,
filters pushed down to the engine, and what differs between the two.

``KB_STORE_URI`` names the engine: a server URL (``http://host:19530``, ``http://host:6333``) or a
path (a Milvus Lite file, a folder for qdrant-client's local mode); empty = that file or folder under
the index directory. Each build publishes its vector spaces into collections named from
``KB_STORE_COLLECTION``, the generation and the space (``kb_gen_20250101_120000_ab12cd_dense``),
created for inner-product similarity and searched exactly up to ``KB_ANN_MIN_VECTORS`` vectors, as
FAISS is. A node's id is the UUID of its integer label (``indexer.ids``), so hits come back as labels.
"""

from __future__ import annotations

import atexit
import re
import uuid
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.where import Where

if TYPE_CHECKING:
    from kb.settings import Settings

ENGINES = ("milvus", "qdrant")
MAX_TOP_K = 16_384
"""The most hits one engine search may ask for (Milvus's limit)."""


class EngineError(RuntimeError):
    """The engine ``KB_STORE_URI`` names could not be reached, opened or written (one line, what to do)."""


def node_id(label: int) -> str:
    """The engine id of a vector: the UUID whose integer is its label."""
    return str(uuid.UUID(int=int(label)))


def label_of(node: str) -> int:
    return uuid.UUID(node).int


def is_url(uri: str) -> bool:
    return re.match(r"^(https?|tcp|grpc)://", uri) is not None


def collection_prefix(settings: Settings) -> str:
    name = re.sub(r"[^0-9A-Za-z_]", "_", settings.index.store_collection or "kb")
    return name if name[0].isalpha() or name[0] == "_" else f"_{name}"


def collection_name(prefix: str, generation: str, space: str) -> str:
    """The collection of one space of one generation (letters, digits and underscores: Milvus's rule)."""
    return re.sub(r"[^0-9A-Za-z_]", "_", f"{prefix}_{generation}_{space}")


class Engine:
    """One engine, as the store and the build use it; ``engine_of`` picks the subclass."""

    name = ""
    countries_operator = None
    """The llama-index operator that means "the passage's country list holds any of these"."""

    def __init__(self, settings: Settings):
        self.uri = settings.index.store_uri or self.default_uri(settings.index_dir)
        self.token = settings.index.store_token
        self.ann_min_vectors = settings.index.ann_min_vectors
        self.client = connect(self.name, self.uri, self.token)

    @staticmethod
    def default_uri(index_dir: Path) -> str:
        raise NotImplementedError

    def collections(self) -> list[str]:
        raise NotImplementedError

    def drop(self, name: str) -> None:
        raise NotImplementedError

    def vector_store(self, name: str, dim: int | None = None, vectors: int = 0):
        """The llama-index vector store over collection ``name`` (created for ``dim`` when given)."""
        raise NotImplementedError

    def search_kwargs(self, vectors: int) -> dict:
        """Extra arguments of a search in a collection of ``vectors`` vectors."""
        return {}

    def filters(self, where: Where, passage_ids: list[str] = ()):
        """``where`` (and, for candidate scores, the passages asked for) as llama-index
        ``MetadataFilters``: every restricting field IN its values (the country list: holds any of
        them), kinds left out NIN; None when nothing restricts."""
        from llama_index.core.vector_stores.types import FilterCondition, FilterOperator, MetadataFilter, MetadataFilters

        found = [MetadataFilter(key=f, value=sorted(values),
                                operator=self.countries_operator if f == "countries" else FilterOperator.IN)
                 for f, values in where.restricting().items()]
        if where.exclude_kind:
            found.append(MetadataFilter(key="kind", value=sorted(where.exclude_kind), operator=FilterOperator.NIN))
        if passage_ids:
            found.append(MetadataFilter(key="passage_id", value=list(passage_ids), operator=FilterOperator.IN))
        return MetadataFilters(filters=found, condition=FilterCondition.AND) if found else None


class MilvusEngine(Engine):
    name = "milvus"

    @property
    def countries_operator(self):  # Milvus: `countries in [...]` compares the whole list
        from llama_index.core.vector_stores.types import FilterOperator

        return FilterOperator.ANY  # array_contains_any

    @staticmethod
    def default_uri(index_dir: Path) -> str:
        return str(index_dir / "milvus.db")  # Milvus Lite

    def collections(self) -> list[str]:
        return self.client.list_collections()

    def drop(self, name: str) -> None:
        self.client.drop_collection(name)

    def vector_store(self, name: str, dim: int | None = None, vectors: int = 0):
        from llama_index.vector_stores.milvus import MilvusVectorStore

        exact = vectors <= self.ann_min_vectors
        if dim is None:  # an existing collection, searched from a new process: it must be loaded
            self.client.load_collection(name)
        return MilvusVectorStore(uri=self.uri, token=self.token, collection_name=name, dim=dim,
                                 similarity_metric="IP", index_config={} if exact else {"index_type": "AUTOINDEX"},
                                 consistency_level="Strong" if is_url(self.uri) else "Session",  # Lite: one process
                                 output_fields=["passage_id"], use_async_client=False, **milvus_options(self.uri))


class QdrantEngine(Engine):
    name = "qdrant"

    @property
    def countries_operator(self):  # Qdrant: IN is a match-any, which on a list field holds any
        from llama_index.core.vector_stores.types import FilterOperator

        return FilterOperator.IN

    @staticmethod
    def default_uri(index_dir: Path) -> str:
        return str(index_dir / "qdrant")  # qdrant-client's local mode: one process per folder

    def collections(self) -> list[str]:
        return [c.name for c in self.client.get_collections().collections]

    def drop(self, name: str) -> None:
        self.client.delete_collection(name)

    def vector_store(self, name: str, dim: int | None = None, vectors: int = 0):
        from llama_index.vector_stores.qdrant import QdrantVectorStore
        from qdrant_client import models

        server = is_url(self.uri)  # payload indexes only mean something to a server
        indexes = [{"field_name": f, "field_schema": models.PayloadSchemaType.KEYWORD}
                   for f in ("passage_id", "chapter", "box_id", "countries", "kind")] if server else None
        return QdrantVectorStore(collection_name=name, client=self.client, index_doc_id=server, payload_indexes=indexes,
                                 dense_config=models.VectorParams(size=dim or 1, distance=models.Distance.DOT))

    def search_kwargs(self, vectors: int) -> dict:
        if not is_url(self.uri):
            return {}  # local mode always searches exactly
        return {"search_params": {"exact": vectors <= self.ann_min_vectors}}


def milvus_options(uri: str) -> dict:
    """Milvus Lite's in-process gRPC server answers a client's keep-alive pings on an idle
    connection (a build encoding for a minute, a quiet server) with "too many pings" and drops it:
    a local file's client pings only during calls."""
    return {} if is_url(uri) else {"grpc_options": {"grpc.keepalive_permit_without_calls": False}}


@lru_cache(maxsize=8)
def connect(engine: str, uri: str, token: str):
    """One client per engine, URI and token in a process (Qdrant's local mode allows no second one)."""
    try:
        if engine == "milvus":
            from pymilvus import MilvusClient

            if not is_url(uri):
                Path(uri).parent.mkdir(parents=True, exist_ok=True)
            client = MilvusClient(uri=uri, token=token, **milvus_options(uri))
            client.list_collections()
        else:
            from qdrant_client import QdrantClient

            client = (QdrantClient(url=uri, api_key=token or None, check_compatibility=False) if is_url(uri)
                      else QdrantClient(path=uri))
            client.get_collections()
    except ImportError as exc:
        raise EngineError(f"the {engine} store needs its client library ({exc.name}); install the `stores` "
                                "extra: pip install -e '.[stores]'") from None
    except Exception as exc:  # noqa: BLE001 - every client error means the same thing here
        raise EngineError(f"cannot reach the {engine} engine at {uri} (KB_STORE_URI): {first_line(exc)}; "
                                "start the engine or fix KB_STORE_URI") from None
    atexit.register(client.close)  # before interpreter teardown, which local-mode Qdrant cannot close in
    return client


def first_line(exc: BaseException) -> str:
    """An engine error's message on one line (clients put whole tracebacks in theirs)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def engine_of(settings: Settings) -> Engine:
    """The engine ``KB_STORE`` names, connected (EngineError when it cannot be)."""
    return {"milvus": MilvusEngine, "qdrant": QdrantEngine}[settings.index.store](settings)
