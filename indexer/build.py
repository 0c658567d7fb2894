"""Build or update the index incrementally from the recorded sources.

The knowledge base is the set of sources in the manifest (the bundled corpus by default). A run
hashes every source file; when the index identity (model + chunk settings) and all hashes match,
it stops at once (no model is loaded); a file whose size and times are as when it was last hashed is
not read again (``indexer.statcache``; ``verify=True`` reads every one). Otherwise unchanged files keep their passages and vectors,
changed files are re-parsed and only passages with new ids are embedded.
"""

from __future__ import annotations

import time
from pathlib import Path

from corpus.problems import Problem, describe
from corpus.readers import discover, file_sha256
from indexer.integrity import IndexDamaged, verify
from indexer.lock import build_lock
from indexer.report import BuildReport, FileError, FileStatus, Outcome
from indexer.statcache import StatCache
from indexer.sources import resolve_sources
from indexer.store import current_generation, read_manifest
from kb.settings import Settings


def build_index(settings: Settings, add: list[Path] = (), remove: list[Path] = (), rebuild: bool = False,
                progress: bool = True, verify: bool = False) -> BuildReport:
    """Bring the index in line with its sources; atomic, incremental, and a no-op when nothing changed.
    One build at a time per index folder (a second waits for the first, then builds on its result).
    ``verify``: hash every source and index file, even those whose state on disk is as last hashed."""
    with build_lock(settings.index_dir, progress):
        return _build(settings, add, remove, rebuild, progress, verify)


def _build(settings: Settings, add: list[Path], remove: list[Path], rebuild: bool, progress: bool,
           verify_all: bool = False) -> BuildReport:
    t0 = time.perf_counter()
    report = BuildReport()
    index_dir = settings.index_dir
    hashed = StatCache.at(index_dir, trust=not verify_all)  # the index's files and the sources, saved once
    manifest, damaged = _live_manifest(index_dir, rebuild, hashed)
    if damaged:
        report.notes.append(damaged)
    for p in add:
        if not Path(p).exists():
            report.errors.append(FileError(str(p), "no such file or folder"))
    add = [p for p in add if Path(p).exists()]
    sources = resolve_sources(settings, manifest, add, remove)

    files = source_files(sources, report, hashed)
    hashed.save()
    if not Path(settings.corpus_dir).exists() and str(settings.corpus_dir.resolve()) in sources:
        report.errors.append(FileError(str(settings.corpus_dir), "corpus folder not found"))

    identity = settings.index_identity()
    same_identity = bool(manifest) and manifest.get("identity") == identity and not rebuild and not damaged
    old_files = manifest.get("files", {}) if same_identity else {}
    old_failed = manifest.get("failed", {}) if same_identity else {}
    unchanged = {f for f, sha in files.items() if old_files.get(f, {}).get("sha256") == sha}
    limits = settings.build.limits()  # a file that failed under other limits is tried again
    known_broken = {f for f, sha in files.items()
                    if old_failed.get(f, {}).get("sha256") == sha and old_failed[f].get("limits", limits) == limits}
    if (same_identity and unchanged | known_broken == set(files) and set(old_files) | set(old_failed) == set(files)
            and manifest["sources"] == sources):
        report.noop = True
        for f in sorted(files):  # known failures stay named
            if f in known_broken:
                report.fail(f, old_failed[f]["reason"], old_failed[f].get("kind", ""), old_failed[f].get("params"))
            else:
                report.files.append(FileStatus(f, Outcome.UNCHANGED, passages=old_files[f].get("passages", 0)))
        report.documents = len(files)
        report.passages = manifest.get("counts", {}).get("passages", 0)
        report.boxes = manifest.get("counts", {}).get("boxes", 0)
        report.seconds = time.perf_counter() - t0
        return _with_peak_rss(report)

    from indexer.update import assemble  # heavy imports only when there is work to do

    return _with_peak_rss(assemble(settings, manifest if same_identity else None, sources, files, unchanged, report,
                                   progress=progress, t0=t0))


def _live_manifest(index_dir: Path, rebuild: bool, hashed: StatCache | None = None) -> tuple[dict | None, str]:
    """The live manifest and, when the live generation is damaged, a note saying that this build
    replaces it whole (its recorded sources are kept when the manifest itself can be read)."""
    try:
        manifest = read_manifest(index_dir)
    except IndexDamaged as exc:
        return None, (f"{exc}: building a new index from the bundled corpus and the paths given (the list of "
                      "sources was in the manifest: add your other folders again with `kb index FOLDER`)")
    gen = current_generation(index_dir)
    if manifest is None or rebuild or gen is None:
        return manifest, ""
    try:
        verify(gen, manifest, hashed)
    except IndexDamaged as exc:
        return manifest, f"{exc}: re-building every file"
    return manifest, ""


def _with_peak_rss(report: BuildReport) -> BuildReport:
    """The process's peak resident memory so far (Linux reports kilobytes), for the report."""
    import resource

    report.peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return report


def source_files(sources: list[str], report: BuildReport, hashed: StatCache | None = None) -> dict[str, str]:
    """``{resolved path: sha256}`` of every readable file of ``sources`` (those ``hashed`` vouches
    for are not read). Files passed over (links out of a folder, pipes, a second copy of the same
    content) go to ``report.skipped``; unreadable ones to ``report.errors``."""
    hashed = hashed or StatCache(None, trust=False)
    files: dict[str, str] = {}
    first_of: dict[str, str] = {}  # sha256 -> the file that has it
    for src in sources:
        found = discover(Path(src))
        for skip in found.skipped:
            report.skip(str(skip.path), describe(skip.problem), skip.problem.value)
        for f in found.files:
            path = str(f.resolve())
            if path in files:
                continue  # a link to a file already listed
            try:
                sha = hashed.sha256(path, f, file_sha256)
            except OSError as exc:
                params = {"detail": str(exc.strerror or exc)}
                report.fail(path, describe(Problem.CANNOT_READ, params), Problem.CANNOT_READ.value, params)
                continue
            if sha in first_of:
                params = {"other": first_of[sha]}
                report.skip(path, describe(Problem.DUPLICATE, params), Problem.DUPLICATE.value, params)
                continue
            first_of[sha] = path
            files[path] = sha
    return files
