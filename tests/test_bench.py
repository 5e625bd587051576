"""The benchmark's verdict: stage timings read from a build's output, each target met or missed by the factor
measured ÷ allowed, growth between configurations that differ in one count. Fixed figures, no timing."""

from __future__ import annotations

import pytest

from bench.report import (
    COLD,
    COLD_BARE,
    FLOOR_NAME,
    HUGO,
    NOTHING,
    ONE_ARTICLE,
    ONE_ENTRY,
    OUTSIDE,
    PAGE,
    PELICAN,
    REST,
    SECOND_PAGE,
    SECOND_REST,
    WHOLE,
    growth_of,
    profile_of,
    profile_table,
    stages_of,
    targets_of,
    targets_table,
)

OUTPUT = """warnung: …
Zeiten: load, check, resolve 29.50 s, render Markdown 32.80 s, derive 8.60 s, search index 40.20 s, write 13.50 s
12014 Seiten, 12015 Dateien neu gerendert, 34984 geschrieben, 10000 Artikel, 1 Begriffe erklärt, 0 Warnungen, 160.00 s
"""


def summary(pages: int, files: int) -> str:
    return f"{pages} Seiten, {files} Dateien neu gerendert, 1 geschrieben, 10 Artikel, 0 Warnungen, 1.00 s"


def result(articles: int, entries: int, cold: float, pages: int, **seconds: float) -> dict:
    """A configuration's figures: the given cold build and `seconds` by figure name, the rest 1 s each."""
    builds = (FLOOR_NAME, HUGO, PELICAN, COLD_BARE, NOTHING, ONE_ARTICLE, ONE_ENTRY)
    figures = dict.fromkeys((*builds, PAGE, SECOND_PAGE, REST, SECOND_REST, WHOLE), 1.0) | {COLD: cold} | seconds
    notes = {COLD: summary(pages, pages + 1), ONE_ENTRY: summary(pages, (pages + 1) // 4)}
    return {
        "articles": articles,
        "entries": entries,
        "notes": 5,
        "figures": [
            {"name": name, "seconds": value, "peak_mb": 100.0, "runs": 1, "note": notes.get(name, "")}
            for name, value in figures.items()
        ],
    }


def test_stage_names_with_commas_are_read_whole() -> None:
    assert stages_of(OUTPUT) == {
        "load, check, resolve": 29.5,
        "render Markdown": 32.8,
        "derive": 8.6,
        "search index": 40.2,
        "write": 13.5,
    }


def test_a_build_without_timings_is_an_error_not_a_zero() -> None:
    with pytest.raises(RuntimeError, match="no stage timings"):
        stages_of("12014 Seiten, 0 Dateien neu gerendert")


def test_the_profile_takes_each_stage_s_median_and_the_time_outside_the_stages() -> None:
    second = OUTPUT.replace("derive 8.60 s", "derive 2.00 s")
    third = OUTPUT.replace("derive 8.60 s", "derive 9.00 s")
    profile = profile_of([(130.0, OUTPUT), (150.0, second), (200.0, third)])
    assert profile["derive"] == 8.6 and profile["write"] == 13.5
    # Outside the stages: 130 − 124.6, 150 − 118.0, 200 − 125.0; the median of 5.4, 32.0, 75.0.
    assert profile[OUTSIDE] == pytest.approx(32.0)
    table = profile_table({COLD: profile})
    assert "| load, check, resolve | 29.5 s |" in table and f"| {OUTSIDE} | 32.0 s |" in table


def test_each_target_is_measured_against_what_it_allows() -> None:
    hugo, pelican = 4.0, 40.0
    found = targets_of(
        result(
            10000,
            2000,
            cold=168.0,
            pages=12000,
            **{HUGO: hugo, PELICAN: pelican, ONE_ARTICLE: 68.0, ONE_ENTRY: 21.0, PAGE: 0.15, SECOND_REST: 3.6},
        )
    )
    factors = {(t.name, t.goal.split(":")[0]): t.factor for t in found}
    assert factors[("`build` after one article changed", "≤ 1.0 s")] == pytest.approx(68.0)
    assert factors[("cold build, search index included", "≤ 5 × Hugo")] == pytest.approx(168.0 / 20.0)
    assert factors[("cold build, search index included", "faster than Pelican")] == pytest.approx(168.0 / 40.0)
    # The entry re-renders a quarter of the files: it may take a quarter of the cold build (42 s) and took half that.
    entry = next(t for t in found if t.name.startswith("`build` after one entry"))
    assert entry.factor == pytest.approx(21.0 / (168.0 * 3000 / 12001)) and entry.met
    page, second_rest = (
        next(t for t in found if t.name.startswith(start)) for start in ("preview: save →", "preview: the second")
    )
    assert page.met and page.factor == pytest.approx(0.5)
    assert not second_rest.met and second_rest.factor == pytest.approx(1.2)
    assert "| no: 1.20 × the goal |" in targets_table([second_rest]) and "| yes |" in targets_table([page])


def test_peak_memory_is_the_highest_of_the_edition_s_steps_not_of_the_references() -> None:
    figures = result(10, 4, cold=1.0, pages=10)
    for figure in figures["figures"]:
        figure["peak_mb"] = {HUGO: 9000.0, ONE_ENTRY: 700.0}.get(figure["name"], 100.0)
    memory = next(t for t in targets_of(figures) if t.name.startswith("peak memory"))
    assert memory.measured == "700 MB" and memory.factor == pytest.approx(1.4) and not memory.met


def test_growth_compares_configurations_that_differ_in_one_count() -> None:
    small = result(1000, 50, cold=20.0, pages=1050)
    more_entries = result(1000, 2000, cold=28.0, pages=3000)
    more_articles = result(10000, 2000, cold=300.0, pages=12000)
    unrelated = result(500, 7, cold=1.0, pages=507)
    found = {t.name.split(" (")[0]: t for t in growth_of([more_articles, more_entries, small, unrelated])}
    assert set(found) == {"10 × the articles", "40 × the entries"}
    # 28 s → 300 s for ten times the articles: 10.7 ×, over the 10.5 × allowed.
    assert found["10 × the articles"].factor == pytest.approx(300.0 / 28.0 / 10.5)
    assert not found["10 × the articles"].met
    # 1,950 more pages at 28 s / 3,000 pages = 9.3 ms a page allow 18.2 s; they took 8 s.
    assert (
        found["40 × the entries"].factor == pytest.approx(8.0 / (28.0 / 3000 * 1950)) and found["40 × the entries"].met
    )
