"""Warm builds equal cold ones, whatever happens between them: edits, a damaged cache, a stopped build. A
hypothesis state machine walks through such events; fixed tests pin the cache's and the swap's promises."""

from __future__ import annotations

import fcntl
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from support import copy_project
from test_build import tree_bytes

from edition import cache as cache_module
from edition import codec, commands, resolve, schema, search, write
from edition import site as site_module
from edition.memo import MemoryStore
from edition.model import SiteFile
from edition.outdir import MANIFEST
from edition.parallel import SERIAL, Workers
from edition.problems import BuildFailed
from edition.site import build_site, cache_file

ARTICLES = "content/artikel"
ARTICLE_FILES = sorted(p.name for p in (Path(__file__).parent.parent / ARTICLES).glob("*.md"))
NOTE_FILES = sorted(p.name for p in (Path(__file__).parent.parent / ARTICLES).glob("*.notes.yaml"))
ENTRIES = ["juche", "chassan", "wladimir-putin", "kcna", "mongolei"]
TEMPLATES = ["base.html", "_note.html", "entry.html", "_crosslink.html"]


def edit_text(project: Path, name: str, change: Callable[[str], str]) -> None:
    """Apply `change` to a file's text."""
    path = project / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def retitle(rng: random.Random, project: Path) -> str:
    article = rng.choice(sorted((project / ARTICLES).glob("*.md")))
    edit_text(
        project,
        f"{ARTICLES}/{article.name}",
        lambda t: re.sub(r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)} (neu)"', t, count=1, flags=re.M),
    )
    return f"title of {article.name}"


def fake_search(pages: list[SiteFile]) -> list[SiteFile]:
    """A stand-in for Pagefind (a second per run): one file that depends on every page of the part."""
    listed = "\n".join(f"{path} {digest}" for path, digest in search.search_inputs(pages)[0])
    return [SiteFile("pages.txt", listed.encode())]


def leftovers(out: Path) -> list[str]:
    """What a stopped build may leave beside or inside the output: unfinished or replaced folders, temporary files."""
    beside = [p.name for p in out.parent.glob(f".{out.name}-*-*")]
    return beside + ([p.name for p in out.rglob(".tmp-*")] if out.is_dir() else [])


def die() -> None:
    """Stop this process as a power cut or `kill -9` would: no cleanup runs."""
    os.kill(os.getpid(), signal.SIGKILL)


def arm_stop(out: Path, how: str, after: int) -> None:
    """Make this process die after `after` files of the new site are written, right after the swap, or between
    the two renames of the swap where the system cannot exchange two folders."""
    if how == "writing":
        written, original = [0], Path.write_bytes

        def write_bytes(path: Path, data: bytes) -> int:
            written[0] += f".{out.name}-new-" in str(path)
            if written[0] > after:
                die()
            return original(path, data)

        Path.write_bytes = write_bytes  # type: ignore[method-assign, assignment]
    elif how == "swapped":
        exchange = write.rename_exchange

        def exchange_and_die(a: Path, b: Path) -> bool:
            if exchange(a, b):
                die()
            return False

        write.rename_exchange = exchange_and_die
    else:
        write.rename_exchange = lambda a, b: False
        renames, rename = [0], os.rename

        def dying_rename(a: object, b: object) -> None:
            renames[0] += 1
            if renames[0] == 2:
                die()
            rename(a, b)  # type: ignore[arg-type]

        write.os.rename = dying_rename  # type: ignore[assignment]


def build_dying(project: Path, out: Path, how: str, after: int) -> None:
    """Run a build in a forked child that is stopped as `arm_stop` says."""
    child = os.fork()
    if child == 0:  # pragma: no cover - the child never returns
        try:
            arm_stop(out, how, after)
            build_site(project, out, workers=SERIAL)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


