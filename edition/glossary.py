"""`glossary.yaml` in, a checked `Glossary` of frozen entries out (or every problem, at its YAML line)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .dates import PartialDate
from .problems import Problem, relative_name
from .schema import Check, load_checked
from .sources import read_mapping
from .yamlfile import YamlDocument

KIND_LABELS = {
    "person": ("Person", "Personen"),
    "place": ("Ort", "Orte"),
    "organisation": ("Organisation", "Organisationen"),
    "publication": ("Publikation", "Publikationen"),
    "event": ("Ereignis", "Ereignisse"),
    "concept": ("Begriff", "Begriffe"),
}
# The pages of the glossary's A–Z that show one kind: `glossar/<slug>/`; no entry may take one of these ids.
KIND_SLUGS = {
    "person": "personen",
    "place": "orte",
    "organisation": "organisationen",
    "publication": "publikationen",
    "event": "ereignisse",
    "concept": "begriffe",
}
# A sentence ends at . ! ? … (and closing quotes) before a capital; "13. September" (an ordinal) and
# "George W. Bush" (an initial) do not end one.
# A YAML block scalar's indicator (`key: >-`, `key: |`) ends its line; the text starts on the next.
BLOCK_INDICATOR = re.compile(r":\s+[|>][-+0-9]*\s*(#.*)?$")
SENTENCE_END = re.compile(r"(?<![0-9])(?<!\b[A-Z])[.!?…][\"“”»«)]*\s+(?=[A-ZÄÖÜ„\"»(])")


@dataclass(frozen=True)
class SourceRef:
    """A source an editor names: a title, and a URL where there is one."""

    title: str
    url: str | None


@dataclass(frozen=True)
class DatedFact:
    """Something that happened on a (partial) date, as the glossary records it."""

    date: PartialDate
    event: str


@dataclass(frozen=True)
class Entry:
    """One glossary entry: what the tooltip and the glossary pages show, and the forms that find it."""

    id: str
    term: str
    kind: str
    forms: tuple[str, ...]
    short_forms: tuple[str, ...]
    definition: str
    text: str | None
    dates: tuple[DatedFact, ...]
    coordinates: tuple[float, float] | None
    see: tuple[str, ...]
    every: bool
    sources: tuple[SourceRef, ...]
    line: int
    text_line: int
    area: bool = False  # a country or region: named on the map's list, never drawn as a point
    stand: PartialDate | None = None  # when a time-bound statement was last checked
    stand_line: int = 0
    definition_line: int = 0  # where the definition's text starts
    definition_offsets: tuple[int, ...] = (0,)  # where each of its file lines starts in the (unfolded) text
    sources_line: int = 0

    @property
    def stand_label(self) -> str | None:
        """„Stand: November 2026“, for readers, where the entry says when it was last checked."""
        return f"Stand: {self.stand.german()}" if self.stand else None

    @property
    def url(self) -> str:
        """Path of the entry's page below the site root."""
        return f"glossar/{self.id}/"

    @property
    def kind_label(self) -> str:
        """The kind in German, singular."""
        return KIND_LABELS[self.kind][0]

    @property
    def full_forms(self) -> tuple[str, ...]:
        """The headword and the other forms that identify the entry on their own."""
        return (self.term, *self.forms)


@dataclass(frozen=True)
class Glossary:
    """All entries, in the file's order, and by id."""

    entries: tuple[Entry, ...]
    file: str = "glossary.yaml"
    complete: bool = True  # False stands in for a glossary with errors, so links to it are not doubted

    @cached_property
    def by_id(self) -> Mapping[str, Entry]:
        """Entries by their id (made once per glossary)."""
        return {entry.id: entry for entry in self.entries}


@lru_cache(maxsize=1 << 16)
def german_sort_key(text: str) -> tuple[str, str]:
    """DIN 5007-1 order: umlauts sort with their base letter (Ö with O), ß as ss, case ignored."""
    folded = unicodedata.normalize("NFC", text).casefold().replace("ß", "ss")
    base = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return base, folded


def count_sentences(text: str) -> int:
    """Roughly how many sentences a plain German text has."""
    return len(SENTENCE_END.findall(text.strip())) + 1


