"""A saved article or notes file in, the article's page out at once: what the live preview writes before the
whole build follows, made from the last build's state kept in memory. Only a change of an article's text or of
its notes qualifies; the page is the one the whole build would write for it (a property test compares them
byte for byte), and anything else (another kind of file, a changed front matter, any problem) is left to the
whole build."""

from __future__ import annotations

from pathlib import Path

from .articles import render_article
from .load import load_annotations, load_article
from .markup import make_markdown
from .model import Article, Manuscript, SiteFile
from .notes import Annotations
from .problems import errors_in
from .resolve import RelatedFinder, check_cross_links, link_targets, used_entries
from .site import Built

NOTES = ".notes.yaml"


class QuickPages:
    """The last whole build's results, ready to render the page of one article whose text or notes were saved.
    Each page it makes updates what the next one reads (the article's text, notes, entries and links), so a run
    of saves to several articles is shown as the whole build would show each of them."""

    def __init__(self, root: Path, built: Built) -> None:
        self.root = root
        self.built = built
        resolved = built.resolved
        targets = link_targets(resolved)
        self.article_md, self.text_md = make_markdown(targets, resolved.glossary), make_markdown(targets)
        self.finder = RelatedFinder(resolved, used_entries(built.derived.index))
        self.outbound = {slug: frozenset(links) for slug, links in built.texts.outbound.items()}
        self.manuscripts = dict(resolved.edition.manuscripts)
        self.annotations: dict[str, Annotations | None] = dict(built.annotations)

    def page_of(self, path: Path) -> SiteFile | None:
        """The page of the article whose text or notes were saved at `path`, or None where a page alone cannot
        show the save."""
        if path.parent != self.root / "content" / "artikel":
            return None
        if path.name.endswith(NOTES):
            return self.notes_saved(path, path.name.removesuffix(NOTES))
        return self.text_saved(path) if path.suffix == ".md" else None

    def text_saved(self, path: Path) -> SiteFile | None:
        """The page after a save of an article's file whose front matter is as the last build read it."""
        known = self.built.resolved.by_slug.get(path.stem)
        if known is None:
            return None
        loaded, problems = load_article(path, self.root)
        if loaded is None or errors_in(problems) or loaded[0] != known:
            return None
        return self.page_for(known, loaded[1], self.annotations.get(known.slug))

    def notes_saved(self, path: Path, slug: str) -> SiteFile | None:
        """The page after a save of an article's notes, when they load and every cross-link finds its article."""
        article = self.built.resolved.by_slug.get(slug)
        if article is None:
            return None
        annotations, problems = load_annotations(path, self.root)
        if annotations is None or errors_in(problems + check_cross_links(self.built.resolved, {slug: annotations})):
            return None
        return self.page_for(article, self.manuscripts[slug], annotations)

    def page_for(self, article: Article, manuscript: Manuscript, annotations: Annotations | None) -> SiteFile | None:
        """The article's page from this text and these notes, None if they render with a problem; what the next
        page reads is brought up to date with them."""
        built, slug = self.built, article.slug
        result = render_article(
            article, manuscript, annotations, built.resolved, built.renderer, self.article_md, self.text_md
        )
        if errors_in(list(result.problems)):
            return None
        self.manuscripts[slug], self.annotations[slug] = manuscript, annotations
        entries = built.resolved.glossary.by_id
        terms = tuple(entries[tally.entry] for tally in result.body.tallies)
        used = frozenset(entry.id for entry in terms)
        if used != self.finder.used[slug]:
            self.finder = self.finder.with_entries(slug, used)
        self.outbound[slug] = result.outbound
        backlinks = tuple(a for a in built.resolved.timeline if a.slug != slug and slug in self.outbound[a.slug])
        job = built.renderer.article(
            built.resolved, article, result.body, terms, result.endnotes, self.finder.of(article), backlinks
        )
        return SiteFile(job.path, built.renderer.render_job(job))
