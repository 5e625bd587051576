"""The whole build as a story: load, check and resolve, render, derive, write; a project folder in, `site/` out."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError
from markdown_it import MarkdownIt

from . import uptodate
from .assets import Asset, collect_assets
from .cache import BuildCache, cache_file, fingerprint, open_cache
from .geomap import MapDrawing, Place, draw_map, load_basemap
from .glossary import Entry, Glossary, german_sort_key, load_glossary
from .links import LinkTargets
from .load import load_edition
from .markup import make_markdown, render_markdown
from .model import Article, BuildReport, Rendered, Settings
from .notes import Annotations, Request, Unplaced, load_all_annotations, only_quotes_or_spaces_differ
from .parallel import Workers
from .problems import BuildFailed, Problem, errors_in, relative_name
from .render import PageJob, Renderer, SiteFile, make_environment, page_url, root_for, templates_fingerprint
from .resolve import (
    Event,
    Related,
    Resolved,
    TermIndex,
    check_cross_links,
    collect_events,
    find_backlinks,
    find_related,
    index_terms,
    link_targets,
    resolve_edition,
)
from .search import BUNDLE, index_for_search
from .terms import TermMatcher
from .webannotation import annotation_collection, to_json
from .write import write_site


@dataclass(frozen=True)
class Endnote:
    """One note or cross-link as it stands at the end of its article: number and inner HTML."""

    number: int
    html: str


@dataclass(frozen=True)
class RenderedTexts:
    """Every Markdown text of the edition as HTML: article bodies with their endnotes, pages, and glossary
    texts per page depth; plus the articles each article links to."""

    articles: dict[str, Rendered]
    endnotes: dict[str, tuple[Endnote, ...]]
    note_texts: dict[str, dict[str, str]]
    outbound: dict[str, set[str]]
    pages: dict[str, Rendered]
    intro: Rendered
    entries: dict[tuple[str, str], Rendered]


def fail_on_errors(problems: list[Problem]) -> None:
    """Stop the build, reporting every problem, if any of them is an error."""
    if errors_in(problems):
        raise BuildFailed(problems)


def render_text(
    md: MarkdownIt,
    text: str,
    *,
    root: str,
    file: str,
    first_line: int,
    problems: list[Problem],
    teaser: bool = False,
    inline: bool = False,
    requests: tuple[Request, ...] = (),
) -> Rendered:
    """Render one Markdown text for a page at depth `root`; its link problems go to `problems` with their line."""
    rendered, link_problems = render_markdown(
        md, text, root=root, teaser=teaser, inline=inline, requests=list(requests)
    )
    problems += [Problem(file, first_line + p.line, 1, p.message, p.hint) for p in link_problems]
    return rendered


def annotation_requests(
    article: Article,
    annotations: Annotations | None,
    resolved: Resolved,
    renderer: Renderer,
    text_md: MarkdownIt,
    problems: list[Problem],
) -> tuple[list[Request], dict[str, str], set[str], dict[str, str]]:
    """What to anchor in an article: each note and cross-link; the HTML of each as it stands at the end of
    the article; the articles they link to; and each note's text alone."""
    if annotations is None:
        return [], {}, set(), {}
    root = root_for(f"{article.url}index.html")
    requests, html, outbound, texts = [], {}, set(), {}
    for note in annotations.notes:
        text = render_text(
            text_md,
            note.text,
            root=root,
            file=annotations.file,
            first_line=note.text_line,
            problems=problems,
            inline=True,
        )
        outbound |= {link.split(":", 1)[1] for link in text.links if link.startswith("artikel:")}
        requests.append(Request(f"note:{note.id}", note.anchor))
        html[f"note:{note.id}"] = renderer.note(note, text.html, root)
        texts[f"note:{note.id}"] = text.html
    articles = resolved.by_slug
    for index, link in enumerate(annotations.links):
        if link.article in articles:
            outbound.add(link.article)
            requests.append(Request(f"link:{index}", link.anchor))
            html[f"link:{index}"] = renderer.cross_link(articles[link.article], root)
    return requests, html, outbound, texts


