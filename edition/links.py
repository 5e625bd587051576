"""Links that editors write in Markdown in, checked and resolved links out.

`[Juche](glossar:juche)`, `[Bericht](artikel:<slug>)` and `[Über](seite:ueber)` become links relative to
the page being rendered (`env["root"]`); an unknown target, a scheme other than http(s) or mailto, or an
image from another site is reported in `env["link_problems"]`, and the build fails on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
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


@dataclass(frozen=True)
class _Findings:
    """Where the rule reports, in the document's env: link problems, internal links found; and the page's root."""

    problems: list[LinkProblem]
    links: list[str]
    root: str


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
        findings = _Findings(
            state.env.setdefault("link_problems", []), state.env.setdefault("links", []), state.env.get("root", "")
        )
        for token, attribute, line in addressed_tokens(state.tokens):
            check_address(token, attribute, line, targets, findings)

    return rule


def addressed_tokens(tokens: Sequence[Token]) -> Iterator[tuple[Token, str, int]]:
    """Every link and image in the inline tokens, with the attribute that holds its address and its line
    (0-based, counting the line breaks inside a paragraph)."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        line = block.map[0] if block.map else 0
        for child in block.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            attribute = "href" if child.type == "link_open" else "src" if child.type == "image" else None
            if attribute:
                yield child, attribute, line


def check_address(token: Token, attribute: str, line: int, targets: LinkTargets, findings: _Findings) -> None:
    """Resolve an internal address for the page, or refuse one of a scheme that is not allowed."""
    url = str(token.attrGet(attribute) or "")
    internal = INTERNAL.match(url)
    if internal:
        resolve_internal(token, attribute, line, internal, targets, findings)
    else:
        check_external(token, attribute, url, line, findings.problems)


def resolve_internal(
    token: Token, attribute: str, line: int, internal: re.Match[str], targets: LinkTargets, findings: _Findings
) -> None:
    """A `glossar:`/`artikel:`/`seite:` address made relative to the page; an unknown name reported."""
    scheme, name, fragment = internal.group(1), internal.group(2), internal.group(3) or ""
    path = targets.paths.get(f"{scheme}:{name}")
    if path is None:
        if scheme not in targets.unchecked:
            known = ", ".join(targets.known(scheme)[:12])
            findings.problems.append(
                LinkProblem(
                    line,
                    f"Verweis auf {NAMES[scheme]} „{name}“, den es nicht gibt",
                    f"Vorhanden sind: {known}." if known else "Namen prüfen.",
                )
            )
            token.attrSet(attribute, "#")
        return
    findings.links.append(f"{scheme}:{name}")
    token.attrSet(attribute, f"{findings.root}{path}{fragment}" if path or fragment else findings.root or "./")
    if scheme in ("artikel", "glossar") and path and attribute == "href":
        token.attrSet("data-preview", path)  # the script shows the target's summary on hover


def check_external(token: Token, attribute: str, url: str, line: int, problems: list[LinkProblem]) -> None:
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
    # Needs only the inline tokens; the edition's other rules leave links' attributes alone.
    md.core.ruler.after("inline", "edition_links", resolve_links(targets))
