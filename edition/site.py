"""The whole build as a story: load, check and resolve, render, derive, write; a project folder in, `site/` out."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError
from markdown_it import MarkdownIt

from .assets import Asset, collect_assets
from .glossary import load_glossary
from .load import load_edition
from .markup import make_markdown, render_markdown
from .model import Rendered, Settings
from .problems import BuildFailed, Problem, errors_in, relative_name
from .render import Renderer, SiteFile, make_environment, page_url, root_for
from .resolve import Resolved, TermIndex, index_terms, link_targets, resolve_edition
from .write import write_site


@dataclass(frozen=True)
class BuildReport:
    """What a finished build made: counts for the summary line, and the warnings to show."""

    pages: int
    articles: int
    terms_placed: int
    warnings: tuple[Problem, ...]
    seconds: float

    def summary(self) -> str:
        """One line for the end of every build."""
        return (f"{self.pages} Seiten, {self.articles} Artikel, {self.terms_placed} Begriffe erklärt, "
                f"{len(self.warnings)} Warnungen, {self.seconds:.2f} s")


@dataclass(frozen=True)
class RenderedTexts:
    """Every Markdown text of the edition as HTML: article bodies, pages, glossary texts per page depth."""

    articles: dict[str, Rendered]
    pages: dict[str, Rendered]
    intro: Rendered
    entries: dict[tuple[str, str], Rendered]


def fail_on_errors(problems: list[Problem]) -> None:
    """Stop the build, reporting every problem, if any of them is an error."""
    if errors_in(problems):
        raise BuildFailed(problems)


def render_text(md: MarkdownIt, text: str, *, root: str, file: str, first_line: int, problems: list[Problem],
                teaser: bool = False) -> Rendered:
    """Render one Markdown text for a page at depth `root`; its link problems go to `problems` with their line."""
    rendered, link_problems = render_markdown(md, text, root=root, teaser=teaser)
    problems += [Problem(file, first_line + p.line, 1, p.message, p.hint) for p in link_problems]
    return rendered


def render_texts(resolved: Resolved, article_md: MarkdownIt, text_md: MarkdownIt) -> tuple[RenderedTexts, list[Problem]]:
    """Render every Markdown text once for each page depth it appears at."""
    problems: list[Problem] = []
    articles = {
        a.slug: render_text(article_md, a.body, root=root_for(f"{a.url}index.html"), file=a.source.file,
                            first_line=a.source.body_line, problems=problems, teaser=a.teaser)
        for a in resolved.timeline
    }
    pages = {
        p.slug: render_text(text_md, p.body, root=root_for(f"{p.url}index.html"), file=p.source.file,
                            first_line=p.source.body_line, problems=problems)
        for p in resolved.pages
    }
    intro = resolved.edition.intro
    intro_html = render_text(text_md, intro.body, root="", file=intro.source.file,
                             first_line=intro.source.body_line, problems=problems)
    entries: dict[tuple[str, str], Rendered] = {}
    for entry in (e for e in resolved.glossary.entries if e.text):
        # The glossary index and the entry's page sit at different depths; report the text's problems once.
        for root, sink in (("../", problems), ("../../", [])):
            entries[(entry.id, root)] = render_text(text_md, entry.text, root=root, file=resolved.glossary.file,
                                                    first_line=entry.text_line, problems=sink)
    return RenderedTexts(articles, pages, intro_html, entries), problems


def render_pages(resolved: Resolved, texts: RenderedTexts, index: TermIndex, renderer: Renderer) -> list[SiteFile]:
    """Every page of the site, in a fixed order."""
    files = [renderer.index(resolved, texts.intro)]
    files += [renderer.article(resolved, article, texts.articles[article.slug], index.by_article[article.slug])
              for article in resolved.timeline]
    files += [renderer.content_page(page, texts.pages[page.slug]) for page in resolved.pages]
    files.append(renderer.glossary_index(resolved.glossary, index, texts.entries))
    files += [renderer.glossary_entry(resolved.glossary, entry, index, texts.entries.get((entry.id, "../../")))
              for entry in resolved.glossary.entries]
    files.append(renderer.not_found())
    html_urls = [resolved.edition.settings.url + page_url(f.path) for f in files if f.path.endswith("index.html")]
    files += [renderer.feed(resolved), renderer.sitemap(html_urls), renderer.robots()]
    return files


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
        return Problem(relative_name(Path(error.filename), root), error.lineno, 1,
                       f"Syntaxfehler in der Vorlage: {error.message}", hint)
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(str(root / "templates"))]
    if frames:
        return Problem(relative_name(Path(frames[-1].filename), root), frames[-1].lineno or 1, 1,
                       f"Fehler in der Vorlage: {error}", hint)
    return Problem("templates", 1, 1, f"Fehler in einer Vorlage: {error}", hint)


def with_base_url(settings: Settings, base_url: str | None) -> Settings:
    """Settings with the public address replaced, as the deploy workflow asks."""
    if not base_url:
        return settings
    return replace(settings, url=base_url if base_url.endswith("/") else base_url + "/")


def build_site(root: Path, out: Path, *, base_url: str | None = None) -> BuildReport:
    """Build the edition in `root` into `out`; raise BuildFailed with every problem, leaving `out` as it was."""
    started = time.perf_counter()
    # Load: content/ and glossary.yaml into frozen dataclasses; every file's problems at once.
    edition, problems = load_edition(root)
    glossary, found = load_glossary(root / "glossary.yaml", root)
    problems += found
    fail_on_errors(problems)
    assert edition is not None and glossary is not None
    edition = replace(edition, settings=with_base_url(edition.settings, base_url))
    # Check and resolve: time order, neighbours, what spans several files.
    resolved, found = resolve_edition(edition, glossary)
    problems += found
    fail_on_errors(problems)
    # Render Markdown: articles with the glossary's terms marked; every link checked.
    targets = link_targets(resolved)
    texts, found = render_texts(resolved, make_markdown(targets, glossary), make_markdown(targets))
    problems += found
    fail_on_errors(problems)
    # Derive: the glossary's index, from what rendering reported.
    index, found = index_terms(resolved, texts.articles)
    problems += found
    # Render pages: every page through its template.
    assets = collect_assets(root / "static")
    renderer = Renderer(make_environment(root / "templates"), edition.settings, assets)
    try:
        files = render_pages(resolved, texts, index, renderer) + asset_files(assets)
    except TemplateError as error:
        raise BuildFailed([template_problem(error, root)]) from None
    # Write: a fresh folder swapped in only when everything succeeded.
    write_site(files, out)
    return BuildReport(
        pages=sum(1 for f in files if f.path.endswith(".html")),
        articles=len(edition.articles),
        terms_placed=sum(1 for body in texts.articles.values() for o in body.terms if o.tooltip),
        warnings=tuple(p for p in problems if p.severity == "warning"),
        seconds=time.perf_counter() - started,
    )

