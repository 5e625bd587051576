"""The Content-Security-Policy in a real browser: search (Pagefind's WebAssembly and worker), tooltips,
previews, notes, the map and the 404 page work under it, with no violation and no error in the console."""

from __future__ import annotations

from playwright.sync_api import Page

ARTICLE = "artikel/2023-09-kim-in-russland-eingetroffen/"
# Recorded before any script of the page runs, so a violation during loading is caught too.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def watch(page: Page) -> list[str]:
    """Collect the console's errors and warnings about the policy from now on."""
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: messages.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    return messages


def violations(page: Page) -> list[str]:
    """The policy violations the page reported since it loaded."""
    return list(page.evaluate("window.__violations"))


def test_pages_search_and_popups_work_under_the_policy(page: Page, site_url: str) -> None:
    messages = watch(page)
    page.goto(site_url + "suche/?q=Nordkorea")
    page.wait_for_selector(".search-results li")
    assert page.locator(".search-results mark").count() > 0
    # Pagefind compiles WebAssembly in its worker, or on the page itself where no worker can start.
    compiled = "WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => true, () => false)"
    assert page.evaluate(compiled)
    assert violations(page) == []

    page.goto(site_url + ARTICLE)
    term = page.locator("a.term").first
    term.hover()
    assert page.locator("[role=tooltip]:visible").count() >= 1
    page.locator("a[data-preview*='artikel/']:visible").first.hover()  # endnotes hide while sidenotes show
    page.wait_for_function("document.querySelectorAll('[role=tooltip]').length > 0")
    assert violations(page) == []

    for path in ("", "glossar/", "chronik/", "karte/", "ueber/", "gibt-es-nicht/"):
        page.goto(site_url + path)
        assert violations(page) == [], path
    assert messages == [m for m in messages if "404" in m]  # only the missing page's own request fails
