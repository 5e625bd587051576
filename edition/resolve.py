"""The loaded edition in, the cross-article facts out: time order, neighbours, link targets, and the
glossary's index derived from what rendering found; plus the checks that span files."""

from __future__ import annotations

import bisect
import copy
import heapq
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

from .chronicle import Event, EventSource, Fact, build_chronicle
from .dates import PartialDate
from .glossary import KIND_SLUGS, Entry, Glossary, german_sort_key
from .links import LinkTargets
from .model import Article, Edition, Manuscript, Occurrence, Page, Rendered, Tally
from .notes import Annotations
from .problems import Problem
from .terms import TermMatcher

# Top-level paths the site itself uses; a page may not take one of them.
RESERVED_PATHS = frozenset({"artikel", "assets", "glossar", "chronik", "suche", "annotationen", "karte", "pagefind"})


@dataclass(frozen=True)
class Neighbours:
    """The articles before and after one article in time."""

    previous: Article | None
    next: Article | None


@dataclass(frozen=True)
class Resolved:
    """The edition with its articles in time order, each article's neighbours, and the glossary."""

    edition: Edition
    glossary: Glossary
    timeline: tuple[Article, ...]
    neighbours: Mapping[str, Neighbours]

    @property
    def pages(self) -> tuple[Page, ...]:
        """The edition's own pages, sorted by slug."""
        return self.edition.pages

    @cached_property
    def by_slug(self) -> Mapping[str, Article]:
        """The articles by slug (made once)."""
        return {article.slug: article for article in self.timeline}


@dataclass(frozen=True)
class Mention:
    """An occurrence of a glossary entry in one article."""

    article: Article
    occurrence: Occurrence


@dataclass(frozen=True)
class TermIndex:
    """Where each entry is marked (articles in time order), how often it counts in each article and in all,
    and which entries each article uses."""

    by_entry: Mapping[str, tuple[Mention, ...]]
    by_article: Mapping[str, tuple[Entry, ...]]
    tallies: Mapping[str, Mapping[str, Tally]]  # entry → article slug → its counts there

    @cached_property
    def counts(self) -> Mapping[str, int]:
        """How often each entry counts in all articles (made once)."""
        return {entry: sum(t.occurrences for t in articles.values()) for entry, articles in self.tallies.items()}


def time_key(article: Article) -> tuple[PartialDate, int, str]:
    """Where an article stands in time: its date, then its position among the reports of that day (`order:`),
    then its slug, so the order never depends on the file system."""
    return article.date, article.order or 0, article.slug


def order_by_time(articles: tuple[Article, ...]) -> tuple[Article, ...]:
    """Oldest first; reports of one day by their `order:`."""
    return tuple(sorted(articles, key=time_key))


def check_day_order(articles: tuple[Article, ...], manuscripts: Mapping[str, Manuscript]) -> list[Problem]:
    """Reports of the same day need distinct `order:` values, or their order would be the slugs' order."""
    by_day: dict[PartialDate, list[Article]] = {}
    for article in articles:
        if article.date.day:
            by_day.setdefault(article.date, []).append(article)
    problems = []
    for day, same in sorted(by_day.items()):
        orders = [a.order for a in same]
        if len(same) < 2 or (None not in orders and len(set(orders)) == len(orders)):
            continue
        names = ", ".join(a.slug for a in sorted(same, key=lambda a: a.slug))
        problems += [
            Problem(
                manuscripts[a.slug].source.file,
                a.date_line or 1,
                1,
                f"Mehrere Berichte vom {day.german()} ({names}), aber ihre Reihenfolge ist nicht eindeutig",
                "Jedem Bericht dieses Tages ein eigenes order: geben (1 = der früheste), sonst ordnet die Ausgabe "
                "sie nach dem slug.",
                "warning",
            )
            for a in same
            if a.order is None or orders.count(a.order) > 1
        ]
    return problems


def find_neighbours(timeline: tuple[Article, ...]) -> dict[str, Neighbours]:
    """Previous and next article in time, for each article."""
    return {
        article.slug: Neighbours(
            timeline[index - 1] if index > 0 else None,
            timeline[index + 1] if index + 1 < len(timeline) else None,
        )
        for index, article in enumerate(timeline)
    }


def check_page_paths(edition: Edition) -> list[Problem]:
    """A page may not take a path that the site uses for something else."""
    return [
        Problem(
            page.source.file,
            1,
            1,
            f"Die Seite „{page.slug}“ belegt eine Adresse, die die Ausgabe selbst braucht",
            f"Datei umbenennen; reserviert sind: {', '.join(sorted(RESERVED_PATHS))}.",
        )
        for page in edition.pages
        if page.slug in RESERVED_PATHS
    ]


