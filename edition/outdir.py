"""The project and an output folder in, a verdict out: may a build write there (and its manifest, which
proves later that the folder is a build of this edition's)?

A build replaces its output folder whole and removes what it no longer builds, so it may only ever write to
a folder that is its own: one that does not exist yet, an empty one, or one holding an earlier build, which
the manifest the build writes into it proves. Everything else is refused before anything is written.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from .inputs import PROJECT_FILES, PROJECT_FOLDERS
from .paths import CODE
from .problems import Problem

MANIFEST = ".edition-manifest.json"
FORMAT = "edition-site-1"
# Folders of the project that are not inputs but must never become an output either.
PROJECT_OWN = (".git", "edition", "tests", "tools", "bench", "docs", ".venv", "node_modules")


def manifest_content(paths: Iterable[str]) -> bytes:
    """The manifest of a build: every file it wrote, sorted, so the same build gives the same bytes."""
    listed = sorted(set(paths) | {MANIFEST})
    return (json.dumps({"format": FORMAT, "files": listed}, ensure_ascii=False, indent=0) + "\n").encode("utf-8")


def holds_manifest(out: Path) -> bool:
    """Whether `out` holds the manifest of an earlier build of this edition."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("files"), list)


def protected_paths(root: Path) -> list[Path]:
    """What an output folder may neither be nor lie inside: every input of the build, the project's own
    files and folders at its top level (code, tests, `.git`, documents)."""
    paths = [root / name for name in PROJECT_FOLDERS + PROJECT_FILES + PROJECT_OWN]
    paths += [CODE.root / name for name in CODE.data_folders]
    with suppress(OSError):
        paths += [entry for entry in root.iterdir() if entry.is_file() or entry.is_symlink()]
    return paths


def inside(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or lies below it."""
    return path == folder or folder in path.parents


def shown(path: Path) -> str:
    """A path as the editor typed it: relative to the working folder when it lies below it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def check_output(root: Path, out: Path) -> list[Problem]:
    """Why a build may not write to `out`, or nothing when it may."""
    root = root.resolve()
    target = out.resolve()
    name = shown(out)

    def refuse(message: str, hint: str) -> list[Problem]:
        return [Problem(name, 1, 1, message, hint)]

    choose = "Einen eigenen Ordner angeben, z. B. --out site (Standard) oder einen neuen, leeren Ordner."
    if target == Path(target.anchor):
        return refuse("Der Zielordner ist das Wurzelverzeichnis „/“; der Bau würde alles darin ersetzen", choose)
    if target == Path.home().resolve():
        return refuse("Der Zielordner ist das Home-Verzeichnis; der Bau würde alles darin ersetzen", choose)
    if inside(root, target):
        what = "der Projektordner" if target == root else "ein Ordner, in dem das Projekt liegt"
        return refuse(f"Der Zielordner ist {what}; der Bau würde das Projekt löschen", choose)
    for path in protected_paths(root):
        if inside(target, path.resolve()) or inside(target, path.absolute()):
            where = (
                f"ist „{shown(path)}“, ein Teil"
                if target == path.resolve()
                else f"liegt in „{shown(path)}“, einem Teil"
            )
            return refuse(f"Der Zielordner {where} des Projekts; der Bau würde es überschreiben", choose)
    if target.exists() and not target.is_dir():
        return refuse("Das Ziel ist eine Datei, kein Ordner; der Bau würde sie ersetzen", choose)
    if target.is_dir() and any(target.iterdir()) and not holds_manifest(target):
        return refuse(
            f"Der Zielordner ist nicht leer und enthält keine frühere Ausgabe ({MANIFEST} fehlt); "
            "der Bau würde seinen Inhalt löschen",
            "Einen leeren oder neuen Ordner angeben; ist es ein Bau aus einer älteren Version, ihn erst löschen.",
        )
    return []


def check_base_url(base_url: str | None) -> list[Problem]:
    """Whether `--base-url` is an address `edition.yaml`'s `url` could hold (its schema decides), after the
    trailing slash the build adds."""
    if base_url is None:
        return []
    schema = json.loads((CODE.schemas / "edition.schema.json").read_text(encoding="utf-8"))
    pattern = re.compile(schema["properties"]["url"]["pattern"])
    if pattern.search(base_url if base_url.endswith("/") else base_url + "/"):
        return []
    return [
        Problem(
            "--base-url",
            1,
            1,
            f"Die Adresse „{base_url}“ ist keine http(s)-Adresse einer Website",
            "Form https://user.github.io/repo/ (nur http oder https, ohne Leerzeichen).",
        )
    ]
