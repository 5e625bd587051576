"""Content-addressed build cache beside the output: keys are hashes of everything a result depends on,
values are the results; plus the manifest of the files last written to `site/`, and what the last build
read and reported (for a build with nothing changed).

The cache can only ever save work, never change a result: every key includes the build's own version (a
hash of this package's source and of the libraries that shape the output), so a cache from other code is
never read. A cache that cannot be read, or was written by something else, is discarded with a warning.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .codec import decode, encode
from .model import BuildReport
from .paths import CODE

FAMILY = "edition-cache-"
FORMAT = FAMILY + "3"
# SQLite's result codes for a damaged file and for a file that is no database: such a file is removed.
DAMAGED = (11, 26)
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
    for path in CODE.sources():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}={version(library)}".encode())
    return digest.hexdigest()


class Fingerprints:
    """Stable hashes of any mix of strings, numbers, dataclasses and containers, with the engine version.

    A frozen dataclass is digested once per instance for as long as this object lives (one build): pages
    share their articles and entries, and hashing them by value, as a cache keyed by the value would, walks
    each again every time it is looked up. A value's canonical bytes are gathered in a list and hashed in one
    call: a warm build fingerprints millions of values, and a call into the hash for each cost more than the
    hashing itself."""

    def __init__(self) -> None:
        self.digests: dict[int, tuple[Any, bytes]] = {}

    def of(self, *parts: Any) -> str:
        """The fingerprint of `parts`."""
        out = [engine_version().encode()]
        for part in parts:
            self._put(out, part)
        return hashlib.sha256(b"".join(out)).hexdigest()

    def _put(self, out: list[bytes], value: Any) -> None:
        """Append a canonical serialisation of `value` to `out` (dataclasses, containers, scalars)."""
        kind = type(value)
        if kind is str:  # most of what is fed: checked first
            data = value.encode()
            out += (b"s%d:" % len(data), data)
        elif kind is int:  # as `scalar_bytes` gives it, without the call
            out.append(b"%d;" % value)
        elif kind is tuple or kind is list:
            out.append(b"[")
            for item in value:
                if type(item) is str:
                    data = item.encode()
                    out += (b"s%d:" % len(data), data)
                else:
                    self._put(out, item)
            out.append(b"]")
        elif value is None or isinstance(value, (str, bytes, bool, int, float)):
            out.append(scalar_bytes(value))
        elif (params := getattr(kind, "__dataclass_params__", None)) is not None:
            if params.frozen:
                out += (b"d", self._frozen_digest(value))
            else:
                self._put_fields(out, value)
        else:
            self._put_container(out, value)

    def _put_container(self, out: list[bytes], value: Any) -> None:
        """Append a dict in key order, a list or tuple (of a subclass) in its order, a set sorted."""
        if isinstance(value, dict):
            out.append(b"{")
            for key in sorted(value, key=repr):
                self._put(out, key)
                self._put(out, value[key])
            out.append(b"}")
        elif isinstance(value, (list, tuple)):
            self._put(out, list(value))
        elif isinstance(value, (set, frozenset)):
            self._put(out, sorted(value, key=repr))
        else:
            raise TypeError(f"cannot fingerprint {type(value).__name__}")

    def _frozen_digest(self, value: Any) -> bytes:
        """The digest of a frozen dataclass instance, computed the first time it is met. The instance is kept
        with it, so its identity cannot pass to another object while the digest is known."""
        known = self.digests.get(id(value))
        if known is not None:
            return known[1]
        out: list[bytes] = []
        self._put_fields(out, value)
        found = hashlib.sha256(b"".join(out)).digest()
        self.digests[id(value)] = (value, found)
        return found

    def _put_fields(self, out: list[bytes], value: Any) -> None:
        """Append a dataclass's name and its fingerprinted fields."""
        layout: type = type(value)
        opening, names = dataclass_layout(layout)
        out.append(opening)
        for name in names:
            item = getattr(value, name)
            kind = type(item)
            if kind is str:
                data = item.encode()
                out += (b"s%d:" % len(data), data)
            elif kind is int:
                out.append(b"%d;" % item)
            elif kind is bool or item is None:
                out.append(SINGLETONS[item])
            else:
                self._put(out, item)
        out.append(b")")


