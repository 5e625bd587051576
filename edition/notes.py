"""Notes and cross-links anchored by quotation: the YAML beside each article in, markers and sidenotes out.

As in the W3C Web Annotation model's TextQuoteSelector, a note names its passage by an exact quote, with
an optional prefix and suffix to tell equal passages apart. The core rule finds each quote in the
article's text (the same text the reader sees), numbers the notes in reading order, wraps the quoted
words without breaking the nesting of other inline elements, and puts a marker after the passage. What
it anchored, and what it could not, goes into `env["placed"]` and `env["unplaced"]`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .cache import BuildCache
from .dates import PartialDate
from .glossary import DatedFact, SourceRef
from .load import read_text
from .problems import Problem, relative_name
from .schema import load_checked
from .terms import normalize_with_offsets, plain_text
from .yamlfile import YamlDocument

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


@dataclass(frozen=True)
class Placed:
    """An anchored annotation: its key, its number in reading order, and the paragraph it stands in."""

    key: str
    number: int
    block: int
    at_edge: bool = False  # the quote starts or ends exactly where its paragraph does
    start: int = 0  # where the quote stands in its block's reading text
    end: int = 0


@dataclass(frozen=True)
class Unplaced:
    """An annotation whose passage was not found once: why, and what the text offers instead."""

    key: str
    found: int
    candidates: tuple[str, ...] = field(default=())


# --- loading ----------------------------------------------------------------------------------


def _anchor(data: dict[str, Any]) -> Anchor:
    return Anchor(data["quote"], data.get("prefix", ""), data.get("suffix", ""))


def _dates(data: dict[str, Any]) -> tuple[DatedFact, ...]:
    return tuple(DatedFact(PartialDate.parse(d["date"]), d["event"]) for d in data.get("dates", ()))


def check_notes(document: YamlDocument) -> list[Problem]:
    """What the schema cannot say: unique note ids, real dates."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, note in enumerate(document.data.get("notes", [])):
        if note["id"] in seen:
            problems.append(
                document.problem(
                    ("notes", index, "id"),
                    f"Die Kennung „{note['id']}“ gibt es in dieser Datei schon",
                    f"Jede Anmerkung braucht eine eigene id (die erste steht in Zeile {seen[note['id']]}).",
                )
            )
        seen.setdefault(note["id"], document.where(("notes", index, "id"))[0])
        paths = [("written",)] if "written" in note else []
        paths += [("dates", n, "date") for n in range(len(note.get("dates", [])))]
        for path in paths:
            value = note[path[0]] if len(path) == 1 else note["dates"][path[1]]["date"]
            try:
                PartialDate.parse(value)
            except ValueError as exc:
                problems.append(
                    document.problem(("notes", index) + path, str(exc), 'Form "JJJJ-MM" oder "JJJJ-MM-TT".')
                )
        if "\n\n" in note["text"].strip():
            problems.append(
                document.problem(
                    ("notes", index, "text"),
                    "Eine Anmerkung hat nur einen Absatz",
                    "Leerzeilen im Text entfernen; Längeres gehört ins Glossar.",
                )
            )
    return problems


def load_annotations(
    path: Path, root: Path, cache: BuildCache | None = None
) -> tuple[Annotations | None, list[Problem]]:
    """Read and check one `<slug>.notes.yaml` file."""
    name = relative_name(path, root)
    text, problems = read_text(path, name)
    if text is None:
        return None, problems
    document, problems = load_checked(text, name, "notes", cache=cache)
    if problems:
        return None, problems
    if document.data is None:
        return Annotations(name), []
    if not isinstance(document.data, dict):
        return None, [
            document.problem(
                (),
                "Die Datei muss mit „notes:“ (und „links:“) beginnen",
                "Siehe EDITING.md, „Eine Anmerkung schreiben“.",
            )
        ]
    problems = check_notes(document)
    if problems:
        return None, problems
    notes = tuple(
        Note(
            id=n["id"],
            kind=n["kind"],
            anchor=_anchor(n),
            text=n["text"],
            written=PartialDate.parse(n["written"]) if "written" in n else None,
            correct=n.get("correct"),
            dates=_dates(n),
            sources=tuple(SourceRef(s["title"], s.get("url")) for s in n["sources"]),
            line=document.where(("notes", i, "quote"))[0],
            text_line=document.where(("notes", i, "text"))[0] + ("\n" in n["text"]),
        )
        for i, n in enumerate(document.data.get("notes", []))
    )
    links = tuple(
        CrossLink(_anchor(link), link["article"], document.where(("links", i, "quote"))[0])
        for i, link in enumerate(document.data.get("links", []))
    )
    return Annotations(name, notes, links), []


