"""`glossary.yaml` in, a checked `Glossary` of frozen entries out (or every problem, at its YAML line)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .cache import BuildCache
from .dates import PartialDate
from .load import read_text
from .problems import Problem, relative_name
from .schema import load_checked
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


def make_entry(entry_id: str, data: dict[str, Any], document: YamlDocument) -> Entry:
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
    )


def check_entries(document: YamlDocument) -> list[Problem]:
    """What the schema cannot say: unique written forms, `see` targets, real dates, short definitions."""
    problems: list[Problem] = []
    owners: dict[str, tuple[str, str]] = {}
    data: dict[str, dict[str, Any]] = document.data
    for entry_id, entry in data.items():
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
        for index, target in enumerate(entry.get("see", [])):
            if target not in data:
                problems.append(
                    document.problem(
                        (entry_id, "see", index),
                        f"Verweis auf einen Eintrag „{target}“, den es nicht gibt",
                        "ID prüfen (Schlüssel eines Eintrags in glossary.yaml) oder den Verweis streichen.",
                    )
                )
        for index, fact in enumerate(entry.get("dates", [])):
            try:
                PartialDate.parse(fact["date"])
            except ValueError as exc:
                problems.append(
                    document.problem(
                        (entry_id, "dates", index, "date"), str(exc), 'Form "JJJJ", "JJJJ-MM" oder "JJJJ-MM-TT".'
                    )
                )
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


def load_glossary(path: Path, root: Path, cache: BuildCache | None = None) -> tuple[Glossary | None, list[Problem]]:
    """Read and check `glossary.yaml`; a missing file is an empty glossary."""
    name = relative_name(path, root)
    if not path.exists():
        return Glossary((), name), []
    text, problems = read_text(path, name)
    if text is None:
        return None, problems
    document, problems = load_checked(text, name, "glossary", cache=cache)
    if problems:
        return None, problems
    if document.data is None:
        return Glossary((), name), []
    if not isinstance(document.data, dict):
        return None, [
            document.problem(
                (),
                "Das Glossar muss aus Einträgen der Form „id: …“ bestehen",
                "Jeder Eintrag beginnt mit seiner ID und einem Doppelpunkt am Zeilenanfang.",
            )
        ]
    problems = check_entries(document)
    if any(p.severity == "error" for p in problems):
        return None, problems
    entries = tuple(make_entry(entry_id, data, document) for entry_id, data in document.data.items())
    return Glossary(entries, name), problems
