"""The benchmark's verdict: measured figures in, the speed issue's targets (met, or missed by how much), the
growth between configurations, and where a build's time goes, as Markdown tables out."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

HUGO = "Hugo, plain Markdown (reference)"
PELICAN = "Pelican, plain Markdown (Python reference)"
FLOOR_NAME = "markdown-it-py alone (floor)"
COLD = "edition: cold full build"
COLD_BARE = "edition: cold build without its search step"
NOTHING = "edition: nothing changed"
ONE_ARTICLE = "edition: one article changed"
ONE_ENTRY = "edition: one glossary entry changed"
PAGE = "edition: live preview, save to page on disk"
SECOND_PAGE = "edition: live preview, a second save to its page, the rest of the site following"
REST = "edition: live preview, save to the rest of the site and its search index"
SECOND_REST = "edition: live preview, the second save to the rest of the site and its search index"
WHOLE = "edition: live preview, save to the end of the whole build behind it"
OUTSIDE = "process start, imports, the glance, exit"  # a build's wall time outside the stages it times
PROFILED = (COLD, ONE_ARTICLE, ONE_ENTRY)  # the builds whose stages the profile shows
MEMORY_LIMIT_MB = 500.0
GROWTH_SLACK = 1.05  # ten times the articles may cost 10.5 times the time


@dataclass(frozen=True)
class Target:
    """One target of the speed issue: what it asks, what was measured, and measured ÷ allowed (≤ 1: met)."""

    name: str
    goal: str
    measured: str
    factor: float

    @property
    def met(self) -> bool:
        """Whether the measurement is within the target."""
        return self.factor <= 1.0


def stages_of(output: str) -> dict[str, float]:
    """The seconds of each stage in a build's `--timings` line („Zeiten: load, check, resolve 1.20 s, …“)."""
    line = next((line for line in output.splitlines() if line.startswith("Zeiten: ")), None)
    if line is None:
        raise RuntimeError(f"no stage timings in the build's output:\n{output[-500:]}")
    found = re.findall(r"(.+?) ([0-9.]+) s(?:, |$)", line.removeprefix("Zeiten: "))
    return {stage: float(seconds) for stage, seconds in found}


def profile_of(runs: Sequence[tuple[float, str]]) -> dict[str, float]:
    """The median seconds of each stage over runs of one kind of build (wall time, output), and of the time
    the process spends outside them."""
    stages = [stages_of(output) for _, output in runs]
    names = list(dict.fromkeys(name for found in stages for name in found))
    profile = {name: statistics.median(found.get(name, 0.0) for found in stages) for name in names}
    profile[OUTSIDE] = statistics.median(
        wall - sum(found.values()) for (wall, _), found in zip(runs, stages, strict=True)
    )
    return profile


def counted(note: str, what: str) -> int:
    """A count from a build's summary line („12014 Seiten, 12015 Dateien neu gerendert, …“)."""
    found = re.search(rf"(\d+) {what}", note)
    if not found:
        raise RuntimeError(f"no „{what}“ in the summary line: {note}")
    return int(found.group(1))


def within(name: str, goal: str, measured: float, allowed: float, unit: str = "s") -> Target:
    """A target that asks for at most `allowed`."""
    return Target(name, goal, f"{measured:.3f} {unit}" if unit == "s" else f"{measured:.0f} {unit}", measured / allowed)


def targets_of(result: Mapping) -> list[Target]:
    """The speed issue's targets for one configuration's figures."""
    figures = {figure["name"]: figure for figure in result["figures"]}
    seconds = {name: figure["seconds"] for name, figure in figures.items()}
    hugo, pelican = seconds[HUGO], seconds[PELICAN]
    cold, bare = seconds[COLD], seconds[COLD_BARE]
    all_files = counted(figures[COLD]["note"], "Dateien neu gerendert")
    entry_files = counted(figures[ONE_ENTRY]["note"], "Dateien neu gerendert")
    entry_share = cold * entry_files / all_files
    peak = max(figure["peak_mb"] for name, figure in figures.items() if name.startswith("edition"))
    return [
        within("preview: save → the changed page on disk", "≤ 0.3 s", seconds[PAGE], 0.3),
        within("preview: a second save's page, the rest following the first", "≤ 0.3 s", seconds[SECOND_PAGE], 0.3),
        within("preview: save → the rest of the site with its search index", "≤ 3 s", seconds[REST], 3.0),
        within("preview: the second of two saves → the rest that shows it", "≤ 3 s", seconds[SECOND_REST], 3.0),
        within("`build` after one article changed", "≤ 1.0 s", seconds[ONE_ARTICLE], 1.0),
        within(
            "`build` after one entry changed, in proportion to its occurrences",
            f"≤ the cold build's share for the {entry_files} of {all_files} files it renders: {entry_share:.1f} s",
            seconds[ONE_ENTRY],
            entry_share,
        ),
        within("cold build, search index included", f"≤ 5 × Hugo: {5 * hugo:.1f} s", cold, 5 * hugo),
        within("cold build, search index included", f"faster than Pelican: {pelican:.1f} s", cold, pelican),
        within("cold build without its search step", f"≤ 3 × Hugo: {3 * hugo:.1f} s", bare, 3 * hugo),
        within("peak memory of any of the edition's steps", f"≤ {MEMORY_LIMIT_MB:.0f} MB", peak, MEMORY_LIMIT_MB, "MB"),
    ]