def check_entry_paths(glossary: Glossary) -> list[Problem]:
    """An entry may not take the address of one of the glossary's pages per kind (`glossar/personen/`)."""
    return [
        Problem(
            glossary.file,
            entry.line,
            1,
            f"Der Eintrag „{entry.id}“ belegt die Adresse einer Glossarseite",
            f"Die ID ändern; reserviert sind: {', '.join(sorted(KIND_SLUGS.values()))}.",
        )
        for entry in glossary.entries
        if entry.id in KIND_SLUGS.values()
    ]


def resolve_edition(edition: Edition, glossary: Glossary) -> tuple[Resolved, list[Problem]]:
    """Order the articles, find neighbours, and check what only the whole edition can tell."""
    timeline = order_by_time(edition.articles)
    problems = check_page_paths(edition) + check_day_order(timeline, edition.manuscripts) + check_entry_paths(glossary)
    return Resolved(edition, glossary, timeline, find_neighbours(timeline)), problems


def included_files(resolved: Resolved) -> tuple[str, ...]:
    """The files of the project outside `content/` whose text pages include (`body_from:`)."""
    return tuple(sorted({p.source.file for p in resolved.pages if not p.source.file.startswith("content/")}))


def link_targets(resolved: Resolved) -> LinkTargets:
    """Every name an editor may link to in Markdown, with its path below the site root."""
    paths = {f"artikel:{a.slug}": a.url for a in resolved.timeline}
    paths |= {f"glossar:{e.id}": e.url for e in resolved.glossary.entries}
    paths |= {f"seite:{p.slug}": p.url for p in resolved.pages}
    paths |= {
        "seite:start": "",
        "seite:chronik": "chronik/",
        "seite:suche": "suche/",
        "seite:karte": "karte/",
        "glossar:": "glossar/",
    }
    unchecked = {"artikel"} if resolved.edition.unloaded else set()
    unchecked |= set() if resolved.glossary.complete else {"glossar"}
    return LinkTargets(paths, frozenset(unchecked))


def index_terms(resolved: Resolved, bodies: Mapping[str, Rendered]) -> tuple[TermIndex, list[Problem]]:
    """Derive the glossary's index from what the term rule reported; entries found nowhere are warnings."""
    entries = resolved.glossary.by_id
    by_entry: dict[str, list[Mention]] = {entry.id: [] for entry in resolved.glossary.entries}
    tallies: dict[str, dict[str, Tally]] = {entry.id: {} for entry in resolved.glossary.entries}
    by_article: dict[str, tuple[Entry, ...]] = {}
    for article in resolved.timeline:
        body = bodies[article.slug]
        for occurrence in body.terms:
            by_entry[occurrence.entry].append(Mention(article, occurrence))
        for tally in body.tallies:
            tallies[tally.entry][article.slug] = tally
        by_article[article.slug] = tuple(entries[tally.entry] for tally in body.tallies)
    problems = [
        Problem(
            resolved.glossary.file,
            entry.line,
            1,
            f"Der Eintrag „{entry.term}“ kommt in keinem Artikel vor",
            "Schreibweisen prüfen (forms:) oder den Eintrag streichen, wenn er nicht gebraucht wird.",
            "warning",
        )
        for entry in resolved.glossary.entries
        if not tallies[entry.id]
    ]
    return TermIndex({k: tuple(v) for k, v in by_entry.items()}, by_article, tallies), problems


@dataclass(frozen=True)
class Related:
    """An article related to another by the glossary entries both use; the rarer an entry, the more it counts."""

    article: Article
    shared: tuple[Entry, ...]
    score: float


def check_cross_links(resolved: Resolved, annotations: Mapping[str, Annotations]) -> list[Problem]:
    """Every cross-link leads to another article that exists."""
    slugs = {a.slug for a in resolved.timeline}
    problems = []
    for slug, found in annotations.items():
        for link in found.links:
            if link.article in resolved.edition.unloaded:
                continue
            if link.article not in slugs:
                problems.append(
                    Problem(
                        found.file,
                        link.line,
                        1,
                        f"Verweis auf einen Artikel „{link.article}“, den es nicht gibt",
                        f"Vorhanden sind: {', '.join(sorted(slugs))}.",
                    )
                )
            elif link.article == slug:
                problems.append(
                    Problem(
                        found.file,
                        link.line,
                        1,
                        "Ein Artikel verweist hier auf sich selbst",
                        "Unter article: einen anderen Artikel nennen.",
                    )
                )
    return problems


# Posting lists longer than this are not walked to find candidates: an entry that many articles name says
# little about which of them belong together, and walking it for every article would grow with N².
CANDIDATE_POSTINGS = 200


