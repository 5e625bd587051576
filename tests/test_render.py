"""The render stage on tiny templates: escaping, strict variables, links relative to each page, asset
versions, indentation, pages reused from the cache; and the helpers the templates use."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from edition.assets import Asset
from edition.chronicle import Event, EventSource
from edition.dates import PartialDate
from edition.memo import Memo, MemoryStore
from edition.model import Article, Occurrence, Settings, SiteFile, Tally
from edition.parallel import SERIAL
from edition.render import (
    Renderer,
    draw_axis,
    format_coordinates,
    make_environment,
    page_url,
    register_of,
    root_for,
)
from edition.resolve import Mention
from edition.site import render_pages
from edition.terms import PASSAGES_PER_ARTICLE

SETTINGS = Settings("Ausgabe", "Untertitel", "Beschreibung", "Redaktion", "https://example.org/edition/")
ASSETS = {"style.css": Asset("style.css", b"body{}")}


def templates(folder: Path, **files: str) -> Path:
    """A templates folder holding the given files (`name_html` stands for `name.html`)."""
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def renderer(folder: Path, templates_version: str = "v1") -> Renderer:
    """A renderer over a templates folder; `templates_version` stands for the templates' fingerprint."""
    return Renderer(make_environment(folder), SETTINGS, ASSETS, templates_version)


def render_one(folder: Path, template: str, path: str, **context: object) -> str:
    """One page's HTML."""
    made = renderer(folder)
    job = made.page(template, path, **context)
    assert job.path == path
    [content] = made.render_all([job])
    return content.decode("utf-8")


def test_values_are_escaped_and_links_are_relative_to_the_page(tmp_path: Path) -> None:
    folder = templates(tmp_path / "t", page_html='<a href="{{ root }}glossar/">{{ title }}</a> {{ canonical }}\n')
    html = render_one(folder, "page.html", "artikel/x/index.html", title="<b>Kim & Putin</b>")
    assert (
        html
        == '<a href="../../glossar/">&lt;b&gt;Kim &amp; Putin&lt;/b&gt;</a> https://example.org/edition/artikel/x/\n'
    )


def test_a_missing_value_is_an_error_not_an_empty_string(tmp_path: Path) -> None:
    folder = templates(tmp_path / "t", page_html="{{ article.titel }}\n")
    with pytest.raises(jinja2.UndefinedError):
        render_one(folder, "page.html", "index.html")


def test_asset_links_carry_the_content_version(tmp_path: Path) -> None:
    folder = templates(tmp_path / "t", page_html='<link href="{{ asset("style.css") }}">\n')
    html = render_one(folder, "page.html", "ueber/index.html")
    assert html == f'<link href="../assets/style.css?v={ASSETS["style.css"].version}">\n'


def test_indentation_is_dropped_except_inside_pre(tmp_path: Path) -> None:
    folder = templates(tmp_path / "t", page_html="<ul>\n    <li>a</li>\n</ul>\n<pre>\n    eingerückt\n</pre>\n")
    assert render_one(folder, "page.html", "index.html") == "<ul>\n<li>a</li>\n</ul>\n<pre>\n    eingerückt\n</pre>\n"


def test_finished_files_keep_the_order_given_and_pass_ready_files_through(tmp_path: Path) -> None:
    folder = templates(tmp_path / "t", page_html="{{ n }}\n")
    made = renderer(folder)
    ready = SiteFile("robots.txt", b"x")
    files = render_pages(
        [made.page("page.html", "b/index.html", n=2), ready, made.page("page.html", "a/index.html", n=1)],
        made,
        Memo(),
        SERIAL,
    )
    assert [(f.path, f.content) for f in files] == [
        ("b/index.html", b"2\n"),
        ("robots.txt", b"x"),
        ("a/index.html", b"1\n"),
    ]


