"""The benchmark: a synthetic edition in, one table of timings, peak memory and ratios out.

For each configuration (articles N, glossary entries M, notes K) it generates the edition once, then measures
in one run, each figure the median of `--runs` repetitions: markdown-it-py alone on all cores (the floor),
Hugo building the same articles as plain Markdown (the reference), Pelican doing the same (the Python
reference), and the edition's own cold build (also without its search step), a build with nothing changed,
after one article changed, after one glossary entry changed, and the live preview's time from a save to the
rebuilt page on disk (also for a second save while the rest of the site follows the first), from each of the
two saves to the rest of the site with its search index, and to the end of the whole build behind them. Then,
on the edition itself, the cost of names in a text: one long article (`--dense` MB of the seeds' paragraphs,
naming glossary entries about every 80 characters) against the same article with every capitalised word made
unrecognisable, so it names none. Only ratios measured in the same run compare: these machines are shared and noisy.

For each configuration it then prints where the cold, the one-article and the one-entry build spend their time
(each stage's median from `build --timings`), and each target of the speed issue, met or missed by how much
(`bench/report.py`); across configurations that differ in one count, the growth targets.

    python -m bench.run [--configs 10000x2000 1000x50] [--notes 5] [--runs 3] [--dense 10] [--out bench/out]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bench.generate import generate  # noqa: E402
from bench.report import (  # noqa: E402
    COLD,
    COLD_BARE,
    FLOOR_NAME,
    HUGO,
    NOTHING,
    ONE_ARTICLE,
    ONE_ENTRY,
    PAGE,
    PELICAN,
    PROFILED,
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
from edition.inputs import PROJECT_DOCUMENTS, PROJECT_FILES, PROJECT_FOLDERS  # noqa: E402

PYTHON = sys.executable
# Pelican runs from an environment of its own, so the edition's holds only what the edition runs on.
BENCH_VENV = ROOT / ".venv-bench"
BENCH_REQUIREMENTS = HERE / "requirements.txt"


@dataclass(frozen=True)
class Figure:
    """One measured step: median seconds and peak memory over the runs, and what it wrote."""

    name: str
    seconds: float
    peak_mb: float
    runs: int
    note: str = ""


def run_measured(command: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """Run a command; return its wall time, its peak resident memory in MB, and its output.

    GNU time measures the memory: a child forked from this (large) process would count the parent's pages."""
    report = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-time-{os.getpid()}.txt"
    started = time.perf_counter()
    result = subprocess.run(
        [ensure_time(), "-f", "%M", "-o", str(report), *command], cwd=cwd, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output[-2000:]}")
    return elapsed, int(report.read_text().split()[-1]) / 1024, output


def ensure_time() -> str:
    """GNU time (Debian's `time` package), installed when missing."""
    if not Path("/usr/bin/time").exists():
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(
            [*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "time"],
            check=True,
            capture_output=True,
        )
    return "/usr/bin/time"


def median_of(name: str, runs: int, step: Callable[[], tuple[float, float, str]], *, keep_note: bool = True) -> Figure:
    """Repeat a measured step; keep the median time, the highest peak memory, and the last run's note."""
    return figure_of(name, [step() for _ in range(runs)], keep_note=keep_note)


def figure_of(name: str, results: list[tuple[float, float, str]], *, keep_note: bool = True) -> Figure:
    """The figure of measured runs: the median time, the highest peak memory, and the last run's note."""
    return Figure(
        name,
        statistics.median(r[0] for r in results),
        max(r[1] for r in results),
        len(results),
        results[-1][2] if keep_note else "",
    )


def ensure_hugo() -> str:
    """Debian's hugo, installed when missing."""
    found = shutil.which("hugo")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update"], check=True, capture_output=True)
    subprocess.run(
        [*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "hugo"],
        check=True,
        capture_output=True,
    )
    return shutil.which("hugo") or "hugo"


def split_article(path: Path) -> tuple[dict[str, str], str]:
    """An article file's front matter (the plain `key: "value"` lines) and its Markdown body."""
    text = path.read_text(encoding="utf-8")
    _empty, head, body = text.split("---\n", 2)
    return {key: str(value) for key, value in yaml.safe_load(head).items()}, body


