"""The importer: seeds reproduce content/, unseen news text survives word for word, refusals."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import CORPORA, ROOT, SEEDS, normalize_space, reading_text, seed_reading_text

from edition.commands import run_import
from edition.importer import escape_markdown, looks_like_subheading, parse_raw_text, to_markdown
from edition.links import LinkTargets
from edition.load import split_front_matter
from edition.markup import make_markdown

ARTICLES = sorted((ROOT / "content" / "artikel").glob("*.md"))


def front_matter_value(text: str, key: str) -> str | None:
    """One value of a file's front matter, read plainly (the importer writes JSON-style strings)."""
    match = re.search(rf'^{key}: "?(.*?)"?$', text, re.M)
    return match.group(1) if match else None


def body_of(path: Path) -> str:
    """The Markdown body of an article file."""
    _head, body, _line, _problems = split_front_matter(path.read_text(encoding="utf-8"), path.name)
    return body


def render_text(markdown: str) -> str:
    """Reading text of Markdown rendered by the edition's parser."""
    return reading_text(f'<div class="article-body">{make_markdown(LinkTargets({})).render(markdown)}</div>')


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_import_of_each_seed_gives_the_body_in_content(article: Path, tmp_path: Path) -> None:
    text = article.read_text(encoding="utf-8")
    seed = SEEDS / front_matter_value(text, "seed")
    status = run_import(
        seed,
        tmp_path,
        title=front_matter_value(text, "title"),
        date=front_matter_value(text, "date"),
        slug=article.stem,
        summary=None,
    )
    assert status == 0
    assert body_of(tmp_path / article.name) == body_of(article)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_content_front_matter_keeps_the_seeds_caption_and_date(article: Path) -> None:
    text = article.read_text(encoding="utf-8")
    imported = parse_raw_text((SEEDS / front_matter_value(text, "seed")).read_text(encoding="utf-8"))
    assert front_matter_value(text, "caption") == imported.caption
    # The seed's date line is kept as source_date:; the date may only be more precise (the day from the text).
    assert front_matter_value(text, "source_date") == (imported.date.iso() if imported.date else None)
    assert front_matter_value(text, "date").startswith(imported.date.iso() if imported.date else "")


def test_recognises_date_caption_credit_teaser_and_subheadings() -> None:
    imported = parse_raw_text((SEEDS / "002_7dc4208fc35f2326.txt").read_text(encoding="utf-8"))
    assert imported.date.iso() == "2024-06"
    assert imported.caption.startswith("Eine Stadt in Weiß-Blau-Rot:")
    assert imported.credit == "dpa/AP/Pool Sputnik Kremlin/Vladimir Smirnov"
    assert imported.teaser
    assert [b.text for b in imported.blocks if b.kind == "heading"] == [
        "Partnerschaftsvertrag mit Beistandsklausel",
        "Kim spricht von multipolarer Welt",
        "Moskau braucht Waffen, Pjöngjang Technologie",
        "Russland braucht Arbeiter, Nordkorea Devisen",
        "Neues Ziel für russische Touristen",
    ]


def test_non_breaking_space_before_credit_is_recognised() -> None:
    imported = parse_raw_text((SEEDS / "000_6978de1069469adc.txt").read_text(encoding="utf-8"))
    assert (imported.date, imported.caption, imported.credit) == (
        None,
        "Kim Jong Un besteigt den Zug nach Wladiwostok.",
        "AFP/STR",
    )


@pytest.mark.parametrize(
    "line, heading",
    [
        ('Peskow spricht von "heiklen Themen"', True),
        ("Moskau braucht Munition - Pjöngjang russische Technologie", True),
        ("Das Forum dauert noch bis zum Mittwoch.", False),
        ('Er sagte: "Wir kommen."', False),
        ("2024", False),
    ],
)
def test_subheadings_are_short_lines_without_end_punctuation(line: str, heading: bool) -> None:
    assert looks_like_subheading(line) is heading


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_seed_words_survive_import_and_rendering(seed: Path) -> None:
    imported = parse_raw_text(seed.read_text(encoding="utf-8"))
    caption = f"{imported.caption} Foto: {imported.credit} " if imported.caption else ""
    assert normalize_space(caption + render_text(to_markdown(imported))) == seed_reading_text(seed)


def read_corpus() -> list[str]:
    """The unseen German news texts of 10kGNAD's test split."""
    with (CORPORA / "10kGNAD-test.csv").open(encoding="utf-8", newline="") as handle:
        return [row[1] for row in csv.reader(handle, delimiter=";", quotechar="'")]


def test_unseen_news_texts_survive_import_word_for_word() -> None:
    texts = read_corpus()
    assert len(texts) > 1000
    lost = [text[:80] for text in texts if render_text(to_markdown(parse_raw_text(text))) != normalize_space(text)]
    assert lost == []


def test_importing_unseen_text_writes_a_buildable_article(tmp_path: Path) -> None:
    source = tmp_path / "standard.txt"
    source.write_text(read_corpus()[7], encoding="utf-8")
    assert run_import(source, tmp_path / "artikel", title="Ein Test", date="2016-05", slug=None, summary=None) == 0
    written = tmp_path / "artikel" / "2016-05-ein-test.md"
    assert 'date: "2016-05"' in written.read_text(encoding="utf-8")


def test_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = SEEDS / "003_592809cd2da8dfed.txt"
    assert run_import(seed, tmp_path, title="Gipfel", date=None, slug="gipfel", summary=None) == 0
    before = (tmp_path / "gipfel.md").read_bytes()
    assert run_import(seed, tmp_path, title="Anders", date=None, slug="gipfel", summary=None) == 1
    assert (tmp_path / "gipfel.md").read_bytes() == before
    assert "wird nicht überschrieben" in capsys.readouterr().err


def test_refuses_a_text_without_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = SEEDS / "000_6978de1069469adc.txt"
    assert run_import(seed, tmp_path, title="Zug", date=None, slug=None, summary=None) == 1
    assert list(tmp_path.iterdir()) == []
    error = capsys.readouterr().err
    assert "000_6978de1069469adc.txt:1:1" in error and "--date" in error


def test_refuses_a_malformed_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = SEEDS / "000_6978de1069469adc.txt"
    assert run_import(seed, tmp_path, title="Zug", date="2023-13", slug=None, summary=None) == 1
    assert "Monat 13" in capsys.readouterr().err


# Characters that mean something to Markdown, mixed with words, spaces and line breaks.
markdownish = st.text(
    alphabet=st.sampled_from(list("abmptlg Zü1234567890.)(#>-+*_=~`[]<>!&;:\\|\"'„“»«\u00a0\t\n")), max_size=60
) | st.lists(  # quotes and lists nested past markdown-it's limit, where it would drop the words
    st.sampled_from(["> " * 25, "- " * 25, "> - " * 12, "WORT", " ", "\n"]), max_size=8
).map("".join)


@settings(max_examples=400, deadline=None)
@given(markdownish)
def test_escaped_text_renders_as_itself(text: str) -> None:
    for paragraph in filter(str.strip, re.split(r"\n\s*\n", text)):
        assert render_text(escape_markdown(paragraph.strip())) == normalize_space(paragraph)
