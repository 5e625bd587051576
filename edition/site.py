"""The whole build as a story of named steps: load, resolve, render the texts, derive, render the pages, index,
write; a project folder in, `site/` out. Each step is a plain function of what the steps before it made; what
may come from the build cache is decided here alone, through one `Memo`."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import TemplateError

from . import uptodate
from .articles import (
    ArticleResult,
    RenderedTexts,
    annotation_warnings,
    article_inputs,
    collect_texts,
    render_article,
    render_job,
    text_jobs,
    without_problems,
)
from .assets import collect_assets
from .cache import BuildCache, cache_file, fingerprint, open_cache
from .editorial import editorial_warnings
from .geomap import BASEMAP, MapDrawing, map_of, places_to_draw
from .glossary import Glossary, load_glossary
from .inputs import outside_links
from .load import load_all_annotations, load_edition, with_base_url
from .markup import make_markdown
from .memo import LayeredStore, Memo, MemoryStore, Store
from .model import Article, BuildReport, SiteFile, Stopwatch
from .notes import Annotations
from .pages import asset_files, describe_pages, template_problem
from .parallel import Workers, keep_made, kept_until_done
from .problems import BuildFailed, Problem, errors_in
from .render import PageJob, Renderer, make_environment, templates_fingerprint
from .resolve import (
    Derived,
    Relate,
    Related,
    Resolved,
    TermIndex,
    check_cross_links,
    derive,
    find_related,
    included_files,
    link_targets,
    related_from_names,
    related_inputs,
    related_names,
    resolve_edition,
)
from .schema import Check, read_checked, schemas_version
from .search import BUNDLE, index_each, part_count, place_parts, search_inputs, split_for_search
from .terms import TermMatcher
from .write import output_lock, write_site
from .yamlfile import YamlDocument

Progress = Callable[[int, int], None]
NOTE_TEMPLATES = ("_note.html", "_crosslink.html")  # every article's notes and cross-links are rendered with these


@dataclass(frozen=True)
class Built:
    """Everything a build made before writing: the inputs resolved, the texts rendered, what was derived
    from them, the site's files, every problem, the renderer that made the pages and what it was given for
    each page (`jobs`, by path); for `build`, `check` and `stats` alike."""

    resolved: Resolved
    annotations: dict[str, Annotations]
    texts: RenderedTexts
    derived: Derived
    files: list[SiteFile]
    problems: list[Problem]
    rendered: int
    renderer: Renderer
    stages: tuple[tuple[str, float], ...] = ()
    jobs: Mapping[str, PageJob] = field(default_factory=dict)


def memoised_check(memo: Memo) -> Check:
    """The loaders' YAML check, taken from the cache while the text and the schemas are unchanged."""
    version = schemas_version()  # once per build: it reads the schemas' folder

    def check(text: str, file: str, schema: str, offset: int) -> tuple[YamlDocument, list[Problem]]:
        inputs = (text, file, schema, offset, version)
        found = memo.one("checked", inputs, lambda: read_checked(text, file, schema, offset, version), expect=tuple)
        return found[0], list(found[1])

    return check


def load_project(
    root: Path, base_url: str | None, check: Check
) -> tuple[Resolved, dict[str, Annotations], list[Problem]]:
    """Read content/, glossary.yaml and the notes into frozen dataclasses and resolve what spans files. A file
    with errors is left out and the build goes on, so that one run reports every problem."""
    edition, problems = load_edition(root, check)
    problems += outside_links(root)
    glossary, found = load_glossary(root / "glossary.yaml", root, check)
    problems += found
    if edition is None:
        raise BuildFailed(problems)
    edition = replace(edition, settings=with_base_url(edition.settings, base_url))
    resolved, found = resolve_edition(edition, glossary or Glossary((), "glossary.yaml", complete=False))
    slugs = {a.slug for a in edition.articles} | edition.unloaded
    annotations, more = load_all_annotations(root / "content" / "artikel", root, slugs, check)
    problems += found + more + check_cross_links(resolved, annotations)
    problems += editorial_warnings(resolved, annotations)
    return resolved, annotations, problems


