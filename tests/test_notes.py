"""Notes and cross-links: anchoring by quotation, numbering, nesting with terms, every editor's mistake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markupsafe import escape
from support import ROOT, front_matter, reading_text, well_formed_errors

from edition.dates import PartialDate
from edition.glossary import Glossary, load_glossary
from edition.load import load_annotations
from edition.notes import Anchor, Request, closest_passage, notes_plugin, only_quotes_or_spaces_differ
from edition.problems import BuildFailed
from edition.site import build_site
from edition.terms import glossary_plugin

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = "Kim Jong Un fährt nach *Russland und* trifft Putin.\n\nPutin wartet. Putin wartet lange."


def glossary() -> Glossary:
    """The fixture tests' small glossary."""
    found, _ = load_glossary(FIXTURES / "glossary.yaml", FIXTURES)
    assert found is not None
    return found


def render(text: str, *anchors: Anchor) -> tuple[str, dict]:
    """Render with terms and the given anchors; return HTML and env."""
    md = MarkdownIt("commonmark", {"html": False}).use(glossary_plugin, glossary()).use(notes_plugin)
    env = {"requests": [Request(f"note:{i}", a) for i, a in enumerate(anchors)]}
    return md.render(text, env), env


def body(html: str) -> str:
    """Reading text of a fragment."""
    return reading_text(f'<div class="article-body">{html}</div>')


def test_exact_quote_gets_a_marker_after_it_and_keeps_the_text() -> None:
    html, env = render(TEXT, Anchor("trifft Putin"))
    assert [(p.key, p.number, p.inline) for p in env["placed"]] == [("note:0", 1, 1)]
    assert re.search(
        r'<span class="noted" data-edition-wrap>trifft </span>.*?Putin.*?</a>'
        '<span class="note" data-edition>\u2060<a class="note-ref" id="ref-1" '
        r'href="#anm-1" role="doc-noteref" aria-label="Anmerkung 1">1</a></span>',
        html,
    )
    assert body(html) == body(render(TEXT)[0])
    assert well_formed_errors(html) == []


def test_numbers_follow_reading_order_not_the_files_order() -> None:
    _html, env = render(TEXT, Anchor("wartet lange"), Anchor("Kim Jong Un"))
    assert [(p.key, p.number) for p in env["placed"]] == [("note:1", 1), ("note:0", 2)]


def test_prefix_or_suffix_picks_one_of_equal_passages() -> None:
    _html, env = render(TEXT, Anchor("Putin wartet", prefix=". "))
    assert env["placed"][0].inline == 2 and env["unplaced"] == []
    html, env = render(TEXT, Anchor("Putin wartet", suffix=" lange"))
    assert re.search(r'wartet</span><span class="note" data-edition>\u2060<a [^>]*>1</a></span> lange\.', html)
    assert env["placed"][0].inline == 2


def test_ambiguous_quote_lists_the_candidates() -> None:
    _html, env = render(TEXT, Anchor("Putin wartet"))
    [failure] = env["unplaced"]
    assert failure.found == 2
    assert failure.candidates == ("…[Putin wartet]. Putin wartet lange.…", "…Putin wartet. [Putin wartet] lange.…")


def test_missing_quote_offers_the_closest_passage() -> None:
    _html, env = render(TEXT, Anchor("Putin wartete lange"))
    [failure] = env["unplaced"]
    assert failure.found == 0 and failure.candidates[0].startswith("Putin wartet lange")


def test_quote_spanning_emphasis_and_a_term_keeps_tags_nested() -> None:
    html, env = render(TEXT, Anchor("Un fährt nach Russland"))
    assert env["unplaced"] == []
    assert well_formed_errors(html) == []
    assert '<a class="term"' in html and "<em>" in html
    assert html.count('class="noted"') == 3  # inside the term link, before the emphasis, inside it


def test_marker_never_lands_inside_a_term_link() -> None:
    html, _env = render(TEXT, Anchor("Kim Jong"))
    assert re.search(r'Kim Jong</span> Un</a><span class="note"', html)


def test_quote_at_the_end_of_a_paragraph() -> None:
    html, env = render(TEXT, Anchor("wartet lange."))
    assert html.rstrip().endswith(">1</a></span></p>") and env["placed"][0].inline == 2


def test_overlapping_notes_both_anchor() -> None:
    html, env = render(TEXT, Anchor("fährt nach Russland"), Anchor("Russland und trifft"))
    assert len(env["placed"]) == 2 and well_formed_errors(html) == []
    assert html.count('id="ref-') == 2


def test_quotation_marks_are_matched_as_written() -> None:
    text = "Er sagte „Durchbruch“ und »neue Ebene«."
    _html, env = render(text, Anchor('"Durchbruch"'), Anchor("»neue Ebene«"))
    assert [p.key for p in env["placed"]] == ["note:1"]
    assert only_quotes_or_spaces_differ('"Durchbruch"', env["unplaced"][0].candidates[0])


