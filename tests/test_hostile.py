"""Hostile and careless input, one case per row: each is run on a fresh small project with a finished
build in `site/`, and must end with the expected exit code and message, nothing changed outside the output
folder, and `site/` whole (as before when refused, a complete build otherwise)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile_project import ARTICLE, NOTES, SLUG, make_project

import build
from edition.inputs import input_places, list_inputs
from edition.outdir import MANIFEST
from edition.serve import Preview

Prepare = Callable[[Path], list[str]]


@dataclass(frozen=True)
class Case:
    """A hostile input: what to do to the project (returns the command line), then what must come out."""

    name: str
    prepare: Prepare
    code: int
    message: str
    out: str = "site"  # the output folder the case may change, relative to the project
    page_has: tuple[str, str] | None = None  # a file of the output and a text it must contain


def append(name: str, text: str) -> Callable[[Path], None]:
    """Append `text` to a file of the project."""

    def change(project: Path) -> None:
        path = project / name
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return change


def replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    """Replace `old` by `new` in a file of the project (which must contain it)."""

    def change(project: Path) -> None:
        path = project / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    return change


def build_after(*changes: Callable[[Path], None], out: str = "site", extra: tuple[str, ...] = ()) -> Prepare:
    """Apply `changes`, then `build --out OUT`."""

    def prepare(project: Path) -> list[str]:
        for change in changes:
            change(project)
        return ["build", "--out", str(project / out), *extra]

    return prepare


def make_folder(name: str, files: dict[str, str]) -> Callable[[Path], None]:
    """A folder beside the project (`../NAME`) holding `files`."""

    def change(project: Path) -> None:
        folder = project.parent / name
        folder.mkdir(exist_ok=True)
        for file, text in files.items():
            (folder / file).write_text(text, encoding="utf-8")

    return change


def link(name: str, target: str) -> Callable[[Path], None]:
    """A symbolic link `name` in the project pointing to `target` (`{o}` stands for a folder outside)."""

    def change(project: Path) -> None:
        outside = project.parent / "outside"
        outside.mkdir(exist_ok=True)
        (outside / "artikel.md").write_text(
            (project / ARTICLE).read_text(encoding="utf-8").replace(SLUG, "2024-02-fremd"), encoding="utf-8"
        )
        (project / name).symlink_to(target.replace("{o}", str(outside)))

    return change


def alias_bomb(levels: int = 9) -> str:
    """Nine levels of nine aliases each: a few hundred bytes that expand to 9**9 values."""
    lines = ["bomb0: &b0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"bomb{n}: &b{n} [{', '.join([f'*b{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n" + "\n".join(lines) + "\n"


def prepend(name: str, text: str) -> Callable[[Path], None]:
    """Put `text` before the first byte of a file of the project."""

    def change(project: Path) -> None:
        path = project / name
        path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")

    return change


def command(*argv: str) -> Prepare:
    """A fixed command line; `{p}` stands for the project folder."""
    return lambda project: [arg.replace("{p}", str(project)) for arg in argv]


CASES = [
    # The output folder is the build's, and only that.
    Case(
        "out-foreign-folder",
        build_after(make_folder("u", {"thesis.txt": "x"}), out="../u"),
        1,
        "Der Zielordner ist nicht leer und enthält keine frühere Ausgabe",
        out="../u",
    ),
    Case("out-project", command("build", "--out", "{p}"), 1, "Der Zielordner ist der Projektordner"),
    Case("out-above", command("build", "--out", "{p}/.."), 1, "ein Ordner, in dem das Projekt liegt"),
    Case("out-root", command("build", "--out", "/"), 1, "Wurzelverzeichnis"),
    Case("out-home", command("build", "--out", str(Path.home())), 1, "Home-Verzeichnis"),
    Case("out-content", command("build", "--out", "{p}/content"), 1, "Der Zielordner ist „"),
    Case("out-inside-content", command("build", "--out", "{p}/content/neu"), 1, "Der Zielordner liegt in „"),
    Case("out-templates", command("build", "--out", "{p}/templates"), 1, "ein Teil des Projekts"),
    Case("out-glossary", command("build", "--out", "{p}/glossary.yaml"), 1, "ein Teil des Projekts"),
    Case("out-readme", command("build", "--out", "{p}/README.md"), 1, "ein Teil des Projekts"),
    Case(
        "out-empty-folder",
        build_after(make_folder("leer", {}), out="../leer"),
        0,
        "Seiten",
        out="../leer",
    ),
    Case(
        "out-symlink-to-content",
        lambda p: (p.parent / "ziel").symlink_to(p / "content") or ["build", "--out", str(p.parent / "ziel")],
        1,
        "Der Zielordner ist „",
    ),
    Case("out-new-folder", build_after(out="../neu/site"), 0, "Seiten", out="../neu/site"),
    Case(
        "base-url-javascript",
        build_after(extra=("--base-url", "javascript:alert(1)//")),
        1,
        "--base-url:1:1: Fehler: Die Adresse „javascript:alert(1)//“ ist keine http(s)-Adresse",
    ),
    # Inputs stay inside the project.
    Case(
        "symlink-static-passwd",
        build_after(link("static/passwd.css", "/etc/passwd")),
        1,
        "static/passwd.css:1:1: Fehler: „static/passwd.css“ ist eine Verknüpfung auf „/etc/passwd“ außerhalb",
    ),
    Case(
        "symlink-article-outside",
        build_after(link("content/artikel/2024-02-fremd.md", "{o}/artikel.md")),
        1,
        "content/artikel/2024-02-fremd.md:1:1: Fehler: „content/artikel/2024-02-fremd.md“ ist eine Verknüpfung",
    ),
    Case("symlink-folder-outside", build_after(link("templates/mehr", "{o}")), 1, "außerhalb des Projekts"),
    Case("symlink-inside-project", build_after(link("static/kopie.css", "style.css")), 0, "Seiten"),
    Case("check-symlink", lambda p: link("static/passwd.css", "/etc/passwd")(p) or ["check"], 1, "/etc/passwd"),
    Case(
        "new-slug-traversal",
        command("new", "Titel", "--date", "2025-01", "--slug", "../../../../evil"),
        1,
        "--slug:1:1: Fehler: Der Slug „../../../../evil“ ist ungültig",
    ),
    Case("new-slug-absolute", command("new", "T", "--date", "2025-01", "--slug", "/irgendwo/evil"), 1, "ungültig"),
    Case("new-slug-subfolder", command("new", "T", "--date", "2025-01", "--slug", "a/b"), 1, "ungültig"),
    Case("new-slug-capitals", command("new", "T", "--date", "2025-01", "--slug", "Gipfel"), 1, "ungültig"),
    Case("new-title-line-break", command("new", "Zwei\nZeilen", "--date", "2025-01"), 1, "Zeilenumbruch"),
    Case("new-title-no-letters", command("new", "!!!", "--date", "2025-01"), 1, "„2025-01-“ ist ungültig"),
    # YAML that cannot hurt.
    Case("yaml-alias-bomb", build_after(append("glossary.yaml", alias_bomb())), 1, "glossary.yaml:15:8: Fehler: Anker"),
    Case("yaml-alias-bomb-check", lambda p: append("glossary.yaml", alias_bomb())(p) or ["check"], 1, "(&b0)"),
    Case("yaml-recursive-alias", build_after(append("glossary.yaml", "x: &r [*r]\n")), 1, "(&r) sind in den Dateien"),
    Case("yaml-deep-nesting", build_after(append(NOTES, "x: " + "[" * 500 + "\n")), 1, "tiefer als 40 Ebenen"),
    Case("yaml-tag", build_after(append("glossary.yaml", "x: !foo bar\n")), 1, "Typangaben wie „!foo“"),
    Case(
        "yaml-python-tag",
        build_after(append("glossary.yaml", "x: !!python/name:os.system\n")),
        1,
        "glossary.yaml:14:4: Fehler: Typangaben wie „!!python/name:os.system“ sind in den Dateien der Ausgabe nicht",
    ),
    Case("yaml-float-tag", build_after(append(NOTES, "x: !!float abc\n")), 1, f"{NOTES}:9:4: Fehler: Typangaben"),
    Case(
        "yaml-tag-in-front-matter",
        build_after(replace(ARTICLE, 'summary: "Ein Treffen."', "summary: !!binary abc")),
        1,
        f"{ARTICLE}:3:10: Fehler: Typangaben wie „!!binary“",
    ),
    Case("bom-article", build_after(prepend(ARTICLE, "\ufeff")), 0, "1 Artikel"),
    Case("bom-notes", build_after(prepend(NOTES, "\ufeff")), 0, "1 Anmerkungen"),
    Case(
        "quote-only-spaces",
        build_after(replace(NOTES, 'quote: "traf Kim Jong Un in Pjöngjang"', 'quote: "   "')),
        1,
        f"{NOTES}:4:12: Fehler: „quote“: „   “ hat nicht die erwartete Form",
    ),
    Case(
        "glossary-empty",
        build_after(lambda p: (p / "glossary.yaml").write_text("# nichts\n", encoding="utf-8")),
        1,
        "glossary.yaml:1:1: Fehler: glossary.yaml ist leer",
    ),
    Case(
        "quote-with-wrong-prefix",
        build_after(
            replace(NOTES, 'quote: "traf Kim Jong Un in Pjöngjang"', 'quote: "Putin"\n    prefix: "gibt es nicht "')
        ),
        1,
        "Das Zitat „Putin“ kommt 3-mal vor, keinmal nach „gibt es nicht “",
    ),
    Case(
        "quote-with-wrong-suffix",
        build_after(replace(NOTES, 'quote: "traf Kim Jong Un in Pjöngjang"', 'quote: "Putin"\n    suffix: " schwieg"')),
        1,
        "Das Zitat „Putin“ kommt 3-mal vor, keinmal vor „ schwieg“",
    ),
    # Words never vanish.
    Case(
        "nested-quotes-25",
        build_after(append(ARTICLE, "\n" + "> " * 25 + "WORT\n")),
        1,
        f"{ARTICLE}:12:1: Fehler: Der Text ist hier zu tief verschachtelt",
    ),
    Case(
        "nested-quotes-15",
        build_after(append(ARTICLE, "\n" + "> " * 15 + "WORT\n")),
        0,
        "1 Artikel",
        page_has=(f"artikel/{SLUG}/index.html", "WORT"),
    ),
    # No third-party request.
    Case(
        "image-from-another-site-in-article",
        build_after(append(ARTICLE, "\n![p](https://tracker.example/p.gif)\n")),
        1,
        f"{ARTICLE}:12:1: Fehler: Das Bild „https://tracker.example/p.gif“ käme von einer anderen Website",
    ),
    Case(
        "image-from-another-site-in-note",
        build_after(
            replace(NOTES, 'text: "Das Treffen fand im Januar statt."', 'text: "Siehe ![p](//tracker.example/p.gif)."')
        ),
        1,
        f"{NOTES}:5:1: Fehler: Das Bild „//tracker.example/p.gif“ käme von einer anderen Website",
    ),
    Case(
        "mailto-capitals-allowed",
        build_after(append(ARTICLE, "\nPost an <MAILTO:FOO@BAR.BAZ>.\n")),
        0,
        "1 Artikel",
        page_has=(f"artikel/{SLUG}/index.html", 'href="MAILTO:FOO@BAR.BAZ"'),
    ),
    Case(
        "import-slug-traversal",
        lambda p: ["import", str(p / "README.md"), "--title", "T", "--date", "2025-01", "--slug", "../../x"],
        1,
        "„../../x“ ist ungültig",
    ),
]


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project with a finished build in `site/`, made once and copied for each case."""
    project = make_project(tmp_path_factory.mktemp("built") / "project")
    assert build.main(["--project", str(project), "build"]) == 0
    return project