class RelatedFinder:
    """Which articles relate to which by the glossary entries they use (`used`: article slug → entry ids),
    weighted by inverse document frequency, so an entry every article names counts for nothing.

    It keeps the inverted index (each entry's posting list, in time order) and the weights, so one article's
    related list can be found alone, and found again after one article's entries changed (`with_entries`)
    without building the index anew."""

    def __init__(
        self, resolved: Resolved, used: Mapping[str, frozenset[str]], candidate_postings: int = CANDIDATE_POSTINGS
    ) -> None:
        self.used = used
        self.position = {article.slug: number for number, article in enumerate(resolved.timeline)}
        self.postings: dict[str, list[str]] = {}
        for article in resolved.timeline:
            for entry_id in used[article.slug]:
                self.postings.setdefault(entry_id, []).append(article.slug)
        self.entries = resolved.glossary.by_id
        self.articles = resolved.by_slug
        self.months = {a.slug: a.date.year * 12 + a.date.month for a in resolved.timeline}
        self.rare_size = max(candidate_postings, 2)
        self.weight: dict[str, float] = {}
        self.order: dict[str, tuple[float, tuple[str, str]]] = {}
        for entry_id in self.postings:
            self._weigh(entry_id)

    def _weigh(self, entry_id: str) -> None:
        """An entry's weight, and its place in `order`: the rarest (heaviest) first, then by term."""
        self.weight[entry_id] = math.log(len(self.position) / len(self.postings[entry_id]))
        self.order[entry_id] = (-self.weight[entry_id], german_sort_key(self.entries[entry_id].term))

    def with_entries(self, slug: str, entries: frozenset[str]) -> RelatedFinder:
        """The finder as it is once article `slug` uses `entries`: only the posting lists it joins or leaves,
        and those entries' weights, are made anew."""
        changed = copy.copy(self)
        changed.used = {**self.used, slug: entries}
        changed.postings, changed.weight, changed.order = dict(self.postings), dict(self.weight), dict(self.order)
        for entry_id in self.used[slug] ^ entries:
            slugs = [s for s in self.postings.get(entry_id, ()) if s != slug]
            if entry_id in entries:
                bisect.insort(slugs, slug, key=self.position.__getitem__)
            if slugs:
                changed.postings[entry_id] = slugs
                changed._weigh(entry_id)
            else:
                for table in (changed.postings, changed.weight, changed.order):
                    del table[entry_id]
        return changed

    def of(self, article: Article, limit: int = 3) -> tuple[Related, ...]:
        """The `limit` articles that share the most weight of entries with `article`, the nearest in time first
        among equals.

        Candidates come from the posting lists of the article's rarer entries, so the work grows with the
        articles that share something, not with every article; their scores are summed along those lists, and
        only the few shown get their list of shared entries."""
        weight, postings, used = self.weight, self.postings, self.used
        own = sorted((e for e in used[article.slug] if weight[e] > 0), key=self.order.__getitem__)
        # A rarer entry always weighs more than a commoner one, so in `order` the rare come first: adding the
        # rare along their postings and then the common ones per candidate sums each score in `order`, as
        # the shared entries are listed.
        rare = [e for e in own if len(postings[e]) <= self.rare_size]
        common = [e for e in own if len(postings[e]) > self.rare_size]
        scores: dict[str, float] = {}
        for entry_id in rare:
            w = weight[entry_id]
            for slug in postings[entry_id]:
                scores[slug] = scores.get(slug, 0) + w
        scores.pop(article.slug, None)
        # A candidate whose rare score plus every common entry stays below the `limit`-th best rare score
        # cannot be shown; the margin keeps rounding out of it.
        floor = min(heapq.nlargest(limit, scores.values()), default=0) - sum(weight[e] for e in common) - 1e-6
        month = self.months[article.slug]
        ranked = []
        for slug, score in scores.items():
            if score < floor:
                continue
            other = used[slug]
            for entry_id in common:
                if entry_id in other:
                    score += weight[entry_id]
            ranked.append((-round(score, 9), abs(month - self.months[slug]), slug))
        return tuple(
            Related(self.articles[slug], tuple(self.entries[e] for e in own if e in used[slug]), -score)
            for score, _distance, slug in heapq.nsmallest(limit, ranked)
        )


def used_entries(index: TermIndex) -> dict[str, frozenset[str]]:
    """The ids of the entries each article uses, by slug."""
    return {slug: frozenset(e.id for e in entries) for slug, entries in index.by_article.items()}


def find_related(
    resolved: Resolved, index: TermIndex, limit: int = 3, candidate_postings: int = CANDIDATE_POSTINGS
) -> dict[str, tuple[Related, ...]]:
    """For each article, the others that share the most specific glossary entries with it (`RelatedFinder`)."""
    finder = RelatedFinder(resolved, used_entries(index), candidate_postings)
    return {article.slug: finder.of(article, limit) for article in resolved.timeline}


