"""Helpers shared by the tests: where things are, and how to read a page the way the fidelity contract does."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPORA = SHARED / "corpora"

# Elements without end tags; everything else must be closed in order.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SPACE = re.compile(r"\s+")


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


class _TextCollector(HTMLParser):
    """Collects the text of elements matching a class, leaving out any subtree marked `data-edition`."""

    def __init__(self, css_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, inside target, inside edition addition)
        self.parts: list[str] = []
        self.found = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        inside, skipping = self.stack[-1][1:] if self.stack else (False, False)
        names = dict(attrs)
        if self.css_class in (names.get("class") or "").split():
            inside = True
            self.found += 1
            self.parts.append(" ")
        skipping = skipping or (inside and "data-edition" in names)
        if tag in ("p", "h1", "h2", "h3", "h4", "li", "br", "div", "section"):
            self.parts.append(" ")
        if tag not in VOID:
            self.stack.append((tag, inside, skipping))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, _inside, _skip = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][1] and not self.stack[-1][2]:
            self.parts.append(data)


def reading_text(html: str, css_class: str = "article-body") -> str:
    """The text of the elements with `css_class`, minus everything the edition added (`data-edition`)."""
    collector = _TextCollector(css_class)
    collector.feed(html)
    collector.close()
    return normalize_space("".join(collector.parts))


def count_class(html: str, css_class: str) -> int:
    """How many elements carry `css_class`."""
    collector = _TextCollector(css_class)
    collector.feed(html)
    return collector.found


class _WellFormed(HTMLParser):
    """Checks that every non-void element is closed, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:  # `<hr />` reaches here as a start and an end tag
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
        else:
            self.stack.pop()


def well_formed_errors(html: str) -> list[str]:
    """Interleaved or unclosed tags in an HTML fragment (empty list when well-formed)."""
    checker = _WellFormed()
    checker.feed(html)
    checker.close()
    return checker.errors + [f"<{tag}> never closed" for tag in checker.stack]


def front_matter(article: Path) -> dict[str, Any]:
    """An article's front matter as the editor wrote it (tests derive their expectations from the content, so
    an editor's new note, entry or date never breaks them)."""
    return yaml.safe_load(article.read_text(encoding="utf-8").split("---\n", 2)[1])


def article_files(root: Path = ROOT) -> list[Path]:
    """The Markdown files of a project's articles, by name."""
    return sorted((root / "content" / "artikel").glob("*.md"))


def note_ids(slug: str, root: Path = ROOT) -> list[str]:
    """The ids of an article's notes, in file order (none when it has no notes file)."""
    path = root / "content" / "artikel" / f"{slug}.notes.yaml"
    if not path.exists():
        return []
    return [note["id"] for note in yaml.safe_load(path.read_text(encoding="utf-8"))["notes"] or []]


def set_front_matter_line(path: Path, key: str, line: str | None) -> int:
    """Replace the line that opens `key:` in a file's front matter by `line`, or drop it (None), whatever the
    value an editor gave it (the date, say, of a redated article); return its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(n for n, text in enumerate(lines) if text.startswith(f"{key}:"))
    lines[number : number + 1] = [] if line is None else [line]
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def seed_reading_text(seed: Path) -> str:
    """A seed's words as the page must show them: the raw file minus its leading `date YYYY-MM` marker."""
    text = seed.read_text(encoding="utf-8")
    text = re.sub(r"\A\s*date\s+\d{4}-\d{2}(?:-\d{2})?\s+", "", text)
    return normalize_space(text)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        return


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve a folder over HTTP on a free loopback port; return the server and its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def copy_project(tmp_path: Path) -> Path:
    """A copy of the project's inputs (content, templates, static, schemas) to break in a test."""
    for name in ("content", "templates", "static", "glossary.yaml", "EDITING.md", "data"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    return tmp_path
