"""Notes as a reader meets them: sidenotes in the margin, disclosure on phones, endnotes in print."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

ARTICLE = "artikel/2024-06-putin-in-pjoengjang/"


@pytest.fixture
def wide(browser: Browser, site_url: str) -> Iterator[Page]:
    """The 2024 article at 1400 px."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser, site_url: str) -> Iterator[Page]:
    """The 2024 article on a 375 px phone with touch."""
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    yield page
    context.close()


def test_sidenotes_stand_beside_their_line_and_never_overlap(wide: Page) -> None:
    boxes = wide.evaluate("""() => [...document.querySelectorAll('.article-body .sidenote')].map(note => {
        const marker = document.getElementById('ref-' + note.id.slice(3)).getBoundingClientRect();
        const box = note.getBoundingClientRect();
        const body = document.querySelector('.article-body').getBoundingClientRect();
        return {top: box.top, bottom: box.bottom, left: box.left, right: box.right,
                markerTop: marker.top, markerBottom: marker.bottom, bodyRight: body.right};
    })""")
    assert len(boxes) >= 5
    previous_bottom = -1e9
    for box in boxes:
        assert box["left"] >= box["bodyRight"], "a sidenote stands in the margin, right of the text"
        assert box["right"] <= 1400
        assert box["top"] >= previous_bottom, "sidenotes never overlap"
        # Beside its line: level with the marker's line, unless the note above pushed it further down.
        if box["top"] > previous_bottom + 24:
            assert abs(box["top"] - box["markerTop"]) < 24
        assert box["top"] >= box["markerTop"] - 24
        previous_bottom = box["bottom"]
    assert wide.evaluate("document.documentElement.scrollWidth") <= 1400


def test_marker_opens_and_closes_the_note_in_place_by_tap(phone: Page) -> None:
    marker = phone.locator("#ref-1")
    note = phone.locator("#sn-1")
    assert not note.is_visible() and marker.get_attribute("aria-expanded") == "false"
    url = phone.url
    marker.tap()
    assert note.is_visible() and marker.get_attribute("aria-expanded") == "true"
    assert marker.get_attribute("aria-controls") == "sn-1" and phone.url == url
    note_box, marker_box = note.bounding_box(), marker.bounding_box()
    assert note_box["y"] >= marker_box["y"] and note_box["x"] >= 0 and note_box["x"] + note_box["width"] <= 375
    marker.tap()
    assert not note.is_visible() and marker.get_attribute("aria-expanded") == "false"


def test_marker_works_by_keyboard_and_escape_returns_focus(phone: Page) -> None:
    marker = phone.locator("#ref-1")
    marker.focus()
    phone.keyboard.press("Enter")
    assert phone.locator("#sn-1").is_visible()
    phone.keyboard.press("Tab")  # into the note's first link
    assert phone.evaluate("document.activeElement.closest('#sn-1') !== null")
    phone.keyboard.press("Escape")  # first closes the link's preview, if one opened
    if phone.locator("#sn-1").is_visible():
        phone.keyboard.press("Escape")
    assert not phone.locator("#sn-1").is_visible()
    assert phone.evaluate("document.activeElement.id") == "ref-1"
    phone.keyboard.press(" ")
    assert phone.locator("#sn-1").is_visible() and marker.get_attribute("aria-expanded") == "true"


def test_without_javascript_the_marker_leads_to_the_endnote_and_back(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    page.locator("#ref-3").click()
    page.wait_for_url("**#anm-3")
    assert page.locator("#anm-3").is_visible()
    page.locator("#anm-3 a[role=doc-backlink]").click()
    page.wait_for_url("**#ref-3")
    context.close()


def test_wide_screen_without_javascript_leads_to_the_endnotes(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    assert page.locator(".sidenote").count() == 0  # the note's text stands once, at the end
    assert page.locator("#ref-1").get_attribute("href") == "#anm-1" and page.locator("#anm-1").is_visible()
    context.close()


def test_print_shows_the_endnotes_not_the_sidenotes(wide: Page) -> None:
    wide.emulate_media(media="print")
    assert wide.locator(".endnotes").is_visible()
    assert wide.locator(".article-body .sidenote:visible").count() == 0
    assert wide.locator("#ref-1").is_visible()


def test_timeline_is_a_list_with_a_drawn_axis(page: Page, site_url: str) -> None:
    page.goto(site_url + "chronik/")
    assert page.locator("svg[role=group] title").text_content().startswith("Zeitachse")
    assert page.locator(".events > li").count() > 40
    page.locator("svg a").last.focus()
    page.keyboard.press("Enter")
    # Playwright does not wait for a fragment navigation started by a key press: wait for the URL itself.
    expect(page).to_have_url(re.compile(r"#jahr-\d{4}$"))
