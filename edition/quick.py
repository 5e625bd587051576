"""A saved article or notes file in, the article's page out at once, then the rest of the site that save changed:
what the live preview writes before the whole build follows, made from the last build's state kept in memory.

Only a change of an article's text or of its notes qualifies. The page is the one the whole build would write
for it, and so is the rest (`rest`): the other articles whose related articles or backlinks it changed, the
glossary entries whose register quotes it, the front page, the glossary's lists, the timeline and the map where
their figures moved, the article's open annotations, and the search index's parts those pages fall in. Property
tests compare both with a whole build byte for byte. Anything else (another kind of file, a changed front
matter, any problem) is left to the whole build."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .articles import Endnote, render_article
from .geomap import BASEMAP, map_of, places_listed, places_to_draw
from .glossary import Entry
from .load import load_annotations, load_article
from .markup import make_markdown
from .model import Article, Manuscript, Rendered, SiteFile, Tally
from .notes import Annotations
from .pages import open_annotation
from .problems import errors_in
from .render import PageJob
from .resolve import (
    Mention,
    Related,
    RelatedFinder,
    TermIndex,
    check_cross_links,
    collect_events,
    link_targets,
    used_entries,
)
from .search import part_number, place_part, searchable
from .site import Built, index_parts

NOTES = ".notes.yaml"
ENTRY_POINT = "pagefind-entry.json"  # a part's bundle names its other files here: written last


@dataclass
class Due:
    """What the pages shown first since the last `rest` changed, for the rest of the site to follow."""

    shown: set[str] = field(default_factory=set)  # pages written already, whose search parts are due
    articles: set[str] = field(default_factory=set)  # article pages to describe again
    entries: set[str] = field(default_factory=set)  # entries whose register may quote other passages
    postings: set[str] = field(default_factory=set)  # entries an article took up or dropped: their weights moved
    targets: set[str] = field(default_factory=set)  # articles a saved one began or ceased to link to
    annotations: set[str] = field(default_factory=set)  # articles whose open annotations to make again
    events: bool = False  # whether a saved note's dated facts changed


@dataclass(frozen=True)
class Rest:
    """The rest of the site after the pages shown first: the files that changed, and each search part due
    with all its pages as they are now."""

    files: list[SiteFile]
    parts: list[tuple[int, list[SiteFile]]]

    def place(self, bundles: list[list[SiteFile]], skip: frozenset[int] = frozenset()) -> list[SiteFile]:
        """The due parts' search bundles (one per part, as Pagefind made them) in their folders, but the parts
        numbered in `skip`; in each part, its entry point last."""
        placed = [
            place_part(number, bundle)
            for (number, _pages), bundle in zip(self.parts, bundles, strict=True)
            if number not in skip
        ]
        return [f for part in placed for f in sorted(part, key=lambda f: f.path.endswith(ENTRY_POINT))]


class QuickPages:
    """The last whole build's results, ready to render the page of one article whose text or notes were saved,
    and then the rest of the site that changed with it.

    Each page it makes updates what the next one reads (the article's text, notes, entries and links, the
    glossary's register), so a run of saves to several articles is shown as the whole build would show each
    of them. Its methods may be called from two threads (the page from the server's, the rest from its own)."""

    def __init__(self, root: Path, built: Built) -> None:
        self.root = root
        self.built = built
        self.lock = threading.RLock()  # the preview holds it around a page and its count of saves
        resolved = built.resolved
        targets = link_targets(resolved)
        self.article_md, self.text_md = make_markdown(targets, resolved.glossary), make_markdown(targets)
        index, texts = built.derived.index, built.texts
        self.finder = RelatedFinder(resolved, used_entries(index))
        self.outbound = {slug: frozenset(links) for slug, links in texts.outbound.items()}
        self.manuscripts = dict(resolved.edition.manuscripts)
        self.annotations: dict[str, Annotations] = dict(built.annotations)
        self.bodies: dict[str, Rendered] = dict(texts.articles)
        self.endnotes: dict[str, tuple[Endnote, ...]] = dict(texts.endnotes)
        self.note_texts: dict[str, Mapping[str, str]] = dict(texts.note_texts)
        # The derived indexes, each changed in place of the parts a save touches (inner tables replaced, never
        # changed, so the build's own stay as they were).
        self.by_entry: dict[str, tuple[Mention, ...]] = dict(index.by_entry)
        self.by_article: dict[str, tuple[Entry, ...]] = dict(index.by_article)
        self.tallies: dict[str, Mapping[str, Tally]] = dict(index.tallies)
        self.counts = dict(index.counts)
        self.related = dict(built.derived.related)
        self.backlinks = dict(built.derived.backlinks)
        self.events = built.derived.events
        self.places = tuple(places_to_draw(resolved.glossary.entries, self.counts))
        self.jobs: dict[str, PageJob] = dict(built.jobs)
        self.files = {file.path: file.content for file in built.files}
        self.parts = index_parts(resolved)
        self.part_pages: dict[int, list[str]] = {}
        for page in searchable(built.files):
            self.part_pages.setdefault(part_number(page.path, self.parts), []).append(page.path)
        self.due = Due()

    def page_of(self, path: Path) -> SiteFile | None:
        """The page of the article whose text or notes were saved at `path`, or None where a page alone cannot
        show the save."""
        if path.parent != self.root / "content" / "artikel":
            return None
        with self.lock:
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
        page reads is brought up to date with them, and what the rest of the site must follow is noted."""
        built, slug = self.built, article.slug
        result = render_article(
            article, manuscript, annotations, built.resolved, built.renderer, self.article_md, self.text_md
        )
        if errors_in(list(result.problems)):
            return None
        before, body = self.bodies[slug], result.body
        if facts_of(self.annotations.get(slug), before) != facts_of(annotations, body):
            self.due.events = True
        self.manuscripts[slug] = manuscript
        if annotations is None:
            self.annotations.pop(slug, None)
        else:
            self.annotations[slug] = annotations
        self.bodies[slug], self.endnotes[slug], self.note_texts[slug] = body, result.endnotes, dict(result.note_texts)
        entries = built.resolved.glossary.by_id
        self.by_article[slug] = tuple(entries[tally.entry] for tally in body.tallies)
        used = frozenset(tally.entry for tally in body.tallies)
        if used != self.finder.used[slug]:
            self.due.postings |= used ^ self.finder.used[slug]
            self.finder = self.finder.with_entries(slug, used)
        self.register(article, before, body)
        self.due.targets |= self.outbound[slug] ^ result.outbound
        self.outbound[slug] = result.outbound
        self.related[slug], self.backlinks[slug] = self.finder.of(article), self.backlinks_of(slug)
        self.due.annotations.add(slug)
        job = self.article_job(article)
        content = built.renderer.render_job(job)
        self.jobs[job.path], self.files[job.path] = job, content
        self.due.shown.add(job.path)
        return SiteFile(job.path, content)

    def register(self, article: Article, before: Rendered, body: Rendered) -> None:
        """Put an article's new occurrences and counts into the glossary's register, noting each entry whose
        share in it changed."""
        slug, position = article.slug, self.finder.position
        old_tallies = {t.entry: t for t in before.tallies}
        new_tallies = {t.entry: t for t in body.tallies}
        for entry in old_tallies.keys() | new_tallies.keys():
            old = [o for o in before.terms if o.entry == entry]
            new = [o for o in body.terms if o.entry == entry]
            if old == new and old_tallies.get(entry) == new_tallies.get(entry):
                continue
            self.due.entries.add(entry)
            mentions = [m for m in self.by_entry[entry] if m.article.slug != slug]
            at = bisect.bisect_left(mentions, position[slug], key=lambda m: position[m.article.slug])
            mentions[at:at] = [Mention(article, o) for o in new]
            self.by_entry[entry] = tuple(mentions)
            tallies = (
                {**self.tallies[entry], slug: new_tallies[entry]}
                if entry in new_tallies
                else {s: t for s, t in self.tallies[entry].items() if s != slug}
            )
            self.tallies[entry] = dict(sorted(tallies.items(), key=lambda item: position[item[0]]))

    def backlinks_of(self, slug: str) -> tuple[Article, ...]:
        """The articles that link to article `slug` now, in time order."""
        return tuple(a for a in self.built.resolved.timeline if a.slug != slug and slug in self.outbound[a.slug])

    def article_job(self, article: Article) -> PageJob:
        """An article's page as it stands now."""
        slug = article.slug
        return self.built.renderer.article(
            self.built.resolved,
            article,
            self.bodies[slug],
            self.by_article[slug],
            self.endnotes[slug],
            self.related[slug],
            self.backlinks[slug],
        )

    def rest(self) -> Rest:
        """Every other file the saves since the last call changed, and the search parts their pages fall in."""
        with self.lock:
            due, self.due = self.due, Due()
            self.find_again(due)
            changed = self.render_changed(self.jobs_due(due)) + self.annotations_changed(due.annotations)
            pages = due.shown | {f.path for f in searchable(changed)}
            numbers = sorted({part_number(path, self.parts) for path in pages})
            parts = [(n, [SiteFile(path, self.files[path]) for path in self.part_pages[n]]) for n in numbers]
        return Rest(changed, parts)

    def changed_among(self, files: list[SiteFile]) -> list[SiteFile]:
        """Those of `files` whose bytes differ from the site's as last made, taken into it (most of a search
        part's files are named by their content and stay as they were)."""
        with self.lock:
            changed = [file for file in files if self.files.get(file.path) != file.content]
            self.files.update((file.path, file.content) for file in changed)
        return changed

    def annotations_changed(self, slugs: set[str]) -> list[SiteFile]:
        """The open annotations of these articles, where they differ from the last ones."""
        resolved, changed = self.built.resolved, []
        for slug in sorted(slugs):
            article, body = resolved.by_slug[slug], self.bodies[slug]
            file = open_annotation(resolved, article, self.annotations.get(slug), body, self.note_texts[slug])
            if file.content != self.files.get(file.path):
                self.files[file.path] = file.content
                changed.append(file)
        return changed

    def find_again(self, due: Due) -> None:
        """Rank the related articles of every article using an entry whose weight moved, and find the backlinks
        of every article that gained or lost a link; each article whose page shows a change is due."""
        by_slug = self.built.resolved.by_slug
        users = {slug for entry in due.postings for slug in self.finder.postings.get(entry, ())}
        for slug in sorted(users):
            related = self.finder.of(by_slug[slug])
            if shown_related(related) != shown_related(self.related[slug]):
                due.articles.add(slug)
            self.related[slug] = related
        for slug in sorted(due.targets & by_slug.keys()):
            backlinks = self.backlinks_of(slug)
            if backlinks != self.backlinks[slug]:
                self.backlinks[slug] = backlinks
                due.articles.add(slug)

    def jobs_due(self, due: Due) -> list[PageJob]:
        """The pages the changes may show on, described as they stand now."""
        resolved, renderer = self.built.resolved, self.built.renderer
        glossary, texts = resolved.glossary, self.built.texts
        index = TermIndex(self.by_entry, self.by_article, self.tallies)
        jobs = [self.article_job(resolved.by_slug[slug]) for slug in sorted(due.articles)]
        jobs += [
            renderer.glossary_entry(glossary, glossary.by_id[e], index, texts.entries.get((e, "../../")))
            for e in sorted(due.entries)
        ]
        if due.events:
            numbers = {slug: {p.key: p.number for p in body.placed} for slug, body in self.bodies.items()}
            self.events = collect_events(resolved, self.annotations, numbers)
            jobs.append(renderer.timeline(self.events))
        jobs.append(renderer.index(resolved, texts.intro, self.bodies, index, self.events))
        counts = index.counts
        if counts != self.counts:
            self.counts = dict(counts)
            jobs += renderer.glossary_index(glossary, index)
            places = tuple(places_to_draw(glossary.entries, counts))
            drawing = self.jobs["karte/index.html"].context["map"]
            if places != self.places:
                drawing, self.places = map_of(BASEMAP.read_bytes(), places), places
            jobs.append(renderer.place_map(drawing, *places_listed(glossary.entries, counts)))
        return jobs

    def render_changed(self, jobs: Iterable[PageJob]) -> list[SiteFile]:
        """The pages among `jobs` whose values or bytes differ from the last ones, rendered."""
        changed = []
        for job in jobs:
            known = self.jobs.get(job.path)
            if known is not None and known.context == job.context:
                continue
            content = self.built.renderer.render_job(job)
            self.jobs[job.path] = job
            if content != self.files.get(job.path):
                self.files[job.path] = content
                changed.append(SiteFile(job.path, content))
        return changed


def facts_of(annotations: Annotations | None, body: Rendered) -> tuple[object, ...]:
    """What an article gives the timeline from its notes: each dated note's number and dates."""
    numbers = {p.key: p.number for p in body.placed}
    notes = annotations.notes if annotations else ()
    return tuple((numbers.get(f"note:{n.id}"), n.dates) for n in notes if n.dates)


def shown_related(related: tuple[Related, ...]) -> tuple[tuple[str, tuple[Entry, ...]], ...]:
    """What a page shows of its related articles: which, in which order, and the entries they share."""
    return tuple((r.article.slug, r.shared) for r in related)