def unplaced_problems(annotations: Annotations, unplaced: tuple[Unplaced, ...]) -> list[Problem]:
    """Say, for each note whose passage was not found exactly once, where it is and what the text offers."""
    problems = []
    for failure in unplaced:
        kind, key = failure.key.split(":", 1)
        if kind == "note":
            note = next(n for n in annotations.notes if n.id == key)
            line, anchor, what = note.line, note.anchor, f"Anmerkung „{note.id}“"
        else:
            link = annotations.links[int(key)]
            line, anchor, what = link.line, link.anchor, f"Querverweis auf „{link.article}“"
        if failure.found == 0:
            closest = failure.candidates[0]
            if only_quotes_or_spaces_differ(anchor.quote, closest):
                hint = (
                    f"Nur Anführungszeichen oder Leerzeichen weichen ab: im Text „{closest}“, "
                    f"in der Anmerkung „{anchor.quote}“. Zeichen wie im Artikel schreiben."
                )
            else:
                hint = f"Nächste Stelle im Text: „{closest}“. Zitat an den Artikel anpassen."
            problems.append(
                Problem(annotations.file, line, 1, f"{what}: Das Zitat „{anchor.quote}“ steht nicht im Artikel", hint)
            )
        else:
            listed = " | ".join(failure.candidates)
            problems.append(
                Problem(
                    annotations.file,
                    line,
                    1,
                    f"{what}: Das Zitat „{anchor.quote}“ steht {failure.found}-mal im Artikel",
                    f"Mit prefix: oder suffix: (die Wörter direkt davor oder danach) eine Stelle wählen: {listed}",
                )
            )
    return problems


@dataclass(frozen=True)
class ArticleResult:
    """What rendering one article yields: its body, its endnotes, the articles it links to, its problems."""

    body: Rendered
    endnotes: tuple[Endnote, ...]
    outbound: frozenset[str]
    problems: tuple[Problem, ...]
    note_texts: tuple[tuple[str, str], ...] = ()  # each note's text as HTML, by key, for the open annotations


def render_article(
    article: Article,
    annotations: Annotations | None,
    resolved: Resolved,
    renderer: Renderer,
    article_md: MarkdownIt,
    text_md: MarkdownIt,
) -> ArticleResult:
    """Render one article: its notes' texts, then its body with terms marked and notes anchored."""
    problems: list[Problem] = []
    requests, html, outbound, texts = annotation_requests(article, annotations, resolved, renderer, text_md, problems)
    body = render_text(
        article_md,
        article.body,
        root=root_for(f"{article.url}index.html"),
        file=article.source.file,
        first_line=article.source.body_line,
        problems=problems,
        teaser=article.teaser,
        requests=tuple(requests),
    )
    if annotations:
        problems += unplaced_problems(annotations, body.unplaced)
    endnotes = tuple(Endnote(p.number, html[p.key]) for p in sorted(body.placed, key=lambda p: p.number))
    outbound |= {link.split(":", 1)[1] for link in body.links if link.startswith("artikel:")}
    return ArticleResult(body, endnotes, frozenset(outbound), tuple(problems), tuple(sorted(texts.items())))


def article_key(
    article: Article,
    annotations: Annotations | None,
    resolved: Resolved,
    matcher: TermMatcher,
    targets: str,
    fragments: str,
) -> str:
    """Everything an article's rendering depends on: its text and notes, the glossary entries whose forms
    occur in it, the link targets, the headlines and dates its cross-links show, the note templates."""
    entries = resolved.glossary.by_id
    used = sorted(matcher.entries_in(article.body))
    articles = resolved.by_slug
    linked = sorted({link.article for link in annotations.links} & articles.keys()) if annotations else []
    shown = [(slug, articles[slug].title, articles[slug].date) for slug in linked]
    return fingerprint(
        "article",
        article.body,
        article.teaser,
        article.source,
        annotations,
        [entries[e] for e in used],
        targets,
        shown,
        fragments,
    )


