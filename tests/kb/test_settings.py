"""Settings: the index identity and what a mismatch tells the user."""

import pytest

from kb.settings import Settings


def test_identity_changes_name_each_setting_that_differs():
    built = Settings().identity_fields()
    now = Settings(ann_min_vectors=10, store="qdrant")
    assert now.identity_changes(built) == ["ann_min_vectors: 5000 → 10", "store: faiss → qdrant"]
    assert Settings().identity_changes(built) == []
    assert "store_token" not in built and "ann_ef_search" not in built  # credentials and search-time knobs


def test_an_index_built_with_another_ann_setting_says_what_changed_and_what_to_do(corpus_data_dir):
    from assistant.api import KnowledgeBase

    with pytest.raises(RuntimeError, match=r"ann_min_vectors: 5000 → 10.*run `kb index`"):
        KnowledgeBase(Settings(data_dir=corpus_data_dir, ann_min_vectors=10)).store
