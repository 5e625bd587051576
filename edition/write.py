"""Finished site files in, a complete `site/` folder out, replaced in one step or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from .problems import BuildFailed, Problem
from .render import SiteFile


def check_unique_paths(files: Iterable[SiteFile]) -> list[Problem]:
    """Two pages may never be written to the same path: the second would silently win."""
    seen: set[str] = set()
    problems = []
    for file in files:
        if file.path in seen:
            problems.append(Problem(file.path, 1, 1, f"Zwei Seiten würden nach „{file.path}“ geschrieben",
                                    "Slug einer der beiden Seiten oder Artikel ändern."))
        seen.add(file.path)
    return problems


def write_site(files: Iterable[SiteFile], target: Path) -> None:
    """Write all files into a fresh folder beside `target`, then swap it in; on failure `target` stays."""
    files = list(files)
    problems = check_unique_paths(files)
    if problems:
        raise BuildFailed(problems)
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        for file in files:
            path = fresh / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(file.content)
        os.chmod(fresh, 0o755)
        swap_in(fresh, target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


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
