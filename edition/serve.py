"""Live preview: the project folder in, a local server out that rebuilds on every save, reloads the open
tab, and shows the build's problems in place of the page until the editor fixes them."""

from __future__ import annotations

import base64
import hashlib
import logging
import mimetypes
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape

from .inputs import input_places
from .memo import MemoryStore
from .parallel import SERIAL
from .problems import BuildFailed, Problem
from .site import build_site

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

    def rebuild(self) -> None:
        """Build (incrementally); remember the problems; tell the terminal once about each new state."""
        try:
            # In one process: the server's threads are running, and forking beside them could copy a held lock.
            report = build_site(self.root, self.out, pages_first=True, workers=SERIAL, memory=self.memory)
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


def instant_watcher() -> Any:
    """livereload's watcher, told of a save at once by watchfiles (inotify) rather than by polling every 0.8 s."""
    import watchfiles
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class InstantWatcher(Watcher):
        def __init__(self) -> None:
            super().__init__()
            self.paths: list[str] = []

        def watch(self, path: str, func: Any = None, delay: Any = None, ignore: Any = None) -> None:
            self.paths.append(path)
            super().watch(path, func, delay, ignore)

        def start(self, callback: Callable[[], None]) -> bool:
            loop = IOLoop.current()

            def follow() -> None:
                for _changes in watchfiles.watch(*self.paths, debounce=30, step=10, rust_timeout=0):
                    loop.add_callback(callback)  # examine() then finds which file changed and rebuilds

            threading.Thread(target=follow, name="edition-watch", daemon=True).start()
            callback()
            return True

    return InstantWatcher()


def serve(root: Path, out: Path, *, host: str, port: int) -> int:
    """Build, serve on host:port with live reload, rebuild on every save; return when interrupted."""
    from livereload import Server  # imported here: only the preview needs it

    preview = Preview(root, out)
    preview.rebuild()
    server = Server(app=preview, watcher=instant_watcher())
    # Exactly what the build reads (EDITING.md too: it is published as a page).
    for place in input_places(root):
        if place.exists():
            server.watch(str(place), preview.rebuild)
    logging.getLogger("livereload").setLevel(logging.WARNING)
    print(f"Vorschau: http://{host}:{port}/  (beenden mit Strg+C)", flush=True)
    server.serve(host=host, port=port, debug=False, restart_delay=0, open_url_delay=None)
    return 0