def growth_of(results: Sequence[Mapping]) -> list[Target]:
    """The growth targets between configurations that differ in one count: more articles may cost at most
    10.5 % more than in proportion; more entries no more than the entry pages they add, at the larger
    configuration's cost per page."""
    pairs = [(small, large) for small in results for large in results if large["notes"] == small["notes"]]
    return [
        *(articles_grown(a, b) for a, b in pairs if b["entries"] == a["entries"] and b["articles"] > a["articles"]),
        *(entries_grown(a, b) for a, b in pairs if b["articles"] == a["articles"] and b["entries"] > a["entries"]),
    ]


def articles_grown(small: Mapping, large: Mapping) -> Target:
    """The cold build of more articles (the same entries) against its share of the fewer articles' time."""
    times = large["articles"] / small["articles"]
    grown = cold_figure(large)["seconds"] / cold_figure(small)["seconds"]
    return Target(
        f"{times:g} × the articles ({small['articles']} → {large['articles']}, {large['entries']} entries): cold build",
        f"≤ {GROWTH_SLACK * times:g} × the time",
        f"{grown:.2f} ×",
        grown / (GROWTH_SLACK * times),
    )


def entries_grown(small: Mapping, large: Mapping) -> Target:
    """The time more entries (the same articles) add to a cold build against the entry pages they add."""
    times = large["entries"] / small["entries"]
    cold_small, cold_large = cold_figure(small), cold_figure(large)
    added_pages = counted(cold_large["note"], "Seiten") - counted(cold_small["note"], "Seiten")
    per_page = cold_large["seconds"] / counted(cold_large["note"], "Seiten")
    added = cold_large["seconds"] - cold_small["seconds"]
    return Target(
        f"{times:g} × the entries ({small['entries']} → {large['entries']}, {large['articles']} articles): cold build",
        f"≤ the {added_pages} pages it adds at {1000 * per_page:.1f} ms a page",
        f"{added:.1f} s more: {1000 * added / added_pages:.1f} ms a page",
        added / (per_page * added_pages),
    )


def cold_figure(result: Mapping) -> Mapping:
    """A configuration's cold build figure."""
    return next(figure for figure in result["figures"] if figure["name"] == COLD)


def targets_table(targets: Iterable[Target]) -> str:
    """A Markdown table of targets: goal, measurement, measured ÷ allowed, met or missed."""
    lines = ["| target | goal | measured | ÷ goal | met? |", "| --- | --- | --- | ---: | --- |"]
    for target in targets:
        verdict = "yes" if target.met else f"no: {target.factor:.2f} × the goal"
        lines.append(f"| {target.name} | {target.goal} | {target.measured} | {target.factor:.2f} | {verdict} |")
    return "\n".join(lines)


def profile_table(profiles: Mapping[str, Mapping[str, float]]) -> str:
    """A Markdown table of where each profiled build's time goes, stage by stage (median seconds)."""
    names = list(dict.fromkeys(stage for profile in profiles.values() for stage in profile if stage != OUTSIDE))
    builds = list(profiles)
    lines = [
        "| stage | " + " | ".join(build.removeprefix("edition: ") for build in builds) + " |",
        "| --- |" + " ---: |" * len(builds),
    ]
    for stage in [*names, OUTSIDE]:
        cells = (f"{profiles[build][stage]:.1f} s" if stage in profiles[build] else "–" for build in builds)
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    totals = (f"{sum(profiles[build].values()):.1f} s" for build in builds)
    lines.append("| total (wall) | " + " | ".join(totals) + " |")
    return "\n".join(lines)
