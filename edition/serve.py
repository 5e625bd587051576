"""Live preview: the project folder in, a local server out that rebuilds on every save, reloads the open
tab, and shows the build's problems in place of the page until the editor fixes them.

A save of an article's text or notes is shown first: its page alone is made from the last build's state in
memory and put into the site (`QuickPages`), and the tab reloads. In a thread of its own the rest of the site
follows from that state (the other pages the save changed, the parts of the search index they fall in, which
Pagefind indexes while a later save's rest is made) and the tab reloads again; then the whole build runs, which
writes the same site and keeps the build cache up to date. So a page never waits for the rest of the site, nor
for the search index. Any other save is built whole, in that thread too, and the tab reloads once it is done;
meanwhile the server goes on answering with the last site."""

from __future__ import annotations

import base64
import hashlib
import logging
import mimetypes
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError, select_autoescape

from .inputs import input_places
from .memo import MemoryStore
from .model import SiteFile
from .parallel import SERIAL, Workers, collect_then_keep, keep_made
from .problems import BuildFailed, Problem
from .quick import QuickPages, Rest
from .search import index_for_search
from .site import Built, build_site
from .uptodate import glance
from .write import replace_file

# The inline script livereload puts into every HTML answer (`Server.serve` without a separate `liveport`), byte
# for byte. The pages' Content-Security-Policy forbids inline scripts; the preview allows exactly this one by its
# hash, so that it serves the pages under the same policy as the public site.
LIVERELOAD_SNIPPET = (
    "(function(){"
    'var s=document.createElement("script");'
    "var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    's.src="//"+window.location.hostname+":"+port'
    '+ "/livereload.js?port=" + port;'
    "document.head.appendChild(s);"
    "})();"
)
SCRIPT_POLICY = b"script-src 'self'"
SEARCH_AT_ONCE = Workers().count  # Pagefind processes for the rests' parts of the search index: one per core
LATER_PARTS_NICENESS = 10  # how much lower a later save's Pagefind runs while an earlier one's is running


@dataclass(frozen=True)
class Indexing:
    """A rest of the site whose other files are written and whose search parts Pagefind is indexing: the saves
    it shows, the state it was made from, and a bundle to come for each of its parts."""

    shows: int
    quick: QuickPages
    rest: Rest
    bundles: list[Future[list[SiteFile]]]
    started: float

    def ready(self) -> bool:
        """Whether Pagefind is done with every part (or failed on one)."""
        return all(bundle.done() for bundle in self.bundles)


def allow_livereload(page: bytes) -> bytes:
    """A page's bytes with livereload's one inline script added to its policy's `script-src`."""
    digest = base64.b64encode(hashlib.sha256(LIVERELOAD_SNIPPET.encode()).digest())
    return page.replace(SCRIPT_POLICY, SCRIPT_POLICY + b" 'sha256-" + digest + b"'", 1)


ERROR_PAGE = Environment(autoescape=select_autoescape(default_for_string=True)).from_string("""\
<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build fehlgeschlagen · Vorschau</title>
<link rel="stylesheet" href="/assets/style.css">
<style>
  body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; }
  .build-error h1 { color: #8b1e1e; }
  .problem { margin: 1.5rem 0; padding: 0.75rem 1rem; border-left: 4px solid #8b1e1e;
             background: rgb(139 30 30 / 0.06); }
  .problem.warning { border-color: #8a6d00; background: rgb(138 109 0 / 0.06); }
  .where { font-family: ui-monospace, monospace; font-weight: 700; }
  .excerpt { margin: 0.5rem 0; padding: 0.5rem; overflow-x: auto; font-size: 0.9rem; line-height: 1.4;
             white-space: pre; }
  .excerpt .hit { background: rgb(139 30 30 / 0.18); display: inline-block; min-width: 100%; }
  .hint { font-style: italic; }
</style>
</head>
<body>
<main class="build-error" id="inhalt">
  <h1>Der Build ist fehlgeschlagen</h1>
  <p>{{ errors }} Fehler
     {%- if warnings %} und {{ warnings }} {{ "Warnung" if warnings == 1 else "Warnungen" }}{% endif %}.
     Die Seite kommt von selbst zurück, sobald die Datei korrigiert und gespeichert ist.</p>
  {% for problem, excerpt in problems %}
  <section class="problem {{ problem.severity }}">
    <p class="where">{{ problem.file }}:{{ problem.line }}:{{ problem.col }}</p>
    <p class="message">{{ "Fehler" if problem.severity == "error" else "Warnung" }}: {{ problem.message }}</p>
    {% if excerpt %}<pre class="excerpt"><code>
    {%- for number, text in excerpt %}
      {%- if number == problem.line %}<span class="hit">{% endif %}
      {{- "%4d" | format(number) }}  {{ text }}
      {%- if number == problem.line %}</span>{% endif %}
{% endfor %}</code></pre>{% endif %}
    {% if problem.hint %}<p class="hint">{{ problem.hint }}</p>{% endif %}
  </section>
  {% endfor %}
</main>
</body>
</html>
""")


