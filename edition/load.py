"""The editors' files in `content/` in, an `Edition` of frozen dataclasses and each article's notes (or every
problem found) out.

This is the stage that reads the content from disk. YAML is checked by the `check` function it is given
(`load_checked`, or the orchestrator's memoised version of it).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from .dates import PartialDate
from .glossary import DatedFact, SourceRef, content_line, line_offsets
from .model import Article, Edition, Manuscript, Page, Settings, Source
from .notes import Anchor, Annotations, CrossLink, Note
from .problems import Problem, relative_name
from .schema import Check, load_checked
from .sources import read_mapping, read_text
from .yamlfile import YamlDocument

FENCE = "---"
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


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
    path: Path, root: Path, schema: str, check: Check = load_checked
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
    document, problems = check(head, name, schema, 1)
    if not problems and not isinstance(document.data, dict):
        problems.append(document.problem((), "Der Kopf muss aus Angaben der Form „schlüssel: wert“ bestehen"))
    return (None if problems else document), body, source, problems


def load_settings(path: Path, root: Path, check: Check = load_checked) -> tuple[Settings | None, list[Problem]]:
    """Read `content/edition.yaml`: name, description and public address of the edition."""
    name = relative_name(path, root)
    if not path.exists():
        return None, [
            Problem(name, 1, 1, "Die Einstellungsdatei fehlt", "content/edition.yaml anlegen (siehe README).")
        ]
    shape = ("Die Einstellungen müssen aus Angaben der Form „schlüssel: wert“ bestehen", "")
    document, _lines, problems = read_mapping(path, root, "edition", check, shape)
    if document is None or problems:
        return None, problems
    if document.data is None:
        return None, [document.problem((), *shape)]
    data: dict[str, Any] = document.data
    stand = PartialDate.parse(data["stand"]) if "stand" in data else None
    settings = Settings(
        data["title"], data["subtitle"], data["description"], data["publisher"], data.get("url", ""), stand=stand
    )
    return settings, []


def parse_source_date(document: YamlDocument, data: dict[str, Any]) -> tuple[PartialDate | None, list[Problem]]:
    """The date the source's own date line gives (`source_date:`), if the front matter records one."""
    if "source_date" not in data:
        return None, []
    try:
        return PartialDate.parse(data["source_date"]), []
    except ValueError as exc:
        return None, [document.problem(("source_date",), str(exc), "Form JJJJ-MM oder JJJJ-MM-TT, z. B. 2023-09.")]


def check_article_date(document: YamlDocument, article: Article) -> list[Problem]:
    """The date agrees with the source's date line, and a position within a day needs a date to the day."""
    problems = []
    if article.source_date and not article.date.iso().startswith(article.source_date.iso()):
        problems.append(
            document.problem(
                ("date",),
                f"Das Datum {article.date.iso()} widerspricht der date-Zeile der Vorlage ({article.source_date.iso()})",
                "date: innerhalb des Datums der Vorlage wählen, nur genauer (z. B. 2023-09 → 2023-09-12).",
            )
        )
    if article.order is not None and not article.date.day:
        problems.append(
            document.problem(
                ("order",),
                "order: ordnet nur Berichte desselben Tages, das Datum nennt aber keinen Tag",
                "date: auf den Tag genau angeben (JJJJ-MM-TT) oder order: streichen.",
                severity="warning",
            )
        )
    return problems


def load_article(
    path: Path, root: Path, check: Check = load_checked
) -> tuple[tuple[Article, Manuscript] | None, list[Problem]]:
    """Read one article file: front matter checked, date parsed, slug matching the file name; the article
    and, apart from it, its text."""
    document, body, source, problems = read_markdown(path, root, "article", check)
    if document is None:
        return None, problems
    data: dict[str, Any] = document.data
    try:
        date = PartialDate.parse(data["date"])
    except ValueError as exc:
        problems.append(document.problem(("date",), str(exc), "Form JJJJ-MM oder JJJJ-MM-TT, z. B. 2023-09."))
    source_date, found = parse_source_date(document, data)
    problems += found
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
        order=data.get("order"),
        source_date=source_date,
        title_line=document.where(("title",))[0],
        date_line=document.where(("order",) if "order" in data else ("date",))[0],
        summary_line=document.where(("summary",))[0],
    )
    problems += check_article_date(document, article)
    if article.summary is None:
        problems.append(
            document.problem(
                (),
                "Der Artikel hat keine Zusammenfassung (summary)",
                "summary: mit ein oder zwei Sätzen ergänzen; die Startseite zeigt sie.",
                severity="warning",
            )
        )
    return (article, Manuscript(body, source)), problems


def load_page(path: Path, root: Path, slug: str, check: Check = load_checked) -> tuple[Page | None, list[Problem]]:
    """Read one page of the edition's own (about, guides, the front page's text)."""
    document, body, source, problems = read_markdown(path, root, "page", check)
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


def with_base_url(settings: Settings, base_url: str | None) -> Settings:
    """Settings with the public address replaced, as the deploy workflow asks."""
    if not base_url:
        return settings
    return replace(settings, url=base_url if base_url.endswith("/") else base_url + "/")


