"""glossary.yaml: every editor's mistake named at its line with a hint; the pages built from the glossary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import ROOT, reading_text

from edition.glossary import KIND_LABELS, german_sort_key, load_glossary
from edition.problems import BuildFailed
from edition.resolve import check_entry_paths
from edition.site import build_site
from edition.terms import PASSAGES_PER_ARTICLE

ENTRY = """\
juche:
  term: Juche
  kind: concept
  definition: Staatsideologie Nordkoreas.
  sources: [{title: Lexikon, url: "https://example.org/juche"}]
"""


def problems_for(tmp_path: Path, text: str) -> list[tuple[int, str, str, str]]:
    """(line, severity, message, hint) of each problem in a glossary with `text`."""
    (tmp_path / "glossary.yaml").write_text(text, encoding="utf-8")
    _glossary, problems = load_glossary(tmp_path / "glossary.yaml", tmp_path)
    assert all(p.file == "glossary.yaml" for p in problems)
    return [(p.line, p.severity, p.message, p.hint) for p in problems]


def test_unknown_key_is_named_at_its_line(tmp_path: Path) -> None:
    [(line, severity, message, hint)] = problems_for(tmp_path, ENTRY + "  defintion: Tippfehler\n")
    assert (line, severity, message) == (6, "error", "Unbekannter Schlüssel „defintion“")
    assert "definition" in hint


def test_missing_definition_and_bad_kind_are_reported_together(tmp_path: Path) -> None:
    text = ENTRY.replace("  definition: Staatsideologie Nordkoreas.\n", "") + ENTRY.replace("juche", "kim").replace(
        "kind: concept", "kind: Person"
    )
    found = problems_for(tmp_path, text)
    assert [(line, message) for line, _s, message, _h in found] == [
        (2, "Pflichtfeld „definition“ fehlt"),
        (7, "„kind“: „Person“ ist nicht erlaubt"),
    ]
    # the hint lists every kind allowed, among them the lower-case "person" the editor meant
    hint = found[1][3]
    assert sorted(re.findall(r"\b[a-z]+\b", hint.split(":", 1)[1])) == sorted(KIND_LABELS)


def test_two_entries_claiming_one_form(tmp_path: Path) -> None:
    text = (
        ENTRY + "juche-ideologie:\n  term: Juche-Ideologie\n  kind: concept\n  forms: [Juche]\n"
        "  definition: Dasselbe.\n  sources: [{title: x}]\n"
    )
    [(line, severity, message, hint)] = problems_for(tmp_path, text)
    assert (line, severity) == (9, "error")
    assert message == "Die Schreibweise „Juche“ gehört schon zum Eintrag „juche“ (Zeile 2)"
    assert "nur einen Eintrag" in hint


def test_see_reference_to_a_missing_entry(tmp_path: Path) -> None:
    [(line, _s, message, _h)] = problems_for(tmp_path, ENTRY + "  see: [kim-il-sung]\n")
    assert (line, message) == (6, "Verweis auf einen Eintrag „kim-il-sung“, den es nicht gibt")


def test_yaml_syntax_error(tmp_path: Path) -> None:
    [(line, _s, message, hint)] = problems_for(tmp_path, ENTRY.replace("term: Juche", "term: [Juche"))
    assert line in (2, 3) and message.startswith("YAML-Syntaxfehler") and "Einrückung" in hint


def test_duplicate_entry_id(tmp_path: Path) -> None:
    [(line, _s, message, _h)] = problems_for(tmp_path, ENTRY + ENTRY)
    assert (line, message) == (6, "Der Schlüssel „juche“ steht hier zum zweiten Mal")


def test_only_http_and_relative_source_urls(tmp_path: Path) -> None:
    [(line, _s, message, hint)] = problems_for(
        tmp_path, ENTRY.replace("https://example.org/juche", "javascript:alert(1)")
    )
    assert line == 5 and "hat nicht die erwartete Form" in message and "http" in hint


def test_long_definition_and_place_without_coordinates_are_warnings(tmp_path: Path) -> None:
    text = ENTRY.replace("Staatsideologie Nordkoreas.", "Eins. Zwei. Drei.").replace("kind: concept", "kind: place")
    assert [(line, severity) for line, severity, _m, _h in problems_for(tmp_path, text)] == [
        (4, "warning"),
        (1, "warning"),
    ]


def test_german_order_sorts_umlauts_with_their_letter() -> None:
    terms = ["Peking", "Östliches Wirtschaftsforum", "Oleg Koschemjako", "Ahn Chan-il", "Zug", "Ölpreis"]
    assert sorted(terms, key=german_sort_key) == [
        "Ahn Chan-il",
        "Oleg Koschemjako",
        "Ölpreis",
        "Östliches Wirtschaftsforum",
        "Peking",
        "Zug",
    ]


# --- the build with the glossary ----------------------------------------------------------------


def break_glossary(project: Path, *changes: tuple[str, str]) -> None:
    """Apply text replacements to the project's glossary, making sure each one was there."""
    glossary = project / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    glossary.write_text(text, encoding="utf-8")


