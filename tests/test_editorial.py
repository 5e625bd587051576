"""The editors' tools that keep the edition true, on real files: reports of one day in their order, the date's
basis in the header, and the warnings about stale `stand:`, variant spellings and circular sources."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support import ROOT, SEEDS, copy_project

from edition.commands import run_import, stats_lines
from edition.dates import PartialDate
from edition.editorial import OwnArticles, is_variant_form, stand_warning
from edition.glossary import SourceRef
from edition.model import Article, Settings
from edition.problems import BuildFailed, Problem
from edition.site import build_site, prepare_site

ARTICLES = Path("content/artikel")
FIRST, SECOND, THIRD = (
    "2023-09-kim-in-russland-eingetroffen",
    "2023-09-mit-dem-sonderzug-zu-putin",
    "2023-09-ankunft-im-fernen-osten",
)
OLDER, NEWER = "2019-04-gipfel-in-wladiwostok", "2024-06-putin-in-pjoengjang"


def set_front_matter(path: Path, key: str, value: str) -> None:
    """Set one front matter field of an article file (replacing it, or adding it before the closing fence)."""
    text = path.read_text(encoding="utf-8")
    head, fence, body = text[4:].partition("\n---\n")
    lines = [line for line in head.split("\n") if not line.startswith(f"{key}:")]
    lines.append(f"{key}: {value}")
    path.write_text("---\n" + "\n".join(lines) + fence + body, encoding="utf-8")


def append_lines(path: Path, text: str) -> int:
    """Append text to a file; return the line number its first line gets."""
    old = path.read_text(encoding="utf-8")
    old = old if old.endswith("\n") else old + "\n"
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


def insert_note(path: Path, note: str) -> int:
    """Put a note first in a notes file; return the line number of its first line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index("notes:") + 1
    lines[at:at] = note.rstrip("\n").split("\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def warnings_about(problems: list[Problem], text: str) -> list[Problem]:
    """The warnings whose message contains `text`."""
    return [p for p in problems if p.severity == "warning" and text in p.message]


def slugs_in(text: str, slugs: tuple[str, ...]) -> list[str]:
    """The slugs in the order they first appear in `text`."""
    return sorted(slugs, key=lambda slug: text.index(f"artikel/{slug}/"))


# --- the reports of one day ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reordered_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edition with the three reports of 12 September 2023 given an order that is neither the slugs' nor
    the real one (000, 004, 001), so that only `order:` can explain what the pages show."""
    project = copy_project(tmp_path_factory.mktemp("reordered"))
    for slug, order in ((SECOND, 1), (THIRD, 2), (FIRST, 3)):
        path = project / ARTICLES / f"{slug}.md"
        set_front_matter(path, "date", '"2023-09-12"')
        set_front_matter(path, "order", str(order))
    out = project / "site"
    build_site(project, out, use_cache=False, base_url="http://127.0.0.1:8000/")  # a feed and a sitemap too
    return out


EXPECTED = (OLDER, SECOND, THIRD, FIRST, NEWER)


def test_front_page_follows_the_order_of_one_day(reordered_site: Path) -> None:
    html = (reordered_site / "index.html").read_text(encoding="utf-8")
    assert slugs_in(html, EXPECTED) == list(EXPECTED)


def test_previous_and_next_follow_the_order_of_one_day(reordered_site: Path) -> None:
    for before, here, after in zip(EXPECTED, EXPECTED[1:], EXPECTED[2:], strict=False):
        html = (reordered_site / f"artikel/{here}/index.html").read_text(encoding="utf-8")
        assert f'href="../../artikel/{before}/" rel="prev"' in html
        assert f'href="../../artikel/{after}/" rel="next"' in html


def test_feed_lists_the_reports_of_one_day_newest_first(reordered_site: Path) -> None:
    feed = ET.parse(reordered_site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    links = [e.find(f"{atom}link").get("href") for e in feed.findall(f"{atom}entry")]
    assert [link.split("/artikel/")[1].strip("/") for link in links] == list(reversed(EXPECTED))


def test_sitemap_lists_the_reports_of_one_day_in_order(reordered_site: Path) -> None:
    sitemap = (reordered_site / "sitemap.xml").read_text(encoding="utf-8")
    assert slugs_in(sitemap, EXPECTED) == list(EXPECTED)


def test_timeline_lists_the_reports_of_one_day_in_order(reordered_site: Path) -> None:
    html = (reordered_site / "chronik/index.html").read_text(encoding="utf-8")
    day = html[html.index('<time datetime="2023-09-12">12. September 2023</time>') :]
    day = day[: day.index("</ul>")]
    assert slugs_in(day, (FIRST, SECOND, THIRD)) == [SECOND, THIRD, FIRST]
    assert day.count('class="event event-article"') == 3


def test_the_edition_shows_the_three_reports_of_12_september_2023_in_their_real_order(subpath_site: Path) -> None:
    built_site = subpath_site / "edition"
    real = (OLDER, FIRST, SECOND, THIRD, NEWER)
    assert slugs_in((built_site / "index.html").read_text(encoding="utf-8"), real) == list(real)
    assert slugs_in((built_site / "sitemap.xml").read_text(encoding="utf-8"), real) == list(real)
    feed = (built_site / "feed.xml").read_text(encoding="utf-8")
    assert slugs_in(feed, real) == list(reversed(real))
    second = (built_site / f"artikel/{SECOND}/index.html").read_text(encoding="utf-8")
    assert (
        f'href="../../artikel/{FIRST}/" rel="prev"' in second and f'href="../../artikel/{THIRD}/" rel="next"' in second
    )


def test_reports_of_one_day_without_distinct_orders_are_a_warning(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    for slug in (FIRST, SECOND):
        set_front_matter(project / ARTICLES / f"{slug}.md", "date", '"2023-09-12"')
    set_front_matter(project / ARTICLES / f"{SECOND}.md", "order", "1")
    set_front_matter(project / ARTICLES / f"{FIRST}.md", "order", "1")
    found = warnings_about(prepare_site(project, search=False).problems, "Reihenfolge ist nicht eindeutig")
    assert {p.file for p in found} >= {f"content/artikel/{FIRST}.md", f"content/artikel/{SECOND}.md"}
    assert "12. September 2023" in found[0].message
    for problem in found:
        lines = (project / problem.file).read_text(encoding="utf-8").split("\n")
        assert lines[problem.line - 1] == "order: 1"


def test_a_date_against_the_source_date_line_is_an_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    path = project / ARTICLES / f"{OLDER}.md"
    set_front_matter(path, "source_date", '"2019-04"')
    set_front_matter(path, "date", '"2019-05-02"')
    with pytest.raises(BuildFailed) as failure:
        prepare_site(project, search=False)
    [problem] = [p for p in failure.value.problems if "date-Zeile" in p.message]
    line = path.read_text(encoding="utf-8").split("\n").index('date: "2019-05-02"') + 1
    assert (problem.file, problem.line, problem.severity) == (f"content/artikel/{OLDER}.md", line, "error")
    assert problem.message == "Das Datum 2019-05-02 widerspricht der date-Zeile der Vorlage (2019-04)"


# --- what a date rests on -----------------------------------------------------------------------------------


def dateline(site: Path, slug: str) -> str:
    """The dateline of an article's header, as text."""
    html = (site / f"artikel/{slug}/index.html").read_text(encoding="utf-8")
    found = re.search(r'<p class="dateline">(.*?)</p>', html, re.S)
    assert found
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_header_says_when_the_date_is_inferred_from_the_text(built_site: Path) -> None:
    assert dateline(built_site, SECOND) == "12. September 2023 · Datum aus dem Text erschlossen"
    assert dateline(built_site, THIRD) == "12. September 2023 · Datum aus dem Text erschlossen"
    assert dateline(built_site, FIRST) == (
        "12. September 2023 · Tag aus dem Text erschlossen; die Vorlage nennt September 2023"
    )
    assert dateline(built_site, OLDER) == "April 2019"


@pytest.mark.parametrize(
    ("seed", "date", "source_date"),
    [("003_592809cd2da8dfed.txt", None, '"2019-04"'), ("004_0454dd9289bb9370.txt", "2023-09-12", None)],
)
def test_import_records_the_source_date_line(tmp_path: Path, seed: str, date: str | None, source_date: str) -> None:
    assert run_import(SEEDS / seed, tmp_path, title="Titel", date=date, slug="probe", summary=None) == 0
    head = (tmp_path / "probe.md").read_text(encoding="utf-8").split("\n---\n")[0]
    assert f'seed: "{seed}"' in head
    assert (f"source_date: {source_date}" in head) if source_date else ("source_date" not in head)


# --- the warnings ---------------------------------------------------------------------------------------------

PLANTED_ENTRIES = """
testhausen:
  term: Testhausen
  kind: place
  forms: [Testhusen]
  definition: >-
    Ein Ort, den es nur in dieser Prüfung gibt, auch Testhusen geschrieben (das darf die
    eigene Definition sagen).
  area: true
  stand: "2025-10"
  sources:
    - {title: "Eine unabhängige Quelle", url: "https://example.org/testhausen"}

testdorf:
  term: Testdorf
  kind: place
  definition: >-
    Ein zweiter Ort der Prüfung, nahe bei
    Testhusen gelegen und
    in „Testhusen“ zitiert.
  area: true
  stand: "2025-11"
  sources:
    - {title: "Artikel dieser Leseausgabe vom April 2019"}

testfluss:
  term: Testfluss
  kind: place
  definition: Ein Fluss der Prüfung.
  area: true
  sources:
    - {title: "Eine unabhängige Quelle", url: "https://example.org/testfluss"}
    - {title: "Der Artikel", url: "http://127.0.0.1:8000/artikel/2019-04-gipfel-in-wladiwostok/"}
"""

PLANTED_NOTE = """  - id: testnotiz
    kind: context
    quote: "Der gepanzerte Sonderzug fährt vor"
    stand: "2024-02"
    text: >-
      Eine Anmerkung der Prüfung: Der Zug fuhr
      durch Testhusen und Testhusen.
    sources:
      - {title: "Der Artikel", url: "../../artikel/2019-04-gipfel-in-wladiwostok/"}
"""


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Problem], dict[str, int]]:
    """A copy of the edition with every warning planted once, and where each planted text stands."""
    project = copy_project(tmp_path_factory.mktemp("planted"))
    settings = project / "content/edition.yaml"
    text = re.sub(r"(?m)^stand:.*\n?", "", settings.read_text(encoding="utf-8"))
    settings.write_text(text.rstrip("\n") + '\nstand: "2026-11"\n', encoding="utf-8")
    start = append_lines(project / "glossary.yaml", PLANTED_ENTRIES)
    note = insert_note(project / ARTICLES / f"{OLDER}.notes.yaml", PLANTED_NOTE)
    article = project / ARTICLES / f"{OLDER}.md"
    set_front_matter(article, "summary", '"Eine Zusammenfassung, die Testhusen nennt."')
    append_lines(article, "\nTesthusen liegt im Artikel, und dort bleibt es so.\n")
    page = project / "content/seiten/ueber.md"
    page_line = append_lines(page, "\nDie Ausgabe erklärt auch Testhusen.\n") + 1
    summary = (
        article.read_text(encoding="utf-8").split("\n").index('summary: "Eine Zusammenfassung, die Testhusen nennt."')
    )
    lines = {
        "testhausen": start + 1,
        "testhausen-stand": start + 9,
        "testdorf-definition": start + 18,
        "testdorf-stand": start + 21,
        "testdorf-sources": start + 22,
        "note": note,
        "note-stand": note + 3,
        "note-text": note + 6,
        "note-sources": note + 7,
        "summary": summary + 1,
        "page": page_line,
    }
    built = prepare_site(project, search=False)
    return project, built.problems, lines