def load_all_annotations(
    content: Path, root: Path, slugs: set[str], cache: BuildCache | None = None
) -> tuple[dict[str, Annotations], list[Problem]]:
    """Every article's annotations by slug; a notes file without its article is an error."""
    found: dict[str, Annotations] = {}
    problems: list[Problem] = []
    for path in sorted(content.glob("*.notes.yaml")):
        slug = path.name.removesuffix(".notes.yaml")
        if slug not in slugs:
            problems.append(
                Problem(
                    relative_name(path, root),
                    1,
                    1,
                    f"Zu „{slug}“ gibt es keinen Artikel",
                    "Die Datei so nennen wie den Artikel: <slug>.notes.yaml neben <slug>.md.",
                )
            )
            continue
        annotations, more = load_annotations(path, root, cache)
        problems += more
        if annotations:
            found[slug] = annotations
    return found, problems


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

    A coarse pass slides a window of the quote's length over each block; a fine pass then tries every
    start and length near the best window, so a changed comma or quotation mark is shown exactly.
    """
    loose = _loose_pattern(quote)
    for block in text.split("\n\n"):
        same = loose.search(block)
        if same:
            return same.group(0)
    length = len(quote)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)

    def ratio(candidate: str, floor: float) -> float:
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() <= floor or matcher.quick_ratio() <= floor:
            return 0.0
        return matcher.ratio()

    best_ratio, best_block, best_start = 0.0, "", 0
    step = max(1, length // 4)
    for block in text.split("\n\n"):
        for start in range(0, max(1, len(block) - length + 1), step):
            found = ratio(block[start : start + length], best_ratio)
            if found > best_ratio:
                best_ratio, best_block, best_start = found, block, start
    best, best_ratio = best_block[best_start : best_start + length], 0.0
    slack = max(3, length // 5)
    for start in range(max(0, best_start - step), min(len(best_block), best_start + step) + 1):
        for size in range(max(1, length - slack), length + slack + 1):
            candidate = best_block[start : start + size]
            found = ratio(candidate, best_ratio)
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


# --- the core rule ---------------------------------------------------------------------------


@dataclass
class _Block:
    index: int
    token: Token
    start: int
    text: str
    offsets: list[int] | None  # NFC position → position in the tokens' own text, when they differ

    def original(self, position: int) -> int:
        """A position in the block's NFC text as a position in its tokens' text."""
        return position if self.offsets is None else max(0, self.offsets[position])


def _blocks(tokens: Sequence[Token]) -> tuple[str, list[_Block]]:
    """The document's reading text in NFC (blocks joined by blank lines) and where each block starts."""
    blocks, parts, position = [], [], 0
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        text, offsets = normalize_with_offsets(plain_text(token.children))
        blocks.append(_Block(len(blocks) + 1, token, position, text, offsets))
        parts.append(text)
        position += len(text) + 2
    return "\n\n".join(parts), blocks


