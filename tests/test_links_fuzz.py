"""The link allow-list, fuzzed: whatever an editor writes as a link or image address (schemes in any case,
entities, whitespace, control characters, percent-encoding), the page links only to this site, http(s) or
mailto, and loads images only from this site."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from edition.links import LinkTargets
from edition.markup import make_markdown, render_markdown

MD = make_markdown(LinkTargets({"glossar:juche": "glossar/juche/"}))

prefixes = st.sampled_from(["", " ", "\t", "\x00", "\x01", "\x1f", "&#x20;", "&#9;", "&#0;", "%20", "\n", "\\"])
schemes = st.sampled_from(
    [
        "javascript",
        "JaVaScRiPt",
        "java\tscript",
        "java&#x09;script",
        "jav&#97;script",
        "&#106;avascript",
        "%6Aavascript",
        "data",
        "vbscript",
        "file",
        "http",
        "HTTPS",
        "mailto",
        "MAILTO",
        "glossar",
        "x-unknown",
        "",
    ]
)
separators = st.sampled_from([":", "&#58;", "&colon;", "%3A", "&#x3a;", ""])
rests = st.sampled_from(
    [
        "alert(1)",
        "//evil.example/p.gif",
        "\\\\evil.example/p.gif",
        "/\\evil.example/p.gif",
        "foo@bar.baz",
        "text/html;base64,PHNjcmlwdD4=",
        "bild.png",
        "#anker",
    ]
)
addresses = st.tuples(prefixes, schemes, separators, rests).map("".join) | st.text(
    alphabet=st.sampled_from(list("aj:/\\%&#;x0 \t.@<>()HTtp")), max_size=24
)
forms = st.sampled_from(["[x]({})", "[x](<{}>)", "<{}>", "![x]({})", "![x](<{}>)", '[x]({} "t")'])


class Addresses(HTMLParser):
    """Every href and src of a rendered fragment, as the browser reads the attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(name, value or "") for name, value in attrs if name in ("href", "src")]

    handle_startendtag = handle_starttag


def read_as_browser(value: str) -> tuple[str, str]:
    """Scheme and host of an attribute value; a backslash counts as a slash, as in browsers."""
    parts = urlsplit(value.replace("\\", "/").strip("".join(chr(c) for c in range(0x21))))
    return parts.scheme.lower(), parts.netloc


@settings(max_examples=600, deadline=None)
@given(addresses, forms)
def test_pages_link_only_to_allowed_schemes_and_load_only_own_images(address: str, form: str) -> None:
    rendered, problems = render_markdown(MD, form.format(address), root="")
    parser = Addresses()
    parser.feed(rendered.html)
    for attribute, value in parser.found:
        scheme, host = read_as_browser(value)
        if attribute == "href":
            assert scheme in ("", "http", "https", "mailto"), (address, value)
        else:
            assert (scheme, host) == ("", ""), (address, value)
    if problems:
        assert any(value == "#" for _attribute, value in parser.found)


def test_links_to_other_sites_and_mail_stay_allowed() -> None:
    for markdown in ("<MAILTO:FOO@BAR.BAZ>", "<foo@bar.baz>", "[a](HTTPS://example.org)", "[a](mailto:x@y.de)"):
        rendered, problems = render_markdown(MD, markdown, root="")
        assert problems == [], markdown
        assert 'href="#"' not in rendered.html


def test_images_from_other_sites_are_refused() -> None:
    for markdown in ("![p](https://tracker.example/p.gif)", "![p](//tracker.example/p.gif)", "![p](HTTP://t.example/)"):
        rendered, problems = render_markdown(MD, markdown, root="")
        assert [p.message for p in problems] == [f"Das Bild „{markdown[5:-1]}“ käme von einer anderen Website"]
        assert 'src="#"' in rendered.html