def test_a_stand_more_than_a_year_old_is_a_warning(planted: tuple[Path, list[Problem], dict[str, int]]) -> None:
    _project, problems, lines = planted
    found = warnings_about(problems, "mehr als ein Jahr älter")
    by_place = {(p.file, p.line): p.message for p in found}
    assert by_place[("glossary.yaml", lines["testhausen-stand"])] == (
        "Eintrag „Testhausen“: Stand Oktober 2025 ist mehr als ein Jahr älter als die Ausgabe (November 2026)"
    )
    assert by_place[(f"content/artikel/{OLDER}.notes.yaml", lines["note-stand"])] == (
        "Anmerkung „testnotiz“: Stand Februar 2024 ist mehr als ein Jahr älter als die Ausgabe (November 2026)"
    )
    # Exactly a year is still current.
    assert ("glossary.yaml", lines["testdorf-stand"]) not in by_place


def test_a_variant_spelling_in_the_editions_own_text_is_a_warning(
    planted: tuple[Path, list[Problem], dict[str, int]],
) -> None:
    _project, problems, lines = planted
    found = warnings_about(problems, "andere Schreibweise von „Testhausen“")
    places = sorted((p.file, p.line, p.message) for p in found)
    notes = f"content/artikel/{OLDER}.notes.yaml"
    assert places == sorted(
        [
            (
                "glossary.yaml",
                lines["testdorf-definition"],
                "Definition: „Testhusen“ ist eine andere Schreibweise von „Testhausen“",
            ),
            (
                notes,
                lines["note-text"],
                "Anmerkung „testnotiz“: „Testhusen“ ist eine andere Schreibweise von „Testhausen“",
            ),
            (
                f"content/artikel/{OLDER}.md",
                lines["summary"],
                "Zusammenfassung: „Testhusen“ ist eine andere Schreibweise von „Testhausen“",
            ),
            (
                "content/seiten/ueber.md",
                lines["page"],
                "Seitentext: „Testhusen“ ist eine andere Schreibweise von „Testhausen“",
            ),
        ]
    )
    assert all("„Testhausen“ schreiben" in p.hint for p in found)


