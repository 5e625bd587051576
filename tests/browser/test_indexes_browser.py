"""The ways into the edition as a reader meets them, measured in the browser: the glossary's A–Z, the
timeline, the map on a phone, search, and the front page."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

import pytest
import yaml
from conftest import run_axe
from playwright.sync_api import Browser, Page, expect
from support import ROOT

WIDE = {"width": 1400, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(browser: Browser) -> Page:
    """A page at a phone's width, with touch."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    return context.new_page()


@pytest.fixture
def no_script(browser: Browser) -> Page:
    """A page in a browser with JavaScript switched off."""
    return browser.new_context(java_script_enabled=False).new_page()


# Glossary


def test_glossary_fits_in_about_four_screens_at_1400_px(page: Page, site_url: str) -> None:
    page.set_viewport_size(WIDE)
    page.goto(site_url + "glossar/")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 4 * WIDE["height"], height
    rows = page.locator(".glossary-index li")
    assert rows.count() == len(yaml.safe_load((ROOT / "glossary.yaml").read_text(encoding="utf-8")))
    # One line per entry on a wide screen: term, kind and first sentence share a row.
    first = rows.first.bounding_box()
    assert first is not None and first["height"] < 3 * 22


def test_letter_bar_and_kind_filters_work_without_javascript(no_script: Page, site_url: str) -> None:
    no_script.set_viewport_size(WIDE)
    no_script.goto(site_url + "glossar/")
    no_script.get_by_role("navigation", name="Nach Anfangsbuchstaben").get_by_role("link", name="K", exact=True).click()
    expect(no_script).to_have_url(re.compile(r"glossar/#buchstabe-k$"))
    heading = no_script.locator("#buchstabe-k").bounding_box()
    bar = no_script.locator(".letter-bar").bounding_box()
    assert heading is not None and bar is not None
    assert bar["y"] + bar["height"] <= heading["y"] + 1 < WIDE["height"] / 2  # scrolled to, below the sticky bar
    no_script.get_by_role("navigation", name="Nach Art filtern").get_by_role("link", name="Orte").click()
    expect(no_script).to_have_url(re.compile(r"glossar/orte/$"))
    kinds = no_script.locator(".index-kind").all_inner_texts()
    assert kinds and set(kinds) == {"Ort"}
    assert "Pjöngjang" in no_script.locator(".index-term").all_inner_texts()


def test_entry_lists_each_paragraph_once(page: Page, site_url: str) -> None:
    page.goto(site_url + "glossar/nordkorea/")
    for group in page.locator(".occurrence-group").all():
        places = re.findall(r"(?:Zwischenüberschrift vor )?Absatz \d+", group.inner_text())
        assert places and len(places) == len(set(places)), places


# Timeline


def events_on(page: Page, iso: str) -> list[str]:
    """The texts of the events listed under one date."""
    return page.locator(f'.events > li:has(> time[datetime="{iso}"]) .event').all_inner_texts()


def test_timeline_tells_each_event_once_with_all_its_sources(page: Page, site_url: str) -> None:
    page.goto(site_url + "chronik/")
    dates = Counter(page.locator(".events > li > time").evaluate_all("els => els.map(e => e.dateTime)"))
    assert max(dates.values()) == 1  # each date once
    [founding] = events_on(page, "1948-09-09")
    assert "Kim Il Sung" in founding and "Nordkorea" in founding and "Anmerkung 7" in founding
    assert len(events_on(page, "2019-04-25")) == 1
    hanoi = [t for t in page.locator(".event").all_inner_texts() if "Hanoi" in t.split("\n")[0]]
    assert len(hanoi) == 2, hanoi  # the summit's first day and its end, each once
    assert not events_on(page, "2019-02")  # the month-only mentions joined the day they tell


def test_timeline_is_vertical_and_readable_on_a_phone(phone: Page, site_url: str) -> None:
    phone.goto(site_url + "chronik/")
    assert not phone.locator(".time-axis").is_visible()  # the drawn axis would shrink its labels
    sizes = phone.locator(".events > li > time").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 12
    tops = [box["y"] for box in (li.bounding_box() for li in phone.locator(".events > li").all()[:40]) if box]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)  # one below the other
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_axis_circles_do_not_overlap_on_a_wide_screen(page: Page, site_url: str) -> None:
    page.set_viewport_size(WIDE)
    page.goto(site_url + "chronik/")
    circles = page.locator(".time-axis circle").evaluate_all(
        "els => els.map(e => { const b = e.getBoundingClientRect(); return [b.left, b.right]; })"
    )
    for (_left, right), (left, _right) in pairwise(circles):
        assert left >= right - 0.5
    sizes = page.locator(".axis-label").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert min(sizes) >= 12


# Map


