"""Notes and cross-links anchored by quotation: the YAML beside each article in, markers and sidenotes out.

As in the W3C Web Annotation model's TextQuoteSelector, a note names its passage by an exact quote, with
an optional prefix and suffix to tell equal passages apart. The core rule finds each quote in the
article's text (the same text the reader sees), numbers the notes in reading order, wraps the quoted
words without breaking the nesting of other inline elements, and puts a marker after the passage. What
it anchored, and what it could not, goes into `env["placed"]` and `env["unplaced"]`.
"""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .dates import PartialDate
from .glossary import DatedFact, SourceRef
from .model import Placed, Unplaced
from .problems import Problem
from .tokens import normalize_with_offsets, plain_text, text_token

NOTE_KINDS = {"context": "Hintergrund", "update": "Nachtrag", "correction": "Korrektur", "source": "Quelle"}
_QUOTES = re.compile(r"[\"'„“”‚‘’»«›‹]")


@dataclass(frozen=True)
class Anchor:
    """A passage named by quotation: the exact words, and what stands right before and after them."""

    quote: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Note:
    """An editor's note on a passage of an article."""

    id: str
    kind: str
    anchor: Anchor
    text: str
    written: PartialDate | None
    correct: str | None
    dates: tuple[DatedFact, ...]
    sources: tuple[SourceRef, ...]
    line: int  # of the quote, where an editor fixes a passage that moved
    text_line: int
    stand: PartialDate | None = None  # when a time-bound statement was last checked
    stand_line: int = 0
    sources_line: int = 0
    text_offsets: tuple[int, ...] = (0,)  # where each file line of the text starts in it

    @property
    def stand_label(self) -> str | None:
        """„Stand: November 2026“, for readers, where the note says when it was last checked."""
        return f"Stand: {self.stand.german()}" if self.stand else None

    @property
    def label(self) -> str:
        """What kind of note this is, in German, with its date or correction where it has one."""
        if self.kind == "update" and self.written:
            return f"Nachtrag vom {self.written.german()}"
        if self.kind == "correction" and self.correct:
            return f"Korrektur (richtig: „{self.correct}“)"
        return NOTE_KINDS[self.kind]


@dataclass(frozen=True)
class CrossLink:
    """An editor's link from a passage of one article to another article."""

    anchor: Anchor
    article: str
    line: int


@dataclass(frozen=True)
class Annotations:
    """The notes and cross-links of one article, from its `.notes.yaml` file."""

    file: str
    notes: tuple[Note, ...] = ()
    links: tuple[CrossLink, ...] = ()


@dataclass(frozen=True)
class Request:
    """What the rule should anchor: a key and the passage."""

    key: str
    anchor: Anchor


# --- finding passages ------------------------------------------------------------------------


def find_all(text: str, needle: str) -> list[int]:
    """Every start of `needle` in `text`, overlapping ones too."""
    starts, position = [], text.find(needle)
    while position >= 0:
        starts.append(position)
        position = text.find(needle, position + 1)
    return starts


def locate(text: str, anchor: Anchor) -> list[int]:
    """Where the quote starts, for each place where prefix, quote and suffix stand together."""
    whole = anchor.prefix + anchor.quote + anchor.suffix
    return [start + len(anchor.prefix) for start in find_all(text, whole)]


def closest_passage(text: str, quote: str) -> str:
    """The stretch of `text` most like `quote`, for a message when the quote is not found.

    A coarse pass slides a window of the quote's length over each inline run; a fine pass then tries every
    start and length near the best window, so a changed comma or quotation mark is shown exactly.
    """
    loose = _loose_pattern(quote)
    for inline in text.split("\n\n"):
        same = loose.search(inline)
        if same:
            return same.group(0)
    likeness = _Likeness(quote)
    inline, start = _best_window(text, len(quote), likeness)
    return _best_near(inline, start, len(quote), likeness)


class _Likeness:
    """How like a quote a candidate is; 0 at once where a cheap upper bound cannot beat the best so far."""

    def __init__(self, quote: str) -> None:
        self.matcher = difflib.SequenceMatcher(autojunk=False)
        self.matcher.set_seq2(quote)

    def above(self, candidate: str, floor: float) -> float:
        """The candidate's similarity ratio, or 0.0 when it cannot exceed `floor`."""
        self.matcher.set_seq1(candidate)
        if self.matcher.real_quick_ratio() <= floor or self.matcher.quick_ratio() <= floor:
            return 0.0
        return self.matcher.ratio()