def content_line(lines: Sequence[str], line: int) -> int:
    """The line a YAML value's text starts on: the next one after a block scalar's `|` or `>` indicator."""
    if 0 < line <= len(lines) and BLOCK_INDICATOR.search(lines[line - 1]):
        return line + 1
    return line


def line_offsets(lines: Sequence[str], first: int, value: str) -> tuple[int, ...]:
    """Where each file line of a YAML text starts in its value, from line `first` on: line breaks in a literal
    text; for a folded or plain one, the file's lines joined by spaces must give the value back, or nothing
    is known beyond its first line."""
    if "\n" in value.rstrip("\n"):
        return (0, *(i + 1 for i, c in enumerate(value.rstrip("\n")) if c == "\n"))
    offsets: list[int] = []
    position = 0
    for raw in lines[first - 1 :]:
        piece = raw.strip()
        if offsets and not value.startswith(piece, position):
            break
        if not offsets:
            start = raw.find(value[: max(1, min(len(value), 12))])
            piece = raw[start:].strip() if start >= 0 else piece
        offsets.append(position)
        position += len(piece) + 1
        if position >= len(value):
            break
    return tuple(offsets) if position - 1 == len(value) else (0,)


def make_entry(entry_id: str, data: dict[str, Any], document: YamlDocument, lines: Sequence[str] = ()) -> Entry:
    """Turn one schema-valid YAML mapping into an Entry, remembering where its texts stand."""
    coordinates = data.get("coordinates")
    return Entry(
        id=entry_id,
        term=data["term"],
        kind=data["kind"],
        forms=tuple(data.get("forms", ())),
        short_forms=tuple(data.get("short_forms", ())),
        definition=" ".join(data["definition"].split()),
        text=data.get("text"),
        dates=tuple(DatedFact(PartialDate.parse(d["date"]), d["event"]) for d in data.get("dates", ())),
        coordinates=(float(coordinates["lat"]), float(coordinates["lon"])) if coordinates else None,
        see=tuple(data.get("see", ())),
        every=bool(data.get("every", False)),
        sources=tuple(SourceRef(s["title"], s.get("url")) for s in data["sources"]),
        area=bool(data.get("area", False)),
        line=document.where((entry_id,), key=True)[0],
        # A block scalar (`text: |`) starts on the line after its indicator.
        text_line=document.where((entry_id, "text"))[0] + ("\n" in data.get("text", "")),
        stand=PartialDate.parse(data["stand"]) if "stand" in data else None,
        stand_line=document.where((entry_id, "stand"))[0],
        definition_line=content_line(lines, document.where((entry_id, "definition"))[0]),
        definition_offsets=line_offsets(
            lines, content_line(lines, document.where((entry_id, "definition"))[0]), data["definition"].strip()
        ),
        sources_line=document.where((entry_id, "sources"), key=True)[0],
    )


def sound_entries(document: YamlDocument, problems: list[Problem]) -> set[str]:
    """The entries none of `problems` stands in: each entry reaches from its id's line to the next entry's."""
    starts = sorted((document.where((entry_id,), key=True)[0], entry_id) for entry_id in document.data)
    lines = [line for line, _entry_id in starts]
    faulty = {starts[index - 1][1] for p in problems if (index := bisect_right(lines, p.line))}
    return set(document.data) - faulty


def check_entries(document: YamlDocument, only: set[str] | None = None) -> list[Problem]:
    """What the schema cannot say: unique written forms, `see` targets, real dates, short definitions; of
    the entries `only` names, or of all."""
    problems: list[Problem] = []
    owners: dict[str, tuple[str, str]] = {}
    data: dict[str, dict[str, Any]] = document.data
    for entry_id, entry in data.items():
        if only is not None and entry_id not in only:
            continue
        problems += check_forms(document, entry_id, entry, owners)
        problems += check_see(document, entry_id, entry, set(data))
        problems += check_dates(document, entry_id, entry)
        problems += check_thin_spots(document, entry_id, entry)
    return problems


