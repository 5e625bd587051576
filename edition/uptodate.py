"""A project and its output folder in, yes or no out: does the last build's `site/` still stand for them?

A build with nothing changed should cost a glance, not a rebuild. The glance: every input file by path, size
and modification time, re-hashed when either moved or when it was modified too close to the last look for
its time to be trusted (git's "racy" rule); one digest over all of them, the build's own version and its
options; and the output folder exactly as the last build left it (each file's size and time, each folder's
time, so a file added by hand shows too). Only when all of that matches is the last build's report given back.
This module stays light on purpose: the command line asks it before importing the rest of the build.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import BuildCache, InputStat, LastBuild, cache_file, engine_version
from .inputs import list_inputs
from .model import BuildReport

# A file modified this close before the snapshot may change again within its timestamp's resolution.
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Inputs:
    """Every input file's size, time and hash when the build looked, and one digest over all of them."""

    digest: str
    files: dict[str, InputStat]
    extras: tuple[str, ...]
    looked: int


def hash_file(path: Path) -> str:
    """The BLAKE2 digest of a file's bytes, or a mark that it is missing."""
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest()
    except OSError:
        return "missing"


def snapshot_inputs(root: Path, known: dict[str, InputStat], extras: tuple[str, ...], options: str) -> Inputs:
    """Look at every input file, hashing only those whose size or time moved since `known` was taken (or
    whose time was too close to it to be trusted)."""
    looked = time.time_ns()
    files: dict[str, InputStat] = {}
    digest = hashlib.blake2b(f"{engine_version()}\0{options}\0".encode(), digest_size=20)
    for name, path in sorted(list_inputs(root, extras).items()):
        try:
            stat = path.stat()
            size, mtime = stat.st_size, stat.st_mtime_ns
        except OSError:
            size, mtime = -1, -1
        before = known.get(name)
        if before and (before.size, before.mtime) == (size, mtime) and not before.racy:
            hashed = before.hash
        else:
            hashed = hash_file(path)
        files[name] = InputStat(size, mtime, hashed, racy=mtime >= looked - RACY_NS)
        digest.update(f"{name}\0{hashed}\0".encode())
    return Inputs(digest.hexdigest(), files, extras, looked)


def output_folders(manifest: dict[str, tuple[str, int, int]]) -> set[str]:
    """The folders of the output that hold the manifest's files, the output itself as ``."""
    folders = {""}
    for path in manifest:
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    return folders


def folder_times(out: Path, folders: set[str]) -> dict[str, int]:
    """Each output folder's modification time: it moves when a file is added to or removed from it."""
    return {folder: (out / folder).stat().st_mtime_ns for folder in sorted(folders)}


def output_intact(out: Path, manifest: dict[str, tuple[str, int, int]], folders: dict[str, int]) -> bool:
    """Whether every file the last build wrote is still there as written, and nothing was added or removed."""
    if not manifest or not folders:
        return False
    try:
        for path, (_, size, mtime) in manifest.items():
            stat = (out / path).stat()
            if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
                return False
        return all((out / folder).stat().st_mtime_ns == mtime for folder, mtime in folders.items())
    except OSError:
        return False


def options_key(base_url: str | None) -> str:
    """The build options that shape the output, which a build with nothing changed must match too."""
    return f"base_url={base_url or ''}"


def look(root: Path, out: Path, cache: BuildCache, options: str) -> tuple[Inputs, BuildReport | None]:
    """Snapshot the inputs; and the last build's report if neither they nor the output changed since."""
    last = cache.last_build()
    inputs = snapshot_inputs(root, cache.input_stats(), last.extras if last else (), options)
    if last is None or last.inputs != inputs.digest:
        return inputs, None
    if not output_intact(out, cache.manifest(), cache.folder_times()):
        return inputs, None
    return inputs, last.report


def record(out: Path, cache: BuildCache, inputs: Inputs, extras: tuple[str, ...], report: BuildReport) -> None:
    """Remember what this build read and what it reported, for the next one's glance. A build whose pages
    include a file its snapshot did not cover leaves no record: hashing that file now could record a change
    made during the build as built, so the next build looks again in full."""
    if not set(extras) <= inputs.files.keys():
        cache.set_last_build(None, {}, {})
        return
    manifest = cache.manifest()
    cache.set_last_build(
        LastBuild(inputs.digest, extras, report), inputs.files, folder_times(out, output_folders(manifest))
    )


def as_unchanged(report: BuildReport, seconds: float) -> BuildReport:
    """The last build's report as this glance gives it back: nothing rendered or written, its own time."""
    return replace(report, rendered=0, written=0, seconds=seconds, stages=(("nothing changed", seconds),))


def glance(root: Path, out: Path, base_url: str | None) -> tuple[Inputs | None, BuildReport | None]:
    """Without touching the cache: the inputs as they are now (None without a usable cache), and the last
    build's report if nothing changed since. The build that follows can start from the same snapshot."""
    started = time.perf_counter()
    cache = BuildCache.peek(cache_file(out, root))
    if cache is None:
        return None, None
    try:
        inputs, last = look(root, out, cache, options_key(base_url))
    finally:
        cache.close()
    if cache.warnings:  # damaged inside: the build that follows discards it with a warning
        return None, None
    return inputs, as_unchanged(last, time.perf_counter() - started) if last else None