def render_articles(
    resolved: Resolved,
    annotations: dict[str, Annotations],
    renderer: Renderer,
    article_md: MarkdownIt,
    text_md: MarkdownIt,
    targets: LinkTargets,
    cache: BuildCache | None,
    templates_dir: Path,
    workers: Workers,
) -> tuple[dict[str, ArticleResult], set[str]]:
    """Render every article, reusing the cached result of any whose inputs are all unchanged; the others
    by `workers`."""
    matcher = TermMatcher(resolved.glossary)
    fragments = fingerprint(*((templates_dir / name).read_bytes() for name in ("_note.html", "_crosslink.html")))
    # The link targets (every article, entry and page) are hashed once, not once per article.
    every_target = fingerprint(targets.paths, targets.unchecked)
    keys = {
        a.slug: article_key(a, annotations.get(a.slug), resolved, matcher, every_target, fragments)
        for a in resolved.timeline
    }
    found = cache.get_many(list(keys.values())) if cache else {}
    missing = [a for a in resolved.timeline if not isinstance(found.get(keys[a.slug]), ArticleResult)]
    made = workers.map(
        lambda article: render_article(article, annotations.get(article.slug), resolved, renderer, article_md, text_md),
        missing,
    )
    fresh = {keys[article.slug]: result for article, result in zip(missing, made) if not result.problems}
    if cache and fresh:
        cache.put_many(fresh)
    made_by_slug = {article.slug: result for article, result in zip(missing, made)}
    results = {
        a.slug: made_by_slug[a.slug] if a.slug in made_by_slug else found[keys[a.slug]] for a in resolved.timeline
    }
    return results, set(keys.values())


def render_texts(
    resolved: Resolved,
    annotations: dict[str, Annotations],
    renderer: Renderer,
    article_md: MarkdownIt,
    text_md: MarkdownIt,
    targets: LinkTargets,
    cache: BuildCache | None,
    templates_dir: Path,
    workers: Workers,
) -> tuple[RenderedTexts, list[Problem], set[str]]:
    """Render every Markdown text once for each page depth it appears at; anchor every note."""
    results, keys = render_articles(
        resolved, annotations, renderer, article_md, text_md, targets, cache, templates_dir, workers
    )
    problems = [p for result in results.values() for p in result.problems]

    every_target = fingerprint(targets.paths, targets.unchecked)

    def text(body: str, root: str, file: str, first_line: int, sink: list[Problem]) -> Rendered:
        # Pages and glossary texts are rendered from the cache when text, depth and link targets are unchanged.
        key = fingerprint("text", body, root, file, first_line, every_target)
        keys.add(key)
        cached = cache.get(key) if cache else None
        if isinstance(cached, Rendered):
            return cached
        found: list[Problem] = []
        rendered = render_text(text_md, body, root=root, file=file, first_line=first_line, problems=found)
        sink += found
        if cache and not found:
            cache.put_many({key: rendered})
        return rendered

    pages = {
        p.slug: text(p.body, root_for(f"{p.url}index.html"), p.source.file, p.source.body_line, problems)
        for p in resolved.pages
    }
    intro = resolved.edition.intro
    intro_html = text(intro.body, "", intro.source.file, intro.source.body_line, problems)
    entries: dict[tuple[str, str], Rendered] = {}
    for entry in (e for e in resolved.glossary.entries if e.text):
        # The glossary index and the entry's page sit at different depths; report the text's problems once.
        for root, sink in (("../", problems), ("../../", [])):
            entries[(entry.id, root)] = text(entry.text, root, resolved.glossary.file, entry.text_line, sink)
    texts = RenderedTexts(
        articles={slug: r.body for slug, r in results.items()},
        endnotes={slug: r.endnotes for slug, r in results.items()},
        note_texts={slug: dict(r.note_texts) for slug, r in results.items()},
        outbound={slug: set(r.outbound) for slug, r in results.items()},
        pages=pages,
        intro=intro_html,
        entries=entries,
    )
    return texts, problems, keys


def open_annotations(resolved: Resolved, texts: RenderedTexts, annotations: dict[str, Annotations]) -> list[SiteFile]:
    """One W3C Web Annotation collection per article."""
    articles = resolved.by_slug
    entries = resolved.glossary.by_id
    return [
        SiteFile(
            f"annotationen/{a.slug}.jsonld",
            to_json(
                annotation_collection(
                    a,
                    resolved.edition.settings,
                    annotations.get(a.slug),
                    texts.articles[a.slug].placed,
                    texts.note_texts[a.slug],
                    texts.articles[a.slug].terms,
                    entries,
                    articles,
                    texts.articles[a.slug].blocks,
                )
            ),
        )
        for a in resolved.timeline
    ]


BASEMAP = Path(__file__).resolve().parent.parent / "data" / "map" / "ostasien.json"


