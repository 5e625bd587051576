"""Frozen dataclasses that carry the edition from one build stage to the next."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

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
    order: int | None = None  # position among the reports of one day, 1 the earliest
    source_date: PartialDate | None = None  # what the source's own date line says, where it has one
    # Where the front matter's title, date (or `order:`) and summary stand, for editors' messages.
    title_line: int = 0
    date_line: int = 0
    summary_line: int = 0

    @property
    def url(self) -> str:
        """Path of the article's page below the site root, as a clean URL."""
        return f"artikel/{self.slug}/"

    @property
    def source_dated(self) -> PartialDate:
        """The date the source itself gives, where it has one, else the edition's: what a citation names."""
        return self.source_date or self.date

    @property
    def date_basis(self) -> str | None:
        """What the date rests on, for readers, when not on the source's own date line; None when it does
        (or when the article was not imported from a source, so nothing is known about it)."""
        if self.seed is None:
            return None
        if self.source_date is None:
            return "Datum aus dem Text erschlossen"
        if self.source_date != self.date:
            return f"Tag aus dem Text erschlossen; die Vorlage nennt {self.source_date.german()}"
        return None


@dataclass(frozen=True)
class Manuscript:
    """An article's original text as Markdown and where it stands. Kept apart from `Article`, which pages
    receive: a page that merely lists an article cannot read its wording, so a change of wording leaves it
    as it is."""

    body: str
    source: Source


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
    stand: PartialDate | None = None  # the edition's own date: what `check` measures `stand:` values against

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
    """One place where a glossary entry occurs in a rendered text and is marked there, as the term rule reports
    it: where it has the tooltip, or where the entry's register quotes it (`Tally` counts all of them)."""

    entry: str
    anchor: str
    block: int  # the paragraph, as a reader counts (a subheading counts with the paragraph it introduces)
    text: str
    sentence: str
    tooltip: bool
    heading: bool
    # The inline run (paragraph, subheading) among the document's, 1-based, and where in it the words stand.
    inline: int = 0
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Tally:
    """How often a glossary entry counts in one text, and in how many places (paragraphs, subheadings)."""

    entry: str
    occurrences: int
    places: int


@dataclass(frozen=True)
class Placed:
    """An anchored annotation: its key, its number in reading order, and the inline run (paragraph or
    subheading, 1-based among the document's) it stands in."""

    key: str
    number: int
    inline: int
    at_edge: bool = False  # the quote starts or ends exactly where its paragraph does
    start: int = 0  # where the quote stands in its inline run's reading text
    end: int = 0


@dataclass(frozen=True)
class Unplaced:
    """An annotation whose passage was not found once: why, and what the text offers instead."""

    key: str
    found: int
    candidates: tuple[str, ...] = field(default=())
    alone: int = 0  # how often the quote stands in the text without its prefix or suffix


@dataclass(frozen=True)
class Rendered:
    """A Markdown text rendered to HTML, with what the edition's rules found in it: the glossary terms
    marked and each entry's counts, the internal links (`artikel:<slug>`, …), and the annotations anchored
    (`placed`) or not."""

    html: str
    terms: tuple[Occurrence, ...] = ()
    links: tuple[str, ...] = ()
    placed: tuple[Placed, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()
    inlines: tuple[str, ...] = ()  # the reading text of each inline run (paragraph, subheading), in NFC
    tallies: tuple[Tally, ...] = ()


@dataclass(frozen=True)
class SiteFile:
    """One file of the finished site: its path below `site/` and its bytes."""

    path: str
    content: bytes


@dataclass(frozen=True)
class Edition:
    """Everything loaded and checked: settings, the front page text, the articles, the pages; and which
    article files could not be loaded (so later stages report no follow-on errors about them)."""

    settings: Settings
    intro: Page
    articles: tuple[Article, ...]
    pages: tuple[Page, ...]
    unloaded: frozenset[str] = frozenset()  # slugs of article files that had errors, left out
    manuscripts: Mapping[str, Manuscript] = field(default_factory=dict)  # each article's text, by slug


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


class Stopwatch:
    """Times the stages of a build, for `build --timings` and the benchmark's profile."""

    def __init__(self) -> None:
        self.laps: list[tuple[str, float]] = []
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Note how long the stage that just ended took."""
        now = time.perf_counter()
        self.laps.append((stage, now - self.last))
        self.last = now
