"""The render stage on tiny templates: escaping, strict variables, links relative to each page, asset
versions, indentation, pages reused from the cache; and the helpers the templates use."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from edition.assets import Asset
from edition.cache import BuildCache
from edition.dates import PartialDate
from edition.model import Settings
from edition.render import Renderer, draw_axis, format_coordinates, make_environment, page_url, root_for
from edition.resolve import Event

try:  # issue 10 moves SiteFile from the renderer to the model
    from edition.model import SiteFile
except ImportError:
    from edition.render import SiteFile

SETTINGS = Settings("Ausgabe", "Untertitel", "Beschreibung", "https://example.org/edition/", "Redaktion")
ASSETS = {"style.css": Asset("style.css", b"body{}")}


def templates(folder: Path, **files: str) -> Path:
    """A templates folder holding the given files (`name_html` stands for `name.html`)."""
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def renderer(folder: Path, cache: BuildCache | None = None) -> Renderer:
    """A renderer over a templates folder."""
    return Renderer(make_environment(folder), SETTINGS, ASSETS, cache)


def render_one(folder: Path, template: str, path: str, **context: object) -> str:
    """One page's HTML."""
    made = renderer(folder)
    [file] = made.finish([made.page(template, path, **context)])
    assert file.path == path
    return file.content.decode("utf-8")


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
    files = made.finish(
        [made.page("page.html", "b/index.html", n=2), ready, made.page("page.html", "a/index.html", n=1)]
    )
    assert [(f.path, f.content) for f in files] == [
        ("b/index.html", b"2\n"),
        ("robots.txt", b"x"),
        ("a/index.html", b"1\n"),
    ]


def test_a_page_whose_inputs_are_unchanged_comes_from_the_cache(tmp_path: Path) -> None:
    folder = templates(tmp_path / "t", page_html="{{ n }}\n")
    cache = BuildCache(None)
    first = renderer(folder, cache)
    first.finish([first.page("page.html", "a/index.html", n=1), first.page("page.html", "b/index.html", n=2)])
    again = renderer(folder, cache)
    files = again.finish([again.page("page.html", "a/index.html", n=1), again.page("page.html", "b/index.html", n=3)])
    assert (again.reused, again.rendered) == (1, 1)
    assert [f.content for f in files] == [b"1\n", b"3\n"]


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


def event(date: str, kind: str = "glossary") -> Event:
    """A timeline event on a date."""
    return Event(PartialDate.parse(date), "etwas", "glossar/x/", "X", kind)


def test_the_time_axis_gives_recent_years_most_of_the_width() -> None:
    axis = draw_axis((event("1950"), event("2000"), event("2019", "article"), event("2024")), width=640)
    x = {year: position for position, year, _count, _kind in axis.marks}
    assert 24 <= x[1950] < x[2000] < x[2019] < x[2024] <= 640 - 24
    assert x[2000] - x[1950] < x[2024] - x[2000]  # fifty years in less room than the recent twenty-four
    assert axis.compressed_before == 2000
    assert [kind for _x, year, _n, kind in axis.marks if year == 2019] == ["article"]


def test_an_empty_timeline_has_an_empty_axis() -> None:
    assert draw_axis(()).marks == () and draw_axis(()).ticks == ()