def make_hugo_site(edition: Path, site: Path) -> None:
    """The same articles as a plain Hugo site: title, date and body, one page each, a list page."""
    files = {
        "hugo.toml": 'baseURL = "http://127.0.0.1/"\nlanguageCode = "de"\ntitle = "Bench"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n',
        "layouts/_default/single.html": '<!DOCTYPE html><html lang="de"><head><title>{{ .Title }}</title></head><body>'
        "<main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n",
        "layouts/_default/list.html": '<!DOCTYPE html><html lang="de"><head><title>{{ .Title }}</title></head>'
        '<body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}'
        "</ul></body></html>\n",
    }
    for path in sorted((edition / "content" / "artikel").glob("*.md")):
        fields, body = split_article(path)
        title = json.dumps(fields["title"], ensure_ascii=False)
        files[f"content/artikel/{path.name}"] = f"---\ntitle: {title}\ndate: {full_date(fields['date'])}\n---\n{body}"
    write_fresh(site, files)


def write_fresh(folder: Path, files: dict[str, str]) -> None:
    """A fresh folder holding these texts, each at its path."""
    if folder.exists():
        shutil.rmtree(folder)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def ensure_pelican() -> str:
    """Pelican in `.venv-bench`, pinned by `bench/requirements.txt`; the environment is made when missing."""
    pelican = BENCH_VENV / "bin" / "pelican"
    if not pelican.exists():
        subprocess.run([PYTHON, "-m", "venv", str(BENCH_VENV)], check=True, capture_output=True)
        pip = [str(BENCH_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "-r", str(BENCH_REQUIREMENTS)], check=True, capture_output=True)
    return str(pelican)


PELICAN_SETTINGS = """
SITENAME = "Bench"
SITEURL = ""
PATH = "content"
THEME = "theme"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
DEFAULT_PAGINATION = False
DIRECT_TEMPLATES = ["index"]
ARTICLE_URL = "artikel/{slug}/"
ARTICLE_SAVE_AS = "artikel/{slug}/index.html"
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = TAG_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
"""


def make_pelican_site(edition: Path, site: Path) -> None:
    """The same articles as a plain Pelican site, as for Hugo: one page each with a one-line template, a list
    page, and no feeds, categories, tags or archives."""
    files = {
        "pelicanconf.py": PELICAN_SETTINGS,
        "theme/static/.keep": "",
        "theme/templates/article.html": '<!DOCTYPE html><html lang="de"><head><title>{{ article.title }}</title></head>'
        "<body><main><h1>{{ article.title }}</h1>{{ article.content }}</main></body></html>\n",
        "theme/templates/index.html": '<!DOCTYPE html><html lang="de"><head><title>{{ SITENAME }}</title></head>'
        '<body><ul>{% for a in articles %}<li><a href="/{{ a.url }}">{{ a.title }}</a></li>{% endfor %}'
        "</ul></body></html>\n",
    }
    for path in sorted((edition / "content" / "artikel").glob("*.md")):
        fields, body = split_article(path)
        title = " ".join(fields["title"].split())
        files[f"content/{path.name}"] = (
            f"Title: {title}\nDate: {full_date(fields['date'])}\nSlug: {path.stem}\n\n{body}"
        )
    write_fresh(site, files)


def full_date(date: str) -> str:
    """A front matter date as a day (`2019-04` → `2019-04-01`), which Hugo and Pelican require."""
    return (date + "-01-01")[:10] if len(date) < 10 else date


FLOOR = """
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from markdown_it import MarkdownIt

def render(paths):
    md = MarkdownIt("commonmark", {"html": False})
    return sum(len(md.render(Path(p).read_text(encoding="utf-8").split("---\\n", 2)[2])) for p in paths)

paths = sorted(str(p) for p in Path(sys.argv[1]).glob("*.md"))
cores = __import__("os").cpu_count()
chunks = [paths[i::cores * 4] for i in range(cores * 4)]
with ProcessPoolExecutor(cores) as pool:
    print(sum(pool.map(render, chunks)))
"""


