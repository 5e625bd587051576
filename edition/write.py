"""Finished site files in, `site/` out, replaced as a whole in one step: the new state is made in a fresh
folder beside it (hard links to the files whose bytes did not change, the changed files written anew), then
the two folders swap places. A build stopped at any moment leaves the old site or the new one, never a mix
and never none; the next build clears away what a stopped one left. Two builds of one output take turns."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from .cache import state_folder
from .model import SiteFile
from .outdir import MANIFEST, manifest_content
from .problems import BuildFailed, Problem

Manifest = dict[str, tuple[str, int, int]]
RENAME_EXCHANGE = 2  # from <linux/fs.h>
AT_FDCWD = -100


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


def lock_file(out: Path, root: Path | None = None) -> Path:
    """Where builds of `out` take turns: a file beside it, where its cache is."""
    return state_folder(out, root) / f".{out.resolve().name}.lock"


def say_waiting(out: Path) -> None:
    """Tell the editor why the build does not start yet."""
    print(f"Ein anderer Build schreibt gerade nach {out.name}/; dieser wartet, bis er fertig ist …", file=sys.stderr)


@contextmanager
def output_lock(out: Path, root: Path | None = None, waiting: Callable[[Path], None] = say_waiting) -> Iterator[None]:
    """Hold the lock beside `out` while a build reads its cache and writes it; wait (saying so) while
    another build holds it. Once held, what a stopped build left is cleared (a lost site put back first).
    Where no lock file can be made, the build goes on without one: writing then says what is wrong."""
    try:
        out.resolve().parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock_file(out, root), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(out)
            fcntl.flock(handle, fcntl.LOCK_EX)
        clear_leftovers(out.resolve())
        yield
    finally:
        os.close(handle)  # closing releases the lock


def write_site(
    files: Iterable[SiteFile], target: Path, manifest: Manifest | None = None, keep: str | None = None
) -> tuple[WriteReport, Manifest]:
    """Write the site as a whole, and return what it wrote (path → hash, size, time). Files that `manifest`
    (what the last build wrote) lists, unchanged and untouched since, are linked rather than written again.
    Files under the folder `keep` stay as they are (the search bundle, while the live preview writes pages
    first). Disk full or a folder that cannot be written: a problem naming the path, and `target` as it was."""
    files = list(files)
    problems = check_unique_paths([*files, SiteFile(MANIFEST, b"")])  # the manifest, written last, takes a path too
    if problems:
        raise BuildFailed(problems)
    target = target.resolve()
    clear_leftovers(target)
    try:
        return replace_site(files, target, manifest if manifest and target.is_dir() else {}, keep)
    except OSError as error:
        raise BuildFailed([write_problem(error, target)]) from None


def replace_file(out: Path, file: SiteFile) -> None:
    """Put one file into the site in place of its old one, in one step: a reader never sees half of it. (What
    the live preview shows first; the whole build that follows replaces the site as a whole again.)"""
    target = out / file.path
    descriptor, temporary = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(file.content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def write_problem(error: OSError, target: Path) -> Problem:
    """What went wrong while writing, at the path it went wrong with."""
    where = error.filename or target
    reason = "Der Datenträger ist voll" if error.errno == errno.ENOSPC else error.strerror or str(error)
    return Problem(
        str(where),
        1,
        1,
        f"Die Ausgabe ließ sich nicht schreiben: {reason}",
        f"Platz schaffen oder Schreibrechte prüfen; {target.name}/ ist unverändert.",
    )


def replace_site(
    files: list[SiteFile], target: Path, manifest: Manifest, keep: str | None
) -> tuple[WriteReport, Manifest]:
    """Make the new site in a fresh folder beside `target`, then swap it in; on failure `target` stays."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        report, written = fill_folder(fresh, files, target, manifest, keep)
        os.chmod(fresh, 0o755)
        swap_in(fresh, target)
    finally:
        remove_tree(fresh)  # after the swap, the old site
    return report, written


