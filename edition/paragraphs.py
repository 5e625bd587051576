"""Citable paragraphs: an article's tokens in, each paragraph with a stable id and a permalink out.

The id is derived from the paragraph's own reading text, so it survives edits elsewhere in the article; two
paragraphs with the same text are told apart by a suffix in reading order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .tokens import plain_text

_SPACE = re.compile(r"\s+")


def paragraph_id(text: str) -> str:
    """A short id from a paragraph's text, whitespace aside: `a-` and six hex digits of its SHA-1."""
    normal = _SPACE.sub(" ", text).strip()
    return "a-" + hashlib.sha1(normal.encode("utf-8")).hexdigest()[:6]


def anchor_paragraphs(state: StateCore) -> None:
    """The core rule: give each paragraph its id and append a permalink (an addition: `data-edition`)."""
    seen: dict[str, int] = {}
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "paragraph_open" or index + 1 >= len(tokens) or tokens[index + 1].type != "inline":
            continue
        if token.hidden:  # a tight list item's paragraph has no <p> to carry the id the permalink would name
            continue
        inline = tokens[index + 1]
        base = paragraph_id(plain_text(inline.children or []))
        seen[base] = seen.get(base, 0) + 1
        anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
        token.attrSet("id", anchor)
        link = Token("permalink", "a", 0)
        link.meta = {"anchor": anchor}
        inline.children = [*(inline.children or []), link]


def paragraphs_plugin(md: MarkdownIt) -> None:
    """Register the paragraph rule after the notes' and the permalink's render rule."""
    # After the notes, so the permalink stands last in its paragraph, after a note marker at the end.
    md.core.ruler.after("anchor_annotations", "anchor_paragraphs", anchor_paragraphs)

    def render_permalink(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        anchor = tokens[idx].meta["anchor"]
        return f'<a class="permalink" href="#{anchor}" data-edition aria-label="Link zu diesem Absatz">¶</a>'

    md.add_render_rule("permalink", render_permalink)
