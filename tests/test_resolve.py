"""The resolve stage on tiny editions: time order, neighbours, link targets, the term index, related
articles, backlinks, cross-link checks and the timeline."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from edition import codec
from edition.dates import PartialDate
from edition.glossary import DatedFact, Entry, Glossary, german_sort_key
from edition.model import Article, Edition, Manuscript, Occurrence, Page, Rendered, Settings, Source, Tally
from edition.resolve import (
    RESERVED_PATHS,
    RelatedFinder,
    Resolved,
    TermIndex,
    collect_events,
    find_backlinks,
    find_related,
    index_terms,
    link_targets,
    related_from_names,
    related_names,
    resolve_edition,
)

SETTINGS = Settings("Ausgabe", "Untertitel", "Beschreibung", "Redaktion", "http://127.0.0.1:8000/")


def article(slug: str, date: str) -> Article:
    """An article with nothing but a slug and a date worth noting."""
    return Article(
        slug=slug,
        title=f"Titel {slug}",
        summary=None,
        date=PartialDate.parse(date),
        seed=None,
        caption=None,
        credit=None,
        teaser=False,
    )


def manuscript(slug: str) -> Manuscript:
    """An article's text, kept apart from the article as the loader keeps it."""
    return Manuscript("Text.", Source(f"content/artikel/{slug}.md", 6))


def page(slug: str) -> Page:
    """A page of the edition's own."""
    return Page(slug, slug.title(), None, "Text.", Source(f"content/seiten/{slug}.md", 4))


def entry(entry_id: str, *dates: tuple[str, str]) -> Entry:
    """A glossary entry, with dated facts if given."""
    return Entry(
        id=entry_id,
        term=entry_id.title(),
        kind="concept",
        forms=(),
        short_forms=(),
        definition="D.",
        text=None,
        dates=tuple(DatedFact(PartialDate.parse(d), what) for d, what in dates),
        coordinates=None,
        see=(),
        every=False,
        sources=(),
        line=1,
        text_line=1,
    )


def edition(*articles: Article, pages: tuple[Page, ...] = ()) -> Edition:
    """An edition of the given articles (with their texts) and pages."""
    return Edition(SETTINGS, page("start"), articles, pages, manuscripts={a.slug: manuscript(a.slug) for a in articles})


def uses(*entry_ids: str) -> Rendered:
    """A rendered body in which the term rule found the given entries, once each."""
    return Rendered(
        "<p>…</p>",
        tuple(Occurrence(e, f"m-{e}-1", 1, e, f"{e}.", True, False) for e in entry_ids),
        tallies=tuple(Tally(e, 1, 1) for e in entry_ids),
    )


def test_articles_are_ordered_by_date_then_slug_whatever_the_input_order() -> None:
    resolved, problems = resolve_edition(
        edition(article("b", "2023-09"), article("c", "2019"), article("a", "2023-09"), article("d", "2023-09-12")),
        Glossary(()),
    )
    # a year alone sorts before any month in it, a month before any of its days
    assert [a.slug for a in resolved.timeline] == ["c", "a", "b", "d"] and problems == []


def test_neighbours_chain_the_timeline_with_open_ends() -> None:
    resolved, _ = resolve_edition(edition(article("neu", "2024"), article("alt", "2019")), Glossary(()))
    assert resolved.neighbours["alt"].previous is None and resolved.neighbours["alt"].next.slug == "neu"
    assert resolved.neighbours["neu"].previous.slug == "alt" and resolved.neighbours["neu"].next is None


def test_a_page_may_not_take_a_path_the_site_uses() -> None:
    taken = sorted(RESERVED_PATHS)[0]
    _resolved, problems = resolve_edition(
        edition(article("a", "2020"), pages=(page(taken), page("ueber"))), Glossary(())
    )
    [problem] = problems
    assert problem.file == f"content/seiten/{taken}.md" and f"„{taken}“" in problem.message