def fill_folder(
    fresh: Path, files: list[SiteFile], target: Path, manifest: Manifest, keep: str | None
) -> tuple[WriteReport, Manifest]:
    """Put every file into `fresh`, then the files kept under `keep`, then the manifest that lists them all."""
    written: Manifest = {}
    # Each folder made once, parents first, rather than asked for again with each of its files.
    for folder in sorted({os.path.dirname(file.path) for file in files} - {""}):
        os.makedirs(os.path.join(fresh, folder), exist_ok=True)
    count = sum(put_file(fresh, file, target, manifest, written) for file in files)
    if keep:
        for name, entry in manifest.items():
            if name.startswith(keep) and link_unchanged(target / name, fresh / name, entry, make_folder=True):
                written[name] = entry
    count += put_file(fresh, SiteFile(MANIFEST, manifest_content(written)), target, manifest, written)
    removed = sum(1 for name in manifest if name not in written)
    return WriteReport(count, len(files) + 1 - count, removed), written


def put_file(fresh: Path, file: SiteFile, target: Path, manifest: Manifest, written: Manifest) -> bool:
    """Put one file into `fresh`, recorded in `written`: linked from `target` when the last build wrote the same
    bytes there and they are as it left them (size and time), else written; whether it was written."""
    hashed = digest(file.content)
    path = os.path.join(fresh, file.path)
    known = manifest.get(file.path)
    if known and known[0] == hashed and link_unchanged(os.path.join(target, file.path), path, known):
        written[file.path] = known  # the same file (a hard link): its size and time are the ones checked
        return False
    Path(path).write_bytes(file.content)  # its folder made by `fill_folder`
    info = os.stat(path)
    written[file.path] = (hashed, info.st_size, info.st_mtime_ns)
    return True


def link_unchanged(old: str | Path, new: str | Path, known: tuple[str, int, int], *, make_folder: bool = False) -> bool:
    """Hard-link the old file into the new site if it is still as the last build wrote it."""
    try:
        info = os.lstat(old)
        if not stat.S_ISREG(info.st_mode) or (info.st_size, info.st_mtime_ns) != known[1:]:
            return False
        if make_folder:
            os.makedirs(os.path.dirname(new), exist_ok=True)
        os.link(old, new)
        return True
    except OSError:
        return False


def rename_exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux `renameat2` with RENAME_EXCHANGE); False where that is not offered."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # a kernel or file system without it
    raise OSError(code, os.strerror(code), str(b))


def swap_in(fresh: Path, target: Path) -> None:
    """Put `fresh` in `target`'s place and the old site in `fresh`'s: in one step where the system can,
    else with two renames (the old site kept under `.<name>-old-*` in between, put back if the second fails)."""
    if not target.exists():
        os.rename(fresh, target)
        return
    if rename_exchange(fresh, target):
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    os.rename(target, old / target.name)
    try:
        os.rename(fresh, target)
    except BaseException:
        os.rename(old / target.name, target)
        raise
    remove_tree(old)


def remove_tree(folder: Path) -> None:
    """Remove a folder of ours, making read-only folders in it writable first; what stays is tried again
    by the next build."""

    def retry(function: Callable[..., object], path: str, _error: object) -> None:
        try:
            os.chmod(os.path.dirname(path), 0o755)
            function(path)
        except OSError:
            pass

    with suppress(OSError):
        if folder.is_symlink() or folder.is_file():
            folder.unlink()
        elif folder.exists():
            shutil.rmtree(folder, onerror=retry)


def clear_leftovers(target: Path) -> None:
    """Clear what a stopped build left beside `target`: put an old site back if it has none (stopped
    between two renames), remove unfinished and replaced folders and stray temporary files."""
    parent = target.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{target.name}-old-*"))
    if not target.exists():
        for old in olds:
            if (old / target.name).is_dir():
                with suppress(OSError):  # else writing the new site says what is wrong with the folder
                    os.rename(old / target.name, target)
                break
    for leftover in olds + sorted(parent.glob(f".{target.name}-new-*")):
        remove_tree(leftover)
    for folder, _folders, names in os.walk(target):  # nothing when there is no site yet
        for name in names:
            if name.startswith(".tmp-"):
                with suppress(FileNotFoundError):
                    os.unlink(os.path.join(folder, name))
