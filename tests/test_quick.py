"""The live preview's pages shown first and the rest of the site that follows them: after saves of articles'
texts and notes, each page made from the last build's state, and every other file then, is byte for byte what a
whole build makes from the saved files; any other save is left to the whole build."""

from __future__ import annotations

import re
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import article_files, copy_project
from test_build import tree_bytes

from edition import serve
from edition.model import SiteFile
from edition.outdir import MANIFEST
from edition.parallel import SERIAL
from edition.quick import QuickPages
from edition.search import index_for_search
from edition.serve import Preview
from edition.site import Built, build_site, prepare_site

ARTICLES = sorted(path.stem for path in article_files())
LINKING = "2023-09-kim-in-russland-eingetroffen"  # its notes hold a cross-link
# What an editor adds to a text: a sentence without names; one naming entries the article may not use yet
# (its entries change, and with them the related articles); a link to another article (its backlinks change);
# a place named more often than any other (the map ranks it first).
ADDITIONS = {
    "plain": lambda other: "Ein Satz ohne Namen.",
    "names": lambda other: "Sergej Schoigu und Xi Jinping sprachen über die Juche-Ideologie und Wladiwostok.",
    "link": lambda other: f"Mehr dazu im [früheren Bericht](artikel:{other}).",
    "place": lambda other: " ".join(["Peking und Washington."] * 40),
}
# What an editor changes in an article's notes: a note's text; the article a cross-link leads to; the date of a
# note's event (the timeline's).
NOTE_CHANGES = {
    "note text": lambda text, other: text.replace("    text: >-\n      ", "    text: >-\n      Neu: ", 1),
    "cross-link": lambda text, other: re.sub(r"(\n    article: )\S+", rf"\g<1>{other}", text, count=1),
    "date": lambda text, other: re.sub(r'{date: "\d{4}', '{date: "1999', text, count=1),
}


def save(project: Path, slug: str, kind: str, other: str) -> Path:
    """Change an article's text or its notes as `kind` says (`other`: an article to link to); the file saved."""
    other = other if other != slug else next(a for a in ARTICLES if a != slug)
    if kind in NOTE_CHANGES:
        path = project / "content/artikel" / f"{slug}.notes.yaml"
        path.write_text(NOTE_CHANGES[kind](path.read_text(encoding="utf-8"), other), encoding="utf-8")
    else:
        path = project / "content/artikel" / f"{slug}.md"
        path.write_text(f"{path.read_text(encoding='utf-8').rstrip()}\n\n{ADDITIONS[kind](other)}\n", encoding="utf-8")
    return path


def last_build(project: Path) -> Built:
    """What a whole build of the project makes before writing: the state the preview keeps."""
    return prepare_site(project, search=False, workers=SERIAL)


def whole_build_pages(project: Path) -> dict[str, bytes]:
    """Every page a whole build makes of the project as it is now, nothing taken from a cache."""
    return {file.path: file.content for file in prepare_site(project, search=False, workers=SERIAL).files}


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# A link to an article that had none from there, then a save of that article: its backlinks come from the
# first save. Names in one article, then a save of another: its related articles weigh the new entries. A
# cross-link moved to another article, then a save of that one. A place named most, then a note's date moved:
# the map and the timeline follow.
@example(saves=[(ARTICLES[0], "link", ARTICLES[3]), (ARTICLES[3], "plain", ARTICLES[0])])
@example(saves=[(ARTICLES[2], "names", ARTICLES[0]), (ARTICLES[3], "plain", ARTICLES[0])])
@example(saves=[(LINKING, "cross-link", ARTICLES[4]), (ARTICLES[4], "note text", ARTICLES[0])])
@example(saves=[(ARTICLES[1], "place", ARTICLES[0]), (ARTICLES[4], "date", ARTICLES[0])])
@given(
    saves=st.lists(
        st.tuples(
            st.sampled_from(ARTICLES), st.sampled_from(sorted([*ADDITIONS, *NOTE_CHANGES])), st.sampled_from(ARTICLES)
        ),
        min_size=1,
        max_size=3,
    )
)
def test_a_page_shown_first_and_the_rest_are_what_the_whole_build_makes(
    saves: list[tuple[str, str, str]], tmp_path: Path
) -> None:
    project = copy_project(Path(tempfile.mkdtemp(dir=tmp_path)))
    built = last_build(project)
    quick, site = QuickPages(project, built), {file.path: file.content for file in built.files}
    for number, (slug, kind, other) in enumerate(saves):
        page = quick.page_of(save(project, slug, kind, other))
        assert page is not None, (slug, kind)
        whole = whole_build_pages(project)
        assert page.content == whole[page.path], (slug, kind, saves)
        site[page.path] = page.content
        # The rest follows after each save but the first: a rest may have several saves to catch up with.
        if number or len(saves) == 1:
            site.update((file.path, file.content) for file in quick.rest().files)
            assert site == whole, [path for path in whole if site.get(path) != whole[path]]


