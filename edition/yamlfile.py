"""YAML text in, plain Python data out, with the line and column of every value for error messages.

Dates stay strings (an editor's `2023-09` is not a timestamp) and only `true`/`false` are booleans
(YAML 1.1 would read a written form `No` or `Ja` as something else).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem

Path_ = tuple[str | int, ...]

# PyYAML's most frequent complaints, said the way an editor can act on them.
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "Hier steht ein Doppelpunkt, wo keiner stehen darf"),
    ("expected ',' or ']'", "Eine mit [ geöffnete Liste wird nicht mit ] geschlossen"),
    ("expected ',' or '}'", "Eine mit { geöffnete Angabe wird nicht mit } geschlossen"),
    ("found character '\\t' that cannot start any token", "Ein Tabulator steht in der Einrückung"),
    ("that cannot start any token", "Hier steht ein Zeichen, mit dem in YAML nichts beginnen kann"),
    ("found unexpected end of stream", "Ein Anführungszeichen wird nicht geschlossen"),
    ("could not find expected ':'", "Einer Angabe fehlt der Doppelpunkt"),
    ("did not find expected key", "Die Einrückung passt nicht zur Zeile darüber"),
    ("expected <block end>", "Die Einrückung passt nicht zur Zeile darüber"),
    ("did not find expected '-' indicator", "Die Einrückung passt nicht zur Liste darüber"),
    ("found duplicate anchor", "Ein Anker (&) steht doppelt"),
    ("found undefined alias", "Ein Verweis (*) zeigt auf keinen Anker"),
)

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_DROPPED_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}


# libyaml's parser where PyYAML was built with it (about ten times faster), the pure-Python one otherwise;
# both report the same marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader without timestamps and without YAML 1.1's yes/no/on/off booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))


# Nothing an editor writes needs more; deeper nesting only serves to exhaust the parser's recursion.
MAX_DEPTH = 40
_OPENING = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSING = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def risky_token(token: yaml.Token, depth: int) -> tuple[str, str] | None:
    """What is wrong with a token no editor's file needs (an anchor, an alias, a tag, nesting beyond
    `MAX_DEPTH`), with a hint; None for an ordinary token."""
    if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
        sign = "&" if isinstance(token, yaml.AnchorToken) else "*"
        return (
            f"Anker und Verweise ({sign}{token.value}) sind in den Dateien der Ausgabe nicht erlaubt",
            "Den Wert ausschreiben, statt ihn mit & zu benennen und mit * zu wiederholen; Text mit & oder * am "
            "Anfang in Anführungszeichen setzen.",
        )
    if isinstance(token, yaml.TagToken):
        handle, suffix = token.value
        return (
            f"Typangaben wie „{handle or ''}{suffix}“ sind in den Dateien der Ausgabe nicht erlaubt",
            "Die Angabe mit ! weglassen und den Wert schlicht schreiben; Text mit ! am Anfang in "
            "Anführungszeichen setzen.",
        )
    if depth > MAX_DEPTH:
        return (
            f"Die Angaben sind tiefer als {MAX_DEPTH} Ebenen verschachtelt",
            "Klammern [ ] und { } prüfen: Vermutlich fehlt eine schließende Klammer.",
        )
    return None


class Refused(yaml.YAMLError):
    """YAML the edition refuses before building anything from it, with the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def refuse_unprintable(text: str, file: str, line_offset: int = 0) -> None:
    """Raise `Refused` at the first character YAML does not allow (a control character pasted from elsewhere):
    PyYAML's own reader names no line for it."""
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if found:
        line = text.count("\n", 0, found.start())
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1)
        raise Refused(
            Problem(
                file,
                line + 1 + line_offset,
                column + 1,
                f"YAML-Fehler: Das Steuerzeichen #x{ord(found.group()):04x} ist in YAML nicht erlaubt",
                "Das unsichtbare Zeichen löschen (oft beim Kopieren aus einem anderen Programm mitgekommen).",
            )
        )


def refuse_risky(text: str, file: str, line_offset: int = 0) -> None:
    """Scan the text for anchors, aliases, tags and runaway nesting before anything is built from it: an
    alias bomb or a recursive alias never gets expanded, an unknown tag never reaches a constructor. Raises
    `Refused` at the first."""
    refuse_unprintable(text, file, line_offset)
    depth = 0
    for token in yaml.scan(text, Loader=_Loader):
        depth += isinstance(token, _OPENING) - isinstance(token, _CLOSING)
        wrong = risky_token(token, depth)
        if wrong:
            mark = token.start_mark
            raise Refused(Problem(file, mark.line + 1 + line_offset, mark.column + 1, *wrong))