def memoised_related(memo: Memo) -> Relate:
    """`find_related`, its result taken from the cache while every article keeps its place in time and the
    entries it uses (ranking all of them again took 6–7 s of every warm build at 10,000 articles)."""

    def relate(resolved: Resolved, index: TermIndex) -> dict[str, tuple[Related, ...]]:
        names = memo.one(
            "related",
            related_inputs(resolved, index),
            lambda: related_names(find_related(resolved, index)),
            expect=dict,
        )
        try:
            return related_from_names(names, resolved)
        except (KeyError, TypeError, ValueError):  # a kept value that does not fit: the cache only accelerates
            return find_related(resolved, index)

    return relate


def render_texts(
    resolved: Resolved,
    annotations: dict[str, Annotations],
    renderer: Renderer,
    templates: Path,
    memo: Memo,
    workers: Workers,
) -> tuple[RenderedTexts, list[Problem]]:
    """Every Markdown text as HTML (articles over `workers`), each kept while what it reads is unchanged."""
    targets = link_targets(resolved)
    article_md, text_md, matcher = (
        make_markdown(targets, resolved.glossary),
        make_markdown(targets),
        TermMatcher(resolved.glossary),
    )
    # What every text reads, hashed once: the link targets; for articles also the note templates.
    every_target = fingerprint(targets.paths, targets.unchecked)
    fragments = fingerprint(*((templates / name).read_bytes() for name in NOTE_TEMPLATES))
    manuscripts = resolved.edition.manuscripts

    def render_one(article: Article) -> ArticleResult:
        found = annotations.get(article.slug)
        return render_article(article, manuscripts[article.slug], found, resolved, renderer, article_md, text_md)

    articles = memo.many(
        "article",
        resolved.timeline,
        lambda a: (every_target, fragments, *article_inputs(a, resolved, annotations.get(a.slug), matcher)),
        lambda missing: workers.map(render_one, missing),
        expect=ArticleResult,
        keep=without_problems,
    )
    jobs = text_jobs(resolved)
    made = memo.many(
        "text",
        jobs,
        lambda job: (job, every_target),
        lambda missing: [render_job(text_md, job) for job in missing],
        expect=tuple,
        keep=without_problems,
    )
    return collect_texts(dict(zip((a.slug for a in resolved.timeline), articles, strict=True)), jobs, made)


def render_pages(files: list[PageJob | SiteFile], renderer: Renderer, memo: Memo, workers: Workers) -> list[SiteFile]:
    """Every page through its template (those not kept over `workers`), in the order described."""
    jobs = [item for item in files if isinstance(item, PageJob)]
    made = memo.many(
        "page", jobs, renderer.page_inputs, lambda m: renderer.render_all(m, workers, len(jobs)), expect=bytes
    )
    by_path = {job.path: content for job, content in zip(jobs, made, strict=True)}
    return [item if isinstance(item, SiteFile) else SiteFile(item.path, by_path[item.path]) for item in files]


def index_parts(resolved: Resolved) -> int:
    """How many parts the search index takes: one per `PAGES_PER_PART` articles, entries and pages."""
    return part_count(len(resolved.timeline) + len(resolved.glossary.entries) + len(resolved.pages))


def search_bundle(files: list[SiteFile], memo: Memo, resolved: Resolved, at_once: int = 1) -> list[SiteFile]:
    """Pagefind's bundle for these pages, part by part, each part kept while its pages are the same."""
    parts = index_parts(resolved)
    split = split_for_search(files, parts)
    bundles = memo.many(
        "pagefind",
        split,
        lambda part: search_inputs(part[1]),
        lambda missing: index_each([pages for _number, pages in missing], at_once),
        expect=list,
    )
    return place_parts([(number, bundle) for (number, _pages), bundle in zip(split, bundles, strict=True)], parts)


