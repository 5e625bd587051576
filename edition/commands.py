"""What each command of `build.py` does: arguments in, files and terminal output out, an exit code back."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .dates import PartialDate
from .importer import ImportedText, article_file, parse_raw_text, slugify
from .outdir import check_base_url, check_output
from .problems import BuildFailed, Problem
from .uptodate import glance

if TYPE_CHECKING:
    from .site import Built

NOTES_TEMPLATE = """\
# yaml-language-server: $schema=../../schemas/notes.schema.json
# Anmerkungen und Querverweise zu „{title}“. Anleitung: EDITING.md („Eine Anmerkung schreiben“).
notes: []
links: []
"""


def print_problems(problems: list[Problem]) -> None:
    """Every problem on stderr, errors and warnings, in file order; as annotations too when run in GitHub
    Actions, so CI marks the lines."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in sorted(problems):
        print(problem.format(), file=sys.stderr)
        if annotate:
            kind = "error" if problem.severity == "error" else "warning"
            message = f"{problem.message}. {problem.hint}".replace("%", "%25").replace("\n", "%0A")
            print(f"::{kind} file={problem.file},line={problem.line},col={problem.col}::{message}", file=sys.stderr)


def progress_bar(started: float) -> Callable[[int, int], None]:
    """A bar over the pages on stderr, shown only when a build takes longer than a moment on a terminal."""

    def show(done: int, total: int) -> None:
        if not sys.stderr.isatty() or time.perf_counter() - started < 1.5:
            return
        width = 30
        filled = width * done // total
        end = "\n" if done == total else ""
        print(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} Seiten", end=end, file=sys.stderr, flush=True)

    return show


