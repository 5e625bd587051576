"""Resolved articles and their rendered bodies in, every page of the site as bytes out (Jinja templates)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .assets import Asset
from .cache import BuildCache, fingerprint
from .geomap import MapDrawing
from .glossary import KIND_LABELS, Entry, Glossary, german_sort_key
from .model import Article, Page, Rendered, Settings
from .notes import Note
from .parallel import SERIAL, Workers
from .resolve import Event, Mention, Related, Resolved, TermIndex


@dataclass(frozen=True)
class SiteFile:
    """One file of the finished site: its path below `site/` and its bytes."""

    path: str
    content: bytes


def make_environment(templates_dir: Path) -> Environment:
    """Jinja with autoescaping everywhere and `StrictUndefined`: a missing variable is an error."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(enabled_extensions=("html", "xml"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["coordinates"] = format_coordinates
    env.filters["groupby_article"] = group_by_article
    env.filters["bibtex_month"] = bibtex_month
    return env


BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_month(month: int) -> str:
    """A month as BibTeX's predefined macro (`4` → `apr`), which styles print in the document's language."""
    return BIBTEX_MONTHS[month - 1]


@dataclass(frozen=True)
class Axis:
    """A time axis to draw as SVG: its size, the year ticks, and one mark per year with events."""

    width: int
    height: int
    ticks: tuple[tuple[float, str], ...]
    marks: tuple[tuple[float, int, int, str], ...]  # x, year, events that year, kind
    compressed_before: int | None = None


def draw_axis(events: tuple[Event, ...], width: int = 640, height: int = 96, modern: int = 2000) -> Axis:
    """Place every year with events on a line; the years from `modern` on (where the articles are) get
    most of the width, the century before it the first third, so recent years do not crowd together."""
    if not events:
        return Axis(width, height, (), ())
    first, last = events[0].date.year, events[-1].date.year
    left, right = 24, width - 24
    split = first < modern < last
    middle = left + (right - left) * 0.3 if split else left

    def x_of(year: int) -> float:
        if split and year < modern:
            return round(left + (middle - left - 8) * (year - first) / max(1, modern - first), 1)
        start = modern if split else first
        return round(middle + (right - middle) * (year - start) / max(1, last - start), 1)

    def steps(low: int, high: int, count: int) -> range:
        step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if (high - low) / s <= count)
        return range(low + (-low) % step, high + 1, step)

    years = list(steps(first, modern - 1, 3)) + list(steps(modern, last, 5)) if split else list(steps(first, last, 8))
    ticks = tuple((x_of(year), str(year)) for year in years)
    counts: dict[int, list[Event]] = {}
    for event in events:
        counts.setdefault(event.date.year, []).append(event)
    marks = tuple(
        (x_of(year), year, len(found), "article" if any(e.kind == "article" for e in found) else "event")
        for year, found in sorted(counts.items())
    )
    return Axis(width, height, ticks, marks, modern if split else None)


def format_coordinates(point: tuple[float, float]) -> str:
    """Latitude and longitude the German way: `39,02° N, 125,75° O`."""
    lat, lon = point
    north = f"{abs(lat):.2f}".replace(".", ",") + ("° N" if lat >= 0 else "° S")
    east = f"{abs(lon):.2f}".replace(".", ",") + ("° O" if lon >= 0 else "° W")
    return f"{north}, {east}"


def group_by_article(mentions: tuple[Mention, ...]) -> list[tuple[Article, list[Mention]]]:
    """Consecutive mentions of the same article, together."""
    groups: list[tuple[Article, list[Mention]]] = []
    for mention in mentions:
        if groups and groups[-1][0].slug == mention.article.slug:
            groups[-1][1].append(mention)
        else:
            groups.append((mention.article, [mention]))
    return groups


def root_for(path: str) -> str:
    """The relative prefix from a page at `path` back to the site root (`artikel/x/index.html` → `../../`)."""
    return "../" * path.count("/")


def page_url(path: str) -> str:
    """The clean URL of an output file below the site root (`ueber/index.html` → `ueber/`)."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)
_INDENT = re.compile(r"\n[ \t]+")


def strip_indentation(html: str) -> str:
    """Drop the templates' indentation (never inside `<pre>`): a browser shows a line break and spaces alike."""
    return "".join(part if part.startswith("<pre") else _INDENT.sub("\n", part) for part in _PRE.split(html))


