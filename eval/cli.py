"""`kb eval` options and command (filled in by the eval harness)."""

from __future__ import annotations


def add_eval_parser(sub, common) -> None:
    p = sub.add_parser("eval", parents=[common], help="measure retrieval quality (gold questions, BEIR)")
    p.set_defaults(func=lambda args: print("kb eval: not implemented yet") or 2)