def put_file(out: Path, file: SiteFile) -> None:
    """Put one file into the site in one step, in a new folder if need be (a search part's new files)."""
    (out / file.path).parent.mkdir(parents=True, exist_ok=True)
    replace_file(out, file)


def excerpt(root: Path, problem: Problem, around: int = 2) -> list[tuple[int, str]]:
    """The lines around a problem's line in its file, numbered; empty when the file cannot be read."""
    try:
        lines = (root / problem.file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError, ValueError):
        return []
    first = max(1, problem.line - around)
    return [(n, lines[n - 1]) for n in range(first, min(len(lines), problem.line + around) + 1)]


def error_page(root: Path, problems: Iterable[Problem]) -> bytes:
    """The page the browser shows instead of any page while the build fails."""
    problems = sorted(problems, key=lambda p: (p.severity != "error", p))
    return ERROR_PAGE.render(
        problems=[(p, excerpt(root, p)) for p in problems],
        errors=sum(p.severity == "error" for p in problems),
        warnings=sum(p.severity == "warning" for p in problems),
    ).encode("utf-8")


class Preview:
    """Rebuilds the site on demand and answers requests for it, or with the problems while it fails."""

    def __init__(self, root: Path, out: Path, *, echo: Callable[[str], None] = print) -> None:
        self.root = root
        self.out = out
        self.echo = echo
        self.problems: list[Problem] = []
        self.shown: list[Problem] | None = None
        # The results of the last build, kept between saves in front of the cache on disk.
        self.memory = MemoryStore()
        self.quick: QuickPages | None = None
        self.reload: Callable[[], None] = lambda: None  # tells the open tabs to reload (set by `serve`)
        # One whole build at a time; saves during one ask for one more (`wanted`), run by the thread `building`.
        self.turn = threading.Lock()
        self.guard = threading.Lock()
        self.wanted = self.building = False
        # The rest of the site after pages shown first, likewise: asked for by `rest_wanted`, run by `resting`.
        self.rest_wanted = self.resting = False
        # Each rest's search parts are indexed while the next save's rest is made: two saves a moment apart
        # wait for Pagefind side by side, not one after the other. Shown in the order of the saves.
        self.pagefind = ThreadPoolExecutor(max_workers=SEARCH_AT_ONCE, thread_name_prefix="edition-search")
        self.indexing: deque[Indexing] = deque()  # touched by the rest's thread only
        self.stirred = threading.Event()  # set when a rest is wished for or a part is indexed
        self.idle = threading.Event()  # set while nothing runs in the background or is wanted
        self.idle.set()
        self.saves = 0  # saves shown first so far: a build that began before one must not undo what they showed
        self.first: dict[str, tuple[int, SiteFile]] = {}  # each file shown so, with the saves it shows

    def saved(self, paths: list[Path]) -> bool:
        """Show a save: an article's text or notes at once as its page, with the rest of the site and then the
        whole build behind it; anything else by a whole build, in the background too, so that the server goes
        on answering meanwhile. Whether the tabs are to reload now; else they reload when the build is done,
        with its site or its problems."""
        if self.show_first(paths):
            self.complete()
            return True
        self.follow()
        return False

    def follow(self) -> None:
        """Have the whole site built in the background; a save meanwhile asks for one more run."""
        with self.guard:
            start = self.wish_build()
        if start:
            self.start_building()

    def wish_build(self) -> bool:
        """Ask for a whole build (holding `guard`); whether its thread is to be started."""
        self.wanted, start, self.building = True, not self.building, True
        self.idle.clear()
        return start

    def start_building(self) -> None:
        """Start the thread that runs whole builds while they are wished for."""
        threading.Thread(target=self.build_while_wanted, name="edition-build", daemon=True).start()

    def show_first(self, paths: list[Path]) -> bool:
        """Put the page of the one article whose text or notes were saved into the site; whether it could be."""
        quick = self.quick
        if quick is None or self.problems or len(paths) != 1:
            return False
        started = time.perf_counter()
        try:
            with quick.lock:  # the rest counts this save as shown only once it holds it
                page = quick.page_of(paths[0])
                if page is None:
                    return False
                with self.guard:  # noted before it is written: a whole build ending meanwhile puts it back
                    self.saves += 1
                    self.first[page.path] = (self.saves, page)
                replace_file(self.out, page)
        except (OSError, TemplateError):
            return False  # the whole build reports it, with file and line
        self.echo(f"{page.path} neu ({time.perf_counter() - started:.2f} s); der Rest der Seite folgt.")
        return True

    def complete(self) -> None:
        """Have the rest of the site follow the pages shown first, in the background, then the whole build; a
        save meanwhile asks for one more rest."""
        with self.guard:
            self.rest_wanted = True
            self.stirred.set()
            if self.resting:
                return
            self.resting = True
            self.idle.clear()
        threading.Thread(target=self.complete_while_wanted, name="edition-rest", daemon=True).start()

    def complete_while_wanted(self) -> None:
        """Bring the rest of the site up to date until no save asks for it again, reloading the tabs after each."""
        try:
            while (quick := self.next_rest()) is not None:
                self.show_rest(quick)
        except BaseException:
            self.indexing.clear()  # what they would show, the whole build shows
            self.hand_over(force=True)  # after an unforeseen error too, the whole build follows
            raise

    def next_rest(self) -> QuickPages | None:
        """Show each rest whose search parts are indexed, oldest first; take the wish for the next rest: the state
        to make it from. None, and the thread is done, when none is wanted and every part is shown
        (`hand_over`)."""
        while True:
            self.stirred.clear()  # before looking, so that a wish or a part done meanwhile is not missed
            while self.indexing and self.indexing[0].ready():
                self.show_search(self.indexing.popleft())
            with self.guard:
                wished, self.rest_wanted, quick = self.rest_wanted, False, self.quick
            if wished and quick is not None:
                return quick
            if self.indexing:
                self.stirred.wait()
            elif self.hand_over():
                return None

    def hand_over(self, *, force: bool = False) -> bool:
        """End the rest's thread and wish for the whole build, in one step, so that nothing falls between; unless
        a save asked for the rest meanwhile (whether it ended)."""
        with self.guard:
            if self.rest_wanted and not force:
                return False
            self.resting = self.rest_wanted = False
            start = self.wish_build()
        if start:
            self.start_building()
        return True

    def show_rest(self, quick: QuickPages) -> None:
        """Write the other files the saves shown first changed, and have Pagefind index the parts of the search
        index they fall in (`show_search` writes those)."""
        started = time.perf_counter()
        try:
            with quick.lock:  # the saves it holds: a build that began before the last of them must not undo it
                shows, rest = self.saves, quick.rest()
            if self.problems:
                return  # the whole build reports them
            self.put_shown(shows, rest.files)
        except (OSError, TemplateError, BuildFailed):
            return  # the whole build that follows reports it, with file and line
        # A part indexed while an earlier rest's are yields the cores to them: that save came first.
        niceness = LATER_PARTS_NICENESS if self.indexing else 0
        bundles = [self.pagefind.submit(index_for_search, pages, niceness) for _number, pages in rest.parts]
        for bundle in bundles:
            bundle.add_done_callback(lambda _bundle: self.stirred.set())
        self.indexing.append(Indexing(shows, quick, rest, bundles, started))

    def show_search(self, indexing: Indexing) -> None:
        """Write a rest's search parts where they differ from the site's, unless a later rest indexes them anew
        (it shows the later saves); tell the terminal and the tabs that the rest is there."""
        rest, later = indexing.rest, frozenset(n for other in self.indexing for n, _pages in other.rest.parts)
        try:
            files = indexing.quick.changed_among(rest.place([b.result() for b in indexing.bundles], skip=later))
            if self.problems or not (rest.files or files):
                return  # nothing to show, or the whole build reports the problems
            self.put_shown(indexing.shows, files)
        except (OSError, BuildFailed):
            return  # the whole build that follows reports it, with file and line
        parts = sum(number not in later for number, _pages in rest.parts)
        self.echo(
            f"Der Rest der Seite ist da: {len(rest.files)} weitere Dateien, {parts} "
            f"{'Teil' if parts == 1 else 'Teile'} des Suchindex ({time.perf_counter() - indexing.started:.2f} s)."
        )
        self.reload()

    def put_shown(self, shows: int, files: list[SiteFile]) -> None:
        """Write files the saves shown first so far (`shows`) changed, noted before they are written: a whole
        build ending meanwhile puts them back."""
        with self.guard:
            self.first.update((file.path, (shows, file)) for file in files)
        for file in files:
            put_file(self.out, file)

    def build_while_wanted(self) -> None:
        """Run whole builds until no save asks for another, reloading the tabs after each."""
        try:
            while (begun := self.next_build()) is not None:
                self.rebuild()
                self.show_first_again(begun)
                self.reload()  # whatever page a tab shows is now the whole build's (or the problems)
        except BaseException:
            with self.guard:  # after an unforeseen error too, the next save starts the thread again
                self.building = False
                if not self.resting:
                    self.idle.set()
            raise

    def next_build(self) -> int | None:
        """Take the wish for a whole build: how many saves were shown first before it. None, and the thread is
        done, when none is wanted (in one step, so that a wish made meanwhile starts a new thread)."""
        with self.guard:
            if not self.wanted:
                self.building = False
                if not self.resting:
                    self.idle.set()
                return None
            self.wanted = False
            return self.saves

    def show_first_again(self, begun: int) -> None:
        """Put back the files shown first after the build that just ended had begun: it read older texts, and
        the build that follows it will make those files from the new ones."""
        with self.guard:
            self.first = {path: shown for path, shown in self.first.items() if shown[0] > begun}
            again = [file for _number, file in self.first.values()]
        if not self.problems:
            for file in again:
                with suppress(OSError):  # the build that follows writes it anyway
                    put_file(self.out, file)

    def keep(self, built: Built, begun: int) -> None:
        """Keep a finished build's state for the pages shown first after the next saves; unless a page was shown
        first while it ran (`begun`: the saves shown first before it): the state kept then holds that save,
        which the build may have read too early to see."""
        if self.saves != begun:
            return
        quick = QuickPages(self.root, built)
        with self.guard:
            if self.saves == begun:
                self.quick = quick

    def rebuild(self) -> None:
        """Build (incrementally); remember the problems; tell the terminal once about each new state."""
        begun, kept = self.saves, self.quick
        try:
            # In one process: the server's threads are running, and forking beside them could copy a held lock.
            with self.turn:
                # With no state yet to show saves first from, the build must make one even when nothing changed:
                # a glance taken here is handed over as taken, so the build does not end at it.
                inputs = glance(self.root, self.out, None)[0] if self.quick is None else None
                report = build_site(
                    self.root,
                    self.out,
                    pages_first=True,
                    workers=SERIAL,
                    inputs=inputs,
                    memory=self.memory,
                    keep=lambda built: self.keep(built, begun),
                )
        except BuildFailed as failure:
            self.problems = list(failure.problems)
            if self.problems != self.shown:
                self.shown = self.problems
                for problem in self.problems:
                    self.echo(problem.format())
                self.echo(
                    f"Build fehlgeschlagen: {sum(p.severity == 'error' for p in self.problems)} Fehler. "
                    "Die Vorschau zeigt sie, bis die Datei korrigiert ist."
                )
            return
        finally:  # the build handed every object back to the collector (`kept_until_done`): leave the state out
            if self.quick is not kept:
                collect_then_keep()  # the state it replaces is garbage now
            else:
                keep_made()  # the same state as before, out again
        self.problems = []
        if self.shown:
            self.echo("Wieder in Ordnung.")
        self.shown = []
        for warning in report.warnings:
            self.echo(warning.format())
        self.echo(report.summary())

    def resolve(self, url_path: str) -> Path | None:
        """The file below the output folder for a URL path, or None (never a path outside it)."""
        relative = url_path.lstrip("/")
        try:
            candidate = (self.out / relative).resolve()
            out = self.out.resolve()
            if candidate != out and out not in candidate.parents:
                return None
            if candidate.is_dir():
                candidate = candidate / "index.html"
            return candidate if candidate.is_file() else None
        except (ValueError, OSError):  # a NUL byte, a name too long for the file system: no such page
            return None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        """The WSGI application that livereload wraps (it injects its script into every HTML answer)."""
        path = environ.get("PATH_INFO", "/")
        found = self.resolve(path)
        wants_page = found is None or found.suffix == ".html"
        if self.problems and wants_page:
            return self._answer(
                start_response,
                "500 Build fehlgeschlagen",
                error_page(self.root, self.problems),
                "text/html; charset=utf-8",
            )
        if found is None:
            not_found = self.resolve("/404.html")
            body = (
                allow_livereload(not_found.read_bytes())
                if not_found
                else b"<!DOCTYPE html><title>404</title><p>Nicht gefunden</p>"
            )
            return self._answer(start_response, "404 Not Found", body, "text/html; charset=utf-8")
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
            kind += "; charset=utf-8"
        body = found.read_bytes()
        return self._answer(start_response, "200 OK", allow_livereload(body) if wants_page else body, kind)

    @staticmethod
    def _answer(start_response: Callable[..., Any], status: str, body: bytes, kind: str) -> list[bytes]:
        start_response(
            status, [("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")]
        )
        return [body]


