"""What a build did: the result type of ``indexer.build``, for the CLI summary, ``--json`` and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FileError:
    path: str
    reason: str


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
    seconds: float = 0.0
    embed_seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    index_path: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors
