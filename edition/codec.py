"""Cached values in, bytes out and back: raw bytes as they are, everything else as JSON that names only the
frozen dataclasses listed here, so loading a cached value can never run code (unlike pickle).

Tuples, sets and dicts with keys other than strings keep their type; a dataclass is rebuilt by calling its
own constructor with its fields. A name that is not listed, or bytes that are not what `encode` wrote, raise
`ValueError`: the cache treats that as a miss.
"""

from __future__ import annotations

import base64
import importlib
import json
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any

# Every dataclass a cached value may hold, by the name it is stored under.
ALLOWED = {
    "Rendered": "edition.model",
    "Occurrence": "edition.model",
    "Tally": "edition.model",
    "BuildReport": "edition.model",
    "SiteFile": "edition.model",
    "Problem": "edition.problems",
    "PartialDate": "edition.dates",
    "Placed": "edition.notes",
    "Unplaced": "edition.notes",
    "YamlDocument": "edition.yamlfile",
    "MapDrawing": "edition.geomap",
    "Marker": "edition.geomap",
    "Place": "edition.geomap",
    "Endnote": "edition.articles",
    "ArticleResult": "edition.articles",
    "LastBuild": "edition.cache",
}
RAW = b"B"
STRUCTURED = b"J"


@cache
def allowed_type(name: str) -> type:
    """The dataclass stored under `name`; only those of `ALLOWED` (their modules are the build's own)."""
    module = ALLOWED.get(name)
    if module is None:
        raise ValueError(f"unknown type {name!r}")
    found = getattr(importlib.import_module(module), name, None)
    if found is None:
        # A class that moved between the build's own modules (SiteFile) is looked for where it was too.
        found = next(
            (
                getattr(importlib.import_module(m), name)
                for m in ("edition.render", "edition.site")
                if hasattr(importlib.import_module(m), name)
            ),
            None,
        )
    if not (isinstance(found, type) and is_dataclass(found)):
        raise ValueError(f"unknown type {name!r}")
    return found


def to_plain(value: Any) -> Any:
    """`value` as JSON-ready data that says what each container and dataclass was."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, bytes):
        return {"b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, tuple):
        return {"t": [to_plain(item) for item in value]}
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        tag = "f" if isinstance(value, frozenset) else "s"
        return {tag: [to_plain(item) for item in sorted(value, key=repr)]}
    if isinstance(value, dict):
        return {"m": [[to_plain(k), to_plain(v)] for k, v in value.items()]}
    if is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if name not in ALLOWED:
            raise TypeError(f"{name} is not a cacheable type")
        return {"c": name, "v": {f.name: to_plain(getattr(value, f.name)) for f in fields(value) if f.init}}
    raise TypeError(f"cannot store {type(value).__name__}")


def from_plain(data: Any) -> Any:
    """The value `to_plain` made `data` from."""
    if isinstance(data, list):
        return [from_plain(item) for item in data]
    if not isinstance(data, dict):
        return data
    if "t" in data:
        return tuple(from_plain(item) for item in data["t"])
    if "b" in data:
        return base64.b64decode(data["b"], validate=True)
    if "m" in data:
        return {from_plain(k): from_plain(v) for k, v in data["m"]}
    if "f" in data:
        return frozenset(from_plain(item) for item in data["f"])
    if "s" in data:
        return {from_plain(item) for item in data["s"]}
    if "c" in data:
        kind = allowed_type(data["c"])
        return kind(**{name: from_plain(value) for name, value in data["v"].items()})
    raise ValueError("unknown value")


def encode(value: Any) -> bytes:
    """A value as bytes: raw bytes tagged as such, anything else as tagged JSON."""
    if isinstance(value, bytes):
        return RAW + value
    return STRUCTURED + json.dumps(to_plain(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(blob: bytes) -> Any:
    """The value `encode` turned into `blob`; ValueError for anything else."""
    if blob[:1] == RAW:
        return bytes(blob[1:])
    if blob[:1] != STRUCTURED:
        raise ValueError("unknown encoding")
    try:
        return from_plain(json.loads(blob[1:].decode("utf-8")))
    except (TypeError, KeyError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(str(error)) from error
