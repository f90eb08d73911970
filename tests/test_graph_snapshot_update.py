"""A snapshot re-costed, or given pairs and people added and removed, equals a fresh build
on the new pairs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carson.graph import _snapshot
from carson.graph._columns import Scored
from carson.graph._search import Router
from carson.graph._snapshot import Snapshot, changed_rows, kept_rows
from carson.graph.network import snapshot_of, update_snapshot
from carson.graph.weights import GraphWeights

COSTS = [0.05, 0.25, 0.5, 1.0, 1.5]


@st.composite
def changes(draw: st.DrawFn) -> dict:
    """An old graph and a changed one: people removed, added (above everyone, or, with
    ``anywhere``, among the old ids), old pairs removed or kept, new pairs added. Pairs are
    node indices into ``ids``, every person that ever is; ``old_at``/``new_at`` pick the
    nodes of each graph."""
    size = draw(st.integers(1, 12))
    gaps = draw(st.lists(st.integers(1, 3), min_size=size, max_size=size))
    ids = np.cumsum(gaps).astype(np.int64)
    nodes = list(range(size))
    n_old = draw(st.integers(1, size))
    if draw(st.booleans()):  # anyone, anywhere
        old_at = sorted(draw(st.lists(st.sampled_from(nodes), min_size=1, unique=True)))
        new_at = sorted(draw(st.lists(st.sampled_from(nodes), min_size=1, unique=True)))
    else:  # some of the old people removed, new ones above everyone
        old_at = nodes[:n_old]
        new_at = [v for v in old_at if draw(st.integers(0, 4))] + nodes[n_old:]
        new_at = new_at or [nodes[-1]]

    def pairs_of(at: list[int]) -> list[tuple[int, int]]:
        return [(a, b) for i, a in enumerate(at) for b in at[i + 1 :]]

    among = pairs_of(old_at)
    old = sorted(draw(st.lists(st.sampled_from(among), unique=True, max_size=30))) if among else []
    live = set(pairs_of(new_at))
    stay = [p for p in old if p in live and draw(st.integers(0, 3))]
    more = draw(st.lists(st.sampled_from(sorted(live)), unique=True, max_size=12)) if live else []
    new = sorted(set(stay) | set(more))

    def costs(k: int) -> np.ndarray:
        return np.array(draw(st.lists(st.sampled_from(COSTS), min_size=k, max_size=k)))

    return {
        "ids": ids,
        "old_at": np.array(old_at),
        "new_at": np.array(new_at),
        "old": old,
        "new": new,
        "old_cost": costs(len(old)),
        "new_cost": costs(len(new)),
        "old_tcost": costs(len(old_at)),
        "new_tcost": costs(len(new_at)),
        "targets": draw(
            st.lists(st.integers(0, len(new_at) - 1), min_size=1, max_size=5, unique=True)
        ),
        "k": draw(st.integers(1, 6)),
    }


@st.composite
def growths(draw: st.DrawFn) -> dict:
    """An old graph and a grown one: the old pairs and people plus some new ones."""
    n_old = draw(st.integers(1, 10))
    n = n_old + draw(st.integers(0, 4))
    gaps = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    ids = np.cumsum(gaps).astype(np.int64)
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    new = sorted(draw(st.lists(st.sampled_from(pairs), unique=True, max_size=35)) if pairs else [])
    inside = [p for p in new if p[1] < n_old]
    old = sorted(draw(st.lists(st.sampled_from(inside), unique=True)) if inside else [])

    def costs(k: int) -> np.ndarray:
        return np.array(draw(st.lists(st.sampled_from(COSTS), min_size=k, max_size=k)))

    return {
        "ids": ids,
        "old_at": np.arange(n_old),
        "new_at": np.arange(n),
        "old": old,
        "new": new,
        "old_cost": costs(len(old)),
        "new_cost": costs(len(new)),
        "old_tcost": costs(n_old),
        "new_tcost": costs(n),
        "targets": draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True)),
        "k": draw(st.integers(1, 6)),
    }


def columns(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    a = np.array([p[0] for p in pairs], dtype=np.int32)
    b = np.array([p[1] for p in pairs], dtype=np.int32)
    return a, b


def persons(pairs: list[tuple[int, int]], ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = columns(pairs)
    return ids[a], ids[b]


def built(g: dict, which: str) -> Snapshot:
    """``from_edges`` on the old or the new graph, its pairs as node indices of its people."""
    at = g[which + "_at"]
    a, b = columns(g[which])
    snap = Snapshot.from_edges(
        g["ids"][at],
        np.searchsorted(at, a).astype(np.int32),
        np.searchsorted(at, b).astype(np.int32),
        g[which + "_cost"],
        g[which + "_tcost"],
    )
    return snap


@contextmanager
def small_chunks() -> Iterator[None]:
    """Chunks, samples and blocks of a few rows; renumbering by table lookups; old costs
    reused however many changed; copies by masks however few the changes; ids searched."""
    names = ("_CHUNK", "_KEPT_CHUNK", "_SAMPLE", "_BLOCK", "_STEPS", "_REUSE", "_RUNS", "_DENSE")
    saved = [getattr(_snapshot, k) for k in names]
    for k, v in zip(names, (3, 7, 2, 1, 0, 1, 0, 0), strict=True):
        setattr(_snapshot, k, v)
    try:
        yield
    finally:
        for k, v in zip(names, saved, strict=True):
            setattr(_snapshot, k, v)


def assert_same(got: Snapshot, want: Snapshot) -> None:
    assert want.edge is not None and got.edge is not None
    for name in ("ids", "indptr", "indices", "cost", "tcost", "edge"):
        x, y = getattr(got, name), getattr(want, name)
        assert x.dtype == y.dtype, name
        assert np.array_equal(x, y), name


def assert_same_routes(got: Snapshot, want: Snapshot, g: dict) -> None:
    targets = np.array(g["targets"])
    for src in range(min(got.n, 3)):
        q = {"k": g["k"], "max_edges": 4}
        assert Router(got).top_k([(src, 0.0)], targets, **q) == Router(want).top_k(
            [(src, 0.0)], targets, **q
        )


def read_only(snap: Snapshot) -> Snapshot:
    """As mapped from the cache: updates must never write into these arrays."""
    for arr in (snap.ids, snap.indptr, snap.indices, snap.cost, snap.tcost, snap.edge):
        assert arr is not None
        arr.setflags(write=False)
    return snap


def check_update(g: dict) -> None:
    ids = g["ids"]
    old = read_only(built(g, "old"))
    want = built(g, "new")
    (oa, ob), (pa, pb) = persons(g["old"], ids), persons(g["new"], ids)
    base = int(ids[-1]) + 1
    kept = kept_rows(oa, ob, base, pa * base + pb, gone=True)
    index = {p: i for i, p in enumerate(g["new"])}
    assert kept.tolist() == [index.get(p, -1) for p in g["old"]]
    changed = [i for i, r in enumerate(kept) if r >= 0 and g["old_cost"][i] != g["new_cost"][r]]
    few = len(changed) * _snapshot._REUSE <= len(kept)
    found = changed_rows(kept, g["old_cost"], g["new_cost"])
    assert (found.tolist() if found is not None else None) == (changed if few else None)
    args = (ids[g["new_at"]], pa, pb, g["new_cost"], g["new_tcost"], (oa, ob))
    got = old.with_pairs(kept, *args)
    with small_chunks():  # the merge and the search work a chunk at a time at scale
        assert np.array_equal(kept_rows(oa, ob, base, pa * base + pb, gone=True), kept)
        keys = oa * base + ob
        assert np.array_equal(
            kept_rows(oa, ob, base, pa * base + pb, gone=True, old_keys=keys), kept
        )
        found = changed_rows(kept, g["old_cost"], g["new_cost"])
        assert found is not None and found.tolist() == changed
        assert_same(old.with_pairs(kept, *args), want)
        assert_same(old.with_pairs(kept, *args, np.array(changed, dtype=np.int64)), want)
    assert_same(old.with_pairs(kept, *args, np.array(changed, dtype=np.int64)), want)
    assert_same(got, want)
    assert_same_routes(got, want, g)


@settings(max_examples=300, deadline=None)
@given(growths())
def test_added_pairs_and_people_equal_a_fresh_build(g: dict) -> None:
    check_update(g)


@settings(max_examples=500, deadline=None)
@given(changes())
def test_removed_and_added_pairs_and_people_equal_a_fresh_build(g: dict) -> None:
    check_update(g)


@settings(max_examples=200, deadline=None)
@given(growths())
def test_recost_equals_a_fresh_build_and_shares_the_layout(g: dict) -> None:
    ids = g["ids"]
    a, b = columns(g["new"])
    cost = g["new_cost"]
    old = Snapshot.from_edges(ids, a, b, cost[::-1].copy(), np.zeros(ids.size))
    want = Snapshot.from_edges(ids, a, b, cost, g["new_tcost"])
    got = old.recost(cost, g["new_tcost"])
    assert_same(got, want)
    assert got.indices is old.indices and got.indptr is old.indptr
    assert_same_routes(got, want, g)


def scored(pairs: list[tuple[int, int]], ids: np.ndarray, strength: np.ndarray) -> Scored:
    """Pairs of person ids as ``score_pairs`` returns them (base: the highest id + 1)."""
    pa = np.array([ids[a] for a, _ in pairs], dtype=np.int64)
    pb = np.array([ids[b] for _, b in pairs], dtype=np.int64)
    base = int(pb.max(initial=0)) + 1
    m = len(pairs)
    return Scored(
        a=pa,
        b=pb,
        strength=strength,
        context=np.zeros(m, dtype=np.int8),
        stale=np.zeros(m, dtype=bool),
        base=base,
        keys=pa * base + pb,
    )


@settings(max_examples=300, deadline=None)
@given(st.one_of(growths(), changes()))
def test_update_snapshot_from_scored_pairs_equals_snapshot_of(g: dict) -> None:
    """Through the network's helper: person ids, key bases that change with the ids."""
    w = GraphWeights()
    ids = g["ids"]
    old_ids, new_ids = ids[g["old_at"]], ids[g["new_at"]]
    old = scored(g["old"], ids, g["old_cost"] / 2)
    new = scored(g["new"], ids, g["new_cost"] / 2)
    snap = read_only(snapshot_of(old, old_ids, g["old_tcost"], w))
    got = update_snapshot(snap, old, new, new_ids, g["new_tcost"], w)
    want = snapshot_of(new, new_ids, g["new_tcost"], w)
    assert_same(got, want)
    with small_chunks():
        assert_same(update_snapshot(snap, old, new, new_ids, g["new_tcost"], w), want)
    if g["old"] == g["new"] and np.array_equal(old_ids, new_ids):  # a new day: same pairs
        assert got.indices is snap.indices


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-1, 2), max_size=40), st.integers(0, 3))
def test_row_map_equals_looking_up_every_row(steps: list[int], block: int) -> None:
    """-1: the old pair is gone; else it is kept, after that many added pairs."""
    kept, row = [], 0
    for added in steps:
        kept.append(-1 if added < 0 else row + added)
        row += max(added, 0) + (added >= 0)
    arr = np.array(kept, dtype=np.int32)
    saved = _snapshot._BLOCK
    _snapshot._BLOCK = block
    try:
        rows_of = _snapshot._RowMap(arr, np.flatnonzero(arr < 0))
        rows = np.arange(arr.size, dtype=np.int32)[::-1]
        assert rows_of(rows).tolist() == arr[rows].tolist()
    finally:
        _snapshot._BLOCK = saved


