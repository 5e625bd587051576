"""Independent jobs in, their results in the same order out: spread over the machine's cores in processes.

The token and template work is CPU-bound Python, so threads would not help. Workers are forked, so they
start with the parent's state already built (compiled templates, the glossary's automaton, the resolved
edition) and only job numbers go out and results come back. A job that fails in a worker is run again in
the parent, so its error surfaces with its real traceback (template errors are located from it).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# What the forked workers find: set in the parent just before the pool starts, read by `_run_chunk`.
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


class _Failed:
    """A job that raised in a worker; the parent runs it again to raise the error itself."""


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    """Run the jobs `start` to `end` of the inherited work list, in a worker."""
    assert _work is not None
    function, items = _work
    results: list[Any] = []
    for index in range(*bounds):
        try:
            results.append(function(items[index]))
        except Exception:
            results.append(_Failed())
    return results


@dataclass(frozen=True)
class Workers:
    """How many processes a build may use, and from how many jobs on a pool pays for its start."""

    count: int = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    threshold: int = 64

    def map(
        self, function: Callable[[Item], Result], items: Sequence[Item], progress: Callable[[int], None] | None = None
    ) -> list[Result]:
        """`function` applied to each item, in order; in worker processes when there are enough items.
        `progress` hears how many results have arrived so far."""
        if (
            self.count < 2
            or len(items) < max(self.threshold, 2)
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            results = []
            for item in items:
                results.append(function(item))
                if progress:
                    progress(len(results))
            return results
        global _work
        # Several chunks per worker keep both busy when some jobs are slower; few enough to keep overhead low.
        size = max(1, -(-len(items) // (self.count * 8)))
        chunks = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
        _work = (function, items)
        # Frozen objects are left out of the workers' garbage collections, which would otherwise touch, and
        # so copy, every page of the parent's memory.
        keep_made()
        try:
            with multiprocessing.get_context("fork").Pool(self.count) as pool:
                results = []
                for chunk in pool.imap(_run_chunk, chunks):
                    results += chunk
                    if progress:
                        progress(len(results))
        finally:
            _work = None
        return [function(items[i]) if isinstance(r, _Failed) else r for i, r in enumerate(results)]


SERIAL = Workers(count=1)


def keep_made() -> None:
    """Leave every object made so far out of later garbage collections, until `kept_until_done` ends: a build
    keeps what its stages make to its end, and each full collection would walk all of it again (at 10,000
    articles, 20 of them took 15 % of a build after one edit)."""
    gc.freeze()


def collect_then_keep() -> None:
    """Collect every object's garbage once, then leave what is left out of later collections: what the live
    preview keeps between saves (a full collection over it holds the interpreter for 1.6–2.0 s at 10,000
    articles, and a save's page and its rest would wait for it), the state it replaces freed with its cycles."""
    gc.unfreeze()
    gc.collect()
    keep_made()


@contextmanager
def kept_until_done() -> Iterator[None]:
    """Hand the objects `keep_made` left out back to the garbage collector at the end (of a build)."""
    try:
        yield
    finally:
        gc.unfreeze()