def test_decomposed_text_still_anchors() -> None:
    html, env = render("In Pjo\u0308ngjang landet er.", Anchor("Pjöngjang landet"))
    assert env["unplaced"] == [] and "Pjo\u0308ngjang" in html


def test_closest_passage_finds_a_changed_comma() -> None:
    text = "Statt der einstündigen Flugroute nach Wladiwostok, wählte Kim Jong Un den Zug."
    assert closest_passage(text, "Flugroute nach Wladiwostok wählte Kim") == "Flugroute nach Wladiwostok, wählte Kim"


# --- property: any article, any valid notes --------------------------------------------------

paragraphs = st.lists(
    st.text(alphabet=st.sampled_from(list("Kim Jong Un Putin abc  *_`.,„“")), min_size=5, max_size=60),
    min_size=1,
    max_size=4,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(paragraphs, st.data())
def test_any_notes_keep_the_reading_text_and_valid_html(blocks: list[str], data: st.DataObject) -> None:
    text = "\n\n".join(b.strip() or "x" for b in blocks)
    plain = MarkdownIt("commonmark", {"html": False}).use(glossary_plugin, glossary())
    env: dict = {}
    plain.render(text, env)
    shown = [re.sub(r"\s+", " ", body(MarkdownIt("commonmark").renderInline(b.strip() or "x"))) for b in blocks]
    anchors = []
    for _ in range(data.draw(st.integers(0, 4))):
        block = data.draw(st.sampled_from(shown))
        if len(block) < 2:
            continue
        start = data.draw(st.integers(0, len(block) - 2))
        end = data.draw(st.integers(start + 1, len(block)))
        anchors.append(Anchor(block[start:end]))
    html, result = render(text, *anchors)
    assert well_formed_errors(html) == []
    assert body(html) == body(plain.render(text))
    assert len(result.get("placed", [])) + len(result.get("unplaced", [])) == len(anchors)


# --- the editors' files --------------------------------------------------------------------

NOTE = """\
notes:
  - id: eins
    kind: context
    quote: "Wladiwostok"
    text: Erklärung.
    sources: []
"""


def load(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    """(line, message) of the problems in a notes file with `text`."""
    path = tmp_path / "a.notes.yaml"
    path.write_text(text, encoding="utf-8")
    _found, problems = load_annotations(path, tmp_path)
    return [(p.line, p.message) for p in problems]


def test_update_needs_written_and_correction_needs_correct(tmp_path: Path) -> None:
    text = NOTE.replace("kind: context", "kind: update") + NOTE.split("\n", 1)[1].replace("eins", "zwei").replace(
        "kind: context", "kind: correction"
    )
    assert load(tmp_path, text) == [
        (2, "Pflichtfeld „written“ fehlt (nötig bei kind: update)"),
        (7, "Pflichtfeld „correct“ fehlt (nötig bei kind: correction)"),
    ]


def test_unknown_key_duplicate_id_and_unknown_kind(tmp_path: Path) -> None:
    assert load(tmp_path, NOTE + "    farbe: rot\n") == [(7, "Unbekannter Schlüssel „farbe“")]
    assert load(tmp_path, NOTE.replace("context", "kontext")) == [(3, "„kind“: „kontext“ ist nicht erlaubt")]
    assert load(tmp_path, NOTE + NOTE.split("\n", 1)[1]) == [(7, "Die Kennung „eins“ gibt es in dieser Datei schon")]


def rewrite(project: Path, name: str, old: str, new: str) -> None:
    """Replace a piece of a project file, making sure it was there."""
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


NOTES_2019 = "content/artikel/2019-04-gipfel-in-wladiwostok.notes.yaml"
NOTES_2023 = "content/artikel/2023-09-kim-in-russland-eingetroffen.notes.yaml"


def build_problems(project: Path) -> list:
    """The problems of a failing build of the project."""
    with pytest.raises(BuildFailed) as failure:
        build_site(project, project / "site")
    return failure.value.problems


def test_changed_article_text_fails_the_build_naming_note_and_closest_passage(project: Path) -> None:
    rewrite(
        project,
        "content/artikel/2019-04-gipfel-in-wladiwostok.md",
        "in der Grenzstadt Chassan russischen Boden betreten",
        "in der Grenzstadt Chassan, russischen Boden betreten",
    )
    [problem] = build_problems(project)
    assert problem.file == NOTES_2019
    assert problem.message == (
        "Anmerkung „chassan“: Das Zitat „in der Grenzstadt Chassan russischen Boden betreten“ steht nicht im Artikel"
    )
    assert "Nächste Stelle im Text: „in der Grenzstadt Chassan, russischen Boden betreten“" in problem.hint
    line = (project / NOTES_2019).read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert line == '    quote: "in der Grenzstadt Chassan russischen Boden betreten"'


def test_quotes_that_differ_only_in_quotation_marks_say_so(project: Path) -> None:
    rewrite(project, NOTES_2019, "quote: 'staatliche \"Juche\"-Doktrin'", "quote: 'staatliche „Juche“-Doktrin'")
    [problem] = build_problems(project)
    assert "Nur Anführungszeichen oder Leerzeichen weichen ab" in problem.hint


def test_ambiguous_quote_fails_listing_candidates(project: Path) -> None:
    rewrite(project, NOTES_2019, 'quote: "auf dem Universitätscampus auf der Insel Russky"', 'quote: "Putin"')
    [problem] = build_problems(project)
    assert "steht" in problem.message and "-mal im Artikel" in problem.message
    assert "prefix:" in problem.hint and "[Putin]" in problem.hint


def test_cross_link_to_a_missing_article_fails(project: Path) -> None:
    rewrite(project, NOTES_2023, "article: 2019-04-gipfel-in-wladiwostok", "article: 2019-04-gipfel")
    [problem] = build_problems(project)
    assert (
        problem.file == NOTES_2023
        and problem.message == "Verweis auf einen Artikel „2019-04-gipfel“, den es nicht gibt"
    )


def test_notes_file_without_article_and_broken_link_in_note_text(project: Path) -> None:
    (project / "content/artikel/2020-01-gibt-es-nicht.notes.yaml").write_text("notes: []\n", encoding="utf-8")
    rewrite(project, NOTES_2019, "](glossar:insel-russky)", "](glossar:insel-rusky)")
    messages = sorted(p.message for p in build_problems(project))
    assert messages == [
        "Verweis auf Glossareintrag „insel-rusky“, den es nicht gibt",
        "Zu „2020-01-gibt-es-nicht“ gibt es keinen Artikel",
    ]


# --- the built edition ------------------------------------------------------------------------

ARTICLES = sorted(p.stem for p in (ROOT / "content" / "artikel").glob("*.md"))


def page(site: Path, slug: str) -> str:
    """An article page."""
    return (site / "artikel" / slug / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", ARTICLES)
def test_every_article_has_at_least_five_notes_each_with_marker_sidenote_and_endnote(
    built_site: Path, slug: str
) -> None:
    html = page(built_site, slug)
    markers = re.findall(
        r'<a class="note-ref" id="ref-(\d+)" href="#anm-\1" role="doc-noteref" '
        r'aria-label="Anmerkung \1">\1</a>',
        html,
    )
    notes = re.findall(r"^  - id: ", (ROOT / f"content/artikel/{slug}.notes.yaml").read_text(encoding="utf-8"), re.M)
    assert len(notes) >= 5
    assert markers == [str(n) for n in range(1, len(markers) + 1)] and len(markers) >= len(notes)
    endnotes = html[html.index('role="doc-endnotes"') :]
    for number in markers:
        assert f'<li id="anm-{number}">' in endnotes
        assert f'href="#ref-{number}" role="doc-backlink"' in endnotes


def test_corrections_name_the_right_form(built_site: Path) -> None:
    html = page(built_site, "2024-06-putin-in-pjoengjang")
    assert "Korrektur (richtig: „Struktur“):" in html and "Strukur" in reading_text(html)


def test_cross_links_carry_headline_and_date(built_site: Path) -> None:
    html = page(built_site, "2023-09-kim-in-russland-eingetroffen")
    target = front_matter(ROOT / "content/artikel/2019-04-gipfel-in-wladiwostok.md")
    date = PartialDate.parse(str(target["date"]))
    assert (
        'Querverweis:</span> Davon berichtet der Artikel <a class="xref" '
        'href="../../artikel/2019-04-gipfel-in-wladiwostok/" data-preview="artikel/2019-04-gipfel-in-wladiwostok/">'
        f'{escape(target["title"])}</a> (<time datetime="{date.iso()}">{date.german()}</time>)'
    ) in html


def test_mentioned_in_and_related_are_derived(built_site: Path) -> None:
    html = page(built_site, "2019-04-gipfel-in-wladiwostok")
    mentioned = html[html.index("<h3>Wird erwähnt in</h3>") : html.index("<h3>Verwandte Artikel</h3>")]
    assert "2023-09-kim-in-russland-eingetroffen/" in mentioned and "2023-09-mit-dem-sonderzug-zu-putin/" in mentioned
    related = html[html.index("<h3>Verwandte Artikel</h3>") :]
    assert "Gemeinsam:" in related and related.count('<li><a href="../../artikel/') == 3
    assert ">Kim Jong Un</a>" not in related.split("</ul>")[0]  # named by every article: counts for nothing


def test_timeline_lists_the_edition_s_events_with_links(built_site: Path) -> None:
    html = (built_site / "chronik/index.html").read_text(encoding="utf-8")
    for date in ("2000-07-19", "2011-12-17", "2019-02-28", "2019-04-25", "2023-09-13", "2024-06-19", "2024-12-04"):
        assert f'<time datetime="{date}">' in html, date
    assert html.count('<span class="event-kind">Artikel:</span>') == len(ARTICLES)
    assert '<svg viewBox="0 0 640 96" role="group" aria-labelledby="zeitachse-titel">' in html
    assert 'href="../artikel/2024-06-putin-in-pjoengjang/#anm-' in html
