"""Finished site files in, `site/` out: on a first build a fresh folder swapped in whole; afterwards only
the files whose bytes changed are replaced (each atomically) and files no longer built are removed."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .cache import BuildCache
from .outdir import MANIFEST, manifest_content
from .problems import BuildFailed, Problem
from .render import SiteFile

Manifest = dict[str, tuple[str, int, int]]


@dataclass(frozen=True)
class WriteReport:
    """How many files a build wrote, left as they were, and removed."""

    written: int
    unchanged: int
    removed: int


def check_unique_paths(files: Iterable[SiteFile]) -> list[Problem]:
    """Two pages may never be written to the same path: the second would silently win."""
    seen: set[str] = set()
    problems = []
    for file in files:
        if file.path in seen:
            problems.append(
                Problem(
                    file.path,
                    1,
                    1,
                    f"Zwei Seiten würden nach „{file.path}“ geschrieben",
                    "Slug einer der beiden Seiten oder Artikel ändern.",
                )
            )
        seen.add(file.path)
    return problems


def digest(content: bytes) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(content).hexdigest()


def write_site(
    files: Iterable[SiteFile], target: Path, cache: BuildCache | None = None, keep: str | None = None
) -> WriteReport:
    """Write the site; replace only what changed when the cache knows what the last build wrote. Files under
    the folder `keep` stay as they are (the search bundle, while the live preview writes pages first)."""
    files = list(files)
    files.append(SiteFile(MANIFEST, manifest_content(f.path for f in files)))
    problems = check_unique_paths(files)
    if problems:
        raise BuildFailed(problems)
    target = target.resolve()
    manifest = cache.manifest() if cache else {}
    if manifest and target.is_dir():
        report, manifest = update_in_place(files, target, manifest, keep)
    else:
        manifest = write_fresh(files, target)
        report = WriteReport(len(files), 0, 0)
    if cache:
        cache.set_manifest(manifest)
    return report


def write_fresh(files: list[SiteFile], target: Path) -> Manifest:
    """Write all files into a fresh folder beside `target`, then swap it in; on failure `target` stays."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    manifest: Manifest = {}
    try:
        for file in files:
            path = fresh / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(file.content)
            stat = path.stat()
            manifest[file.path] = (digest(file.content), stat.st_size, stat.st_mtime_ns)
        os.chmod(fresh, 0o755)
        swap_in(fresh, target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return manifest


def update_in_place(
    files: list[SiteFile], target: Path, manifest: Manifest, keep: str | None = None
) -> tuple[WriteReport, Manifest]:
    """Replace the files whose bytes changed, remove what is no longer built; trust a file on disk only if
    it still has the size and modification time the last build recorded."""
    on_disk = {p.relative_to(target).as_posix(): p for p in target.rglob("*") if p.is_file() or p.is_symlink()}
    fresh_manifest: Manifest = {}
    written = unchanged = 0
    for file in files:
        hashed = digest(file.content)
        path = target / file.path
        known = manifest.get(file.path)
        if known and known[0] == hashed and file.path in on_disk:
            stat = path.stat()
            if (stat.st_size, stat.st_mtime_ns) == known[1:]:
                fresh_manifest[file.path] = known
                unchanged += 1
                continue
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, file.content)
        stat = path.stat()
        fresh_manifest[file.path] = (hashed, stat.st_size, stat.st_mtime_ns)
        written += 1
    if keep:
        fresh_manifest |= {path: entry for path, entry in manifest.items() if path.startswith(keep)}
    stale = sorted(set(on_disk) - set(fresh_manifest))
    for name in stale:
        on_disk[name].unlink()
    remove_empty_folders(target)
    return WriteReport(written, unchanged, len(stale)), fresh_manifest


def replace_file(path: Path, content: bytes) -> None:
    """Write a file through a temporary one and a rename, so a reader never sees half of it."""
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_empty_folders(root: Path) -> None:
    """Remove folders that no file lives in any more."""
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def swap_in(fresh: Path, target: Path) -> None:
    """Replace `target` by `fresh` with two renames, putting the old folder back if the second fails."""
    if not target.exists():
        os.replace(fresh, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    os.replace(target, old / target.name)
    try:
        os.replace(fresh, target)
    except BaseException:
        os.replace(old / target.name, target)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)
