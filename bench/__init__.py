"""Benchmark tools of the edition: a synthetic edition generator (`bench.generate`) and what runs it."""
