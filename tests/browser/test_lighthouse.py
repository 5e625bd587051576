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


def run_lighthouse(url: str, categories: list[str], home: Path, *options: str) -> subprocess.Popen[bytes]:
    """Start Lighthouse on one page, its JSON report going to `home`/report.json."""
    if not LIGHTHOUSE.exists():
        pytest.fail("Lighthouse missing: `make test` installs it with npm")
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={home / 'report.json'}",
            "--quiet",
            "--disable-full-page-screenshot",
            f"--only-categories={','.join(categories)}",
            *options,
            "--chrome-flags=--headless=new " + " ".join(CHROMIUM_FLAGS),
        ],
        env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin", "HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def scores_of(run: subprocess.Popen[bytes], home: Path) -> dict[str, float]:
    """The score of each category once Lighthouse is done (it exits 0 whatever the scores: read the JSON)."""
    _, errors = run.communicate(timeout=300)
    assert run.returncode == 0, errors.decode()
    report = json.loads((home / "report.json").read_text(encoding="utf-8"))
    return {name: category["score"] for name, category in report["categories"].items()}


@pytest.fixture(scope="module")
def quality_scores(lighthouse_site: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float]]:
    """Accessibility, best practices and SEO of every page, audited side by side: these scores do not depend
    on timing (no performance here, so no throttling either), and Lighthouse mostly waits."""
    homes = {path: tmp_path_factory.mktemp("lighthouse-home") for path in PAGES}
    runs = {
        path: run_lighthouse(
            lighthouse_site + path,
            ["accessibility", "best-practices", "seo"],
            homes[path],
            "--throttling-method=provided",
        )
        for path in PAGES
    }
    return {path: scores_of(run, homes[path]) for path, run in runs.items()}


@pytest.mark.parametrize("path", PAGES)
def test_accessibility_best_practices_and_seo_are_perfect(
    quality_scores: dict[str, dict[str, float]], path: str
) -> None:
    assert quality_scores[path] == {"accessibility": 1, "best-practices": 1, "seo": 1}


@pytest.mark.audit
@pytest.mark.parametrize("path", PAGES)
def test_performance_score(lighthouse_site: str, path: str, tmp_path: Path) -> None:
    # one page at a time: the simulated score suffers from anything else the machine does
    scores = scores_of(run_lighthouse(lighthouse_site + path, ["performance"], tmp_path), tmp_path)
    assert scores["performance"] >= PERFORMANCE, scores
