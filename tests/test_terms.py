"""The glossary rule: fixtures for each case, properties over any text and glossary, real German text."""

from __future__ import annotations

import collections
import csv
import re
import string
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file
from support import CORPORA, ROOT, reading_text, well_formed_errors

from edition import render, terms
from edition.dates import PartialDate
from edition.glossary import Entry, Glossary, load_glossary
from edition.links import LinkTargets
from edition.markup import make_markdown, render_markdown
from edition.model import Article, Tally
from edition.resolve import Mention
from edition.terms import ENDINGS, PASSAGES_PER_ARTICLE, TermMatcher, glossary_plugin
from edition.tokens import is_word_character

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_glossary() -> Glossary:
    """The small glossary of the fixture tests."""
    glossary, problems = load_glossary(FIXTURES / "glossary.yaml", FIXTURES)
    assert glossary is not None, problems
    return glossary


def plain_parser() -> MarkdownIt:
    """markdown-it-py as it comes, raw HTML off as in the edition."""
    return MarkdownIt("commonmark", {"html": False})


@pytest.mark.parametrize(
    "line, title, source, expected",
    read_fixture_file(FIXTURES / "glossary_rule.md"),
    ids=lambda value: str(value)[:40] if isinstance(value, str) else None,
)
def test_rule_fixture(line: int, title: str, source: str, expected: str) -> None:
    md = plain_parser().use(glossary_plugin, fixture_glossary())
    assert md.render(source) == expected


def test_rule_reports_every_occurrence_with_paragraph_and_sentence() -> None:
    md = plain_parser().use(glossary_plugin, fixture_glossary())
    env: dict = {}
    md.render("## Putin reist\n\nErster Satz. Dann kam Putin nach Pjöngjang. Putin blieb.\n\nKim Jong Un.\n", env)
    seen = [(o.entry, o.block, o.heading, o.tooltip, o.text, o.sentence) for o in env["terms"]]
    assert seen == [
        ("wladimir-putin", 1, True, False, "Putin", "Putin reist"),
        ("wladimir-putin", 1, False, True, "Putin", "Dann kam Putin nach Pjöngjang."),
        ("pjoengjang", 1, False, True, "Pjöngjang", "Dann kam Putin nach Pjöngjang."),
        ("wladimir-putin", 1, False, False, "Putin", "Putin blieb."),
        ("kim-jong-un", 2, False, True, "Kim Jong Un", "Kim Jong Un."),
    ]


def test_each_document_starts_afresh() -> None:
    md = plain_parser().use(glossary_plugin, fixture_glossary())
    first, second = {}, {}
    md.render("Kim Jong Un und Kim.", first)
    md.render("Kim allein.", second)
    assert [o.text for o in first["terms"]] == ["Kim Jong Un", "Kim"]
    assert second["terms"] == []


def test_only_what_a_reader_can_reach_is_marked_and_every_occurrence_is_counted() -> None:
    md = plain_parser().use(glossary_plugin, fixture_glossary())
    env: dict = {}
    paragraphs = 2 * PASSAGES_PER_ARTICLE
    html = md.render("".join("Putin traf Putin. Juche und Juche.\n\n" for _ in range(paragraphs)), env)
    putin = [o for o in env["terms"] if o.entry == "wladimir-putin"]
    # The register quotes the first twelve and lists the first twelve paragraphs: those are anchored, each
    # numbered as the occurrence it is, so an anchor names the same words whatever is marked around it.
    both = PASSAGES_PER_ARTICLE // 2
    expected = [*range(1, 2 * both + 1), *range(2 * both + 1, 2 * PASSAGES_PER_ARTICLE, 2)]
    assert [o.anchor for o in putin] == [f"m-wladimir-putin-{n}" for n in expected]
    assert [o.block for o in putin][-1] == PASSAGES_PER_ARTICLE
    assert html.count('id="m-wladimir-putin-') == len(expected) and html.count("Putin") == 2 * paragraphs
    # An `every:` entry's tooltips are all marked: each is a link a reader follows.
    assert sum(o.entry == "juche" for o in env["terms"]) == 2 * paragraphs
    assert env["tallies"] == [
        Tally("wladimir-putin", 2 * paragraphs, paragraphs),
        Tally("juche", 2 * paragraphs, paragraphs),
    ]


class CountingAutomaton:
    """Stands in for a matcher's automaton and records the work asked of it: each scan's length, the hits."""

    def __init__(self, automaton: object) -> None:
        self.automaton = automaton
        self.scans: list[int] = []
        self.hits = 0

    def __len__(self) -> int:
        return len(self.automaton)

    def iter(self, text: str):
        self.scans.append(len(text))
        for hit in self.automaton.iter(text):
            self.hits += 1
            yield hit


