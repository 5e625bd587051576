"""The timeline's events: facts from several sources about the same event merged into one, with every source."""

from __future__ import annotations

from edition.chronicle import EventSource, Fact, build_chronicle, merge_facts
from edition.dates import PartialDate


def fact(date: str, text: str, source: str, mentions: tuple[str, ...] = (), entry: str | None = None) -> Fact:
    """A fact from a glossary entry (when `entry` is given) or from a note."""
    kind = "glossary" if entry else "note"
    return Fact(PartialDate.parse(date), text, EventSource(source, f"{source}/", kind), frozenset(mentions), entry)


FOUNDING = [
    fact("1948-09-09", "Gründung Nordkoreas, Kim Il Sung wird Ministerpräsident", "Anmerkung 7", ("nordkorea", "kis")),
    fact("1948-09-09", "Gründung der Demokratischen Volksrepublik Korea", "Kim Il Sung", (), "kis"),
    fact("1948-09-09", "Staatsgründung", "Nordkorea", (), "nordkorea"),
]


def test_same_day_and_a_shared_entry_is_one_event_with_every_source() -> None:
    [event] = build_chronicle([], FOUNDING)
    assert event.date == PartialDate(1948, 9, 9)
    assert event.text == "Gründung Nordkoreas, Kim Il Sung wird Ministerpräsident"  # names the most entries
    assert [s.label for s in event.sources] == ["Anmerkung 7", "Kim Il Sung", "Nordkorea"]
    assert event.lead is None


def test_a_month_joins_the_day_it_has_most_in_common_with() -> None:
    facts = [
        fact("2019-02-27", "Beginn des Gipfeltreffens in Hanoi", "Gipfeltreffen in Hanoi 2019", (), "hanoi"),
        fact("2019-02-28", "Der Gipfel von Kim und Trump in Hanoi endet ohne Abkommen", "Anmerkung 4"),
        fact("2019-02-28", "vorzeitiger Abbruch ohne gemeinsame Erklärung", "Gipfeltreffen in Hanoi 2019", (), "hanoi"),
        fact(
            "2019-02",
            "Gipfeltreffen mit Donald Trump in Hanoi, ohne Einigung beendet",
            "Kim Jong Un",
            ("trump",),
            "kim",
        ),
        fact("2019-02", "Gipfeltreffen mit Kim Jong Un in Hanoi, ohne Einigung", "Donald Trump", ("kim",), "trump"),
    ]
    groups = merge_facts(facts)
    assert sorted(len(g) for g in groups) == [1, 4]
    [end] = [g for g in groups if len(g) == 4]
    assert {f.date for f in end} == {PartialDate(2019, 2, 28), PartialDate(2019, 2)}


def test_different_events_in_one_month_stay_apart() -> None:
    facts = [
        fact("2021-01", "Amtsantritt als Nationaler Sicherheitsberater", "Jake Sullivan", (), "sullivan"),
        fact("2021-01", "Wahl zum Generalsekretär der Partei der Arbeit Koreas", "Kim Jong Un", ("pak",), "kim"),
        # One shared entry is not enough within a month: Kim is named by many events.
        fact("2021-01", "Besuch einer Fabrik mit Kim Jong Un", "Chollima-Werk", ("kim",), "werk"),
    ]
    assert len(merge_facts(facts)) == 3


def test_two_days_never_merge_and_articles_stay_articles() -> None:
    facts = [
        fact("2024-11-09", "Ratifizierungsgesetz von Putin unterzeichnet", "Vertrag", ("putin",), "vertrag"),
        fact("2024-11-11", "Ratifizierung durch Nordkorea", "Vertrag", (), "vertrag"),
    ]
    events = build_chronicle([(PartialDate(2024, 11), "Ein Artikel", "artikel/a/")], facts)
    assert [e.kind for e in events] == ["article", "event", "event"]
    assert events[2].lead is not None and events[2].lead.label == "Vertrag"  # its text does not name its entry
