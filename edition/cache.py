"""Content-addressed build cache beside the output: keys are hashes of everything a result depends on,
values are the results; plus the manifest of the files last written to `site/`, and what the last build
read and reported (for a build with nothing changed).

The cache can only ever save work, never change a result: every key includes the build's own version (a
hash of this package's source and of the libraries that shape the output), so a cache from other code is
never read. A cache that cannot be read, or was written by something else, is discarded with a warning.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .model import BuildReport

FORMAT = "edition-cache-2"
LIBRARIES = (
    "markdown-it-py",
    "Jinja2",
    "MarkupSafe",
    "Pygments",
    "PyYAML",
    "pyahocorasick",
    "jsonschema",
    "rjsmin",
    "rcssmin",
)


@cache
def engine_version() -> str:
    """A hash of the package's source files and the versions of the libraries that shape the output."""
    digest = hashlib.sha256(FORMAT.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}={version(library)}".encode())
    return digest.hexdigest()


def _feed(digest: Any, value: Any) -> None:
    """Feed a canonical serialisation of `value` to `digest` (dataclasses, containers, scalars)."""
    if isinstance(value, str):
        digest.update(b"s%d:" % len(value.encode()) + value.encode())
    elif isinstance(value, bytes):
        digest.update(b"b%d:" % len(value) + value)
    elif value is None or isinstance(value, (bool, int, float)):
        digest.update(repr(value).encode() + b";")
    elif is_dataclass(value) and not isinstance(value, type):
        try:
            digest.update(b"d" + _dataclass_digest(value))
        except TypeError:  # a dataclass holding a dict or list is not hashable: feed it field by field
            _feed_fields(digest, value)
    elif isinstance(value, dict):
        digest.update(b"{")
        for key in sorted(value, key=repr):
            _feed(digest, key)
            _feed(digest, value[key])
        digest.update(b"}")
    elif isinstance(value, (list, tuple)):
        digest.update(b"[")
        for item in value:
            _feed(digest, item)
        digest.update(b"]")
    elif isinstance(value, (set, frozenset)):
        _feed(digest, sorted(value, key=repr))
    else:
        raise TypeError(f"cannot fingerprint {type(value).__name__}")


def _feed_fields(digest: Any, value: Any) -> None:
    """Feed a dataclass's name and its fingerprinted fields."""
    digest.update(type(value).__name__.encode() + b"(")
    for field in fields(value):
        if field.metadata.get("fingerprint", True):
            _feed(digest, getattr(value, field.name))
    digest.update(b")")


@lru_cache(maxsize=1 << 16)
def _dataclass_digest(value: Any) -> bytes:
    """The digest of a frozen dataclass, computed once per distinct value: pages share articles and entries."""
    digest = hashlib.sha256()
    _feed_fields(digest, value)
    return digest.digest()


def fingerprint(*parts: Any) -> str:
    """A stable hash of any mix of strings, numbers, dataclasses and containers, with the engine version."""
    digest = hashlib.sha256(engine_version().encode())
    for part in parts:
        _feed(digest, part)
    return digest.hexdigest()


@dataclass(frozen=True)
class InputStat:
    """An input file as a build last looked at it: size, modification time, hash; `racy` when it was
    modified so shortly before the look that its time alone cannot vouch for its bytes next time."""

    size: int
    mtime: int
    hash: str
    racy: bool = False


@dataclass(frozen=True)
class LastBuild:
    """The last successful build: the digest of its inputs, the files its pages included, its report."""

    inputs: str
    extras: tuple[str, ...]
    report: BuildReport


