"""The house rules, checked: data flows one way (corpus → indexer → assistant → ui / eval, the CLI on
top; ``kb.settings`` and ``kb.runtime`` are leaves every layer may read), no import circles between
modules (function-level imports included), and no source file grows past about 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("corpus", "indexer", "assistant", "ui", "eval", "kb")
LEAVES = {"kb.settings", "kb.runtime"}
MAY_IMPORT = {
    "corpus": {"corpus"},
    "indexer": {"corpus", "indexer"},
    "assistant": {"corpus", "indexer", "assistant"},
    "ui": {"corpus", "indexer", "assistant", "ui"},
    "eval": {"corpus", "indexer", "assistant", "eval"},
    "kb": set(PACKAGES),
}
MAX_LINES = 400


def modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in (REPO / pkg).rglob("*.py"):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
            out[name] = path
    return out


def imports(path: Path, known: set[str]) -> set[str]:
    """Project modules ``path`` imports, at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for n in names:
            while n and n not in known:
                n = n.rpartition(".")[0]
            if n and n.split(".")[0] in PACKAGES and n not in PACKAGES:
                found.add(n)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {m: imports(p, set(mods)) - {m} for m, p in mods.items()}


def test_lower_layers_never_import_higher_ones():
    bad = [f"{m} imports {d}" for m, deps in graph().items() for d in deps
           if d not in LEAVES and d.split(".")[0] not in MAY_IMPORT[m.split(".")[0]]]
    assert not bad, bad


def test_the_leaves_import_nothing_of_the_product():
    g = graph()
    assert all(not g[leaf] for leaf in LEAVES), {leaf: g[leaf] for leaf in LEAVES}


def test_no_import_circles():
    g = graph()
    index, low, stack, on, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in g:
        if v not in index:
            visit(v)
    assert not cycles, cycles


def test_no_source_file_is_over_about_400_lines():
    long = {str(p.relative_to(REPO)): n for p in modules().values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long
