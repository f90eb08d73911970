"""The relationship graph: a networkx model for the rest of Carson, a CSR snapshot for routing.

``load_network(store)`` builds both once per process, and again after the store's write
marker changes (every committed write of rows the graph reads changes it); it saves the
columns it built under ``<home>/cache/graph/`` and the next process loads them in a
fraction of the build's time (``_cache``). People, jobs and titles are columns too
(``_tables``), read through mapping views. The build reads integer columns
(``carson.store.graph_feed``: no pydantic models, no evidence), scores every pair at once
with numpy (``_columns.score_pairs``) and packs the CSR snapshot; the networkx view
(``Network.graph``) is made on first use, and a tie's evidence (``Network.tie(a, b)``) is
worked out on demand by :class:`StrengthModel` from that pair's rows, read by index, and
cached.
Nodes are person ids with ``name``, ``title``, ``company``, ``org_id``, ``is_me``,
``is_team``; edges carry ``strength``, ``context``, ``stale``, ``p`` (hop probability) and
``cost`` (``-log p``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from carson.graph import _cache
from carson.graph._columns import CONTEXTS, PairStats, Scored, Signals, finish, pair_stats
from carson.graph._search import Router, Snapshot, kept_rows
from carson.graph._tables import (
    FormerView,
    JobColumns,
    PeopleView,
    StaffView,
    Tables,
    TitlesView,
    concat_people,
    read_people,
)
from carson.graph.strength import StrengthModel, TieInfo, pair
from carson.graph.weights import GraphWeights
from carson.models import Channel, Employment, Evidence, Note, Organization, Tie, TieContext
from carson.store import Store, graph_feed

_EPOCH = datetime(1970, 1, 1)

_SENIORITY = [
    ("c-level", re.compile(r"\b(ceo|cfo|coo|cto|cio|cmo|cro|chief|president|founder)\b", re.I)),
    ("md", re.compile(r"\b(managing director|md|partner|general manager)\b", re.I)),
    ("vp", re.compile(r"\b(vp|svp|evp|vice president|head of)\b", re.I)),
    ("director", re.compile(r"\bdirector\b", re.I)),
]


def seniority(title: str | None) -> str:
    """'c-level', 'md', 'vp', 'director' or 'other', from a job title."""
    for label, rx in _SENIORITY:
        if title and rx.search(title):
            return label
    return "other"


def hop_probability(strength: float, w: GraphWeights) -> float:
    """Prior chance an introduction happens along a tie of this strength."""
    return w.hop_p_min + (w.hop_p_max - w.hop_p_min) * max(0.0, min(1.0, strength))


@dataclass
class PersonInfo:
    id: int
    name: str
    title: str | None = None
    company: str | None = None
    org_id: int | None = None
    is_me: bool = False
    is_team: bool = False


@dataclass
class Network:
    """The built graph and everything routing and explanations need, for one store state."""

    snapshot: Snapshot
    now: datetime
    weights: GraphWeights
    me_id: int | None
    team_ids: list[int]
    people: Mapping[int, PersonInfo]
    """Person id → who they are (a view over ``tables``: made on access)."""
    orgs: Mapping[int, Organization]
    """Organisation id → its record (read from the store on first use)."""
    staff: Mapping[int, list[int]]
    """Organisation id → ids of people who work there now."""
    former: Mapping[int, list[tuple[int, date | None]]]
    """Organisation id → (person id, end date) of people who used to work there."""
    titles: Mapping[tuple[int, int], str | None]
    """(person id, org id) → their title there (current or last)."""
    pairs: Scored
    """Every tie as columns (strength, strongest context, stale), sorted by pair."""
    tables: Tables
    """The columns behind ``people``, ``staff``, ``former`` and ``titles``."""
    from_cache: bool = False
    """Loaded from the on-disk cache rather than built from the store."""
    grown: bool = False
    """Built from an earlier cache entry and the rows added to the store since."""
    _explainer: _Explainer | None = None
    _router: Router | None = None
    _graph: nx.Graph | None = None
    _ties: dict[tuple[int, int], TieInfo] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    """Held by whoever runs a route query (the router's buffers are shared)."""
    _graph_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def router(self) -> Router:
        if self._router is None:
            self._router = Router(self.snapshot)
        return self._router

    @property
    def graph(self) -> nx.Graph:
        """The networkx view (built on first use): nodes are person ids with ``name``,
        ``title``, ``company``, ``org_id``, ``is_me``, ``is_team``; edges carry ``strength``,
        ``context``, ``stale``, ``p`` and ``cost``. Evidence comes from :meth:`tie`."""
        if self._graph is None:
            with self._graph_lock:
                if self._graph is None:
                    self._graph = self._build_graph()
        return self._graph

    def _build_graph(self) -> nx.Graph:
        g = nx.Graph()
        g.add_nodes_from(
            (
                pid,
                {
                    "name": i.name,
                    "title": i.title,
                    "company": i.company,
                    "org_id": i.org_id,
                    "is_me": i.is_me,
                    "is_team": i.is_team,
                },
            )
            for pid, i in self.people.items()
        )
        sc = self.pairs
        if sc.a.size == 0:
            return g
        w = self.weights
        p = w.hop_p_min + (w.hop_p_max - w.hop_p_min) * sc.strength
        ctx = [TieContext(c) for c in CONTEXTS]
        g.add_edges_from(
            (a, b, {"strength": s, "context": ctx[c], "stale": st, "p": pp, "cost": -math.log(pp)})
            for a, b, s, c, st, pp in zip(
                sc.a.tolist(),
                sc.b.tolist(),
                sc.strength.tolist(),
                sc.context.tolist(),
                sc.stale.tolist(),
                p.tolist(),
                strict=True,
            )
        )
        return g

    def neighbors(self, pid: int) -> list[int]:
        """The people ``pid`` has a tie with, from the routing snapshot's CSR rows: O(degree),
        without building the networkx view (gigabytes at a million people)."""
        snap = self.snapshot
        try:
            i = snap.index_of(pid)
        except KeyError:
            return []
        row = snap.indices[int(snap.indptr[i]) : int(snap.indptr[i + 1])]
        return sorted(int(x) for x in snap.ids[row])

    def tie(self, a: int, b: int) -> TieInfo | None:
        """Everything known about the tie between two people (with evidence), or None."""
        key = pair(a, b)
        hit = self._ties.get(key)
        if hit is not None:
            return hit
        if self.pairs.find(a, b) < 0 or self._explainer is None:
            return None
        info = self._explainer.explain(key)
        self._ties[key] = info
        return info


class _Explainer:
    """Re-scores one pair with :class:`StrengthModel` from that pair's rows, for its
    evidence. The rows (ties with their evidence, shared interactions, both people's jobs,
    notes about both) are read from the store on demand, by index: nothing per tie is held
    in memory. If the store that built the network has been closed, it reopens its home."""

    def __init__(self, w: GraphWeights, now: datetime, store: Store, org_names: dict[int, str]):
        self.w, self.now, self.store, self.org_names = w, now, store, org_names
        self._lock = threading.Lock()

    def _rows(self, a: int, b: int) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
        def read(store: Store) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
            return (
                graph_feed.pair_ties(store, a, b),
                graph_feed.shared_interactions(store, a, b),
                graph_feed.employment_rows(store, sorted({a, b})),
                graph_feed.shared_notes(store, a, b),
            )

        with self._lock:
            try:
                return read(self.store)
            except sqlite3.ProgrammingError:  # closed since the build
                self.store = Store(self.store.home, create=False)
                return read(self.store)

    def explain(self, p: tuple[int, int]) -> TieInfo:
        a, b = p
        ties, inter, jobs, notes = self._rows(a, b)
        model = StrengthModel(self.w, self.now)
        model.add_ties(
            Tie(
                id=t[0],
                a=t[1],
                b=t[2],
                context=TieContext(t[3]),
                owner_id=t[4],
                evidence=[Evidence(**e) for e in json.loads(t[5])],
            )
            for t in ties
        )
        model.add_interaction_rows(
            (iid, (_EPOCH + timedelta(seconds=at)).isoformat(), ch, d, pid, 0)
            for iid, at, ch, d, pid in inter
        )
        model.add_employments(
            [
                Employment(
                    person_id=j[0],
                    org_id=j[1],
                    title=j[2],
                    start=date.fromisoformat(j[3]) if j[3] else None,
                    end=date.fromisoformat(j[4]) if j[4] else None,
                    current=bool(j[5]),
                )
                for j in jobs
            ],
            self.org_names,
        )
        model.add_notes(
            Note(
                id=n[0],
                at=datetime.fromisoformat(n[1]),
                text=n[2],
                source=n[3],
                people=sorted({int(x) for x in n[4].split(",")}),
            )
            for n in notes
        )
        return model.score(p)


def resolve_now(store: Store, now: datetime | None = None) -> datetime:
    """The moment strengths are computed at: explicit, else the store's anchor, else the
    start of today (so a build, and its cache, hold for the day)."""
    if now is not None:
        return now
    for key in ("anchor_date", "demo_anchor", "now"):
        value = store.get_meta(key)
        if value:
            try:
                return datetime.fromisoformat(value).replace(tzinfo=None)
            except ValueError:
                continue
    return datetime.combine(date.today(), time())  # the day: a cache holds for a day


def build_network(
    store: Store, *, now: datetime | None = None, weights: GraphWeights | None = None
) -> Network:
    """Read the store once (integer columns, no models, no evidence) and build strengths and
    the routing snapshot. Evidence is read per pair when :meth:`Network.tie` asks."""
    w = weights or GraphWeights()
    return _build(store, resolve_now(store, now), w, owner=store).net


@dataclass
class _Built:
    """A network, and what a later build can start from instead of the whole store."""

    net: Network
    stats: PairStats
    """Per-pair sums over every tie and interaction read (``_columns.pair_stats``)."""
    jobs: JobColumns


def _build(store: Store, now: datetime, w: GraphWeights, *, owner: Store) -> _Built:
    """The network from everything in ``store`` (``owner``: the store it answers for)."""
    jobs = JobColumns.read(store)
    tables = Tables.build(*read_people(store), jobs)
    sig = Signals.from_feed(
        graph_feed.tie_columns(store, CONTEXTS),
        graph_feed.interaction_columns(store),
        jobs,
        graph_feed.note_people(store),
    )
    stats = pair_stats(sig, w, now)
    ids = tables.ids
    scored = keep_people(finish(stats, sig, w, now), ids)
    del sig
    snap = snapshot_of(scored, ids, target_costs(tables, w), w)
    return _Built(assemble(owner, snap, scored, tables, now, w), stats, jobs)


_REDO_MAX = 20_000
"""People whose pairs an edit touched, up to which their pairs are recomputed from their
rows (read by index) rather than everything read again."""


def _grow(
    store: Store, prev: _cache.Entry, now: datetime, w: GraphWeights, *, owner: Store
) -> _Built | None:
    """The network from an earlier build's cache entry and what changed since, or None when
    that can't give what a build would: rows at its marks that differ (another file), edits
    touching more than ``_REDO_MAX`` people, or a ``now`` before the entry's.

    - Rows added since (past the entry's marks, or past a lower top left by deletes) are
      summed alone and merged into the entry's pair sums.
    - The pairs of people whose ties or interactions were edited (``graph_feed.touched``,
      and everyone on an interaction that gained a participant) are dropped and summed
      again from all their rows, read by index.
    - People whose own row or jobs were edited are read again, by index.
    - The snapshot is updated in place when no pair is gone, packed anew otherwise."""
    try:
        marks = {t: int(m) for t, m in prev.state["marks"].items()}
        rows = prev.state["rows"]
        ref = datetime.fromisoformat(prev.state["ref"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if now < ref or set(marks) != {*graph_feed.FED, "graph_touched", "graph_deletes"}:
        return None
    now_marks = graph_feed.high_water(store)
    since = graph_feed.new_since(store, marks)
    # The rows at the marks must be the ones the build read (not another file's), where
    # no delete at a table's top may have taken them.
    kept = {t: m for t, m in marks.items() if t in graph_feed.FED and since[t] == m}
    if any(now_marks[t] < m for t, m in kept.items()):
        return None
    now_rows = graph_feed.rows_at(store, kept)
    if any(now_rows[t] != rows.get(t) for t in kept):
        return None
    since_it = (since["interactions"], since["interaction_people"])
    redo = np.union1d(
        graph_feed.touched(store, marks["graph_touched"], "pairs"),
        graph_feed.joined_old(store, since_it),
    )
    again = graph_feed.touched(store, marks["graph_touched"], "person")
    if redo.size + again.size > _REDO_MAX:
        return None
    cols = prev.columns()
    if cols is None:
        return None
    try:
        old_stats = PairStats.from_arrays(cols)
        old_snap, old_scored, old_tables = _parts_of(cols)
        old_jobs = JobColumns.from_arrays(cols)
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    # What did not change is passed on as the very arrays loaded, so the new entry links
    # their files instead of writing them again (``_cache.save``).
    jobs, tables = old_jobs, old_tables
    if again.size:  # their jobs read before (later ones come with the new rows below)
        theirs = JobColumns.of_people(store, again)
        theirs = theirs.take(theirs.id <= since["employments"])
        jobs = jobs.take(~_has(jobs.person, again)).concat(theirs)
    if again.size or now_marks["employments"] > since["employments"]:
        jobs = jobs.concat(JobColumns.read(store, since=since["employments"]))
        jobs = jobs.take(np.argsort(jobs.id, kind="stable"))  # job order is id order
    people = old_tables.people()
    if again.size:
        ids = people[0]
        kept_rows = np.flatnonzero(~_has(ids, again))
        people = concat_people(
            (ids[kept_rows], people[1][kept_rows], people[2].take(kept_rows)),
            read_people(store, ids=again[again <= since["people"]]),
        )
    if again.size or now_marks["people"] > since["people"]:
        people = concat_people(people, read_people(store, since=since["people"]))
        order = np.argsort(people[0], kind="stable")
        people = (people[0][order], people[1][order], people[2].take(order))
    if people[0] is not old_tables.ids or jobs is not old_jobs:
        tables = Tables.build(*people, jobs)
    stats = old_stats
    if any(now_marks[t] > since[t] for t in ("ties", "interactions", "interaction_people")):
        added = Signals.from_feed(
            graph_feed.tie_columns(store, CONTEXTS, since=since["ties"]),
            graph_feed.interaction_columns(store, since_it),
            _NO_JOBS,
            [],
        )
        stats = old_stats.merge(pair_stats(added, w, now))
        del added
    del old_stats
    if redo.size:
        rows_of = Signals.from_feed(
            graph_feed.ties_of(store, redo, CONTEXTS),
            graph_feed.interactions_of(store, redo),
            _NO_JOBS,
            [],
        )
        fresh = pair_stats(rows_of, w, now)
        stats = _pairs_with(stats, redo, keep=False).merge(_pairs_with(fresh, redo, keep=True))
        del rows_of, fresh
    around = Signals.from_feed(_NO_TIES, _no_interactions(), jobs, graph_feed.note_people(store))
    ids = tables.ids
    scored = keep_people(finish(stats, around, w, now), ids)
    if np.array_equal(scored.keys, old_scored.keys):
        scored.keys = old_scored.keys
    tcost = old_snap.tcost if tables is old_tables else target_costs(tables, w)
    try:
        snap = update_snapshot(old_snap, old_scored, scored, ids, tcost, w)
    except ValueError:  # a pair gone, or people added below the old ids: pack it anew
        snap = snapshot_of(scored, ids, tcost, w)
    return _Built(assemble(owner, snap, scored, tables, now, w), stats, jobs)


def _has(values: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is one of ``among`` (sorted, distinct)."""
    if among.size == 0:
        return np.zeros(values.size, dtype=bool)
    at = np.minimum(np.searchsorted(among, values), among.size - 1)
    return np.asarray(among[at] == values)


def _pairs_with(stats: PairStats, people: np.ndarray, *, keep: bool) -> PairStats:
    """The pairs with one of ``people`` at either end (``keep``), or all the others. Side
    lists (``<name>_pair`` naming a row, with ``<name>_*`` columns beside it) follow their
    rows."""
    top = int(max(stats.b.max(initial=0), people.max(initial=0))) + 1
    hit = np.zeros(top, dtype=bool)
    hit[people] = True
    mask = hit[stats.a] | hit[stats.b]
    if not keep:
        np.logical_not(mask, out=mask)
    new_row = np.cumsum(mask) - 1
    names = [f.name for f in fields(stats)]
    changes: dict[str, Any] = {c: getattr(stats, c)[mask] for c in PairStats._PAIR_COLS}
    for side in (n[: -len("_pair")] for n in names if n.endswith("_pair")):
        rows = getattr(stats, f"{side}_pair")
        ok = mask[rows]
        for n in names:
            if n.startswith(f"{side}_"):
                changes[n] = getattr(stats, n)[ok]
        changes[f"{side}_pair"] = new_row[rows[ok]]
    return replace(stats, **changes)


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


def target_costs(tables: Tables, w: GraphWeights) -> np.ndarray:
    """``-log`` chance each person takes the meeting, from their current title's seniority
    (one regex pass per distinct title)."""
    by_title = np.array(
        [
            -math.log(w.seniority[seniority(tables.title_text[i])])
            for i in range(len(tables.title_text))
        ]
        + [-math.log(w.seniority[seniority(None)])]
    )
    return by_title[tables.title]  # -1 (no title) is the last entry


def assemble(
    store: Store,
    snap: Snapshot,
    scored: Scored,
    tables: Tables,
    now: datetime,
    w: GraphWeights,
) -> Network:
    """The network over built (or cached) columns."""
    org_names = graph_feed.org_names(store)
    return Network(
        snapshot=snap,
        now=now,
        weights=w,
        me_id=tables.me_id(),
        team_ids=tables.team_ids(),
        people=PeopleView(tables, org_names, PersonInfo),
        orgs=_Orgs(store),
        staff=StaffView(tables),
        former=FormerView(tables),
        titles=TitlesView(tables),
        pairs=scored,
        tables=tables,
        _explainer=_Explainer(w, now, store, org_names),
    )


class _Orgs(Mapping[int, Organization]):
    """Organisation id → record, read from the store on first use (a build needs only the
    names: 20,000 records take a few hundred ms to make)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._got: dict[int, Organization] | None = None
        self._lock = threading.Lock()

    def _all(self) -> dict[int, Organization]:
        with self._lock:
            if self._got is None:
                try:
                    orgs = self._store.organizations()
                except sqlite3.ProgrammingError:  # closed since the build
                    self._store = Store(self._store.home, create=False)
                    orgs = self._store.organizations()
                self._got = {o.id: o for o in orgs if o.id is not None}
            return self._got

    def __getitem__(self, oid: int) -> Organization:
        return self._all()[oid]

    def __iter__(self) -> Iterator[int]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def keep_people(sc: Scored, ids: np.ndarray) -> Scored:
    """Only the pairs whose both people are in ``ids`` (sorted person ids)."""
    if sc.a.size == 0:
        return sc
    known = np.zeros(int(max(ids.max(initial=0), sc.a.max(), sc.b.max())) + 1, dtype=bool)
    known[ids] = True
    ok = known[sc.a] & known[sc.b]
    if ok.all():
        return sc
    return Scored(
        a=sc.a[ok],
        b=sc.b[ok],
        strength=sc.strength[ok],
        context=sc.context[ok],
        stale=sc.stale[ok],
        base=sc.base,
        keys=sc.keys[ok],
    )


def snapshot_of(sc: Scored, ids: np.ndarray, tcost: np.ndarray, w: GraphWeights) -> Snapshot:
    """The CSR routing snapshot: edge cost ``-log`` hop probability, node target cost."""
    # Person id → node index through a dense table (ids are store row ids: dense enough).
    lut = np.zeros(int(ids[-1]) + 1 if ids.size else 0, dtype=np.int32)
    lut[ids] = np.arange(ids.size, dtype=np.int32)
    return Snapshot.from_edges(ids, lut[sc.a], lut[sc.b], edge_costs(sc, w), tcost)


def update_snapshot(
    snap: Snapshot, old: Scored, new: Scored, ids: np.ndarray, tcost: np.ndarray, w: GraphWeights
) -> Snapshot:
    """``snapshot_of(new, ids, tcost, w)`` (identical arrays) from ``snap``, the snapshot of
    ``old``, without a rebuild: same pairs → new costs only; pairs and people added → merged
    in. ValueError (build instead) if a pair is gone, a new id is not above every old one,
    or ``snap`` has no slot → pair map (``Snapshot.edge``)."""
    cost = edge_costs(new, w)
    if ids.size == snap.n and old.base == new.base and np.array_equal(old.keys, new.keys):
        return snap.recost(cost, tcost)
    kept = kept_rows(old.a, old.b, new.base, new.keys)
    return snap.with_pairs(kept, ids, new.a, new.b, cost, tcost)


def edge_costs(sc: Scored, w: GraphWeights) -> np.ndarray:
    """Each pair's routing cost, ``-log`` hop probability."""
    # cost = -log(p_min + (p_max - p_min) * strength), in place on one pairs-sized array.
    cost = np.clip(sc.strength, 0.0, 1.0)
    cost *= w.hop_p_max - w.hop_p_min
    cost += w.hop_p_min
    np.log(cost, out=cost)
    np.negative(cost, out=cost)
    return cost


def _columns_of(built: _Built) -> dict[str, np.ndarray]:
    """Everything a cached network is restored from (see :func:`_parts_of`), and what a
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


_ROUTING = ("snap_", "pair_", "people_", "title_", "staff_", "former_", "job_")
"""The column names a cached network is restored from (not the sums and jobs a later
build starts from)."""


def _parts_of(cols: dict[str, np.ndarray]) -> tuple[Snapshot, Scored, Tables]:
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
    a = keys // base  # a and b are the pair key's parts: not stored twice
    sc = Scored(
        a=a,
        b=keys - a * base,
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
    entry plus the rows added since give the new network (see :func:`_grow`); only an
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
    cols = None if entry is None else entry.columns(*_ROUTING)
    if cols is None:
        return None
    try:
        snap, sc, tables = _parts_of(cols)
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
    """Build (from the newest entry that fits plus what was added since, else from the
    whole store), save the entry, and return it with the store state it was built at."""
    with _reading(store) as rd:
        sig = graph_feed.signature(rd)
        marks = graph_feed.high_water(rd)
        state: dict[str, Any] = {"marks": marks, "rows": graph_feed.rows_at(rd, marks)}
        prev = _cache.newest(store.home, _lineage(sig, w))
        built = None if prev is None else _grow(rd, prev, now, w, owner=store)
        if built is None:
            built = _build(rd, now, w, owner=store)
        else:
            built.net.grown = True
    state["ref"] = built.stats.ref.isoformat()
    cols = _columns_of(built)
    args = (store.home, _disk_key(sig, now, w), cols, state, prev)
    fresh = sum(c.nbytes for n, c in cols.items() if prev is None or prev.loaded.get(n) is not c)
    if fresh <= _SAVE_INLINE:
        _cache.save(*args)
    else:
        saver = threading.Thread(target=_cache.save, args=args, name="carson-graph-cache")
        with _CACHE_LOCK:
            _SAVING.append(saver)
        saver.start()
    return built.net, sig


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
