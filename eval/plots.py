"""PNG plots for evaluation reports (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
from matplotlib.ticker import FuncFormatter  # noqa: E402


def hit_curves(curves: dict[str, dict[int, float]], path: Path, title: str = "hit@k by configuration") -> Path:
    """hit@k for k = 1…10, one line per configuration: how soon a relevant passage shows up."""
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=120)
    for name, curve in curves.items():
        ks = sorted(curve)
        ax.plot(ks, [curve[k] for k in ks], marker="o", label=name)
    ax.set(xlabel="k (passages shown)", ylabel="hit@k (share of answerable questions)", title=title,
           ylim=(0, 1.02), xticks=list(range(1, 11)))
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def latency_box(latencies: dict[str, list[float]], path: Path, title: str = "retrieval latency per question (whiskers 5-95 %)") -> Path:
    """Box plot of per-question retrieval time per configuration (whiskers 5-95th percentile).

    Log scale: BM25 answers in about a millisecond and the encoders in tens, and a few slow
    outliers on a shared machine would otherwise squash every box flat.
    """
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=120)
    names = list(latencies)
    ax.boxplot([latencies[n] for n in names], whis=(5, 95), showfliers=True)
    ax.set_xticks(range(1, len(names) + 1), names)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))  # 1, 10, 100 rather than 10^n
    ax.set(ylabel="ms, log scale (warm, in process)", title=title)
    ax.grid(axis="y", which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
