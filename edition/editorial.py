"""The edition's own texts (definitions, notes, summaries, headlines) and their dates and sources in, editors'
warnings out: stale `stand:` dates, variant spellings of glossary names, and sources that are only the edition's
own articles. The articles' words are never checked: they stay as the source wrote them."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import ahocorasick

from .dates import PartialDate
from .glossary import Glossary, SourceRef
from .model import Article, Manuscript, Page, Settings
from .notes import Annotations
from .problems import Problem
from .resolve import Resolved
from .terms import ENDINGS, TermMatcher

# A `stand:` older than the edition's own date by more than this many months is stale.
STALE_AFTER_MONTHS = 12
# Kinds whose forms are names: any form that is not an inflection, a shorter or longer form of the name, an
# abbreviation or a description is another spelling of it. Events and concepts are often found by paraphrases
# ("Krieg in der Ukraine"), so only their respellings count (see `is_variant_form`).
NAMED_KINDS = frozenset({"person", "place", "organisation", "publication"})
# Endings of German declension, stripped when comparing words ("Weißen Haus" is "Weißes Haus").
INFLECTION_ENDINGS = tuple(sorted({*ENDINGS, "e", "em", "er"} - {""}, key=len, reverse=True))
_QUOTED = re.compile(r"„[^“”\n]*[“”]|»[^«\n]*«|\"[^\"\n]*\"")
_OWN_EDITION = re.compile(r"\bdiese[rsnm]?\s+(?:Lese)?[Aa]usgabe\b")
_WORD_EDGES = ".,;:()[]"


@dataclass(frozen=True)
class OwnText:
    """A text the edition's editors wrote: where it starts, whose entry it belongs to (never checked against
    itself), and what it is, for the message."""

    file: str
    line: int
    text: str
    what: str
    entry: str | None = None
    offsets: tuple[int, ...] | None = None  # where each file line starts in the text; None: at its line breaks

    def line_at(self, position: int) -> int:
        """The file line of a position in the text."""
        if self.offsets is None:
            return self.line + self.text[:position].count("\n")
        return self.line + bisect_right(self.offsets, position) - 1


# --- currency ----------------------------------------------------------------------------------------------


def months_between(earlier: PartialDate, later: PartialDate) -> int:
    """Whole months from one month to another (days ignored)."""
    return (later.year * 12 + later.month) - (earlier.year * 12 + earlier.month)


def stand_warning(file: str, line: int, what: str, stand: PartialDate, edition: PartialDate) -> Problem | None:
    """A warning when a `stand:` is more than a year older than the edition's own, or later than it."""
    age = months_between(stand, edition)
    if age > STALE_AFTER_MONTHS:
        return Problem(
            file,
            line,
            1,
            f"{what}: Stand {stand.german()} ist mehr als ein Jahr älter als die Ausgabe ({edition.german()})",
            "Die Angabe mit aktuellen Quellen prüfen, dann stand: auf den Monat der Prüfung setzen.",
            "warning",
        )
    if age < 0:
        return Problem(
            file,
            line,
            1,
            f"{what}: Stand {stand.german()} liegt nach dem Stand der Ausgabe ({edition.german()})",
            "stand: in content/edition.yaml nachziehen oder den Monat hier berichtigen.",
            "warning",
        )
    return None


def check_currency(settings: Settings, glossary: Glossary, annotations: Mapping[str, Annotations]) -> list[Problem]:
    """Every `stand:` of the glossary and the notes measured against the edition's date in `edition.yaml`."""
    if settings.stand is None:
        return []
    found = [
        stand_warning(glossary.file, e.stand_line, f"Eintrag „{e.term}“", e.stand, settings.stand)
        for e in glossary.entries
        if e.stand
    ]
    for slug in sorted(annotations):
        notes = annotations[slug]
        found += [
            stand_warning(notes.file, n.stand_line, f"Anmerkung „{n.id}“", n.stand, settings.stand)
            for n in notes.notes
            if n.stand
        ]
    return [problem for problem in found if problem]


