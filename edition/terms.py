"""Glossary terms in the token stream: a matcher over the text, and the core rule that marks what it finds.

The matcher runs one Aho-Corasick automaton over the NFC-normalised text, so its cost grows with the
length of the text, not with the number of entries. The core rule follows markdown-it's `linkify`: it
visits only `inline` tokens, leaves link text alone, and splits a `text` token into new tokens. It
marks and reports (`env["terms"]`) the occurrences a reader can reach: each tooltip, and the passages an
entry's register quotes; every other occurrence it only counts (`env["tallies"]`). So a text that names an
entry ten thousand times costs ten thousand counts, not ten thousand anchors the page never links to.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .glossary import SENTENCE_END, Glossary
from .model import Occurrence, Tally
from .tokens import is_word_character, normalize_with_offsets, plain_text, text_token

# German genitive and plural endings accepted after any written form ("Putins", "Nordkoreas").
ENDINGS = ("ns", "en", "es", "s", "n", "")
# How many passages of one article an entry's register quotes, and how many of its paragraphs it lists.
PASSAGES_PER_ARTICLE = 12
_RAW_LINK_OPEN = re.compile(r"<a[\s>]", re.I)
_RAW_LINK_CLOSE = re.compile(r"</a\s*>", re.I)


@dataclass(frozen=True)
class Match:
    """A written form found in a text: where (ending included), which entry, whether a short form."""

    start: int
    end: int
    entry: str
    short: bool
    form: str = ""  # the written form found, without its ending (NFC)


class TermMatcher:
    """Finds the glossary's written forms in a text: whole words, German endings, longest match first."""

    def __init__(self, glossary: Glossary) -> None:
        self.automaton = ahocorasick.Automaton()
        for entry in glossary.entries:
            for forms, short in ((entry.full_forms, False), (entry.short_forms, True)):
                for form in forms:
                    normal = unicodedata.normalize("NFC", form)
                    self.automaton.add_word(normal, (len(normal), entry.id, short, normal))
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def entries_in(self, text: str) -> set[str]:
        """Every entry one of whose forms occurs anywhere in `text`, word boundaries aside: the entries that
        can possibly affect how the text renders."""
        if self.empty:
            return set()
        return {
            entry for _last, (_length, entry, _short, _form) in self.automaton.iter(unicodedata.normalize("NFC", text))
        }

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches, leftmost first and the longest where several start together."""
        if self.empty:
            return []
        normal, offsets = normalize_with_offsets(text)
        candidates = []
        for last, (length, entry, short, form) in self.automaton.iter(normal):
            start, end = last - length + 1, last + 1
            if start > 0 and is_word_character(normal[start - 1]):
                continue
            stop = self._end_of_word(normal, end)
            if stop is not None:
                candidates.append((start, start - stop, -length, Match(start, stop, entry, short, form)))
        # Leftmost first; of those, the longest span; of equal spans, the form written out in full
        # ("Jahren" over "Jahr" + "en").
        candidates.sort(key=lambda c: c[:3])
        chosen: list[Match] = []
        for *_key, match in candidates:
            if not chosen or match.start >= chosen[-1].end:
                chosen.append(match)
        return chosen if offsets is None else self._to_original(chosen, offsets)

    @staticmethod
    def _end_of_word(text: str, end: int) -> int | None:
        """Where the word ends after a form and an optional German ending, or None inside a longer word."""
        for ending in ENDINGS:
            stop = end + len(ending)
            if text.startswith(ending, end) and (stop == len(text) or not is_word_character(text[stop])):
                return stop
        return None

    @staticmethod
    def _to_original(matches: list[Match], offsets: list[int]) -> list[Match]:
        """Map matches on the NFC text back to the original; drop any that would cut a composed character."""
        mapped = []
        for match in matches:
            start, end = offsets[match.start], offsets[match.end]
            if start >= 0 and end >= 0:
                mapped.append(Match(start, end, match.entry, match.short, match.form))
        return mapped


class Sentences:
    """The sentences of one text, found when first asked for: each lookup is then a binary search, so recording
    every occurrence of a paragraph costs as much as the paragraph, not its length times the occurrences."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] | None = None
        self.ends: list[int] = []

    def around(self, start: int, end: int) -> str:
        """The sentence that contains the span from `start` to `end` (several, if it crosses a boundary)."""
        if self.starts is None:
            boundaries = [(b.start(), b.end()) for b in SENTENCE_END.finditer(self.text)]
            self.starts = [start for start, _end in boundaries]
            self.ends = [end for _start, end in boundaries]
        before = bisect_right(self.ends, start)
        after = bisect_left(self.starts, end)
        begin = self.ends[before - 1] if before else 0
        finish = self.starts[after] + 1 if after < len(self.starts) else len(self.text)
        return self.text[begin:finish].strip()


