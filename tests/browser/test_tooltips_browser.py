"""Glossary tooltips as a reader meets them: hover, focus, Esc, tap, the viewport's edges, no JavaScript.

Each definition stands once in the page (the element with role="tooltip" that the term's aria-describedby
names, in the list below the article); the script shows it in a popup beside the term."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

ARTICLE = "artikel/2019-04-gipfel-in-wladiwostok/"


def tooltip_of(page: Page, term: Locator) -> Locator:
    """The popup that shows a term's definition (checked to show the text its aria-describedby names)."""
    popup = page.locator("#popup")
    if popup.count() and popup.is_visible():
        definition = page.locator(f"#{term.get_attribute('aria-describedby')}").text_content()
        assert definition.strip() in popup.inner_text()
    return popup


def box(locator: Locator) -> dict[str, float]:
    """The element's box in viewport coordinates."""
    result = locator.bounding_box()
    assert result is not None
    return result


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two boxes share any area."""
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def assert_inside_viewport_and_clear_of(page: Page, tip: Locator, term: Locator) -> None:
    """The tooltip is whole inside the viewport and does not cover its term."""
    viewport = page.viewport_size
    tip_box, term_box = box(tip), box(term)
    assert tip_box["x"] >= 0 and tip_box["y"] >= 0
    assert tip_box["x"] + tip_box["width"] <= viewport["width"]
    assert tip_box["y"] + tip_box["height"] <= viewport["height"]
    assert not overlaps(tip_box, term_box)


@pytest.fixture
def phone(browser: Browser, site_url: str) -> Iterator[Page]:
    """A phone-sized page with touch, on the 2019 article."""
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    yield page
    context.close()


def test_hover_shows_the_definition_and_the_pointer_can_move_onto_it(page: Page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    term = page.locator("a.term[aria-describedby=tt-chassan]")
    assert not page.locator("#popup").is_visible()
    term.hover()
    tip = tooltip_of(page, term)
    assert tip.is_visible() and "Siedlung" in tip.inner_text()
    assert_inside_viewport_and_clear_of(page, tip, term)
    tip_box = box(tip)
    page.mouse.move(tip_box["x"] + 10, tip_box["y"] + 10, steps=8)
    page.wait_for_timeout(600)
    assert tip.is_visible(), "the tooltip must stay while the pointer is on it"
    page.mouse.move(5, 5)
    expect(tip).to_be_hidden()  # after the script's grace period, however long a busy machine takes


def test_tooltip_persists_until_dismissed(page: Page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    term = page.locator("a.term[aria-describedby=tt-juche]")
    term.hover()
    page.wait_for_timeout(2500)
    assert tooltip_of(page, term).is_visible()


def test_keyboard_focus_shows_it_and_escape_closes_it_without_moving_focus(page: Page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    page.keyboard.press("Tab")  # skip link
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('term')"):
            break
    term = page.locator("a.term:focus")
    tip = tooltip_of(page, term)
    assert tip.is_visible()
    assert_inside_viewport_and_clear_of(page, tip, term)
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('term')")
    page.keyboard.press("Tab")  # the next link opens its own popup only if it has one
    next_is_trigger = page.evaluate("document.activeElement.matches('a.term, a[data-preview]')")
    assert tip.is_visible() == next_is_trigger


def test_screen_readers_get_the_definition_as_description(page: Page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    session = page.context.new_cdp_session(page)
    document = session.send("DOM.getDocument")
    node = session.send(
        "DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": "a.term[aria-describedby=tt-juche]"}
    )
    tree = session.send("Accessibility.getPartialAXTree", {"nodeId": node["nodeId"], "fetchRelatives": False})
    link = next(n for n in tree["nodes"] if n.get("role", {}).get("value") == "link")
    assert link["name"]["value"] == "Juche"
    assert "Staatsideologie Nordkoreas" in link["description"]["value"]


def test_tap_opens_the_tooltip_and_a_second_tap_follows_the_link(phone: Page) -> None:
    term = phone.locator("a.term[aria-describedby=tt-juche]")
    term.scroll_into_view_if_needed()
    url = phone.url
    term.tap()
    tip = tooltip_of(phone, term)
    assert tip.is_visible() and phone.url == url
    assert_inside_viewport_and_clear_of(phone, tip, term)
    term.tap()
    phone.wait_for_url("**/glossar/juche/")


def test_tap_elsewhere_closes_it(phone: Page) -> None:
    term = phone.locator("a.term[aria-describedby=tt-chassan]")
    term.scroll_into_view_if_needed()
    term.tap()
    tip = tooltip_of(phone, term)
    assert tip.is_visible()
    phone.locator("h1").tap()
    assert not tip.is_visible()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_never_cut_off_at_any_edge_and_never_over_the_term(browser: Browser, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 640})
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    terms = page.locator("a.term")
    checked = 0
    for index in range(terms.count()):
        term = terms.nth(index)
        # Bring the term to the bottom edge, where a tooltip below it would be cut off.
        term.evaluate("t => { const r = t.getBoundingClientRect(); window.scrollBy(0, r.bottom - innerHeight + 4); }")
        term.hover()
        tip = tooltip_of(page, term)
        assert tip.is_visible()
        assert_inside_viewport_and_clear_of(page, tip, term)
        checked += 1
    context.close()
    assert checked > 20


def test_without_javascript_the_term_links_to_its_entry_and_the_definition_stands_below(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    term = page.locator("a.term[aria-describedby=tt-juche]")
    definition = page.locator("#tt-juche")
    assert definition.get_attribute("role") == "tooltip" and "Staatsideologie" in definition.inner_text()
    assert definition.is_visible()  # in the list of names and terms below the article
    term.click()
    page.wait_for_url("**/glossar/juche/")
    assert page.locator("h1").inner_text() == "Juche"
    context.close()


def test_reaching_an_occurrence_highlights_it(page: Page, site_url: str) -> None:
    page.goto(site_url + "glossar/chassan/")
    page.locator(".register ol a").first.click()
    page.wait_for_url("**#m-chassan-1")
    highlighted = page.evaluate("getComputedStyle(document.querySelector(':target')).backgroundColor")
    assert highlighted not in ("rgba(0, 0, 0, 0)", "transparent")


def test_print_hides_popups_and_prints_the_term_list_with_definitions(page: Page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    page.locator("a.term[aria-describedby=tt-juche]").hover()
    page.emulate_media(media="print")
    assert not page.locator("#popup").is_visible()
    assert page.locator(".term-list").is_visible() and page.locator("#tt-juche").is_visible()