SINGLETONS = {value: repr(value).encode() + b";" for value in (True, False, None)}  # as `scalar_bytes` gives them


@cache
def dataclass_layout(kind: type) -> tuple[bytes, tuple[str, ...]]:
    """A dataclass's opening (its name) and its field names, looked up once per class (`dataclasses.fields`
    builds them on every call)."""
    return kind.__name__.encode() + b"(", tuple(field.name for field in fields(kind))


def scalar_bytes(value: str | bytes | bool | int | float | None) -> bytes:
    """A text or bytes with its length (so no two sequences of them collide), any other scalar by repr."""
    if isinstance(value, str):
        data = value.encode()
        return b"s%d:" % len(data) + data
    if isinstance(value, bytes):
        return b"b%d:" % len(value) + value
    return repr(value).encode() + b";"


def fingerprint(*parts: Any) -> str:
    """A stable hash of any mix of strings, numbers, dataclasses and containers, with the engine version."""
    return Fingerprints().of(*parts)


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
    memory). Every stored value carries the SHA-256 of its bytes, checked on each read.

    The cache only accelerates: whatever goes wrong with it (a read-only file, a folder in its place, a full
    disk, a damaged or foreign database) ends in one warning and a build without it, never a failed build.
    """

    def __init__(self, path: Path | None, db: sqlite3.Connection | None = None) -> None:
        self.path = path
        self.warnings: list[str] = []
        self.damaged = 0
        self.readonly = db is not None  # a glance's: never changed nor removed
        self.db: sqlite3.Connection | None = db
        if db is None:
            self.db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        """Open the cache; start afresh, with a warning, if it is damaged or foreign; go on without one, with a
        warning, if it cannot be opened or written."""
        if self.path is None:
            return self._create(sqlite3.connect(":memory:"))
        try:
            return self._open_file(self.path)
        except (sqlite3.OperationalError, OSError) as error:  # cannot be opened, read-only, locked, disk full
            self._give_up(error)
            return None
        except (sqlite3.DatabaseError, ValueError) as error:  # damaged or foreign: replaced below
            reason = error
        try:
            self.path.unlink(missing_ok=True)
            db = self._create(connect(self.path))
        except (sqlite3.Error, OSError) as error:
            self._give_up(error)
            return None
        self.warnings.append(f"Der Zwischenspeicher {self.path.name} war unbrauchbar ({reason}) und wird neu angelegt.")
        return db

    def _open_file(self, path: Path) -> sqlite3.Connection:
        """The cache file as it is; a file of another version of the build replaced quietly."""
        if path.exists() and not path.is_file():
            raise OSError(f"{path.name} ist keine Datei")
        db = connect(path)
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                return self._create(db)
            stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if not str(stored.get("format", "")).startswith(FAMILY):
                raise ValueError(f"fremdes Format {stored.get('format')!r}")
            if stored.get("format") != FORMAT or stored.get("engine") != engine_version():
                # Another version of the build wrote it: nothing in it can be reused, so start afresh quietly.
                db.close()
                path.unlink()
                return self._create(connect(path))
            db.execute("SELECT count(*) FROM results").fetchone()
            return db
        except BaseException:
            db.close()
            raise

    def _give_up(self, error: BaseException) -> None:
        """Go on without the cache, saying why once; a damaged database file is removed for the next build."""
        name = self.path.name if self.path else "im Speicher"
        self.warnings.append(f"Der Zwischenspeicher {name} ist nicht benutzbar ({error}); dieser Build läuft ohne ihn.")
        db, self.db = self.db, None
        if db is not None:
            try:
                db.rollback()
                db.close()
            except sqlite3.Error:
                pass
        if not self.readonly and self.path is not None and getattr(error, "sqlite_errorcode", None) in DAMAGED:
            with suppress(OSError):
                self.path.unlink(missing_ok=True)

    @property
    def usable(self) -> bool:
        """Whether the cache is still in use (it is dropped at its first failure)."""
        return self.db is not None

    @classmethod
    def peek(cls, path: Path) -> BuildCache | None:
        """The cache at `path` opened read-only, or None if it is missing, unreadable, foreign or from another
        version of the build: a glance must neither change nor discard it (the build that follows warns)."""
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
            stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except (sqlite3.Error, OSError, ValueError):
            return None
        if stored.get("format") != FORMAT or stored.get("engine") != engine_version():
            db.close()
            return None
        return cls(path, db)

    @staticmethod
    def _create(db: sqlite3.Connection) -> sqlite3.Connection:
        db.executescript("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB, checksum TEXT);
            CREATE TABLE IF NOT EXISTS manifest (path TEXT PRIMARY KEY, hash TEXT, size INTEGER, mtime INTEGER);
            CREATE TABLE IF NOT EXISTS inputs (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, hash TEXT,
                                               racy INTEGER);
            CREATE TABLE IF NOT EXISTS folders (path TEXT PRIMARY KEY, mtime INTEGER);
            CREATE TABLE IF NOT EXISTS last_build (id INTEGER PRIMARY KEY CHECK (id = 0), value BLOB, checksum TEXT);
        """)
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [("format", FORMAT), ("engine", engine_version())])
        db.commit()
        return db

    def _query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """The rows of a query; none once the cache is dropped, and none (dropping it) if it fails."""
        if self.db is None:
            return []
        try:
            return self.db.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            self._give_up(error)
            return []

    def _change(self, *statements: tuple[str, Sequence[Any] | list[Sequence[Any]]]) -> None:
        """Run statements that change the cache (a list of rows runs one statement for each); drop it if they fail."""
        if self.db is None:
            return
        try:
            for sql, parameters in statements:
                if isinstance(parameters, list):
                    self.db.executemany(sql, parameters)
                else:
                    self.db.execute(sql, parameters)
        except sqlite3.Error as error:
            self._give_up(error)

    def _verified(self, key: str, blob: bytes, checksum: str | None) -> Any | None:
        """A stored value if its bytes are those stored; a damaged one is a miss, with a warning."""
        if checksum != checksum_of(key, blob):
            if not self.damaged:
                name = self.path.name if self.path else "im Speicher"
                self.warnings.append(
                    f"Im Zwischenspeicher {name} waren Einträge beschädigt (Prüfsumme falsch); sie wurden verworfen "
                    "und neu berechnet."
                )
            self.damaged += 1
            return None
        try:
            return decode(blob)
        except (ValueError, TypeError):
            return None

    def get(self, key: str) -> Any | None:
        """The result stored under `key`, or None."""
        return self.get_many([key]).get(key)

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The stored results of many keys at once, each checked against its checksum."""
        found: dict[str, Any] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob, checksum in self._query(
                f"SELECT key, value, checksum FROM results WHERE key IN ({marks})", chunk
            ):
                value = self._verified(key, bytes(blob), checksum)
                if value is not None:
                    found[key] = value
        return found

    def put_many(self, items: dict[str, Any]) -> None:
        """Store results by key, each with the checksum of its bytes."""
        rows = []
        for key, value in items.items():
            try:
                blob = encode(value)
            except (TypeError, ValueError):  # a value the codec does not know is not kept: a miss next time
                continue
            rows.append((key, blob, checksum_of(key, blob)))
        self._change(("INSERT OR REPLACE INTO results VALUES (?, ?, ?)", rows))

    def keep_only(self, keys: set[str]) -> None:
        """Forget every result not used by the last build, so the cache does not grow without end."""
        self._change(
            ("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)", ()),
            ("DELETE FROM used", ()),
            ("INSERT OR IGNORE INTO used VALUES (?)", [(k,) for k in sorted(keys)]),
            ("DELETE FROM results WHERE key NOT IN (SELECT key FROM used)", ()),
        )

    def manifest(self) -> dict[str, tuple[str, int, int]]:
        """Path → (hash, size, mtime in ns) of every file the last build left in the output."""
        return {
            path: (digest, size, mtime)
            for path, digest, size, mtime in self._query("SELECT * FROM manifest")
            if isinstance(path, str) and isinstance(digest, str) and isinstance(size, int) and isinstance(mtime, int)
        }

    def set_manifest(self, manifest: dict[str, tuple[str, int, int]]) -> None:
        """Replace the manifest."""
        self._change(
            ("DELETE FROM manifest", ()),
            ("INSERT INTO manifest VALUES (?, ?, ?, ?)", [(path, *entry) for path, entry in sorted(manifest.items())]),
        )

    def last_build(self) -> LastBuild | None:
        """What the last successful build read and reported, if it left a record."""
        rows = self._query("SELECT value, checksum FROM last_build")
        if not rows:
            return None
        found = self._verified("last_build", bytes(rows[0][0]), rows[0][1])
        return found if isinstance(found, LastBuild) else None

    def input_stats(self) -> dict[str, InputStat]:
        """Each input file as the last build looked at it."""
        return {
            path: InputStat(size, mtime, digest, bool(racy))
            for path, size, mtime, digest, racy in self._query("SELECT * FROM inputs")
        }

    def folder_times(self) -> dict[str, int]:
        """Each output folder's modification time after the last build wrote it."""
        return dict(self._query("SELECT path, mtime FROM folders"))

    def set_last_build(self, last: LastBuild | None, inputs: dict[str, InputStat], folders: dict[str, int]) -> None:
        """Replace the record of the last build (None: forget it, so the next build looks in full)."""
        forget: list[tuple[str, Sequence[Any]]] = [
            ("DELETE FROM last_build", ()),
            ("DELETE FROM inputs", ()),
            ("DELETE FROM folders", ()),
        ]
        if last is None:
            self._change(*forget)
            return
        blob = encode(last)
        self._change(
            *forget,
            ("INSERT INTO last_build VALUES (0, ?, ?)", (blob, checksum_of("last_build", blob))),
            (
                "INSERT INTO inputs VALUES (?, ?, ?, ?, ?)",
                [(path, s.size, s.mtime, s.hash, int(s.racy)) for path, s in inputs.items()],
            ),
            ("INSERT INTO folders VALUES (?, ?)", sorted(folders.items())),
        )

    def close(self) -> None:
        """Commit and close; a cache that cannot be written is given up with a warning."""
        if self.db is None:
            return
        try:
            if not self.readonly:
                self.db.commit()
            self.db.close()
            self.db = None
        except sqlite3.Error as error:
            self._give_up(error)


