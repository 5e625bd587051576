"""Lighthouse on four pages: accessibility, best practices and SEO at 1.0 in every test run; the simulated
performance score, which depends on how busy the machine is, only in `make audit` (marker `audit`)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CHROMIUM, CHROMIUM_FLAGS
from support import ROOT, serve_folder

from edition.site import build_site

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = ["", "artikel/2023-09-kim-in-russland-eingetroffen/", "glossar/", "chronik/"]
PERFORMANCE = 0.95

pytestmark = pytest.mark.validator


@pytest.fixture(scope="module")
def lighthouse_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The edition built for, and served at, the address Lighthouse audits (so canonical URLs match)."""
    folder = tmp_path_factory.mktemp("lighthouse")
    server, url = serve_folder(folder)
    build_site(ROOT, folder, base_url=url, use_cache=False)
    yield url
    server.shutdown()


def lighthouse_scores(url: str, categories: list[str], home: Path, *options: str) -> dict[str, float]:
    """Lighthouse's score of each category for one page (it exits 0 whatever the scores: read the JSON)."""
    if not LIGHTHOUSE.exists():
        pytest.fail("Lighthouse missing: `make test` installs it with npm")
    report = home / "report.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            "--disable-full-page-screenshot",
            f"--only-categories={','.join(categories)}",
            *options,
            "--chrome-flags=--headless=new " + " ".join(CHROMIUM_FLAGS),
        ],
        env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin", "HOME": str(home)},
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {name: category["score"] for name, category in json.loads(report.read_text())["categories"].items()}


@pytest.mark.parametrize("path", PAGES)
def test_accessibility_best_practices_and_seo_are_perfect(lighthouse_site: str, path: str, tmp_path: Path) -> None:
    # no performance score here, so no need to throttle the page load
    scores = lighthouse_scores(
        lighthouse_site + path, ["accessibility", "best-practices", "seo"], tmp_path, "--throttling-method=provided"
    )
    assert scores == {"accessibility": 1, "best-practices": 1, "seo": 1}


@pytest.mark.audit
@pytest.mark.parametrize("path", PAGES)
def test_performance_score(lighthouse_site: str, path: str, tmp_path: Path) -> None:
    scores = lighthouse_scores(lighthouse_site + path, ["performance"], tmp_path)
    assert scores["performance"] >= PERFORMANCE, scores