def measure_floor(edition: Path, runs: int) -> Figure:
    """markdown-it-py rendering the same article bodies, nothing else, on all cores."""
    articles = str(edition / "content" / "artikel")
    return median_of(FLOOR_NAME, runs, lambda: run_measured([PYTHON, "-c", FLOOR, articles]), keep_note=False)


def measure_reference(name: str, runs: int, output: Path, command: list[str], cwd: Path | None = None) -> Figure:
    """A reference generator's cold builds: `output` removed before each run."""

    def once() -> tuple[float, float, str]:
        shutil.rmtree(output, ignore_errors=True)
        return run_measured(command, cwd=cwd)

    return median_of(name, runs, once, keep_note=False)


def measure_hugo(edition: Path, work: Path, runs: int) -> Figure:
    """Hugo's plain build of the same articles."""
    hugo, site = ensure_hugo(), work / "hugo"
    make_hugo_site(edition, site)
    return measure_reference(
        HUGO, runs, site / "public", [hugo, "--quiet", "-s", str(site), "-d", str(site / "public")]
    )


def measure_pelican(edition: Path, work: Path, runs: int) -> Figure:
    """Pelican's plain build of the same articles (no content cache: a cold build, as Hugo's)."""
    pelican, site = ensure_pelican(), work / "pelican"
    make_pelican_site(edition, site)
    command = [pelican, "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
    return measure_reference(PELICAN, runs, site / "output", command, cwd=site)


def build(edition: Path, out: Path) -> tuple[float, float, str]:
    """One build of the edition into `out`; its summary line as the note."""
    seconds, peak, output = build_timed(edition, out)
    return seconds, peak, summary_line(output)


def build_timed(edition: Path, out: Path) -> tuple[float, float, str]:
    """One build of the edition into `out` with its stage timings; its whole output."""
    command = [PYTHON, str(ROOT / "build.py"), "--project", str(edition), "build", "--out", str(out), "--timings"]
    return run_measured(command)


def summary_line(output: str) -> str:
    """A build's summary line. Warnings (same-day reports without `order:` in a generated edition) may follow
    it: the summary is the line that counts pages."""
    lines = output.strip().splitlines()
    return next((line for line in reversed(lines) if " Seiten, " in line), lines[-1])


def measure_builds(edition: Path, runs: int) -> tuple[list[Figure], dict[str, dict[str, float]]]:
    """The edition's cold build, and its warm builds after no change, an article change, an entry change; and
    where the time of the cold, the article's and the entry's builds goes, stage by stage."""
    out = edition / "site"
    cache = edition / ".site.cache.sqlite"
    timed: dict[str, list[tuple[float, str]]] = {name: [] for name in PROFILED}

    def kept(name: str, step: Callable[[], None]) -> Callable[[], tuple[float, float, str]]:
        """`step`, then a timed build whose stages are kept under `name`; its summary line as the note."""

        def once() -> tuple[float, float, str]:
            step()
            seconds, peak, output = build_timed(edition, out)
            timed[name].append((seconds, output))
            return seconds, peak, summary_line(output)

        return once

    def forget() -> None:
        shutil.rmtree(out, ignore_errors=True)
        cache.unlink(missing_ok=True)

    colds = [kept(COLD, forget)() for _ in range(runs)]
    figures = [
        figure_of(COLD, colds),
        # The same runs with their search stage taken out; its peak is the whole build's, Pagefind's included.
        figure_of(
            COLD_BARE,
            [
                (seconds - stages_of(output)["search index"], peak, "")
                for (seconds, output), (_, peak, _) in zip(timed[COLD], colds, strict=True)
            ],
            keep_note=False,
        ),
    ]
    figures.append(median_of(NOTHING, runs, lambda: build(edition, out)))
    all_articles = sorted((edition / "content" / "artikel").glob("*.md"))
    article = all_articles[len(all_articles) // 2]
    counter = iter(range(1000))

    def change_article() -> None:
        with article.open("a", encoding="utf-8") as stream:
            stream.write(f"\nEin Satz für den Benchmark, Nummer {next(counter)}.\n")

    figures.append(median_of(ONE_ARTICLE, runs, kept(ONE_ARTICLE, change_article)))
    glossary = edition / "glossary.yaml"
    original = glossary.read_text(encoding="utf-8")
    definition = re.compile(r'(\n  definition: "[^"\n]*?)(?: \(Fassung \d+\))?"\n')

    def change_entry() -> None:
        text = glossary.read_text(encoding="utf-8")
        number = next(counter)
        glossary.write_text(
            definition.sub(lambda m: f'{m.group(1)} (Fassung {number})"\n', text, count=1), encoding="utf-8"
        )

    figures.append(median_of(ONE_ENTRY, runs, kept(ONE_ENTRY, change_entry)))
    glossary.write_text(original, encoding="utf-8")
    build(edition, out)
    return figures, {name: profile_of(runs_of) for name, runs_of in timed.items()}


SHOWN_SAID = "der Rest der Seite folgt"  # what the preview says once a save's page is shown first
REST_SAID = "Der Rest der Seite ist da"  # and once the rest of the site has followed


def said_more(log: Path, what: str, count: int) -> Callable[[], bool]:
    """Whether the server's output `log` says `what` more than `count` times (or that a build failed)."""
    return lambda: (text := log.read_text(encoding="utf-8")).count(what) > count or "fehlgeschlagen" in text


def moments_said(log: Path, what: str, count: int, until: str, until_count: int) -> list[float]:
    """The moments (`time.perf_counter`, every 20 ms) the server's output `log` came to say `what` more than
    `count` times, once more each, until it says `until` more than `until_count` times (or that a build failed)."""
    moments: list[float] = []
    while True:
        text = log.read_text(encoding="utf-8")
        now = time.perf_counter()
        moments += [now] * (text.count(what) - count - len(moments))
        if text.count(until) > until_count or "fehlgeschlagen" in text:
            if not moments:
                raise RuntimeError("the preview never showed the rest of the site")
            return moments
        time.sleep(0.02)


def settled(log: Path, quiet: float = 3.0) -> None:
    """Wait until nothing runs: the server's last whole build ended after its last save shown and the rest of the
    site that followed, and it has said nothing more for `quiet` seconds."""

    def last_build_last(text: str) -> bool:
        return text.rfind(" Seiten, ") > max(text.rfind(SHOWN_SAID), text.rfind(REST_SAID))

    while True:
        wait_for(lambda: last_build_last(log.read_text(encoding="utf-8")), step=0.05)
        before = log.read_text(encoding="utf-8")
        time.sleep(quiet)
        if log.read_text(encoding="utf-8") == before:
            return


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], bool], step: float = 0.002, patience: float = 3600) -> float:
    """Poll `condition` every `step` seconds until it holds; the moment it did (`time.perf_counter`)."""
    deadline = time.perf_counter() + patience
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("the preview never showed the save")
        time.sleep(step)
    return time.perf_counter()