def checksum_of(key: str, blob: bytes) -> str:
    """The SHA-256 of a stored value's bytes and of the key it belongs to: a value read under another key
    (a damaged index) fails the check as a damaged value does."""
    return hashlib.sha256(key.encode() + b"\0" + blob).hexdigest()


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the cache file that waits a moment for another reader rather than failing."""
    return sqlite3.connect(path, timeout=5.0)


def state_folder(out: Path, root: Path | None = None) -> Path:
    """Where a build keeps what it needs beside an output folder (its cache, its lock): the folder that holds
    the output, but never one above the project `root` (an output beside the project keeps them in the
    project instead, so nothing else appears beside it)."""
    folder = out.resolve().parent
    if root is not None and folder in root.resolve().parents:
        folder = root.resolve()
    return folder


def cache_file(out: Path, root: Path | None = None) -> Path:
    """Where the build cache for an output folder lives: beside it (see `state_folder`), never inside it."""
    return state_folder(out, root) / f".{out.resolve().name}.cache.sqlite"


@contextmanager
def open_cache(out: Path, use_cache: bool, root: Path | None = None) -> Iterator[BuildCache | None]:
    """The build cache beside `out` (or none), committed and closed when the build ends."""
    if not use_cache:
        yield None
        return
    with suppress(OSError):  # else the cache warns that it cannot be opened, and writing says what is wrong
        out.resolve().parent.mkdir(parents=True, exist_ok=True)
    cache = BuildCache(cache_file(out, root))
    try:
        yield cache
    finally:
        cache.close()