def files_of(folder: Path, leave_out: tuple[Path, ...]) -> dict[str, bytes]:
    """Every file below `folder` with its bytes, except those in `leave_out` (folders or files)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not any(path == skip or skip in path.parents for skip in leave_out):
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def assert_whole(site: Path) -> None:
    """Every file the site's manifest lists is there, and nothing else."""
    listed = set(json.loads((site / MANIFEST).read_text(encoding="utf-8"))["files"])
    assert listed == set(files_of(site, ()))
    assert "index.html" in listed


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, built_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    shutil.copytree(built_project, project, symlinks=True)
    argv = case.prepare(project)
    out = (project / case.out).resolve()
    # A build may change its output folder (only when it succeeds) and its cache (which only accelerates).
    # Builds of one output take turns through a lock file where its cache is.
    mine = tuple(
        folder / f".{out.name}.{kind}" for folder in (out.parent, project) for kind in ("cache.sqlite", "lock")
    )
    mine += () if case.code else (out,)
    site_before = files_of(project / "site", ())
    world_before = files_of(tmp_path, mine)
    code = build.main(["--project", str(project), *argv])
    captured = capsys.readouterr()
    assert code == case.code, captured.err
    assert case.message in captured.err + captured.out
    assert files_of(tmp_path, mine) == world_before
    if case.code:
        assert files_of(project / "site", ()) == site_before
    if case.code == 0 and argv[0] == "build":
        assert_whole(out)
    if case.page_has:
        page, text = case.page_has
        assert text in (out / page).read_text(encoding="utf-8")
    assert_whole(project / "site")


