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
from .cache import fingerprint
from .geomap import MapDrawing
from .glossary import KIND_LABELS, KIND_SLUGS, Entry, Glossary, german_sort_key
from .model import Article, Page, Rendered, Settings, SiteFile, Tally
from .notes import Note
from .parallel import SERIAL, Workers
from .resolve import Event, Mention, Related, Resolved, TermIndex
from .sentences import first_sentence
from .terms import PASSAGES_PER_ARTICLE


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
    env.globals["kind_slugs"] = KIND_SLUGS
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
    marks = spread_marks(
        [
            (x_of(year), year, len(found), "article" if any(e.kind == "article" for e in found) else "event")
            for year, found in sorted(counts.items())
        ]
    )
    return Axis(width, height, ticks, marks, modern if split else None)


MARK_RADIUS = {"article": 7, "event": 4}


def spread_marks(marks: list[tuple[float, int, int, str]], gap: float = 1.5) -> tuple[tuple[float, int, int, str], ...]:
    """Move each year's circle right as far as needed to keep it clear of the one before (years close together
    in the compressed past would otherwise overlap)."""
    placed: list[tuple[float, int, int, str]] = []
    for x, year, count, kind in marks:
        if placed:
            before = placed[-1]
            x = max(x, round(before[0] + MARK_RADIUS[before[3]] + MARK_RADIUS[kind] + gap, 1))
        placed.append((x, year, count, kind))
    return tuple(placed)


def format_coordinates(point: tuple[float, float]) -> str:
    """Latitude and longitude the German way: `39,02° N, 125,75° O`."""
    lat, lon = point
    north = f"{abs(lat):.2f}".replace(".", ",") + ("° N" if lat >= 0 else "° S")
    east = f"{abs(lon):.2f}".replace(".", ",") + ("° O" if lon >= 0 else "° W")
    return f"{north}, {east}"


@dataclass(frozen=True)
class RegisterGroup:
    """One article's part of an entry's register: the paragraphs that name the entry and the passages to quote,
    at most `PASSAGES_PER_ARTICLE` of each, and how many more of each there are."""

    article: Article
    paragraphs: tuple[Mention, ...]
    more_paragraphs: int
    passages: tuple[Mention, ...]
    more_passages: int


def register_of(mentions: tuple[Mention, ...], tallies: Mapping[str, Tally]) -> tuple[RegisterGroup, ...]:
    """An entry's mentions as its page shows them: grouped by article, each paragraph (or heading) once in the
    list of places, each passage in the quotes, both cut at `PASSAGES_PER_ARTICLE`, the rest counted from the
    article's tally. Only what is shown goes into the page's inputs, so hashing them does not grow with how
    often an archive names the entry."""
    groups: list[tuple[Article, list[Mention], list[Mention]]] = []
    seen: set[tuple[str, bool, int]] = set()
    for mention in mentions:
        if not groups or groups[-1][0].slug != mention.article.slug:
            groups.append((mention.article, [], []))
        place = (mention.article.slug, mention.occurrence.heading, mention.occurrence.block)
        if place not in seen:
            seen.add(place)
            groups[-1][1].append(mention)
        groups[-1][2].append(mention)
    cut = PASSAGES_PER_ARTICLE
    return tuple(
        RegisterGroup(
            article,
            tuple(places[:cut]),
            tallies[article.slug].places - len(places[:cut]),
            tuple(quotes[:cut]),
            tallies[article.slug].occurrences - len(quotes[:cut]),
        )
        for article, places, quotes in groups
    )


_WORD = re.compile(r"[^\W\d_]{4,}")


def written_words(entry: Entry) -> set[str]:
    """The words (four letters or more) of an entry's term and written forms, as the articles write them."""
    return {word for form in (entry.term, *entry.forms, *entry.short_forms) for word in _WORD.findall(form)}


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
class FrontItem:
    """An article on the front page: the article, how many notes it carries, how many entries it names."""

    article: Article
    notes: int
    terms: int


@dataclass(frozen=True)
class IndexRow:
    """One line of the glossary's A–Z: the entry, its definition's first sentence, the letter it is filed
    under, and how often the articles name it."""

    entry: Entry
    gist: str
    letter: str
    mentions: int


@dataclass(frozen=True)
class KindLink:
    """A kind filter of the glossary's A–Z: the kind, its German plural, its page's slug, how many entries."""

    kind: str
    label: str
    slug: str
    count: int


def initial(term: str) -> str:
    """The letter a term is filed under in German order (Ö under O); digits and signs under „#“."""
    first = german_sort_key(term)[0][:1].upper()
    return first if "A" <= first <= "Z" else "#"


@dataclass(frozen=True)
class PageJob:
    """A page to render: its template, output path, link prefix and values."""

    path: str
    template: str
    prefix: str
    context: dict[str, Any]


