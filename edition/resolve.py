"""An `Edition` in, the cross-article facts out: time order, neighbours, and the checks that span files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .model import Article, Edition, Page
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
    """The edition with its articles in time order and each article's neighbours."""

    edition: Edition
    timeline: tuple[Article, ...]
    neighbours: Mapping[str, Neighbours]

    @property
    def pages(self) -> tuple[Page, ...]:
        """The edition's own pages, sorted by slug."""
        return self.edition.pages


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


def resolve_edition(edition: Edition) -> tuple[Resolved, list[Problem]]:
    """Order the articles, find neighbours, and check what only the whole edition can tell."""
    timeline = order_by_time(edition.articles)
    return Resolved(edition, timeline, find_neighbours(timeline)), check_page_paths(edition)
