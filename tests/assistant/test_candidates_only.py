"""No per-query step outside the store is as long as the corpus: the assistant sees the store only
through top-k calls and look-ups by id, each answering at most the candidates asked for."""

from __future__ import annotations

import pytest

from assistant.api import KnowledgeBase


class CountingStore:
    """Forwards to the real store, recording how many items each call hands back; whole-corpus
    listings are refused while questions are being answered."""

    def __init__(self, store):
        self.store, self.calls, self.answering = store, [], False

    def __getattr__(self, name):
        attr = getattr(self.store, name)
        if not callable(attr):
            return attr

        def call(*args, **kw):
            if self.answering and name == "passages":
                raise AssertionError("a question touched the whole corpus (store.passages())")
            out = attr(*args, **kw)
            size = len(out) if isinstance(out, (list, dict, tuple)) else 1
            self.calls.append((name, size))
            return out

        return call

    def __len__(self):
        return len(self.store)


@pytest.mark.parametrize("config", ["hybrid", "hybrid-rrf", "bm25", "dense"])
def test_questions_touch_only_top_k_candidates(corpus_kb, config):
    kb = KnowledgeBase(corpus_kb.settings.updated(candidates=12, rerank_candidates=12))
    proxy = CountingStore(kb.store)
    kb.use_store(proxy)
    kb.ask("Does the PAHO fund matter?")  # the vocabulary of names is built once, before questions
    proxy.answering, proxy.calls = True, []
    for question in ("How does Chile certify its procurement officials?", "¿Qué propone la OCDE sobre la rotación?",
                     "What does the OECD recommend on framework agreements?"):
        kb.ask(question, config=config)
        kb.ask(question, config=config, filters=kb.default_filters(country="Chile"))
    searches = [(n, size) for n, size in proxy.calls if n.endswith("top_k")]
    assert searches and all(size <= 12 for _, size in searches), searches
    assert len(proxy) > 12 * 10  # the corpus is much larger than what any call returned
