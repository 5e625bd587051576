"""The Nu Html Checker (npm `vnu-jar`, run with the machine's Java) finds no error on any page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from support import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def run_vnu(*targets: Path) -> list[dict]:
    """Errors the checker reports for the given files or folders (HTML and CSS)."""
    if not VNU.exists() or not shutil.which("java"):
        pytest.fail("Nu Html Checker or Java missing: run `make test`, which installs both")
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            "--also-check-css",
            "--skip-non-html",
            *map(str, targets),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return json.loads(result.stdout)["messages"]


pytestmark = pytest.mark.validator


def test_every_page_is_valid_html_and_the_checker_does_report_errors(built_site: Path, tmp_path: Path) -> None:
    # one run of the checker (the JVM's start is most of its time), with a broken page beside the site's
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html lang="de"><title>x</title><p><div>x</p>', encoding="utf-8")
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 8
    messages = run_vnu(*pages, built_site / "assets" / "style.css", broken)
    errors = [m for m in messages if not m.get("url", "").endswith("/broken.html")]
    assert [f"{m.get('url', '').rsplit('/build/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in errors] == []
    assert len(messages) > len(errors)  # the broken page was reported: the checker ran and looked
