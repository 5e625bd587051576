"""The edition's MarkdownIt parser: CommonMark, authors' raw HTML escaped, code highlighted by Pygments.

The edition's own rules (teaser, glossary, notes) are core rules registered here by name; each reads
its input from and reports its findings to the per-document `env`.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(nowrap=True)


def highlight_code(code: str, language: str, _attrs: str) -> str:
    """Pygments spans for a fenced block; "" for unknown languages, so markdown-it escapes it plainly.

    With `nowrap=True` the output does not start with `<pre`, so markdown-it wraps it in its own
    `<pre><code class="language-…">` and no `<div>` ends up inside `<pre>`.
    """
    if not language:
        return ""
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return ""
    return pygments_highlight(code, lexer, _FORMATTER)


def mark_teaser(state: StateCore) -> None:
    """Give the first paragraph the class `teaser` when the article says it opens with one."""
    if not state.env.get("teaser"):
        return
    for token in state.tokens:
        if token.type == "paragraph_open":
            token.attrJoin("class", "teaser")
            return
        if token.type == "heading_open":
            return


def make_markdown() -> MarkdownIt:
    """A fresh parser: CommonMark without raw HTML, with highlighting and the edition's core rules."""
    md = MarkdownIt("commonmark", {"html": False, "highlight": highlight_code})
    md.core.ruler.push("teaser", mark_teaser)
    return md


def render_markdown(md: MarkdownIt, text: str, env: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
    """Render `text` with a fresh env; return the HTML and what the rules reported in the env."""
    env = dict(env or {})
    html = md.render(text, env)
    return html, env
