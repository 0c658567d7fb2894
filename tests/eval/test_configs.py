import pytest

from eval.configs import CONFIGS, DEFAULT, parse_names, search_kwargs


def test_registry_has_the_three_retrievers():
    assert {"bm25", "dense", "hybrid"} <= set(CONFIGS) and DEFAULT in CONFIGS
    assert search_kwargs("bm25") == {"config": "bm25"}


def test_search_kwargs_is_a_copy():
    search_kwargs("dense")["config"] = "changed"
    assert search_kwargs("dense") == {"config": "dense"} and CONFIGS["dense"].name == "dense"


def test_parse_names_checks_and_dedupes():
    assert parse_names(" bm25, dense ,bm25,") == ["bm25", "dense"]
    with pytest.raises(ValueError, match="unknown retrieval configuration"):
        parse_names("bm25,rerank-xyz")
    with pytest.raises(ValueError):
        parse_names(" , ")
