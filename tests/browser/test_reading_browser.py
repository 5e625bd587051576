"""The reader's extras in a real browser: search, link previews, citable paragraphs, annotation density,
open annotations linked from the page (Lighthouse's audits are in test_lighthouse.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import run_axe
from playwright.sync_api import Browser, Page, expect
from support import ROOT, front_matter, serve_folder

from edition import search
from edition.dates import PartialDate
from edition.site import build_site

ARTICLE = "artikel/2023-09-kim-in-russland-eingetroffen/"


def test_search_finds_german_word_forms_under_a_sub_path(page: Page, subpath_url: str) -> None:
    page.goto(subpath_url + "suche/")
    page.get_by_label("Suchbegriff").fill("Nordkorea")
    page.keyboard.press("Enter")
    page.wait_for_selector(".search-results li")
    status = page.get_by_role("status").inner_text()
    assert re.match(r"\d+ Treffer für „Nordkorea“; aufgeführt sind die ersten 20: \d+ Artikel", status)
    excerpts = page.locator(".search-results li p").all_inner_texts()
    assert any("Nordkoreas" in text for text in excerpts)  # German stemming: the genitive is found
    assert page.locator(".search-results mark").count() > 0
    first = page.locator(".search-results a").first
    assert first.get_attribute("href").startswith("/edition/")
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "suche" not in url)
    assert page.url.startswith(subpath_url) and page.locator("h1").count() == 1
    page.go_back()
    assert run_axe(page) == []


def test_search_finds_notes_and_glossary_text(page: Page, site_url: str) -> None:
    page.goto(site_url + "suche/?q=Ratifikationsurkunden")  # a word only the notes and the glossary use
    page.wait_for_selector(".search-results li")
    found = [a.get_attribute("href") or "" for a in page.locator(".search-results a").all()]
    assert any("artikel/2024-06-putin-in-pjoengjang/" in href for href in found), found
    page.goto(site_url + "suche/?q=Eigenständigkeit")
    page.wait_for_selector(".search-results li")
    assert any("glossar/juche/" in (a.get_attribute("href") or "") for a in page.locator(".search-results a").all())


@pytest.fixture(scope="module")
def parted_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The edition with its search index in parts, as an archive's is, served at the root of an address."""
    out = tmp_path_factory.mktemp("parts") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PAGES_PER_PART", 25)
        build_site(ROOT, out)
    server, url = serve_folder(out)
    yield url
    server.shutdown()


