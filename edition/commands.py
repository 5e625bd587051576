"""What each command of `build.py` does: arguments in, files and terminal output out, an exit code back."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .dates import PartialDate
from .importer import article_file, parse_raw_text, slugify
from .problems import BuildFailed, Problem
from .site import build_site


def print_problems(problems: list[Problem]) -> None:
    """Every problem on stderr, errors and warnings, in file order."""
    for problem in sorted(problems):
        print(problem.format(), file=sys.stderr)


def shown(path: Path) -> str:
    """A path as the editor typed it: relative to the working folder when it lies below it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def run_build(root: Path, out: Path, *, base_url: str | None) -> int:
    """Build the site; on failure print every problem and leave the previous site as it was."""
    try:
        report = build_site(root, out, base_url=base_url)
    except BuildFailed as failure:
        print_problems(failure.problems)
        errors = sum(1 for p in failure.problems if p.severity == "error")
        print(f"Build abgebrochen: {errors} Fehler. {out.name}/ ist unverändert.", file=sys.stderr)
        return 1
    print_problems(list(report.warnings))
    print(report.summary())
    return 0


def run_import(text_path: Path, content_dir: Path, *, title: str, date: str | None, slug: str | None,
               summary: str | None) -> int:
    """Make an article file from a raw text; refuse to overwrite, refuse a text without a date."""
    name = text_path.as_posix()
    try:
        raw = text_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        print_problems([Problem(name, 1, 1, "Die Textdatei gibt es nicht", "Pfad prüfen.")])
        return 1
    except UnicodeDecodeError:
        print_problems([Problem(name, 1, 1, "Die Textdatei ist nicht in UTF-8 gespeichert",
                                "Als UTF-8 speichern und erneut importieren.")])
        return 1
    imported = parse_raw_text(raw)
    try:
        given = PartialDate.parse(date) if date else None
    except ValueError as exc:
        print_problems([Problem("--date", 1, 1, str(exc), "Form JJJJ-MM oder JJJJ-MM-TT, z. B. --date 2023-09.")])
        return 1
    chosen = given or imported.date
    if chosen is None:
        print_problems([Problem(name, 1, 1, "Der Text hat keine date-Zeile und --date fehlt",
                                "Datum angeben, so genau wie die Quelle es hergibt: --date 2023-09.")])
        return 1
    if not imported.blocks:
        print_problems([Problem(name, 1, 1, "Die Datei enthält keinen Text", "Eine Textdatei mit Inhalt wählen.")])
        return 1
    slug = slug or f"{chosen.iso()[:7]}-{slugify(title)}"
    target = content_dir / f"{slug}.md"
    if target.exists():
        print_problems([Problem(shown(target), 1, 1, "Diese Artikeldatei gibt es schon; sie wird nicht überschrieben",
                                "Einen anderen --slug wählen oder die vorhandene Datei erst umbenennen.")])
        return 1
    content_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(article_file(imported, title=title, date=chosen, slug=slug, seed=text_path.name,
                                   summary=summary), encoding="utf-8")
    found = [b.text for b in imported.blocks if b.kind == "heading"]
    print(f"{shown(target)} angelegt: {len(imported.blocks)} Absätze, {len(found)} Zwischenüberschriften"
          + (", Bildunterschrift" if imported.caption else "") + (", Vorspann" if imported.teaser else "") + ".")
    if not summary:
        print("Noch zu tun: summary: (ein bis zwei Sätze) im Kopf der Datei ergänzen.")
    return 0
