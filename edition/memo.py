"""Pure computations and the content hashes of their declared inputs in, their results out: computed once,
then taken from the build cache for as long as those inputs stay the same.

Memoisation is one concern of the orchestrator (`site.py`), not of the stages: a stage is a plain function
of its inputs, and `Memo` keys its call by a fingerprint of the inputs the caller declares, reads the result
back only if the stored bytes are the ones stored (the cache checks a checksum), records every key a build
uses (the rest is forgotten afterwards) and stores what was computed. Without a store it only computes. The
store is anything with `get_many` and `put_many`: the SQLite cache beside the output, a table in memory
(`MemoryStore`), or the two in layers (`LayeredStore`), as the live preview keeps them between builds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from .cache import Fingerprints

Item = TypeVar("Item")
Value = TypeVar("Value")


class Store(Protocol):
    """Where results live between builds."""

    def get_many(self, keys: list[str]) -> dict[str, Any]: ...

    def put_many(self, items: dict[str, Any]) -> None: ...


class MemoryStore:
    """Results in a dict, for a process that builds more than once."""

    def __init__(self) -> None:
        self.table: dict[str, Any] = {}

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The results known of these keys."""
        return {key: self.table[key] for key in keys if key in self.table}

    def put_many(self, items: dict[str, Any]) -> None:
        """Remember results by key."""
        self.table.update(items)

    def keep_only(self, keys: set[str]) -> None:
        """Forget every result the last build did not use, so a long preview does not grow without end."""
        self.table = {key: value for key, value in self.table.items() if key in keys}


class LayeredStore:
    """Results in memory first, then in the store behind it; what is found behind or computed is kept in
    memory too. Between a preview's builds this spares decoding and checking every stored value again: at
    10,000 articles that is seconds per save."""

    def __init__(self, memory: MemoryStore, behind: Store) -> None:
        self.memory = memory
        self.behind = behind

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The results known of these keys, from memory where it has them."""
        found = self.memory.get_many(keys)
        missing = [key for key in keys if key not in found]
        if missing:
            fetched = self.behind.get_many(missing)
            self.memory.put_many(fetched)
            found.update(fetched)
        return found

    def put_many(self, items: dict[str, Any]) -> None:
        """Remember results by key in memory and behind it."""
        self.memory.put_many(items)
        self.behind.put_many(items)


def always(_value: Any) -> bool:
    """Every result may be kept."""
    return True


class Memo:
    """Memoised calls over one store for one build: the keys it used, and how many results of each kind it
    computed."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store
        self.used: set[str] = set()
        self.computed: Counter[str] = Counter()
        self.fingerprints = Fingerprints()

    def one(
        self,
        kind: str,
        inputs: tuple[Any, ...],
        compute: Callable[[], Value],
        *,
        expect: type | tuple[type, ...] = object,
        keep: Callable[[Value], bool] = always,
    ) -> Value:
        """`compute()`, or its stored result under the fingerprint of `kind` and `inputs`."""
        return self.many(
            kind, [None], lambda _: inputs, lambda items: [compute() for _ in items], expect=expect, keep=keep
        )[0]

    def many(
        self,
        kind: str,
        items: Sequence[Item],
        inputs_of: Callable[[Item], tuple[Any, ...]],
        compute: Callable[[list[Item]], list[Value]],
        *,
        expect: type | tuple[type, ...] = object,
        keep: Callable[[Value], bool] = always,
    ) -> list[Value]:
        """`compute(items)` for every item whose result is not stored under the fingerprint of `kind` and its
        declared inputs; all missing items go to one call, so it can spread them over the cores. Results
        `keep` refuses (those with problems to report) are not stored."""
        if self.store is None:
            made = compute(list(items))
            self.computed[kind] += len(made)
            return made
        keys = [self.fingerprints.of(kind, *inputs_of(item)) for item in items]
        self.used.update(keys)
        stored: dict[str, Any] = self.store.get_many(keys)
        found: dict[str, Value] = {key: stored[key] for key in stored if isinstance(stored[key], expect)}
        missing = [index for index, key in enumerate(keys) if key not in found]
        made = compute([items[index] for index in missing])
        self.computed[kind] += len(made)
        fresh: dict[int, Value] = dict(zip(missing, made, strict=True))
        storable = {keys[index]: value for index, value in fresh.items() if keep(value)}
        if storable:
            self.store.put_many(storable)
        return [fresh[index] if index in fresh else found[key] for index, key in enumerate(keys)]
