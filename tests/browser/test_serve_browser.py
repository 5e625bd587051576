"""The live preview, as an editor uses it: a page with livereload, an edit that shows, a mistake shown in
the page, the fix bringing it back; the server started and stopped by the test on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from support import ROOT

ARTICLE = "artikel/2023-09-ankunft-im-fernen-osten/"
RELOAD_QUIET = 3.5  # livereload ignores changes in its first seconds and right after a reload


def free_port() -> int:
    """A port nobody listens on, on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`python build.py serve` in a subprocess on a copy of the project."""

    def __init__(self, project: Path, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/"
        self.log = project / "serve.log"
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "--project", str(project), "serve", "--port", str(port)],
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url, timeout=1)
                # livereload starts its clock just before it answers the first request
                self.started = time.monotonic()
                return
            except (urllib.error.URLError, ConnectionError):
                assert self.process.poll() is None, self.log.read_text()
                time.sleep(0.2)
        raise AssertionError("the preview did not start: " + self.log.read_text())

    def output(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(encoding="utf-8")

    def stop(self) -> None:
        """Stop the server."""
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def server(project: Path) -> Iterator[Server]:
    """A running preview of a throwaway copy of the project."""
    running = Server(project, free_port())
    yield running
    running.stop()


def settle(server: Server) -> None:
    """Wait until livereload takes changes into account."""
    time.sleep(max(0.0, RELOAD_QUIET - (time.monotonic() - server.started)))


def open_page(browser: Browser, url: str) -> Page:
    """A page connected to the preview's livereload."""
    page = browser.new_context().new_page()
    page.goto(url)
    page.wait_for_function("() => typeof window.LiveReload !== 'undefined'", timeout=10000)
    return page


def test_preview_listens_only_on_loopback_and_injects_livereload(server: Server) -> None:
    html = urllib.request.urlopen(server.url + ARTICLE).read().decode()
    assert "livereload.js" in html and 'class="article-body"' in html
    assert server.url.startswith("http://127.0.0.1:")


def test_an_edit_appears_in_the_open_page_within_two_seconds(server: Server, project: Path, browser: Browser) -> None:
    page = open_page(browser, server.url + ARTICLE)
    settle(server)
    article = project / "content/artikel/2023-09-ankunft-im-fernen-osten.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nEin neuer Absatz aus dem Test.\n", encoding="utf-8")
    saved = time.monotonic()
    page.wait_for_function("() => document.body.innerText.includes('Ein neuer Absatz aus dem Test.')", timeout=5000)
    assert time.monotonic() - saved < 2.0
    page.context.close()


def test_a_broken_file_shows_the_error_in_the_page_and_the_fix_brings_it_back(
    server: Server, project: Path, browser: Browser
) -> None:
    page = open_page(browser, server.url + ARTICLE)
    settle(server)
    glossary = project / "glossary.yaml"
    good = glossary.read_text(encoding="utf-8")
    glossary.write_text(good.replace("  term: Juche\n", "  term: [Juche\n", 1), encoding="utf-8")
    line = good.splitlines().index("  term: Juche") + 1
    page.wait_for_function("() => document.body.innerText.includes('Der Build ist fehlgeschlagen')", timeout=6000)
    shown = page.locator("main").inner_text()
    # PyYAML notices the unclosed list on the line after it
    assert f"glossary.yaml:{line + 1}:" in shown and "YAML-Syntaxfehler: Eine mit [ geöffnete Liste" in shown
    assert "term: [Juche" in shown  # the lines around it
    assert server.process.poll() is None
    time.sleep(RELOAD_QUIET)
    glossary.write_text(good, encoding="utf-8")
    page.wait_for_function("() => document.querySelector('.article-body') !== null", timeout=6000)
    page.context.close()
    output = server.output()
    assert output.count("YAML-Syntaxfehler") == 1 and "Traceback" not in output
    assert "Wieder in Ordnung." in output


def test_a_broken_note_names_file_line_and_closest_passage_in_the_page(server: Server, project: Path) -> None:
    settle(server)
    notes = project / "content/artikel/2023-09-ankunft-im-fernen-osten.notes.yaml"
    notes.write_text(
        notes.read_text(encoding="utf-8").replace('quote: "Höchtsgeschwindigkeit"', 'quote: "Höchstgeschwindigkeit"'),
        encoding="utf-8",
    )
    deadline = time.monotonic() + 6
    body = ""
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(server.url)
        except urllib.error.HTTPError as error:
            body = error.read().decode()
            break
        time.sleep(0.3)
    assert "content/artikel/2023-09-ankunft-im-fernen-osten.notes.yaml:" in body
    assert "Nächste Stelle im Text: „Höchtsgeschwindigkeit“" in body