def templates_fingerprint(templates_dir: Path) -> str:
    """A hash of every template file, names and contents: a page depends on its template and what it includes."""
    return fingerprint(
        sorted(
            (p.relative_to(templates_dir).as_posix(), p.read_bytes()) for p in templates_dir.rglob("*") if p.is_file()
        )
    )


@dataclass(frozen=True)
class PageJob:
    """A page to render: its template, output path, link prefix and values; and the key its bytes are cached
    under (empty without a cache)."""

    path: str
    template: str
    prefix: str
    context: dict[str, Any]
    key: str


class Renderer:
    """Renders each kind of page; holds only what every page shares (templates, settings, assets), and the
    cache that lets a page whose every input is unchanged be reused instead of rendered.

    The page methods only describe a page (`PageJob`); `finish` renders all that the cache does not hold,
    over all cores, and returns every page's bytes."""

    def __init__(
        self,
        env: Environment,
        settings: Settings,
        assets: Mapping[str, Asset],
        cache: BuildCache | None = None,
        templates: str = "",
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.env = env
        self.settings = settings
        self.assets = assets
        self.cache = cache
        self.templates = templates
        self.progress = progress
        self.versions = {name: asset.version for name, asset in assets.items()}
        self.rendered = 0
        self.reused = 0
        self.used_keys: set[str] = set()

    def page(self, template: str, path: str, *, root: str | None = None, **context: Any) -> PageJob:
        """Describe one template rendered to the file at `path`, with links relative to that file; its key
        covers the template, the settings, the assets and every value passed in."""
        prefix = root_for(path) if root is None else root
        key = ""
        if self.cache is not None:
            key = fingerprint("page", template, path, prefix, self.templates, self.settings, self.versions, context)
        return PageJob(path, template, prefix, context, key)

    def render_job(self, job: PageJob) -> bytes:
        """One page's bytes: its template rendered, the templates' indentation dropped."""
        prefix = job.prefix
        html = self.env.get_template(job.template).render(
            settings=self.settings,
            root=prefix,
            home=prefix or "./",
            canonical=self.settings.url and self.settings.url + page_url(job.path),
            has_code='<pre><code class="language-' in str(job.context.get("body", "")),
            asset=lambda name: f"{prefix}assets/{name}?v={self.assets[name].version}",
            **job.context,
        )
        return (strip_indentation(html) if job.template.endswith(".html") else html).encode("utf-8")

    def finish(self, items: list[PageJob | SiteFile], workers: Workers = SERIAL) -> list[SiteFile]:
        """Every page's file, in order: cached bytes where the key is known, the rest rendered by `workers`."""
        jobs = [item for item in items if isinstance(item, PageJob)]
        found: dict[str, bytes] = {}
        if self.cache is not None:
            keys = [job.key for job in jobs]
            self.used_keys.update(keys)
            found = {key: value for key, value in self.cache.get_many(keys).items() if isinstance(value, bytes)}
        missing = [job for job in jobs if job.key not in found]
        self.reused += len(jobs) - len(missing)

        def advance(done: int) -> None:
            if self.progress and jobs:
                self.progress(len(jobs) - len(missing) + done, len(jobs))

        made = workers.map(self.render_job, missing, progress=advance)
        self.rendered += len(missing)
        if self.cache is not None:
            self.cache.put_many({job.key: content for job, content in zip(missing, made)})
        by_path = {job.path: content for job, content in zip(missing, made)}
        return [
            item
            if isinstance(item, SiteFile)
            else SiteFile(item.path, found[item.key] if item.key in found else by_path[item.path])
            for item in items
        ]

    def index(self, resolved: Resolved, intro: Rendered) -> PageJob:
        """The front page: what the edition is, then the articles in time order."""
        return self.page(
            "index.html",
            "index.html",
            intro=intro.html,
            intro_title=resolved.edition.intro.title,
            articles=resolved.timeline,
        )

    def article(
        self,
        resolved: Resolved,
        article: Article,
        body: Rendered,
        terms: tuple[Entry, ...],
        endnotes: tuple[Any, ...],
        related: tuple[Related, ...],
        backlinks: tuple[Article, ...],
    ) -> PageJob:
        """One article page at its clean URL: the text, its notes, the terms it uses, the articles around it."""
        neighbours = resolved.neighbours[article.slug]
        return self.page(
            "article.html",
            f"{article.url}index.html",
            article=article,
            body=body.html,
            terms=terms,
            endnotes=endnotes,
            related=related,
            backlinks=backlinks,
            previous=neighbours.previous,
            next=neighbours.next,
        )

    def note(self, note: Note, text_html: str, root: str) -> str:
        """A note's inner HTML as it stands at the end of the article: label, text, sources."""
        return self.fragment("_note.html", root, note=note, text=Markup(text_html))

    def cross_link(self, target: Article, root: str) -> str:
        """A cross-link's inner HTML: the target's headline and date."""
        return self.fragment("_crosslink.html", root, target=target)

    def fragment(self, template: str, root: str, **context: Any) -> str:
        """A piece of HTML for inside a page, one line, with links relative to `root`."""
        html = self.env.get_template(template).render(root=root, **context)
        return " ".join(html.split())

    def place_map(self, drawing: MapDrawing, areas: list[Entry], more: list[Entry]) -> PageJob:
        """The map of the places named in the articles, each linked to its glossary entry; places beyond the
        map's capacity (`more`) and areas are listed."""
        return self.page("map.html", "karte/index.html", map=drawing, areas=areas, more=more)

    def search(self) -> PageJob:
        """The search page; it loads the search bundle only when opened."""
        return self.page("search.html", "suche/index.html")

    def previews(self, resolved: Resolved) -> SiteFile:
        """What a link preview shows, for every article and glossary entry: headline or term, date or kind,
        summary or definition; fetched by the script on the first hover, never whole pages."""
        data = {a.url: {"t": a.title, "d": a.date.german(), "s": a.summary or ""} for a in resolved.timeline}
        data |= {e.url: {"t": e.term, "d": e.kind_label, "s": e.definition} for e in resolved.glossary.entries}
        return SiteFile(
            "assets/previews.json",
            json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"),
        )

    def timeline(self, events: tuple[Event, ...]) -> PageJob:
        """The edition's timeline: every dated event, by year, with an SVG time axis drawn here."""
        years: list[tuple[int, list[Event]]] = []
        for event in events:
            if not years or years[-1][0] != event.date.year:
                years.append((event.date.year, []))
            years[-1][1].append(event)
        return self.page("timeline.html", "chronik/index.html", years=years, axis=draw_axis(events))

    def glossary_index(
        self, glossary: Glossary, index: TermIndex, texts: Mapping[tuple[str, str], Rendered]
    ) -> PageJob:
        """All entries grouped by kind, in German alphabetical order, each with its text and occurrences."""
        groups = []
        for kind, (_singular, plural) in KIND_LABELS.items():
            members = sorted((e for e in glossary.entries if e.kind == kind), key=lambda e: german_sort_key(e.term))
            if members:
                groups.append((kind, plural, members))
        return self.page(
            "glossary.html",
            "glossar/index.html",
            groups=groups,
            index=index.by_entry,
            texts={entry_id: text.html for (entry_id, root), text in texts.items() if root == "../"},
            entries=glossary.by_id,
        )

    def glossary_entry(self, glossary: Glossary, entry: Entry, index: TermIndex, text: Rendered | None) -> PageJob:
        """One entry's page, as the register of a scholarly edition: every occurrence with its sentence."""
        # Only the entries this page names: a page's inputs are hashed, and the whole glossary on every
        # entry's page would make that grow with the square of the glossary.
        see = {target: glossary.by_id[target] for target in entry.see}
        return self.page(
            "entry.html",
            f"{entry.url}index.html",
            entry=entry,
            text=text.html if text else "",
            mentions=index.by_entry[entry.id],
            entries=see,
        )

    def content_page(self, page: Page, body: Rendered) -> PageJob:
        """A page of the edition's own, such as „Über die Ausgabe“."""
        return self.page("page.html", f"{page.url}index.html", page=page, body=body.html)

    def not_found(self) -> PageJob:
        """404 page: served at any depth by GitHub Pages, so its links start from the base path when the public
        address is known; without it they are relative to the site root, where the page itself lies."""
        return self.page("404.html", "404.html", root=self.settings.base_path)

    def feed(self, resolved: Resolved) -> PageJob:
        """Atom feed of the articles, newest first, dated by the articles (never by the build's clock)."""
        newest_first = tuple(reversed(resolved.timeline))
        return self.page("feed.xml", "feed.xml", articles=newest_first, updated=newest_first[0].date)

    def sitemap(self, urls: list[str]) -> PageJob:
        """sitemap.xml listing every HTML page by absolute URL."""
        return self.page("sitemap.xml", "sitemap.xml", urls=urls)

    def robots(self) -> PageJob:
        """robots.txt pointing crawlers at the sitemap."""
        return self.page("robots.txt", "robots.txt")