# Labels need room: an archive naming hundreds of places shows the most often named on the map, all in the list.
MAP_PLACES = 40


def mapped_places(resolved: Resolved, index: TermIndex) -> list[Entry]:
    """The places the articles name that have a point on the map (areas aside), most often named first."""
    places = [
        e
        for e in resolved.glossary.entries
        if e.kind == "place" and e.coordinates and not e.area and index.by_entry[e.id]
    ]
    return sorted(places, key=lambda e: (-len(index.by_entry[e.id]), german_sort_key(e.term)))


def draw_place_map(resolved: Resolved, index: TermIndex, cache: BuildCache | None) -> MapDrawing:
    """The map of the most often named places, drawn once per set of places and base map."""
    places = [
        Place(e.id, e.term, e.coordinates[0], e.coordinates[1], e.url)
        for e in mapped_places(resolved, index)[:MAP_PLACES]
    ]
    key = fingerprint("map", BASEMAP.read_bytes(), places)
    drawing = cache.get(key) if cache else None
    if not isinstance(drawing, MapDrawing):
        drawing = draw_map(load_basemap(BASEMAP), places)
        if cache:
            cache.put_many({key: drawing})
    if cache:
        cache.mark_used(key)
    return drawing


def render_pages(
    resolved: Resolved,
    texts: RenderedTexts,
    derived: Derived,
    renderer: Renderer,
    annotations: dict[str, Annotations],
    place_map: MapDrawing,
    workers: Workers,
) -> list[SiteFile]:
    """Every page of the site, in a fixed order; those not in the cache rendered by `workers`."""
    files: list[PageJob | SiteFile] = [renderer.index(resolved, texts.intro)]
    files += [
        renderer.article(
            resolved,
            article,
            texts.articles[article.slug],
            derived.index.by_article[article.slug],
            texts.endnotes[article.slug],
            derived.related[article.slug],
            derived.backlinks[article.slug],
        )
        for article in resolved.timeline
    ]
    files += [renderer.content_page(page, texts.pages[page.slug]) for page in resolved.pages]
    files.append(renderer.glossary_index(resolved.glossary, derived.index, texts.entries))
    files += [
        renderer.glossary_entry(resolved.glossary, entry, derived.index, texts.entries.get((entry.id, "../../")))
        for entry in resolved.glossary.entries
    ]
    files.append(renderer.timeline(derived.events))
    files.append(renderer.search())
    areas = [e for e in resolved.glossary.entries if e.kind == "place" and e.area and derived.index.by_entry[e.id]]
    more = mapped_places(resolved, derived.index)[MAP_PLACES:]
    files.append(renderer.place_map(place_map, areas, sorted(more, key=lambda e: german_sort_key(e.term))))
    files += open_annotations(resolved, texts, annotations)
    files.append(renderer.previews(resolved))
    files.append(renderer.not_found())
    settings = resolved.edition.settings
    if settings.url:  # feed and sitemap need absolute addresses: without a public one they are left out
        html_urls = [settings.url + page_url(f.path) for f in files if f.path.endswith("index.html")]
        files += [renderer.feed(resolved), renderer.sitemap(html_urls)]
    files.append(renderer.robots())
    return renderer.finish(files, workers)


@dataclass(frozen=True)
class Derived:
    """What the build derives from the rendered texts: the glossary's index, related articles, backlinks,
    and the timeline."""

    index: TermIndex
    related: dict[str, tuple[Related, ...]]
    backlinks: dict[str, tuple[Article, ...]]
    events: tuple[Event, ...]


def derive(
    resolved: Resolved, annotations: dict[str, Annotations], texts: RenderedTexts
) -> tuple[Derived, list[Problem]]:
    """Indexes and backlinks, computed only from what rendering reported."""
    index, problems = index_terms(resolved, texts.articles)
    numbers = {slug: {p.key: p.number for p in body.placed} for slug, body in texts.articles.items()}
    return Derived(
        index,
        find_related(resolved, index),
        find_backlinks(resolved, texts.outbound),
        collect_events(resolved, annotations, numbers),
    ), problems


