"""The relationship graph: a networkx model for the rest of Carson, a CSR snapshot for routing.

:class:`Network` is one store state's graph: the CSR snapshot routing runs over
(``_snapshot``), every scored pair as columns, and people, jobs and titles as columns too
(``_tables``), read through mapping views. It is built or grown by ``_grow`` and loaded
(from memory, the on-disk cache, or a build) by ``_load.load_network``. The networkx view
(``Network.graph``) is made on first use, and a tie's evidence (``Network.tie(a, b)``) is
worked out on demand by :class:`StrengthModel` from that pair's rows, read by index, and
cached. This module also assembles a network from its columns (:func:`assemble`) and packs
or updates the snapshot (:func:`snapshot_of`, :func:`update_snapshot`).
Nodes are person ids with ``name``, ``title``, ``company``, ``org_id``, ``is_me``,
``is_team``; edges carry ``strength``, ``context``, ``stale``, ``p`` (hop probability) and
``cost`` (``-log p``).
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import networkx as nx
import numpy as np

from carson import _par
from carson.graph._columns import CONTEXTS, Scored
from carson.graph._search import Router
from carson.graph._snapshot import Snapshot, changed_rows, kept_rows
from carson.graph._tables import (
    FormerView,
    PeopleView,
    StaffView,
    Tables,
    TitlesView,
)
from carson.graph.strength import StrengthModel, TieInfo, pair
from carson.graph.weights import GraphWeights
from carson.models import Employment, Evidence, Note, Organization, Tie, TieContext
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
    from_feed: bool = False
    """Built from the rows an earlier whole build read (``_feed``), not the store's."""
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
    return sc if ok.all() else sc.take(ok)


def snapshot_of(sc: Scored, ids: np.ndarray, tcost: np.ndarray, w: GraphWeights) -> Snapshot:
    """The CSR routing snapshot: edge cost ``-log`` hop probability, node target cost."""
    # Person id → node index through a dense table (ids are store row ids: dense enough).
    lut = np.zeros(int(ids[-1]) + 1 if ids.size else 0, dtype=np.int32)
    lut[ids] = np.arange(ids.size, dtype=np.int32)
    a, b = _par.both(lambda: lut[sc.a], lambda: lut[sc.b], items=sc.a.size)
    # A pair's cost is a function of its strength alone: pack the strengths, then turn
    # the packed ones into costs in place (the same numbers as packing the costs, without
    # a pairs-sized array of them).
    snap = Snapshot.from_edges(ids, a, b, sc.strength, tcost)
    _strength_to_cost(snap.cost, w)
    return snap


def update_snapshot(
    snap: Snapshot, old: Scored, new: Scored, ids: np.ndarray, tcost: np.ndarray, w: GraphWeights
) -> Snapshot:
    """``snapshot_of(new, ids, tcost, w)`` (identical arrays) from ``snap``, the snapshot of
    ``old``, without a rebuild: same pairs and people → new costs only; pairs and people
    added or removed → the old rows updated (``Snapshot.with_pairs``: pairs whose strength
    is the same keep their cost, and when most do only the others' are computed).
    ValueError (build instead) if ``snap`` has no slot → pair map (``Snapshot.edge``)."""
    same_pairs = old.base == new.base and np.array_equal(old.keys, new.keys)
    if same_pairs and np.array_equal(ids, snap.ids):
        return snap.recost(edge_costs(new, w), tcost)
    keys = old.keys if old.base == new.base else None
    kept = kept_rows(old.a, old.b, new.base, new.keys, gone=True, old_keys=keys)
    changed = changed_rows(kept, old.strength, new.strength)

    def cost(rows: np.ndarray | None) -> np.ndarray:
        return edge_costs(new if rows is None else new.take(rows), w)

    return snap.with_pairs(kept, ids, new.a, new.b, cost, tcost, (old.a, old.b), changed)


def edge_costs(sc: Scored, w: GraphWeights) -> np.ndarray:
    """Each pair's routing cost, ``-log`` hop probability."""
    cost = np.array(sc.strength, dtype=np.float64)
    _strength_to_cost(cost, w)
    return cost


def _strength_to_cost(x: np.ndarray, w: GraphWeights) -> None:
    """Strengths to costs in place: ``-log(p_min + (p_max - p_min) * clip(strength, 0, 1))``,
    a chunk at a time (a chunk's temporaries stay in cache)."""
    for c in range(0, x.size, _COST_CHUNK):
        part = x[c : c + _COST_CHUNK]
        np.clip(part, 0.0, 1.0, out=part)
        part *= w.hop_p_max - w.hop_p_min
        part += w.hop_p_min
        np.log(part, out=part)
        np.negative(part, out=part)


_COST_CHUNK = 1 << 16
