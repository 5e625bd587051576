"""The article page as a reader sees it, measured: sidenotes beside their lines and within the text's end,
markers that stay with their word, every width from 320 to 2560 px, popups on touch, citing a paragraph,
the legend of the marks, the 404 page under a sub-path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_axe
from playwright.sync_api import Browser, Page
from support import serve_folder

ARTICLES = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "content" / "artikel").glob("*.md"))
GAP = 12  # the script's space between two sidenotes, in px

# Every note with its marker, the article's last paragraph and the body's size, in page coordinates.
MEASURE_NOTES = """() => {
  const body = document.querySelector('.article-body');
  const blocks = [...body.children].filter(e => e.getClientRects().length);
  const end = blocks[blocks.length - 1].getBoundingClientRect().bottom;
  const notes = [...body.querySelectorAll('.sidenote')].map(note => {
    const marker = document.getElementById('ref-' + note.id.slice(3)).getBoundingClientRect();
    const box = note.getBoundingClientRect();
    return {id: note.id, top: box.top, bottom: box.bottom, left: box.left, right: box.right,
            markerTop: marker.top, short: note.classList.contains('is-short'),
            size: parseFloat(getComputedStyle(note).fontSize)};
  });
  return {notes, end, bodyRight: body.getBoundingClientRect().right,
          bodySize: parseFloat(getComputedStyle(body.querySelector('p[id]')).fontSize),
          width: document.documentElement.clientWidth, scrollWidth: document.documentElement.scrollWidth,
          endnotes: getComputedStyle(document.querySelector('.endnotes')).display};
}"""


def open_page(browser: Browser, url: str, width: int, **options: object) -> tuple[Page, object]:
    """A page at `url` in a fresh context `width` px wide; the caller closes the context."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE", **options)
    page = context.new_page()
    page.goto(url)
    page.evaluate("document.fonts.ready")
    return page, context


@pytest.mark.parametrize("width", [1000, 1024, 1400, 1920])
@pytest.mark.parametrize("slug", ARTICLES)
def test_each_sidenote_starts_on_its_line_and_none_passes_the_text(
    browser: Browser, site_url: str, slug: str, width: int
) -> None:
    page, context = open_page(browser, f"{site_url}artikel/{slug}/", width)
    page.wait_for_timeout(100)  # the layout after the web font arrived
    found = page.evaluate(MEASURE_NOTES)
    context.close()
    notes = found["notes"]
    assert len(notes) >= 9
    previous_bottom = None
    for note in notes:
        assert note["left"] >= found["bodyRight"] and note["right"] <= found["width"], note["id"]
        assert note["bottom"] <= found["end"] + 1, f"{note['id']} ends below the article's last paragraph"
        on_line = abs(note["top"] - note["markerTop"]) <= 2
        pushed = previous_bottom is not None and abs(note["top"] - (previous_bottom + GAP)) <= 2
        assert on_line or (pushed and note["top"] > note["markerTop"]), (
            f"{note['id']}: {note['top'] - note['markerTop']:.0f} px from its marker's line"
        )
        previous_bottom = note["bottom"]
    assert found["scrollWidth"] <= found["width"]
    assert found["endnotes"] == "none", "the notes are not shown a second time beside and below"
    assert min(n["size"] for n in notes) >= 0.85 * found["bodySize"]


def test_a_shortened_note_shows_whole_with_mehr(browser: Browser, site_url: str) -> None:
    page, context = open_page(browser, f"{site_url}artikel/2024-06-putin-in-pjoengjang/", 1400)
    short = page.locator(".sidenote.is-short").first
    note_id = short.get_attribute("id")
    assert short.locator(".sidenote-full").is_hidden()
    shown = short.locator(".sidenote-short.is-shown")
    assert shown.inner_text().rstrip().endswith("mehr")
    endnote = page.locator(f"#anm-{note_id[3:]}").text_content()
    assert len(shown.inner_text()) < len(endnote)
    shown.locator(".note-more").click()
    note = page.locator(f"#{note_id}")
    assert note.locator(".sidenote-full").is_visible() and "is-short" not in note.get_attribute("class")
    assert page.evaluate("document.activeElement.id") == note_id
    found = page.evaluate(MEASURE_NOTES)
    context.close()
    assert all(n["bottom"] <= found["end"] + 1 for n in found["notes"] if n["id"] != note_id)


