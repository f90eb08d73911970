"""Building the graph: from the whole store, or grown from a cached build.

:func:`build` reads the store's integer columns (``carson.store.graph_feed``: no pydantic
models, no evidence), sums every pair's rows (``_stats.pair_stats``), finishes the
strengths at ``now`` (``_finish.finish``) and packs the CSR snapshot. :func:`grow` starts
instead from a cache entry of an earlier build and applies what changed since: rows added
(past the entry's rowid marks), and edits the store's triggers logged by person (see
``m006_graph_edits`` and ``docs/architecture.md``). Both give the same network, up to the
last rounded place of a strength (a grown sum is rescaled, not summed anew).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from carson import _par
from carson.graph import _cache
from carson.graph._columns import CONTEXTS, Scored, Signals
from carson.graph._feed import Feed
from carson.graph._finish import finish
from carson.graph._snapshot import Snapshot
from carson.graph._stats import PairStats, pair_stats
from carson.graph._tables import JobColumns, Strings, Tables, concat_people, read_people
from carson.graph.network import (
    Network,
    assemble,
    keep_people,
    snapshot_of,
    target_costs,
    update_snapshot,
)
from carson.graph.weights import GraphWeights
from carson.models import Channel
from carson.store import Store, graph_edits, graph_feed


@dataclass
class Built:
    """A network, and what a later build can start from instead of the whole store."""

    net: Network
    stats: PairStats
    """Per-pair sums over every tie and interaction read (``_stats.pair_stats``)."""
    jobs: JobColumns


def build(
    store: Store,
    now: datetime,
    w: GraphWeights,
    *,
    owner: Store,
    twin: Store | None = None,
    feed: Feed | None = None,
) -> Built:
    """The network from everything in ``store`` (``owner``: the store it answers for), or
    from ``feed`` (the rows a whole read gave; only the notes are read from ``store``).

    With ``twin`` (``graph_feed.twin_of`` a reader in a read transaction), both
    connections read each table at once, chunk by chunk (SQLite works without the GIL, so
    two cores share the reads)."""
    if feed is None:
        feed = Feed.read(store, twin)
    notes = graph_feed.note_people(store)
    tables = Tables.build(*feed.people, feed.jobs)
    sig = Signals.from_feed(feed.ties, feed.interactions, feed.jobs, notes)
    stats = pair_stats(sig, w, now)
    ids = tables.ids
    scored = keep_people(finish(stats, sig, w, now), ids)
    del sig
    snap = snapshot_of(scored, ids, target_costs(tables, w), w)
    return Built(assemble(owner, snap, scored, tables, now, w), stats, feed.jobs)


REDO_MAX = 20_000
"""People whose pairs an edit touched, up to which their pairs are recomputed from their
rows (read by index) rather than everything read again."""


@dataclass(frozen=True)
class _Changes:
    """What changed in the store since a cache entry was built."""

    now_marks: dict[str, int]
    since: dict[str, int]
    """Per table, the rowid past which every row is new (``graph_edits.new_since``)."""
    redo: np.ndarray
    """People whose pairs must be summed again from all their rows."""
    again: np.ndarray
    """People whose own row and jobs must be read again."""

    def added(self, *tables: str) -> bool:
        return any(self.now_marks[t] > self.since[t] for t in tables)


def _changes(store: Store, prev: _cache.Entry | _cache.Held, now: datetime) -> _Changes | None:
    """What changed since ``prev`` was built, or None when growing it can't give what a
    build would: rows at its marks that differ (another file), edits touching more than
    ``REDO_MAX`` people, or a ``now`` before the entry's."""
    try:
        marks = {t: int(m) for t, m in prev.state["marks"].items()}
        rows = prev.state["rows"]
        ref = datetime.fromisoformat(prev.state["ref"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if now < ref or set(marks) != {*graph_edits.FED, "graph_touched", "graph_deletes"}:
        return None
    now_marks = graph_edits.high_water(store)
    since = graph_edits.new_since(store, marks)
    # The rows at the marks must be the ones the build read (not another file's), where
    # no delete at a table's top may have taken them.
    kept = {t: m for t, m in marks.items() if t in graph_edits.FED and since[t] == m}
    if any(now_marks[t] < m for t, m in kept.items()):
        return None
    now_rows = graph_edits.rows_at(store, kept)
    if any(now_rows[t] != rows.get(t) for t in kept):
        return None
    redo = np.union1d(
        graph_edits.touched(store, marks["graph_touched"], "pairs"),
        graph_edits.joined_old(store, (since["interactions"], since["interaction_people"])),
    )
    again = graph_edits.touched(store, marks["graph_touched"], "person")
    if redo.size + again.size > REDO_MAX:
        return None
    return _Changes(now_marks, since, redo, again)


def grow(
    store: Store, prev: _cache.Entry | _cache.Held, now: datetime, w: GraphWeights, *, owner: Store
) -> Built | None:
    """The network from an earlier build's cache entry and what changed since (see
    :func:`_changes` for when that can't be done: None).

    - Rows added since (past the entry's marks, or past a lower top left by deletes) are
      summed alone and merged into the entry's pair sums.
    - The pairs of people whose ties or interactions were edited (``graph_edits.touched``,
      and everyone on an interaction that gained a participant) are dropped and summed
      again from all their rows, read by index.
    - People whose own row or jobs were edited are read again, by index.
    - The snapshot is updated rather than packed again (``update_snapshot``: pairs and
      people added or removed; pairs whose strength did not change keep their cost).

    What did not change is passed on as the very arrays loaded, so the new entry links
    their files instead of writing them again (``_cache.save``)."""
    ch = _changes(store, prev, now)
    cols = None if ch is None else prev.columns()
    if ch is None or cols is None:
        return None
    try:
        old_stats = PairStats.from_arrays(cols)
        old_snap, old_scored, old_tables = parts_of(cols)
        old_jobs = JobColumns.from_arrays(cols)
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    jobs = _jobs(store, ch, old_jobs)
    people = _people(store, ch, old_tables.people())
    tables = old_tables
    if people[0] is not old_tables.ids or jobs is not old_jobs:
        tables = Tables.build(*people, jobs)
    stats = _sums(store, ch, old_stats, w, now)
    del old_stats
    around = Signals.from_feed(_NO_TIES, _no_interactions(), jobs, graph_feed.note_people(store))
    ids = tables.ids
    scored = keep_people(finish(stats, around, w, now), ids)
    if np.array_equal(scored.keys, old_scored.keys):
        scored.keys = old_scored.keys
    tcost = old_snap.tcost if tables is old_tables else target_costs(tables, w)
    try:
        snap = update_snapshot(old_snap, old_scored, scored, ids, tcost, w)
    except ValueError:  # an entry from before slots kept their pair (no ``snap.edge``)
        snap = snapshot_of(scored, ids, tcost, w)
    net = assemble(owner, snap, scored, tables, now, w)
    net.grown = True
    return Built(net, stats, jobs)


def _jobs(store: Store, ch: _Changes, jobs: JobColumns) -> JobColumns:
    """The jobs now: ``jobs`` less those of people read again, plus theirs and the new
    ones, in id order (``jobs`` itself when nothing changed)."""
    cut = ch.since["employments"]
    if ch.again.size:  # their jobs from before (later ones come with the new rows)
        theirs = JobColumns.of_people(store, ch.again)
        jobs = jobs.take(~_has(jobs.person, ch.again)).concat(theirs.take(theirs.id <= cut))
    if ch.again.size or ch.added("employments"):
        jobs = jobs.concat(JobColumns.read(store, since=cut))
        if not _increasing(jobs.id):  # job order is id order
            jobs = jobs.take(np.argsort(jobs.id, kind="stable"))
    return jobs


def _increasing(x: np.ndarray) -> bool:
    return x.size < 2 or bool((x[1:] > x[:-1]).all())


_People = tuple[np.ndarray, np.ndarray, Strings]


def _people(store: Store, ch: _Changes, people: _People) -> _People:
    """Everyone now, as (ids, flags, names): ``people`` less those read again, plus them
    and the new ones, in id order (``people`` itself when nothing changed)."""
    cut = ch.since["people"]
    if ch.again.size:
        ids = people[0]
        kept = np.flatnonzero(~_has(ids, ch.again))
        people = concat_people(
            (ids[kept], people[1][kept], people[2].take(kept)),
            read_people(store, ids=ch.again[ch.again <= cut]),
        )
    if ch.again.size or ch.added("people"):
        people = concat_people(people, read_people(store, since=cut))
        if not _increasing(people[0]):  # people read again go back in their place
            order = np.argsort(people[0], kind="stable")
            people = (people[0][order], people[1][order], people[2].take(order))
    return people


def _sums(
    store: Store, ch: _Changes, stats: PairStats, w: GraphWeights, now: datetime
) -> PairStats:
    """The pair sums now: ``stats`` merged with the new rows' sums, and the pairs of
    people in ``ch.redo`` summed again from all their rows."""
    since_it = (ch.since["interactions"], ch.since["interaction_people"])
    if ch.added("ties", "interactions", "interaction_people"):
        added = Signals.from_feed(
            graph_feed.tie_columns(store, CONTEXTS, since=ch.since["ties"]),
            graph_feed.interaction_columns(store, since_it),
            _NO_JOBS,
            [],
        )
        stats = stats.merge(pair_stats(added, w, now))
        del added
    if ch.redo.size:
        theirs = Signals.from_feed(
            graph_edits.ties_of(store, ch.redo, CONTEXTS),
            graph_edits.interactions_of(store, ch.redo),
            _NO_JOBS,
            [],
        )
        fresh = _pairs_with(pair_stats(theirs, w, now), ch.redo, keep=True)
        stats = _pairs_with(stats, ch.redo, keep=False).merge(fresh)
    return stats


def _has(values: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is one of ``among`` (sorted, distinct)."""
    if among.size == 0:
        return np.zeros(values.size, dtype=bool)
    at = np.minimum(np.searchsorted(among, values), among.size - 1)
    return np.asarray(among[at] == values)


def _pairs_with(stats: PairStats, people: np.ndarray, *, keep: bool) -> PairStats:
    """The pairs with one of ``people`` at either end (``keep``), or all the others."""
    top = int(max(stats.b.max(initial=0), people.max(initial=0))) + 1
    hit = np.zeros(top, dtype=bool)
    hit[people] = True
    mask = hit[stats.a] | hit[stats.b]
    if not keep:
        np.logical_not(mask, out=mask)
    return stats.take(mask)


_NO_TIES = (np.empty(0, dtype=np.int64),) * 3
_NO_JOBS = JobColumns.of([])


def _no_interactions() -> graph_feed.InteractionColumns:
    empty = np.empty(0, dtype=np.int64)
    return graph_feed.InteractionColumns(
        id=empty,
        at=empty,
        channel=empty.astype(np.int16),
        direction=empty.astype(np.int8),
        person=empty,
        channels=sorted(c.value for c in Channel),
    )


def columns_of(built: Built) -> dict[str, np.ndarray]:
    """Everything a cached network is restored from (see :func:`parts_of`), and what a
    later build starts from (the pair sums and the jobs)."""
    net = built.net
    snap, sc = net.snapshot, net.pairs
    cols = {
        "snap_indptr": snap.indptr,
        "snap_indices": snap.indices,
        "snap_cost": snap.cost,
        "snap_tcost": snap.tcost,
        "pair_strength": sc.strength,
        "pair_context": sc.context,
        "pair_stale": sc.stale,
        "pair_keys": sc.keys,
        "pair_base": np.array([sc.base], dtype=np.int64),
        **net.tables.arrays(),
        **built.stats.arrays(),
        **built.jobs.arrays(),
    }
    if snap.edge is not None:
        cols["snap_edge"] = snap.edge
    return cols


ROUTING = ("snap_", "pair_", "people_", "title_", "staff_", "former_", "job_")
"""The column names a cached network is restored from (not the sums and jobs a later
build starts from)."""


def parts_of(cols: dict[str, np.ndarray]) -> tuple[Snapshot, Scored, Tables]:
    """The snapshot, pairs and tables in cached columns (ValueError if they do not fit
    together)."""
    tables = Tables.from_arrays(cols)
    n = tables.ids.size
    snap = Snapshot(
        ids=tables.ids,
        indptr=cols["snap_indptr"],
        indices=cols["snap_indices"],
        cost=cols["snap_cost"],
        tcost=cols["snap_tcost"],
        edge=cols.get("snap_edge"),
    )
    base = int(cols["pair_base"][0])
    keys = cols["pair_keys"]
    a, b = _split_keys(keys, base)
    sc = Scored(
        a=a,
        b=b,
        strength=cols["pair_strength"],
        context=cols["pair_context"],
        stale=cols["pair_stale"],
        base=base,
        keys=keys,
    )
    m = sc.keys.size
    if not (
        snap.indptr.size == n + 1
        and snap.tcost.size == n
        and int(snap.indptr[-1]) == snap.indices.size == snap.cost.size == 2 * m
        and (snap.edge is None or snap.edge.size == 2 * m)
        and sc.a.size == sc.b.size == sc.strength.size == sc.context.size == sc.stale.size == m
    ):
        raise ValueError("cached graph columns do not fit together")
    return snap, sc, tables


def _split_keys(keys: np.ndarray, base: int) -> tuple[np.ndarray, np.ndarray]:
    """A pair key's parts ``(key // base, key % base)``: ``a`` and ``b`` are not stored
    twice. Computed a chunk at a time on both cores (``_par``)."""
    a, b = np.empty_like(keys), np.empty_like(keys)

    def part(lo: int, hi: int) -> None:
        np.floor_divide(keys[lo:hi], base, out=a[lo:hi])
        np.multiply(a[lo:hi], base, out=b[lo:hi])
        np.subtract(keys[lo:hi], b[lo:hi], out=b[lo:hi])

    _par.chunks(part, keys.size, _KEY_CHUNK)
    return a, b


_KEY_CHUNK = 1 << 18
"""Pair keys split per chunk in :func:`_split_keys` (a few MB: the chunk stays in cache)."""
