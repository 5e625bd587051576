"""Take the README's screenshot: an article page of a built site, in Debian's headless Chromium.

Usage: python tests/screenshot.py SITE_DIR OUTPUT.png
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser.conftest import CHROMIUM, CHROMIUM_FLAGS
from support import serve_folder

ARTICLE = "artikel/2024-06-putin-in-pjoengjang/"


def take_screenshot(site: Path, output: Path) -> None:
    """Serve `site`, open the article at a laptop's width, save the top of the page as PNG."""
    server, url = serve_folder(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1100, "height": 760}, locale="de-DE")
            page.goto(url + ARTICLE)
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output))
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    take_screenshot(Path(sys.argv[1]), Path(sys.argv[2]))