def test_marker_and_sidenote_light_up_together_and_a_click_focuses_the_note(browser: Browser, site_url: str) -> None:
    page, context = open_page(browser, f"{site_url}artikel/2019-04-gipfel-in-wladiwostok/", 1400)
    marker, note = page.locator("#ref-3"), page.locator("#sn-3")
    marker.hover()
    assert "is-current" in note.get_attribute("class") and "is-current" in marker.get_attribute("class")
    page.mouse.move(5, 5)
    assert "is-current" not in note.get_attribute("class")
    note.hover()
    assert "is-current" in marker.get_attribute("class")
    scroll = page.evaluate("scrollY")
    marker.click()
    assert page.evaluate("document.activeElement.id") == "sn-3"
    assert "#anm-3" not in page.url
    assert abs(page.evaluate("scrollY") - scroll) < 400, "the click stays beside the line, not at the endnotes"
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "ref-3"
    assert page.locator("#anm-3").count() == 1  # the endnote stays in the markup (print, no script)
    context.close()


# For each marker, whether it stands on the same line as the character before it, and in print the space
# between them and between the marker and a following punctuation mark.
MARKER_LINES = """() => [...document.querySelectorAll('.article-body a.note-ref')].map(marker => {
  const walker = document.createTreeWalker(document.querySelector('.article-body'), NodeFilter.SHOW_TEXT);
  let before = null, after = null, node;
  while ((node = walker.nextNode())) {
    if (node.parentNode.closest('.sidenote, .note')) continue;
    if (marker.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING) {
      if (node.data.trim()) before = node;
    } else if (!after && node.data.length) { after = node; }
  }
  const range = document.createRange();
  const end = before.data.replace(/\\s+$/, '').length;
  range.setStart(before, end - 1); range.setEnd(before, end);
  const char = range.getClientRects()[range.getClientRects().length - 1];
  const box = marker.getBoundingClientRect();
  let next = null;
  if (after && /^[.,;:)]/.test(after.data)) {
    const r = document.createRange(); r.setStart(after, 0); r.setEnd(after, 1); next = r.getBoundingClientRect();
  }
  return {id: marker.id, sameLine: box.top < char.bottom && box.bottom > char.top,
          gapBefore: box.left - char.right, gapAfter: next ? next.left - box.right : null};
})"""


@pytest.mark.parametrize("width", [320, 375, 414, 768, 1024, 1400])
def test_no_line_starts_with_a_marker(browser: Browser, site_url: str, width: int) -> None:
    for slug in ARTICLES:
        page, context = open_page(browser, f"{site_url}artikel/{slug}/", width)
        markers = page.evaluate(MARKER_LINES)
        context.close()
        assert len(markers) >= 9
        assert [m["id"] for m in markers if not m["sameLine"]] == [], (slug, width)


def test_in_print_a_marker_has_no_gap_on_either_side(browser: Browser, site_url: str) -> None:
    page, context = open_page(browser, f"{site_url}artikel/2019-04-gipfel-in-wladiwostok/", 1024)
    page.emulate_media(media="print")
    markers = page.evaluate(MARKER_LINES)
    context.close()
    assert all(-1 <= m["gapBefore"] <= 1 for m in markers), [(m["id"], m["gapBefore"]) for m in markers]
    followed = [m for m in markers if m["gapAfter"] is not None]
    assert followed and all(-1 <= m["gapAfter"] <= 1 for m in followed), followed


