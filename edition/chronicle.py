"""Dated facts from the articles, the notes and the glossary in, the timeline's events out: each event once,
with every place in the edition that tells it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .dates import PartialDate
from .glossary import german_sort_key


@dataclass(frozen=True)
class EventSource:
    """Where the edition tells of an event: a link's text and target, and the kind of place."""

    label: str
    url: str
    kind: str  # "article", "note" or "glossary"


@dataclass(frozen=True)
class Fact:
    """One dated fact as one source records it: the glossary entries its text names (`mentions`), and the
    entry it stands in, if it is a glossary fact."""

    date: PartialDate
    text: str
    source: EventSource
    mentions: frozenset[str]
    entry: str | None = None

    @property
    def subjects(self) -> frozenset[str]:
        """The glossary entries the fact is about: those it names and the one it stands in."""
        return self.mentions | {self.entry} if self.entry else self.mentions


@dataclass(frozen=True)
class Event:
    """An event of the timeline: its (most precise) date, its text, the entry's name to read before a text
    that does not name its subject (`lead`), and every source that tells it."""

    date: PartialDate
    text: str
    kind: str  # "article" or "event"
    sources: tuple[EventSource, ...]
    lead: EventSource | None = None
    position: int = 0  # an article's place in the edition's time order, so reports of one day keep theirs


def dates_agree(a: PartialDate, b: PartialDate) -> bool:
    """Whether two dates can name the same day: equal, or one of them known only to the month (or year) the
    other lies in."""
    if a.year != b.year:
        return False
    if not a.month or not b.month:
        return True
    return a.month == b.month and (not a.day or not b.day or a.day == b.day)


def kinship(group: Sequence[Fact], fact: Fact) -> int:
    """How much a fact has in common with a group telling one event (0: it tells another event): its date
    agrees with every member's (so at most one day among them), and it shares enough with one member. On the
    same day one glossary entry or one word in common is enough; where a date is known only to the month, two
    are needed, since a month holds more than one event about the same people."""
    if not all(dates_agree(member.date, fact.date) for member in group):
        return 0
    words = content_words(fact)
    best = 0
    for member in group:
        needed = 1 if member.date == fact.date and member.date.day else 2
        shared_words = sum(1 for word in words if any(related_words(word, other) for other in content_words(member)))
        shared = len(member.subjects & fact.subjects) + shared_words
        if len(member.subjects & fact.subjects) >= needed or shared_words >= needed:
            best = max(best, shared)
    return best


# Words of four letters and more that say nothing about which event is meant.
STOP_WORDS = frozenset(
    [
        "aber",
        "auch",
        "beim",
        "dass",
        "durch",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "gegen",
        "nach",
        "nicht",
        "oder",
        "ohne",
        "seit",
        "seine",
        "seiner",
        "sowie",
        "über",
        "unter",
        "wird",
        "wurde",
        "zwei",
        "drei",
        "zwischen",
    ]
)


def content_words(fact: Fact) -> frozenset[str]:
    """The words of a fact that tell which event it is: its text's and, for a glossary fact, its entry's name."""
    text = f"{fact.text} {fact.source.label}" if fact.entry else fact.text
    return frozenset(w for w in normalise(text).split() if len(w) >= 4 and w not in STOP_WORDS and not w.isdigit())


def related_words(a: str, b: str) -> bool:
    """The same word, or one beginning the other (an ending, or a compound: „Waffenstillstand“ in
    „Waffenstillstandsabkommen“), the shorter having five letters at least."""
    short, long = sorted((a, b), key=len)
    return short == long or (len(short) >= 5 and long.startswith(short))


def normalise(text: str) -> str:
    """A text compared without case, punctuation or spacing."""
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def precision(date: PartialDate) -> int:
    """How much of a date is known: 3 to the day, 2 to the month, 1 to the year."""
    return 1 + bool(date.month) + bool(date.day)


def merge_facts(facts: Iterable[Fact]) -> list[list[Fact]]:
    """Group the facts that tell the same event; the most precise dates first, so a fact known only to the
    month joins the day it has most in common with rather than founding an event of its own."""
    ordered = sorted(facts, key=lambda f: (f.date.year, -precision(f.date), f.date, german_sort_key(f.text)))
    groups: list[list[Fact]] = []
    year_starts = 0  # facts of different years never merge: only this year's groups are candidates
    for fact in ordered:
        if groups and groups[-1][0].date.year != fact.date.year:
            year_starts = len(groups)
        scores = [kinship(group, fact) for group in groups[year_starts:]]
        if any(scores):
            groups[year_starts + scores.index(max(scores))].append(fact)
        else:
            groups.append([fact])
    return groups


SOURCE_ORDER = {"article": 0, "note": 1, "glossary": 2}


def make_event(group: Sequence[Fact]) -> Event:
    """One event from the facts that tell it: dated as precisely as any of them, worded as the one that names
    the most of its subjects itself (the shortest of those), with every source."""
    date = max((fact.date for fact in group), key=precision)
    lead = min(group, key=lambda f: (-len(f.mentions), len(f.text), german_sort_key(f.text)))
    sources: list[EventSource] = []
    for fact in sorted(group, key=lambda f: (SOURCE_ORDER[f.source.kind], german_sort_key(f.source.label))):
        if fact.source not in sources:
            sources.append(fact.source)
    needs_name = lead.entry is not None and lead.entry not in lead.mentions
    return Event(date, lead.text, "event", tuple(sources), lead.source if needs_name else None)


def build_chronicle(articles: Iterable[tuple[PartialDate, str, str]], facts: Iterable[Fact]) -> tuple[Event, ...]:
    """The timeline: the articles (date, headline, url, in the edition's time order) and the facts merged into
    events, oldest first."""
    events = [
        Event(date, title, "article", (EventSource("Artikel", url, "article"),), position=position)
        for position, (date, title, url) in enumerate(articles)
    ]
    events += [make_event(group) for group in merge_facts(facts)]
    return tuple(sorted(events, key=lambda e: (e.date, e.kind != "article", e.position, german_sort_key(e.text))))
