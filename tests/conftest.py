"""Fixtures: one build of the real edition into a temporary folder, shared by the end-to-end tests; the
property tests' settings."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from support import ROOT, copy_project, serve_folder

from edition import search
from edition.site import BuildReport, build_site

# The property tests run the same examples on every run and keep no database, so a run cannot fail because
# of what an earlier run found or of chance; `HYPOTHESIS_PROFILE=explore` searches afresh each run instead.
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("explore", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def one_search_index_per_set_of_pages() -> Iterator[None]:
    """Pagefind's bundle is a function of the pages alone, and running it is most of a small build's time: in
    this process each distinct set of pages is indexed once. (The builds in subprocesses run it every time,
    and `test_build` compares their bytes with the suite's build, so its determinism stays tested.)"""
    run_pagefind = search.run_pagefind
    bundles: dict[tuple[tuple[str, str], ...], list[Any]] = {}

    def indexed_once(pages: list[Any], niceness: int = 0) -> list[Any]:
        key = tuple((page.path, hashlib.sha256(page.content).hexdigest()) for page in pages)
        if key not in bundles:
            bundles[key] = run_pagefind(pages, niceness)
        return bundles[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "run_pagefind", indexed_once)
        yield


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edition as it is in the repo, built once into a temporary `site/`."""
    out = tmp_path_factory.mktemp("build") / "site"
    build_site(ROOT, out)
    return out


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edition built for a GitHub Pages project path, inside a folder that stands for the domain root."""
    domain = tmp_path_factory.mktemp("domain")
    build_site(ROOT, domain / "edition", base_url="http://127.0.0.1/edition/")
    return domain


@pytest.fixture(scope="session")
def subpath_url(subpath_site: Path) -> Iterator[str]:
    """The sub-path build served over HTTP on a free loopback port, as GitHub Pages serves a project site:
    http://127.0.0.1:PORT/edition/."""
    server, url = serve_folder(subpath_site)
    yield url + "edition/"
    server.shutdown()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway copy of the project's inputs."""
    return copy_project(tmp_path / "project")


__all__ = ["BuildReport", "copy_project"]
