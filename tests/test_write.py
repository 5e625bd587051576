"""Writing `site/`, by its behaviour: a first build appears whole with its manifest, later builds replace what
changed and remove what is stale, two pages never share a path, and a failed write leaves the old site as it
was."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.model import SiteFile
from edition.outdir import MANIFEST, manifest_content
from edition.problems import BuildFailed
from edition.write import write_site


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def files(**pages: bytes) -> list[SiteFile]:
    """Site files from keyword arguments (`a__index_html` stands for `a/index.html`)."""
    return [SiteFile(name.replace("__", "/").replace("_", "."), content) for name, content in pages.items()]


def with_manifest(**pages: bytes) -> dict[str, bytes]:
    """The tree a write of these files leaves: the files and the manifest that lists them."""
    given = {file.path: file.content for file in files(**pages)}
    return given | {MANIFEST: manifest_content(given)}


def test_a_first_write_makes_exactly_the_files_given_and_the_manifest(tmp_path: Path) -> None:
    site = tmp_path / "site"
    report, manifest = write_site(files(index_html=b"start", artikel__a__index_html=b"a"), site)
    assert tree(site) == with_manifest(index_html=b"start", artikel__a__index_html=b"a")
    assert set(manifest) == {"index.html", "artikel/a/index.html", MANIFEST}
    assert (report.written, report.unchanged, report.removed) == (3, 0, 0)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folder left beside it


def test_write_replaces_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _, manifest = write_site(files(index_html=b"start", alt__index_html=b"alt", gleich_css=b"x"), site)
    unchanged = (site / "gleich.css").stat().st_ino
    report, _ = write_site(files(index_html=b"neu", gleich_css=b"x", dazu__index_html=b"dazu"), site, manifest)
    assert tree(site) == with_manifest(index_html=b"neu", gleich_css=b"x", dazu__index_html=b"dazu")
    # written: the changed page, the new one and the manifest (its list changed); kept: the unchanged file
    assert (report.written, report.unchanged, report.removed) == (3, 1, 1)
    assert (site / "gleich.css").stat().st_ino == unchanged  # linked into the new site, not written again
    assert not (site / "alt").exists()  # the emptied folder goes too


def test_a_file_changed_by_hand_is_written_again(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _, manifest = write_site(files(index_html=b"start"), site)
    (site / "index.html").write_bytes(b"von Hand")
    (site / "fremd.txt").write_bytes(b"nicht von uns")
    report, _ = write_site(files(index_html=b"start"), site, manifest)
    assert tree(site) == with_manifest(index_html=b"start")
    assert (report.written, report.unchanged) == (1, 1)  # the page written again, the manifest as it was


def test_without_a_manifest_every_write_is_fresh(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(files(index_html=b"eins", alt_txt=b"alt"), site)
    report, _ = write_site(files(index_html=b"zwei"), site)
    assert tree(site) == with_manifest(index_html=b"zwei")
    assert (report.written, report.unchanged) == (2, 0)


def test_two_files_on_one_path_fail_and_leave_the_site_as_it_was(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _, manifest = write_site(files(index_html=b"start"), site)
    before = tree(site)
    with pytest.raises(BuildFailed) as failure:
        write_site([SiteFile("a/index.html", b"1"), SiteFile("a/index.html", b"2")], site, manifest)
    assert [p.file for p in failure.value.problems] == ["a/index.html"]
    assert tree(site) == before == with_manifest(index_html=b"start")
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_folder_kept_aside_keeps_what_the_last_write_left_there(tmp_path: Path) -> None:
    # the live preview writes the pages first and the search bundle later: the pages' write keeps the bundle
    site = tmp_path / "site"
    _, manifest = write_site([SiteFile("index.html", b"start"), SiteFile("pagefind/index.js", b"suche")], site)
    _, manifest = write_site(files(index_html=b"neu"), site, manifest, keep="pagefind/")
    assert {path: content for path, content in tree(site).items() if path != MANIFEST} == {
        "index.html": b"neu",
        "pagefind/index.js": b"suche",
    }
    assert "pagefind/index.js" in manifest  # so the bundle's own write finds it unchanged
    # the manifest on disk lists the kept files too: every file in the folder is the build's
    assert tree(site)[MANIFEST] == manifest_content(["index.html", "pagefind/index.js"])
    report, _ = write_site([SiteFile("index.html", b"neu"), SiteFile("pagefind/index.js", b"suche")], site, manifest)
    assert tree(site) == {"index.html": b"neu", "pagefind/index.js": b"suche"} | {
        MANIFEST: manifest_content(["index.html", "pagefind/index.js"])
    }
    assert (report.written, report.unchanged) == (0, 3)  # nothing changed, the manifest included