def search_for(page: Page, url: str, query: str) -> tuple[str, list[str], int]:
    """The status, the links of all results (shown twenty at a time) and the search bundle's requests of one
    search."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url + "suche/?q=" + query)
    page.wait_for_selector(".search-results li")
    more, results = page.locator(".search-more"), page.locator(".search-results li")
    while more.is_visible():
        listed = results.count()
        more.click()
        expect(results).not_to_have_count(listed)
    links = sorted(a.get_attribute("href") or "" for a in page.locator(".search-results a").all())
    return page.get_by_role("status").inner_text(), links, sum("/pagefind/" in u for u in requested)


def test_an_index_in_parts_finds_what_one_index_finds(browser: Browser, site_url: str, parted_url: str) -> None:
    # one word everywhere, one in one part only, one in the glossary, short words, a year; two words whose stems
    # begin with words the other parts hold („atomwaff“, „staat“): those parts' looser matches are left out
    queries = ("Nordkorea", "Ratifikationsurkunden", "Eigenständigkeit", "Kim Jong Un", "2019")
    for query in (*queries, "Atomwaffenprogramm", "Staatsbesuch"):
        one, parted = browser.new_page(), browser.new_page()
        status, links, _requests = search_for(one, site_url, query)
        assert search_for(parted, parted_url, query)[:2] == (status, links), query
        one.close()
        parted.close()


def test_search_is_loaded_only_when_opened(page: Page, site_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + ARTICLE)
    page.locator("a.term").first.hover()
    assert not [url for url in requested if "pagefind" in url or "search.js" in url]
    page.goto(site_url + "suche/")
    assert not [url for url in requested if "pagefind/" in url]  # not even here, until the reader searches
    page.get_by_label("Suchbegriff").fill("Putin")
    page.wait_for_selector(".search-results li")
    assert [url for url in requested if "pagefind/pagefind.js" in url]


def test_cross_link_preview_shows_headline_date_and_summary(page: Page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    link = page.locator("a.xref").first  # the cross-link sits in a note at the end of the page
    link.hover()
    popup = page.locator("#popup")
    popup.wait_for(state="visible")
    text = popup.inner_text()
    slug = link.get_attribute("data-preview").removeprefix("artikel/").strip("/")
    target = front_matter(ROOT / "content" / "artikel" / f"{slug}.md")
    assert target["title"] in text and PartialDate.parse(str(target["date"])).german() in text
    assert " ".join(target["summary"].split()[:6]) in text
    assert popup.get_attribute("role") == "tooltip" and link.get_attribute("aria-describedby") == "popup"
    box, target = popup.bounding_box(), link.bounding_box()
    assert box["y"] >= target["y"] + target["height"] or box["y"] + box["height"] <= target["y"]
    page.keyboard.press("Escape")
    assert not popup.is_visible() and link.get_attribute("aria-describedby") is None


def test_preview_on_keyboard_focus_and_following_without_javascript(browser: Browser, site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + "glossar/chassan/")
    page.locator(".register a").first.focus()
    page.locator("#popup").wait_for(state="visible")
    context.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    page.locator("a.xref").first.click()
    page.wait_for_url("**/artikel/2019-04-gipfel-in-wladiwostok/")
    context.close()


def test_preview_opens_on_tap_and_follows_on_the_second(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url + "artikel/2019-04-gipfel-in-wladiwostok/")
    link = page.locator(".connections a[data-preview]").first
    link.scroll_into_view_if_needed()
    link.tap()
    page.locator("#popup").wait_for(state="visible")
    box = page.locator("#popup").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    link.tap()
    page.wait_for_url("**/artikel/2023-**")
    context.close()


def test_paragraph_permalink_appears_on_focus_and_is_reached(page: Page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    link = page.locator(".article-body p .permalink").nth(2)
    assert link.evaluate("el => getComputedStyle(el).opacity") == "0"
    link.focus()
    assert link.evaluate("el => getComputedStyle(el).opacity") == "1"
    anchor = link.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(anchor) + "$"))
    assert page.evaluate("document.querySelector(':target').tagName") == "P"


def test_citation_gets_todays_date(page: Page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    page.get_by_text("Zitieren").click()
    text = page.locator("#zitat-text").inner_text()
    today = page.evaluate("new Date().toISOString().slice(0, 10)")
    assert re.search(
        r"abgerufen am \d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|"
        r"November|Dezember) \d{4}\.$",
        text,
    ), text
    assert f"urldate      = {{{today}}}" in page.locator("#zitat-bibtex").inner_text()


def test_density_switches_without_reload_and_is_remembered(page: Page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    control = page.get_by_role("group", name="Erklärungen im Text")
    assert control.is_visible()
    first = page.locator(".article-body a.term").count()
    page.evaluate("window.marker = 1")
    control.get_by_label("jede Erwähnung").check()
    every = page.locator(".article-body a.term").count()
    assert every > first and page.evaluate("window.marker") == 1  # no reload
    again = page.locator(".article-body a.term-again").first
    again.hover()
    page.locator("#popup").wait_for(state="visible")
    control.get_by_label("keine").check()
    assert page.locator(".article-body a.term").count() == 0
    page.goto(site_url + "artikel/2019-04-gipfel-in-wladiwostok/")
    assert page.locator(".article-body a.term").count() == 0  # remembered across pages
    assert page.get_by_role("group", name="Erklärungen im Text").get_by_label("keine").is_checked()
    control = page.get_by_role("group", name="Erklärungen im Text")
    control.get_by_label("erste Erwähnung").check()
    assert page.locator(".article-body a.term").count() > 0
    page.goto(site_url + ARTICLE)
    assert page.locator(".article-body a.term").count() == first
    assert run_axe(page) == []


def test_without_javascript_the_default_density_holds(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    assert not page.locator(".density").is_visible()
    assert page.locator(".article-body a.term").count() > 10
    context.close()


def test_reading_text_is_unchanged_in_every_density(page: Page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    script = """() => { const body = document.querySelector('.article-body').cloneNode(true);
        body.querySelectorAll('[data-edition]').forEach(e => e.remove());
        return body.textContent.replace(/\\s+/g, ' ').trim(); }"""
    texts = [page.evaluate(script)]
    for label in ("jede Erwähnung", "keine", "erste Erwähnung"):
        page.get_by_role("group", name="Erklärungen im Text").get_by_label(label).check()
        texts.append(page.evaluate(script))
    assert len(set(texts)) == 1
