"""Links that editors write in Markdown in, checked and resolved links out.

`[Juche](glossar:juche)`, `[Bericht](artikel:<slug>)` and `[Über](seite:ueber)` become links relative to
the page being rendered (`env["root"]`); an unknown target, a scheme other than http(s) or mailto, or an
image from another site is reported in `env["link_problems"]`, and the build fails on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

INTERNAL = re.compile(r"^(glossar|artikel|seite):([^#\s]*)(#\S*)?$")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# The schemes a reader may follow to another site; every other scheme (javascript:, data:, file: …) is refused.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# What a browser removes from anywhere in a URL, and from its ends, before it reads the scheme.
_REMOVED = re.compile(r"[\t\n\r]")
_ENDS = "".join(chr(c) for c in range(0x21))
NAMES = {"glossar": "Glossareintrag", "artikel": "Artikel", "seite": "Seite"}


@dataclass(frozen=True)
class LinkProblem:
    """A link that cannot be resolved, at a line of the Markdown text (0-based)."""

    line: int
    message: str
    hint: str


@dataclass(frozen=True)
class LinkTargets:
    """Where `glossar:`, `artikel:` and `seite:` names lead: site paths by `scheme:name`."""

    paths: Mapping[str, str]
    unchecked: frozenset[str] = frozenset()  # schemes whose names cannot be checked in this build

    def known(self, scheme: str) -> list[str]:
        """The names a scheme knows, sorted, for hints."""
        return sorted(name for key in self.paths if key.startswith(scheme + ":") and (name := key.split(":", 1)[1]))


def url_kind(url: str) -> Literal["own", "foreign", "refused"]:
    """Where a URL leads, read as a browser reads it: to this site (relative, a fragment), to another site
    (http, https, mailto, or `//host`), or nowhere a reader should be sent (any other scheme)."""
    cleaned = _REMOVED.sub("", url).strip(_ENDS)
    scheme = SCHEME.match(cleaned)
    if scheme:
        return "foreign" if scheme.group(1).lower() in LINK_SCHEMES else "refused"
    return "foreign" if cleaned.replace("\\", "/").startswith("//") else "own"


def resolve_links(targets: LinkTargets) -> Callable[[StateCore], None]:
    """The core rule: rewrite internal links for the page, report unknown targets and forbidden schemes."""

    def rule(state: StateCore) -> None:
        problems: list[LinkProblem] = state.env.setdefault("link_problems", [])
        links: list[str] = state.env.setdefault("links", [])
        root = state.env.get("root", "")
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            line = block.map[0] if block.map else 0
            for child in block.children:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                attribute = "href" if child.type == "link_open" else "src" if child.type == "image" else None
                if attribute:
                    _check(child, attribute, line, root, problems, links)

    def _check(
        token: Token, attribute: str, line: int, root: str, problems: list[LinkProblem], links: list[str]
    ) -> None:
        url = str(token.attrGet(attribute) or "")
        internal = INTERNAL.match(url)
        if internal:
            _resolve_internal(targets, internal, token, attribute, line, root, problems, links)
        else:
            _check_external(token, attribute, url, line, problems)

    return rule


def _resolve_internal(
    targets: LinkTargets,
    internal: re.Match[str],
    token: Token,
    attribute: str,
    line: int,
    root: str,
    problems: list[LinkProblem],
    links: list[str],
) -> None:
    """Point a `glossar:`/`artikel:`/`seite:` link at its page, relative to `root`, or report it unknown."""
    scheme, name, fragment = internal.group(1), internal.group(2), internal.group(3) or ""
    path = targets.paths.get(f"{scheme}:{name}")
    if path is None and scheme in targets.unchecked:
        return
    if path is None:
        known = ", ".join(targets.known(scheme)[:12])
        problems.append(
            LinkProblem(
                line,
                f"Verweis auf {NAMES[scheme]} „{name}“, den es nicht gibt",
                f"Vorhanden sind: {known}." if known else "Namen prüfen.",
            )
        )
        token.attrSet(attribute, "#")
        return
    links.append(f"{scheme}:{name}")
    token.attrSet(attribute, f"{root}{path}{fragment}" if path or fragment else root or "./")
    if scheme in ("artikel", "glossar") and path and attribute == "href":
        token.attrSet("data-preview", path)  # the script shows the target's summary on hover


def _check_external(token: Token, attribute: str, url: str, line: int, problems: list[LinkProblem]) -> None:
    """Refuse a scheme no reader should be sent to, and an image from another site (no third-party request)."""
    kind = url_kind(url)
    if kind == "refused":
        problems.append(
            LinkProblem(
                line,
                f"Die Adresse „{url}“ ist nicht erlaubt",
                "Nur http(s)- und mailto-Adressen, relative Adressen und glossar:/artikel:/seite:-Verweise.",
            )
        )
        token.attrSet(attribute, "#")
    elif kind == "foreign" and attribute == "src":
        problems.append(
            LinkProblem(
                line,
                f"Das Bild „{url}“ käme von einer anderen Website",
                "Die Ausgabe lädt nichts von fremden Servern (jeder Abruf verrät die Leser): das Bild mit "
                "Erlaubnis ins Projekt übernehmen oder nur verlinken: [Bild](https://…) statt ![Bild](https://…).",
            )
        )
        token.attrSet(attribute, "#")


def links_plugin(md: MarkdownIt, targets: LinkTargets) -> None:
    """Let every link through the parser, then check and resolve it in a core rule."""
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # the rule decides, and reports
    md.core.ruler.push("edition_links", resolve_links(targets))
