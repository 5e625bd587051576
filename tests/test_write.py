"""Writing `site/`, by its behaviour: a first build appears whole, later builds replace what changed and
remove what is stale, two pages never share a path, and a failed write leaves the old site as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.cache import BuildCache
from edition.problems import BuildFailed
from edition.write import write_site

try:  # issue 10 moves SiteFile from the renderer to the model
    from edition.model import SiteFile
except ImportError:
    from edition.render import SiteFile


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def files(**pages: bytes) -> list[SiteFile]:
    """Site files from keyword arguments (`a__index_html` stands for `a/index.html`)."""
    return [SiteFile(name.replace("__", "/").replace("_", "."), content) for name, content in pages.items()]


def test_a_first_write_makes_exactly_the_files_given(tmp_path: Path) -> None:
    site = tmp_path / "site"
    report = write_site(files(index_html=b"start", artikel__a__index_html=b"a"), site)
    assert tree(site) == {"index.html": b"start", "artikel/a/index.html": b"a"}
    assert (report.written, report.removed) == (2, 0)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folder left beside it


def test_write_replaces_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    site = tmp_path / "site"
    cache = BuildCache(None)
    write_site(files(index_html=b"start", alt__index_html=b"alt", gleich_css=b"x"), site, cache)
    report = write_site(files(index_html=b"neu", gleich_css=b"x", dazu__index_html=b"dazu"), site, cache)
    assert tree(site) == {"index.html": b"neu", "gleich.css": b"x", "dazu/index.html": b"dazu"}
    assert (report.written, report.unchanged, report.removed) == (2, 1, 1)
    assert not (site / "alt").exists()  # the emptied folder goes too


def test_a_file_changed_by_hand_is_written_again(tmp_path: Path) -> None:
    site = tmp_path / "site"
    cache = BuildCache(None)
    write_site(files(index_html=b"start"), site, cache)
    (site / "index.html").write_bytes(b"von Hand")
    (site / "fremd.txt").write_bytes(b"nicht von uns")
    report = write_site(files(index_html=b"start"), site, cache)
    assert tree(site) == {"index.html": b"start"} and (report.written, report.removed) == (1, 1)


def test_without_a_cache_every_write_is_fresh(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(files(index_html=b"eins", alt_txt=b"alt"), site)
    write_site(files(index_html=b"zwei"), site)
    assert tree(site) == {"index.html": b"zwei"}


def test_two_files_on_one_path_fail_and_leave_the_site_as_it_was(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(files(index_html=b"start"), site)
    with pytest.raises(BuildFailed) as failure:
        write_site([SiteFile("a/index.html", b"1"), SiteFile("a/index.html", b"2")], site)
    assert [p.file for p in failure.value.problems] == ["a/index.html"]
    assert tree(site) == {"index.html": b"start"}


def test_a_folder_kept_aside_keeps_what_the_last_write_left_there(tmp_path: Path) -> None:
    # the live preview writes the pages first and the search bundle later: the pages' write keeps the bundle
    site = tmp_path / "site"
    cache = BuildCache(None)
    write_site([SiteFile("index.html", b"start"), SiteFile("pagefind/index.js", b"suche")], site, cache)
    write_site(files(index_html=b"neu"), site, cache, keep="pagefind/")
    assert tree(site) == {"index.html": b"neu", "pagefind/index.js": b"suche"}