def anchor_annotations(state: StateCore) -> None:
    """The core rule: find each requested passage once, number in reading order, mark and insert."""
    text, blocks = _blocks(state.tokens)
    state.env["blocks"] = [block.text for block in blocks]
    requests: list[Request] = state.env.get("requests", [])
    if not requests:
        return
    unplaced: list[Unplaced] = []
    spans: list[tuple[int, int, Request]] = []
    for request in requests:
        anchor = Anchor(
            *(
                unicodedata.normalize("NFC", part)
                for part in (request.anchor.quote, request.anchor.prefix, request.anchor.suffix)
            )
        )
        starts = [s for s in locate(text, anchor) if "\n\n" not in anchor.quote]
        if len(starts) == 1:
            spans.append((starts[0], starts[0] + len(anchor.quote), request))
        elif starts:
            unplaced.append(
                Unplaced(request.key, len(starts), tuple(context_around(text, s, len(anchor.quote)) for s in starts))
            )
        else:
            unplaced.append(Unplaced(request.key, 0, (closest_passage(text, anchor.quote),)))
    spans.sort(key=lambda s: (s[1], s[0], s[2].key))
    placed: list[Placed] = []
    by_block: dict[int, list[tuple[int, int, int, Request]]] = {}
    for number, (start, end, request) in enumerate(spans, 1):
        block = next(b for b in reversed(blocks) if b.start <= start)
        edge = start == block.start or end == block.start + len(block.text)
        placed.append(
            Placed(
                request.key,
                number,
                block.index,
                edge and not (request.anchor.prefix or request.anchor.suffix),
                start - block.start,
                end - block.start,
            )
        )
        by_block.setdefault(block.index, []).append(
            (block.original(start - block.start), block.original(end - block.start), number, request)
        )
    for block in blocks:
        if block.index in by_block:
            block.token.children = _insert(block.token.children, by_block[block.index])
    state.env["placed"] = placed
    state.env["unplaced"] = unplaced


def _insert(children: list[Token], items: list[tuple[int, int, int, Request]]) -> list[Token]:
    """Wrap each quoted text piece (so tags never interleave) and put markers after each passage.

    A marker never goes inside a link (a term or an editor's link): it waits for the link to close.
    """
    cuts = sorted({edge for start, end, _n, _r in items for edge in (start, end)})
    result: list[Token] = []
    pending: list[tuple[int, Request]] = []
    link_depth = 0
    offset = 0

    def emit_markers(at: int) -> None:
        for _start, end, number, request in items:
            if end == at:
                pending.append((number, request))
        if link_depth == 0:
            flush()

    def flush() -> None:
        for number, request in sorted(pending, key=lambda p: p[0]):
            marker = Token("note_ref", "span", 0)
            marker.meta = {"number": number, "key": request.key}
            result.append(marker)
        pending.clear()

    for child in children:
        if child.type in ("link_open", "term_open"):
            link_depth += 1
        length = len(plain_text([child]))
        if child.type == "text" and length:
            points = [offset] + [c for c in cuts if offset < c < offset + length] + [offset + length]
            for a, b in zip(points, points[1:]):
                piece = Token("text", "", 0, level=child.level)
                piece.content = child.content[a - offset : b - offset]
                covering = sorted(n for s, e, n, _r in items if s <= a and b <= e)
                result.extend(_wrapped(piece, covering))
                emit_markers(b)
        elif length:
            covering = sorted(n for s, e, n, _r in items if s <= offset and offset + length <= e)
            result.extend(_wrapped(child, covering))
            emit_markers(offset + length)
        else:
            result.append(child)
        offset += length
        if child.type in ("link_close", "term_close"):
            link_depth -= 1
            if link_depth == 0:
                flush()
    flush()
    return result


def _wrapped(token: Token, numbers: list[int]) -> list[Token]:
    """A token inside a `noted` span when annotations cover it (one span, however many do)."""
    if not numbers:
        return [token]
    return [Token("noted_open", "span", 1), token, Token("noted_close", "span", -1)]


def notes_plugin(md: MarkdownIt) -> None:
    """Register the anchoring rule after the glossary's, and the render rules for its tokens."""
    md.core.ruler.push("anchor_annotations", anchor_annotations)

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
