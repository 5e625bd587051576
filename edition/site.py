"""The whole build as a story: load, check and resolve, render, write; a project folder in, `site/` out."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError
from markdown_it import MarkdownIt

from .assets import Asset, collect_assets
from .load import load_edition
from .markup import make_markdown, render_markdown
from .model import Article, Page, Settings
from .problems import BuildFailed, Problem, errors_in, relative_name
from .render import RenderedText, Renderer, SiteFile, make_environment, page_url
from .resolve import Resolved, resolve_edition
from .write import write_site


@dataclass(frozen=True)
class BuildReport:
    """What a finished build made: counts for the summary line, and the warnings to show."""

    pages: int
    articles: int
    warnings: tuple[Problem, ...]
    seconds: float

    def summary(self) -> str:
        """One line for the end of every build."""
        return (f"{self.pages} Seiten, {self.articles} Artikel, {len(self.warnings)} Warnungen, "
                f"{self.seconds:.2f} s")


def fail_on_errors(problems: list[Problem]) -> None:
    """Stop the build, reporting every problem, if any of them is an error."""
    if errors_in(problems):
        raise BuildFailed(problems)


def render_article_body(md: MarkdownIt, article: Article) -> RenderedText:
    """The article's Markdown as HTML, with the edition's rules applied."""
    html, _env = render_markdown(md, article.body, {"teaser": article.teaser})
    return RenderedText(html)


def render_page_body(md: MarkdownIt, page: Page) -> RenderedText:
    """A page's Markdown as HTML."""
    html, _env = render_markdown(md, page.body)
    return RenderedText(html)


def render_pages(resolved: Resolved, renderer: Renderer, md: MarkdownIt) -> list[SiteFile]:
    """Every page of the site, in a fixed order."""
    edition = resolved.edition
    files = [renderer.index(resolved, render_page_body(md, edition.intro))]
    files += [renderer.article(resolved, article, render_article_body(md, article)) for article in resolved.timeline]
    files += [renderer.content_page(page, render_page_body(md, page)) for page in resolved.pages]
    files.append(renderer.not_found())
    html_urls = [edition.settings.url + page_url(f.path) for f in files if f.path.endswith("index.html")]
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
    # Load: read content/ into frozen dataclasses; every file's problems at once.
    edition, problems = load_edition(root)
    fail_on_errors(problems)
    assert edition is not None
    edition = replace(edition, settings=with_base_url(edition.settings, base_url))
    # Check and resolve: time order, neighbours, what spans several files.
    resolved, found = resolve_edition(edition)
    problems += found
    fail_on_errors(problems)
    # Render: Markdown to HTML, then every page through its template.
    assets = collect_assets(root / "static")
    renderer = Renderer(make_environment(root / "templates"), edition.settings, assets)
    try:
        files = render_pages(resolved, renderer, make_markdown()) + asset_files(assets)
    except TemplateError as error:
        raise BuildFailed([template_problem(error, root)]) from None
    # Write: a fresh folder swapped in only when everything succeeded.
    write_site(files, out)
    pages = sum(1 for f in files if f.path.endswith(".html"))
    return BuildReport(pages, len(edition.articles), tuple(p for p in problems if p.severity == "warning"),
                       time.perf_counter() - started)
