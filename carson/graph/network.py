"""The relationship graph: a networkx model for the rest of Carson, a CSR snapshot for routing.

``load_network(store)`` builds both once per process and rebuilds when the store changes
(its row counts or last-write marker differ). Nodes are person ids with ``name``,
``title``, ``company``, ``org_id``, ``is_me``, ``is_team``; edges carry ``strength``,
``context``, ``evidence``, ``stale``, ``p`` (hop probability) and ``cost`` (``-log p``) and
the full :class:`TieInfo` under ``info``.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import networkx as nx
import numpy as np

from carson.graph._search import Router, Snapshot
from carson.graph.strength import StrengthModel, TieInfo
from carson.graph.weights import GraphWeights
from carson.models import Employment, Organization
from carson.store import Store

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

    graph: nx.Graph
    snapshot: Snapshot
    now: datetime
    weights: GraphWeights
    me_id: int | None
    team_ids: list[int]
    people: dict[int, PersonInfo]
    orgs: dict[int, Organization]
    staff: dict[int, list[int]]
    """Organisation id → ids of people who work there now."""
    former: dict[int, list[tuple[int, date | None]]]
    """Organisation id → (person id, end date) of people who used to work there."""
    titles: dict[tuple[int, int], str | None] = field(default_factory=dict)
    """(person id, org id) → their title there (current or last)."""
    _router: Router | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def router(self) -> Router:
        if self._router is None:
            self._router = Router(self.snapshot)
        return self._router

    def tie(self, a: int, b: int) -> TieInfo | None:
        data = self.graph.get_edge_data(a, b)
        return data["info"] if data else None


def resolve_now(store: Store, now: datetime | None = None) -> datetime:
    """The moment strengths are computed at: explicit, else the store's anchor, else now."""
    if now is not None:
        return now
    for key in ("anchor_date", "demo_anchor", "now"):
        value = store.get_meta(key)
        if value:
            try:
                return datetime.fromisoformat(value).replace(tzinfo=None)
            except ValueError:
                continue
    return datetime.now()


def build_network(
    store: Store, *, now: datetime | None = None, weights: GraphWeights | None = None
) -> Network:
    """Read the store once and build the graph, tie strengths and routing snapshot."""
    w = weights or GraphWeights()
    now = resolve_now(store, now)
    orgs = {o.id: o for o in store.organizations() if o.id is not None}
    org_names = {oid: o.name for oid, o in orgs.items()}
    jobs = store.employments()
    people: dict[int, PersonInfo] = {}
    for p in store.people():
        assert p.id is not None
        people[p.id] = PersonInfo(id=p.id, name=p.name, is_me=p.is_me, is_team=p.is_team)

    staff: dict[int, list[int]] = {}
    former: dict[int, list[tuple[int, date | None]]] = {}
    titles: dict[tuple[int, int], str | None] = {}
    best_job: dict[int, Employment] = {}
    for j in jobs:
        titles[(j.person_id, j.org_id)] = j.title
        if j.current and j.end is None:
            staff.setdefault(j.org_id, []).append(j.person_id)
            cur = best_job.get(j.person_id)
            if cur is None or (j.start or date.min) >= (cur.start or date.min):
                best_job[j.person_id] = j
        else:
            former.setdefault(j.org_id, []).append((j.person_id, j.end))
    for pid, j in best_job.items():
        info = people.get(pid)
        if info is not None:
            info.title, info.org_id, info.company = j.title, j.org_id, org_names.get(j.org_id)
    # Someone who is on staff now is not "former" at the same company.
    for oid, rows in former.items():
        current = set(staff.get(oid, ()))
        former[oid] = [(pid, end) for pid, end in rows if pid not in current]

    model = StrengthModel(w, now)
    model.add_ties(store.ties())
    model.add_interaction_rows(store.interaction_rows())
    model.add_employments(jobs, org_names)
    model.add_notes(store.notes())
    infos = [t for t in model.score_all() if t.a in people and t.b in people]

    g = nx.Graph()
    for pid, info in people.items():
        g.add_node(
            pid,
            name=info.name,
            title=info.title,
            company=info.company,
            org_id=info.org_id,
            is_me=info.is_me,
            is_team=info.is_team,
        )
    for t in infos:
        p = hop_probability(t.strength, w)
        g.add_edge(
            t.a,
            t.b,
            strength=t.strength,
            context=t.context,
            evidence=t.evidence,
            stale=t.stale,
            p=p,
            cost=-math.log(p),
            info=t,
        )

    ids = np.array(sorted(people), dtype=np.int64)
    a = np.searchsorted(ids, np.array([t.a for t in infos], dtype=np.int64))
    b = np.searchsorted(ids, np.array([t.b for t in infos], dtype=np.int64))
    cost = np.array([g.edges[t.a, t.b]["cost"] for t in infos], dtype=np.float64)
    tcost = np.array(
        [-math.log(w.seniority[seniority(people[int(i)].title)]) for i in ids], dtype=np.float64
    )
    snap = Snapshot.from_edges(ids, a, b, cost, tcost)
    me = next((pid for pid, i in people.items() if i.is_me), None)
    team = sorted(pid for pid, i in people.items() if i.is_team and not i.is_me)
    return Network(
        graph=g,
        snapshot=snap,
        now=now,
        weights=w,
        me_id=me,
        team_ids=team,
        people=people,
        orgs=orgs,
        staff=staff,
        former=former,
        titles=titles,
    )


_CACHE: dict[tuple[Path, datetime | None], tuple[tuple[object, ...], Network]] = {}
_CACHE_LOCK = threading.Lock()


def _signature(store: Store) -> tuple[object, ...]:
    c = store.counts()
    row = store.db.execute(
        "SELECT (SELECT max(id) FROM ties), (SELECT max(id) FROM interactions),"
        " (SELECT max(id) FROM employments), (SELECT max(id) FROM notes),"
        " (SELECT total(current) FROM employments)"
    ).fetchone()
    return (*vars(c).values(), *row, store.get_meta("last_import"))


def load_network(
    store: Store, *, now: datetime | None = None, weights: GraphWeights | None = None
) -> Network:
    """The network for this store, built once per process and rebuilt after writes."""
    if weights is not None:
        return build_network(store, now=now, weights=weights)
    key = (store.path.resolve(), now)
    sig = _signature(store)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == sig:
            return hit[1]
    net = build_network(store, now=now)
    with _CACHE_LOCK:
        _CACHE[key] = (sig, net)
    return net


def invalidate() -> None:
    """Forget every cached network (tests, or after a bulk import)."""
    with _CACHE_LOCK:
        _CACHE.clear()
