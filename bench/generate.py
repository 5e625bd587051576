#!/usr/bin/env python3
"""German news texts in (10kGNAD test split, seeds), a synthetic edition project for the benchmark out."""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import shutil
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    # Run as a script (`python bench/generate.py`), the edition's package is not importable otherwise.
    sys.path.insert(0, str(PROJECT))

from edition.dates import PartialDate  # noqa: E402
from edition.importer import Block, ImportedText, article_file, parse_raw_text, slugify  # noqa: E402

CORPUS = Path("/work/shared/corpora/10kGNAD-test.csv")
SEEDS = Path("/work/shared/seeds")
MARKER = ".benchgen"
GENERATED = ("content", "templates", "static", "glossary.yaml", MARKER)

# A sentence ends at . ! ? … (and closing quotes) before a capital; the same rule as edition/glossary.py, copied
# so that the generator needs nothing beyond the standard library and edition/importer.py.
SENTENCE_END = re.compile(r"(?<![0-9])(?<!\b[A-Z])[.!?…][\"“”»«)]*\s+(?=[A-ZÄÖÜ„\"»(])")
QUOTE_MARKS = '"„“”»«'
MAX_SENTENCE_CHARS = 600
FILE_MIN_BYTES, FILE_MAX_BYTES = 4200, 5900
BODY_MIN_BYTES, BODY_MAX_BYTES = 3900, 5100
QUOTED_START_EVERY = 4  # every fourth article opens with a text that has quotation marks
LINK_EVERY = 10
TITLE_MAX_CHARS, SUMMARY_MAX_CHARS = 80, 200
FIRST_MONTH, MONTHS = 2010 * 12, 16 * 12  # 2010-01 … 2025-12
HEADING_FALLBACKS = ("Weitere Einzelheiten", "Die Hintergründe", "Wie es weitergeht", "Reaktionen und Folgen")

WORD_TOKEN = re.compile(r"[^\W_]+")
ENDINGS = ("ns", "en", "es", "s", "n")  # German endings the term rule accepts after any form
DETERMINERS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "kein",
        "keine",
        "keinen",
        "keinem",
        "keiner",
        "dieser",
        "diese",
        "dieses",
        "diesem",
        "diesen",
        "jeder",
        "jede",
        "jedes",
        "jedem",
        "jeden",
        "sein",
        "seine",
        "seinem",
        "seinen",
        "seiner",
        "ihr",
        "ihre",
        "ihrem",
        "ihren",
        "ihrer",
        "unser",
        "unsere",
        "unserem",
        "unseren",
        "mein",
        "meine",
        "zum",
        "zur",
        "vom",
        "im",
        "am",
        "beim",
        "ins",
        "ans",
    ]
)
# Endings of German abstract nouns; names that end so are rare enough to leave out.
NOUN_SUFFIXES = ("ung", "heit", "keit", "schaft", "tät", "nis", "ismus", "tum", "rechte")
PARTICLES = frozenset(
    [
        "von",
        "van",
        "der",
        "de",
        "den",
        "la",
        "le",
        "di",
        "da",
        "du",
        "del",
        "al",
        "el",
        "bin",
        "zu",
        "vom",
        "ter",
        "dos",
    ]
)
# Particles that may open a name in capitals (`Van der Bellen`, `De Gaulle`), but are no German words.
OPENING_PARTICLES = frozenset(["Van", "De", "Di", "Del", "Al", "El", "La", "Le", "Dos"])
KINDS = ("person", "place", "organisation", "publication", "event", "concept")
NOTE_KINDS = ("context", "update", "correction", "source")
SOURCE_TITLE = "10kGNAD-Korpus (Benchmark)"
NOTE_TEXTS = {
    "context": "Hintergrund zu dieser Stelle, geschrieben für den Benchmark der Ausgabe.",
    "update": "Nachtrag des Benchmarks: Was nach dem Erscheinen geschah, stünde hier.",
    "correction": "Korrektur des Benchmarks: Die Stelle wird hier zum Test berichtigt.",
    "source": "Die Angabe stammt aus dem 10kGNAD-Korpus, einer Sammlung österreichischer Nachrichten.",
}


# --- sources ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One source text: its name for `seed:`, its sentences (ids into the corpus), whether it has quotes."""

    name: str
    sentences: tuple[int, ...]
    quoted: bool


@dataclass(frozen=True)
class Corpus:
    """Every usable sentence of every source text, and the sources in a fixed order."""

    sentences: tuple[str, ...]
    sources: tuple[Source, ...]
    owners: tuple[int, ...]  # per sentence, the index of its source

    @property
    def quoted_sources(self) -> tuple[Source, ...]:
        """The sources with at least one quotation mark."""
        return tuple(source for source in self.sources if source.quoted)


def clean_text(text: str) -> str:
    """NFC, control characters dropped (YAML refuses them), whitespace runs as one space."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cn") else c for c in text)
    return re.sub(r"\s+", " ", text).strip()


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph, each with its end punctuation."""
    sentences, start = [], 0
    for boundary in SENTENCE_END.finditer(paragraph):
        sentences.append(paragraph[start : boundary.end()].strip())
        start = boundary.end()
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s and len(s) <= MAX_SENTENCE_CHARS and any(c.isalpha() for c in s)]