class WarmEqualsCold(RuleBasedStateMachine):
    """A project edited, its cache damaged, its builds stopped; every warm build equals a cold one."""

    base: Path  # where each example's project is copied to

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(dir=WarmEqualsCold.base))
        self.project = copy_project(self.folder / "project")
        self.site = self.project / "site"
        self.history: list[str] = []
        self.memory = MemoryStore()  # the live preview's results between saves
        build_site(self.project, self.site, workers=SERIAL)

    @rule(
        kind=st.sampled_from(["article", "article", "note", "entry", "template"]),
        which=st.integers(0, 99),
        plain=st.booleans(),
    )
    def edit(self, kind: str, which: int, plain: bool) -> None:
        """Edit an article (a sentence with or without glossary terms), a note, an entry, or a template."""
        if kind == "article":
            name = f"{ARTICLES}/{ARTICLE_FILES[which % len(ARTICLE_FILES)]}"
            words = f"Ein Satz ohne Namen, Nummer {which}." if plain else f"Putin reiste weiter ({which})."
            edit_text(self.project, name, lambda t: t.rstrip("\n") + f"\n\n{words}\n")
        elif kind == "note":
            name = f"{ARTICLES}/{NOTE_FILES[which % len(NOTE_FILES)]}"
            edit_text(self.project, name, lambda t: t.replace("    text: >-\n      ", "    text: >-\n      Neu: ", 1))
        elif kind == "entry":
            name = ENTRIES[which % len(ENTRIES)]
            edit_text(
                self.project,
                "glossary.yaml",
                lambda t: re.sub(rf"(\n{name}:\n(?:  .*\n)*?  definition: >-\n    )", r"\1Geändert. ", t, count=1),
            )
        else:
            name = f"templates/{TEMPLATES[which % len(TEMPLATES)]}"
            edit_text(self.project, name, lambda t: t + "\n")
        self.history.append(f"edit {name}" + (" (plain)" if plain and kind == "article" else ""))

    @rule(damage=st.sampled_from(["flip", "same-length", "truncate", "folder"]), where=st.integers(0, 1 << 24))
    def damage_cache(self, damage: str, where: int) -> None:
        path = cache_file(self.site)
        if path.is_dir():  # a folder put there before is taken away again
            path.rmdir()
            self.history.append("the cache's place cleared")
            return
        if not path.is_file():
            return
        data = bytearray(path.read_bytes())
        if damage == "flip":
            data[where % len(data)] ^= 1 << (where % 8)
        elif damage == "same-length":
            data = bytearray(bytes(data).replace(b"Sonderzug", b"Sondxrzug"))
        elif damage == "truncate":
            data = data[: where % len(data)]
        else:
            path.unlink()
            path.mkdir()
            self.history.append("a folder in the cache's place")
            return
        path.write_bytes(bytes(data))
        self.history.append(f"cache damaged: {damage} at {where}")

    @rule(how=st.sampled_from(["writing", "swapped", "renames"]), after=st.integers(0, 60))
    def stop_build(self, how: str, after: int) -> None:
        build_dying(self.project, self.site, how, after)
        self.history.append(f"build stopped: {how} after {after}")

    @rule(parallel=st.booleans())
    def build_warm(self, parallel: bool) -> None:
        self.history.append("warm build" + (" over two workers" if parallel else ""))
        self.compare(Workers(count=2, threshold=1) if parallel else SERIAL)

    @rule()
    def build_as_preview(self) -> None:
        self.history.append("preview build, with the results of the last in memory")
        self.compare(SERIAL, preview=True)

    @invariant()
    def a_whole_site_stands(self) -> None:
        # Only the fallback of two renames may leave no `site/` (killed between them): the old one waits beside.
        if not self.site.is_dir():
            assert list(self.project.glob(".site-old-*/site")), self.history

    def compare(self, workers: Workers, preview: bool = False) -> None:
        cold = Path(tempfile.mkdtemp(dir=self.folder)) / "site"
        memory = self.memory if preview else None
        try:
            warm = build_site(self.project, self.site, workers=workers, pages_first=preview, memory=memory)
        except BuildFailed:
            with pytest.raises(BuildFailed):
                build_site(self.project, cold, use_cache=False, workers=SERIAL)
            return
        build_site(self.project, cold, use_cache=False, workers=SERIAL)
        assert tree_bytes(self.site) == tree_bytes(cold), self.history
        assert not leftovers(self.site), self.history
        assert all("Zwischenspeicher" in w.message for w in warm.warnings if w.file == cache_file(self.site).name)

    def teardown(self) -> None:
        try:
            self.compare(SERIAL)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def test_warm_builds_equal_cold_ones_whatever_happened_between(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "index_for_search", fake_search)
    WarmEqualsCold.base = tmp_path
    run_state_machine_as_test(
        WarmEqualsCold,
        settings=settings(
            max_examples=5,
            stateful_step_count=6,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )


def test_unchanged_build_renders_and_writes_nothing(project: Path) -> None:
    build_site(project, project / "site")
    again = build_site(project, project / "site")
    assert (again.rendered, again.written) == (0, 0)


def edit_exactly(project: Path, name: str, old: str, new: str) -> None:
    """Replace text in a project file once, making sure it was there."""
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def redefine_entry(project: Path, entry: str) -> None:
    """Put a word in front of an entry's definition, however the editor wrote it (plain, folded, quoted)."""
    path = project / "glossary.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"\n{entry}:\n")
    end = text.find("\n\n", start + 1)
    block = text[start:end]
    changed = re.sub(r"(\n  definition: (?:[>|][+-]?\n +)?[\"']?)", r"\1Geändert. ", block, count=1)
    assert changed != block, block
    path.write_text(text[:start] + changed + text[end:], encoding="utf-8")


def entries_used_by(site: Path, slug: str) -> set[str]:
    """The glossary entries an article's page lists as used."""
    html = (site / "artikel" / slug / "index.html").read_text(encoding="utf-8")
    listed = re.search(r'<section class="term-list".*?</section>', html, re.S)
    return set(re.findall(r'href="\.\./\.\./glossar/([a-z0-9-]+)/"', listed.group(0) if listed else ""))


def articles_using(site: Path, entry: str) -> set[str]:
    """The articles an entry's page names as places where it occurs."""
    html = (site / "glossar" / entry / "index.html").read_text(encoding="utf-8")
    return set(re.findall(rf'href="\.\./\.\./artikel/([^/"]+)/#m-{entry}-\d+"', html))


def changed_files(before: dict[str, bytes], site: Path) -> set[str]:
    """The paths whose bytes differ from `before` (added and removed ones included), the search index aside."""
    after = tree_bytes(site)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    return {path for path in changed if not path.startswith("pagefind/") and path != MANIFEST}


def test_one_article_changed_rebuilds_only_what_depends_on_it(project: Path) -> None:
    site = project / "site"
    slug = "2023-09-ankunft-im-fernen-osten"
    build_site(project, site)
    before = tree_bytes(site)
    edit_text(project, f"{ARTICLES}/{slug}.md", lambda t: t + "\nNoch ein Satz.\n")
    report = build_site(project, site)
    changed = changed_files(before, site)
    # the article itself; the glossary pages of the entries it names (their sentences may shift); the data
    # that quote it (previews, its open annotations); nothing else
    may_change = {f"artikel/{slug}/index.html", "glossar/index.html", "assets/previews.json"}
    may_change |= {f"glossar/{entry}/index.html" for entry in entries_used_by(site, slug)}
    may_change.add(f"annotationen/{slug}.jsonld")
    assert f"artikel/{slug}/index.html" in changed and changed <= may_change
    assert 1 <= report.rendered <= len(may_change) and report.written >= 1


def test_one_glossary_entry_changed_rebuilds_the_pages_where_it_occurs(project: Path) -> None:
    site = project / "site"
    build_site(project, site)
    before = tree_bytes(site)
    occurs_in = articles_using(site, "mongolei")
    assert occurs_in
    redefine_entry(project, "mongolei")
    build_site(project, site)
    changed = changed_files(before, site)
    # its entry, the glossary's A–Z and its page of places, and the pages and data of the articles where it
    # occurs (previews, open annotations)
    pages = {p for p in changed if p.endswith(".html")}
    assert pages == {f"artikel/{slug}/index.html" for slug in occurs_in} | {
        "glossar/mongolei/index.html",
        "glossar/index.html",
        "glossar/orte/index.html",
    }
    assert changed - pages <= {"assets/previews.json"} | {f"annotationen/{slug}.jsonld" for slug in occurs_in}
    assert "assets/previews.json" in changed


def test_related_articles_are_ranked_again_only_when_an_article_uses_other_entries(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = project / "site"
    build_site(project, site)
    slug = sorted(a.stem for a in (project / ARTICLES).glob("*.md") if a.stem not in articles_using(site, "mongolei"))[
        0
    ]
    ranked: list[str] = []
    rank = resolve.find_related
    monkeypatch.setattr(site_module, "find_related", lambda *args: ranked.append("ranked") or rank(*args))
    edit_text(project, f"{ARTICLES}/{slug}.md", lambda t: t + "\nNoch ein Satz.\n")
    build_site(project, site)
    assert ranked == []  # the same entries in every article: the ranking came from the cache
    edit_text(project, f"{ARTICLES}/{slug}.md", lambda t: t + "\nDie Mongolei liegt dazwischen.\n")
    build_site(project, site)
    assert ranked == ["ranked"] and "mongolei" in entries_used_by(site, slug)
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


def test_a_kept_ranking_that_does_not_fit_the_edition_is_ranked_again(project: Path, tmp_path: Path) -> None:
    site, memory = project / "site", MemoryStore()
    build_site(project, site, memory=memory)
    ranking = [key for key, value in memory.table.items() if isinstance(value, dict)]
    assert len(ranking) == 1
    memory.table[ranking[0]] = {"kein-artikel": (("auch-keiner", ("juche",), 1.0),)}
    edit_text(project, f"{ARTICLES}/{ARTICLE_FILES[0]}", lambda t: t + "\nNoch ein Satz.\n")
    build_site(project, site, memory=memory)
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


def test_edits_to_site_are_repaired_and_strays_removed(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    build_site(project, site)
    (site / "index.html").write_text("kaputt", encoding="utf-8")
    (site / "fremd.txt").write_text("nicht von uns", encoding="utf-8")
    build_site(project, site)
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


def test_corrupt_cache_is_discarded_with_a_warning(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    build_site(project, site)
    cache_file(site).write_bytes(b"this is not a database" * 100)
    report = build_site(project, site)
    assert any("unbrauchbar" in w.message for w in report.warnings)
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


def test_foreign_cache_is_discarded_with_a_warning(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    cold = build_site(project, site)
    with sqlite3.connect(cache_file(site)) as db:
        db.execute("UPDATE meta SET value = 'other-tool-7' WHERE key = 'format'")
    report = build_site(project, site)
    assert any("fremdes Format" in w.message for w in report.warnings)
    assert report.rendered == cold.rendered  # nothing reused


def test_nothing_changed_is_seen_at_a_glance(project: Path) -> None:
    site = project / "site"
    first = build_site(project, site)
    for path in (project / ARTICLES).iterdir():
        os.utime(path)  # saved again, not changed
    again = build_site(project, site)
    assert again.stages[0][0] == "nothing changed" and (again.rendered, again.written) == (0, 0)
    assert (again.pages, again.notes, again.terms_placed, again.warnings) == (
        first.pages,
        first.notes,
        first.terms_placed,
        first.warnings,
    )


def test_a_change_its_file_time_hides_is_still_found(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    article = project / ARTICLES / "2023-09-ankunft-im-fernen-osten.md"
    os.utime(article)  # modified just before the build looks: its time cannot vouch for its bytes
    build_site(project, site)
    stat = article.stat()
    edit_text(project, f"{ARTICLES}/{article.name}", lambda t: t.replace("Kim", "Kym", 1))  # same size
    os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time
    report = build_site(project, site)
    assert report.rendered > 0
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


def test_included_file_and_added_file_are_inputs(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    build_site(project, site)
    edit_text(project, "EDITING.md", lambda t: t + "\nEin neuer Absatz für Redaktionen.\n")
    assert build_site(project, site).rendered > 0
    (project / "templates" / "unused.html").write_text("{# not used by any page #}\n", encoding="utf-8")
    assert build_site(project, site).stages[0][0] != "nothing changed"
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


def test_command_line_glance_loads_no_rendering_code(project: Path) -> None:
    command = [sys.executable, str(Path(__file__).parent.parent / "build.py"), "--project", str(project), "build"]
    subprocess.run(command, check=True, capture_output=True)
    probe = (
        "import sys; from pathlib import Path; from edition import commands; "
        f"code = commands.run_build(Path({str(project)!r}), Path({str(project / 'site')!r}), base_url=None); "
        "print(code, 'jinja2' in sys.modules, 'markdown_it' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, cwd=Path(__file__).parent.parent
    )
    assert result.stdout.splitlines()[-1] == "0 False False"
    assert " 0 Dateien neu gerendert, 0 geschrieben" in result.stdout


def test_warm_build_parses_only_the_changed_yaml(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = project / "site"
    build_site(project, site)
    retitle(random.Random(1), project)
    schema.read_checked.cache_clear()  # what this process remembers aside: only the build cache may help
    parsed: list[str] = []
    parse = schema.parse_yaml
    monkeypatch.setattr(
        schema, "parse_yaml", lambda text, file, **options: parsed.append(file) or parse(text, file, **options)
    )
    build_site(project, site)
    assert len(parsed) == 1 and parsed[0].startswith(ARTICLES)


def test_command_line_warns_of_a_foreign_cache(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = project / "site"
    build_site(project, site)
    with sqlite3.connect(cache_file(site)) as db:
        db.execute("UPDATE meta SET value = 'other-tool-7' WHERE key = 'format'")
    assert commands.run_build(project, site, base_url=None) == 0
    assert "fremdes Format" in capsys.readouterr().err


def test_same_length_edit_inside_the_cache_is_caught_by_its_checksum(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    build_site(project, site)
    path = cache_file(site)
    path.write_bytes(path.read_bytes().replace(b"Sonderzug", b"Sondxrzug"))
    edit_text(project, f"{ARTICLES}/2023-09-ankunft-im-fernen-osten.md", lambda t: t + "\nNoch ein Satz.\n")
    report = build_site(project, site)
    assert [w.message for w in report.warnings if "Prüfsumme" in w.message]
    assert not any(b"Sondxrzug" in content for content in tree_bytes(site).values())
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


@pytest.mark.parametrize("damage", ["folder", "read-only", "disk full"])
def test_a_cache_that_cannot_be_used_costs_one_warning_never_the_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    site = project / "site"
    build_site(project, site)
    path = cache_file(site)
    if damage == "folder":
        path.unlink()
        path.mkdir()
    else:
        # As root, file modes do not stop SQLite: open it the way it opens a file it may not write, or a full disk.
        reason = "attempt to write a readonly database" if damage == "read-only" else "database or disk is full"

        class Refusing(sqlite3.Connection):
            def commit(self) -> None:
                raise sqlite3.OperationalError(reason)

            def executemany(self, *args: object) -> sqlite3.Cursor:
                raise sqlite3.OperationalError(reason)

        monkeypatch.setattr(cache_module, "connect", lambda p: sqlite3.connect(p, factory=Refusing))
    edit_text(project, f"{ARTICLES}/2023-09-ankunft-im-fernen-osten.md", lambda t: t + "\nNoch ein Satz.\n")
    report = build_site(project, site)
    said = [w.message for w in report.warnings if "Zwischenspeicher" in w.message]
    assert len(said) == 1 and "ohne ihn" in said[0]
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


def test_cached_values_are_data_never_code() -> None:
    value = (SiteFile("a/index.html", b"\x00<p>"), {("x", 1): frozenset({"y"})}, [1.5, None, True])
    assert codec.decode(codec.encode(value)) == value
    with pytest.raises(ValueError):
        codec.decode(b'J{"c":"Popen","v":{"args":["true"]}}')
    with pytest.raises(ValueError):
        codec.decode(b"\x80\x04\x95" + b"cos\nsystem\n")  # a pickle is not read at all


def test_a_second_build_waits_for_the_first(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    lock = os.open(write.lock_file(site), os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)
    command = [sys.executable, str(Path(__file__).parent.parent / "build.py"), "--project", str(project), "build"]
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert second.stderr is not None
        assert "wartet" in second.stderr.readline()
        assert not site.exists()  # it waited
    finally:
        os.close(lock)
    assert second.wait(timeout=300) == 0
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


def test_site_stands_at_every_moment_of_a_warm_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "index_for_search", fake_search)
    out = project / "site"
    build_site(project, out, workers=SERIAL)
    exchanged: list[bool] = []
    exchange = write.rename_exchange

    def noted_exchange(a: Path, b: Path) -> bool:
        exchanged.append(exchange(a, b))
        return exchanged[-1]

    monkeypatch.setattr(write, "rename_exchange", noted_exchange)
    missing, done = [], threading.Event()

    def watch() -> None:
        # Looks every half millisecond: often enough to catch a gap, rarely enough to leave the build the CPU.
        while not done.wait(0.0005):
            if not (out / "index.html").is_file():
                missing.append(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(3):
            edit_text(project, f"{ARTICLES}/2019-04-gipfel-in-wladiwostok.md", lambda t: t + "\nNoch ein Satz.\n")
            build_site(project, out, workers=SERIAL)
    finally:
        done.set()
        watcher.join()
    if not all(exchanged):
        pytest.skip("this file system cannot exchange two folders in one step")
    assert exchanged and not missing and not leftovers(out)


def test_leftovers_of_a_stopped_build_are_cleared_and_a_lost_site_put_back(project: Path, tmp_path: Path) -> None:
    out = project / "site"
    build_site(project, out)
    old = project / ".site-old-x1y2z3"
    old.mkdir()
    out.rename(old / "site")  # stopped between the two renames: no site/, the old one beside
    (project / ".site-new-a1b2c3" / "artikel").mkdir(parents=True)
    assert commands.run_build(project, out, base_url=None) == 0
    (out / "artikel" / ".tmp-abc").write_bytes(b"half a page")
    edit_text(project, f"{ARTICLES}/2019-04-gipfel-in-wladiwostok.md", lambda t: t + "\nSatz.\n")
    build_site(project, out)
    assert not leftovers(out)
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(out) == tree_bytes(tmp_path / "cold")


def test_disk_full_names_the_path_and_leaves_the_site(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = project / "site"
    build_site(project, out)
    before = tree_bytes(out)
    original = Path.write_bytes

    def full(path: Path, data: bytes) -> int:
        if ".site-new-" in str(path):
            raise OSError(28, "No space left on device", str(path))
        return original(path, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    edit_text(project, f"{ARTICLES}/2019-04-gipfel-in-wladiwostok.md", lambda t: t + "\nSatz.\n")
    with pytest.raises(BuildFailed) as failure:
        build_site(project, out)
    [problem] = failure.value.problems
    assert "voll" in problem.message and ".site-new-" in problem.file
    assert tree_bytes(out) == before and not leftovers(out)
