"""Pure helpers of `kb bench`: sizes, percentiles, medians with their spread, and target verdicts."""

from __future__ import annotations

import statistics

import numpy as np

CORPUS = "corpus"
SUFFIXES = {"k": 1_000, "m": 1_000_000}


def parse_sizes(text: str) -> list[str | int]:
    """``"corpus,10k,100k,1m"`` -> ``["corpus", 10000, 100000, 1000000]`` (order kept, no repeats)."""
    out: list[str | int] = []
    for part in (p.strip().lower() for p in text.split(",") if p.strip()):
        if part == CORPUS:
            size: str | int = CORPUS
        else:
            mult = SUFFIXES.get(part[-1], 1)
            digits = part[:-1] if part[-1] in SUFFIXES else part
            try:
                size = int(float(digits) * mult)
            except ValueError:
                raise ValueError(f"unknown size {part!r}: use corpus or a passage count such as 10k, 100k, 1m") from None
            if size < 100:
                raise ValueError(f"size {part!r} is too small: a synthetic library needs at least 100 passages")
        if size not in out:
            out.append(size)
    if not out:
        raise ValueError("no sizes given")
    return out


def size_label(size: str | int) -> str:
    if size == CORPUS:
        return CORPUS
    for suffix, mult in sorted(SUFFIXES.items(), key=lambda kv: -kv[1]):
        if size % mult == 0:
            return f"{size // mult}{suffix}"
    return str(size)


def pct(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 2) if values else None


def p50_p95(values: list[float]) -> dict:
    return {"p50": pct(values, 50), "p95": pct(values, 95), "n": len(values)}


def spread(values: list[float | None]) -> dict | None:
    """Median of repeated runs with their min-max spread (None when nothing was measured)."""
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    return {"median": round(statistics.median(vals), 4), "min": round(min(vals), 4), "max": round(max(vals), 4),
            "runs": len(vals)}


def merge_runs(runs: list[dict]) -> dict:
    """Repeated runs' figures, leaf by leaf: numbers become ``spread``; other leaves keep the first run's."""
    first = runs[0]
    out = {}
    for key, value in first.items():
        if isinstance(value, dict):
            out[key] = merge_runs([r.get(key) or {} for r in runs])
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = spread([r.get(key) for r in runs])
        else:
            out[key] = value
    return out


def median_of(figure) -> float | None:
    """The median of a merged figure (or the figure itself when it is a plain number)."""
    if isinstance(figure, dict):
        return figure.get("median")
    return figure


def verdict(value: float | None, limit: float, at_most: bool = True) -> str:
    if value is None:
        return "not measured"
    ok = value <= limit if at_most else value >= limit
    return "met" if ok else "not met"


def get(node, *path):
    """``node[path[0]][path[1]]...``, None where the path stops."""
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node
