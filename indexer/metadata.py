"""The metadata index of an embedded store: for each filterable field, value -> passage labels.

It turns a ``Where`` into the set of labels a search may return, the way a vector database's scalar
index does: the work is proportional to the lists of the values asked for (or excluded), not to the
corpus. A restriction is an ``Admitted``: either "only these labels" or "all but these labels"
(the default filter only excludes references, notes and the citation block).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from indexer.where import FIELDS, Where


@dataclass(frozen=True)
class Admitted:
    """Labels a search may return: ``only`` these (when not None), never those in ``excluded``."""

    only: np.ndarray | None
    excluded: np.ndarray

    @property
    def everything(self) -> bool:
        return self.only is None and not len(self.excluded)

    @property
    def nothing(self) -> bool:
        return self.only is not None and not len(self.only)


_EMPTY = np.zeros(0, dtype="int64")


class MetadataIndex:
    """Inverted lists over ``FIELDS``, built once when a store is opened."""

    def __init__(self, records: Iterable[tuple[int, dict]]):
        lists: dict[str, dict[str, list[int]]] = {f: defaultdict(list) for f in FIELDS}
        for label, meta in records:
            for f in FIELDS:
                values = meta.get(f)
                for v in values if isinstance(values, (list, tuple)) else [values]:
                    if v not in (None, ""):
                        lists[f][str(v).lower()].append(label)
        self._lists = {f: {v: np.unique(np.asarray(ls, dtype="int64")) for v, ls in vals.items()}
                       for f, vals in lists.items()}

    def values(self, field: str) -> list[str]:
        """The distinct (lower-case) values of a field."""
        return sorted(self._lists[field])

    def labels(self, field: str, values: Iterable[str]) -> np.ndarray:
        """Labels of passages whose ``field`` holds any of ``values``."""
        found = [self._lists[field].get(v, _EMPTY) for v in values]
        return np.unique(np.concatenate(found)) if found else _EMPTY

    def admitted(self, where: Where) -> Admitted:
        """The labels ``where`` admits."""
        only = None
        for f, values in where.restricting().items():
            labels = self.labels(f, values)
            only = labels if only is None else np.intersect1d(only, labels, assume_unique=True)
        excluded = self.labels("kind", where.exclude_kind) if where.exclude_kind else _EMPTY
        if only is not None and len(excluded):
            only, excluded = np.setdiff1d(only, excluded, assume_unique=True), _EMPTY
        return Admitted(only, excluded)
