"""Partial dates as news gives them (`2023`, `2023-09`, `2023-09-12`), parsed and written out in German."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

GERMAN_MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)

_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day; sorts before any more precise date within it."""

    year: int
    month: int = 0
    day: int = 0

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError with a German reason otherwise."""
        match = _PATTERN.fullmatch(text.strip())
        if not match:
            raise ValueError(f"„{text}“ ist kein Datum der Form JJJJ, JJJJ-MM oder JJJJ-MM-TT")
        year, month, day = (int(g) if g else 0 for g in match.groups())
        if match.group(2) and not 1 <= month <= 12:
            raise ValueError(f"„{text}“: den Monat {month} gibt es nicht")
        if match.group(3) and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(f"„{text}“: den {day}. Tag gibt es in diesem Monat nicht")
        return cls(year, month, day)

    def iso(self) -> str:
        """The date as written in the source: as precise as known, ISO 8601."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
            if self.day:
                text += f"-{self.day:02d}"
        return text

    def german(self) -> str:
        """The date as a German reader writes it: `2023`, `September 2023`, `12. September 2023`."""
        if not self.month:
            return str(self.year)
        month = f"{GERMAN_MONTHS[self.month - 1]} {self.year}"
        return f"{self.day}. {month}" if self.day else month

    def rfc3339(self) -> str:
        """A full timestamp for feeds and sitemaps, taking the first day of what is known."""
        return f"{self.year:04d}-{self.month or 1:02d}-{self.day or 1:02d}T00:00:00Z"
