"""The store the settings name (``KB_STORE``), opened over the live index of the data directory,
and what a build does for it besides writing the generation (``publisher``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from indexer.publish import Publisher
    from indexer.vectorstore import Store
    from kb.settings import Settings

STORES = ("faiss", "milvus", "qdrant")


def check_store(settings: Settings) -> str:
    """The store's name, or ValueError naming the choices."""
    name = settings.index.store
    if name not in STORES:
        raise ValueError(f"unknown store {name!r} (KB_STORE); choose from {', '.join(STORES)}")
    return name


def open_store(settings: Settings) -> Store:
    """The store ``settings.index.store`` names; a new store is one more branch and one module."""
    name = check_store(settings)
    from indexer.store import load_generation

    generation = load_generation(settings.index_dir, ann_in_memory=True)  # searches walk approximate indexes
    built = generation.manifest.get("store", "faiss")
    if built != name:
        raise RuntimeError(f"the index in {settings.index_dir} was built for the {built} store, not {name} "
                           "(KB_STORE); run `kb index --rebuild`")
    if name == "faiss":
        from indexer.faiss_store import FaissStore

        return FaissStore(generation, settings.retrieval.ann_ef_search, settings.retrieval.ann_nprobe)
    from indexer.engine_store import EngineStore

    return EngineStore(generation, settings)


def publisher(settings: Settings, progress: bool = False) -> Publisher | None:
    """What publishes a build's vectors to the engine (None for FAISS); connects at once, so a
    wrong ``KB_STORE`` or an unreachable ``KB_STORE_URI`` fails before any encoding."""
    if check_store(settings) == "faiss":
        return None
    from indexer.publish import Publisher

    return Publisher(settings, progress)