def read_corpus_texts(path: Path) -> list[tuple[str, list[str]]]:
    """The 10kGNAD texts as (name, paragraphs); each text is one paragraph."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";", quotechar="'"))
    return [(f"{path.name}#{number}", [clean_text(row[1])]) for number, row in enumerate(rows, 1) if len(row) > 1]


def read_seed_texts(folder: Path) -> list[tuple[str, list[str]]]:
    """The seed texts as (name, paragraphs), without date line, photo caption and subheadings."""
    texts = []
    for path in sorted(folder.glob("*.txt")):
        imported = parse_raw_text(path.read_text(encoding="utf-8"))
        texts.append((path.name, [clean_text(b.text) for b in imported.blocks if b.kind == "paragraph"]))
    return texts


def load_corpus(corpus: Path, seeds: Path) -> Corpus:
    """Split every source text into sentences; sources without a usable sentence are left out."""
    sentences: list[str] = []
    sources: list[Source] = []
    owners: list[int] = []
    for name, paragraphs in read_corpus_texts(corpus) + read_seed_texts(seeds):
        found = [s for paragraph in paragraphs for s in split_sentences(paragraph)]
        if not found:
            continue
        ids = tuple(range(len(sentences), len(sentences) + len(found)))
        sentences += found
        owners += [len(sources)] * len(found)
        quoted = any(mark in s for s in found for mark in QUOTE_MARKS)
        sources.append(Source(name, ids, quoted))
    return Corpus(tuple(sentences), tuple(sources), tuple(owners))


# --- articles --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """An article before it is written: front matter, blocks, and the sentences of its paragraphs."""

    number: int
    slug: str
    title: str
    summary: str
    date: PartialDate
    seed: str
    blocks: tuple[Block, ...]
    sentence_ids: tuple[int, ...]

    @property
    def reading_text(self) -> str:
        """The text a reader sees, blocks joined by blank lines, as the anchoring rule compares it."""
        return "\n\n".join(block.text for block in self.blocks)


def slug_for(number: int, total: int) -> str:
    """`bench-000001`, zero-padded so that file names sort in order."""
    return f"bench-{number:0{max(6, len(str(total)))}d}"


def stream_sentences(corpus: Corpus, rng: random.Random, number: int) -> Iterator[int]:
    """Consecutive sentences of one source text from a random start, then of further random texts."""
    pool = corpus.quoted_sources if number % QUOTED_START_EVERY == 0 and corpus.quoted_sources else corpus.sources
    source = pool[rng.randrange(len(pool))]
    start = 0 if rng.random() < 0.5 else rng.randrange(len(source.sentences) // 2 + 1)
    yield from source.sentences[start:]
    while True:
        yield from corpus.sources[rng.randrange(len(corpus.sources))].sentences


def group_paragraphs(ids: Sequence[int], rng: random.Random) -> list[list[int]]:
    """Paragraphs of 2–5 consecutive sentences (one sentence only if the article has only one)."""
    paragraphs, position = [], 0
    while position < len(ids):
        remaining = len(ids) - position
        size = remaining if remaining <= 5 else rng.randint(2, min(5, remaining - 2))
        paragraphs.append(list(ids[position : position + size]))
        position += size
    return paragraphs


def make_subheading(sentence: str, rng: random.Random) -> str | None:
    """2–6 words from the start of a sentence, without punctuation, or None if it has too few plain words."""
    words = []
    for chunk in sentence.split():
        core = chunk.strip(".,;:!?…()[]\"'„“”»«‚‘’–-")
        if not WORD_TOKEN.fullmatch(core.replace("-", "")):
            break
        words.append(core)
        if core != chunk.lstrip('"„»«(‚‘'):
            break  # punctuation after the word ends the phrase
    words = words[: rng.randint(2, 6)]
    return " ".join(words) if len(words) >= 2 else None


def lay_out(ids: Sequence[int], corpus: Corpus, rng: random.Random) -> list[Block]:
    """Paragraphs of 2–5 sentences, a subheading before every third or fourth paragraph after the first ones."""
    blocks: list[Block] = []
    paragraphs = group_paragraphs(ids, rng)
    until_heading = rng.choice((3, 4))
    for index, paragraph in enumerate(paragraphs):
        sentences = [corpus.sentences[i] for i in paragraph]
        if index and until_heading == 0:
            heading = make_subheading(sentences[rng.randrange(len(sentences))], rng)
            blocks.append(Block("heading", heading or HEADING_FALLBACKS[index % len(HEADING_FALLBACKS)]))
            until_heading = rng.choice((3, 4))
        blocks.append(Block("paragraph", " ".join(sentences)))
        until_heading -= 1
    return blocks


def make_title(sentence: str) -> str:
    """The first words of a sentence, at most 80 characters, without trailing punctuation."""
    title = ""
    for word in sentence.split():
        longer = f"{title} {word}".strip()
        if len(longer) > TITLE_MAX_CHARS:
            break
        title = longer
    title = (title or sentence[:TITLE_MAX_CHARS]).rstrip(" .,;:–-")
    return title or "Ohne Überschrift"


def make_summary(sentence: str) -> str:
    """The sentence itself, or its first words and an ellipsis when it is longer than 200 characters."""
    if len(sentence) <= SUMMARY_MAX_CHARS:
        return sentence
    cut = sentence[: SUMMARY_MAX_CHARS - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"


def pick_date(rng: random.Random) -> PartialDate:
    """A month between 2010-01 and 2025-12; every second date to the day."""
    month = FIRST_MONTH + rng.randrange(MONTHS)
    day = rng.randint(1, 28) if rng.random() < 0.5 else 0
    return PartialDate(month // 12, month % 12 + 1, day)


def estimate_bytes(ids: Sequence[int], corpus: Corpus) -> int:
    """Roughly how many bytes these sentences take in a body (a space or a paragraph break after each)."""
    return sum(len(corpus.sentences[i].encode("utf-8")) + 1 for i in ids)


def render_article(draft: Draft) -> str:
    """The article file as the importer writes one: front matter, then the escaped blocks."""
    imported = ImportedText(date=draft.date, caption=None, credit=None, teaser=False, blocks=draft.blocks)
    return article_file(
        imported, title=draft.title, date=draft.date, slug=draft.slug, seed=draft.seed, summary=draft.summary
    )


def compose_article(corpus: Corpus, number: int, total: int, seed: int) -> tuple[Draft, str]:
    """One article of 4–6 KB from consecutive sentences, and its file text; the same number gives the same one."""
    rng = random.Random(f"{seed}:article:{number}")
    stream = stream_sentences(corpus, random.Random(f"{seed}:sources:{number}"), number)
    target = rng.randint(BODY_MIN_BYTES, BODY_MAX_BYTES)
    ids: list[int] = []
    while estimate_bytes(ids, corpus) < target:
        ids.append(next(stream))
    date, layout_seed = pick_date(rng), rng.random()
    while True:
        blocks = tuple(lay_out(ids, corpus, random.Random(layout_seed)))
        first = corpus.sentences[ids[0]]
        draft = Draft(
            number,
            slug_for(number, total),
            make_title(first),
            make_summary(first),
            date,
            ", ".join(source_names(corpus, ids)),
            blocks,
            tuple(ids),
        )
        text = render_article(draft)
        size = len(text.encode("utf-8"))
        if size < FILE_MIN_BYTES:
            ids.append(next(stream))
        elif size > FILE_MAX_BYTES and len(ids) > 2:
            ids.pop()
        else:
            return draft, text


def source_names(corpus: Corpus, ids: Sequence[int]) -> list[str]:
    """The names of the source texts these sentences come from, in order of first use."""
    indexes = dict.fromkeys(corpus.owners[i] for i in ids)
    return [corpus.sources[index].name for index in indexes]


# --- notes and cross-links ------------------------------------------------------------------------


def try_passage(paragraph: str, used: list[tuple[int, int]], text: str, rng: random.Random) -> tuple[int, int] | None:
    """A random run of 3–8 words inside the paragraph (not its first or last word), free and unique in `text`."""
    words = [m.span() for m in re.finditer(r"\S+", paragraph)]
    if len(words) < 5:
        return None
    length = min(rng.randint(3, 8), len(words) - 2)
    first = rng.randint(1, len(words) - 1 - length)
    start, end = words[first][0], words[first + length - 1][1]
    if any(start < other_end and other_start < end for other_start, other_end in used):
        return None
    quote = paragraph[start:end]
    found = text.find(quote)
    if found < 0 or text.find(quote, found + 1) >= 0:
        return None
    return start, end


def pick_passages(draft: Draft, wanted: int, rng: random.Random) -> list[str]:
    """Up to `wanted` quotes that each occur once in the article, spread over its paragraphs, none overlapping."""
    text = draft.reading_text
    paragraphs = [i for i, block in enumerate(draft.blocks) if block.kind == "paragraph"]
    if not paragraphs:
        return []
    order = rng.sample(paragraphs, len(paragraphs))
    used: dict[int, list[tuple[int, int]]] = {}
    quotes: list[str] = []
    for attempt in range(wanted * 40):
        if len(quotes) == wanted:
            break
        index = order[attempt % len(order)]
        span = try_passage(draft.blocks[index].text, used.setdefault(index, []), text, rng)
        if span:
            used[index].append(span)
            quotes.append(draft.blocks[index].text[span[0] : span[1]])
    return quotes


def quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(value, ensure_ascii=False)


def note_lines(number: int, position: int, quote: str, notes_per_article: int) -> list[str]:
    """One note in YAML: kinds rotate over context, update, correction and source across the edition."""
    kind = NOTE_KINDS[((number - 1) * notes_per_article + position - 1) % len(NOTE_KINDS)]
    lines = [f"  - id: anmerkung-{position}", f"    kind: {kind}"]
    if kind == "update":
        lines.append('    written: "2026-11"')
    lines.append(f"    quote: {quoted(quote)}")
    if kind == "correction":
        first_word = quote.split()[0].strip(".,;:!?…()\"'„“”»«–-") or quote
        lines.append(f"    correct: {quoted(first_word)}")
    lines.append(f"    text: {quoted(NOTE_TEXTS[kind])}")
    if position % 2:
        lines.append("    sources: []")
    else:
        lines += ["    sources:", f"      - {{title: {quoted(SOURCE_TITLE)}}}"]
    return lines


def notes_file(draft: Draft, notes: int, total: int, seed: int) -> tuple[str, int, int]:
    """The article's notes file with up to `notes` notes, and a cross-link in every tenth article; and the counts."""
    rng = random.Random(f"{seed}:notes:{draft.number}")
    link_target = None
    if draft.number % LINK_EVERY == 0 and total > 1:
        link_target = rng.randrange(1, total)
        link_target += link_target >= draft.number  # any article but this one
    quotes = pick_passages(draft, notes + (link_target is not None), rng)
    note_quotes = quotes[:notes]
    lines = [
        "# yaml-language-server: $schema=../../schemas/notes.schema.json",
        f"# Synthetische Anmerkungen zu „{draft.slug}“ für den Benchmark.",
    ]
    lines.append("notes:" if note_quotes else "notes: []")
    for position, quote in enumerate(note_quotes, 1):
        lines += note_lines(draft.number, position, quote, notes)
    link_quotes = quotes[notes:]
    if link_target is not None and link_quotes:
        lines += ["links:", f"  - quote: {quoted(link_quotes[0])}", f"    article: {slug_for(link_target, total)}"]
    else:
        lines.append("links: []")
    return "\n".join(lines) + "\n", len(note_quotes), len(link_quotes)


