"""Warm builds equal cold ones: random edits, an incremental build with the cache, a clean build, compared."""

from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_build import tree_bytes

from edition import commands, schema
from edition.parallel import SERIAL, Workers
from edition.problems import BuildFailed
from edition.site import build_site, cache_file

ARTICLES = "content/artikel"


def edit_text(project: Path, name: str, change) -> None:
    """Apply `change` to a file's text."""
    path = project / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def append_paragraph(rng: random.Random, project: Path) -> str:
    article = rng.choice(sorted((project / ARTICLES).glob("*.md")))
    words = rng.choice(
        [
            "Putin reiste weiter.",
            "Kim Jong Un und Peskow schwiegen.",
            "Ein Zusatz ohne Namen.",
            "In Pjöngjang regnete es.",
        ]
    )
    edit_text(project, f"{ARTICLES}/{article.name}", lambda t: t.rstrip("\n") + f"\n\n{words}\n")
    return f"paragraph in {article.name}"


def retitle(rng: random.Random, project: Path) -> str:
    article = rng.choice(sorted((project / ARTICLES).glob("*.md")))
    edit_text(
        project,
        f"{ARTICLES}/{article.name}",
        lambda t: re.sub(r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)} (neu)"', t, count=1, flags=re.M),
    )
    return f"title of {article.name}"


def redefine(rng: random.Random, project: Path) -> str:
    entry = rng.choice(["juche", "chassan", "wladimir-putin", "kcna", "mongolei"])
    edit_text(
        project,
        "glossary.yaml",
        lambda t: re.sub(rf"(\n{entry}:\n(?:  .*\n)*?  definition: >-\n    )", r"\1Geändert. ", t, count=1),
    )
    return f"definition of {entry}"


def add_form(rng: random.Random, project: Path) -> str:
    form = rng.choice(["Regierungschef", "Dorn", "Zug"])
    edit_text(
        project,
        "glossary.yaml",
        lambda t: (
            t + f"neu-{form.lower()}:\n  term: {form}\n  kind: concept\n"
            f"  definition: Ein neuer Eintrag.\n  sources: [{{title: Test}}]\n"
        ),
    )
    return f"new entry {form}"


def renote(rng: random.Random, project: Path) -> str:
    notes = rng.choice(sorted((project / ARTICLES).glob("*.notes.yaml")))
    edit_text(
        project, f"{ARTICLES}/{notes.name}", lambda t: t.replace("    text: >-\n      ", "    text: >-\n      Neu: ", 1)
    )
    return f"note in {notes.name}"


def retemplate(rng: random.Random, project: Path) -> str:
    name = rng.choice(["templates/base.html", "templates/_note.html", "templates/entry.html"])
    edit_text(project, name, lambda t: t + "\n")
    return f"template {name}"


def restyle(rng: random.Random, project: Path) -> str:
    edit_text(project, "static/style.css", lambda t: t + "\n/* geändert */\n")
    return "stylesheet"


def add_article(rng: random.Random, project: Path) -> str:
    source = (project / ARTICLES / "2019-04-gipfel-in-wladiwostok.md").read_text(encoding="utf-8")
    slug = f"2020-0{rng.randint(1, 9)}-kopie"
    text = source.replace('slug: "2019-04-gipfel-in-wladiwostok"', f'slug: "{slug}"').replace(
        'date: "2019-04"', 'date: "2020-01"'
    )
    (project / ARTICLES / f"{slug}.md").write_text(text, encoding="utf-8")
    return f"article {slug}"


def remove_added_article(rng: random.Random, project: Path) -> str:
    added = sorted((project / ARTICLES).glob("2020-*.md"))
    if not added:
        return add_article(rng, project)
    added[0].unlink()
    return f"removed {added[0].name}"


