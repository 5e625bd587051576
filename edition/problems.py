"""Problems found in the editors' files, and the exception that carries them out of a failed build."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a look) in one file, at one place, with a hint what to do."""

    file: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        """Render as `file:line:col: severity: message (hint)`, the form editors' tools understand."""
        label = "Fehler" if self.severity == "error" else "Warnung"
        text = f"{self.file}:{self.line}:{self.col}: {label}: {self.message}"
        return f"{text}\n    → {self.hint}" if self.hint else text


class BuildFailed(Exception):
    """Raised when a build cannot go on; carries every problem found so far."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def relative_name(path: Path, root: Path) -> str:
    """Name a file as editors see it: relative to the project root, with forward slashes."""
    try:
        return path.resolve().relative_to(resolved_root(root)).as_posix()
    except ValueError:
        return path.as_posix()


@lru_cache(maxsize=16)
def resolved_root(root: Path) -> Path:
    """A project root with its links resolved, once per process (every file a build reads is named by it)."""
    return root.resolve()


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    """Keep only the problems that fail a build."""
    return [p for p in problems if p.severity == "error"]