@dataclass(frozen=True)
class _Where:
    """Where an inline run stands: the paragraph as a reader counts, its place among the runs, a heading or not."""

    block: int
    inline: int
    heading: bool


@dataclass(frozen=True)
class _Marking:
    """How an occurrence is marked in the text: its anchor, and whether it gets the tooltip."""

    anchor: str
    tooltip: bool


class _Document:
    """What the rule tracks through one document: entries introduced, tooltips given, each entry's tally."""

    def __init__(self) -> None:
        self.introduced: set[str] = set()
        self.with_tooltip: set[str] = set()
        self.occurrences: dict[str, int] = {}
        self.places: dict[str, int] = {}
        self.last_place: dict[str, tuple[bool, int]] = {}
        self.marked: list[Occurrence] = []

    def mark(self, match: Match, every: bool, where: _Where) -> _Marking | None:
        """Count a match (a short form counts only after a full one) and say how to mark it; None where it is
        not marked.

        It gets the tooltip when it is the entry's first in running text, or any of an `every:` entry. It is
        marked when it has the tooltip or when the entry's register quotes it: among the article's first
        `PASSAGES_PER_ARTICLE` occurrences of the entry, or the first in one of its first as many places."""
        entry = match.entry
        if match.short and entry not in self.introduced:
            return None
        self.introduced.add(entry)
        tooltip = not where.heading and (every or entry not in self.with_tooltip)
        if tooltip:
            self.with_tooltip.add(entry)
        number = self.occurrences[entry] = self.occurrences.get(entry, 0) + 1
        place = (where.heading, where.block)
        new_place = self.last_place.get(entry) != place  # occurrences come in reading order
        if new_place:
            self.last_place[entry] = place
            self.places[entry] = self.places.get(entry, 0) + 1
        quoted = number <= PASSAGES_PER_ARTICLE or (new_place and self.places[entry] <= PASSAGES_PER_ARTICLE)
        return _Marking(f"m-{entry}-{number}", tooltip) if tooltip or quoted else None

    def tallies(self) -> list[Tally]:
        """Each entry that counts in the document, in the order of its first occurrence, with its counts."""
        return [Tally(entry, number, self.places[entry]) for entry, number in self.occurrences.items()]


def inline_runs(tokens: Sequence[Token]) -> Iterator[tuple[Token, _Where]]:
    """Each inline token with children and where it stands; a subheading is counted with the paragraph it
    introduces, so readers can find it."""
    paragraphs = inline = 0
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.children:
            continue
        inline += 1
        heading = index > 0 and tokens[index - 1].type == "heading_open"
        paragraphs += not heading
        yield token, _Where(paragraphs + heading, inline, heading)


def link_change(token: Token) -> int:
    """1 where a link opens (in Markdown or raw HTML), -1 where one closes, else 0."""
    if token.type == "link_open" or (token.type == "html_inline" and _RAW_LINK_OPEN.match(token.content)):
        return 1
    if token.type == "link_close" or (token.type == "html_inline" and _RAW_LINK_CLOSE.match(token.content)):
        return -1
    return 0