CSP = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'"
)


class PageScan(HTMLParser):
    """What a page's Content-Security-Policy must cover: the policy, and anything before it or inline."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.policies: list[str] = []
        self.loaded_before_policy: list[str] = []
        self.inline: list[str] = []
        self.in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "meta" and (names.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(names.get("content") or "")
        elif tag in ("script", "link", "img", "style") and not self.policies:
            self.loaded_before_policy.append(tag)
        if tag == "style" or "style" in names or any(name.startswith("on") for name in names):
            self.inline.append(tag)
        if tag == "script" and "src" not in names and names.get("type") != "application/ld+json":
            self.inline.append("script")


def test_every_page_carries_the_content_security_policy(built_project: Path) -> None:
    pages = sorted((built_project / "site").rglob("*.html"))
    assert any(p.name == "404.html" for p in pages) and len(pages) > 5
    for page in pages:
        scan = PageScan()
        scan.feed(page.read_text(encoding="utf-8"))
        assert scan.policies == [CSP], page
        assert scan.loaded_before_policy == [], page
        assert scan.inline == [], page


@pytest.mark.parametrize(
    "path",
    ["/\x00", "/index.html\x00.txt", "/" + "a" * 4000, "/" + "ä" * 3000, "/../../etc/passwd", "/assets/../../x"],
    ids=["nul", "nul-inside", "4000-characters", "long-multibyte", "traversal", "traversal-inside"],
)
def test_preview_answers_hostile_paths_with_not_found(path: str, built_project: Path) -> None:
    preview = Preview(built_project, built_project / "site")
    answered: list[str] = []
    body = b"".join(preview({"PATH_INFO": path}, lambda status, headers: answered.append(status)))
    assert answered == ["404 Not Found"]
    assert b"<!DOCTYPE html>" in body


def test_preview_watches_exactly_what_the_build_reads(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    (project / "EDITING.md").write_text("# Anleitung\n", encoding="utf-8")
    watched = {place for place in input_places(project) if place.exists()}
    read = set(list_inputs(project, ()).values())
    assert project / "EDITING.md" in watched
    assert all(any(path == place or place in path.parents for place in watched) for path in read)


def test_an_output_beside_the_project_keeps_its_cache_in_the_project(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    assert build.main(["--project", str(project), "build", "--out", str(tmp_path / "neben")]) == 0
    assert (project / ".neben.cache.sqlite").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neben", "project"]