class BuildCache:
    """Results by key, the manifest of written files and the last build's record, in one SQLite file (or in
    memory)."""

    def __init__(self, path: Path | None, db: sqlite3.Connection | None = None) -> None:
        self.path = path
        self.warnings: list[str] = []
        self.extra_keys: set[str] = set()
        self.db = db or self._open()

    def _open(self) -> sqlite3.Connection:
        """Open the cache; start afresh, with a warning, if it is unreadable or foreign."""
        if self.path is None:
            return self._create(sqlite3.connect(":memory:"))
        try:
            db = sqlite3.connect(self.path)
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                return self._create(db)
            stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if stored.get("format") != FORMAT:
                raise sqlite3.DatabaseError(f"fremdes Format {stored.get('format')!r}")
            if stored.get("engine") != engine_version():
                # Another version of the build wrote it: nothing in it can be reused, so start afresh quietly.
                db.close()
                self.path.unlink()
                return self._create(sqlite3.connect(self.path))
            db.execute("SELECT count(*) FROM results").fetchone()
            return db
        except (sqlite3.DatabaseError, OSError) as error:
            self.warnings.append(
                f"Der Zwischenspeicher {self.path.name} war unbrauchbar ({error}) und wird neu angelegt."
            )
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass
            return self._create(sqlite3.connect(self.path))

    @classmethod
    def peek(cls, path: Path) -> BuildCache | None:
        """The cache at `path` opened read-only, or None if it is missing, unreadable, foreign or from another
        version of the build: a glance must neither change nor discard it (the build that follows warns)."""
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except (sqlite3.DatabaseError, OSError, ValueError):
            return None
        if stored.get("format") != FORMAT or stored.get("engine") != engine_version():
            db.close()
            return None
        return cls(path, db)

    @staticmethod
    def _create(db: sqlite3.Connection) -> sqlite3.Connection:
        db.executescript("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB);
            CREATE TABLE IF NOT EXISTS manifest (path TEXT PRIMARY KEY, hash TEXT, size INTEGER, mtime INTEGER);
            CREATE TABLE IF NOT EXISTS inputs (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, hash TEXT,
                                               racy INTEGER);
            CREATE TABLE IF NOT EXISTS folders (path TEXT PRIMARY KEY, mtime INTEGER);
            CREATE TABLE IF NOT EXISTS last_build (id INTEGER PRIMARY KEY CHECK (id = 0), value BLOB);
        """)
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [("format", FORMAT), ("engine", engine_version())])
        db.commit()
        return db

    def get(self, key: str) -> Any | None:
        """The result stored under `key`, or None."""
        row = self.db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return pickle.loads(row[0])
        except Exception:  # a damaged value is a miss, never a wrong result
            return None

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The stored results of many keys at once."""
        found: dict[str, Any] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, value in self.db.execute(f"SELECT key, value FROM results WHERE key IN ({marks})", chunk):
                try:
                    found[key] = pickle.loads(value)
                except Exception:
                    continue
        return found

    def put_many(self, items: dict[str, Any]) -> None:
        """Store results by key."""
        self.db.executemany(
            "INSERT OR REPLACE INTO results VALUES (?, ?)",
            [(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) for key, value in items.items()],
        )

    def mark_used(self, key: str) -> None:
        """Keep a result that `keep_only` would not otherwise know about."""
        self.extra_keys.add(key)

    def keep_only(self, keys: set[str]) -> None:
        """Forget every result not used by the last build, so the cache does not grow without end."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM used")
        self.db.executemany("INSERT OR IGNORE INTO used VALUES (?)", [(k,) for k in keys | self.extra_keys])
        self.db.execute("DELETE FROM results WHERE key NOT IN (SELECT key FROM used)")

    def manifest(self) -> dict[str, tuple[str, int, int]]:
        """Path → (hash, size, mtime in ns) of every file the last build left in the output."""
        return {path: (digest, size, mtime) for path, digest, size, mtime in self.db.execute("SELECT * FROM manifest")}

    def set_manifest(self, manifest: dict[str, tuple[str, int, int]]) -> None:
        """Replace the manifest."""
        self.db.execute("DELETE FROM manifest")
        self.db.executemany(
            "INSERT INTO manifest VALUES (?, ?, ?, ?)", [(path, *entry) for path, entry in sorted(manifest.items())]
        )

    def last_build(self) -> LastBuild | None:
        """What the last successful build read and reported, if it left a record."""
        row = self.db.execute("SELECT value FROM last_build").fetchone()
        try:
            found = pickle.loads(row[0]) if row else None
        except Exception:  # a damaged record only costs a full build
            return None
        return found if isinstance(found, LastBuild) else None

    def input_stats(self) -> dict[str, InputStat]:
        """Each input file as the last build looked at it."""
        return {
            path: InputStat(size, mtime, digest, bool(racy))
            for path, size, mtime, digest, racy in self.db.execute("SELECT * FROM inputs")
        }

    def folder_times(self) -> dict[str, int]:
        """Each output folder's modification time after the last build wrote it."""
        return dict(self.db.execute("SELECT path, mtime FROM folders").fetchall())

    def set_last_build(self, last: LastBuild | None, inputs: dict[str, InputStat], folders: dict[str, int]) -> None:
        """Replace the record of the last build (None: forget it, so the next build looks in full)."""
        self.db.execute("DELETE FROM last_build")
        self.db.execute("DELETE FROM inputs")
        self.db.execute("DELETE FROM folders")
        if last is None:
            return
        self.db.execute("INSERT INTO last_build VALUES (0, ?)", (pickle.dumps(last, protocol=pickle.HIGHEST_PROTOCOL),))
        self.db.executemany(
            "INSERT INTO inputs VALUES (?, ?, ?, ?, ?)",
            [(path, s.size, s.mtime, s.hash, int(s.racy)) for path, s in inputs.items()],
        )
        self.db.executemany("INSERT INTO folders VALUES (?, ?)", sorted(folders.items()))

    def commit(self) -> None:
        """Make what was stored durable."""
        self.db.commit()

    def close(self) -> None:
        """Commit and close."""
        self.db.commit()
        self.db.close()


def cache_file(out: Path, root: Path | None = None) -> Path:
    """Where the build cache for an output folder lives: beside it, never inside it; and never in a folder
    above the project `root` (an output beside the project keeps its cache in the project instead)."""
    folder = out.resolve().parent
    if root is not None and folder in root.resolve().parents:
        folder = root.resolve()
    return folder / f".{out.resolve().name}.cache.sqlite"


@contextmanager
def open_cache(out: Path, use_cache: bool, root: Path | None = None) -> Iterator[BuildCache | None]:
    """The build cache beside `out` (or none), committed and closed when the build ends."""
    if not use_cache:
        yield None
        return
    out.resolve().parent.mkdir(parents=True, exist_ok=True)
    cache = BuildCache(cache_file(out, root))
    try:
        yield cache
    finally:
        cache.close()
