"""Every message the build can give, each caused by a real broken file: file, line and wording checked.

(Messages covered elsewhere: test_load.py, test_glossary.py, test_notes.py, test_importer.py, test_build.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import set_front_matter_line

from edition.commands import run_import
from edition.model import SiteFile
from edition.problems import BuildFailed
from edition.site import build_site
from edition.write import check_unique_paths


def problems(project: Path) -> list[tuple[str, int, str]]:
    """(file, line, message) of every problem of a failing build."""
    with pytest.raises(BuildFailed) as failure:
        build_site(project, project / "site")
    return [(p.file, p.line, p.message) for p in failure.value.problems if p.severity == "error"]


def replace_in(project: Path, name: str, old: str, new: str) -> int:
    """Replace text in a project file; return the line where the replacement starts."""
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


GLOSSARY = "glossary.yaml"
ARTICLE = "content/artikel/2019-04-gipfel-in-wladiwostok.md"
NOTES = "content/artikel/2019-04-gipfel-in-wladiwostok.notes.yaml"


def test_form_repeating_the_headword(project: Path) -> None:
    line = replace_in(project, GLOSSARY, "  forms: [Dschutsche,", "  forms: [Juche, Dschutsche,")
    assert problems(project) == [(GLOSSARY, line, "Die Schreibweise „Juche“ steht in diesem Eintrag doppelt")]


def test_impossible_date_in_glossary(project: Path) -> None:
    line = replace_in(project, GLOSSARY, '{date: "2011-12-17", event:', '{date: "2011-12-32", event:')
    assert problems(project) == [(GLOSSARY, line, "„2011-12-32“: den 32. Tag gibt es in diesem Monat nicht")]


def test_entry_id_that_is_not_a_slug(project: Path) -> None:
    line = replace_in(project, GLOSSARY, "\njuche:\n", "\nJuche:\n") + 1
    found = problems(project)
    assert (GLOSSARY, line, "„Juche“ ist als Kennung nicht erlaubt") in found


def test_coordinates_out_of_range(project: Path) -> None:
    text = (project / GLOSSARY).read_text(encoding="utf-8")
    start = text.index("\nchassan:\n")
    old = text[text.index("  coordinates: {lat: ", start) :].split("\n", 1)[0]
    line = replace_in(project, GLOSSARY, old, "  coordinates: {lat: 142.5, lon: 130.6}")
    assert problems(project) == [(GLOSSARY, line, "„lat“: 142.5 liegt außerhalb des erlaubten Bereichs")]


def test_repeated_value_in_a_list(project: Path) -> None:
    line = replace_in(project, GLOSSARY, "  forms: [Dschutsche,", "  forms: [Dschutsche, Dschutsche,")
    assert problems(project) == [(GLOSSARY, line, "„forms“ enthält einen Wert doppelt")]


def test_definition_too_long(project: Path) -> None:
    line = replace_in(
        project,
        GLOSSARY,
        "  definition: >-\n    Staatsideologie Nordkoreas",
        "  definition: >-\n    " + "Sehr lang " * 50 + "Staatsideologie Nordkoreas",
    )
    assert problems(project) == [(GLOSSARY, line, "„definition“ ist zu lang (höchstens 400)")]


def test_front_matter_that_is_not_a_mapping(project: Path) -> None:
    (project / "content/artikel/liste.md").write_text("---\n- eins\n- zwei\n---\n\nText\n", encoding="utf-8")
    assert problems(project) == [
        ("content/artikel/liste.md", 2, "Der Kopf muss aus Angaben der Form „schlüssel: wert“ bestehen")
    ]


def test_boolean_and_empty_values(project: Path) -> None:
    line = replace_in(project, "content/artikel/2024-06-putin-in-pjoengjang.md", "teaser: true", 'teaser: "ja"')
    path = project / ARTICLE
    summary = next(text for text in path.read_text(encoding="utf-8").splitlines() if text.startswith("summary:"))
    empty = set_front_matter_line(path, "summary", 'summary: ""\nlead:' + summary.removeprefix("summary:"))
    found = problems(project)
    assert ("content/artikel/2024-06-putin-in-pjoengjang.md", line, "„teaser“ muss true oder false sein") in found
    assert (ARTICLE, empty, "„summary“ darf nicht leer sein") in found


def test_missing_settings_and_no_articles(project: Path) -> None:
    (project / "content/edition.yaml").unlink()
    for article in (project / "content/artikel").glob("*.md"):
        article.unlink()
    assert problems(project) == [
        ("content/artikel", 1, "Es gibt keinen Artikel"),
        ("content/edition.yaml", 1, "Die Einstellungsdatei fehlt"),
    ]


def test_article_without_text(project: Path) -> None:
    (project / "content/artikel/leer.md").write_text(
        '---\ntitle: "Leer"\ndate: "2025"\nslug: "leer"\n---\n\n', encoding="utf-8"
    )
    assert problems(project) == [("content/artikel/leer.md", 6, "Der Artikel hat keinen Text")]


def test_page_file_name_and_included_text(project: Path) -> None:
    (project / "content/seiten/Über.md").write_text('---\ntitle: "x"\n---\n\nText\n', encoding="utf-8")
    (project / "content/seiten/gast.md").write_text(
        '---\ntitle: "Gast"\nbody_from: "FEHLT.md"\n---\n', encoding="utf-8"
    )
    (project / "content/seiten/beides.md").write_text(
        '---\ntitle: "B"\nbody_from: "EDITING.md"\n---\n\nText\n', encoding="utf-8"
    )
    assert problems(project) == [
        ("content/seiten/beides.md", 3, "Die Seite hat eigenen Text und body_from"),
        ("content/seiten/gast.md", 3, "Die Datei „FEHLT.md“ gibt es im Projekt nicht"),
        ("content/seiten/Über.md", 1, "Der Dateiname „Über.md“ taugt nicht als Adresse"),
    ]


def test_forbidden_link_in_a_page(project: Path) -> None:
    line = replace_in(project, "content/seiten/ueber.md", "## Die Texte", "## Die Texte\n\n[Datei](file:///etc/passwd)")
    assert problems(project) == [
        ("content/seiten/ueber.md", line + 2, "Die Adresse „file:///etc/passwd“ ist nicht erlaubt")
    ]


def test_note_with_two_paragraphs_and_a_bad_date(project: Path) -> None:
    line = replace_in(
        project,
        NOTES,
        "    text: >-\n      Das Treffen fand",
        "    text: |-\n      Erster Absatz.\n\n      Das Treffen fand",
    )
    date = replace_in(project, NOTES, 'written: "2026-11"', 'written: "2026-13"')
    assert problems(project) == [
        (NOTES, date, "„2026-13“: den Monat 13 gibt es nicht"),
        (NOTES, line, "Eine Anmerkung hat nur einen Absatz"),
    ]


def test_cross_link_to_itself(project: Path) -> None:
    notes = "content/artikel/2023-09-kim-in-russland-eingetroffen.notes.yaml"
    line = replace_in(
        project, notes, "article: 2019-04-gipfel-in-wladiwostok", "article: 2023-09-kim-in-russland-eingetroffen"
    )
    assert problems(project) == [(notes, line - 1, "Ein Artikel verweist hier auf sich selbst")]


def test_template_syntax_error(project: Path) -> None:
    line = replace_in(project, "templates/article.html", "{% if article.caption %}", "{% if article.caption %")
    [(file, found_line, message)] = problems(project)
    # Jinja notices the unclosed tag where the next one begins
    assert file == "templates/article.html" and found_line in (line, line + 1)
    assert message.startswith("Syntaxfehler in der Vorlage")


def test_yaml_that_cannot_be_read_at_all(project: Path) -> None:
    (project / GLOSSARY).write_text("juche:\n  term: Ju\x07che\n", encoding="utf-8")
    [(file, line, message)] = problems(project)
    assert (file, line) == (GLOSSARY, 2) and message.startswith("YAML-Fehler") and "#x0007" in message


def test_two_pages_on_one_path() -> None:
    files = [SiteFile("a/index.html", b""), SiteFile("b/index.html", b""), SiteFile("a/index.html", b"x")]
    [problem] = check_unique_paths(files)
    # what an editor needs: which path, that two pages collide there, and what to change
    assert (problem.file, problem.line, problem.severity) == ("a/index.html", 1, "error")
    assert "„a/index.html“" in problem.message and "Zwei Seiten" in problem.message
    assert "Slug" in problem.hint


def test_import_of_missing_empty_and_non_utf8_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_import(tmp_path / "fehlt.txt", tmp_path, title="T", date="2020", slug=None, summary=None) == 1
    (tmp_path / "leer.txt").write_text("\n\n", encoding="utf-8")
    assert run_import(tmp_path / "leer.txt", tmp_path, title="T", date="2020", slug=None, summary=None) == 1
    (tmp_path / "latin.txt").write_bytes("Gr\xfc\xdfe".encode("latin-1"))
    assert run_import(tmp_path / "latin.txt", tmp_path, title="T", date="2020", slug=None, summary=None) == 1
    errors = capsys.readouterr().err
    assert f"{tmp_path / 'fehlt.txt'}:1:1: Fehler: Die Textdatei gibt es nicht" in errors
    assert "leer.txt:1:1: Fehler: Die Datei enthält keinen Text" in errors
    assert "latin.txt:1:1: Fehler: Die Textdatei ist nicht in UTF-8 gespeichert" in errors
