"""Loading content/: front matter checked by the schema, every problem with file, line and hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import set_front_matter_line

from edition.load import load_edition
from edition.problems import BuildFailed
from edition.site import build_site

ARTICLE = "content/artikel/2019-04-gipfel-in-wladiwostok.md"


def rewrite(project: Path, name: str, old: str, new: str) -> None:
    """Replace one piece of text in a project file, making sure it was there."""
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(project: Path) -> list[tuple[str, int, str]]:
    """(file, line, message) of every problem loading the project."""
    _edition, problems = load_edition(project)
    return [(p.file, p.line, p.message) for p in problems]


def test_the_real_content_loads_without_problems(project: Path) -> None:
    assert problems_of(project) == []


def test_unknown_key_is_named_with_its_line(project: Path) -> None:
    rewrite(project, ARTICLE, "slug:", 'titel: "Tippfehler"\nslug:')
    problems = load_edition(project)[1]
    assert [(p.file, p.line, p.message) for p in problems] == [(ARTICLE, 6, "Unbekannter Schlüssel „titel“")]
    assert "Erlaubt sind:" in problems[0].hint and "title" in problems[0].hint


def test_missing_title_and_bad_date_in_two_files_are_reported_together(project: Path) -> None:
    other = "content/artikel/2024-06-putin-in-pjoengjang.md"
    set_front_matter_line(project / ARTICLE, "title", None)
    line = set_front_matter_line(project / other, "date", 'date: "2024-13"')
    assert problems_of(project) == [
        (ARTICLE, 3, "Pflichtfeld „title“ fehlt"),  # the mapping starts on line 3, after `---` and the schema line
        (other, line, "„2024-13“: den Monat 13 gibt es nicht"),
    ]


def test_date_of_the_wrong_form_points_at_the_date_line(project: Path) -> None:
    line = set_front_matter_line(project / ARTICLE, "date", "date: April 2019")
    assert problems_of(project) == [(ARTICLE, line, "„date“: „April 2019“ hat nicht die erwartete Form")]


def test_yaml_syntax_error_in_front_matter_points_at_the_file_line(project: Path) -> None:
    rewrite(project, ARTICLE, 'slug: "2019-04-gipfel-in-wladiwostok"', 'slug: "2019-04-gipfel-in-wladiwostok')
    [(file, line, message)] = problems_of(project)
    assert file == ARTICLE and line in (6, 7) and message.startswith("YAML-Syntaxfehler")


def test_slug_must_match_file_name(project: Path) -> None:
    rewrite(project, ARTICLE, 'slug: "2019-04-gipfel-in-wladiwostok"', 'slug: "gipfel"')
    [(file, line, message)] = problems_of(project)
    assert (file, line) == (ARTICLE, 6) and "passt nicht zum Dateinamen" in message


def test_missing_front_matter_and_unclosed_front_matter(project: Path) -> None:
    (project / "content/artikel/ohne-kopf.md").write_text("Nur Text.\n", encoding="utf-8")
    (project / "content/artikel/offen.md").write_text("---\ntitle: x\n\nText\n", encoding="utf-8")
    assert problems_of(project) == [
        ("content/artikel/offen.md", 1, "Der Kopf (Front Matter) wird nicht mit „---“ geschlossen"),
        ("content/artikel/ohne-kopf.md", 1, "Die Datei beginnt nicht mit einem Kopf (Front Matter)"),
    ]


def test_file_that_is_not_utf8(project: Path) -> None:
    (project / "content/artikel/latin1.md").write_bytes("---\ntitle: Gr\xfc\xdfe\n---\n".encode("latin-1"))
    [(file, line, message)] = problems_of(project)
    assert (file, line) == ("content/artikel/latin1.md", 1) and "UTF-8" in message


def test_missing_summary_is_only_a_warning(project: Path) -> None:
    rewrite(project, ARTICLE, "summary:", "# summary:")
    edition, problems = load_edition(project)
    assert edition is not None
    assert [(p.severity, p.line) for p in problems] == [("warning", 3)]


def test_page_may_not_take_a_reserved_path(project: Path) -> None:
    (project / "content/seiten/glossar.md").write_text('---\ntitle: "Glossar"\n---\n\nText\n', encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build_site(project, project / "site")
    assert [p.file for p in failure.value.problems] == ["content/seiten/glossar.md"]


def test_broken_settings_are_reported(project: Path) -> None:
    rewrite(project, "content/edition.yaml", 'title: "Kim und Putin"', 'title: "Kim und Putin"\nurl: "example.org"')
    assert problems_of(project) == [("content/edition.yaml", 6, "„url“: „example.org“ hat nicht die erwartete Form")]