# --- house spelling -------------------------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    """The words of a written form, punctuation at their edges dropped, capitals at their start lowered
    (a name at a sentence's start or an adjective in a name is still the same word)."""
    words = [w.strip(_WORD_EDGES) for w in unicodedata.normalize("NFC", text).split()]
    return [w[:1].lower() + w[1:] for w in words if w]


def stem(word: str) -> str:
    """A word without its German declension ending, for comparing inflected forms."""
    for ending in INFLECTION_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def stems_of(text: str) -> list[str]:
    """The stems of a form's words, hyphenated words taken apart (Primorje-Region: primorj, region)."""
    return [stem(part) for word in words_of(text) for part in word.split("-") if part]


def letters(text: str) -> str:
    """Only the letters and digits of a text, case folded: what stays when hyphens, spaces and case go."""
    return "".join(c for c in unicodedata.normalize("NFC", text).casefold() if c.isalnum())


def is_abbreviation(text: str) -> bool:
    """One word of mostly capitals, at least two (UN, DVRK, PdAK, KCNA; not Primorje-Region)."""
    capitals = sum(c.isupper() for c in text)
    return " " not in text and capitals >= 2 and 2 * capitals >= sum(c.isalpha() for c in text)


def is_subsequence(short: list[str], long: list[str]) -> bool:
    """Whether the words of `short` stand in `long`, in order (gaps allowed)."""
    remaining = iter(long)
    return all(word in remaining for word in short)


def is_variant_form(term: str, form: str, kind: str) -> bool:
    """Whether `form` spells the entry's name differently, rather than inflecting, shortening, lengthening,
    abbreviating or describing it; the edition's own text should then use the term."""
    if letters(form) == letters(term):
        # Only hyphens, spaces or capitals inside a word differ (Kim Jong-un, Nato, Korea-Krieg); capitals at
        # a word's start alone (koreanische Halbinsel) are no other spelling.
        return words_of(form) != words_of(term)
    term_stems, form_stems = stems_of(term), stems_of(form)
    if sorted(term_stems) == sorted(form_stems):
        return False  # an inflection, or the same words in another order
    if is_subsequence(form_stems, term_stems) or is_subsequence(term_stems, form_stems):
        return False  # a shorter or longer form of the name (Putin, Wladimir Wladimirowitsch Putin)
    if is_abbreviation(form) or is_abbreviation(term):
        return False  # an abbreviation, or what it stands for
    if form[:1].islower():
        return False  # a description (südkoreanische Geheimdienst), not a name
    if kind in NAMED_KINDS:
        return True
    return len(term_stems) == len(form_stems) == 1  # one word for one word: Dschutsche for Juche


def variant_forms(glossary: Glossary) -> dict[str, str]:
    """Each written form that is a variant spelling, with its entry's id."""
    return {
        unicodedata.normalize("NFC", form): entry.id
        for entry in glossary.entries
        for form in entry.forms
        if is_variant_form(entry.term, form, entry.kind)
    }


def own_texts(
    glossary: Glossary,
    annotations: Mapping[str, Annotations],
    articles: tuple[Article, ...],
    manuscripts: Mapping[str, Manuscript],
    pages: tuple[Page, ...] = (),
) -> Iterator[OwnText]:
    """Every text the editors wrote: definitions and entry texts, notes, headlines and summaries, and the pages
    kept in `content/` (a guide included from elsewhere, like EDITING.md, quotes variants as examples)."""
    for entry in glossary.entries:
        yield OwnText(
            glossary.file,
            entry.definition_line or entry.line,
            entry.definition,
            "Definition",
            entry.id,
            entry.definition_offsets,
        )
        if entry.text:
            yield OwnText(glossary.file, entry.text_line, entry.text, "Text", entry.id)
    for slug in sorted(annotations):
        for note in annotations[slug].notes:
            yield OwnText(
                annotations[slug].file, note.text_line, note.text, f"Anmerkung „{note.id}“", None, note.text_offsets
            )
    for article in articles:
        file = manuscripts[article.slug].source.file
        yield OwnText(file, article.title_line, article.title, "Überschrift")
        if article.summary:
            yield OwnText(file, article.summary_line, article.summary, "Zusammenfassung")
    for page in pages:
        if page.source.file.startswith("content/"):
            yield OwnText(page.source.file, page.source.body_line, page.body, "Seitentext")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where the text quotes someone („…“, »…«, "…"): quoted words are another's and stay as written."""
    return [match.span() for match in _QUOTED.finditer(text)]


def check_spelling(
    glossary: Glossary,
    annotations: Mapping[str, Annotations],
    articles: tuple[Article, ...],
    manuscripts: Mapping[str, Manuscript],
    pages: tuple[Page, ...] = (),
) -> list[Problem]:
    """A warning for each variant spelling of a glossary name in the edition's own texts, at its line. An
    entry's own definition and text may name its other spellings; quotations are left alone."""
    variants = variant_forms(glossary)
    if not variants:
        return []
    matcher = TermMatcher(glossary)
    entries = glossary.by_id
    problems: dict[Problem, None] = {}  # one warning per line and spelling, however often it stands there
    for own in own_texts(glossary, annotations, articles, manuscripts, pages):
        quoted = quoted_spans(own.text)
        for match in matcher.find(own.text):
            if match.form not in variants or match.entry == own.entry:
                continue
            if any(start <= match.start < end for start, end in quoted):
                continue
            entry = entries[match.entry]
            written = own.text[match.start : match.end]
            problems.setdefault(
                Problem(
                    own.file,
                    own.line_at(match.start),
                    1,
                    f"{own.what}: „{written}“ ist eine andere Schreibweise von „{entry.term}“",
                    f"Im eigenen Text der Ausgabe „{entry.term}“ schreiben (die Schreibweise des Glossars); "
                    "die Artikel behalten ihre.",
                    "warning",
                )
            )
    return list(problems)


# --- sources --------------------------------------------------------------------------------------------------


_ARTICLE_PATH = re.compile(r"artikel/([^/?#]+)")


class OwnArticles:
    """The edition's articles as a source may name them: by address (their slugs), or by headline or text file
    in its title, all found in one pass over the title (an Aho-Corasick automaton), so that checking every
    source costs as much as the sources, not the sources times the articles."""

    def __init__(self, settings: Settings, articles: tuple[Article, ...]) -> None:
        self.base = settings.url
        self.slugs = frozenset(article.slug for article in articles)
        self.names = ahocorasick.Automaton()
        for name in sorted({unicodedata.normalize("NFC", n) for a in articles for n in (a.title, a.seed) if n}):
            self.names.add_word(name, name)
        if len(self.names):
            self.names.make_automaton()

    def named_by(self, source: SourceRef) -> bool:
        """Whether a source is one of the articles: its address lies below the edition's `artikel/`, or its
        title names an article (its headline or text file) or „diese Ausgabe“."""
        if source.url:
            url = source.url.removeprefix(self.base) if self.base else source.url
            return any(found in self.slugs for found in _ARTICLE_PATH.findall(url))
        title = unicodedata.normalize("NFC", source.title)
        if _OWN_EDITION.search(title):
            return True
        return bool(len(self.names)) and next(self.names.iter(title), None) is not None


def circular_warning(
    file: str, line: int, what: str, sources: tuple[SourceRef, ...], own: OwnArticles
) -> Problem | None:
    """A warning when every source named is one of the edition's own articles."""
    if not sources or not all(own.named_by(s) for s in sources):
        return None
    return Problem(
        file,
        line,
        1,
        f"{what}: Die einzige Quelle ist ein Artikel dieser Ausgabe",
        "Eine unabhängige Quelle ergänzen, die die Angabe belegt (der Artikel selbst belegt nur, was er sagt), "
        "oder die Angabe streichen.",
        "warning",
    )


def check_sources(
    settings: Settings, glossary: Glossary, annotations: Mapping[str, Annotations], articles: tuple[Article, ...]
) -> list[Problem]:
    """Entries and notes that rest only on the edition's own articles (a circular source)."""
    own = OwnArticles(settings, articles)
    found = [
        circular_warning(glossary.file, e.sources_line or e.line, f"Eintrag „{e.term}“", e.sources, own)
        for e in glossary.entries
    ]
    for slug in sorted(annotations):
        notes = annotations[slug]
        found += [
            circular_warning(notes.file, n.sources_line or n.line, f"Anmerkung „{n.id}“", n.sources, own)
            for n in notes.notes
        ]
    return [problem for problem in found if problem]


def editorial_warnings(resolved: Resolved, annotations: Mapping[str, Annotations]) -> list[Problem]:
    """All three checks of the edition's own texts: currency, house spelling, sources."""
    edition, glossary = resolved.edition, resolved.glossary
    pages = (edition.intro, *edition.pages)
    return (
        check_currency(edition.settings, glossary, annotations)
        + check_spelling(glossary, annotations, resolved.timeline, edition.manuscripts, pages)
        + check_sources(edition.settings, glossary, annotations, resolved.timeline)
    )