def test_a_page_whose_inputs_are_unchanged_comes_from_the_cache(tmp_path: Path) -> None:
    folder = templates(tmp_path / "t", page_html="{{ n }}\n")
    store = MemoryStore()
    first = renderer(folder)
    render_pages(
        [first.page("page.html", "a/index.html", n=1), first.page("page.html", "b/index.html", n=2)],
        first,
        Memo(store),
        SERIAL,
    )
    again, memo = renderer(folder), Memo(store)
    files = render_pages(
        [again.page("page.html", "a/index.html", n=1), again.page("page.html", "b/index.html", n=3)],
        again,
        memo,
        SERIAL,
    )
    assert memo.computed["page"] == 1  # a/ came from the store, b/ (a value changed) was rendered
    assert [f.content for f in files] == [b"1\n", b"3\n"]
    # other templates: every page is rendered again, though its values are the same
    changed, memo = renderer(folder, templates_version="v2"), Memo(store)
    render_pages([changed.page("page.html", "a/index.html", n=1)], changed, memo, SERIAL)
    assert memo.computed["page"] == 1


def test_coordinates_are_written_the_german_way() -> None:
    assert format_coordinates((39.0194, 125.7381)) == "39,02° N, 125,74° O"
    assert format_coordinates((-33.9, -70.67)) == "33,90° S, 70,67° W"


def test_paths_give_their_clean_url_and_the_way_back_to_the_root() -> None:
    assert (root_for("index.html"), root_for("ueber/index.html"), root_for("artikel/x/index.html")) == (
        "",
        "../",
        "../../",
    )
    assert (page_url("index.html"), page_url("artikel/x/index.html"), page_url("feed.xml")) == (
        "",
        "artikel/x/",
        "feed.xml",
    )


def event(date: str, kind: str = "event") -> Event:
    """A timeline event on a date, told by one glossary entry."""
    return Event(PartialDate.parse(date), "etwas", kind, (EventSource("X", "glossar/x/", "glossary"),))


def test_the_time_axis_gives_recent_years_most_of_the_width() -> None:
    axis = draw_axis((event("1950"), event("2000"), event("2019", "article"), event("2024")), width=640)
    x = {year: position for position, year, _count, _kind in axis.marks}
    assert 24 <= x[1950] < x[2000] < x[2019] < x[2024] <= 640 - 24
    assert x[2000] - x[1950] < x[2024] - x[2000]  # fifty years in less room than the recent twenty-four
    assert axis.compressed_before == 2000
    assert [kind for _x, year, _n, kind in axis.marks if year == 2019] == ["article"]


def test_an_empty_timeline_has_an_empty_axis() -> None:
    assert draw_axis(()).marks == () and draw_axis(()).ticks == ()


def mention(article: Article, block: int, n: int) -> Mention:
    """The `n`-th mention of an entry, in paragraph `block` of `article`."""
    occurrence = Occurrence("x", f"{article.slug}-{n}", block, "X", f"Satz {n} mit X.", True, False)
    return Mention(article, occurrence)


def test_the_register_keeps_only_what_the_entry_page_shows() -> None:
    first, second = (
        Article(slug, f"Titel {slug}", None, PartialDate.parse("2024-06"), None, None, None, False) for slug in "ab"
    )
    many = PASSAGES_PER_ARTICLE * 3
    # As the term rule reports them when every occurrence is marked (an `every:` entry): two per paragraph.
    mentions = (*(mention(first, n // 2 + 1, n) for n in range(many * 2)), mention(second, 4, 0))
    register = register_of(mentions, {"a": Tally("x", many * 2, many), "b": Tally("x", 1, 1)})
    assert [group.article.slug for group in register] == ["a", "b"]
    big, small = register
    assert [m.occurrence.block for m in big.paragraphs] == list(range(1, PASSAGES_PER_ARTICLE + 1))
    assert big.more_paragraphs == many - PASSAGES_PER_ARTICLE  # each paragraph counted once
    assert [m.occurrence.anchor for m in big.passages] == [f"a-{n}" for n in range(PASSAGES_PER_ARTICLE)]
    assert big.more_passages == 2 * many - PASSAGES_PER_ARTICLE
    assert (len(small.paragraphs), small.more_paragraphs, len(small.passages), small.more_passages) == (1, 0, 1, 0)
