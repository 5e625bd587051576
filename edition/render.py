"""Resolved articles and their rendered bodies in, every page of the site as bytes out (Jinja templates)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .assets import Asset
from .model import Article, Page, Settings
from .resolve import Resolved


@dataclass(frozen=True)
class SiteFile:
    """One file of the finished site: its path below `site/` and its bytes."""

    path: str
    content: bytes


@dataclass(frozen=True)
class RenderedText:
    """A Markdown text rendered to HTML, with what the edition's rules found in it."""

    html: str


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
    return env


def root_for(path: str) -> str:
    """The relative prefix from a page at `path` back to the site root (`artikel/x/index.html` → `../../`)."""
    return "../" * path.count("/")


def page_url(path: str) -> str:
    """The clean URL of an output file below the site root (`ueber/index.html` → `ueber/`)."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


class Renderer:
    """Renders each kind of page; holds only what every page shares (templates, settings, assets)."""

    def __init__(self, env: Environment, settings: Settings, assets: Mapping[str, Asset]) -> None:
        self.env = env
        self.settings = settings
        self.assets = assets

    def page(self, template: str, path: str, *, root: str | None = None, **context: Any) -> SiteFile:
        """Render one template to the file at `path`, with links relative to that file."""
        prefix = root_for(path) if root is None else root
        html = self.env.get_template(template).render(
            settings=self.settings,
            root=prefix,
            home=prefix or "./",
            canonical=self.settings.url + page_url(path),
            asset=lambda name: f"{prefix}assets/{name}?v={self.assets[name].version}",
            **context,
        )
        return SiteFile(path, html.encode("utf-8"))

    def index(self, resolved: Resolved, intro: RenderedText) -> SiteFile:
        """The front page: what the edition is, then the articles in time order."""
        return self.page("index.html", "index.html", intro=intro.html,
                         intro_title=resolved.edition.intro.title, articles=resolved.timeline)

    def article(self, resolved: Resolved, article: Article, body: RenderedText) -> SiteFile:
        """One article page at its clean URL, with its neighbours in time."""
        neighbours = resolved.neighbours[article.slug]
        return self.page("article.html", f"{article.url}index.html", article=article, body=body.html,
                         previous=neighbours.previous, next=neighbours.next)

    def content_page(self, page: Page, body: RenderedText) -> SiteFile:
        """A page of the edition's own, such as „Über die Ausgabe“."""
        return self.page("page.html", f"{page.url}index.html", page=page, body=body.html)

    def not_found(self) -> SiteFile:
        """404 page: served at any depth by GitHub Pages, so its links start from the base path."""
        return self.page("404.html", "404.html", root=self.settings.base_path)

    def feed(self, resolved: Resolved) -> SiteFile:
        """Atom feed of the articles, newest first, dated by the articles (never by the build's clock)."""
        newest_first = tuple(reversed(resolved.timeline))
        return self.page("feed.xml", "feed.xml", articles=newest_first, updated=newest_first[0].date)

    def sitemap(self, urls: list[str]) -> SiteFile:
        """sitemap.xml listing every HTML page by absolute URL."""
        return self.page("sitemap.xml", "sitemap.xml", urls=urls)

    def robots(self) -> SiteFile:
        """robots.txt pointing crawlers at the sitemap."""
        return self.page("robots.txt", "robots.txt")