def test_glossary_errors_fail_the_build_all_at_once_and_leave_site(project: Path) -> None:
    site = project / "site"
    build_site(project, site)
    before = sorted(p.read_bytes() for p in site.rglob("*") if p.is_file())
    break_glossary(
        project,
        ("  term: Juche\n", "  term: Juche\n  farbe: rot\n"),
        ("  term: Chassan\n", "  term: Chassan\n  groesse: 3\n"),
    )
    with pytest.raises(BuildFailed) as failure:
        build_site(project, site)
    assert {(p.file, p.message) for p in failure.value.problems} == {
        ("glossary.yaml", "Unbekannter Schlüssel „farbe“"),
        ("glossary.yaml", "Unbekannter Schlüssel „groesse“"),
    }
    assert sorted(p.read_bytes() for p in site.rglob("*") if p.is_file()) == before


def test_checks_across_entries_report_every_problem_at_once(project: Path) -> None:
    break_glossary(
        project,
        ("see: [kim-jong-il, kim-il-sung,", "see: [kim-jong-ill, kim-il-sung,"),
        ("  forms: [Kim Jong-il]", "  forms: [Kim Jong-il, Kim Jong-un]"),
    )
    with pytest.raises(BuildFailed) as failure:
        build_site(project, project / "site")
    messages = sorted(p.message for p in failure.value.problems)
    assert len(messages) == 2
    assert messages[0].startswith("Die Schreibweise „Kim Jong-un“ gehört schon zum Eintrag „kim-jong-un“")
    assert messages[1] == "Verweis auf einen Eintrag „kim-jong-ill“, den es nicht gibt"


def test_schema_errors_and_errors_across_entries_are_reported_together(project: Path) -> None:
    break_glossary(
        project,
        ("  term: Juche\n", "  term: Juche\n  farbe: rot\n"),
        ("see: [kim-jong-il, kim-il-sung,", "see: [kim-jong-ill, kim-il-sung,"),
    )
    with pytest.raises(BuildFailed) as failure:
        build_site(project, project / "site")
    problems = failure.value.problems
    assert len(problems) == 2 and {p.file for p in problems} == {"glossary.yaml"}
    assert any("farbe" in p.message for p in problems) and any("kim-jong-ill" in p.message for p in problems)


def test_broken_glossary_link_in_entry_text_fails_at_its_line(project: Path) -> None:
    glossary = project / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8").replace("](glossar:kim-il-sung)", "](glossar:kim-il-sun)", 1)
    glossary.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "glossar:kim-il-sun)" in row)
    with pytest.raises(BuildFailed) as failure:
        build_site(project, project / "site")
    [problem] = failure.value.problems
    assert (problem.file, problem.line) == ("glossary.yaml", line)
    assert problem.message == "Verweis auf Glossareintrag „kim-il-sun“, den es nicht gibt"


