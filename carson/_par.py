"""Two cores for the graph build: its SQLite reads and its numpy passes.

Most numpy work (ufuncs, sorts, gathers and scatters, ``bincount``) runs without the GIL,
and so does SQLite, so independent passes over big arrays, and reads on two connections,
overlap when they run on threads. A build is otherwise single-threaded; these helpers give
it the machine's other core without each function starting its own threads (here, not in
``carson.graph``, so the store's column reads use them too). Work is only ever split into
parts whose results do not depend on how it was split (each writes its own slice or
returns its own value), so results are the same bit for bit on any number of cores.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

WAYS = max(1, min(2, os.cpu_count() or 1))
"""Threads a pass is split over (two: the build's phases seldom gain from more)."""


SMALL = 1 << 16
"""Items below which a pass is not worth threads: starting them costs more than they save,
and the data would move between the cores' caches."""


def both(*calls: Callable[[], Any], items: int | None = None) -> list[Any]:
    """Each call's result, the calls run at once (the first on this thread, each other on a
    thread of its own; one after the other on one core, or for fewer than :data:`SMALL`
    ``items``). The first exception raised is raised here, once every call has ended."""
    if WAYS < 2 or len(calls) < 2 or (items is not None and items < SMALL):
        return [c() for c in calls]
    out: list[Any] = [None] * len(calls)
    errors: list[BaseException | None] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            out[i] = calls[i]()
        except BaseException as e:  # re-raised on the calling thread
            errors[i] = e

    threads = [
        threading.Thread(target=run, args=(i,), name=f"carson-graph-{i}", daemon=True)
        for i in range(1, len(calls))
    ]
    for t in threads:
        t.start()
    run(0)
    for t in threads:
        t.join()
    for e in errors:
        if e is not None:
            raise e
    return out


def chunks(work: Callable[[int, int], None], n: int, size: int) -> None:
    """``work(lo, hi)`` for every chunk ``lo:hi`` of ``range(n)`` of ``size`` items (the last
    one shorter), shared among :data:`WAYS` threads, each taking the next chunk not yet
    taken. ``work`` must touch only its chunk's part of any output."""
    starts = range(0, n, size)
    if WAYS < 2 or len(starts) < 2:
        for lo in starts:
            work(lo, min(n, lo + size))
        return
    taken = iter(starts)
    lock = threading.Lock()

    def drain() -> None:
        while True:
            with lock:
                lo = next(taken, None)
            if lo is None:
                return
            work(lo, min(n, lo + size))

    both(*([drain] * WAYS))
