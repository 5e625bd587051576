"""The build cache, by its behaviour: what is stored can be read back, keys change with every input, a
damaged or foreign cache is discarded with a warning and never gives a wrong result."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

from edition.cache import BuildCache, Fingerprints, cache_file, fingerprint, open_cache
from edition.dates import PartialDate
from edition.memo import Memo


def test_a_value_stored_can_be_read_back_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with open_cache(tmp_path / "site", use_cache=True) as cache:
        assert cache is not None
        cache.put_many({"a": b"<p>eins</p>", "b": {"terms": ("juche",)}})
    path = cache_file(tmp_path / "site")
    reopened = BuildCache(path)
    assert reopened.get("a") == b"<p>eins</p>" and reopened.get_many(["b", "fehlt"]) == {"b": {"terms": ("juche",)}}
    assert reopened.get("fehlt") is None and reopened.warnings == []
    reopened.close()


def test_no_cache_means_none(tmp_path: Path) -> None:
    with open_cache(tmp_path / "site", use_cache=False) as cache:
        assert cache is None
    assert list(tmp_path.iterdir()) == []


def test_the_cache_lives_beside_the_output_never_inside(tmp_path: Path) -> None:
    assert cache_file(tmp_path / "site") == tmp_path.resolve() / ".site.cache.sqlite"


def test_results_not_used_by_the_last_build_are_forgotten(tmp_path: Path) -> None:
    path = tmp_path / ".site.cache.sqlite"
    cache = BuildCache(path)
    Memo(cache).many("text", ["alt", "neu"], lambda item: (item,), lambda items: [f"<p>{i}</p>" for i in items])
    # the next build reads one stored result, computes one new result and leaves the other one unused
    memo = Memo(cache)
    found = memo.many("text", ["neu", "extra"], lambda item: (item,), lambda items: [f"<p>{i}</p>" for i in items])
    assert found == ["<p>neu</p>", "<p>extra</p>"] and memo.computed["text"] == 1
    cache.keep_only(memo.used)
    cache.close()
    reopened = BuildCache(path)
    keys = {name: fingerprint("text", name) for name in ("alt", "neu", "extra")}
    assert reopened.get_many(list(keys.values())) == {keys["neu"]: "<p>neu</p>", keys["extra"]: "<p>extra</p>"}
    reopened.close()


def test_the_manifest_is_replaced_as_a_whole() -> None:
    cache = BuildCache(None)
    cache.set_manifest({"a.html": ("h1", 1, 10), "b.html": ("h2", 2, 20)})
    cache.set_manifest({"b.html": ("h3", 3, 30)})
    assert cache.manifest() == {"b.html": ("h3", 3, 30)}


def test_a_fingerprint_changes_with_every_part_and_only_with_it() -> None:
    @dataclasses.dataclass(frozen=True)
    class Thing:
        name: str
        date: PartialDate
        line: int = 0

    base = fingerprint("page", Thing("a", PartialDate(2023, 9)), {"k": [1, 2], "l": {3, 4}}, None)
    # equal values give equal fingerprints, however they were made: dicts and sets in any order
    assert base == fingerprint("page", Thing("a", PartialDate(2023, 9)), {"l": {4, 3}, "k": [1, 2]}, None)
    assert (
        len(
            {
                base,
                fingerprint("page", Thing("b", PartialDate(2023, 9)), {"k": [1, 2], "l": {3, 4}}, None),
                fingerprint("page", Thing("a", PartialDate(2023, 10)), {"k": [1, 2], "l": {3, 4}}, None),
                fingerprint("page", Thing("a", PartialDate(2023, 9), line=7), {"k": [1, 2], "l": {3, 4}}, None),
                fingerprint("page", Thing("a", PartialDate(2023, 9)), {"k": [2, 1], "l": {3, 4}}, None),
                fingerprint("page", Thing("a", PartialDate(2023, 9)), {"k": [1, 2], "l": {3}}, None),
                fingerprint("page", Thing("a", PartialDate(2023, 9)), {"k": [1, 2], "l": {3, 4}}, ""),
                fingerprint("page", Thing("a", PartialDate(2023, 9)), {"k": [1, 2], "l": {3, 4}}),
            }
        )
        == 8
    )
    # strings are length-prefixed: moving a character across a boundary is a different input
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
    # a number, a truth value, nothing and a text stay apart, as a field, in a list and alone
    for wrap in (lambda v: Thing("a", PartialDate(2023, 9), line=v), lambda v: [v], lambda v: v):
        assert len({fingerprint(wrap(value)) for value in (1, True, None, "1", 1.0, 0, False, b"1")}) == 8


def test_one_build_digests_a_shared_value_once_and_equal_values_alike() -> None:
    @dataclasses.dataclass(frozen=True)
    class Article:
        slug: str
        tags: dict[str, list[str]]  # not hashable, but frozen: digested by identity all the same

    shared = Article("a", {"k": ["x"]})
    prints = Fingerprints()
    keys = {prints.of("page", n, shared) for n in range(100)}
    assert len(keys) == 100 and len(prints.digests) == 1
    # a fresh instance with the same value, in this build or another, gives the same keys
    assert prints.of("page", 7, Article("a", {"k": ["x"]})) in keys
    assert fingerprint("page", 7, Article("a", {"k": ["x"]})) in keys
    assert fingerprint("page", 7, Article("a", {"k": ["y"]})) not in keys


def test_a_damaged_cache_is_discarded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"kein SQLite" * 100)
    cache = BuildCache(path)
    assert len(cache.warnings) == 1 and "unbrauchbar" in cache.warnings[0]
    assert cache.get("a") is None and cache.manifest() == {}
    cache.put_many({"a": 1})
    cache.close()
    assert BuildCache(path).get("a") == 1  # started afresh, and usable


def test_a_foreign_cache_is_discarded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    BuildCache(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 'anderes-werkzeug' WHERE key = 'format'")
    db.close()
    cache = BuildCache(path)
    assert len(cache.warnings) == 1 and "anderes-werkzeug" in cache.warnings[0]


def test_a_damaged_value_is_a_miss_not_a_wrong_result(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    cache = BuildCache(path)
    cache.put_many({"a": b"gut", "b": b"auch gut"})
    cache.db.execute("UPDATE results SET value = ? WHERE key = 'a'", (b"\x80 nicht lesbar",))
    assert cache.get("a") is None and cache.get_many(["a", "b"]) == {"b": b"auch gut"}


def test_a_glance_never_changes_or_discards_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    assert BuildCache.peek(path) is None and not path.exists()
    path.write_bytes(b"kein SQLite")
    assert BuildCache.peek(path) is None and path.read_bytes() == b"kein SQLite"
