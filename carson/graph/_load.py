"""Getting the network for a store: from memory, from the on-disk cache, or built.

``load_network(store)`` keeps one network per store, ``now`` and weights while the store's
write marker stays the same. In a new process it loads the cache entry saved for exactly
this state, day and weights (``_cache``); failing that, it grows the newest entry of the
same code, schema and weights by what changed since (``_grow.grow``), or builds from the
rows an earlier whole build read (``_feed``) and grows that, or builds from the whole
store (``_grow.build``), and saves the result.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from carson.graph import _cache, _feed
from carson.graph._grow import ROUTING, Built, build, columns_of, grow, parts_of
from carson.graph.network import Network, assemble, resolve_now
from carson.graph.weights import GraphWeights
from carson.store import Store, graph_edits, graph_feed


def build_network(
    store: Store, *, now: datetime | None = None, weights: GraphWeights | None = None
) -> Network:
    """Read the store once (integer columns, no models, no evidence) and build strengths and
    the routing snapshot. Evidence is read per pair when :meth:`Network.tie` asks.

    Inside a write transaction the store's own connection reads (it alone sees the rows
    written so far); otherwise a reader and its twin do (see :func:`_reading`)."""
    w = weights or GraphWeights()
    now = resolve_now(store, now)
    if store.db.in_transaction:
        return build(store, now, w, owner=store).net
    with _reading(store) as rd, graph_feed.twin_of(rd) as twin:
        return build(rd, now, w, owner=store, twin=twin).net


def _disk_key(sig: tuple[int, int], now: datetime, w: GraphWeights) -> dict[str, object]:
    return {**_lineage(sig, w), "marker": sig[0], "now": now.isoformat()}


def _lineage(sig: tuple[int, int], w: GraphWeights) -> dict[str, object]:
    """The part of an entry's key a later build can start from: the same code, schema and
    weights, any marker and day."""
    return {
        "format": _cache.FORMAT,
        "code": _cache.code_digest(),
        "schema": sig[1],
        "weights": _weights_digest(w),
    }


def _weights_digest(w: GraphWeights) -> str:
    return hashlib.sha256(w.model_dump_json().encode()).hexdigest()[:16]


_CACHE: dict[tuple[Path, datetime, str], tuple[tuple[int, int], Network]] = {}
_CACHE_LOCK = threading.Lock()


def load_network(
    store: Store, *, now: datetime | None = None, weights: GraphWeights | None = None
) -> Network:
    """The network for this store: built once per process, kept while the store's write
    marker stays the same, and saved to ``<home>/cache/graph/`` so the next process loads
    it instead of building (see ``_cache``). After a write or on a new day, the newest
    entry plus the rows added since give the new network (see ``_grow.grow``); only an
    edit of a tie or an interaction needs the whole store read again. A store in the middle
    of a write transaction (which may yet roll back) gets a fresh build, cached nowhere."""
    w = weights or GraphWeights()
    now = resolve_now(store, now)
    if store.db.in_transaction:
        return build_network(store, now=now, weights=w)
    sig = graph_feed.signature(store)
    key = (store.path.resolve(), now, _weights_digest(w))
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == sig:
            return hit[1]
    net = _load(store, sig, now, w)
    if net is None:
        net, sig = _rebuild(store, now, w)
    with _CACHE_LOCK:
        _CACHE[key] = (sig, net)
    return net


def _load(store: Store, sig: tuple[int, int], now: datetime, w: GraphWeights) -> Network | None:
    """The network saved for exactly this store state, day and weights, or None."""
    entry = _cache.find(store.home, _disk_key(sig, now, w))
    cols = None if entry is None else entry.columns(*ROUTING)
    if cols is None:
        return None
    try:
        snap, sc, tables = parts_of(cols)
    except (ValueError, KeyError, IndexError):
        return None
    net = assemble(store, snap, sc, tables, now, w)
    net.from_cache = True
    return net


@contextmanager
def _reading(store: Store) -> Iterator[Store]:
    """Another connection to the store's file, inside one read transaction: everything read
    through it is the same committed state (WAL), whatever is written meanwhile, so the
    rowid marks a build keeps match the rows it read."""
    reader = Store(store.home, create=False)
    try:
        reader.db.execute("BEGIN")
        yield reader
    finally:
        if reader.db.in_transaction:
            reader.db.execute("COMMIT")
        reader.close()


def _rebuild(store: Store, now: datetime, w: GraphWeights) -> tuple[Network, tuple[int, int]]:
    """Build (from the newest entry that fits plus what changed since; else from the
    newest feed entry plus what changed since; else from the whole store, saving its rows
    as a feed entry), save the entry, and return it with the store state it was built at."""
    feed = None
    with _reading(store) as rd:
        sig = graph_feed.signature(rd)
        marks = graph_edits.high_water(rd)
        state: dict[str, Any] = {"marks": marks, "rows": graph_edits.rows_at(rd, marks)}
        prev = _cache.newest(store.home, _lineage(sig, w))
        built = None if prev is None else grow(rd, prev, now, w, owner=store)
        if built is None:
            built = _from_feed(rd, sig, marks, now, w, owner=store)
        if built is None:  # only a whole build reads enough to share with a twin
            with graph_feed.twin_of(rd) as twin:
                feed = _feed.Feed.read(rd, twin)
            built = build(rd, now, w, owner=store, feed=feed)
    cols = columns_of(built)
    fresh = sum(c.nbytes for n, c in cols.items() if prev is None or prev.loaded.get(n) is not c)
    saves = [
        partial(
            _cache.save,
            store.home,
            _disk_key(sig, now, w),
            cols,
            {**state, "ref": built.stats.ref.isoformat()},
            prev,
        )
    ]
    if feed is not None:
        saves.append(partial(_feed.save, store.home, sig, feed, state))
        fresh += sum(c.nbytes for c in feed.arrays().values())
    if fresh <= _SAVE_INLINE:
        for save in saves:
            save()
    else:
        saver = threading.Thread(
            target=lambda: [save() for save in saves], name="carson-graph-cache"
        )
        with _CACHE_LOCK:
            _SAVING.append(saver)
        saver.start()
    return built.net, sig


def _from_feed(
    rd: Store,
    sig: tuple[int, int],
    marks: dict[str, int],
    now: datetime,
    w: GraphWeights,
    *,
    owner: Store,
) -> Built | None:
    """The network from the newest feed entry (``_feed``): built from its rows, then grown
    by what changed in the store since they were read (up to ``marks``); None if there is
    no feed entry fit to start from, or growing from it can't be done or is not worth it
    (see ``_grow.grow`` and ``_feed.worth_growing``)."""
    got = _feed.newest(rd.home, sig)
    if got is None:
        return None
    feed, marker, state = got
    if marker != sig[0] and not _feed.worth_growing(state["marks"], marks):
        return None
    try:
        built = build(rd, now, w, owner=owner, feed=feed)
    except (ValueError, KeyError, IndexError):
        return None
    if marker != sig[0]:
        held = _cache.Held({**state, "ref": built.stats.ref.isoformat()}, columns_of(built))
        del built
        grown = grow(rd, held, now, w, owner=owner)
        if grown is None:
            return None
        built = grown  # marked grown by ``grow``
    built.net.from_feed = True
    return built


_SAVE_INLINE = 64 << 20
"""Bytes of new columns written before ``load_network`` returns. More (a graph of
hundreds of thousands of people: ~1 GB at 1M, seconds of disk) are written by a thread,
so the answer does not wait for the disk; it is not a daemon, so the process still
finishes writing before it exits (a write cut short leaves a temporary directory that a
later save deletes, never a partial entry)."""
_SAVING: list[threading.Thread] = []


def wait_saved() -> None:
    """Wait until every cache entry this process started writing is written."""
    with _CACHE_LOCK:
        pending = list(_SAVING)
        _SAVING.clear()
    for saver in pending:
        saver.join()


def invalidate() -> None:
    """Forget every network cached in this process (the disk cache is keyed on the
    store's write marker and needs no invalidation)."""
    with _CACHE_LOCK:
        _CACHE.clear()