def _window_step(length: int) -> int:
    """How far the coarse pass moves its window: a quarter of the quote."""
    return max(1, length // 4)


def _best_window(text: str, length: int, likeness: _Likeness) -> tuple[str, int]:
    """The inline run and start of the window of `length` characters most like the quote (coarse pass)."""
    best_ratio, best_inline, best_start = 0.0, "", 0
    step = _window_step(length)
    for inline in text.split("\n\n"):
        for start in range(0, max(1, len(inline) - length + 1), step):
            found = likeness.above(inline[start : start + length], best_ratio)
            if found > best_ratio:
                best_ratio, best_inline, best_start = found, inline, start
    return best_inline, best_start


def _best_near(inline: str, start: int, length: int, likeness: _Likeness) -> str:
    """The stretch most like the quote among every start and length near a window (fine pass)."""
    best, best_ratio = inline[start : start + length], 0.0
    step, slack = _window_step(length), max(3, length // 5)
    for begin in range(max(0, start - step), min(len(inline), start + step) + 1):
        for size in range(max(1, length - slack), length + slack + 1):
            candidate = inline[begin : begin + size]
            found = likeness.above(candidate, best_ratio)
            if found > best_ratio:
                best, best_ratio = candidate, found
    return best


def _loose_pattern(quote: str) -> re.Pattern[str]:
    """A pattern for `quote` that lets any quotation mark stand for any other and any spaces for any."""
    parts = []
    for piece in re.split(r"(\s+|[\"'„“”‚‘’»«›‹])", quote):
        if not piece:
            continue
        if piece.isspace():
            parts.append(r"\s+")
        elif _QUOTES.fullmatch(piece):
            parts.append(_QUOTES.pattern)
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts))


def only_quotes_or_spaces_differ(a: str, b: str) -> bool:
    """Whether two texts differ only in their quotation marks and spaces."""

    def strip(text: str) -> str:
        return re.sub(r"\s+", " ", _QUOTES.sub('"', text)).strip()

    return a != b and strip(a) == strip(b)


def context_around(text: str, start: int, length: int, width: int = 30) -> str:
    """A quote in its surroundings, for listing ambiguous candidates."""
    before = text[max(0, start - width) : start].split("\n\n")[-1]
    after = text[start + length : start + length + width].split("\n\n")[0]
    return f"…{before}[{text[start : start + length]}]{after}…"


# --- messages --------------------------------------------------------------------------------


def beside(anchor: Anchor) -> str:
    """Where a quote was asked to stand, in German: after its prefix, before its suffix, or between them."""
    if anchor.prefix and anchor.suffix:
        return f"zwischen „{anchor.prefix}“ und „{anchor.suffix}“"
    return f"nach „{anchor.prefix}“" if anchor.prefix else f"vor „{anchor.suffix}“"


def unplaced_problems(annotations: Annotations, unplaced: tuple[Unplaced, ...]) -> list[Problem]:
    """Say, for each note whose passage was not found exactly once, where it is and what the text offers."""
    problems = []
    for failure in unplaced:
        kind, key = failure.key.split(":", 1)
        if kind == "note":
            note = next(n for n in annotations.notes if n.id == key)
            line, anchor, what = note.line, note.anchor, f"Anmerkung „{note.id}“"
        else:
            link = annotations.links[int(key)]
            line, anchor, what = link.line, link.anchor, f"Querverweis auf „{link.article}“"
        if failure.alone:
            problems.append(
                Problem(
                    annotations.file,
                    line,
                    1,
                    f"{what}: Das Zitat „{anchor.quote}“ kommt {failure.alone}-mal vor, keinmal {beside(anchor)}",
                    "prefix:/suffix: an den Text anpassen (die Wörter direkt davor oder danach, genau wie im "
                    f"Artikel): {' | '.join(failure.candidates)}",
                )
            )
        elif failure.found == 0:
            closest = failure.candidates[0]
            if only_quotes_or_spaces_differ(anchor.quote, closest):
                hint = (
                    f"Nur Anführungszeichen oder Leerzeichen weichen ab: im Text „{closest}“, "
                    f"in der Anmerkung „{anchor.quote}“. Zeichen wie im Artikel schreiben."
                )
            else:
                hint = f"Nächste Stelle im Text: „{closest}“. Zitat an den Artikel anpassen."
            problems.append(
                Problem(annotations.file, line, 1, f"{what}: Das Zitat „{anchor.quote}“ steht nicht im Artikel", hint)
            )
        else:
            listed = " | ".join(failure.candidates)
            problems.append(
                Problem(
                    annotations.file,
                    line,
                    1,
                    f"{what}: Das Zitat „{anchor.quote}“ steht {failure.found}-mal im Artikel",
                    f"Mit prefix: oder suffix: (die Wörter direkt davor oder danach) eine Stelle wählen: {listed}",
                )
            )
    return problems


