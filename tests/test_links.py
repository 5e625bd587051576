"""The link rule: `glossar:`, `artikel:` and `seite:` names resolved for the page, other schemes refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file

from edition.links import LinkProblem, LinkTargets, links_plugin

FIXTURES = Path(__file__).parent / "fixtures"
TARGETS = LinkTargets(
    {
        "glossar:juche": "glossar/juche/",
        "glossar:kim-jong-un": "glossar/kim-jong-un/",
        "artikel:2019-04-gipfel": "artikel/2019-04-gipfel/",
        "seite:ueber": "ueber/",
        "seite:start": "",
    }
)


def render(text: str, targets: LinkTargets = TARGETS, root: str = "../../") -> tuple[str, dict]:
    """Render with the link rule for a page `root` below the site root; return HTML and env."""
    md = MarkdownIt("commonmark", {"html": False}).use(links_plugin, targets)
    env: dict = {"root": root}
    return md.render(text, env), env


@pytest.mark.parametrize(
    "line, title, source, expected",
    read_fixture_file(FIXTURES / "links_rule.md"),
    ids=lambda value: str(value)[:40] if isinstance(value, str) else None,
)
def test_rule_fixture(line: int, title: str, source: str, expected: str) -> None:
    assert render(source)[0] == expected


def test_the_front_page_links_without_a_prefix() -> None:
    html, _env = render("[Start](seite:start) [Juche](glossar:juche)", root="")
    assert '<a href="./">Start</a>' in html and '<a href="glossar/juche/"' in html


def test_links_found_are_reported_in_order() -> None:
    _html, env = render("[a](glossar:juche) [b](https://example.org) [c](artikel:2019-04-gipfel) [d](glossar:juche)")
    assert env["links"] == ["glossar:juche", "artikel:2019-04-gipfel", "glossar:juche"]
    assert env["link_problems"] == []


def test_each_problem_names_its_line_and_the_known_names() -> None:
    _html, env = render("Erste Zeile\nzweite [x](glossar:juhce)\n\n[y](data:text/html,x)\n")
    unknown, scheme = env["link_problems"]
    assert isinstance(unknown, LinkProblem) and (unknown.line, scheme.line) == (1, 3)
    assert "„juhce“" in unknown.message and "juche" in unknown.hint and "kim-jong-un" in unknown.hint
    assert "data:text/html,x" in scheme.message and "http" in scheme.hint


def test_names_of_an_unchecked_scheme_pass_unresolved() -> None:
    # while an article file has errors, links to articles cannot be checked: no follow-on error
    targets = LinkTargets(TARGETS.paths, unchecked=frozenset({"artikel"}))
    html, env = render("[x](artikel:kaputt) [y](glossar:kaputt)", targets)
    assert '<a href="artikel:kaputt">x</a>' in html
    assert [p.message for p in env["link_problems"]] == ["Verweis auf Glossareintrag „kaputt“, den es nicht gibt"]


def test_known_names_are_listed_sorted_per_scheme() -> None:
    assert TARGETS.known("glossar") == ["juche", "kim-jong-un"]
    assert TARGETS.known("seite") == ["start", "ueber"]
