"""The editors' files in `content/` in, an `Edition` of frozen dataclasses (or every problem found) out.

This is the only stage that reads the content from disk.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .cache import BuildCache
from .dates import PartialDate
from .model import Article, Edition, Page, Settings, Source
from .problems import Problem, relative_name
from .schema import load_checked
from .yamlfile import YamlDocument

FENCE = "---"
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file in NFC-agnostic form; a file that is not UTF-8 is a problem, not a crash."""
    try:
        return path.read_text(encoding="utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [
            Problem(
                name,
                1,
                1,
                f"Die Datei ist nicht in UTF-8 gespeichert ({exc.reason})",
                "Im Editor als „UTF-8“ speichern.",
            )
        ]


def split_front_matter(text: str, name: str) -> tuple[str, str, int, list[Problem]]:
    """Split `---` YAML front matter from the Markdown body; return both and the body's first line."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return (
            "",
            text,
            1,
            [
                Problem(
                    name,
                    1,
                    1,
                    "Die Datei beginnt nicht mit einem Kopf (Front Matter)",
                    "Erste Zeile „---“, dann die Angaben (title: …), dann wieder „---“.",
                )
            ],
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2, []
    return (
        "",
        text,
        1,
        [
            Problem(
                name,
                1,
                1,
                "Der Kopf (Front Matter) wird nicht mit „---“ geschlossen",
                "Nach der letzten Angabe eine Zeile „---“ einfügen.",
            )
        ],
    )


def read_markdown(
    path: Path, root: Path, schema: str, cache: BuildCache | None = None
) -> tuple[YamlDocument | None, str, Source, list[Problem]]:
    """Read a Markdown file with front matter, checked against `schemas/<schema>.schema.json`."""
    name = relative_name(path, root)
    text, problems = read_text(path, name)
    source = Source(name, 1)
    if text is None:
        return None, "", source, problems
    head, body, body_line, problems = split_front_matter(text.replace("\r\n", "\n"), name)
    source = Source(name, body_line)
    if problems:
        return None, body, source, problems
    document, problems = load_checked(head, name, schema, line_offset=1, cache=cache)
    if not problems and not isinstance(document.data, dict):
        problems.append(document.problem((), "Der Kopf muss aus Angaben der Form „schlüssel: wert“ bestehen"))
    return (None if problems else document), body, source, problems


def load_settings(path: Path, root: Path, cache: BuildCache | None = None) -> tuple[Settings | None, list[Problem]]:
    """Read `content/edition.yaml`: name, description and public address of the edition."""
    name = relative_name(path, root)
    if not path.exists():
        return None, [
            Problem(name, 1, 1, "Die Einstellungsdatei fehlt", "content/edition.yaml anlegen (siehe README).")
        ]
    text, problems = read_text(path, name)
    if text is None:
        return None, problems
    document, problems = load_checked(text, name, "edition", cache=cache)
    if problems:
        return None, problems
    if not isinstance(document.data, dict):
        return None, [document.problem((), "Die Einstellungen müssen aus Angaben der Form „schlüssel: wert“ bestehen")]
    data: dict[str, Any] = document.data
    settings = Settings(data["title"], data["subtitle"], data["description"], data["publisher"], data.get("url", ""))
    return settings, []


def load_article(path: Path, root: Path, cache: BuildCache | None = None) -> tuple[Article | None, list[Problem]]:
    """Read one article file: front matter checked, date parsed, slug matching the file name."""
    document, body, source, problems = read_markdown(path, root, "article", cache)
    if document is None:
        return None, problems
    data: dict[str, Any] = document.data
    try:
        date = PartialDate.parse(data["date"])
    except ValueError as exc:
        problems.append(document.problem(("date",), str(exc), "Form JJJJ-MM oder JJJJ-MM-TT, z. B. 2023-09."))
    if data["slug"] != path.stem:
        problems.append(
            document.problem(
                ("slug",),
                f"slug „{data['slug']}“ passt nicht zum Dateinamen „{path.name}“",
                f"Datei in „{data['slug']}.md“ umbenennen oder slug: {path.stem} eintragen.",
            )
        )
    if not body.strip():
        problems.append(
            Problem(
                source.file,
                source.body_line,
                1,
                "Der Artikel hat keinen Text",
                "Den Originaltext unter den Kopf setzen (oder mit „build.py import“ übernehmen).",
            )
        )
    if problems:
        return None, problems
    article = Article(
        slug=data["slug"],
        title=data["title"],
        summary=data.get("summary"),
        date=date,
        seed=data.get("seed"),
        caption=data.get("caption"),
        credit=data.get("credit"),
        teaser=bool(data.get("teaser", False)),
        body=body,
        source=source,
    )
    if article.summary is None:
        problems.append(
            document.problem(
                (),
                "Der Artikel hat keine Zusammenfassung (summary)",
                "summary: mit ein oder zwei Sätzen ergänzen; die Startseite zeigt sie.",
                severity="warning",
            )
        )
    return article, problems


def load_page(path: Path, root: Path, slug: str, cache: BuildCache | None = None) -> tuple[Page | None, list[Problem]]:
    """Read one page of the edition's own (about, guides, the front page's text)."""
    document, body, source, problems = read_markdown(path, root, "page", cache)
    if document is None:
        return None, problems
    data: dict[str, Any] = document.data
    if "body_from" in data:
        return include_body(root, data["body_from"], document, slug, data, body)
    return Page(slug, data["title"], data.get("summary"), body, source), []


def include_body(
    root: Path, name: str, document: YamlDocument, slug: str, data: dict[str, Any], own_body: str
) -> tuple[Page | None, list[Problem]]:
    """A page whose text lives in another file of the project (the editors' guide is EDITING.md)."""
    if own_body.strip():
        return None, [
            document.problem(
                ("body_from",),
                "Die Seite hat eigenen Text und body_from",
                "Entweder Text unter den Kopf oder body_from: – nicht beides.",
            )
        ]
    path = (root / name).resolve()
    if root.resolve() not in path.parents or not path.is_file():
        return None, [
            document.problem(
                ("body_from",),
                f"Die Datei „{name}“ gibt es im Projekt nicht",
                "Pfad relativ zum Projektordner angeben, z. B. EDITING.md.",
            )
        ]
    text, problems = read_text(path, name)
    if text is None:
        return None, problems
    first_line = 1
    if text.startswith("# "):
        # The included file's own title gives way to the page's title.
        text, first_line = text.split("\n", 1)[1] if "\n" in text else "", 2
    return Page(slug, data["title"], data.get("summary"), text, Source(name, first_line)), []


def load_edition(root: Path, cache: BuildCache | None = None) -> tuple[Edition | None, list[Problem]]:
    """Read everything under `root/content`; report every problem of every file, not only the first.

    Returns no edition only when the settings or the front page text are unusable. With a build cache, front
    matter checked by an earlier build is not parsed again."""
    content = root / "content"
    problems: list[Problem] = []
    settings, found = load_settings(content / "edition.yaml", root, cache)
    problems += found
    intro, found = load_page(content / "startseite.md", root, "", cache)
    problems += found
    articles: list[Article] = []
    unloaded: set[str] = set()
    for path in sorted((content / "artikel").glob("*.md")):
        article, found = load_article(path, root, cache)
        problems += found
        if article:
            articles.append(article)
        else:
            unloaded.add(path.stem)
    pages: list[Page] = []
    for path in sorted((content / "seiten").glob("*.md")):
        if not SLUG.fullmatch(path.stem):
            problems.append(
                Problem(
                    relative_name(path, root),
                    1,
                    1,
                    f"Der Dateiname „{path.name}“ taugt nicht als Adresse",
                    "Nur Kleinbuchstaben a–z, Ziffern und Bindestriche, z. B. fuer-redaktionen.md.",
                )
            )
            continue
        page, found = load_page(path, root, path.stem, cache)
        problems += found
        if page:
            pages.append(page)
    if not articles and not unloaded:
        problems.append(
            Problem(
                "content/artikel",
                1,
                1,
                "Es gibt keinen Artikel",
                "Mit „python build.py import TEXT.txt --title …“ einen Artikel anlegen.",
            )
        )
    if settings is None or intro is None:
        return None, problems
    # Files with errors are left out, so that the rest can still be checked; the build fails anyway.
    return Edition(settings, intro, tuple(articles), tuple(pages), frozenset(unloaded)), problems