# --- the core rule ---------------------------------------------------------------------------


@dataclass
class _Inline:
    """One inline run of the document (a paragraph or subheading) with its reading text in NFC."""

    index: int
    token: Token
    start: int
    text: str
    offsets: list[int] | None  # NFC position → position in the tokens' own text, when they differ

    def original(self, position: int) -> int:
        """A position in the run's NFC text as a position in its tokens' text."""
        return position if self.offsets is None else max(0, self.offsets[position])


@dataclass(frozen=True)
class _Span:
    """A passage to mark in one inline run: where it starts and ends in the tokens' text, its number, its key."""

    start: int
    end: int
    number: int
    key: str


def _inlines(tokens: Sequence[Token]) -> tuple[str, list[_Inline]]:
    """The document's reading text in NFC (inline runs joined by blank lines) and where each run starts."""
    inlines: list[_Inline] = []
    parts: list[str] = []
    position = 0
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        text, offsets = normalize_with_offsets(plain_text(token.children))
        inlines.append(_Inline(len(inlines) + 1, token, position, text, offsets))
        parts.append(text)
        position += len(text) + 2
    return "\n\n".join(parts), inlines


def anchor_annotations(state: StateCore) -> None:
    """The core rule: find each requested passage once, number in reading order, mark and insert."""
    text, inlines = _inlines(state.tokens)
    state.env["inlines"] = [inline.text for inline in inlines]
    requests: list[Request] = state.env.get("requests", [])
    if not requests:
        return
    found, unplaced = locate_requests(text, requests)
    placed, spans = number_passages(found, inlines)
    for inline in inlines:
        if inline.index in spans and inline.token.children:
            inline.token.children = _insert(inline.token.children, spans[inline.index])
    state.env["placed"] = placed
    state.env["unplaced"] = unplaced


def normalized(anchor: Anchor) -> Anchor:
    """An anchor with quote, prefix and suffix in NFC, as the reading text is."""
    return Anchor(*(unicodedata.normalize("NFC", part) for part in (anchor.quote, anchor.prefix, anchor.suffix)))


def locate_requests(text: str, requests: Sequence[Request]) -> tuple[list[tuple[int, int, Request]], list[Unplaced]]:
    """Each request found exactly once as a span of the reading text; the others, with candidates or the
    closest passage."""
    found: list[tuple[int, int, Request]] = []
    unplaced: list[Unplaced] = []
    for request in requests:
        anchor = normalized(request.anchor)
        starts = [s for s in locate(text, anchor) if "\n\n" not in anchor.quote]
        if len(starts) == 1:
            found.append((starts[0], starts[0] + len(anchor.quote), request))
        elif starts:
            candidates = tuple(context_around(text, s, len(anchor.quote)) for s in starts)
            unplaced.append(Unplaced(request.key, len(starts), candidates))
        elif (anchor.prefix or anchor.suffix) and (alone := find_all(text, anchor.quote)):
            contexts = tuple(context_around(text, s, len(anchor.quote)) for s in alone)
            unplaced.append(Unplaced(request.key, 0, contexts, alone=len(alone)))
        else:
            unplaced.append(Unplaced(request.key, 0, (closest_passage(text, anchor.quote),)))
    return found, unplaced