def shown(path: Path) -> str:
    """A path as the editor typed it: relative to the working folder when it lies below it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def run_build(root: Path, out: Path, *, base_url: str | None, timings: bool = False, jobs: int | None = None) -> int:
    """Build the site; on failure print every problem and leave the previous site as it was. With nothing
    changed since the last build, say so at a glance. Refuse, before writing anything, an output folder
    that is not the build's own and an address that is not a website's."""
    refused = check_base_url(base_url) + check_output(root, out)
    if refused:
        print_problems(refused)
        print("Build abgebrochen, nichts geschrieben.", file=sys.stderr)
        return 1
    inputs, report = glance(root, out, base_url)
    if report is None:
        # The build's own modules (Jinja, markdown-it, the glossary's automaton) load only when there is work.
        from .parallel import Workers
        from .site import build_site

        workers = Workers(count=max(1, jobs)) if jobs else Workers()
        try:
            report = build_site(
                root, out, base_url=base_url, progress=progress_bar(time.perf_counter()), workers=workers, inputs=inputs
            )
        except BuildFailed as failure:
            print_problems(failure.problems)
            errors = sum(1 for p in failure.problems if p.severity == "error")
            print(f"Build abgebrochen: {errors} Fehler. {out.name}/ ist unverändert.", file=sys.stderr)
            return 1
    print_problems(list(report.warnings))
    if timings:
        print(report.timings())
    print(report.summary())
    return 0


def check_new_article(slug: str, title: str) -> list[Problem]:
    """Whether `new` and `import` may write `content/artikel/<slug>.md`: the slug by the build's own rule
    (so it can never name a path outside the folder), the title on one line."""
    from .load import SLUG  # the loader's rule; imported here, as the glance before a build needs none of it

    problems = []
    if not SLUG.fullmatch(slug):
        problems.append(
            Problem(
                "--slug",
                1,
                1,
                f"Der Slug „{slug}“ ist ungültig",
                "Nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche (ö→oe, ü→ue, ä→ae, ß→ss), "
                "z. B. --slug 2025-01-treffen-in-moskau.",
            )
        )
    if not title.strip() or any(char in title for char in "\r\n\x00\u2028\u2029"):
        problems.append(
            Problem(
                "--title", 1, 1, "Die Überschrift ist leer oder hat einen Zeilenumbruch", "Eine Zeile Text angeben."
            )
        )
    return problems


def run_import(
    text_path: Path, content_dir: Path, *, title: str, date: str | None, slug: str | None, summary: str | None
) -> int:
    """Make an article file from a raw text; refuse to overwrite, refuse a text without a date."""
    name = text_path.as_posix()
    try:
        raw = text_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        print_problems([Problem(name, 1, 1, "Die Textdatei gibt es nicht", "Pfad prüfen.")])
        return 1
    except UnicodeDecodeError:
        print_problems(
            [
                Problem(
                    name,
                    1,
                    1,
                    "Die Textdatei ist nicht in UTF-8 gespeichert",
                    "Als UTF-8 speichern und erneut importieren.",
                )
            ]
        )
        return 1
    imported = parse_raw_text(raw)
    try:
        given = PartialDate.parse(date) if date else None
    except ValueError as exc:
        print_problems([Problem("--date", 1, 1, str(exc), "Form JJJJ-MM oder JJJJ-MM-TT, z. B. --date 2023-09.")])
        return 1
    chosen = given or imported.date
    if chosen is None:
        print_problems(
            [
                Problem(
                    name,
                    1,
                    1,
                    "Der Text hat keine date-Zeile und --date fehlt",
                    "Datum angeben, so genau wie die Quelle es hergibt: --date 2023-09.",
                )
            ]
        )
        return 1
    if not imported.blocks:
        print_problems([Problem(name, 1, 1, "Die Datei enthält keinen Text", "Eine Textdatei mit Inhalt wählen.")])
        return 1
    slug = slug or f"{chosen.iso()[:7]}-{slugify(title)}"
    refused = check_new_article(slug, title)
    if refused:
        print_problems(refused)
        return 1
    target = content_dir / f"{slug}.md"
    if target.exists():
        print_problems(
            [
                Problem(
                    shown(target),
                    1,
                    1,
                    "Diese Artikeldatei gibt es schon; sie wird nicht überschrieben",
                    "Einen anderen --slug wählen oder die vorhandene Datei erst umbenennen.",
                )
            ]
        )
        return 1
    content_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(
        article_file(imported, title=title, date=chosen, slug=slug, seed=text_path.name, summary=summary),
        encoding="utf-8",
    )
    found = [b.text for b in imported.blocks if b.kind == "heading"]
    print(
        f"{shown(target)} angelegt: {len(imported.blocks)} Absätze, {len(found)} Zwischenüberschriften"
        + (", Bildunterschrift" if imported.caption else "")
        + (", Vorspann" if imported.teaser else "")
        + "."
    )
    if not summary:
        print("Noch zu tun: summary: (ein bis zwei Sätze) im Kopf der Datei ergänzen.")
    return 0


def run_serve(root: Path, out: Path, *, host: str, port: int) -> int:
    """Start the live preview; it runs until interrupted."""
    from .serve import serve

    refused = check_output(root, out)
    if refused:
        print_problems(refused)
        return 1
    return serve(root, out, host=host, port=port)


def run_check(root: Path) -> int:
    """Check everything, write nothing; print every problem as file:line:col; 1 if there are errors."""
    from .site import prepare_site

    started = time.perf_counter()
    try:
        built = prepare_site(root, search=False)
    except BuildFailed as failure:
        print_problems(failure.problems)
        errors = sum(p.severity == "error" for p in failure.problems)
        warnings = len(failure.problems) - errors
        print(f"Prüfung: {errors} Fehler, {warnings} Warnungen.", file=sys.stderr)
        return 1
    print_problems(built.problems)
    print(
        f"Prüfung: 0 Fehler, {len(built.problems)} Warnungen, {len(built.resolved.timeline)} Artikel, "
        f"{len(built.resolved.glossary.entries)} Glossareinträge, {time.perf_counter() - started:.2f} s."
    )
    return 0


def run_new(content_dir: Path, *, title: str, date: str, slug: str | None) -> int:
    """A new article file with its front matter filled in, and an empty notes file beside it."""
    try:
        when = PartialDate.parse(date)
    except ValueError as exc:
        print_problems([Problem("--date", 1, 1, str(exc), "Form JJJJ-MM oder JJJJ-MM-TT, z. B. --date 2025-01.")])
        return 1
    slug = slug or f"{when.iso()[:7]}-{slugify(title)}"
    refused = check_new_article(slug, title)
    if refused:
        print_problems(refused)
        return 1
    target, notes = content_dir / f"{slug}.md", content_dir / f"{slug}.notes.yaml"
    for path in (target, notes):
        if path.exists():
            print_problems(
                [
                    Problem(
                        shown(path),
                        1,
                        1,
                        "Diese Datei gibt es schon; sie wird nicht überschrieben",
                        "Einen anderen --slug wählen.",
                    )
                ]
            )
            return 1
    content_dir.mkdir(parents=True, exist_ok=True)
    empty = ImportedText(date=when, caption=None, credit=None, teaser=False, blocks=())
    target.write_text(
        article_file(empty, title=title, date=when, slug=slug, seed=None).rstrip("\n") + "\n\n", encoding="utf-8"
    )
    notes.write_text(NOTES_TEMPLATE.format(title=title), encoding="utf-8")
    print(f"{shown(target)} und {shown(notes)} angelegt.")
    print("Noch zu tun: den Originaltext unter den Kopf setzen, summary: ergänzen, dann Anmerkungen schreiben.")
    return 0


def run_stats(root: Path) -> int:
    """Per article: terms, notes, links; per glossary entry: occurrences; what is thin."""
    from .site import prepare_site

    try:
        built = prepare_site(root, search=False)
    except BuildFailed as failure:
        print_problems(failure.problems)
        return 1
    for line in stats_lines(built):
        print(line)
    return 0


def stats_lines(built: Built) -> list[str]:
    """The statistics as aligned text lines."""
    resolved, texts, derived = built.resolved, built.texts, built.derived
    lines = [
        "Artikel                                              Begriffe  Stellen  Anmerk.  Verweise  erwähnt in",
        "-" * 103,
    ]
    for article in resolved.timeline:
        body = texts.articles[article.slug]
        terms = derived.index.by_article[article.slug]
        notes = sum(p.key.startswith("note:") for p in body.placed)
        links = len(texts.outbound[article.slug])
        mentioned = len(derived.backlinks[article.slug])
        lines.append(
            f"{article.slug[:52]:<52} {len(terms):>8} {sum(t.occurrences for t in body.tallies):>8} {notes:>8} "
            f"{links:>9} {mentioned:>11}"
        )
    lines += ["", "Glossareintrag                              Vorkommen  Artikel", "-" * 62]
    counts = derived.index.counts
    for entry in sorted(resolved.glossary.entries, key=lambda e: (-counts[e.id], e.id)):
        lines.append(f"{entry.id[:42]:<42} {counts[entry.id]:>10} {len(derived.index.tallies[entry.id]):>8}")
    unused = [e.id for e in resolved.glossary.entries if not counts[e.id]]
    without = [
        a.slug for a in resolved.timeline if not any(p.key.startswith("note:") for p in texts.articles[a.slug].placed)
    ]
    lines += [
        "",
        f"Einträge ohne Vorkommen: {', '.join(unused) or 'keine'}",
        f"Artikel ohne Anmerkungen: {', '.join(without) or 'keine'}",
    ]
    return lines + warning_lines(built.problems)


def warning_lines(problems: list[Problem]) -> list[str]:
    """The work left: the warnings grouped by file, most first, each with its line."""
    by_file: dict[str, list[Problem]] = {}
    for problem in sorted(p for p in problems if p.severity == "warning"):
        by_file.setdefault(problem.file, []).append(problem)
    if not by_file:
        return ["", "Offene Warnungen: keine"]
    count = sum(map(len, by_file.values()))
    lines = ["", f"Offene Warnungen: {count} in {len(by_file)} {'Datei' if len(by_file) == 1 else 'Dateien'}"]
    for file, found in sorted(by_file.items(), key=lambda item: (-len(item[1]), item[0])):
        lines.append(f"{file} ({len(found)})")
        lines += [f"  Zeile {p.line}: {p.message}" for p in found]
    return lines
