"""The rendered texts and what was derived from them in, every file of the site out, in a fixed order: each
page described for its template (`PageJob`), the data files made at once; plus the static assets."""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from .articles import RenderedTexts
from .assets import Asset
from .geomap import MapDrawing, places_listed
from .model import Article, Rendered, SiteFile
from .notes import Annotations
from .problems import Problem, relative_name
from .render import PageJob, Renderer, page_url
from .resolve import Derived, Resolved
from .webannotation import annotation_collection, to_json


def open_annotation(
    resolved: Resolved, article: Article, annotations: Annotations | None, body: Rendered, note_texts: Mapping[str, str]
) -> SiteFile:
    """One article's W3C Web Annotation collection: its notes and the terms marked in it."""
    return SiteFile(
        f"annotationen/{article.slug}.jsonld",
        to_json(
            annotation_collection(
                article,
                resolved.edition.settings,
                annotations,
                body.placed,
                note_texts,
                body.terms,
                resolved.glossary.by_id,
                resolved.by_slug,
                body.inlines,
            )
        ),
    )


def open_annotations(resolved: Resolved, texts: RenderedTexts, annotations: dict[str, Annotations]) -> list[SiteFile]:
    """One W3C Web Annotation collection per article."""
    return [
        open_annotation(resolved, a, annotations.get(a.slug), texts.articles[a.slug], texts.note_texts[a.slug])
        for a in resolved.timeline
    ]


def describe_pages(
    resolved: Resolved,
    texts: RenderedTexts,
    derived: Derived,
    renderer: Renderer,
    annotations: dict[str, Annotations],
    place_map: MapDrawing,
    search_parts: int = 1,
) -> list[PageJob | SiteFile]:
    """Every page and data file of the site, in a fixed order: pages to render, data files made; the search
    page is told how many parts the search index has."""
    files: list[PageJob | SiteFile] = [
        renderer.index(resolved, texts.intro, texts.articles, derived.index, derived.events)
    ]
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
    files += renderer.glossary_index(resolved.glossary, derived.index)
    files += [
        renderer.glossary_entry(resolved.glossary, entry, derived.index, texts.entries.get((entry.id, "../../")))
        for entry in resolved.glossary.entries
    ]
    files.append(renderer.timeline(derived.events))
    files += renderer.search(resolved.glossary, search_parts)
    areas, more = places_listed(resolved.glossary.entries, derived.index.counts)
    files.append(renderer.place_map(place_map, areas, more))
    files += open_annotations(resolved, texts, annotations)
    files.append(renderer.previews(resolved))
    files.append(renderer.not_found())
    settings = resolved.edition.settings
    if settings.url:  # feed and sitemap need absolute addresses: without a public one they are left out
        html_urls = [settings.url + page_url(f.path) for f in files if f.path.endswith("index.html")]
        files += [renderer.feed(resolved), renderer.sitemap(html_urls)]
    files.append(renderer.robots())
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