def test_map_opens_on_korea_and_primorje_at_375_px(phone: Page, site_url: str) -> None:
    phone.goto(site_url + "karte/")
    frame = phone.locator(".region-map svg").bounding_box()
    assert frame is not None and frame["x"] >= 0 and frame["x"] + frame["width"] <= PHONE["width"]
    for name in ("Wladiwostok", "Pjöngjang", "Chassan", "Seoul"):
        label = phone.locator(".region-map .map-label", has_text=name).bounding_box()
        assert label is not None, name
        assert frame["x"] <= label["x"] and label["x"] + label["width"] <= frame["x"] + frame["width"], name
        assert frame["y"] <= label["y"] and label["y"] + label["height"] <= frame["y"] + frame["height"], name
        assert label["height"] >= 11, name  # drawn for this width: labels keep their size
    assert phone.locator(".map-hint").is_visible()  # the whole map scrolls sideways, and says so
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_whole_map_is_reached_by_a_visible_link_without_javascript(no_script: Page, site_url: str) -> None:
    no_script.set_viewport_size(PHONE)
    no_script.goto(site_url + "karte/")
    link = no_script.get_by_role("link", name="Ganze Karte zeigen ↓")
    assert link.is_visible()
    link.click()
    expect(no_script).to_have_url(re.compile(r"#ganze-karte$"))
    box = no_script.locator("#ganze-karte").bounding_box()
    assert box is not None and abs(box["y"]) < 5
    assert no_script.locator("#ganze-karte .map-label", has_text="Moskau").count() == 1


# Search


FURNITURE = ("¶", "↩", "zur Stelle", "Auch:", "Lage", "Quellen:", "Siehe auch", "Zitieren", "Textvorlage")


def search_for(page: Page, site_url: str, query: str) -> str:
    """Open the search page with a query and wait for its answer; the status line."""
    page.goto(site_url + "suche/?q=" + query)
    status = page.get_by_role("status")
    expect(status).not_to_have_text(re.compile(r"^(Suche …)?$"))
    return status.inner_text()


@pytest.mark.parametrize("query", ["Nordkoreas", "Pjöngjang", "Koreakrieg", "Waffenstillstand", "Wladiwostok"])
def test_excerpts_show_reading_text_without_furniture(page: Page, site_url: str, query: str) -> None:
    search_for(page, site_url, query)
    excerpts = page.locator(".search-results li p").all_inner_texts()
    assert excerpts
    for text in excerpts:
        assert not [word for word in FURNITURE if word in text], text
        # Fields are not glued: no number or date runs into a word („1950Angriff“, „Lage39,90°“).
        assert not re.search(r"\d[A-ZÄÖÜ][a-zäöüß]", text), text


def test_articles_come_first_twenty_at_a_time_up_to_the_count(page: Page, site_url: str) -> None:
    status = search_for(page, site_url, "Nordkoreas")
    groups = page.locator(".result-group h2").all_inner_texts()
    assert groups[0].startswith("Artikel")
    first = page.locator(".search-results li a").first.get_attribute("href") or ""
    assert "/artikel/" in first
    results = page.locator(".search-results li")
    match = re.match(r"(\d+) Treffer für „Nordkoreas“; aufgeführt sind die ersten 20: ", status)
    assert match and int(match.group(1)) > 20 and results.count() == 20
    more = page.get_by_role("button", name="Weitere Treffer zeigen")
    listed = 20
    while more.is_visible():
        more.click()
        expect(results).to_have_count(min(listed + 20, int(match.group(1))))
        # the keyboard goes on where the list grew: the first new result has the focus
        assert page.evaluate("document.activeElement.closest('li') !== null")
        listed = results.count()
    assert listed == int(match.group(1))
    assert page.get_by_role("status").inner_text().startswith(f"{listed} Treffer für „Nordkoreas“: ")
    groups = page.locator(".result-group h2").all_inner_texts()
    assert sum(int(re.search(r"\((\d+)\)", g).group(1)) for g in groups) == listed  # type: ignore[union-attr]
    assert run_axe(page) == []


def test_a_misspelled_word_gets_the_nearest_known_word(page: Page, site_url: str) -> None:
    status = search_for(page, site_url, "Wladiwostock")
    suggestion = page.locator(".search-suggestion")
    assert suggestion.inner_text() == "Meinten Sie Wladiwostok?"
    assert status == "Keine Treffer für „Wladiwostock“."
    suggestion.get_by_role("link", name="Wladiwostok").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\d+ Treffer für „Wladiwostok“"))
    assert page.get_by_label("Suchbegriff").input_value() == "Wladiwostok"
    assert not suggestion.is_visible()
    assert run_axe(page) == []


# Front page


def test_front_page_uses_the_width_and_shows_the_articles_as_a_sequence(page: Page, site_url: str) -> None:
    page.set_viewport_size(WIDE)
    page.goto(site_url)
    articles = page.locator(".sequence > li")
    assert articles.count() == 5
    dates = articles.locator("time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates == sorted(dates)
    for fact in articles.locator(".teaser-facts").all_inner_texts():
        assert re.fullmatch(r"\d+ Anmerkungen? der Redaktion · \d+ erklärte? Namen? (und|oder) Begriffe?", fact), fact
    listing = page.locator(".article-list").bounding_box()
    ways = page.locator(".ways-in").bounding_box()
    assert listing is not None and ways is not None
    assert ways["x"] >= listing["x"] + listing["width"]  # beside the list, not below it
    assert ways["x"] + ways["width"] - listing["x"] > 0.75 * page.locator("main").bounding_box()["width"]  # type: ignore[index]
    for name in ("Karte", "Chronik"):
        assert page.locator(".ways-in a", has_text=name).is_visible()
    intro = page.locator(".intro p:not(.subtitle)").all_inner_texts()
    sentences = re.findall(r"[.!?](?:\s|$)", " ".join(intro))
    assert len(sentences) == 2