def test_a_circular_source_is_a_warning(planted: tuple[Path, list[Problem], dict[str, int]]) -> None:
    _project, problems, lines = planted
    found = {(p.file, p.line): p.message for p in warnings_about(problems, "einzige Quelle")}
    assert found[("glossary.yaml", lines["testdorf-sources"])] == (
        "Eintrag „Testdorf“: Die einzige Quelle ist ein Artikel dieser Ausgabe"
    )
    assert found[(f"content/artikel/{OLDER}.notes.yaml", lines["note-sources"])] == (
        "Anmerkung „testnotiz“: Die einzige Quelle ist ein Artikel dieser Ausgabe"
    )
    assert not [message for message in found.values() if "Testfluss" in message or "Testhausen" in message]


def test_stats_list_the_warnings_per_file(planted: tuple[Path, list[Problem], dict[str, int]]) -> None:
    project, _problems, lines = planted
    text = "\n".join(stats_lines(prepare_site(project, search=False)))
    section = text[text.index("Offene Warnungen:") :]
    notes = f"content/artikel/{OLDER}.notes.yaml"
    assert re.search(rf"^{re.escape(notes)} \(\d+\)$", section, re.M)
    assert f"  Zeile {lines['note-text']}: Anmerkung „testnotiz“: „Testhusen“ ist eine andere Schreibweise" in section
    assert re.search(r"^glossary\.yaml \(\d+\)$", section, re.M)