class _TermRule:
    """The core rule: wrap each marked occurrence (as a link where it has the tooltip), report those in
    `env["terms"]` and each entry's counts in `env["tallies"]`."""

    def __init__(self, glossary: Glossary, matcher: TermMatcher) -> None:
        self.entries = glossary.by_id
        self.matcher = matcher

    def __call__(self, state: StateCore) -> None:
        """Mark the terms of every inline run of the document."""
        if self.matcher.empty:
            return
        document = _Document()
        for token, where in inline_runs(state.tokens):
            token.children = self.mark_run(token.children or [], where, document)
        state.env["terms"] = document.marked
        state.env["tallies"] = document.tallies()

    def mark_run(self, children: list[Token], where: _Where, document: _Document) -> list[Token]:
        """An inline run's tokens with its terms marked (link text left alone); its occurrences reported."""
        result: list[Token] = []
        sentences = Sentences(plain_text(children))  # marking terms leaves the reading text as it is
        link_depth = 0
        offset = 0
        for child in children:
            link_depth = max(0, link_depth + link_change(child))
            if child.type != "text" or link_depth:
                result.append(child)
            else:
                result.extend(self.mark_text(child, offset, where, document, sentences))
            offset += len(plain_text([child]))
        return result

    def mark_text(
        self, token: Token, offset: int, where: _Where, document: _Document, sentences: Sentences
    ) -> list[Token]:
        """One text token split around the occurrences that are marked, which go to the document's with their
        sentence from the run's `sentences`; `offset` is where the token starts in them."""
        content = token.content
        pieces: list[Token] = []
        position = 0
        for match in self.matcher.find(content):
            marking = document.mark(match, self.entries[match.entry].every, where)
            if marking is None:
                continue
            words = content[match.start : match.end]
            if match.start > position:
                pieces.append(text_token(content[position : match.start], token))
            pieces.extend(_term_tokens(words, match.entry, marking.anchor, marking.tooltip, token))
            start, end = offset + match.start, offset + match.end
            document.marked.append(
                Occurrence(
                    match.entry,
                    marking.anchor,
                    where.block,
                    words,
                    sentences.around(start, end),
                    marking.tooltip,
                    where.heading,
                    where.inline,
                    start,
                    end,
                )
            )
            position = match.end
        if position == 0:
            return [token]
        if position < len(content):
            pieces.append(text_token(content[position:], token))
        return pieces


def mark_terms(glossary: Glossary, matcher: TermMatcher) -> Callable[[StateCore], None]:
    """The core rule for a glossary and its matcher."""
    return _TermRule(glossary, matcher)


def _term_tokens(content: str, entry: str, anchor: str, tooltip: bool, like: Token) -> list[Token]:
    """The tokens for one occurrence: a link described by the entry's tooltip, or a plain anchored mention."""
    kind = "term" if tooltip else "mention"
    opening = Token(f"{kind}_open", "a" if tooltip else "span", 1, level=like.level)
    opening.meta = {"entry": entry, "anchor": anchor}
    closing = Token(f"{kind}_close", opening.tag, -1, level=like.level)
    return [opening, text_token(content, like), closing]


def tooltip_id(entry: str) -> str:
    """The id of an entry's tooltip on a page; every link to the entry there is described by it."""
    return f"tt-{entry}"


def glossary_plugin(md: MarkdownIt, glossary: Glossary) -> None:
    """Register the term rule after inline parsing and the render rules for its tokens.

    The tooltips themselves are not part of the text: the page lists each entry's definition once, in an
    element with role="tooltip" that every link to the entry names in `aria-describedby`.
    """
    matcher = TermMatcher(glossary)
    # After `text_join`, which merges escaped characters into the text around them, so a form spelled with
    # one is found like any other.
    md.core.ruler.after("text_join", "glossary_terms", mark_terms(glossary, matcher))

    def render_term_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        meta = tokens[idx].meta
        href = f"{env.get('root', '')}glossar/{meta['entry']}/"
        return (
            f'<a class="term" href="{escapeHtml(href)}" id="{meta["anchor"]}" '
            f'aria-describedby="{tooltip_id(meta["entry"])}" data-edition-wrap>'
        )

    def render_mention_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        return f'<span class="mention" id="{tokens[idx].meta["anchor"]}" data-edition-wrap>'

    md.add_render_rule("term_open", render_term_open)
    md.add_render_rule("term_close", lambda *args: "</a>")
    md.add_render_rule("mention_open", render_mention_open)
    md.add_render_rule("mention_close", lambda *args: "</span>")