class Renderer:
    """Renders each kind of page; holds only what every page shares (templates, settings, assets).

    The page methods only describe a page (`PageJob`); `page_inputs` says everything a page's bytes depend
    on, and `render_all` renders pages over all cores."""

    def __init__(
        self,
        env: Environment,
        settings: Settings,
        assets: Mapping[str, Asset],
        templates: str = "",
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.env = env
        self.settings = settings
        self.assets = assets
        self.templates = templates
        self.progress = progress
        self.versions = {name: asset.version for name, asset in assets.items()}

    def page(self, template: str, path: str, *, root: str | None = None, **context: Any) -> PageJob:
        """Describe one template rendered to the file at `path`, with links relative to that file."""
        prefix = root_for(path) if root is None else root
        return PageJob(path, template, prefix, context)

    def page_inputs(self, job: PageJob) -> tuple[object, ...]:
        """Everything a page's bytes depend on: its template (and every other, which it may include), the
        settings, the assets' versions and every value passed in."""
        return (job.template, job.path, job.prefix, self.templates, self.settings, self.versions, job.context)

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

    def render_all(self, jobs: list[PageJob], workers: Workers = SERIAL, total: int = 0) -> list[bytes]:
        """The pages' bytes, rendered by `workers`; the progress counts them among `total` pages."""
        total = max(total, len(jobs))

        def advance(done: int) -> None:
            if self.progress and total:
                self.progress(total - len(jobs) + done, total)

        return workers.map(self.render_job, jobs, progress=advance)

    def index(
        self,
        resolved: Resolved,
        intro: Rendered,
        bodies: Mapping[str, Rendered],
        index: TermIndex,
        events: tuple[Event, ...],
    ) -> PageJob:
        """The front page: what the edition is, the articles in time order with how much the edition adds to
        each (as rendering found it), and the other ways in."""
        articles = [
            FrontItem(
                article,
                sum(1 for placed in bodies[article.slug].placed if placed.key.startswith("note:")),
                len(index.by_article[article.slug]),
            )
            for article in resolved.timeline
        ]
        named = sum(1 for count in index.counts.values() if count)
        dated = [event for event in events if event.kind != "article"]
        return self.page(
            "index.html",
            "index.html",
            intro=intro.html,
            intro_title=resolved.edition.intro.title,
            articles=articles,
            entries=named,
            events=len(dated),
            span=(dated[0].date.year, dated[-1].date.year) if dated else None,
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

    def search(self, glossary: Glossary, parts: int = 1) -> list[PageJob | SiteFile]:
        """The search page (it loads the search bundle, in `parts` parts, only when the reader searches), and
        the words it may suggest for a query with no good hit: every word of the glossary's written forms."""
        words = sorted(
            {word for entry in glossary.entries for word in written_words(entry)}, key=lambda w: (german_sort_key(w), w)
        )
        return [
            self.page("search.html", "suche/index.html", parts=parts),
            SiteFile(
                "assets/suchwoerter.json",
                json.dumps(words, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
            ),
        ]

    def previews(self, resolved: Resolved) -> SiteFile:
        """What a link preview shows, for every article and glossary entry: headline or term, date or kind,
        summary or definition; fetched by the script on the first hover, never whole pages."""
        data = {a.url: {"t": a.title, "d": a.date.german(), "s": a.summary or ""} for a in resolved.timeline}
        data |= {
            e.url: {
                "t": e.term,
                "d": e.kind_label,
                "s": f"{e.definition} ({e.stand_label})" if e.stand else e.definition,
            }
            for e in resolved.glossary.entries
        }
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
        return self.page("timeline.html", "chronik/index.html", years=years, axis=draw_axis(events), radius=MARK_RADIUS)

    def glossary_index(self, glossary: Glossary, index: TermIndex) -> list[PageJob]:
        """The glossary as a compact A–Z (term, kind, first sentence of the definition), once with every entry
        and once per kind, so the kind filters are plain links."""
        rows = [
            IndexRow(entry, first_sentence(entry.definition), initial(entry.term), index.counts[entry.id])
            for entry in sorted(glossary.entries, key=lambda e: german_sort_key(e.term))
        ]
        kinds = [
            KindLink(kind, plural, KIND_SLUGS[kind], sum(1 for row in rows if row.entry.kind == kind))
            for kind, (_singular, plural) in KIND_LABELS.items()
        ]
        kinds = [link for link in kinds if link.count]
        pages = [
            self.page("glossary.html", "glossar/index.html", rows=rows, kinds=kinds, current=None, total=len(rows))
        ]
        pages += [
            self.page(
                "glossary.html",
                f"glossar/{link.slug}/index.html",
                rows=[row for row in rows if row.entry.kind == link.kind],
                kinds=kinds,
                current=link,
                total=len(rows),
            )
            for link in kinds
        ]
        return pages

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
            register=register_of(index.by_entry[entry.id], index.tallies[entry.id]),
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