# What finds every article's related articles: `find_related`, or a function that may give its result kept.
Relate = Callable[[Resolved, TermIndex], dict[str, tuple[Related, ...]]]

# Related articles by plain names (slug → the related slugs, each with the ids of the entries shared and the
# score), as the build cache keeps them.
RankedNames = dict[str, tuple[tuple[str, tuple[str, ...], float], ...]]


def related_inputs(resolved: Resolved, index: TermIndex, limit: int = 3) -> tuple[object, ...]:
    """Everything `find_related` reads: each article's place in time and the entries it uses, each entry's
    term (it orders the shared entries), and how many are found and how."""
    used = used_entries(index)
    return (
        tuple((a.slug, a.date, tuple(sorted(used[a.slug]))) for a in resolved.timeline),
        tuple((entry.id, entry.term) for entry in resolved.glossary.entries),
        limit,
        CANDIDATE_POSTINGS,
    )


def related_names(related: Mapping[str, tuple[Related, ...]]) -> RankedNames:
    """Related articles by plain names, as the build cache keeps them."""
    return {
        slug: tuple((r.article.slug, tuple(entry.id for entry in r.shared), r.score) for r in found)
        for slug, found in related.items()
    }


def related_from_names(names: RankedNames, resolved: Resolved) -> dict[str, tuple[Related, ...]]:
    """Related articles again from their plain names; KeyError for a name the edition does not have."""
    articles, entries = resolved.by_slug, resolved.glossary.by_id
    return {
        slug: tuple(
            Related(articles[other], tuple(entries[e] for e in shared), score) for other, shared, score in found
        )
        for slug, found in names.items()
    }


def find_backlinks(resolved: Resolved, outbound: Mapping[str, set[str]]) -> dict[str, tuple[Article, ...]]:
    """For each article, the articles that link to it (cross-links and links in notes), in time order."""
    incoming: dict[str, list[Article]] = {a.slug: [] for a in resolved.timeline}
    for other in resolved.timeline:
        for target in sorted(outbound.get(other.slug, set())):
            if target in incoming and target != other.slug:
                incoming[target].append(other)
    return {slug: tuple(found) for slug, found in incoming.items()}


def mentioned_entries(matcher: TermMatcher, text: str) -> frozenset[str]:
    """The glossary entries a short text names by a full written form (short forms are too ambiguous here)."""
    return frozenset(match.entry for match in matcher.find(text) if not match.short)


def collect_events(
    resolved: Resolved, annotations: Mapping[str, Annotations], numbers: Mapping[str, Mapping[str, int]]
) -> tuple[Event, ...]:
    """The timeline: the articles, and every date the glossary and the notes record, each event once with all
    the places that tell it, oldest first."""
    matcher = TermMatcher(resolved.glossary)
    facts = [
        Fact(
            fact.date,
            fact.event,
            EventSource(entry.term, entry.url, "glossary"),
            mentioned_entries(matcher, fact.event),
            entry.id,
        )
        for entry in resolved.glossary.entries
        for fact in entry.dates
    ]
    for article in resolved.timeline:
        found = annotations.get(article.slug)
        for note in found.notes if found else ():
            number = numbers[article.slug].get(f"note:{note.id}")
            if number:
                source = EventSource(f"Anmerkung {number} zu „{article.title}“", f"{article.url}#anm-{number}", "note")
                facts += [
                    Fact(fact.date, fact.event, source, mentioned_entries(matcher, fact.event)) for fact in note.dates
                ]
    return build_chronicle(((a.date, a.title, a.url) for a in resolved.timeline), facts)


@dataclass(frozen=True)
class Derived:
    """What the build derives from the rendered texts: the glossary's index, related articles, backlinks,
    and the timeline."""

    index: TermIndex
    related: dict[str, tuple[Related, ...]]
    backlinks: dict[str, tuple[Article, ...]]
    events: tuple[Event, ...]


def derive(
    resolved: Resolved,
    annotations: Mapping[str, Annotations],
    bodies: Mapping[str, Rendered],
    outbound: Mapping[str, set[str]],
    relate: Relate = find_related,
) -> tuple[Derived, list[Problem]]:
    """Indexes and backlinks, computed only from what rendering reported: the article bodies, and the
    articles each links to; `relate` finds the related articles (`find_related`, or its result kept)."""
    index, problems = index_terms(resolved, bodies)
    numbers = {slug: {p.key: p.number for p in body.placed} for slug, body in bodies.items()}
    return Derived(
        index,
        relate(resolved, index),
        find_backlinks(resolved, outbound),
        collect_events(resolved, annotations, numbers),
    ), problems