def test_link_targets_name_articles_entries_pages_and_the_site_s_own_pages() -> None:
    resolved, _ = resolve_edition(edition(article("a", "2020"), pages=(page("ueber"),)), Glossary((entry("juche"),)))
    targets = link_targets(resolved)
    assert targets.paths["artikel:a"] == "artikel/a/" and targets.paths["glossar:juche"] == "glossar/juche/"
    assert targets.paths["seite:ueber"] == "ueber/" and targets.paths["seite:start"] == ""
    assert targets.unchecked == frozenset()


def test_links_into_broken_files_are_not_checked() -> None:
    broken = Edition(
        SETTINGS,
        page("start"),
        (article("a", "2020"),),
        (),
        unloaded=frozenset({"b"}),
        manuscripts={"a": manuscript("a")},
    )
    resolved, _ = resolve_edition(broken, Glossary((), complete=False))
    assert link_targets(resolved).unchecked == {"artikel", "glossar"}


def test_the_term_index_follows_time_order_and_warns_of_unused_entries() -> None:
    glossary = Glossary((entry("juche"), entry("kim"), entry("leer")))
    resolved, _ = resolve_edition(edition(article("neu", "2024"), article("alt", "2019")), glossary)
    index, warnings = index_terms(resolved, {"neu": uses("kim", "juche"), "alt": uses("kim")})
    assert [m.article.slug for m in index.by_entry["kim"]] == ["alt", "neu"]
    assert [e.id for e in index.by_article["neu"]] == ["kim", "juche"]
    assert index.by_entry["leer"] == () and index.tallies["leer"] == {}
    assert (index.counts["kim"], index.counts["juche"], index.counts["leer"]) == (2, 1, 0)
    assert [(w.severity, w.message) for w in warnings] == [
        ("warning", "Der Eintrag „Leer“ kommt in keinem Artikel vor")
    ]


def test_related_articles_share_rare_entries_and_ignore_those_every_article_names() -> None:
    glossary = Glossary(tuple(entry(e) for e in ("kim", "zug", "gipfel", "juche")))
    articles = (article("a", "2019"), article("b", "2020"), article("c", "2021"), article("d", "2022"))
    resolved, _ = resolve_edition(edition(*articles), glossary)
    bodies = {"a": uses("kim", "zug", "gipfel"), "b": uses("kim", "zug"), "c": uses("kim", "gipfel"), "d": uses("kim")}
    index, _ = index_terms(resolved, bodies)
    related = find_related(resolved, index, limit=2)
    assert [(r.article.slug, [e.id for e in r.shared]) for r in related["a"]] == [("b", ["zug"]), ("c", ["gipfel"])]
    assert related["d"] == ()  # it shares only "kim", which every article names


def test_backlinks_come_in_time_order_and_never_from_the_article_itself() -> None:
    resolved, _ = resolve_edition(
        edition(article("a", "2019"), article("b", "2020"), article("c", "2021")), Glossary(())
    )
    backlinks = find_backlinks(resolved, {"c": {"a", "c"}, "b": {"a", "fehlt"}})
    assert [a.slug for a in backlinks["a"]] == ["b", "c"]
    assert backlinks["b"] == () and backlinks["c"] == ()


def test_the_timeline_puts_articles_before_glossary_facts_of_the_same_date() -> None:
    glossary = Glossary((entry("gipfel", ("2019-04-25", "Gipfel"), ("2000-07-19", "Besuch")),))
    resolved, _ = resolve_edition(edition(article("a", "2019-04-25")), glossary)
    events = collect_events(resolved, {}, {})
    assert [(e.date.iso(), e.kind, e.text) for e in events] == [
        ("2000-07-19", "event", "Besuch"),
        ("2019-04-25", "article", "Titel a"),
        ("2019-04-25", "event", "Gipfel"),
    ]
    assert events[1].sources[0].url == "artikel/a/" and events[2].sources[0].url == "glossar/gipfel/"