def asset_files(assets: dict[str, Asset]) -> list[SiteFile]:
    """The static assets under `assets/`, plus the favicon and `.nojekyll` at the root."""
    files = [SiteFile(f"assets/{asset.name}", asset.content) for asset in assets.values()]
    files.append(SiteFile("favicon.svg", assets["favicon.svg"].content))
    files.append(SiteFile(".nojekyll", b""))
    return files


def template_problem(error: TemplateError, root: Path) -> Problem:
    """Locate a template error at its template file and line (Jinja puts template lines in the traceback)."""
    hint = "Die Vorlage prüfen; verfügbare Angaben stehen in edition/render.py und edition/model.py."
    if isinstance(error, TemplateSyntaxError) and error.filename:
        return Problem(
            relative_name(Path(error.filename), root),
            error.lineno,
            1,
            f"Syntaxfehler in der Vorlage: {error.message}",
            hint,
        )
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(str(root / "templates"))]
    if frames:
        return Problem(
            relative_name(Path(frames[-1].filename), root),
            frames[-1].lineno or 1,
            1,
            f"Fehler in der Vorlage: {error}",
            hint,
        )
    return Problem("templates", 1, 1, f"Fehler in einer Vorlage: {error}", hint)


def with_base_url(settings: Settings, base_url: str | None) -> Settings:
    """Settings with the public address replaced, as the deploy workflow asks."""
    if not base_url:
        return settings
    return replace(settings, url=base_url if base_url.endswith("/") else base_url + "/")


@dataclass(frozen=True)
class Built:
    """Everything a build made before writing: the inputs resolved, the texts rendered, what was derived
    from them, the site's files, every problem; for `build`, `check` and `stats` alike."""

    resolved: Resolved
    annotations: dict[str, Annotations]
    texts: RenderedTexts
    derived: Derived
    files: list[SiteFile]
    problems: list[Problem]
    rendered: int
    cache_keys: set[str]
    stages: tuple[tuple[str, float], ...] = ()


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


Progress = Callable[[int, int], None]


def annotation_warnings(resolved: Resolved, annotations: dict[str, Annotations], texts: RenderedTexts) -> list[Problem]:
    """Warnings about notes: an article without any, a quote that starts or ends exactly at its paragraph's
    edge (a changed paragraph break takes its anchor away)."""
    problems = []
    for article in resolved.timeline:
        found = annotations.get(article.slug)
        if not found or not found.notes:
            problems.append(
                Problem(
                    article.source.file,
                    1,
                    1,
                    "Der Artikel hat keine Anmerkungen",
                    f"Anmerkungen in content/artikel/{article.slug}.notes.yaml schreiben.",
                    "warning",
                )
            )
            continue
        notes = {f"note:{n.id}": n for n in found.notes}
        for placed in texts.articles[article.slug].placed:
            note = notes.get(placed.key)
            if note and placed.at_edge:
                problems.append(
                    Problem(
                        found.file,
                        note.line,
                        1,
                        f"Anmerkung „{note.id}“: Das Zitat reicht bis an den Rand seines Absatzes",
                        "Ändert sich dort der Absatzumbruch, findet die Anmerkung ihre Stelle nicht mehr; ein Zitat aus "
                        "dem Inneren des Absatzes wählen oder prefix:/suffix: ergänzen.",
                        "warning",
                    )
                )
    return problems