def test_script_in_definition_and_javascript_link_in_text(project: Path) -> None:
    glossary = project / "glossary.yaml"
    original = glossary.read_text(encoding="utf-8")
    entry = (
        ENTRY.replace("juche", "testeintrag")
        .replace("Juche", "Testeintrag")
        .replace("definition: Staatsideologie Nordkoreas.", 'definition: "Ideologie <script>alert(1)</script>"')
    )
    glossary.write_text(original + entry + '  text: "[klick](javascript:alert(1))"\n', encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build_site(project, project / "site")
    [problem] = failure.value.problems
    assert (problem.line, problem.message) == (
        len(original.splitlines()) + 6,
        "Die Adresse „javascript:alert(1)“ ist nicht erlaubt",
    )
    glossary.write_text(original + entry, encoding="utf-8")
    build_site(project, project / "site")
    page = (project / "site/glossar/testeintrag/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "Ideologie &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_entry_used_nowhere_is_a_warning(project: Path) -> None:
    glossary = project / "glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8") + ENTRY.replace("juche", "kimchi").replace("Juche", "Kimchi"),
        encoding="utf-8",
    )
    report = build_site(project, project / "site")
    assert [p.message for p in report.warnings] == ["Der Eintrag „Kimchi“ kommt in keinem Artikel vor"]


def article(site: Path, slug: str) -> str:
    """An article page's HTML."""
    return (site / "artikel" / slug / "index.html").read_text(encoding="utf-8")


def test_first_occurrence_gets_the_tooltip_in_the_page(built_site: Path) -> None:
    html = article(built_site, "2019-04-gipfel-in-wladiwostok")
    assert len(re.findall(r'<a class="term" [^>]*aria-describedby="tt-juche"', html)) == 1
    tooltip = re.search(r'<span role="tooltip" id="tt-juche" data-edition>(.*?)</span>', html)
    assert tooltip and "Staatsideologie Nordkoreas" in tooltip.group(1)
    described = set(re.findall(r'<a class="term" [^>]*aria-describedby="(tt-[a-z0-9-]+)"', html))
    tooltips = set(re.findall(r'<span role="tooltip" id="(tt-[a-z0-9-]+)"', html))
    assert described <= tooltips  # every term's description is in the page, once


def test_every_article_lists_the_terms_it_uses(built_site: Path) -> None:
    for page in (built_site / "artikel").glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        listed = re.search(r'<section class="term-list".*?</section>', html, re.S).group(0)
        used = set(re.findall(r' id="m-([a-z0-9-]+)-\d+"', html.split('<section class="term-list"')[0]))
        linked = set(re.findall(r'href="\.\./\.\./glossar/([a-z0-9-]+)/"', listed))
        assert used == linked, page


def test_glossary_index_is_an_a_to_z_with_one_line_per_entry(built_site: Path) -> None:
    html = (built_site / "glossar/index.html").read_text(encoding="utf-8")
    terms = re.findall(r'<a class="index-term" href="[^"]+">([^<]+)</a>', html)
    glossary, _ = load_glossary(ROOT / "glossary.yaml", ROOT)
    assert glossary and len(terms) == len(glossary.entries) and terms == sorted(terms, key=german_sort_key)
    assert '<h2 id="buchstabe-o">O</h2>' in html and "Östliches Wirtschaftsforum" in html.split('id="buchstabe-o"')[1]
    # The first sentence only: the second of the definition stands on the entry's page.
    assert "Staatsideologie Nordkoreas, begründet von Kim Il Sung; das koreanische Wort" in html
    assert "Sie betont politische, wirtschaftliche" not in html
    assert "George W. Bush im Januar 2002" in html  # an initial does not end the sentence


def test_glossary_has_a_page_per_kind(built_site: Path) -> None:
    places = (built_site / "glossar/orte/index.html").read_text(encoding="utf-8")
    terms = re.findall(r'<a class="index-term" href="\.\./\.\./glossar/([^/]+)/">', places)
    assert "pjoengjang" in terms and "kim-jong-un" not in terms
    assert '<a href="../../glossar/orte/" aria-current="page">Orte</a>' in places


