"""A file of the project in, its text (or a problem saying why there is none) out; a YAML file in, its
document checked against its schema out: the one way every loader reads a file."""

from __future__ import annotations

from pathlib import Path

from .problems import Problem, relative_name
from .schema import Check
from .yamlfile import YamlDocument


def read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file in NFC-agnostic form; a file that is not UTF-8 is a problem, not a crash."""
    try:
        # "utf-8-sig": a byte order mark, which some editors write, is dropped as in the YAML files.
        return path.read_text(encoding="utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [
            Problem(
                name,
                1,
                1,
                f"Die Datei ist nicht in UTF-8 gespeichert ({exc.reason})",
                "Im Editor als „UTF-8“ speichern.",
            )
        ]


def read_mapping(
    path: Path, root: Path, schema: str, check: Check, shape: tuple[str, str]
) -> tuple[YamlDocument | None, tuple[str, ...], list[Problem]]:
    """Read a YAML file, check it against `schemas/<schema>.schema.json` and confirm it is a mapping or
    empty; `shape` is the message and hint for anything else. A mapping comes back with what its schema says
    of it, so that a loader may still look at the sound parts; the file's lines come along, for positions
    inside a text value."""
    name = relative_name(path, root)
    text, problems = read_text(path, name)
    if text is None:
        return None, (), problems
    lines = tuple(text.split("\n"))
    document, problems = check(text, name, schema, 0)
    if problems and not isinstance(document.data, dict):  # not even YAML
        return None, lines, problems
    if document.data is not None and not isinstance(document.data, dict):
        return None, lines, [document.problem((), *shape)]
    return document, lines, problems