def measure_preview(edition: Path, runs: int) -> list[Figure]:
    """`build.py serve`: the time from saving an article to its page on disk; the same for a second save while
    the rest of the site follows the first; from each of the two saves to the rest of the site with its search
    index that shows it; and from the first to the end of the whole build behind them."""
    port = free_port()
    log = edition / "serve.log"
    process = subprocess.Popen(
        [PYTHON, str(ROOT / "build.py"), "--project", str(edition), "serve", "--port", str(port)],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )

    def rewritten(page: Path) -> Callable[[], bool]:
        """Whether `page` has been written since now."""
        before = page.stat().st_mtime_ns
        return lambda: page.stat().st_mtime_ns != before

    try:
        import urllib.request

        def answers() -> bool:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                return True
            except OSError:
                return False

        wait_for(answers)
        articles = sorted((edition / "content" / "artikel").glob("*.md"))
        first, second, rest, second_rest, whole = [], [], [], [], []

        def save(which: int, number: int) -> tuple[float, float]:
            """Append a sentence to an article; when that was, and how long until its page was on disk."""
            article = articles[which % len(articles)]
            page_written = rewritten(edition / "site" / "artikel" / article.stem / "index.html")
            started = time.perf_counter()
            with article.open("a", encoding="utf-8") as stream:
                stream.write(f"\nEin gespeicherter Satz, Nummer {number}.\n")
            return started, wait_for(page_written) - started

        for number in range(runs):
            settled(log)
            # The server's output is read every 20 ms: at 10,000 articles it holds thousands of warnings.
            text = log.read_text(encoding="utf-8")
            rests, builds = text.count(REST_SAID), text.count(" Seiten, ")
            started, seconds = save(number * 7 + 3, number)
            first.append(seconds)
            started_second, seconds = save(number * 7 + 4, number)  # while the rest of the site follows the first
            second.append(seconds)
            # Whether the two saves' rests came as one or as two, the last before the whole build shows the second.
            moments = moments_said(log, REST_SAID, rests, " Seiten, ", builds)
            rest.append(moments[0] - started)
            second_rest.append(moments[-1] - started_second)
            whole.append(wait_for(said_more(log, " Seiten, ", builds), step=0.02) - started)
        settled(log)
        peak = peak_of(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return [
        Figure(PAGE, statistics.median(first), peak, runs),
        Figure(SECOND_PAGE, statistics.median(second), peak, runs),
        Figure(REST, statistics.median(rest), peak, runs),
        Figure(SECOND_REST, statistics.median(second_rest), peak, runs),
        Figure(WHOLE, statistics.median(whole), peak, runs),
    ]


def peak_of(pid: int) -> float:
    """The peak resident memory of a running process in MB (its own: the pool's workers and Pagefind run as
    processes of their own, each smaller than the server, as `time` counts a build's largest process)."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    if not found:
        raise RuntimeError(f"no peak memory in /proc/{pid}/status")
    return int(found.group(1)) / 1024


CAPITALISED = re.compile(r"\b[A-ZÄÖÜ]\w+")


def copy_inputs(project: Path) -> None:
    """Copy what a build reads from this project (the edition's one list of inputs) into `project`."""
    for folder in PROJECT_FOLDERS:
        shutil.copytree(ROOT / folder, project / folder)
    for file in [*(ROOT / name for name in PROJECT_FILES), *ROOT.glob(PROJECT_DOCUMENTS)]:
        shutil.copy(file, project / file.name)


def long_article(megabytes: float, named: bool) -> str:
    """An article of the seeds' paragraphs repeated to `megabytes`; unless `named`, each capitalised word is
    x'd out (same length), so the glossary finds nothing in it."""
    paragraphs = [
        paragraph
        for seed in sorted((ROOT / "content" / "artikel").glob("*.md"))
        for paragraph in split_article(seed)[1].split("\n\n")
        if paragraph.strip() and not paragraph.startswith("#")
    ]
    if not named:
        paragraphs = [CAPITALISED.sub(lambda word: "x" * len(word.group(0)), p) for p in paragraphs]
    text, size, number = [], 0, 0
    while size < megabytes * 1_000_000:
        text.append(paragraphs[number % len(paragraphs)])
        size += len(text[-1].encode("utf-8")) + 2
        number += 1
    front = '---\ntitle: "Lang"\nsummary: "Ein langer Text."\ndate: "2025-01"\nslug: "2025-01-lang"\n---\n\n'
    return front + "\n\n".join(text) + "\n"


def measure_density(megabytes: float, runs: int, out: Path) -> dict:
    """Cold builds of this edition with one long article that names entries all along, and with the same
    article naming none: what the names cost, as a ratio measured in one run."""
    figures = []
    for named in (True, False):
        project = out / f"dense-{'named' if named else 'unnamed'}"
        shutil.rmtree(project, ignore_errors=True)
        copy_inputs(project)
        (project / "content" / "artikel" / "2025-01-lang.md").write_text(
            long_article(megabytes, named), encoding="utf-8"
        )
        site, cache = project / "site", project / ".site.cache.sqlite"

        def cold(site: Path = site, cache: Path = cache, project: Path = project) -> tuple[float, float, str]:
            shutil.rmtree(site, ignore_errors=True)
            cache.unlink(missing_ok=True)
            return build(project, site)

        kind = "naming entries throughout" if named else "naming none"
        figures.append(median_of(f"edition + one {megabytes:g} MB article {kind}: cold build", runs, cold))
    return {"megabytes": megabytes, "figures": [asdict(f) for f in figures]}


def density_table(result: dict) -> str:
    """A Markdown table of the long article's two builds and their ratio."""
    named, unnamed = result["figures"]
    lines = ["| step | median s | peak MB | runs | last summary line |", "| --- | ---: | ---: | ---: | --- |"]
    for figure in result["figures"]:
        lines.append(
            f"| {figure['name']} | {figure['seconds']:.3f} | {figure['peak_mb']:.0f} | {figure['runs']} | "
            f"{figure['note'][:110]} |"
        )
    ratio = named["seconds"] / unnamed["seconds"]
    return "\n".join([*lines, "", f"Names cost: {ratio:.2f} × the time of the same article without them."])


def bench(articles: int, entries: int, notes: int, runs: int, out: Path) -> dict:
    """All figures for one configuration."""
    edition = out / f"edition-{articles}x{entries}x{notes}"
    shutil.rmtree(edition, ignore_errors=True)  # a fresh project each time: templates follow the code
    started = time.perf_counter()
    generate(edition, articles, entries, notes)
    generated = time.perf_counter() - started
    figures = [measure_floor(edition, runs), measure_hugo(edition, out, runs), measure_pelican(edition, out, runs)]
    built, profiles = measure_builds(edition, runs)
    figures += built
    figures += measure_preview(edition, runs)
    return {
        "articles": articles,
        "entries": entries,
        "notes": notes,
        "generated_in": round(generated, 1),
        "figures": [asdict(f) for f in figures],
        "profiles": profiles,
    }


def table(result: dict) -> str:
    """A Markdown table of one configuration's figures, with ratios to Hugo, to Pelican and to the floor."""
    figures = {f["name"]: f for f in result["figures"]}
    floor, hugo = figures[FLOOR_NAME]["seconds"], figures[HUGO]["seconds"]
    pelican = figures[PELICAN]["seconds"] if PELICAN in figures else None
    lines = [
        f"N = {result['articles']} articles, M = {result['entries']} glossary entries, "
        f"K = {result['notes']} notes per article",
        "",
        "| step | median s | peak MB | ÷ Hugo | ÷ Pelican | ÷ floor | runs | last summary line |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for figure in result["figures"]:
        seconds = figure["seconds"]
        by_pelican = f"{seconds / pelican:.2f}" if pelican else "–"
        lines.append(
            f"| {figure['name']} | {seconds:.3f} | {figure['peak_mb']:.0f} | {seconds / hugo:.2f} | {by_pelican} | "
            f"{seconds / floor:.2f} | {figure['runs']} | {figure['note'][:110]} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run the configurations and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", nargs="*", default=["10000x2000", "1000x2000", "1000x50"])
    parser.add_argument("--notes", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dense", type=float, default=10.0, help="MB of the long article (0: skip it)")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    machine = f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores"
    results = []
    for config in args.configs:
        articles, entries = map(int, config.split("x"))
        results.append(bench(articles, entries, args.notes, args.runs, args.out))
        print(table(results[-1]), "\n", flush=True)
        print("Where the time goes (median seconds of each stage):\n", flush=True)
        print(profile_table(results[-1]["profiles"]), "\n", flush=True)
        print("Against the targets:\n", flush=True)
        print(targets_table(targets_of(results[-1])), "\n", flush=True)
    growth = growth_of(results)
    if growth:
        print("Growth:\n", flush=True)
        print(targets_table(growth), "\n", flush=True)
    density = measure_density(args.dense, args.runs, args.out) if args.dense else None
    if density:
        print(density_table(density), "\n", flush=True)
    (args.out / "results.json").write_text(
        json.dumps(
            {
                "machine": machine,
                "results": results,
                "targets": [[asdict(t) for t in targets_of(result)] for result in results],
                "growth": [asdict(t) for t in growth],
                "density": density,
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    print(f"Machine: {machine}. Command: python -m bench.run {' '.join(argv)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
