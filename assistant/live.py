"""The live generation of a long-running knowledge base, swapped whole when a build switches CURRENT.

A ``Live`` holds everything that depends on one generation: the store, the retriever over it and
the caches derived from its passages. A request takes one ``Live`` at its start and uses only it, so
it never mixes two generations; a build in another process (``kb index`` while the server runs)
switches CURRENT (or a document is renamed), the next request notices (two ``stat`` calls; the
pointer is read only when they change) and
loads the new generation while requests already running finish on the old one (its files stay
readable: they are memory-mapped or in memory). Only one thread loads; the others keep answering from the old
generation meanwhile.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from kb.settings import Settings


@dataclass
class Live:
    """One generation in use: its name, when it was loaded, its store and retriever, and caches."""

    generation: str
    loaded_at: float
    store: object
    retriever: object
    titles: int = 0  # the display titles' version it was loaded with (``indexer.titles.state``)
    caches: dict = field(default_factory=dict)  # vocabulary, key-term sets: derived from this generation only


def current_name(settings: Settings) -> str:
    """The name CURRENT points at ("" when there is no index yet)."""
    from indexer.store import current_generation

    gen = current_generation(settings.index_dir)
    return gen.name if gen else ""


def live_over(settings: Settings, store, titles: int) -> Live:
    """A ``Live`` over an opened store (its generation's name read from the store itself)."""
    from assistant.retrieve import Retriever

    return Live(store.generation.path.name, time.time(), store, Retriever.from_settings(settings, store), titles)


def load_live(settings: Settings) -> Live:
    """Open the live generation and its retriever (models are loaded once per process)."""
    from indexer.stores import open_store
    from indexer.titles import state

    titles = state(settings.index_dir)  # read first: a rename during the load triggers another
    store = open_store(settings)
    if store.manifest.get("identity") != settings.index_identity():
        changes = "; ".join(settings.identity_changes(store.manifest.get("settings", {}))) or "format"
        raise RuntimeError(f"the index was built with other settings ({changes}); run `kb index` to "
                           "rebuild it with the current ones, or set them back")
    return live_over(settings, store, titles)


class LiveSlot:
    """The current ``Live``, loaded on first use and replaced when CURRENT moves on."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._live: Live | None = None
        self._loading = threading.Lock()
        self.reloads = 0
        self._unchanged: tuple = (None, ())  # (a Live, the files' state) last found not moved on

    def get(self) -> Live:
        live = self._live
        if live is None:
            with self._loading:
                if self._live is None:
                    self._live = load_live(self.settings)
                return self._live
        if self._moved_on(live) and self._loading.acquire(blocking=False):
            try:  # one thread loads the new generation; the others answer from the old one meanwhile
                if self._live is live:
                    self._live = load_live(self.settings)
                    self.reloads += 1
            finally:
                self._loading.release()
        return self._live

    def _moved_on(self, live: Live) -> bool:
        """Whether a build switched generations, or a document was renamed, since ``live`` was loaded
        (asked on every request: the pointer's name is read only when its file changed)."""
        from indexer.store import pointer_state
        from indexer.titles import state

        seen = (pointer_state(self.settings.index_dir), state(self.settings.index_dir))
        if self._unchanged[0] is live and self._unchanged[1] == seen:
            return False
        moved = current_name(self.settings) not in ("", live.generation) or seen[1] != live.titles
        if not moved:
            self._unchanged = (live, seen)
        return moved

    def use(self, store) -> Live:
        """Answer from ``store``, an already opened store (a test's wrapper, an engine store over a
        published generation), until CURRENT moves on."""
        from indexer.titles import state

        self._live = live_over(self.settings, store, state(self.settings.index_dir))
        return self._live

    def forget(self) -> None:
        """Drop the loaded generation (this process built a new one): the next use loads it."""
        self._live = None
