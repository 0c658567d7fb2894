"""What a build did: the result type of ``indexer.build``, for the CLI summary, ``--json`` and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Outcome(str, Enum):
    """What a build did with one source file."""

    INDEXED = "indexed"  # read now (new or changed)
    UNCHANGED = "unchanged"  # kept as stored
    FAILED = "failed"  # could not be used; the reason says why
    SKIPPED = "skipped"  # passed over on purpose (a link out of the folder, a pipe, a duplicate)


@dataclass
class FileError:
    """A file that failed or was passed over: the reason in English, and its kind
    (``corpus.problems.Problem``) and details, for saying it in another language."""

    path: str
    reason: str
    kind: str = ""
    params: dict = field(default_factory=dict)


@dataclass
class FileStatus:
    """One file's outcome (``kb index --json`` lists them all)."""

    path: str
    outcome: Outcome
    reason: str = ""
    passages: int = 0
    kind: str = ""  # a corpus.problems.Problem value for failed and skipped files
    params: dict = field(default_factory=dict)


@dataclass
class BuildReport:
    noop: bool = False
    documents: int = 0
    passages: int = 0
    boxes: int = 0
    embedded: int = 0
    reused: int = 0
    sentences: int = 0
    changed_files: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    skipped: list[FileError] = field(default_factory=list)
    files: list[FileStatus] = field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    index_path: str = ""
    peak_rss_mb: float = 0.0
    notes: list[str] = field(default_factory=list)  # what the user should know (a damaged index replaced)

    def fail(self, path: str, reason: str, kind: str = "", params: dict | None = None) -> None:
        """A file that could not be used: in ``errors`` and in the per-file ``files``."""
        self.errors.append(FileError(path, reason, kind, params or {}))
        self.files.append(FileStatus(path, Outcome.FAILED, reason, kind=kind, params=params or {}))

    def skip(self, path: str, reason: str, kind: str = "", params: dict | None = None) -> None:
        """A file passed over on purpose: in ``skipped`` and in the per-file ``files``."""
        self.skipped.append(FileError(path, reason, kind, params or {}))
        self.files.append(FileStatus(path, Outcome.SKIPPED, reason, kind=kind, params=params or {}))

    @property
    def ok(self) -> bool:
        return not self.errors