@dataclass(frozen=True)
class YamlDocument:
    """Parsed data plus where each value stands in the file (1-based line and column)."""

    file: str
    data: Any
    positions: Mapping[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: Mapping[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `path` (or its key), else of its nearest known parent."""
        table = self.key_positions if key else self.positions
        for end in range(len(path), -1, -1):
            found = table.get(tuple(path[:end])) or self.positions.get(tuple(path[:end]))
            if found:
                return found
        return (1, 1)

    def problem(
        self, path: Path_, message: str, hint: str = "", *, key: bool = False, severity: str = "error"
    ) -> Problem:
        """A problem located at `path` in this document."""
        line, col = self.where(path, key=key)
        return Problem(self.file, line, col, message, hint, severity)  # type: ignore[arg-type]


def syntax_problem(exc: yaml.YAMLError, file: str, line_offset: int) -> Problem:
    """A YAML syntax error as an editor can act on it, at its line and column."""
    if isinstance(exc, Refused):
        return exc.problem
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(file, 1 + line_offset, 1, f"YAML-Fehler: {exc}")
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    reason = (exc.problem or str(exc)).strip()
    said = next((german for english, german in _YAML_PROBLEMS if english in reason), None)
    return Problem(
        file,
        line + line_offset,
        col,
        f"YAML-Syntaxfehler: {said} ({reason})" if said else f"YAML-Syntaxfehler: {reason}",
        "Einrückung (Leerzeichen, keine Tabs), Doppelpunkte und Anführungszeichen prüfen; "
        "Text mit „: “ oder am Anfang mit Sonderzeichen in Anführungszeichen setzen.",
    )


def parse_yaml(text: str, file: str, *, line_offset: int = 0) -> tuple[YamlDocument, list[Problem]]:
    """Parse YAML text; syntax errors and duplicate keys come back as problems, never as exceptions."""
    loader: _Loader | None = None
    try:
        refuse_risky(text, file, line_offset)
        loader = _Loader(text)
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        return YamlDocument(file, None), [syntax_problem(exc, file, line_offset)]
    finally:
        if loader is not None:
            loader.dispose()
    builder = _Builder(loader, file, line_offset)
    try:
        data = builder.build(node, ())
    except (yaml.YAMLError, ValueError, RecursionError) as exc:  # a value no constructor accepts: said, not raised
        problem = Problem(file, 1 + line_offset, 1, f"YAML-Fehler: {exc}", "Den Wert in Anführungszeichen setzen.")
        return YamlDocument(file, None), [*builder.problems, problem]
    return YamlDocument(file, data, builder.positions, builder.key_positions), builder.problems


class _Builder:
    """Plain data from a composed YAML node tree, recording where each value and key stands and every key
    written twice."""

    def __init__(self, loader: _Loader, file: str, line_offset: int) -> None:
        self.loader = loader
        self.file = file
        self.line_offset = line_offset
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def at(self, node: yaml.Node) -> tuple[int, int]:
        """Where a node starts in the file: 1-based line (shifted by the offset) and column."""
        return (node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)

    def build(self, node: yaml.Node | None, path: Path_) -> Any:
        """The value of a node at `path`: a dict, a list or a scalar."""
        if node is None:
            return None
        self.positions[path] = self.at(node)
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)

    def build_mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        """A mapping's dict; a key written twice is a problem, and its second value is left out."""
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int)):
                key = str(key)
            if key in result:
                self.problems.append(self.duplicate_key(key, key_node, path))
                continue
            self.key_positions[(*path, key)] = self.at(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def duplicate_key(self, key: str | int, key_node: yaml.Node, path: Path_) -> Problem:
        """The problem of a key written a second time, naming the line of the first."""
        line, col = self.at(key_node)
        first = self.key_positions[(*path, key)][0]
        return Problem(
            self.file,
            line,
            col,
            f"Der Schlüssel „{key}“ steht hier zum zweiten Mal",
            f"Jeden Schlüssel nur einmal verwenden; der erste steht in Zeile {first}.",
        )