EDITS = [append_paragraph, retitle, redefine, add_form, renote, retemplate, restyle, add_article, remove_added_article]


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_built_warm_equal_a_clean_build(project: Path, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    site = project / "site"
    # Warm builds in worker processes (odd seeds) and in one (even seeds); the clean builds in one.
    workers = Workers(count=2, threshold=1) if seed % 2 else SERIAL
    build_site(project, site, workers=workers)
    history = []
    for step in range(4):
        history.append(rng.choice(EDITS)(rng, project))
        try:
            warm = build_site(project, site, workers=workers)
        except BuildFailed:
            with pytest.raises(BuildFailed):
                build_site(project, tmp_path / f"cold{step}" / "site", use_cache=False)
            continue
        build_site(project, tmp_path / f"cold{step}" / "site", use_cache=False, workers=SERIAL)
        assert tree_bytes(site) == tree_bytes(tmp_path / f"cold{step}" / "site"), history
        assert warm.written < 200


def test_unchanged_build_renders_and_writes_nothing(project: Path) -> None:
    build_site(project, project / "site")
    again = build_site(project, project / "site")
    assert (again.rendered, again.written) == (0, 0)


def test_one_article_changed_rebuilds_only_what_depends_on_it(project: Path) -> None:
    build_site(project, project / "site")
    edit_text(project, f"{ARTICLES}/2023-09-ankunft-im-fernen-osten.md", lambda t: t + "\nNoch ein Satz.\n")
    report = build_site(project, project / "site")
    # the article itself, the glossary pages of the entries it names (sentences may shift), nothing else
    assert 1 <= report.written <= 25 and report.rendered <= 25


def test_one_glossary_entry_changed_rebuilds_the_pages_where_it_occurs(project: Path) -> None:
    site = project / "site"
    build_site(project, site)
    before = tree_bytes(site)
    edit_text(
        project,
        "glossary.yaml",
        lambda t: t.replace(
            "Binnenstaat zwischen Russland und China", "Binnenstaat in Zentralasien zwischen Russland und China"
        ),
    )
    build_site(project, site)
    changed = {path for path, content in tree_bytes(site).items() if before.get(path) != content}
    # Mongolia occurs in the 2024 article only: its page, its entry, the glossary's A–Z and its page of places,
    # and the data that name the definition (previews, the article's open annotations, the search index).
    pages = {p for p in changed if p.endswith(".html")}
    assert pages == {
        "artikel/2024-06-putin-in-pjoengjang/index.html",
        "glossar/mongolei/index.html",
        "glossar/index.html",
        "glossar/orte/index.html",
    }
    assert {p for p in changed - pages if not p.startswith("pagefind/")} == {
        "assets/previews.json",
        "annotationen/2024-06-putin-in-pjoengjang.jsonld",
    }


def test_edits_to_site_are_repaired_and_strays_removed(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    build_site(project, site)
    (site / "index.html").write_text("kaputt", encoding="utf-8")
    (site / "fremd.txt").write_text("nicht von uns", encoding="utf-8")
    build_site(project, site)
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


def test_corrupt_cache_is_discarded_with_a_warning(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    build_site(project, site)
    cache_file(site).write_bytes(b"this is not a database" * 100)
    report = build_site(project, site)
    assert any("unbrauchbar" in w.message for w in report.warnings)
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


def test_foreign_cache_is_discarded_with_a_warning(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    build_site(project, site)
    with sqlite3.connect(cache_file(site)) as db:
        db.execute("UPDATE meta SET value = 'other-tool-7' WHERE key = 'format'")
    report = build_site(project, site)
    assert any("fremdes Format" in w.message for w in report.warnings)
    assert report.rendered > 70


def test_nothing_changed_is_seen_at_a_glance(project: Path) -> None:
    site = project / "site"
    first = build_site(project, site)
    for path in (project / ARTICLES).iterdir():
        os.utime(path)  # saved again, not changed
    again = build_site(project, site)
    assert again.stages[0][0] == "nothing changed" and (again.rendered, again.written) == (0, 0)
    assert (again.pages, again.notes, again.terms_placed, again.warnings) == (
        first.pages,
        first.notes,
        first.terms_placed,
        first.warnings,
    )


def test_a_change_its_file_time_hides_is_still_found(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    article = project / ARTICLES / "2023-09-ankunft-im-fernen-osten.md"
    os.utime(article)  # modified just before the build looks: its time cannot vouch for its bytes
    build_site(project, site)
    stat = article.stat()
    edit_text(project, f"{ARTICLES}/{article.name}", lambda t: t.replace("Kim", "Kym", 1))  # same size
    os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time
    report = build_site(project, site)
    assert report.rendered > 0
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


def test_included_file_and_added_file_are_inputs(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    build_site(project, site)
    edit_text(project, "EDITING.md", lambda t: t + "\nEin neuer Absatz für Redaktionen.\n")
    assert build_site(project, site).rendered > 0
    (project / "templates" / "unused.html").write_text("{# not used by any page #}\n", encoding="utf-8")
    assert build_site(project, site).stages[0][0] != "nothing changed"
    build_site(project, tmp_path / "cold", use_cache=False)
    assert tree_bytes(site) == tree_bytes(tmp_path / "cold")


def test_command_line_glance_loads_no_rendering_code(project: Path) -> None:
    command = [sys.executable, str(Path(__file__).parent.parent / "build.py"), "--project", str(project), "build"]
    subprocess.run(command, check=True, capture_output=True)
    probe = (
        "import sys; from pathlib import Path; from edition import commands; "
        f"code = commands.run_build(Path({str(project)!r}), Path({str(project / 'site')!r}), base_url=None); "
        "print(code, 'jinja2' in sys.modules, 'markdown_it' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, cwd=Path(__file__).parent.parent
    )
    assert result.stdout.splitlines()[-1] == "0 False False"
    assert " 0 Dateien neu gerendert, 0 geschrieben" in result.stdout


def test_warm_build_parses_only_the_changed_yaml(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = project / "site"
    build_site(project, site)
    retitle(random.Random(1), project)
    schema.read_checked.cache_clear()  # what this process remembers aside: only the build cache may help
    parsed: list[str] = []
    parse = schema.parse_yaml
    monkeypatch.setattr(
        schema, "parse_yaml", lambda text, file, **options: parsed.append(file) or parse(text, file, **options)
    )
    build_site(project, site)
    assert len(parsed) == 1 and parsed[0].startswith(ARTICLES)


def test_command_line_warns_of_a_foreign_cache(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = project / "site"
    build_site(project, site)
    with sqlite3.connect(cache_file(site)) as db:
        db.execute("UPDATE meta SET value = 'other-tool-7' WHERE key = 'format'")
    assert commands.run_build(project, site, base_url=None) == 0
    assert "fremdes Format" in capsys.readouterr().err