def test_the_search_parts_that_follow_are_the_whole_builds(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    quick = QuickPages(project, last_build(project))
    assert quick.page_of(save(project, ARTICLES[2], "names", ARTICLES[0])) is not None
    rest = quick.rest()
    assert rest.parts and all(pages for _number, pages in rest.parts)
    whole = {f.path: f.content for f in prepare_site(project, workers=SERIAL).files if f.path.startswith("pagefind/")}
    # This edition's index is one part, so the part that follows is the whole index.
    files = rest.place([index_for_search(pages) for _number, pages in rest.parts])
    assert {f.path: f.content for f in files} == whole
    assert files[-1].path.endswith("pagefind-entry.json")
    assert rest.place([index_for_search(pages) for _number, pages in rest.parts], skip=frozenset({0})) == []


@pytest.mark.parametrize(
    "name, change",
    [
        ("{}.md", lambda text: text.replace("title:", "title: Neu:", 1)),  # the front matter: other pages show it
        ("{}.md", lambda text: text + "\n[Kaputt](artikel:gibt-es-nicht)\n"),  # a broken link: reported
        ("{}.md", lambda text: "kein Kopf mehr\n"),  # no front matter at all
        ("{}.notes.yaml", lambda text: text.replace('quote: "', 'quote: "Nirgends im Text ', 1)),  # a lost quote
        ("{}.notes.yaml", lambda text: text.replace("notes:", "notes: [", 1)),  # broken YAML
        ("{}.notes.yaml", lambda text: re.sub(r"(\n    article: )\S+", r"\g<1>gibt-es-nicht", text)),
    ],
    ids=["front matter", "broken link", "broken file", "lost quote", "broken notes", "cross-link to nowhere"],
)
def test_a_save_a_page_alone_cannot_show_is_left_to_the_whole_build(project: Path, name: str, change) -> None:
    quick = QuickPages(project, last_build(project))
    path = project / "content/artikel" / name.format(LINKING)
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert quick.page_of(path) is None
    assert quick.page_of(project / "glossary.yaml") is None
    assert quick.page_of(project / "templates/article.html") is None


def test_the_preview_shows_a_saved_text_first_then_the_rest_then_the_whole_build(project: Path, tmp_path: Path) -> None:
    said: list[str] = []
    preview, shown = Preview(project, project / "site", echo=said.append), []
    preview.reload = lambda: shown.append(tree_bytes(project / "site"))  # what the tab shows at each reload
    build_site(project, project / "site", workers=SERIAL)  # up to date: the preview's first build still keeps all
    preview.rebuild()
    article = project / "content/artikel" / f"{ARTICLES[1]}.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nKim Jong Un las es zuerst.\n", encoding="utf-8")
    preview.saved([article])
    assert said[-1].startswith(f"artikel/{ARTICLES[1]}/index.html neu (")
    assert "las es zuerst." in (project / "site/artikel" / ARTICLES[1] / "index.html").read_text()
    # The tab reloads twice more: once the rest of the site (the entry pages quoting the sentence, the search
    # index) has followed, and once the whole build is done.
    assert preview.idle.wait(60) and len(shown) == 2
    assert any(line.startswith("Der Rest der Seite ist da: ") and "1 Teil des Suchindex" in line for line in said)
    build_site(project, tmp_path / "cold", use_cache=False, workers=SERIAL)
    cold = tree_bytes(tmp_path / "cold")
    # After the rest, every file is the whole build's; the build's manifest, and the search files the rest
    # replaced, wait for the whole build.
    after_rest = shown[0]
    assert {p: c for p, c in cold.items() if p in after_rest and p != MANIFEST} == {
        p: c for p, c in after_rest.items() if p in cold and p != MANIFEST
    }
    assert cold.keys() - after_rest.keys() <= {MANIFEST}
    assert tree_bytes(project / "site") == cold
    # Anything else is built whole, in the background too; the tab reloads when the build is done.
    glossary = project / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("Machthaber", "Herrscher", 1), encoding="utf-8")
    assert not preview.saved([glossary]) and not preview.idle.is_set()  # the server answers meanwhile
    assert preview.idle.wait(60) and " Seiten, " in said[-1] and len(shown) == 3
    build_site(project, tmp_path / "cold2", use_cache=False, workers=SERIAL)
    assert tree_bytes(project / "site") == tree_bytes(tmp_path / "cold2")
    # A save that changed nothing ends at the glance, and the state for the next page shown first stays.
    glossary.write_text(glossary.read_text(encoding="utf-8"), encoding="utf-8")
    assert not preview.saved([glossary])
    assert preview.idle.wait(60) and " 0 Dateien neu gerendert, 0 geschrieben" in said[-1]
    assert preview.quick is not None


