"""Timed search: warm-up first, one result and one time per question, fresh query encoding."""

from types import SimpleNamespace

from eval.runner import timed_search


class CountingKB:
    def __init__(self):
        self.calls: list[str] = []
        self.cache: dict[str, str] = {}
        self.retriever = SimpleNamespace(clear_query_cache=self.cache.clear)

    def search(self, question, k=10, filters=None, config="hybrid"):
        assert question not in self.cache, "a timed search reused a cached query vector"
        self.cache[question] = "vector"
        self.calls.append(question)
        return SimpleNamespace(passages=[config] * k)


def test_timed_search_warms_up_and_times_each_question():
    kb = CountingKB()
    results, times = timed_search(kb, [("a", "first?"), ("b", "second?")], {"config": "bm25"}, k=2, progress=False)
    assert kb.calls == ["first?", "first?", "second?"]  # warm-up, then each question once
    assert results == {"a": ["bm25", "bm25"], "b": ["bm25", "bm25"]}
    assert set(times) == {"a", "b"} and all(t >= 0 for t in times.values())
    assert timed_search(kb, [], {}, k=2) == ({}, {})


def test_bare_encodings_are_timed_after_each_search_when_the_kb_can():
    kb = CountingKB()
    kb.bare_encode = lambda question, config="hybrid": kb.calls.append(f"encode {question} {config}")
    encode_times: dict = {}
    timed_search(kb, [("a", "first?"), ("b", "second?")], {"config": "dense"}, k=1, progress=False,
                 encode_times=encode_times)
    assert kb.calls == ["first?", "first?", "encode first? dense", "second?", "encode second? dense"]
    assert set(encode_times) == {"a", "b"}
