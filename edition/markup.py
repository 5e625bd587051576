"""The edition's MarkdownIt parsers: CommonMark, authors' raw HTML escaped, code highlighted by Pygments.

The edition's own rules (teaser, glossary terms, link resolution) are core rules registered by name; each
reads its input from and reports its findings to the per-document `env`.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .glossary import Glossary
from .links import LinkProblem, LinkTargets, links_plugin
from .model import Rendered
from .notes import notes_plugin
from .paragraphs import paragraphs_plugin
from .terms import glossary_plugin

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


def nesting_plugin(md: MarkdownIt) -> None:
    """Report text that markdown-it would drop silently: past `maxNesting` levels of quotes and lists it
    skips the rest of the block (its recursion guard), so the words would vanish from the page."""
    tokenize = md.block.tokenize

    def guarded(state: StateBlock, start: int, end: int) -> None:
        if state.level >= md.options.maxNesting:
            line = state.skipEmptyLines(start)
            if line < end and state.sCount[line] >= state.blkIndent:
                state.env.setdefault("link_problems", []).append(
                    LinkProblem(
                        line,
                        f"Der Text ist hier zu tief verschachtelt (> oder Listen, {md.options.maxNesting} Ebenen "
                        "und mehr); er würde in der Seite fehlen",
                        "Die Zeichen > und die Einrückung der Listen am Zeilenanfang prüfen, weniger tief schachteln.",
                    )
                )
        tokenize(state, start, end)

    md.block.tokenize = guarded  # type: ignore[method-assign, assignment]


def make_markdown(targets: LinkTargets, glossary: Glossary | None = None) -> MarkdownIt:
    """A parser for the edition's texts; with a glossary, one for articles: terms marked, notes anchored.

    Each plugin places its core rule by name after the rule whose tokens it needs: links after `inline`,
    terms after `text_join`, notes after the terms, paragraph anchors after the notes."""
    md = MarkdownIt("commonmark", {"html": False, "highlight": highlight_code})
    md.use(nesting_plugin)
    # Only the block structure is needed; before the paragraph rule, so `class` precedes `id` in the markup.
    md.core.ruler.after("block", "teaser", mark_teaser)
    if glossary is not None:
        md.use(glossary_plugin, glossary)
        md.use(notes_plugin)
        md.use(paragraphs_plugin)
    md.use(links_plugin, targets)
    return md


def render_markdown(
    md: MarkdownIt, text: str, *, inline: bool = False, **env: Any
) -> tuple[Rendered, list[LinkProblem]]:
    """Render `text` (a block, or one paragraph's inline content) with a fresh env; return the HTML with
    the rules' findings, and any link problems."""
    html = md.renderInline(text, env) if inline else md.render(text, env)
    rendered = Rendered(
        html,
        tuple(env.get("terms", ())),
        tuple(env.get("links", ())),
        tuple(env.get("placed", ())),
        tuple(env.get("unplaced", ())),
        tuple(env.get("inlines", ())),
        tuple(env.get("tallies", ())),
    )
    return rendered, list(env.get("link_problems", ()))