def test_check_prints_the_warnings_as_file_line_col(
    planted: tuple[Path, list[Problem], dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    from edition.commands import run_check

    project, _problems, lines = planted
    assert run_check(project) == 0
    err = capsys.readouterr().err
    assert (
        f"glossary.yaml:{lines['testdorf-sources']}:1: Warnung: Eintrag „Testdorf“: "
        "Die einzige Quelle ist ein Artikel dieser Ausgabe" in err
    )


# --- the stand, as readers see it -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stand_site(planted: tuple[Path, list[Problem], dict[str, int]]) -> Path:
    """The planted edition, built; Testhausen appears in an article so that it gets a tooltip."""
    project, _problems, _lines = planted
    out = project / "site"
    build_site(project, out, use_cache=False, base_url="http://127.0.0.1:8000/")  # a feed and a sitemap too
    return out


def test_readers_see_the_stand_of_an_entry_and_a_note(stand_site: Path) -> None:
    entry = (stand_site / "glossar/testhausen/index.html").read_text(encoding="utf-8")
    assert '<span class="stand">(Stand: Oktober 2025)</span>' in entry
    index = (stand_site / "glossar/index.html").read_text(encoding="utf-8")
    assert "(Stand: Oktober 2025)" in index
    article = (stand_site / f"artikel/{OLDER}/index.html").read_text(encoding="utf-8")
    assert '<span class="stand">(Stand: Februar 2024)</span>' in article  # the note
    tooltip = re.search(r'<span role="tooltip" id="tt-testhausen"[^>]*>(.*?)</span></li>', article, re.S)
    assert tooltip and "(Stand: Oktober 2025)" in tooltip.group(1)


# --- the rule for variant spellings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "form", "kind", "variant"),
    [
        ("Kim Jong Un", "Kim Jong-un", "person", True),  # hyphen
        ("NATO", "Nato", "organisation", True),  # capitals inside the word
        ("Pjöngjang", "Pyongyang", "place", True),  # another transliteration
        ("Choe Son-hui", "Choe Sun-hui", "person", True),
        ("Koreakrieg", "Korea-Krieg", "event", True),
        ("Juche", "Dschutsche", "concept", True),  # one word for one word
        ("Wladimir Putin", "Putin", "person", False),  # shorter
        ("Wladimir Putin", "Wladimir Wladimirowitsch Putin", "person", False),  # longer
        ("Weißes Haus", "Weißen Haus", "place", False),  # inflected
        ("Koreanische Halbinsel", "koreanische Halbinsel", "place", False),  # capital at a word's start
        ("Ferner Osten Russlands", "Russlands Fernem Osten", "place", False),  # another word order
        ("Vereinte Nationen", "UN", "organisation", False),  # abbreviation
        ("KCNA", "Korean Central News Agency", "organisation", False),  # what it stands for
        ("National Intelligence Service (NIS)", "südkoreanische Geheimdienst", "organisation", False),
        ("Russischer Krieg gegen die Ukraine", "Krieg in der Ukraine", "event", False),  # a paraphrase
    ],
)
def test_which_forms_are_variant_spellings(term: str, form: str, kind: str, variant: bool) -> None:
    assert is_variant_form(term, form, kind) is variant


@pytest.mark.parametrize(
    ("stand", "warned"),
    [("2025-11", None), ("2025-10", "mehr als ein Jahr älter"), ("2026-11", None), ("2026-12", "liegt nach")],
)
def test_a_stand_is_measured_in_months_against_the_editions(stand: str, warned: str | None) -> None:
    problem = stand_warning("glossary.yaml", 7, "Eintrag „X“", PartialDate.parse(stand), PartialDate.parse("2026-11"))
    assert (problem.message if problem else None) == (None if warned is None else problem.message)
    assert warned is None or (problem and warned in problem.message and problem.line == 7)


def test_the_real_edition_has_no_stale_stand() -> None:
    # The edition's own date is set; every stand: is measured against it.
    assert re.search(r'(?m)^stand: "\d{4}-\d{2}"$', (ROOT / "content/edition.yaml").read_text(encoding="utf-8"))
    problems = prepare_site(ROOT, search=False).problems
    assert warnings_about(problems, "mehr als ein Jahr älter") == []


def test_own_articles_are_recognised_by_address_headline_or_text_file() -> None:
    settings = Settings("Ausgabe", "Untertitel", "Beschreibung", "Redaktion", "https://example.org/ausgabe/")
    article = Article(
        slug="2019-04-gipfel",
        title="Kim trifft Putin",
        summary=None,
        date=PartialDate.parse("2019-04"),
        seed="001_abc.txt",
        caption=None,
        credit=None,
        teaser=False,
    )
    own = OwnArticles(settings, (article,))
    assert own.named_by(SourceRef("Bericht", "https://example.org/ausgabe/artikel/2019-04-gipfel/"))
    assert own.named_by(SourceRef("Bericht", "../../artikel/2019-04-gipfel/#a-1"))
    assert own.named_by(SourceRef("„Kim trifft Putin“, April 2019", None))
    assert own.named_by(SourceRef("Textvorlage 001_abc.txt", None))
    assert not own.named_by(SourceRef("Bericht", "https://example.org/ausgabe/artikel/2019-04-gipfel-2/"))
    assert not own.named_by(SourceRef("Kim trifft Xi, Reuters", None))
    assert not OwnArticles(settings, ()).named_by(SourceRef("Kim trifft Putin", None))