def number_passages(
    found: list[tuple[int, int, Request]], inlines: Sequence[_Inline]
) -> tuple[list[Placed], dict[int, list[_Span]]]:
    """Number the found passages in reading order (by where they end) and sort them into their inline runs."""
    placed: list[Placed] = []
    spans: dict[int, list[_Span]] = {}
    for number, (start, end, request) in enumerate(sorted(found, key=lambda s: (s[1], s[0], s[2].key)), 1):
        inline = next(i for i in reversed(inlines) if i.start <= start)
        start, end = start - inline.start, end - inline.start
        edge = start == 0 or end == len(inline.text)
        anchored_by_context = bool(request.anchor.prefix or request.anchor.suffix)
        placed.append(Placed(request.key, number, inline.index, edge and not anchored_by_context, start, end))
        spans.setdefault(inline.index, []).append(
            _Span(inline.original(start), inline.original(end), number, request.key)
        )
    return placed, spans


class _Rebuilt:
    """An inline run's tokens as they are rebuilt: pieces wrapped where passages cover them, and the markers
    of the passages that end, held back while a link is open."""

    def __init__(self, spans: Sequence[_Span]) -> None:
        self.spans = spans
        self.tokens: list[Token] = []
        self.pending: list[_Span] = []
        self.link_depth = 0

    def add(self, token: Token, start: int, end: int) -> None:
        """Append a token that stands for the text from `start` to `end`, and the markers of passages ending there."""
        covered = any(span.start <= start and end <= span.end for span in self.spans)
        self.tokens.extend(_wrapped(token, covered))
        self.pending.extend(span for span in self.spans if span.end == end)
        if self.link_depth == 0:
            self.flush()

    def open_link(self) -> None:
        """Note that a link opened: markers wait for it to close."""
        self.link_depth += 1

    def close_link(self) -> None:
        """Note that a link closed, and put down the markers that waited for it."""
        self.link_depth -= 1
        if self.link_depth == 0:
            self.flush()

    def flush(self) -> None:
        """Append the waiting markers, in the passages' order."""
        for span in sorted(self.pending, key=lambda s: s.number):
            marker = Token("note_ref", "span", 0)
            marker.meta = {"number": span.number, "key": span.key}
            self.tokens.append(marker)
        self.pending.clear()


def _insert(children: list[Token], spans: Sequence[_Span]) -> list[Token]:
    """Wrap each quoted text piece (so tags never interleave) and put markers after each passage.

    A marker never goes inside a link (a term or an editor's link): it waits for the link to close.
    """
    cuts = sorted({edge for span in spans for edge in (span.start, span.end)})
    rebuilt = _Rebuilt(spans)
    offset = 0
    for child in children:
        if child.type in ("link_open", "term_open"):
            rebuilt.open_link()
        length = len(plain_text([child]))
        if child.type == "text" and length:
            points = [offset, *(c for c in cuts if offset < c < offset + length), offset + length]
            for a, b in itertools.pairwise(points):
                rebuilt.add(text_token(child.content[a - offset : b - offset], child), a, b)
        elif length:
            rebuilt.add(child, offset, offset + length)
        else:
            rebuilt.tokens.append(child)
        offset += length
        if child.type in ("link_close", "term_close"):
            rebuilt.close_link()
    rebuilt.flush()
    return rebuilt.tokens


def _wrapped(token: Token, covered: bool) -> list[Token]:
    """A token inside a `noted` span when annotations cover it (one span, however many do)."""
    if not covered:
        return [token]
    return [Token("noted_open", "span", 1), token, Token("noted_close", "span", -1)]


def notes_plugin(md: MarkdownIt) -> None:
    """Register the anchoring rule after the glossary's, and the render rules for its tokens."""
    # After the terms, whose links a marker waits to close; the wrapping of quoted words respects them too.
    md.core.ruler.after("glossary_terms", "anchor_annotations", anchor_annotations)

    def render_note_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        # The note's text stands once, at the end of the article; the script sets it beside its line
        # on wide screens and opens it in place on narrow ones. A word joiner (inside the added element, so
        # the reading text keeps its words) forbids a line break between the passage and its marker.
        number = tokens[idx].meta["number"]
        return (
            f'<span class="note" data-edition>\u2060<a class="note-ref" id="ref-{number}" href="#anm-{number}" '
            f'role="doc-noteref" aria-label="Anmerkung {number}">{number}</a></span>'
        )

    md.add_render_rule("noted_open", lambda *args: '<span class="noted" data-edition-wrap>')
    md.add_render_rule("noted_close", lambda *args: "</span>")
    md.add_render_rule("note_ref", render_note_ref)
