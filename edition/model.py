"""Frozen dataclasses that carry the edition from one build stage to the next."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .dates import PartialDate
from .problems import Problem


@dataclass(frozen=True)
class Source:
    """Where a text comes from: the file as editors name it and the line its Markdown body starts on."""

    file: str
    body_line: int


@dataclass(frozen=True)
class Article:
    """One source article: the edition's front matter and the original text as Markdown."""

    slug: str
    title: str
    summary: str | None
    date: PartialDate
    seed: str | None
    caption: str | None
    credit: str | None
    teaser: bool
    # Pages show an article's rendered body, never its source text: leaving the text out of the article's
    # fingerprint keeps a change of wording from invalidating every page that merely lists the article.
    body: str = field(metadata={"fingerprint": False})
    source: Source = field(metadata={"fingerprint": False})

    @property
    def url(self) -> str:
        """Path of the article's page below the site root, as a clean URL."""
        return f"artikel/{self.slug}/"


@dataclass(frozen=True)
class Page:
    """A page of the edition's own (about, guides), written in Markdown like an article."""

    slug: str
    title: str
    summary: str | None
    body: str
    source: Source

    @property
    def url(self) -> str:
        """Path of the page below the site root, as a clean URL."""
        return f"{self.slug}/"


@dataclass(frozen=True)
class Settings:
    """The edition's name, description and public address, from `content/edition.yaml`."""

    title: str
    subtitle: str
    description: str
    publisher: str
    url: str = ""  # the public address; empty when the build was given none
    language: str = "de"

    @property
    def base_path(self) -> str:
        """The URL's path part (`/` at a domain's root, `/REPO/` on GitHub Pages), for pages served anywhere;
        empty without a public address."""
        if not self.url:
            return ""
        rest = self.url.split("://", 1)[-1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        return path if path.endswith("/") else path + "/"


@dataclass(frozen=True)
class Occurrence:
    """One place where a glossary entry occurs in a rendered text, as the term rule reports it."""

    entry: str
    anchor: str
    block: int  # the paragraph, as a reader counts (a subheading counts with the paragraph it introduces)
    text: str
    sentence: str
    tooltip: bool
    heading: bool
    inline: int = 0  # the text block among all of the document's, 1-based, and where in it the words stand
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Rendered:
    """A Markdown text rendered to HTML, with what the edition's rules found in it: the glossary terms
    placed, the internal links (`artikel:<slug>`, …), and the annotations anchored (`placed`) or not."""

    html: str
    terms: tuple[Occurrence, ...] = ()
    links: tuple[str, ...] = ()
    placed: tuple[Any, ...] = ()
    unplaced: tuple[Any, ...] = ()
    blocks: tuple[str, ...] = ()  # the reading text of each text block (paragraph, subheading), in NFC


@dataclass(frozen=True)
class Edition:
    """Everything loaded and checked: settings, the front page text, the articles, the pages; and which
    article files could not be loaded (so later stages report no follow-on errors about them)."""

    settings: Settings
    intro: Page
    articles: tuple[Article, ...]
    pages: tuple[Page, ...]
    unloaded: frozenset[str] = frozenset()  # slugs of article files that had errors, left out


@dataclass(frozen=True)
class BuildReport:
    """What a finished build made: counts for the summary line, and the warnings to show."""

    pages: int
    articles: int
    terms_placed: int
    notes: int
    warnings: tuple[Problem, ...]
    seconds: float
    rendered: int = 0
    written: int = 0
    stages: tuple[tuple[str, float], ...] = ()

    def timings(self) -> str:
        """How long each stage took, one line."""
        return "Zeiten: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in self.stages)

    def summary(self) -> str:
        """One line for the end of every build."""
        return (
            f"{self.pages} Seiten, {self.rendered} Dateien neu gerendert, {self.written} geschrieben, "
            f"{self.articles} Artikel, {self.terms_placed} Begriffe erklärt, {self.notes} Anmerkungen, "
            f"{len(self.warnings)} Warnungen, {self.seconds:.2f} s"
        )