WIDTHS = [320, 375, 414, 768, 1000, 1024, 1099, 1100, 1280, 1400, 1920, 2560]
# One page of every kind.
KINDS = [
    "",
    "artikel/2024-06-putin-in-pjoengjang/",
    "glossar/",
    "glossar/wladimir-putin/",
    "chronik/",
    "karte/",
    "suche/",
    "ueber/",
    "fuer-redaktionen/",
    "404.html",
]
# Elements whose box passes the viewport's right or left edge (text that would be clipped or scrolled to).
PAST_THE_EDGE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')].filter(e => {
    if (e.closest('.visually-hidden, .skip-link, .map-frame, [hidden]')) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && (r.right > width + 1 || r.left < -1);
  }).slice(0, 5).map(e => e.tagName + '.' + e.className);
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_or_clips_at_any_width(browser: Browser, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for path in KINDS:
        page.goto(site_url + path)
        sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert sizes[0] <= sizes[1], (path, width, sizes)
        assert page.evaluate(PAST_THE_EDGE) == [], (path, width)
    context.close()


def test_a_tapped_term_offers_its_entry_and_a_close_button(browser: Browser, site_url: str) -> None:
    page, context = open_page(
        browser, f"{site_url}artikel/2019-04-gipfel-in-wladiwostok/", 375, is_mobile=True, has_touch=True
    )
    term = page.locator(".article-body a.term").first
    term.tap()
    popup = page.locator("#popup")
    assert popup.is_visible() and page.url.endswith("/2019-04-gipfel-in-wladiwostok/")
    way = popup.get_by_role("link", name="Zum Eintrag")
    assert way.is_visible() and way.get_attribute("href") == term.get_attribute("href")
    close = popup.get_by_role("button", name="Schließen")
    size = close.bounding_box()
    assert size["height"] >= 44 and size["width"] >= 44
    assert run_axe(page) == []
    close.tap()
    assert popup.is_hidden()
    term.tap()
    popup.get_by_role("link", name="Zum Eintrag").tap()
    page.wait_for_url("**/glossar/**")
    context.close()


def test_a_paragraph_is_cited_from_its_permalink(browser: Browser, site_url: str) -> None:
    page, context = open_page(browser, f"{site_url}artikel/2019-04-gipfel-in-wladiwostok/", 1400)
    third = page.locator(".article-body > p[id]").nth(2)
    anchor = third.get_attribute("id")
    third.hover()
    third.locator(".permalink").click()
    popup = page.locator("#popup")
    popup.wait_for(state="visible")
    text = popup.locator(".popup-cite").inner_text()
    address = f"{site_url}artikel/2019-04-gipfel-in-wladiwostok/"
    assert text.startswith("„Kim Jong Un zum ersten Gipfel mit Putin in Wladiwostok eingetroffen“ (Überschrift")
    assert f"Herausgeber: Redaktion der Leseausgabe, Absatz 3. {address}#{anchor}, abgerufen am " in text
    assert page.url.endswith(f"#{anchor}")
    whole = page.locator("#zitat-text").text_content()
    assert f"Herausgeber: Redaktion der Leseausgabe. {address}, abgerufen am " in whole  # filled in by the script
    context.close()


def test_the_legend_draws_each_mark_as_the_text_does(browser: Browser, site_url: str) -> None:
    page, context = open_page(browser, f"{site_url}artikel/2019-04-gipfel-in-wladiwostok/", 1400)
    styles = page.evaluate("""() => {
      const style = s => getComputedStyle(document.querySelector(s));
      return {legend: style('.legend-term').textDecorationStyle,
              term: style('.article-body a.term').textDecorationStyle,
              band: style('.legend .noted').backgroundImage, noted: style('.article-body .noted').backgroundImage,
              ref: style('.legend .note-ref').borderTopStyle, marker: style('.article-body .note-ref').borderTopStyle,
              density: document.querySelector('.density').getBoundingClientRect().bottom,
              legendTop: document.querySelector('.legend').getBoundingClientRect().top};
    }""")
    text = page.locator(".legend").inner_text()
    context.close()
    assert styles["legend"] == styles["term"] == "dotted"
    assert styles["band"] == styles["noted"] and "gradient" in styles["band"]
    assert styles["ref"] == styles["marker"] == "solid"
    assert 0 <= styles["legendTop"] - styles["density"] < 40  # right below the density setting
    for words in ("erklärter Name oder Begriff", "kommentierte Stelle", "Anmerkung"):
        assert words in text


def test_the_headline_is_marked_as_the_editions(browser: Browser, site_url: str) -> None:
    page, context = open_page(browser, f"{site_url}artikel/2019-04-gipfel-in-wladiwostok/", 375)
    credit = page.locator(".headline-credit")
    assert credit.is_visible() and "Überschrift der Redaktion" in credit.inner_text()
    heading, line = page.locator("h1").bounding_box(), credit.bounding_box()
    assert 0 <= line["y"] - (heading["y"] + heading["height"]) < 40  # right under the headline
    context.close()


def test_the_text_face_is_the_self_hosted_serif_within_its_budget(
    browser: Browser, site_url: str, built_site: Path
) -> None:
    page, context = open_page(browser, f"{site_url}artikel/2019-04-gipfel-in-wladiwostok/", 1400)
    fonts = page.evaluate("""() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)""")
    loaded = page.evaluate(
        """() => performance.getEntriesByType('resource').filter(r => r.name.includes('.woff2'))
           .map(r => new URL(r.name).pathname)"""
    )
    context.close()
    assert '"Source Serif 4"' in fonts or "Source Serif 4" in fonts
    weight = sum((built_site / path.lstrip("/")).stat().st_size for path in loaded)
    assert loaded and weight <= 120 * 1024, (loaded, weight)


@pytest.fixture(scope="module")
def unaddressed_subpath(built_site: Path) -> Iterator[str]:
    """The build without a public address, served one folder down (as a GitHub Pages project site is)."""
    server, url = serve_folder(built_site.parent)
    yield url + built_site.name + "/"
    server.shutdown()


def test_404_works_under_a_sub_path_without_a_base_url(browser: Browser, unaddressed_subpath: str) -> None:
    page, context = open_page(browser, unaddressed_subpath + "404.html", 375)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)"  # styled
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 10
    assert page.get_by_role("link", name="Startseite").get_attribute("href") == "./"
    assert run_axe(page) == []
    page.get_by_role("link", name="Startseite").click()
    assert page.url == unaddressed_subpath
    context.close()