def test_matcher_cost_does_not_depend_on_terms_one_automaton() -> None:
    def person(n: int) -> Entry:
        return Entry(
            f"e{n}", f"Name{n} Nachname{n}", "person", (f"N{n}",), (), "D.", None, (), None, (), False, (), 1, 1
        )

    text = "Heute kamen Name19999 Nachname19999 und N7, aber nicht Nx7 oder N7x."
    work = {}
    for size, entries in (("two", (person(7), person(19999))), ("twenty thousand", tuple(map(person, range(20000))))):
        matcher = TermMatcher(Glossary(entries))
        matcher.automaton = counting = CountingAutomaton(matcher.automaton)
        assert [m.entry for m in matcher.find(text)] == ["e19999", "e7"]
        work[size] = (len(counting), counting.scans, counting.hits)
    # One automaton holds all 40,000 forms, the text is scanned once, and the work after the scan is one step
    # per form found in the text: the same for two entries as for twenty thousand.
    assert work["twenty thousand"][0] == 40000
    assert work["two"][1:] == work["twenty thousand"][1:] == ([len(text)], 3)


# --- properties ---------------------------------------------------------------------------------

WORDS = ["Kim", "Putin", "Juche", "Pjöngjang", "Nordkorea", "Jong", "Un", "und", "der", "Kimono", "Treffen"]
markdown_text = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(list(" \n\n*_`[]()#>-!.,\"„“»«'s")),
        st.text(alphabet=string.ascii_letters + "äöüß", min_size=1, max_size=6),
        # Quotes and lists nested past markdown-it's limit (`maxNesting`), where it drops the rest silently.
        st.integers(min_value=15, max_value=30).map(lambda depth: "\n" + "> " * depth),
        st.integers(min_value=8, max_value=16).map(lambda depth: "\n" + "".join("  " * i + "- " for i in range(depth))),
    ),
    max_size=60,
).map("".join)
forms = st.lists(
    st.sampled_from([*WORDS, "Kim Jong Un", "Jong Un", "Putins", "Treffen und"]), min_size=1, max_size=6, unique=True
)


def random_glossary(full: list[str], short: list[str], every: bool) -> Glossary:
    """A glossary whose entries claim the given forms, one form each, some of them short forms."""
    short = [s for s in short if s not in full]
    entries = [
        Entry(f"e{i}", form, "concept", (), (), "Definition <b>&", None, (), None, (), every, (), 1, 1)
        for i, form in enumerate(full)
    ]
    entries += [
        Entry(f"s{i}", f"Lang{i}", "concept", (), (form,), "Kurz", None, (), None, (), False, (), 1, 1)
        for i, form in enumerate(short)
    ]
    return Glossary(tuple(entries))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_text, forms, forms, st.booleans())