def check_forms(
    document: YamlDocument, entry_id: str, entry: dict[str, Any], owners: dict[str, tuple[str, str]]
) -> list[Problem]:
    """Each written form (in NFC) found by one entry only, and once; `owners` records whose each form is."""
    problems: list[Problem] = []
    for key in ("term", "forms", "short_forms"):
        values = [entry[key]] if key == "term" else entry.get(key, [])
        for index, form in enumerate(values):
            path = (entry_id, key) if key == "term" else (entry_id, key, index)
            normal = unicodedata.normalize("NFC", form)
            if normal in owners and owners[normal][0] != entry_id:
                other, where = owners[normal]
                problems.append(
                    document.problem(
                        path,
                        f"Die Schreibweise „{form}“ gehört schon zum Eintrag „{other}“ ({where})",
                        "Jede Schreibweise darf nur einen Eintrag finden: bei einem der beiden streichen "
                        "oder eine längere, eindeutige Form eintragen.",
                    )
                )
            elif normal in owners:
                problems.append(
                    document.problem(
                        path, f"Die Schreibweise „{form}“ steht in diesem Eintrag doppelt", "Einmal streichen."
                    )
                )
            else:
                owners[normal] = (entry_id, f"Zeile {document.where(path)[0]}")
    return problems


def check_see(document: YamlDocument, entry_id: str, entry: dict[str, Any], ids: set[str]) -> list[Problem]:
    """Every `see` target is an entry of the glossary."""
    return [
        document.problem(
            (entry_id, "see", index),
            f"Verweis auf einen Eintrag „{target}“, den es nicht gibt",
            "ID prüfen (Schlüssel eines Eintrags in glossary.yaml) oder den Verweis streichen.",
        )
        for index, target in enumerate(entry.get("see", []))
        if target not in ids
    ]


def check_dates(document: YamlDocument, entry_id: str, entry: dict[str, Any]) -> list[Problem]:
    """Every date of the entry's `dates:` is a real (partial) date."""
    problems: list[Problem] = []
    for index, fact in enumerate(entry.get("dates", [])):
        try:
            PartialDate.parse(fact["date"])
        except ValueError as exc:
            problems.append(
                document.problem(
                    (entry_id, "dates", index, "date"), str(exc), 'Form "JJJJ", "JJJJ-MM" oder "JJJJ-MM-TT".'
                )
            )
    return problems


def check_thin_spots(document: YamlDocument, entry_id: str, entry: dict[str, Any]) -> list[Problem]:
    """Warnings: a definition too long for a tooltip, a place without coordinates."""
    problems: list[Problem] = []
    if count_sentences(entry["definition"]) > 2:
        problems.append(
            document.problem(
                (entry_id, "definition"),
                "Die Definition hat mehr als zwei Sätze",
                "Der Tooltip zeigt nur ein bis zwei Sätze; mehr gehört in „text:“.",
                severity="warning",
            )
        )
    if entry["kind"] == "place" and "coordinates" not in entry:
        problems.append(
            document.problem(
                (entry_id,),
                f"Der Ort „{entry['term']}“ hat keine Koordinaten",
                "coordinates: {lat: …, lon: …} ergänzen, damit er auf der Karte erscheint.",
                key=True,
                severity="warning",
            )
        )
    return problems


def load_glossary(path: Path, root: Path, check: Check = load_checked) -> tuple[Glossary | None, list[Problem]]:
    """Read and check `glossary.yaml`; a missing file is an empty glossary, an empty one an error."""
    name = relative_name(path, root)
    if not path.exists():
        return Glossary((), name), []
    shape = (
        "Das Glossar muss aus Einträgen der Form „id: …“ bestehen",
        "Jeder Eintrag beginnt mit seiner ID und einem Doppelpunkt am Zeilenanfang.",
    )
    document, lines, problems = read_mapping(path, root, "glossary", check, shape)
    if document is None or (problems and document.data is None):
        return None, problems
    if document.data is None:
        # Most likely emptied by mistake: one error naming the file, and the glossary counted as unknown, so
        # that every glossar: link is not reported on its own as well.
        return None, [
            Problem(
                name,
                1,
                1,
                f"{name} ist leer: es enthält keinen einzigen Eintrag",
                f"Versehentlich geleert? Den letzten Stand wiederherstellen, z. B. mit „git checkout {name}“.",
            )
        ]
    if problems:  # the schema's findings; the checks across entries still look at the sound ones
        return None, problems + check_entries(document, sound_entries(document, problems))
    problems = check_entries(document)
    if any(p.severity == "error" for p in problems):
        return None, problems
    entries = tuple(make_entry(entry_id, data, document, lines) for entry_id, data in document.data.items())
    return Glossary(entries, name), problems
