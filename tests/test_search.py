"""The search index in parts: every searchable page in exactly one part, chosen by its path; the parts' folders
and their list; an edit re-indexes only the part of the page it changed; a warm build equals a cold one."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from test_build import tree_bytes

from edition import search
from edition.model import SiteFile
from edition.parallel import SERIAL
from edition.problems import BuildFailed
from edition.search import PAGES_PER_PART, part_count, place_parts, searchable, split_for_search
from edition.site import build_site


def page(path: str, indexed: bool = True) -> SiteFile:
    """An HTML page, marked for the index or not."""
    body = b"<main data-pagefind-body>Text</main>" if indexed else b"<main>Text</main>"
    return SiteFile(path, b"<!DOCTYPE html><html lang='de'>" + body + b"</html>")


def test_every_searchable_page_goes_to_exactly_one_part_and_keeps_it() -> None:
    files = [page(f"artikel/a{n}/index.html") for n in range(200)]
    files += [page("karte/index.html", indexed=False), SiteFile("assets/style.css", b"body{}")]
    split = split_for_search(files, 4)
    assert sorted(f.path for _n, pages in split for f in pages) == sorted(f.path for f in searchable(files))
    assert [n for n, _pages in split] == [0, 1, 2, 3]
    where = {f.path: n for n, pages in split for f in pages}
    # pages that come and go do not move the others (while the number of parts stays)
    assert all(where[f.path] == n for n, pages in split_for_search(files[::3], 4) for f in pages)


def test_one_part_is_the_bundle_folder_alone_and_more_are_listed() -> None:
    assert place_parts([(0, [SiteFile("pagefind.js", b"1")])], 1) == [SiteFile("pagefind/pagefind.js", b"1")]
    placed = place_parts([(0, [SiteFile("pagefind.js", b"1")]), (2, [SiteFile("pagefind.js", b"3")])], 3)
    assert [f.path for f in placed] == ["pagefind/pagefind.js", "pagefind/teil-3/pagefind.js", "pagefind/teile.json"]
    assert json.loads(placed[-1].content) == ["pagefind/", "pagefind/teil-3/"]
    assert part_count(0) == part_count(PAGES_PER_PART) == 1 and part_count(PAGES_PER_PART + 1) == 2


def test_an_edit_re_indexes_only_the_part_of_its_page(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "PAGES_PER_PART", 25)  # the edition's 75 articles, entries and pages in three parts
    indexed: list[list[str]] = []
    index = search.index_for_search

    def counted(pages: list[SiteFile]) -> list[SiteFile]:
        indexed.append([p.path for p in pages])
        return index(pages)

    monkeypatch.setattr(search, "index_for_search", counted)
    out = project / "site"
    build_site(project, out, workers=SERIAL)
    folders = json.loads((out / "pagefind" / "teile.json").read_text())
    assert len(folders) == len(indexed) >= 3 and folders[0] == "pagefind/"
    assert all((out / folder / "pagefind-entry.json").is_file() for folder in folders)
    assert f'data-parts="{len(folders)}"'.encode() in (out / "suche" / "index.html").read_bytes()

    indexed.clear()
    article = next((project / "content" / "artikel").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nEin Satz ohne Namen.\n", encoding="utf-8")
    build_site(project, out, workers=SERIAL)
    assert len(indexed) == 1 and f"artikel/{article.stem}/index.html" in indexed[0]
    build_site(project, tmp_path / "cold", use_cache=False, workers=SERIAL)
    assert tree_bytes(out) == tree_bytes(tmp_path / "cold")


def test_a_missing_pagefind_is_a_problem_with_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    search.pagefind_executable.cache_clear()
    monkeypatch.setitem(sys.modules, "pagefind_bin", None)  # as if the wheel were not installed
    with pytest.raises(BuildFailed) as failed:
        search.run_pagefind([page("artikel/a/index.html")])
    search.pagefind_executable.cache_clear()
    (problem,) = failed.value.problems
    assert problem.message.startswith("Der Suchindex ließ sich nicht bauen: ") and "make build" in problem.hint
