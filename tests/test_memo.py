"""The memo layer: a computation runs once per distinct declared input, its key is recorded, what it must not
keep is not kept, and a stored value whose bytes changed is computed again."""

from __future__ import annotations

from pathlib import Path

from edition.cache import BuildCache
from edition.memo import LayeredStore, Memo, MemoryStore
from edition.model import Rendered


def test_a_computation_runs_once_per_distinct_input() -> None:
    store, calls = MemoryStore(), []

    def square(items: list[int]) -> list[int]:
        calls.append(list(items))
        return [n * n for n in items]

    assert Memo(store).many("square", [1, 2, 3], lambda n: (n,), square) == [1, 4, 9]
    again = Memo(store)
    assert again.many("square", [3, 4, 1], lambda n: (n,), square) == [9, 16, 1]
    assert calls == [[1, 2, 3], [4]] and again.computed["square"] == 1 and len(again.used) == 3


def test_results_it_must_not_keep_are_computed_again() -> None:
    store, calls = MemoryStore(), []

    def count() -> str:
        calls.append(1)
        return "mit Problem"

    for _ in range(2):
        assert Memo(store).one("text", ("a",), count, keep=lambda value: False) == "mit Problem"
    assert len(calls) == 2


def test_without_a_store_it_only_computes() -> None:
    memo = Memo()
    assert memo.one("x", ("a",), lambda: 1) == 1 and not memo.used and memo.computed["x"] == 1


def test_a_value_changed_on_disk_is_computed_again_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / ".site.cache.sqlite"
    cache = BuildCache(path)
    Memo(cache).one("text", ("Sonderzug",), lambda: Rendered("<p>Sonderzug</p>"))
    cache.close()
    path.write_bytes(path.read_bytes().replace(b"<p>Sonderzug", b"<p>Sondxrzug"))
    cache = BuildCache(path)
    found = Memo(cache).one("text", ("Sonderzug",), lambda: Rendered("<p>Sonderzug</p>"), expect=Rendered)
    assert found.html == "<p>Sonderzug</p>" and len(cache.warnings) == 1 and "Prüfsumme" in cache.warnings[0]
    cache.close()


class CountingStore(MemoryStore):
    """A store that counts the keys asked of it."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def get_many(self, keys: list[str]) -> dict[str, object]:
        self.asked += keys
        return super().get_many(keys)


def test_a_layered_store_asks_behind_only_for_what_memory_lacks_and_keeps_it() -> None:
    behind, memory = CountingStore(), MemoryStore()
    Memo(behind).many("square", [1, 2], lambda n: (n,), lambda items: [n * n for n in items])
    behind.asked.clear()
    layered = LayeredStore(memory, behind)
    first = Memo(layered)
    assert first.many("square", [1, 2, 3], lambda n: (n,), lambda items: [n * n for n in items]) == [1, 4, 9]
    assert len(behind.asked) == 3 and len(memory.table) == 3 and len(behind.table) == 3  # 9 went to both
    behind.asked.clear()
    assert Memo(layered).many("square", [3, 1], lambda n: (n,), lambda items: []) == [9, 1]
    assert behind.asked == []
    memory.keep_only({next(iter(first.used))})
    assert len(memory.table) == 1