def test_every_occurrence_is_a_deep_link_that_exists(built_site: Path) -> None:
    links = []
    for entry in (built_site / "glossar").glob("*/index.html"):
        html = entry.read_text(encoding="utf-8")
        links += re.findall(r'href="\.\./\.\./(artikel/[^/]+/)#(m-[a-z0-9-]+)"', html)
    assert len(links) > 150
    for path, anchor in set(links):
        assert f'id="{anchor}"' in (built_site / path / "index.html").read_text(encoding="utf-8")


def test_occurrences_name_each_paragraph_once(built_site: Path) -> None:
    for entry in (built_site / "glossar").glob("*/index.html"):
        html = entry.read_text(encoding="utf-8")
        if "Kommt vor in:" not in html:
            continue
        listed = html[html.index("Kommt vor in:") : html.index("</p>", html.index("Kommt vor in:"))]
        for group in re.findall(r"\((.*?)\)[;.]", listed, re.S):
            places = re.findall(r">((?:Zwischenüberschrift vor )?Absatz \d+)</a>", group)
            assert len(places) == len(set(places)), (entry, places)


def test_an_entry_may_not_take_a_kind_page_address(tmp_path: Path) -> None:
    (tmp_path / "glossary.yaml").write_text(ENTRY.replace("juche:", "orte:"), encoding="utf-8")
    glossary, _problems = load_glossary(tmp_path / "glossary.yaml", tmp_path)
    assert glossary is not None
    [problem] = check_entry_paths(glossary)
    assert (problem.line, problem.message) == (1, "Der Eintrag „orte“ belegt die Adresse einer Glossarseite")


def test_entry_page_is_a_register_with_sentences(built_site: Path) -> None:
    html = (built_site / "glossar/chassan/index.html").read_text(encoding="utf-8")
    register = html[html.index('id="stellen"') :]
    # one line per occurrence marked in the articles
    marked = sum(
        len(re.findall(r'id="m-chassan-\d+"', page.read_text(encoding="utf-8")))
        for page in (built_site / "artikel").glob("*/index.html")
    )
    assert register.count("<li>") == marked >= 1
    assert "zunächst in der Grenzstadt <mark>Chassan</mark> russischen Boden betreten." in register
    assert 'href="../../artikel/2019-04-gipfel-in-wladiwostok/#m-chassan-1"' in register


def test_reading_text_with_glossary_still_equals_the_seed(built_site: Path) -> None:
    html = article(built_site, "2024-06-putin-in-pjoengjang")
    assert "Kim Jong-un empfing seinen Gast mitten in der Nacht" in reading_text(html)
    assert "Machthaber Nordkoreas" not in reading_text(html)


def test_an_entry_page_quotes_twelve_passages_per_article_and_counts_the_rest(project: Path) -> None:
    article = project / "content/artikel/2019-04-gipfel-in-wladiwostok.md"
    text = article.read_text(encoding="utf-8")
    extra = "".join(f"\nDie Kaiserin Wu war nicht dabei, Nummer {n}.\n" for n in range(PASSAGES_PER_ARTICLE + 3))
    article.write_text(text + extra, encoding="utf-8")
    glossary = project / "glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + "\nkaiserin-wu:\n  term: Kaiserin Wu\n  kind: person\n  definition: Eine Gestalt nur dieses Tests.\n"
        "  sources: [{title: Test}]\n",
        encoding="utf-8",
    )
    build_site(project, project / "site")
    html = (project / "site/glossar/kaiserin-wu/index.html").read_text(encoding="utf-8")
    register = html[html.index('id="stellen"') :]
    assert register.count("<blockquote>") == PASSAGES_PER_ARTICLE
    assert "… und 3 weitere Stellen in" in register
    paragraphs = re.findall(r"Absatz \d+</a>", register.split("<ol>")[0])
    assert len(paragraphs) == PASSAGES_PER_ARTICLE and " und 3 weitere)" in register.split("<ol>")[0]