def prepare_site(
    root: Path,
    *,
    base_url: str | None = None,
    memo: Memo | None = None,
    progress: Progress | None = None,
    search: bool = True,
    workers: Workers = Workers(),
) -> Built:
    """Load, check, resolve, render and derive; raise BuildFailed with every problem. Nothing is written."""
    memo, clock = memo or Memo(), Stopwatch()

    def stage_done(stage: str) -> None:
        """Time the stage that just ended; what it made lives to the build's end, so collections need not walk it."""
        clock.lap(stage)
        keep_made()

    resolved, annotations, problems = load_project(root, base_url, memoised_check(memo))
    stage_done("load, check, resolve")
    assets = collect_assets(root / "static")
    templates = root / "templates"
    renderer = Renderer(
        make_environment(templates), resolved.edition.settings, assets, templates_fingerprint(templates), progress
    )
    try:
        texts, found = render_texts(resolved, annotations, renderer, templates, memo, workers)
        if errors_in(problems := problems + found):
            raise BuildFailed(problems)
        stage_done("render Markdown")
        derived, found = derive(resolved, annotations, texts.articles, texts.outbound, memoised_related(memo))
        problems += found + annotation_warnings(resolved, annotations, texts)
        stage_done("derive")
        places, basemap = tuple(places_to_draw(resolved.glossary.entries, derived.index.counts)), BASEMAP.read_bytes()
        drawing = memo.one("map", (basemap, places), lambda: map_of(basemap, places), expect=MapDrawing)
        described = describe_pages(resolved, texts, derived, renderer, annotations, drawing, index_parts(resolved))
        files = render_pages(described, renderer, memo, workers) + asset_files(assets)
        stage_done("render pages")
        if search:
            files += search_bundle(files, memo, resolved, workers.count)
            stage_done("search index")
    except TemplateError as error:
        raise BuildFailed([template_problem(error, root)]) from None
    rendered, jobs = memo.computed["page"], {job.path: job for job in described if isinstance(job, PageJob)}
    return Built(resolved, annotations, texts, derived, files, problems, rendered, renderer, tuple(clock.laps), jobs)


def build_report(built: Built, started: float, written: int, stages: tuple[tuple[str, float], ...]) -> BuildReport:
    """The counts and warnings a finished build reports."""
    bodies = built.texts.articles.values()
    return BuildReport(
        pages=sum(1 for f in built.files if f.path.endswith(".html")),
        articles=len(built.resolved.timeline),
        terms_placed=sum(1 for body in bodies for o in body.terms if o.tooltip),
        notes=sum(len(body.placed) for body in bodies),
        warnings=tuple(p for p in built.problems if p.severity == "warning"),
        seconds=time.perf_counter() - started,
        rendered=built.rendered,
        written=written,
        stages=stages,
    )


def memo_store(cache: BuildCache | None, memory: MemoryStore | None) -> Store | None:
    """Where a build keeps its results: the cache beside the output, behind the preview's memory if it has one."""
    behind = cache if cache and cache.usable else None
    if memory is None or behind is None:
        return behind if memory is None else memory
    return LayeredStore(memory, behind)


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
    memory: MemoryStore | None = None,
    keep: Callable[[Built], None] | None = None,
) -> BuildReport:
    """Build the edition in `root` into `out`; raise BuildFailed with every problem, leaving `out` as it was.

    One build of `out` at a time: a second waits for the first. When neither the inputs nor `out` changed
    since the last build, its report is given back; `inputs` is the snapshot of a glance already taken. With
    `pages_first` (the live preview) the pages are written before the search index is brought up to date;
    `memory` keeps the results a build used in memory for the next (the preview's, between saves), and `keep`
    is handed what a build made once its site is written (the preview's quick pages start from it)."""
    started = time.perf_counter()
    with kept_until_done(), output_lock(out, root), open_cache(out, use_cache, root) as cache:
        if cache and cache.usable and inputs is None:
            inputs, last = uptodate.look(root, out, cache, uptodate.options_key(base_url))
            if last:
                return uptodate.as_unchanged(last, time.perf_counter() - started)
        memo = Memo(memo_store(cache, memory))
        built = prepare_site(
            root, base_url=base_url, memo=memo, progress=progress, search=not pages_first, workers=workers
        )
        write_started = time.perf_counter()
        before = cache.manifest() if cache else {}
        written, manifest = write_site(built.files, out, before, keep=BUNDLE + "/" if pages_first else None)
        stages = (*built.stages, ("write", time.perf_counter() - write_started))
        if pages_first:
            built = replace(built, files=built.files + search_bundle(built.files, memo, built.resolved, workers.count))
            manifest = write_site(built.files, out, manifest)[1]
        report = build_report(built, started, written.written, stages)
        if keep:
            keep(built)
        if memory is not None:
            memory.keep_only(memo.used)
        if cache:
            cache.set_manifest(manifest)
            cache.keep_only(memo.used)
            if inputs is not None:
                uptodate.record(out, cache, inputs, included_files(built.resolved), report)
            cache.close()
            said = tuple(Problem(cache_file(out, root).name, 1, 1, w, severity="warning") for w in cache.warnings)
            report = replace(report, warnings=report.warnings + said)
    return report
