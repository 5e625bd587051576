"""A raw news text in (date line, photo caption and credit, paragraphs, subheadings), an article file out.

The text's words reach the Markdown unchanged: the importer only adds structure (paragraphs, `##`
subheadings, the teaser flag) and backslash escapes where a character would otherwise be read as
Markdown, so the rendered reading text is exactly the source.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from .dates import PartialDate

_DATE_LINE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)(?:\s+|\Z)")
_CAPTION = re.compile(r"\A(?P<caption>.+?[.!?…“\"»])\s+Foto:\s*(?P<credit>\S[^\n]{0,118}?)\s*\Z", re.S)
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")
_END_PUNCTUATION = ".!?:;,…"
_CLOSING_QUOTES = "\"“”»«'’‘"
TEASER_MAX_CHARS = 300
CAPTION_MAX_CHARS = 400
HEADING_MAX_CHARS = 100
HEADING_MAX_WORDS = 12

# Inline characters that can open Markdown syntax anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])|&(?=#?[0-9A-Za-z]+;)")
# Constructs that only count at the start of a line.
_LINE_START = (
    (re.compile(r"\A(#{1,6})(?=\s|\Z)"), r"\\\1"),  # ATX heading
    (re.compile(r"\A>"), r"\\>"),  # block quote
    (re.compile(r"\A([-+])(?=\s|\Z)"), r"\\\1"),  # bullet list item
    (re.compile(r"\A(\d{1,9})([.)])(?=\s|\Z)"), r"\1\\\2"),  # ordered list item
    (re.compile(r"\A([-=])(?=[-=\s]*\Z)"), r"\\\1"),  # thematic break, setext underline
    (re.compile(r"\A~(?=~~)"), r"\\~"),  # tilde code fence
)


@dataclass(frozen=True)
class Block:
    """A paragraph or a subheading of the source text."""

    kind: str  # "paragraph" or "heading"
    text: str


@dataclass(frozen=True)
class ImportedText:
    """What the importer recognised in a raw text: date line, caption and credit, teaser, blocks."""

    date: PartialDate | None
    caption: str | None
    credit: str | None
    teaser: bool
    blocks: tuple[Block, ...]


def parse_raw_text(text: str) -> ImportedText:
    """Recognise the structure of a raw news text without changing a character of its words."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    date = None
    match = _DATE_LINE.match(text)
    if match:
        date = PartialDate.parse(match.group(1))
        text = text[match.end() :]
    chunks = [chunk.strip() for chunk in _BLANK_LINES.split(text.strip()) if chunk.strip()]
    caption = credit = None
    if len(chunks) > 1:
        found = _CAPTION.match(chunks[0])
        if found and len(found.group("caption")) <= CAPTION_MAX_CHARS:
            caption, credit = found.group("caption").strip(), found.group("credit").strip()
            chunks = chunks[1:]
    blocks = tuple(
        Block("heading" if index and looks_like_subheading(chunk) else "paragraph", chunk)
        for index, chunk in enumerate(chunks)
    )
    teaser = len(blocks) > 2 and blocks[0].kind == "paragraph" and len(blocks[0].text) <= TEASER_MAX_CHARS
    return ImportedText(date, caption, credit, teaser, blocks)


def looks_like_subheading(chunk: str) -> bool:
    """A short single line without end punctuation (a closing quote after a word still counts as none)."""
    if "\n" in chunk or len(chunk) > HEADING_MAX_CHARS or len(chunk.split()) > HEADING_MAX_WORDS:
        return False
    last = chunk.rstrip(_CLOSING_QUOTES)
    if not last or last[-1] in _END_PUNCTUATION:
        return False
    return any(character.isalpha() for character in chunk)


def escape_markdown(text: str) -> str:
    """Backslash-escape whatever Markdown would read as syntax, line by line; words stay as they are."""
    lines = []
    for line in text.split("\n"):
        line = _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(0), line.strip())
        for pattern, replacement in _LINE_START:
            line = pattern.sub(replacement, line, count=1)
        lines.append(line)
    return "\n".join(lines)


def to_markdown(imported: ImportedText) -> str:
    """The Markdown body: blocks separated by blank lines, subheadings as `##`."""
    parts = []
    for block in imported.blocks:
        escaped = escape_markdown(block.text)
        parts.append(f"## {escaped}" if block.kind == "heading" else escaped)
    return "\n\n".join(parts) + "\n"


def slugify(text: str) -> str:
    """An ASCII slug for URLs and file names: `Pjöngjang 2024` → `pjoengjang-2024`."""
    text = unicodedata.normalize("NFC", text).lower()
    for umlaut, ascii_form in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, ascii_form)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def article_file(
    imported: ImportedText, *, title: str, date: PartialDate, slug: str, seed: str | None, summary: str | None = None
) -> str:
    """The whole article file: front matter (with the schema line for editors' tools) and body. The source's
    own date line is kept as `source_date:`, so the page can say when a date was inferred from the text."""
    fields: list[tuple[str, object]] = [("title", title)]
    if summary:
        fields.append(("summary", summary))
    fields += [("date", date.iso()), ("slug", slug)]
    if seed:
        fields.append(("seed", seed))
        if imported.date:
            fields.append(("source_date", imported.date.iso()))
    if imported.caption:
        fields += [("caption", imported.caption), ("credit", imported.credit)]
    if imported.teaser:
        fields.append(("teaser", True))
    head = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields)
    schema_line = "# yaml-language-server: $schema=../../schemas/article.schema.json"
    return f"---\n{schema_line}\n{head}\n---\n\n{to_markdown(imported)}"
