"""The live preview, as an editor uses it: a page with livereload, an edit that shows, a mistake shown in
the page, the fix bringing it back; the server started and stopped by the test on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from support import ROOT

ARTICLE = "artikel/2023-09-ankunft-im-fernen-osten/"
PATIENCE = 60.0  # seconds before a test gives up on an event: generous, since no test measures speed


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
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url, timeout=1)
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


Saver = Callable[[Path, str, Callable[[float], bool]], None]


@pytest.fixture
def save_until() -> Saver:
    """Save a file and wait for the event that shows the preview took it (`seen(timeout)` waits up to
    `timeout` seconds for it); save again each second until it comes.

    livereload rebuilds on every save but drops the reload message within about 3 s of its start and of its
    last reload: saving again is what makes it send the message once that window has passed. This is the
    only place that knows about that window; no test sleeps for it."""

    def save(path: Path, text: str, seen: Callable[[float], bool]) -> None:
        deadline = time.monotonic() + PATIENCE
        while True:
            path.write_text(text, encoding="utf-8")
            if seen(1.0):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the preview never showed the save of {path.name}")

    return save


def page_shows(page: Page, condition: str) -> Callable[[float], bool]:
    """Whether the page's JavaScript `condition` comes true within a timeout (reloads included)."""

    def seen(timeout: float) -> bool:
        try:
            page.wait_for_function(condition, timeout=timeout * 1000)
        except PlaywrightTimeout:
            return False
        return True

    return seen


def open_page(browser: Browser, url: str) -> Page:
    """A page connected to the preview's livereload."""
    page = browser.new_context().new_page()
    page.goto(url)
    page.wait_for_function("() => typeof window.LiveReload !== 'undefined'", timeout=PATIENCE * 1000)
    return page


def test_preview_listens_only_on_loopback_and_injects_livereload(server: Server) -> None:
    html = urllib.request.urlopen(server.url + ARTICLE).read().decode()
    assert "livereload.js" in html and 'class="article-body"' in html
    assert server.url.startswith("http://127.0.0.1:")


def test_an_edit_appears_in_the_open_page(server: Server, project: Path, browser: Browser, save_until: Saver) -> None:
    page = open_page(browser, server.url + ARTICLE)
    article = project / "content/artikel/2023-09-ankunft-im-fernen-osten.md"
    assert "Ein neuer Absatz aus dem Test." not in page.locator("main").inner_text()
    save_until(
        article,
        article.read_text(encoding="utf-8") + "\nEin neuer Absatz aus dem Test.\n",
        page_shows(page, "() => document.body.innerText.includes('Ein neuer Absatz aus dem Test.')"),
    )
    page.context.close()


def test_a_broken_file_shows_the_error_in_the_page_and_the_fix_brings_it_back(
    server: Server, project: Path, browser: Browser, save_until: Saver
) -> None:
    page = open_page(browser, server.url + ARTICLE)
    glossary = project / "glossary.yaml"
    good = glossary.read_text(encoding="utf-8")
    line = good.splitlines().index("  term: Juche") + 1
    save_until(
        glossary,
        good.replace("  term: Juche\n", "  term: Juche: die Staatsideologie\n", 1),
        page_shows(page, "() => document.body.innerText.includes('Der Build ist fehlgeschlagen')"),
    )
    shown = page.locator("main").inner_text()
    assert f"glossary.yaml:{line}:" in shown and "YAML-Syntaxfehler: Hier steht ein Doppelpunkt" in shown
    assert "term: Juche: die Staatsideologie" in shown  # the lines around it
    assert server.process.poll() is None
    save_until(glossary, good, page_shows(page, "() => document.querySelector('.article-body') !== null"))
    page.context.close()
    output = server.output()
    assert output.count("YAML-Syntaxfehler") == 1 and "Traceback" not in output
    assert "Wieder in Ordnung." in output


def test_a_broken_note_names_file_line_and_closest_passage_in_the_page(
    server: Server, project: Path, save_until: Saver
) -> None:
    notes = project / "content/artikel/2023-09-ankunft-im-fernen-osten.notes.yaml"
    answer: list[str] = []

    def error_page_served(timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(server.url, timeout=timeout)
            except urllib.error.HTTPError as error:
                answer.append(error.read().decode())
                return True
            time.sleep(0.1)
        return False

    save_until(
        notes,
        notes.read_text(encoding="utf-8").replace('quote: "Höchtsgeschwindigkeit"', 'quote: "Höchstgeschwindigkeit"'),
        error_page_served,
    )
    assert "content/artikel/2023-09-ankunft-im-fernen-osten.notes.yaml:" in answer[-1]
    assert "Nächste Stelle im Text: „Höchtsgeschwindigkeit“" in answer[-1]
