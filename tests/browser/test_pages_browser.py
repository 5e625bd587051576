"""Every page in a real browser: accessible (axe-core, WCAG 2.2 AA), narrow screens, no JavaScript, print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import html_pages, run_axe
from playwright.sync_api import Browser, Page, expect
from support import ROOT


def all_pages(site: Path) -> list[str]:
    """Every HTML page of the built site."""
    return html_pages(site)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_page(browser: Browser, built_site: Path, site_url: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in all_pages(built_site):
        page.goto(site_url + path)
        violations = run_axe(page)
        if violations:
            found[path] = violations
    context.close()
    assert found == {}


def test_no_page_scrolls_sideways_at_320_px(browser: Browser, built_site: Path, site_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    too_wide = {}
    for path in all_pages(built_site):
        page.goto(site_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    context.close()
    assert too_wide == {}


def test_pages_work_without_javascript(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    page.get_by_role(
        "link", name="Putin in Pjöngjang: Partnerschaftsvertrag mit Beistandsklausel unterzeichnet"
    ).click()
    assert page.locator("h1").inner_text().startswith("Putin in Pjöngjang")
    assert "Strukur" in page.locator(".article-body").inner_text()
    page.get_by_role("link", name="Vorheriger Artikel").click()
    expect(page).to_have_url(re.compile("/artikel/2023-09-ankunft-im-fernen-osten/$"))
    context.close()


def test_no_request_leaves_the_site(page: Page, built_site: Path, site_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in all_pages(built_site):
        page.goto(site_url + path, wait_until="load")
    assert requested and [url for url in requested if not url.startswith(site_url)] == []


def test_print_shows_the_text_without_navigation(page: Page, site_url: str) -> None:
    page.goto(site_url + "artikel/2019-04-gipfel-in-wladiwostok/")
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".pager").is_visible()
    assert page.locator(".article-body").is_visible()


def test_text_is_set_in_a_readable_measure(page: Page, site_url: str) -> None:
    page.goto(site_url + "artikel/2019-04-gipfel-in-wladiwostok/")
    characters_per_line = page.evaluate("""() => {
        const p = document.querySelector('.article-body p');
        const width = p.getBoundingClientRect().width;
        const probe = document.createElement('span');
        probe.style.cssText = 'position: absolute; white-space: nowrap';
        probe.textContent = 'abcdefghijklmnopqrstuvwxyz'.repeat(4);
        p.appendChild(probe);
        const perChar = probe.getBoundingClientRect().width / 104;
        probe.remove();
        return width / perChar;
    }""")
    assert 55 <= characters_per_line <= 80
    assert page.evaluate("getComputedStyle(document.querySelector('.article-body')).hyphens") == "auto"


def test_dark_scheme_changes_colours(browser: Browser, site_url: str) -> None:
    colours = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(site_url)
        colours.append(page.evaluate("getComputedStyle(document.body).backgroundColor"))
        context.close()
    assert colours[0] != colours[1]


__all__ = ["ROOT"]
