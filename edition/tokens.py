"""Helpers over markdown-it's inline tokens and their text, shared by the edition's core rules: the reading
text of a run of inline tokens, NFC normalisation with a map back to the original positions, word characters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from markdown_it.token import Token


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


def plain_text(children: Sequence[Token]) -> str:
    """The visible text of inline tokens, breaks as spaces."""
    return "".join(
        c.content if c.type in ("text", "code_inline") else " " if c.type.endswith("break") else "" for c in children
    )


def text_token(content: str, like: Token) -> Token:
    """A new text token at the same nesting level as `like`."""
    token = Token("text", "", 0, level=like.level)
    token.content = content
    return token