def instant_watcher(preview: Preview) -> Any:
    """livereload's watcher, told of each save at once by watchfiles (inotify) rather than by polling every
    0.8 s, and telling the preview which files were saved."""
    import watchfiles
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class InstantWatcher(Watcher):
        def __init__(self) -> None:
            super().__init__()
            self.paths: list[str] = []
            self.saves: set[str] = set()
            self.guard = threading.Lock()

        def watch(self, path: str, func: Any = None, delay: Any = None, ignore: Any = None) -> None:
            self.paths.append(path)
            super().watch(path, func, delay, ignore)

        def examine(self) -> tuple[str | None, None]:
            """Show the files saved since the last look; name one when the tabs are to reload now, so that
            livereload reloads them (else the preview does once its build is done)."""
            with self.guard:
                saved, self.saves = sorted(self.saves), set()
            if not saved or not preview.saved([Path(path) for path in saved]):
                return None, None
            self.filepath = saved[0]
            return saved[0], None

        def start(self, callback: Callable[[], None]) -> bool:
            loop = IOLoop.current()

            def reload_tabs() -> None:
                if LiveReloadHandler.waiters:
                    LiveReloadHandler.reload_waiters()

            preview.reload = lambda: loop.add_callback(reload_tabs)

            def follow() -> None:
                for changes in watchfiles.watch(*self.paths, debounce=30, step=10, rust_timeout=0):
                    with self.guard:
                        self.saves |= {path for _change, path in changes}
                    loop.add_callback(callback)  # livereload's poll: examine(), then the reload

            threading.Thread(target=follow, name="edition-watch", daemon=True).start()
            return True

    return InstantWatcher()


def serve(root: Path, out: Path, *, host: str, port: int) -> int:
    """Build, serve on host:port with live reload, show every save; return when interrupted."""
    from livereload import Server  # imported here: only the preview needs it

    preview = Preview(root, out)
    preview.rebuild()
    server = Server(app=preview, watcher=instant_watcher(preview))
    # Exactly what the build reads (EDITING.md too: it is published as a page).
    for place in input_places(root):
        if place.exists():
            server.watch(str(place))
    logging.getLogger("livereload").setLevel(logging.WARNING)
    print(f"Vorschau: http://{host}:{port}/  (beenden mit Strg+C)", flush=True)
    server.serve(host=host, port=port, debug=False, restart_delay=0, open_url_delay=None)
    return 0
