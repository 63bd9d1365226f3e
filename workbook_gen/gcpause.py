"""Pause Python's cyclic garbage collector around work that makes a great many objects
and no cyclic garbage (reading 10,000 cached results, rendering a recap of 10,000 units).

Each full collection walks every object alive, so while 10,000 units are held it costs
more the more units there are: about a second of a three-second incremental konsolidasi.
Reference counting still frees everything that is not a cycle; the collector runs again
when the block ends."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def worker_gc() -> None:
    """A worker process: what it inherited stays out of the collector's scans, which run
    less often (each workbook read makes tens of thousands of short-lived objects and
    little cyclic garbage)."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
