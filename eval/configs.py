"""The configurations the harness runs: the product's one registry (``assistant.configs``), by name.

Each name maps to the keyword arguments passed to ``KnowledgeBase.search``; a configuration added to
the registry appears in the CLI choices, reports and comparisons by itself.
"""

from __future__ import annotations

from assistant.configs import CONFIGS, DEFAULT, get_config

__all__ = ["CONFIGS", "DEFAULT", "parse_names", "search_kwargs"]


def search_kwargs(name: str) -> dict:
    """``kb.search`` keyword arguments for configuration ``name`` (ValueError if unknown)."""
    return {"config": get_config(name).name}


def parse_names(text: str) -> list[str]:
    """Comma-separated configuration names (``bm25,dense``), checked, duplicates dropped in order."""
    names = list(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    if not names:
        raise ValueError("--compare needs at least one configuration name, e.g. bm25,dense,hybrid")
    for n in names:
        search_kwargs(n)
    return names