def related_by_every_pair(
    resolved: Resolved, index: TermIndex, limit: int, candidate_postings: int
) -> dict[str, list[tuple[str, ...]]]:
    """The related articles as their definition reads: every pair that shares a rare entry (one in at most
    `candidate_postings` articles) scored by all it shares, ties by distance in months, then by slug."""
    used = {slug: {e.id for e in entries} for slug, entries in index.by_article.items()}
    total = len(resolved.timeline)
    count = {e: sum(e in ids for ids in used.values()) for ids in used.values() for e in ids}
    weight = {e: math.log(total / n) for e, n in count.items()}
    order = {e: (-weight[e], german_sort_key(resolved.glossary.by_id[e].term)) for e in weight}
    month = {a.slug: a.date.year * 12 + a.date.month for a in resolved.timeline}
    result = {}
    for a in resolved.timeline:
        ranked = []
        for b in resolved.timeline:
            shared = sorted((e for e in used[a.slug] & used[b.slug] if weight[e] > 0), key=order.__getitem__)
            if b.slug != a.slug and any(count[e] <= max(candidate_postings, 2) for e in shared):
                score = round(sum(weight[e] for e in shared), 9)
                ranked.append((-score, abs(month[a.slug] - month[b.slug]), b.slug, tuple(shared)))
        result[a.slug] = [(slug, *shared) for _s, _d, slug, shared in sorted(ranked)[:limit]]
    return result


@settings(max_examples=200, deadline=None)
@given(
    uses_of=st.lists(st.sets(st.sampled_from("abcdefgh"), max_size=6), min_size=1, max_size=9),
    candidate_postings=st.integers(1, 4),
)
def test_related_articles_are_those_every_pair_would_rank_first(
    uses_of: list[set[str]], candidate_postings: int
) -> None:
    # Few candidate postings, so that some shared entries are counted along the lists and some per candidate.
    glossary = Glossary(tuple(entry(e) for e in "abcdefgh"))
    articles = [article(f"s{n}", f"20{10 + n % 3}-0{1 + n % 4}") for n in range(len(uses_of))]
    resolved, _ = resolve_edition(edition(*articles), glossary)
    index, _ = index_terms(resolved, {a.slug: uses(*sorted(ids)) for a, ids in zip(articles, uses_of, strict=True)})
    found = find_related(resolved, index, 3, candidate_postings)
    assert {
        slug: [(r.article.slug, *(e.id for e in r.shared)) for r in shown] for slug, shown in found.items()
    } == related_by_every_pair(resolved, index, 3, candidate_postings)
    # As the build cache keeps it (plain names, through the cache's codec), and back: the same ranking.
    assert related_from_names(codec.decode(codec.encode(related_names(found))), resolved) == found


@settings(max_examples=200, deadline=None)
@given(
    uses_of=st.lists(st.sets(st.sampled_from("abcdefgh"), max_size=6), min_size=1, max_size=9),
    changes=st.lists(st.tuples(st.integers(0, 8), st.sets(st.sampled_from("abcdefgh"), max_size=6)), max_size=4),
    candidate_postings=st.integers(1, 4),
)
def test_a_finder_told_of_changed_entries_finds_what_a_new_one_finds(
    uses_of: list[set[str]], changes: list[tuple[int, set[str]]], candidate_postings: int
) -> None:
    glossary = Glossary(tuple(entry(e) for e in "abcdefgh"))
    articles = [article(f"s{n}", f"20{10 + n % 3}-0{1 + n % 4}") for n in range(len(uses_of))]
    resolved, _ = resolve_edition(edition(*articles), glossary)
    used = {a.slug: frozenset(ids) for a, ids in zip(articles, uses_of, strict=True)}
    finder = RelatedFinder(resolved, used, candidate_postings)
    for which, ids in changes:
        slug = articles[which % len(articles)].slug
        finder, used = finder.with_entries(slug, frozenset(ids)), {**used, slug: frozenset(ids)}
        fresh = RelatedFinder(resolved, used, candidate_postings)
        assert [finder.of(a) for a in articles] == [fresh.of(a) for a in articles]
