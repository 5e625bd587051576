"""The project folder in, what a build reads from it out: the one list of input files and folders (the
glance, the live preview's watcher and the output guard all use it), and the symlinks among them that lead
out of the project.

Pages may include other files of the project (`body_from:`): the project's top-level Markdown files are
inputs always, any other included file once a build has named it.
"""

from __future__ import annotations

import os
from pathlib import Path

from .paths import CODE
from .problems import Problem

PROJECT_FOLDERS = ("content", "templates", "static")
PROJECT_FILES = ("glossary.yaml",)
PROJECT_DOCUMENTS = "*.md"


def input_places(root: Path) -> list[Path]:
    """Every folder and top-level file a build reads, whether or not it exists: what the preview watches."""
    places = [root / name for name in PROJECT_FOLDERS + PROJECT_FILES]
    places += sorted(root.glob(PROJECT_DOCUMENTS))
    places += [CODE.root / name for name in CODE.data_folders]  # read whatever the project is
    return places


def list_inputs(root: Path, extras: tuple[str, ...]) -> dict[str, Path]:
    """Every file the build reads, by a stable name: project files relative to the project, code files
    under `code:`; `extras` are files of the project that pages include (`body_from:`)."""
    found: dict[str, Path] = {}
    for base, prefix, folders in ((root, "", PROJECT_FOLDERS), (CODE.root, "code:", CODE.data_folders)):
        for folder in folders:
            for directory, subfolders, names in os.walk(base / folder):
                subfolders.sort()
                # A linked folder is not followed, but named: a link added must count as a change.
                links = [name for name in subfolders if (Path(directory) / name).is_symlink()]
                for name in names + links:
                    path = Path(directory) / name
                    found[prefix + path.relative_to(base).as_posix()] = path
    for path in root.glob(PROJECT_DOCUMENTS):
        found[path.name] = path
    for name in PROJECT_FILES + extras:
        found[name] = root / name
    return found


def links_in(place: Path) -> list[Path]:
    """The symbolic links at or below `place` (folders not followed), in a stable order."""
    if place.is_symlink():
        return [place]
    found = []
    for directory, subfolders, names in os.walk(place):
        subfolders.sort()
        found += [
            Path(directory) / name for name in sorted(subfolders + names) if (Path(directory) / name).is_symlink()
        ]
    return found


def outside_links(root: Path) -> list[Problem]:
    """A problem for every symbolic link among the project's inputs that leads out of the project: the
    build would publish whatever it points to (`/etc/passwd` as a stylesheet)."""
    project = root.resolve()
    problems = []
    for place in input_places(root)[: -len(CODE.data_folders)]:
        for link in links_in(place):
            target = link.resolve()
            if target != project and project not in target.parents:
                name = link.relative_to(root).as_posix()
                problems.append(
                    Problem(
                        name,
                        1,
                        1,
                        f"„{name}“ ist eine Verknüpfung auf „{os.readlink(link)}“ außerhalb des Projekts",
                        "Die Datei selbst ins Projekt kopieren (oder die Verknüpfung entfernen); die Ausgabe "
                        "veröffentlicht nur, was im Projekt liegt.",
                    )
                )
    return problems