def test_two_saves_a_moment_apart_are_indexed_side_by_side_and_shown_in_order(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    preview, shown = Preview(project, project / "site", echo=said.append), []
    preview.reload = lambda: shown.append(tree_bytes(project / "site"))
    preview.pagefind = ThreadPoolExecutor(max_workers=2)  # two cores, whatever this machine has
    build_site(project, project / "site", workers=SERIAL)
    preview.rebuild()
    first_began, second_began, side_by_side = threading.Event(), threading.Event(), []

    def index_watched(pages: list[SiteFile], niceness: int = 0) -> list[SiteFile]:
        """Pagefind, the first run waiting (a while at most) for the second to begin beside it."""
        if not first_began.is_set():
            first_began.set()
            side_by_side.append(second_began.wait(20))
        else:
            side_by_side.append(niceness > 0)  # the later save's part yields the cores to the earlier one's
            second_began.set()
        return index_for_search(pages, niceness)

    monkeypatch.setattr(serve, "index_for_search", index_watched)
    for slug, sentence in [(ARTICLES[1], "Kim Jong Un las es zuerst."), (ARTICLES[3], "Wladiwostok las es dann.")]:
        article = project / "content/artikel" / f"{slug}.md"
        article.write_text(article.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
        assert preview.saved([article])
        assert first_began.wait(20)  # the first rest's part is being indexed when the second save comes
    assert preview.idle.wait(60) and side_by_side == [True, True]
    # Both parts are the same here (one part): the first rest leaves it to the second, which shows both saves.
    rests = [line for line in said if line.startswith("Der Rest der Seite ist da: ")]
    assert [" 0 Teile des Suchindex" in rests[0], " 1 Teil des Suchindex" in rests[1]] == [True, True], rests
    build_site(project, tmp_path / "cold", use_cache=False, workers=SERIAL)
    cold = tree_bytes(tmp_path / "cold")
    after_rests = shown[1]  # as after one save: the search files replaced stay until the whole build
    assert {p: c for p, c in cold.items() if p in after_rests and p != MANIFEST} == {
        p: c for p, c in after_rests.items() if p in cold and p != MANIFEST
    }
    assert cold.keys() - after_rests.keys() <= {MANIFEST}
    assert tree_bytes(project / "site") == cold