def prepare_site(
    root: Path,
    *,
    base_url: str | None = None,
    cache: BuildCache | None = None,
    progress: Progress | None = None,
    search: bool = True,
    workers: Workers = Workers(),
) -> Built:
    """Load, check, resolve, render and derive; raise BuildFailed with every problem. Nothing is written.
    Articles and pages are rendered by `workers` (all cores by default)."""
    clock = Stopwatch()
    # Load: content/ and glossary.yaml into frozen dataclasses. A file with errors is left out and the
    # build goes on, so that one run reports every problem; it fails before writing anything.
    edition, problems = load_edition(root, cache)
    glossary, found = load_glossary(root / "glossary.yaml", root, cache)
    problems += found
    if edition is None:
        raise BuildFailed(problems)
    glossary = glossary or Glossary((), "glossary.yaml", complete=False)
    edition = replace(edition, settings=with_base_url(edition.settings, base_url))
    # Check and resolve: time order, neighbours, what spans several files.
    resolved, found = resolve_edition(edition, glossary)
    problems += found
    annotations, found = load_all_annotations(
        root / "content" / "artikel", root, {a.slug for a in edition.articles} | edition.unloaded, cache
    )
    problems += found + check_cross_links(resolved, annotations)
    clock.lap("load, check, resolve")
    assets = collect_assets(root / "static")
    templates = root / "templates"
    renderer = Renderer(
        make_environment(templates), edition.settings, assets, cache, templates_fingerprint(templates), progress
    )
    try:
        # Render Markdown: terms marked and notes anchored in the articles; every link checked.
        targets = link_targets(resolved)
        texts, found, keys = render_texts(
            resolved,
            annotations,
            renderer,
            make_markdown(targets, glossary),
            make_markdown(targets),
            targets,
            cache,
            templates,
            workers,
        )
        problems += found
        fail_on_errors(problems)
        clock.lap("render Markdown")
        # Derive: the glossary's index, related articles, backlinks, the timeline.
        derived, found = derive(resolved, annotations, texts)
        problems += found + annotation_warnings(resolved, annotations, texts)
        clock.lap("derive")
        # Render pages: every page through its template, unchanged ones taken from the cache.
        place_map = draw_place_map(resolved, derived.index, cache)
        files = render_pages(resolved, texts, derived, renderer, annotations, place_map, workers) + asset_files(assets)
        clock.lap("render pages")
        # Index: Pagefind's search bundle from the finished pages.
        if search:
            files += index_for_search(files, cache)
            clock.lap("search index")
    except TemplateError as error:
        raise BuildFailed([template_problem(error, root)]) from None
    return Built(
        resolved,
        annotations,
        texts,
        derived,
        files,
        problems,
        renderer.rendered,
        keys | renderer.used_keys,
        tuple(clock.laps),
    )


def included_files(resolved: Resolved) -> tuple[str, ...]:
    """The files of the project outside `content/` whose text pages include (`body_from:`)."""
    return tuple(sorted({p.source.file for p in resolved.pages if not p.source.file.startswith("content/")}))


def build_site(
    root: Path,
    out: Path,
    *,
    base_url: str | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    pages_first: bool = False,
    workers: Workers = Workers(),
    inputs: uptodate.Inputs | None = None,
) -> BuildReport:
    """Build the edition in `root` into `out`; raise BuildFailed with every problem, leaving `out` as it was.

    When neither the inputs nor `out` changed since the last build, nothing is done and its report given
    back; `inputs` is the snapshot of a glance already taken (which found a change). With `pages_first` (the
    live preview) the pages are written before the search index is brought up to date, so a saved change
    reaches the browser sooner; the end result is the same."""
    started = time.perf_counter()
    with open_cache(out, use_cache) as cache:
        if cache and inputs is None:
            inputs, last = uptodate.look(root, out, cache, uptodate.options_key(base_url))
            if last:
                return uptodate.as_unchanged(last, time.perf_counter() - started)
        built = prepare_site(
            root, base_url=base_url, cache=cache, progress=progress, search=not pages_first, workers=workers
        )
        # Write: only what changed; on a first build a fresh folder swapped in whole.
        write_started = time.perf_counter()
        written = write_site(built.files, out, cache, keep=BUNDLE + "/" if pages_first else None)
        stages = built.stages + (("write", time.perf_counter() - write_started),)
        if pages_first:
            search = index_for_search(built.files, cache)
            write_site(built.files + search, out, cache)
            built = replace(built, files=built.files + search, cache_keys=built.cache_keys)
        texts = built.texts
        report = BuildReport(
            pages=sum(1 for f in built.files if f.path.endswith(".html")),
            articles=len(built.resolved.timeline),
            terms_placed=sum(1 for body in texts.articles.values() for o in body.terms if o.tooltip),
            notes=sum(len(body.placed) for body in texts.articles.values()),
            warnings=tuple(p for p in built.problems if p.severity == "warning"),
            seconds=time.perf_counter() - started,
            rendered=built.rendered,
            written=written.written,
            stages=stages,
        )
        if cache:
            assert inputs is not None  # looked at above, or given
            cache.keep_only(built.cache_keys)
            uptodate.record(out, cache, inputs, included_files(built.resolved), report)
            report = replace(
                report,
                warnings=report.warnings
                + tuple(Problem(cache_file(out).name, 1, 1, w, severity="warning") for w in cache.warnings),
            )
    return report