# --- glossary: finding names ------------------------------------------------------------------------


def token_spans(sentence: str) -> list[tuple[int, int]]:
    """Where each run of letters and digits stands; a form of the glossary starts and ends at such runs."""
    return [m.span() for m in WORD_TOKEN.finditer(sentence)]


def word_spans(sentence: str, tokens: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Tokens joined by hyphens into words (`Mikl-Leitner` is one word, `SPÖ Chef` two)."""
    words: list[tuple[int, int]] = []
    for start, end in tokens:
        if words and sentence[words[-1][1] : start] == "-":
            words[-1] = (words[-1][0], end)
        else:
            words.append((start, end))
    return words


def is_capitalised(word: str) -> bool:
    """Every hyphen-joined part starts with a capital letter."""
    return all(part[:1].isupper() for part in word.split("-"))


@dataclass
class WordStats:
    """How a capitalised word is used: how often, after an article or an adjective or number, at a sentence start."""

    total: int = 0
    determined: int = 0
    modified: int = 0
    initial: int = 0


@dataclass
class Usage:
    """How a candidate name is used: how often, how often followed or preceded by another name word."""

    total: int = 0
    continued: int = 0
    preceded: int = 0


class NameFinder:
    """Tells names from ordinary capitalised nouns by how the corpus uses them."""

    def __init__(self, sentences: Sequence[str], spans: Sequence[list[tuple[int, int]]]) -> None:
        self.sentences, self.spans = sentences, spans
        self.stats: dict[str, WordStats] = {}
        self.lowercase: set[str] = set()
        for sentence, words in zip(sentences, spans, strict=True):
            self.count_words(sentence, words)
        # Role nouns have a feminine form (Kanzler/Kanzlerin, Präsident/Präsidentin); first names do not.
        self.roles = {word.lower() for word in self.stats if len(word) >= 4 and word + "in" in self.stats}

    def count_words(self, sentence: str, words: Sequence[tuple[int, int]]) -> None:
        """Add one sentence's words to the statistics."""
        for index, (start, end) in enumerate(words):
            word = sentence[start:end]
            if word[0].islower():
                self.lowercase.add(word)
                continue
            stats = self.stats.setdefault(word, WordStats())
            stats.total += 1
            stats.initial += index == 0
            if not index:
                continue
            before, gap = sentence[slice(*words[index - 1])], sentence[words[index - 1][1] : start]
            if gap == " ":
                # "der" in "Van der Bellen" is a particle, not an article
                in_name = index >= 2 and sentence[slice(*words[index - 2])].lower() in PARTICLES
                stats.determined += before.lower() in DETERMINERS and not in_name
                stats.modified += before.isdigit() or (
                    before[0].islower()
                    and before.lower() not in DETERMINERS
                    and before.endswith(("e", "en", "er", "es", "em"))
                )
            elif gap == ". " and before.isdigit():
                stats.modified += 1  # an ordinal: "in der 23. Minute"

    def is_name(self, word: str) -> bool:
        """A capitalised word that never appears in lower case, seldom after an article or adjective, and
        mostly not at a sentence start; acronyms always count."""
        if not is_capitalised(word) or word[0].lower() + word[1:] in self.lowercase:
            return False
        if len(word) >= 2 and word.isupper():
            return True
        stats = self.stats.get(word)
        if (
            not stats
            or not word[0].isalpha()
            or len(word) < 3
            or word.lower().endswith(NOUN_SUFFIXES)
            or self.is_role(word)
        ):
            return False
        return (stats.determined + stats.modified) / stats.total < 0.25 and stats.initial / stats.total < 0.5

    def is_role(self, word: str) -> bool:
        """A title or role (`Vizekanzler`, `US-Präsident`): it ends in a noun that has a feminine form."""
        lower = word.lower()
        return any(lower[start:] in self.roles for start in range(len(lower) - 3))

    def is_name_part(self, word: str) -> bool:
        """A capitalised word that may continue a name (`Kurz` in `Sebastian Kurz`), even if it is also a word."""
        stats = self.stats.get(word)
        return stats is not None and is_capitalised(word) and (stats.determined + stats.modified) / stats.total < 0.5

    def is_name_word(self, word: str) -> bool:
        """Whether a word looks like part of a name at all (for telling fragments of longer names)."""
        return is_capitalised(word) and word[:1].isalpha() and self.is_name_part(word) and not self.is_role(word)

    def phrase_ends(self, sentence: str, words: Sequence[tuple[int, int]], first: int) -> Iterator[int]:
        """The last word index of each name starting at word `first`: itself alone, or 2–3 words joined by spaces."""
        opening = sentence[slice(*words[first])]
        if opening not in OPENING_PARTICLES:  # an opening particle starts only names of several words
            if not self.is_name(opening):
                return
            yield first
        for last in range(first + 1, min(first + 3, len(words))):
            if sentence[words[last - 1][1] : words[last][0]] != " ":
                return
            word = sentence[slice(*words[last])]
            if word in PARTICLES:
                continue  # a particle may stand inside a name, never at its end
            if self.is_role(word) or not self.is_name_part(word):
                return
            yield last
            if not self.is_name(word):
                return  # only a name proper may stand inside a longer name

    def candidates(self) -> dict[str, Usage]:
        """Every single-word and 2–3-word name in the corpus, with how it is used."""
        found: dict[str, Usage] = {}
        for sentence, words in zip(self.sentences, self.spans, strict=True):
            for first in range(len(words)):
                for last in self.phrase_ends(sentence, words, first):
                    usage = found.setdefault(sentence[words[first][0] : words[last][1]], Usage())
                    usage.total += 1
                    usage.continued += self.is_continued(sentence, words, last)
                    usage.preceded += (
                        first > 0
                        and sentence[words[first - 1][1] : words[first][0]] == " "
                        and self.is_name_word(sentence[slice(*words[first - 1])])
                    )
        return found

    def is_continued(self, sentence: str, words: Sequence[tuple[int, int]], last: int) -> bool:
        """Whether another name word or a particle follows right after a space."""
        if last + 1 >= len(words) or sentence[words[last][1] : words[last + 1][0]] != " ":
            return False
        following = sentence[slice(*words[last + 1])]
        return following in PARTICLES or self.is_name_word(following)

    def fallback_words(self) -> list[str]:
        """Capitalised words that are not names by the rules above, for when too few names exist."""
        return sorted(
            word
            for word, stats in self.stats.items()
            if word[0].isalpha()
            and word[0].lower() + word[1:] not in self.lowercase
            and not self.is_name(word)
            and stats.initial < stats.total
        )


def is_whole_name(usage: Usage) -> bool:
    """Not a fragment of a longer name: mostly neither followed nor preceded by another name word."""
    return usage.continued / usage.total < 0.5 and usage.preceded / usage.total < 0.6


class PhraseIndex:
    """Written forms found in sentences the way the term rule finds them: whole words, German endings allowed."""

    def __init__(self, forms: Iterable[str]) -> None:
        self.forms = set(forms)
        self.first_tokens = {m.group() for m in map(WORD_TOKEN.match, self.forms) if m}
        self.initials = {form[0] for form in self.forms}
        self.width = max((len(WORD_TOKEN.findall(form)) for form in self.forms), default=1)

    def lookup(self, text: str) -> str | None:
        """The form `text` is written in: itself, or itself without a German ending."""
        if text in self.forms:
            return text
        for ending in ENDINGS:
            if text.endswith(ending) and text[: -len(ending)] in self.forms:
                return text[: -len(ending)]
        return None

    def spans_at(self, sentence: str, tokens: Sequence[tuple[int, int]], first: int) -> Iterator[tuple[int, str]]:
        """Each (last token, form) of a form starting at token `first`, the longest first."""
        token = sentence[slice(*tokens[first])]
        if token in self.first_tokens:
            widest = first + self.width
        elif token[0] in self.initials:
            widest = first + 1  # only the token itself, with a German ending
        else:
            return
        for last in range(min(widest, len(tokens)) - 1, first - 1, -1):
            form = self.lookup(sentence[tokens[first][0] : tokens[last][1]])
            if form:
                yield last, form

    def count(self, sentence: str, tokens: Sequence[tuple[int, int]]) -> Counter[str]:
        """Every occurrence of every form, overlapping ones too (for ranking by frequency)."""
        found: Counter[str] = Counter()
        for first in range(len(tokens)):
            found.update(form for _last, form in self.spans_at(sentence, tokens, first))
        return found

    def match(self, sentence: str, tokens: Sequence[tuple[int, int]]) -> list[str]:
        """The forms the term rule would mark: leftmost first, the longest where several start together."""
        found, first = [], 0
        while first < len(tokens):
            best = next(self.spans_at(sentence, tokens, first), None)
            if best:
                found.append(best[1])
                first = best[0] + 1
            else:
                first += 1
        return found


def rank_candidates(finder: NameFinder, used: Counter[int], spans: Sequence[list[tuple[int, int]]]) -> list[str]:
    """Names first, then other capitalised words; each group by frequency in the articles, then alphabetically.

    A name written with a German ending (`Österreichs`) counts for its base form when that is a name too, as the
    term rule would find it there."""
    usages = finder.candidates()
    names = [name for name in sorted(usages) if is_whole_name(usages[name])]
    fallback = [word for word in finder.fallback_words() if word not in usages]
    index = PhraseIndex(names + fallback)
    counts: Counter[str] = Counter()
    for sentence_id in sorted(used):
        found = index.count(finder.sentences[sentence_id], spans[sentence_id])
        for form, times in found.items():
            counts[form] += times * used[sentence_id]
    folded: dict[str, str] = {}
    for name in sorted(index.forms):
        base = next((name[: -len(e)] for e in ENDINGS if name.endswith(e) and name[: -len(e)] in index.forms), None)
        if base:
            folded[name] = base
            counts[base] += counts[name]

    def ranked(group: list[str]) -> list[str]:
        kept = [name for name in group if counts[name] and name not in folded]
        return sorted(kept, key=lambda name: (-counts[name], name))

    return ranked(names) + ranked(fallback)


# --- glossary: choosing and writing entries ---------------------------------------------------------


@dataclass
class Entry:
    """A glossary entry being chosen: its term, the other spellings that really occur, a short form."""

    term: str
    forms: list[str]
    short_form: str | None = None


def spelling_variants(term: str, finder: NameFinder) -> list[str]:
    """Other ways to write the same name: spaces and hyphens swapped, NATO/Nato, Jong-un/Jong-Un, ß/ss.

    A change of case only counts for words of four to six letters that are used like names (`UN` and `Un` in
    `Kim Jong Un` are different names; `der Standard` is a noun)."""
    variants = {term.replace(" ", "-"), term.replace("-", " "), term.replace("ß", "ss"), term.replace("ss", "ß")}
    for match in re.finditer(r"[ -]", term):
        other = "-" if match.group() == " " else " "
        variants.add(term[: match.start()] + other + term[match.end() :])
    for match in re.finditer(r"-([^\W\d_])", term):
        letter = match.group(1)
        flipped = letter.lower() if letter.isupper() else letter.upper()
        variants.add(term[: match.start(1)] + flipped + term[match.end(1) :])
    if " " not in term and "-" not in term and term[0].isalpha() and 4 <= len(term) <= 6:
        other = term[0] + term[1:].lower() if term.isupper() else term.upper()
        if finder.is_name(other) and finder.is_name(term):
            variants.add(other)
    variants.discard(term)
    return sorted(variants)


def existing_forms(
    terms: Iterable[str], used: Counter[int], sentences: Sequence[str], spans: Sequence[list[tuple[int, int]]]
) -> set[str]:
    """Which of these spellings occur in the articles."""
    index = PhraseIndex(terms)
    found: set[str] = set()
    for sentence_id in sorted(used):
        found.update(index.count(sentences[sentence_id], spans[sentence_id]))
    return found


def occurring_terms(
    entries: Sequence[Entry], used: Counter[int], sentences: Sequence[str], spans: Sequence[list[tuple[int, int]]]
) -> set[str]:
    """The terms of the entries the term rule would find at least once through a full form."""
    owner = {form: entry.term for entry in entries for form in [entry.term, *entry.forms]}
    shorts = {entry.short_form for entry in entries if entry.short_form}
    index = PhraseIndex([*owner, *shorts])
    found: set[str] = set()
    for sentence_id in sorted(used):
        found.update(owner[form] for form in index.match(sentences[sentence_id], spans[sentence_id]) if form in owner)
    return found


def choose_entries(
    ranked: Sequence[str], wanted: int, finder: NameFinder, used: Counter[int], spans: Sequence[list[tuple[int, int]]]
) -> list[Entry]:
    """The `wanted` most frequent names whose spellings are all unique and that the term rule finds in the
    articles; an entry hidden by a longer one is replaced by the next name in rank."""
    sentences = finder.sentences
    variants = {term: spelling_variants(term, finder) for term in ranked[: wanted * 3]}
    real = existing_forms(sorted({v for found in variants.values() for v in found}), used, sentences, spans)
    entries: list[Entry] = []
    rejected: set[str] = set()
    position = 0
    while True:
        claimed = {form for entry in entries for form in (entry.term, *entry.forms, entry.short_form) if form}
        while len(entries) < wanted and position < len(ranked):
            term = ranked[position]
            position += 1
            if term in claimed or term in rejected:
                continue
            forms = [v for v in variants.get(term, ()) if v in real and v not in claimed]
            entries.append(Entry(term, forms))
            claimed.update([term, *forms])
        give_short_forms(entries, claimed)
        occurring = occurring_terms(entries, used, sentences, spans)
        hidden = [entry for entry in entries if entry.term not in occurring]
        if not hidden:
            return entries
        rejected.update(entry.term for entry in hidden)
        entries = [entry for entry in entries if entry.term not in rejected]


def give_short_forms(entries: Sequence[Entry], claimed: set[str]) -> None:
    """Every second name of several words gets its last word as a short form, if no entry writes it already."""
    for rank, entry in enumerate(entries, 1):
        if entry.short_form is None and " " in entry.term and rank % 2:
            last = entry.term.rsplit(" ", 1)[1]
            if last not in claimed and last not in PARTICLES:
                entry.short_form = last
                claimed.add(last)


def entry_ids(entries: Sequence[Entry]) -> list[str]:
    """A unique ASCII id for each entry, from its term (`Österreich` → `oesterreich`, then `-2`, `-3` …)."""
    ids: list[str] = []
    taken: set[str] = set()
    for rank, entry in enumerate(entries, 1):
        base = slugify(entry.term) or f"eintrag-{rank}"
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(candidate)
        ids.append(candidate)
    return ids


def entry_lines(rank: int, entry_id: str, entry: Entry, ids: Sequence[str], seed: int) -> list[str]:
    """One glossary entry in YAML; kinds rotate, places get coordinates, some entries get dates and `see`."""
    rng = random.Random(f"{seed}:entry:{rank}")
    kind = KINDS[(rank - 1) % len(KINDS)]
    lines = [f"{entry_id}:", f"  term: {quoted(entry.term)}", f"  kind: {kind}"]
    if entry.forms:
        lines.append(f"  forms: [{', '.join(quoted(form) for form in entry.forms)}]")
    if entry.short_form:
        lines.append(f"  short_forms: [{quoted(entry.short_form)}]")
    definition = f"Eintrag {rank} des Benchmark-Glossars: ein häufiger Name aus dem Korpus."
    lines.append(f"  definition: {quoted(definition)}")
    if rank % 7 == 0:
        day = pick_date(rng)
        event = f"Ereignis {rank} des Benchmark-Glossars"
        lines += ["  dates:", f"    - {{date: {quoted(day.iso())}, event: {quoted(event)}}}"]
    if kind == "place":
        lines.append(f"  coordinates: {{lat: {rng.uniform(-60, 70):.4f}, lon: {rng.uniform(-170, 170):.4f}}}")
    if rank % 5 == 0 and len(ids) > 1:
        others = [i for i in rng.sample(ids, min(len(ids), 4)) if i != entry_id][: rng.randint(1, 3)]
        lines.append(f"  see: [{', '.join(others)}]")
    lines += ["  sources:", f"    - {{title: {quoted(SOURCE_TITLE)}}}"]
    return lines


def glossary_file(entries: Sequence[Entry], seed: int) -> str:
    """The whole glossary.yaml, entries in rank order."""
    ids = entry_ids(entries)
    lines = [
        "# yaml-language-server: $schema=schemas/glossary.schema.json",
        f"# Synthetisches Glossar für den Benchmark: {len(entries)} häufige Namen aus dem 10kGNAD-Korpus.",
        "",
    ]
    for rank, (entry_id, entry) in enumerate(zip(ids, entries, strict=True), 1):
        lines += [*entry_lines(rank, entry_id, entry, ids, seed), ""]
    return "\n".join(lines)


def build_glossary(corpus: Corpus, drafts: Sequence[Draft], wanted: int, seed: int) -> tuple[str, int]:
    """The glossary file for these articles, and how many entries it has."""
    used: Counter[int] = Counter(i for draft in drafts for i in draft.sentence_ids)
    spans = [token_spans(sentence) for sentence in corpus.sentences]
    words = [word_spans(sentence, tokens) for sentence, tokens in zip(corpus.sentences, spans, strict=True)]
    finder = NameFinder(corpus.sentences, words)
    ranked = rank_candidates(finder, used, spans)
    entries = choose_entries(ranked, wanted, finder, used, spans)
    return glossary_file(entries, seed), len(entries)


# --- the project around the content ---------------------------------------------------------------


START_PAGE = """\
---
# yaml-language-server: $schema=../schemas/page.schema.json
title: "Benchmark-Ausgabe"
summary: "Eine synthetische Ausgabe aus Nachrichtentexten des 10kGNAD-Korpus, erzeugt für Messungen des Baus."
---

Diese Ausgabe ist kein Lesetext, sondern ein Prüfstand: {articles} Artikel aus Sätzen des 10kGNAD-Korpus,
{entries} Glossareinträge und {notes} Anmerkungen, erzeugt mit `bench/generate.py` (Startwert {seed}).
"""

PAGES = {
    "ueber": (
        "Über die Ausgabe",
        "Diese Ausgabe wurde für den Benchmark erzeugt; ihre Artikel setzen Sätze aus dem 10kGNAD-Korpus neu zusammen.",
    ),
    "fuer-redaktionen": (
        "Für Redaktionen",
        "Wie Redaktionen mit der Ausgabe arbeiten, steht in EDITING.md des Projekts.",
    ),
}


def prepare_output(out: Path) -> None:
    """Remove what an earlier run generated; refuse a folder with other content, so no project gets wiped."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SystemExit(f"{out} ist nicht leer und wurde nicht von bench/generate.py erzeugt; nichts geändert.")
    for name in GENERATED:
        path = out / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    (out / "content" / "artikel").mkdir(parents=True)
    (out / "content" / "seiten").mkdir()


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 with `\\n` line ends on every platform."""
    path.write_text(text, encoding="utf-8", newline="\n")


def write_scaffold(out: Path, articles: int, entries: int, notes: int, seed: int) -> None:
    """Templates, static files and settings from this repository; a short front page and two small pages."""
    shutil.copytree(PROJECT / "templates", out / "templates")
    shutil.copytree(PROJECT / "static", out / "static")
    shutil.copyfile(PROJECT / "content" / "edition.yaml", out / "content" / "edition.yaml")
    write_text(
        out / "content" / "startseite.md", START_PAGE.format(articles=articles, entries=entries, notes=notes, seed=seed)
    )
    for slug, (title, text) in PAGES.items():
        head = f"# yaml-language-server: $schema=../../schemas/page.schema.json\ntitle: {quoted(title)}"
        write_text(out / "content" / "seiten" / f"{slug}.md", f"---\n{head}\n---\n\n{text}\n")
    arguments = f"--articles {articles} --entries {entries} --notes {notes} --seed {seed}"
    write_text(out / MARKER, f"bench/generate.py {arguments}\n")


@dataclass(frozen=True)
class Summary:
    """What a run generated, for the command line's report."""

    articles: int
    entries: int
    notes: int
    links: int
    quoted_articles: int
    article_bytes: int


def write_edition(
    out: Path, articles: int, entries: int, notes: int, seed: int, corpus_path: Path = CORPUS, seeds_path: Path = SEEDS
) -> Summary:
    """Generate the whole project into `out` and say what it holds."""
    corpus = load_corpus(corpus_path, seeds_path)
    prepare_output(out)
    folder = out / "content" / "artikel"
    drafts: list[Draft] = []
    note_count = link_count = article_bytes = 0
    for number in range(1, articles + 1):
        draft, text = compose_article(corpus, number, articles, seed)
        drafts.append(draft)
        write_text(folder / f"{draft.slug}.md", text)
        article_bytes += len(text.encode("utf-8"))
        notes_text, placed, linked = notes_file(draft, notes, articles, seed)
        write_text(folder / f"{draft.slug}.notes.yaml", notes_text)
        note_count, link_count = note_count + placed, link_count + linked
    glossary, entry_count = build_glossary(corpus, drafts, entries, seed)
    write_text(out / "glossary.yaml", glossary)
    write_scaffold(out, articles, entry_count, note_count, seed)
    quoted_articles = sum(any(mark in draft.reading_text for mark in QUOTE_MARKS) for draft in drafts)
    return Summary(articles, entry_count, note_count, link_count, quoted_articles, article_bytes)


def generate(out: Path, articles: int, entries: int, notes: int, seed: int = 1) -> None:
    """Generate a benchmark edition with `articles` articles, `entries` glossary entries and `notes` notes each."""
    write_edition(Path(out), articles, entries, notes, seed)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The command line: output folder, sizes and seed."""
    parser = argparse.ArgumentParser(description="Eine synthetische Ausgabe für den Benchmark erzeugen.")
    parser.add_argument("out", type=Path, help="Zielordner (wird angelegt; frühere Erzeugnisse werden ersetzt)")
    parser.add_argument("--articles", type=int, default=10000, help="Zahl der Artikel (Standard: 10000)")
    parser.add_argument("--entries", type=int, default=2000, help="Zahl der Glossareinträge (Standard: 2000)")
    parser.add_argument("--notes", type=int, default=5, help="Anmerkungen je Artikel (Standard: 5)")
    parser.add_argument("--seed", type=int, default=1, help="Startwert des Zufalls (Standard: 1)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=argparse.SUPPRESS)
    parser.add_argument("--seeds", type=Path, default=SEEDS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.articles < 1 or args.entries < 0 or args.notes < 0:
        parser.error("--articles muss mindestens 1 sein, --entries und --notes mindestens 0")
    return args


def main(argv: Sequence[str]) -> int:
    """Generate and print one line on what was made."""
    args = parse_arguments(argv)
    started = time.perf_counter()
    summary = write_edition(args.out, args.articles, args.entries, args.notes, args.seed, args.corpus, args.seeds)
    if summary.entries < args.entries:
        print(f"Nur {summary.entries} Glossareinträge möglich (verlangt: {args.entries}).", file=sys.stderr)
    print(
        f"{args.out}: {summary.articles} Artikel (Mittel {summary.article_bytes / summary.articles / 1024:.2f} KiB, "
        f"{summary.quoted_articles} mit Anführungszeichen), {summary.entries} Glossareinträge, "
        f"{summary.notes} Anmerkungen, {summary.links} Querverweise, {time.perf_counter() - started:.1f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
