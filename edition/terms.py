"""Glossary terms in the token stream: a matcher over the text, and the core rule that marks what it finds.

The matcher runs one Aho-Corasick automaton over the NFC-normalised text, so its cost grows with the
length of the text, not with the number of entries. The core rule follows markdown-it's `linkify`: it
visits only `inline` tokens, leaves link text alone, and splits a `text` token into new tokens. It
reports every occurrence through `env["terms"]`; later stages build the glossary's index from that.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .glossary import SENTENCE_END, Glossary
from .model import Occurrence

# German genitive and plural endings accepted after any written form ("Putins", "Nordkoreas").
ENDINGS = ("ns", "en", "es", "s", "n", "")
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


def is_word_character(character: str) -> bool:
    """Letters, digits and combining marks continue a word; spaces, hyphens, quotes and punctuation end it."""
    return character.isalnum() or unicodedata.category(character).startswith("M")


def normalize_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """NFC text, and for text that was not NFC already, each NFC position's position in the original.

    The text is split before ASCII characters, which never compose with what precedes them, so each
    piece can be normalised on its own; positions inside a piece that changed map to its start.
    """
    if unicodedata.is_normalized("NFC", text):
        return text, None
    pieces = re.findall(r"[\x00-\x7f][^\x00-\x7f]*|[^\x00-\x7f]+", text)
    normal: list[str] = []
    offsets: list[int] = []
    position = 0
    for piece in pieces:
        composed = unicodedata.normalize("NFC", piece)
        normal.append(composed)
        if composed == piece:
            offsets.extend(range(position, position + len(piece)))
        else:
            offsets.extend([position] + [-1] * (len(composed) - 1))
        position += len(piece)
    offsets.append(position)
    return "".join(normal), offsets


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


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` that contains the span from `start` to `end`."""
    begin, finish = 0, len(text)
    for boundary in SENTENCE_END.finditer(text):
        if boundary.end() <= start:
            begin = boundary.end()
        elif boundary.start() >= end:
            finish = boundary.start() + 1
            break
    return text[begin:finish].strip()


def plain_text(children: Sequence[Token]) -> str:
    """The visible text of inline tokens, breaks as spaces."""
    return "".join(
        c.content if c.type in ("text", "code_inline") else " " if c.type.endswith("break") else "" for c in children
    )


class _Document:
    """What the rule tracks through one document: entries introduced, tooltips given, counters."""

    def __init__(self) -> None:
        self.introduced: set[str] = set()
        self.with_tooltip: set[str] = set()
        self.counts: dict[str, int] = {}
        self.occurrences: list[Occurrence] = []

    def next_anchor(self, entry: str) -> str:
        """A page-unique anchor for the next occurrence of `entry`."""
        self.counts[entry] = self.counts.get(entry, 0) + 1
        return f"m-{entry}-{self.counts[entry]}"


def mark_terms(glossary: Glossary, matcher: TermMatcher) -> Callable[[StateCore], None]:
    """The core rule: wrap each counted occurrence (the first per article, or every one for `every:`
    entries, as a link), report occurrences in `env["terms"]`."""
    entries = glossary.by_id

    def rule(state: StateCore) -> None:
        if matcher.empty:
            return
        document = _Document()
        paragraphs = inline = 0
        for index, token in enumerate(state.tokens):
            if token.type != "inline" or not token.children:
                continue
            inline += 1
            heading = index > 0 and state.tokens[index - 1].type == "heading_open"
            paragraphs += not heading
            # A subheading is counted with the paragraph it introduces, so readers can find it.
            token.children = _split_children(token.children, (paragraphs + heading, inline), heading, document)
        state.env["terms"] = document.occurrences

    def _split_children(
        children: list[Token], where: tuple[int, int], heading: bool, document: _Document
    ) -> list[Token]:
        text = plain_text(children)
        result: list[Token] = []
        found: list[tuple[int, int, Occurrence]] = []
        link_depth = 0
        offset = 0
        for child in children:
            if child.type == "link_open" or (child.type == "html_inline" and _RAW_LINK_OPEN.match(child.content)):
                link_depth += 1
            elif child.type == "link_close" or (child.type == "html_inline" and _RAW_LINK_CLOSE.match(child.content)):
                link_depth = max(0, link_depth - 1)
            if child.type != "text" or link_depth:
                result.append(child)
                offset += len(plain_text([child]))
                continue
            result.extend(_split_text(child, offset, where[0], heading, document, found))
            offset += len(child.content)
        document.occurrences.extend(
            Occurrence(
                o.entry,
                o.anchor,
                o.block,
                o.text,
                sentence_around(text, start, end),
                o.tooltip,
                o.heading,
                where[1],
                start,
                end,
            )
            for start, end, o in found
        )
        return result

    def _split_text(
        token: Token,
        offset: int,
        block: int,
        heading: bool,
        document: _Document,
        found: list[tuple[int, int, Occurrence]],
    ) -> list[Token]:
        content = token.content
        pieces: list[Token] = []
        position = 0
        for match in matcher.find(content):
            if match.short and match.entry not in document.introduced:
                continue
            document.introduced.add(match.entry)
            entry = entries[match.entry]
            anchor = document.next_anchor(match.entry)
            tooltip = not heading and (entry.every or match.entry not in document.with_tooltip)
            if tooltip:
                document.with_tooltip.add(match.entry)
            if match.start > position:
                pieces.append(_text(content[position : match.start], token))
            pieces.extend(_term_tokens(content[match.start : match.end], match.entry, anchor, tooltip, token))
            found.append(
                (
                    offset + match.start,
                    offset + match.end,
                    Occurrence(match.entry, anchor, block, content[match.start : match.end], "", tooltip, heading),
                )
            )
            position = match.end
        if position == 0:
            return [token]
        if position < len(content):
            pieces.append(_text(content[position:], token))
        return pieces

    return rule


def _text(content: str, like: Token) -> Token:
    """A new text token at the same nesting level as `like`."""
    token = Token("text", "", 0, level=like.level)
    token.content = content
    return token


def _term_tokens(content: str, entry: str, anchor: str, tooltip: bool, like: Token) -> list[Token]:
    """The tokens for one occurrence: a link described by the entry's tooltip, or a plain anchored mention."""
    kind = "term" if tooltip else "mention"
    opening = Token(f"{kind}_open", "a" if tooltip else "span", 1, level=like.level)
    opening.meta = {"entry": entry, "anchor": anchor}
    closing = Token(f"{kind}_close", opening.tag, -1, level=like.level)
    return [opening, _text(content, like), closing]


def tooltip_id(entry: str) -> str:
    """The id of an entry's tooltip on a page; every link to the entry there is described by it."""
    return f"tt-{entry}"


def glossary_plugin(md: MarkdownIt, glossary: Glossary) -> None:
    """Register the term rule after inline parsing and the render rules for its tokens.

    The tooltips themselves are not part of the text: the page lists each entry's definition once, in an
    element with role="tooltip" that every link to the entry names in `aria-describedby`.
    """
    matcher = TermMatcher(glossary)
    md.core.ruler.push("glossary_terms", mark_terms(glossary, matcher))

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