def load_edition(root: Path, check: Check = load_checked) -> tuple[Edition | None, list[Problem]]:
    """Read everything under `root/content`; report every problem of every file, not only the first.

    Returns no edition only when the settings or the front page text are unusable."""
    content = root / "content"
    problems: list[Problem] = []
    settings, found = load_settings(content / "edition.yaml", root, check)
    problems += found
    intro, found = load_page(content / "startseite.md", root, "", check)
    problems += found
    articles: list[Article] = []
    manuscripts: dict[str, Manuscript] = {}
    unloaded: set[str] = set()
    for path in sorted((content / "artikel").glob("*.md")):
        loaded, found = load_article(path, root, check)
        problems += found
        if loaded:
            articles.append(loaded[0])
            manuscripts[loaded[0].slug] = loaded[1]
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
        page, found = load_page(path, root, path.stem, check)
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
    return Edition(settings, intro, tuple(articles), tuple(pages), frozenset(unloaded), manuscripts), problems


# --- notes beside each article ----------------------------------------------------------------


def _anchor(data: dict[str, Any]) -> Anchor:
    return Anchor(data["quote"], data.get("prefix", ""), data.get("suffix", ""))


def _dates(data: dict[str, Any]) -> tuple[DatedFact, ...]:
    return tuple(DatedFact(PartialDate.parse(d["date"]), d["event"]) for d in data.get("dates", ()))


def check_notes(document: YamlDocument) -> list[Problem]:
    """What the schema cannot say: unique note ids, real dates."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, note in enumerate(document.data.get("notes", [])):
        if note["id"] in seen:
            problems.append(
                document.problem(
                    ("notes", index, "id"),
                    f"Die Kennung „{note['id']}“ gibt es in dieser Datei schon",
                    f"Jede Anmerkung braucht eine eigene id (die erste steht in Zeile {seen[note['id']]}).",
                )
            )
        seen.setdefault(note["id"], document.where(("notes", index, "id"))[0])
        paths: list[tuple[str | int, ...]] = [("written",)] if "written" in note else []
        paths += [("dates", n, "date") for n in range(len(note.get("dates", [])))]
        for path in paths:
            value = note[path[0]] if len(path) == 1 else note["dates"][path[1]]["date"]
            try:
                PartialDate.parse(value)
            except ValueError as exc:
                problems.append(
                    document.problem(("notes", index, *path), str(exc), 'Form "JJJJ-MM" oder "JJJJ-MM-TT".')
                )
        if "\n\n" in note["text"].strip():
            problems.append(
                document.problem(
                    ("notes", index, "text"),
                    "Eine Anmerkung hat nur einen Absatz",
                    "Leerzeilen im Text entfernen; Längeres gehört ins Glossar.",
                )
            )
    return problems


def load_annotations(path: Path, root: Path, check: Check = load_checked) -> tuple[Annotations | None, list[Problem]]:
    """Read and check one `<slug>.notes.yaml` file."""
    shape = ("Die Datei muss mit „notes:“ (und „links:“) beginnen", "Siehe EDITING.md, „Eine Anmerkung schreiben“.")
    document, lines, problems = read_mapping(path, root, "notes", check, shape)
    if document is None or problems:
        return None, problems
    if document.data is None:
        return Annotations(relative_name(path, root)), []
    name = document.file
    problems = check_notes(document)
    if problems:
        return None, problems
    notes = tuple(
        Note(
            id=n["id"],
            kind=n["kind"],
            anchor=_anchor(n),
            text=n["text"],
            written=PartialDate.parse(n["written"]) if "written" in n else None,
            correct=n.get("correct"),
            dates=_dates(n),
            sources=tuple(SourceRef(s["title"], s.get("url")) for s in n["sources"]),
            line=document.where(("notes", i, "quote"))[0],
            text_line=content_line(lines, document.where(("notes", i, "text"))[0]),
            stand=PartialDate.parse(n["stand"]) if "stand" in n else None,
            stand_line=document.where(("notes", i, "stand"))[0],
            text_offsets=line_offsets(lines, content_line(lines, document.where(("notes", i, "text"))[0]), n["text"]),
            sources_line=document.where(("notes", i, "sources"), key=True)[0],
        )
        for i, n in enumerate(document.data.get("notes", []))
    )
    links = tuple(
        CrossLink(_anchor(link), link["article"], document.where(("links", i, "quote"))[0])
        for i, link in enumerate(document.data.get("links", []))
    )
    return Annotations(name, notes, links), []


def load_all_annotations(
    content: Path, root: Path, slugs: set[str], check: Check = load_checked
) -> tuple[dict[str, Annotations], list[Problem]]:
    """Every article's annotations by slug; a notes file without its article is an error."""
    found: dict[str, Annotations] = {}
    problems: list[Problem] = []
    for path in sorted(content.glob("*.notes.yaml")):
        slug = path.name.removesuffix(".notes.yaml")
        if slug not in slugs:
            problems.append(
                Problem(
                    relative_name(path, root),
                    1,
                    1,
                    f"Zu „{slug}“ gibt es keinen Artikel",
                    "Die Datei so nennen wie den Artikel: <slug>.notes.yaml neben <slug>.md.",
                )
            )
            continue
        annotations, more = load_annotations(path, root, check)
        problems += more
        if annotations:
            found[slug] = annotations
    return found, problems
