"""The store the settings name (``KB_STORE``), opened over the live index of the data directory."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from indexer.vectorstore import Store
    from kb.settings import Settings

STORES = ("faiss",)


def open_store(settings: Settings) -> Store:
    """The store ``settings.index.store`` names; a new store is one more branch and one module."""
    name = settings.index.store
    if name == "faiss":
        from indexer.faiss_store import FaissStore
        from indexer.store import load_generation

        return FaissStore(load_generation(settings.index_dir))
    raise ValueError(f"unknown store {name!r}; choose from {', '.join(STORES)} (KB_STORE)")
