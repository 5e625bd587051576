"""The loaded edition in, the cross-article facts out: time order, neighbours, link targets, and the
glossary's index derived from what rendering found; plus the checks that span files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .glossary import Entry, Glossary
from .links import LinkTargets
from .model import Article, Edition, Occurrence, Page, Rendered
from .problems import Problem

# Top-level paths the site itself uses; a page may not take one of them.
RESERVED_PATHS = frozenset({"artikel", "assets", "glossar", "chronik", "suche", "annotationen"})


@dataclass(frozen=True)
class Neighbours:
    """The articles before and after one article in time."""

    previous: Article | None
    next: Article | None


@dataclass(frozen=True)
class Resolved:
    """The edition with its articles in time order, each article's neighbours, and the glossary."""

    edition: Edition
    glossary: Glossary
    timeline: tuple[Article, ...]
    neighbours: Mapping[str, Neighbours]

    @property
    def pages(self) -> tuple[Page, ...]:
        """The edition's own pages, sorted by slug."""
        return self.edition.pages


@dataclass(frozen=True)
class Mention:
    """An occurrence of a glossary entry in one article."""

    article: Article
    occurrence: Occurrence


@dataclass(frozen=True)
class TermIndex:
    """Where each entry occurs (articles in time order), and which entries each article uses."""

    by_entry: Mapping[str, tuple[Mention, ...]]
    by_article: Mapping[str, tuple[Entry, ...]]


def order_by_time(articles: tuple[Article, ...]) -> tuple[Article, ...]:
    """Oldest first; same dates by slug, so the order never depends on the file system."""
    return tuple(sorted(articles, key=lambda a: (a.date, a.slug)))


def find_neighbours(timeline: tuple[Article, ...]) -> dict[str, Neighbours]:
    """Previous and next article in time, for each article."""
    return {
        article.slug: Neighbours(
            timeline[index - 1] if index > 0 else None,
            timeline[index + 1] if index + 1 < len(timeline) else None,
        )
        for index, article in enumerate(timeline)
    }


def check_page_paths(edition: Edition) -> list[Problem]:
    """A page may not take a path that the site uses for something else."""
    return [
        Problem(page.source.file, 1, 1, f"Die Seite „{page.slug}“ belegt eine Adresse, die die Ausgabe selbst braucht",
                f"Datei umbenennen; reserviert sind: {', '.join(sorted(RESERVED_PATHS))}.")
        for page in edition.pages if page.slug in RESERVED_PATHS
    ]


def resolve_edition(edition: Edition, glossary: Glossary) -> tuple[Resolved, list[Problem]]:
    """Order the articles, find neighbours, and check what only the whole edition can tell."""
    timeline = order_by_time(edition.articles)
    return Resolved(edition, glossary, timeline, find_neighbours(timeline)), check_page_paths(edition)


def link_targets(resolved: Resolved) -> LinkTargets:
    """Every name an editor may link to in Markdown, with its path below the site root."""
    paths = {f"artikel:{a.slug}": a.url for a in resolved.timeline}
    paths |= {f"glossar:{e.id}": e.url for e in resolved.glossary.entries}
    paths |= {f"seite:{p.slug}": p.url for p in resolved.pages}
    paths |= {"seite:start": "", "glossar:": "glossar/"}
    return LinkTargets(paths)


def index_terms(resolved: Resolved, bodies: Mapping[str, Rendered]) -> tuple[TermIndex, list[Problem]]:
    """Derive the glossary's index from what the term rule reported; entries found nowhere are warnings."""
    entries = resolved.glossary.by_id
    by_entry: dict[str, list[Mention]] = {entry.id: [] for entry in resolved.glossary.entries}
    by_article: dict[str, tuple[Entry, ...]] = {}
    for article in resolved.timeline:
        used: dict[str, Entry] = {}
        for occurrence in bodies[article.slug].terms:
            by_entry[occurrence.entry].append(Mention(article, occurrence))
            used.setdefault(occurrence.entry, entries[occurrence.entry])
        by_article[article.slug] = tuple(used.values())
    problems = [
        Problem(resolved.glossary.file, entry.line, 1, f"Der Eintrag „{entry.term}“ kommt in keinem Artikel vor",
                "Schreibweisen prüfen (forms:) oder den Eintrag streichen, wenn er nicht gebraucht wird.", "warning")
        for entry in resolved.glossary.entries if not by_entry[entry.id]
    ]
    return TermIndex({k: tuple(v) for k, v in by_entry.items()}, by_article), problems
