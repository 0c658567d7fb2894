"""`kb bench`'s PNGs: query latency and peak memory against library size (log x; matplotlib Agg)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
from matplotlib.ticker import FuncFormatter  # noqa: E402


def lines_by_size(series: dict[str, list[tuple[float, float]]], path: Path, ylabel: str, title: str) -> Path:
    """One line per series of ``(passages, value)`` points, passages on a log axis."""
    fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=120)
    for name, points in series.items():
        points = sorted((x, y) for x, y in points if y is not None)
        if points:
            ax.plot([x for x, _ in points], [y for _, y in points], marker="o", label=name)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set(xlabel="passages in the library (log scale)", ylabel=ylabel, title=title)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize="small", frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
