"""Full-text search: the site's pages in, Pagefind's static search bundle (`pagefind/`) out.

Pagefind (a Rust binary inside its PyPI wheel) indexes the pages marked `data-pagefind-body` (articles with
their notes, glossary entries) with German stemming, since every page says `lang="de"`. The bundle is loaded
by the search page only. Its output depends only on the pages (`search_inputs`).

An archive's index comes in parts of about `PAGES_PER_PART` pages, each page in the part its path's hash gives
it, so an edit re-indexes the part of the pages it changed and Pagefind never holds every page at once; the
search page merges the parts (Pagefind's `mergeIndex`), which `pagefind/teile.json` lists. An edition that
fits one part has one bundle, `pagefind/`, and no list.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .model import SiteFile
from .problems import BuildFailed, Problem

BUNDLE = "pagefind"
PARTS_LIST = f"{BUNDLE}/teile.json"
# Small enough for Pagefind (one core, about 5 ms a page) to index a part within the live preview's 3 s, with
# room for the rest of the site and a busy machine.
PAGES_PER_PART = 300
# What the index leaves out, so that excerpts show the reading text, the notes and the definitions only:
# the edition's additions inside the text (note numbers, ¶ permalinks), the way back from a note, labels
# and source lists, datelines, the list of written forms, a place's coordinates, code examples (in the
# editors' guide), the citation and the article's footer.
FURNITURE = (
    ".article-body [data-edition]",
    ".backlink",
    ".note-label",
    ".note-sources",
    ".dateline",
    ".forms",
    ".see-also",
    ".sources",
    ".article-footer",
    ".original-caption .label",
    ".facts-position",
    "pre",
)
# Pagefind's own ready-made interfaces; the edition has its own accessible search page.
UNUSED = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")


def searchable(files: list[SiteFile]) -> list[SiteFile]:
    """The pages whose content goes into the index."""
    return [f for f in files if f.path.endswith(".html") and b"data-pagefind-body" in f.content]


def part_count(pages: int) -> int:
    """How many index parts an edition of about `pages` searchable pages takes."""
    return max(1, math.ceil(pages / PAGES_PER_PART))


def part_folder(number: int) -> str:
    """Where an index part lies in the site: the first in the bundle's folder, the others in it, by number."""
    return f"{BUNDLE}/" if number == 0 else f"{BUNDLE}/teil-{number + 1}/"


def split_for_search(files: list[SiteFile], parts: int) -> list[tuple[int, list[SiteFile]]]:
    """The searchable pages in `parts` parts by a hash of their path (a page keeps its part as pages come and
    go, while the number of parts stays), with each part's number; parts without pages are left out."""
    split: dict[int, list[SiteFile]] = {}
    for page in searchable(files):
        split.setdefault(part_number(page.path, parts), []).append(page)
    return sorted(split.items())


def part_number(path: str, parts: int) -> int:
    """The part of the index a page at `path` falls in."""
    return int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big") % parts


def search_inputs(pages: list[SiteFile]) -> tuple[list[tuple[str, str]]]:
    """What a part's search bundle depends on: each of its pages' path and hash."""
    return ([(page.path, hashlib.sha256(page.content).hexdigest()) for page in pages],)


def index_for_search(pages: list[SiteFile], niceness: int = 0) -> list[SiteFile]:
    """The search bundle for a part's pages, its paths relative to the bundle's folder; Pagefind run at a lower
    priority by `niceness` (the live preview's later parts, which must not slow an earlier one)."""
    return run_pagefind(pages, niceness)


def index_each(parts: list[list[SiteFile]], at_once: int = 1) -> list[list[SiteFile]]:
    """Each part's search bundle, `at_once` Pagefind processes at a time (one keeps about one core busy)."""
    if at_once <= 1 or len(parts) <= 1:
        return [index_for_search(pages) for pages in parts]
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        return list(pool.map(index_for_search, parts))


def place_parts(bundles: list[tuple[int, list[SiteFile]]], parts: int) -> list[SiteFile]:
    """The parts' bundles in their folders, and the list of those folders when there is more than one part."""
    placed = [file for number, bundle in bundles for file in place_part(number, bundle)]
    if parts > 1:
        folders = [part_folder(number) for number, _bundle in bundles]
        placed.append(SiteFile(PARTS_LIST, json.dumps(folders).encode("utf-8")))
    return placed


def place_part(number: int, bundle: list[SiteFile]) -> list[SiteFile]:
    """One part's bundle in its folder."""
    return [SiteFile(part_folder(number) + f.path, f.content) for f in bundle]


def run_pagefind(pages: list[SiteFile], niceness: int = 0) -> list[SiteFile]:
    """Write the pages to a scratch folder, index them with Pagefind (at a lower priority by `niceness`), return
    its bundle as site files."""
    with tempfile.TemporaryDirectory(prefix="edition-search-") as scratch:
        site, out = Path(scratch) / "site", Path(scratch) / "bundle"
        for page in pages:
            path = site / page.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(page.content)
        command = ["nice", "-n", str(niceness)] if niceness else []
        command += [pagefind_executable(), "--site", str(site), "--output-path", str(out), "--quiet"]
        command += ["--exclude-selectors", ", ".join(FURNITURE)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not (out / "pagefind.js").exists():
            raise pagefind_failed((result.stderr or result.stdout).strip())
        return [
            SiteFile(p.relative_to(out).as_posix(), p.read_bytes())
            for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(UNUSED)
        ]


@functools.cache
def pagefind_executable() -> str:
    """The Pagefind binary of the `pagefind_bin` wheel, run directly (not through `python -m pagefind`, which
    would start an interpreter for each part)."""
    try:
        from pagefind_bin import get_executable

        return str(get_executable().resolve())
    except (ImportError, OSError) as error:
        raise pagefind_failed(str(error)) from None


def pagefind_failed(reason: str) -> BuildFailed:
    """The problem of a search index that could not be built."""
    return BuildFailed(
        [
            Problem(
                "pagefind",
                1,
                1,
                f"Der Suchindex ließ sich nicht bauen: {reason[:300]}",
                "„make build“ installiert Pagefind; danach erneut bauen.",
            )
        ]
    )
