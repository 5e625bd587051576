"""The editors' commands: check, new, stats, and the summary line, as a person runs them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from support import ROOT, article_files, note_ids


def run(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    """`python build.py --project PROJECT ARGS…`."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--project", str(project), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_check_passes_on_the_edition_and_writes_nothing(project: Path) -> None:
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    # warnings may come and go with the content and the calendar (a `stand:` that ages); errors may not
    assert re.match(rf"Prüfung: 0 Fehler, \d+ Warnung(en)?, {len(article_files(project))} Artikel", result.stdout)
    assert not (project / "site").exists() and not list(project.glob(".*.sqlite"))


def test_check_prints_every_problem_as_file_line_col_and_fails(project: Path) -> None:
    glossary = project / "glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("  term: Juche\n", "  term: Juche\n  farbe: rot\n", 1),
        encoding="utf-8",
    )
    notes = project / "content/artikel/2024-06-putin-in-pjoengjang.notes.yaml"
    notes.write_text(
        notes.read_text(encoding="utf-8").replace('quote: "Strukur"', 'quote: "Struktur"'), encoding="utf-8"
    )
    result = run(project, "check")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith(" ")]
    assert lines[0].startswith("content/artikel/2024-06-putin-in-pjoengjang.notes.yaml:")
    assert ": Fehler: Anmerkung „struktur“: Das Zitat „Struktur“ steht nicht im Artikel" in lines[0]
    assert lines[1].startswith("glossary.yaml:") and lines[1].endswith(": Fehler: Unbekannter Schlüssel „farbe“")
    assert lines[-1] == "Prüfung: 2 Fehler, 0 Warnungen."


def test_check_reports_warnings_without_failing(project: Path) -> None:
    notes = project / "content/artikel/2023-09-ankunft-im-fernen-osten.notes.yaml"
    notes.unlink()
    result = run(project, "check")
    assert result.returncode == 0
    assert (
        "content/artikel/2023-09-ankunft-im-fernen-osten.md:1:1: Warnung: Der Artikel hat keine Anmerkungen"
        in result.stderr
    )


def test_check_annotates_lines_in_github_actions(project: Path) -> None:
    glossary = project / "glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("  term: Juche\n", "  term: Juche\n  farbe: rot\n", 1),
        encoding="utf-8",
    )
    result = run(project, "check", env={**os.environ, "GITHUB_ACTIONS": "true"})
    assert any(line.startswith("::error file=glossary.yaml,line=") for line in result.stderr.splitlines())


def test_new_makes_an_article_and_its_notes_file(project: Path) -> None:
    result = run(project, "new", "Kim besucht Moskau", "--date", "2025-01")
    assert result.returncode == 0, result.stderr
    article = project / "content/artikel/2025-01-kim-besucht-moskau.md"
    text = article.read_text(encoding="utf-8")
    assert text.startswith("---\n# yaml-language-server: $schema=../../schemas/article.schema.json\n")
    assert 'title: "Kim besucht Moskau"\ndate: "2025-01"\nslug: "2025-01-kim-besucht-moskau"\n---\n' in text
    notes = (project / "content/artikel/2025-01-kim-besucht-moskau.notes.yaml").read_text(encoding="utf-8")
    assert "notes: []" in notes
    again = run(project, "new", "Kim besucht Moskau", "--date", "2025-01")
    assert again.returncode == 1 and "wird nicht überschrieben" in again.stderr
    checked = run(project, "check")
    assert "content/artikel/2025-01-kim-besucht-moskau.md" in checked.stderr and "keinen Text" in checked.stderr
    article.write_text(text + "Kim Jong Un reiste nach Moskau.\n", encoding="utf-8")
    assert run(project, "check").returncode == 0


def test_new_refuses_a_bad_date(project: Path) -> None:
    result = run(project, "new", "Titel", "--date", "Januar")
    assert result.returncode == 1 and "--date:1:1: Fehler: „Januar“ ist kein Datum" in result.stderr


def test_stats_show_where_the_edition_is_thin(project: Path) -> None:
    result = run(project, "stats")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Artikel", "Begriffe", "Stellen", "Anmerk.", "Verweise", "erwähnt", "in"]
    for article in article_files(project):
        row = next(line for line in lines if line.split()[0] == article.stem)
        assert row.split()[3] == str(len(note_ids(article.stem, project)))
    assert any(line.startswith("kim-jong-un ") for line in lines)
    assert "Artikel ohne Anmerkungen: keine" in lines
    assert any(line.startswith("Offene Warnungen: ") for line in lines)


def test_build_ends_with_one_summary_line(project: Path) -> None:
    result = run(project, "build")
    assert result.returncode == 0
    last = result.stdout.strip().splitlines()[-1]
    pages = len(list((project / "site").rglob("*.html")))
    assert last.startswith(f"{pages} Seiten,") and "Begriffe erklärt" in last and "Anmerkungen" in last
    assert last.endswith(" s") and result.stdout.count("\n") == 1
