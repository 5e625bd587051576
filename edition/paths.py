"""The code's own location in, the paths of the data that ships with it out: the JSON Schemas, the base map,
the package's sources. The one module that looks at `__file__`; a project's own folders (`content/`,
`templates/`, `static/`) come from the project root the command line names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CodePaths:
    """Where the files that come with the code lie, whatever project it builds."""

    root: Path  # the folder that holds the package `edition/`, `schemas/` and `data/`

    @property
    def package(self) -> Path:
        """The package's own folder."""
        return self.root / "edition"

    @property
    def schemas(self) -> Path:
        """The JSON Schemas that decide what is valid YAML."""
        return self.root / "schemas"

    @property
    def basemap(self) -> Path:
        """The base map the map of places is drawn on (extracted by `tools/extract_map.py`)."""
        return self.root / "data" / "map" / "ostasien.json"

    @property
    def data_folders(self) -> tuple[str, ...]:
        """The folders of data, relative to `root`, that a build reads besides the project."""
        return ("schemas", "data/map")

    def sources(self) -> list[Path]:
        """The package's Python modules, sorted: what the build's output depends on besides its inputs."""
        return sorted(self.package.glob("*.py"))


CODE = CodePaths(Path(__file__).resolve().parent.parent)