def test_rows_list_higher_neighbours_then_lower_ones_ascending() -> None:
    a, b = columns([(0, 2), (0, 3), (1, 2), (2, 3), (2, 4)])
    snap = Snapshot.from_edges(np.arange(5), a, b, np.arange(5.0))
    row = snap.indices[snap.indptr[2] : snap.indptr[3]]
    assert row.tolist() == [3, 4, 0, 1]
    assert snap.edge is not None
    assert snap.edge[snap.indptr[2] : snap.indptr[3]].tolist() == [3, 4, 0, 2]


def test_same_pairs_other_people_are_not_just_recosted() -> None:
    """One person without pairs swapped for another: same keys, new ids."""
    w = GraphWeights()
    pairs = scored([(0, 1)], np.array([1, 2]), np.array([0.5]))
    snap = snapshot_of(pairs, np.array([1, 2, 3]), np.zeros(3), w)
    got = update_snapshot(snap, pairs, pairs, np.array([1, 2, 4]), np.ones(3), w)
    assert got.ids.tolist() == [1, 2, 4]


def test_bad_updates_are_refused() -> None:
    ids = np.array([1, 2, 3, 4])
    pa, pb = np.array([1, 2, 3]), np.array([2, 3, 4])
    snap = Snapshot.from_edges(ids[:3], pa[:2] - 1, pb[:2] - 1, np.ones(2))
    with pytest.raises(ValueError, match="gone"):
        kept_rows(pa[:2], pb[:2], 5, pa[1:] * 5 + pb[1:])
    gone = kept_rows(pa[:2], pb[:2], 5, pa[1:] * 5 + pb[1:], gone=True)
    assert gone.tolist() == [-1, 0]
    with pytest.raises(ValueError, match="give the old pairs"):
        snap.with_pairs(gone, ids, pa[1:], pb[1:], np.ones(2), np.zeros(4))
    with pytest.raises(ValueError, match="not the snapshot's"):
        snap.with_pairs(gone, ids, pa[1:], pb[1:], np.ones(2), np.zeros(4), old=(pa[:2], pb[1:]))
    kept = kept_rows(pa[:2], pb[:2], 5, pa * 5 + pb)
    assert kept.tolist() == [0, 1]
    for ranked in (nullcontext(), small_chunks()):  # ids ranked by table, then searched
        with ranked, pytest.raises(ValueError, match="removed whose pairs were kept"):
            snap.with_pairs(kept, ids[1:], pa[1:], pb[1:], np.ones(2), np.zeros(3))
    with pytest.raises(ValueError, match="missing from the ids"):
        snap.with_pairs(kept, ids[:3], pa, pb, np.ones(3), np.zeros(3))


def test_unsorted_pairs_keep_no_edge_map_and_cannot_be_updated() -> None:
    a, b = columns([(1, 2), (0, 1)])
    snap = Snapshot.from_edges(np.arange(3), a, b, np.ones(2))
    assert snap.edge is None
    with pytest.raises(ValueError, match="sorted pairs"):
        snap.recost(np.ones(2))
