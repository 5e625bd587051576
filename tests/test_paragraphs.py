"""Citable paragraphs: ids from a paragraph's own words, told apart in reading order, with a permalink."""

from __future__ import annotations

import re

from edition.glossary import Glossary
from edition.links import LinkTargets
from edition.markup import make_markdown
from edition.paragraphs import paragraph_id

# The paragraph rule is placed by name after the notes' rule (and that after the terms'), so it runs in the
# article parser; with an empty glossary and no notes, it is the only rule that changes these texts.
ARTICLE_MD = make_markdown(LinkTargets({}), Glossary(()))


def render(text: str) -> str:
    """Render as an article, with nothing for the other rules to mark."""
    return ARTICLE_MD.render(text, {})


def ids(html: str) -> list[str]:
    """The paragraph ids, in order."""
    return re.findall(r'<p id="([^"]+)">', html)


def test_an_id_is_short_and_depends_only_on_the_words() -> None:
    first = paragraph_id("Kim reist  nach\nMoskau.")
    assert re.fullmatch(r"a-[0-9a-f]{6}", first)
    assert paragraph_id(" Kim reist nach Moskau. ") == first  # whitespace aside
    assert paragraph_id("Kim reist nach Moskau!") != first


def test_each_paragraph_gets_its_id_and_a_permalink_marked_as_an_addition() -> None:
    html = render("Erster Absatz.\n\nZweiter *Absatz*.\n")
    first, second = ids(html)
    assert first == paragraph_id("Erster Absatz.") and second == paragraph_id("Zweiter Absatz.")
    assert html.count('class="permalink"') == 2
    assert f'<a class="permalink" href="#{second}" data-edition aria-label="Link zu diesem Absatz">¶</a></p>' in html


def test_equal_paragraphs_are_told_apart_in_reading_order() -> None:
    found = ids(render("Ja.\n\nNein.\n\nJa.\n\nJa.\n"))
    base = paragraph_id("Ja.")
    assert found == [base, paragraph_id("Nein."), f"{base}-2", f"{base}-3"]


def test_an_edit_changes_only_the_edited_paragraph_s_id() -> None:
    before = ids(render("Eins.\n\nZwei.\n\nDrei.\n"))
    after = ids(render("Eins.\n\nZwei, geändert.\n\nDrei.\n\nVier.\n"))
    assert after[0] == before[0] and after[2] == before[2] and after[1] != before[1]


def test_headings_tight_lists_and_code_get_no_id_and_no_permalink() -> None:
    # a tight list item's paragraph is not written as <p>: a permalink there would lead nowhere
    html = render("# Titel\n\n- Punkt\n- Noch einer\n\n```\ncode\n```\n")
    assert "id=" not in html and "permalink" not in html


def test_every_permalink_names_an_element_of_the_page() -> None:
    html = render("Absatz.\n\n- eng\n- gesetzt\n\n1. locker\n\n2. gesetzt\n\n> Zitat.\n")
    targets = re.findall(r'href="#([^"]+)"', html)
    assert len(targets) == 4 and all(f'id="{target}"' in html for target in targets)