def test_reading_text_is_unchanged_and_html_well_formed(
    text: str, full: list[str], short: list[str], every: bool
) -> None:
    md = plain_parser().use(glossary_plugin, random_glossary(full, short, every))
    html = md.render(text)
    assert well_formed_errors(html) == []
    wrap = '<div class="article-body">{}</div>'
    assert reading_text(wrap.format(html)) == reading_text(wrap.format(plain_parser().render(text)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_text, forms, forms, st.booleans())
def test_no_word_vanishes_unreported(text: str, full: list[str], short: list[str], every: bool) -> None:
    md = make_markdown(LinkTargets({}, frozenset({"glossar", "artikel", "seite"})), random_glossary(full, short, every))
    rendered, problems = render_markdown(md, text)
    unlimited = MarkdownIt("commonmark", {"html": False, "maxNesting": 10_000})
    wrap = '<div class="article-body">{}</div>'
    if not any("verschachtelt" in p.message for p in problems):
        assert reading_text(wrap.format(rendered.html)) == reading_text(wrap.format(unlimited.render(text)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(st.sampled_from(["Putin", "Kim", "Kim Jong Un", "und", "#"]), max_size=12), max_size=40),
    st.integers(min_value=1, max_value=4),
)
def test_an_entry_page_shows_what_it_would_if_every_occurrence_were_marked(lines: list[list[str]], cut: int) -> None:
    text = "\n\n".join(" ".join(words) for words in lines)
    article = Article("a", "A", None, PartialDate.parse("2024"), None, None, None, False)

    def register(limit: int) -> list[tuple]:
        env: dict = {}
        with (
            mock.patch.object(terms, "PASSAGES_PER_ARTICLE", limit),
            mock.patch.object(render, "PASSAGES_PER_ARTICLE", cut),
        ):
            plain_parser().use(glossary_plugin, fixture_glossary()).render(text, env)
            tallies = {tally.entry: {"a": tally} for tally in env["tallies"]}
            return [
                (entry, render.register_of(tuple(Mention(article, o) for o in env["terms"] if o.entry == entry), found))
                for entry, found in tallies.items()
            ]

    # Marking only what a register of `cut` passages can show loses nothing it shows or counts.
    assert register(cut) == register(10**6)


def commonmark_examples() -> list[str]:
    """The Markdown of every example in the CommonMark spec (tabs are written as → there)."""
    spec = (CORPORA / "commonmark-spec.txt").read_text(encoding="utf-8")
    fence = "`" * 32
    found = re.findall(rf"^{fence} example\n(.*?)^\.\n(.*?)^{fence}$", spec, re.M | re.S)
    return [markdown.replace("→", "\t") for markdown, _html in found]


def test_spec_examples_render_byte_identical_when_nothing_matches() -> None:
    examples = commonmark_examples()
    assert len(examples) > 600
    nothing = random_glossary(["Qxqxyzzy"], ["Zyzzyqx"], False)
    md = MarkdownIt("commonmark").use(glossary_plugin, nothing)
    plain = MarkdownIt("commonmark")
    assert [n for n, example in enumerate(examples) if md.render(example) != plain.render(example)] == []


def test_spec_examples_keep_their_reading_text_when_words_match() -> None:
    examples = commonmark_examples()
    words = random_glossary(["foo", "bar", "baz", "Foo", "a", "b", "c", "hello", "link"], ["x"], True)
    md = MarkdownIt("commonmark").use(glossary_plugin, words)
    plain = MarkdownIt("commonmark")
    wrap = '<div class="article-body">{}</div>'
    marked = changed = 0
    for example in examples:
        html = md.render(example)
        marked += 'class="term"' in html
        if reading_text(wrap.format(html)) != reading_text(wrap.format(plain.render(example))):
            changed += 1
    assert marked > 200 and changed == 0


# --- real, unseen German text ------------------------------------------------------------------


def corpus_texts() -> list[str]:
    """The 10kGNAD test split's articles."""
    with (CORPORA / "10kGNAD-test.csv").open(encoding="utf-8", newline="") as handle:
        return [row[1] for row in csv.reader(handle, delimiter=";", quotechar="'")]


def frequent_names(texts: list[str]) -> list[str]:
    """The corpus's frequent capitalised words and two-word names (people, places, parties)."""
    singles = collections.Counter(w for t in texts for w in re.findall(r"\b[A-ZÄÖÜ][a-zäöüß]{3,}\b", t))
    pairs = collections.Counter(p for t in texts for p in re.findall(r"\b[A-ZÄÖÜ][a-zäöüß]+ [A-ZÄÖÜ][a-zäöüß]+\b", t))
    return [w for w, _ in singles.most_common(150)] + [p for p, _ in pairs.most_common(60)]


def oracle(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    """Leftmost-longest whole-word matches with German endings, by plain regular expressions."""
    candidates = []
    for name in names:
        if name not in text:  # no match can start without the name itself: skip its expression
            continue
        pattern = rf"(?<!\w){re.escape(name)}(?:{'|'.join(e for e in ENDINGS if e)})?(?!\w)"
        candidates += [(m.start(), m.end(), name) for m in re.finditer(pattern, text)]
    candidates.sort(key=lambda c: (c[0], c[0] - c[1], -len(c[2])))
    chosen: list[tuple[int, int, str]] = []
    for candidate in candidates:
        if not chosen or candidate[0] >= chosen[-1][1]:
            chosen.append(candidate)
    return chosen


def test_matching_real_german_news_finds_every_form_and_nothing_inside_words() -> None:
    texts = corpus_texts()
    names = frequent_names(texts)
    glossary = Glossary(
        tuple(
            Entry(f"e{i}", name, "concept", (), (), "D", None, (), None, (), False, (), 1, 1)
            for i, name in enumerate(names)
        )
    )
    by_id = {e.id: e.term for e in glossary.entries}
    matcher = TermMatcher(glossary)
    total = 0
    for text in texts:
        found = matcher.find(text)
        for match in found:
            assert match.start == 0 or not is_word_character(text[match.start - 1])
            assert match.end == len(text) or not is_word_character(text[match.end])
        assert [(m.start, m.end, by_id[m.entry]) for m in found] == oracle(text, names)
        total += len(found)
    assert total > 10000


def test_the_editions_glossary_loads_and_finds_its_required_terms() -> None:
    glossary, problems = load_glossary(ROOT / "glossary.yaml", ROOT)
    assert glossary is not None and [p for p in problems if p.severity == "error"] == []
    required = [
        "Juche",
        "Primorje",
        "Chosun Ilbo",
        "Kim Jong Un",
        "Kim Jong Il",
        "Kim Il Sung",
        "Wladimir Putin",
        "Dmitri Peskow",
        "Sergej Schoigu",
        "Jake Sullivan",
        "Yoon Suk Yeol",
        "Jens Stoltenberg",
        "Andrei Lankow",
        "Konstantin Asmolow",
        "Jeong Young-tae",
        "Ahn Chan-il",
        "Oleg Koschemjako",
        "Alexander Koslow",
        "Pjöngjang",
        "Wladiwostok",
        "Chassan",
        "Kosmodrom Wostotschny",
        "TASS",
        "KCNA",
        "Interfax",
        "Ria Nowosti",
        "Koreakrieg",
        "Shahed",
        "Achse des Bösen",
    ]
    forms = {form for entry in glossary.entries for form in entry.full_forms}
    assert [term for term in required if term not in forms] == []
