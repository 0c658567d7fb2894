"""The retrieval configurations the harness can run, in one registry.

Each name maps to the keyword arguments passed to ``KnowledgeBase.search``. Later work (a
reranker, cross-lingual query translation) adds a configuration by adding an entry here; the
CLI choices, reports and comparisons pick it up from this dict.
"""

from __future__ import annotations

CONFIGS: dict[str, dict] = {
    "bm25": {"config": "bm25"},
    "dense": {"config": "dense"},
    "hybrid": {"config": "hybrid"},
    "hybrid-lite": {"config": "hybrid-lite"},
    "hybrid-rrf": {"config": "hybrid-rrf"},
    "hybrid-plain": {"config": "hybrid-plain"},
    "hybrid-rerank": {"config": "hybrid-rerank"},
}
DEFAULT = "hybrid"


def search_kwargs(name: str) -> dict:
    """``kb.search`` keyword arguments for configuration ``name`` (a copy; ValueError if unknown)."""
    if name not in CONFIGS:
        raise ValueError(f"unknown eval configuration {name!r}; choose from {', '.join(CONFIGS)}")
    return dict(CONFIGS[name])


def parse_names(text: str) -> list[str]:
    """Comma-separated configuration names (``bm25,dense``), checked, duplicates dropped in order."""
    names = list(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    if not names:
        raise ValueError("--compare needs at least one configuration name, e.g. bm25,dense,hybrid")
    for n in names:
        search_kwargs(n)
    return names
