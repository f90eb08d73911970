"""A snapshot re-costed or given more pairs equals a fresh build on the new pairs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carson.graph import _search
from carson.graph._columns import Scored
from carson.graph._search import Router, Snapshot, kept_rows
from carson.graph.network import snapshot_of, update_snapshot
from carson.graph.weights import GraphWeights

COSTS = [0.05, 0.25, 0.5, 1.0, 1.5]


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
        "n_old": n_old,
        "ids": ids,
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


@contextmanager
def small_chunks() -> Iterator[None]:
    saved = _search._CHUNK, _search._KEPT_CHUNK, _search._SAMPLE
    _search._CHUNK, _search._KEPT_CHUNK, _search._SAMPLE = 3, 7, 2
    try:
        yield
    finally:
        _search._CHUNK, _search._KEPT_CHUNK, _search._SAMPLE = saved


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


@settings(max_examples=300, deadline=None)
@given(growths())
def test_added_pairs_and_people_equal_a_fresh_build(g: dict) -> None:
    ids, n_old = g["ids"], g["n_old"]
    old = Snapshot.from_edges(ids[:n_old], *columns(g["old"]), g["old_cost"], g["old_tcost"])
    for arr in (old.ids, old.indptr, old.indices, old.cost, old.tcost, old.edge):
        assert arr is not None
        arr.setflags(write=False)  # as mapped from the cache: updates never write into it
    na, nb = columns(g["new"])
    want = Snapshot.from_edges(ids, na, nb, g["new_cost"], g["new_tcost"])
    (oa, ob), (pa, pb) = persons(g["old"], ids), persons(g["new"], ids)
    base = int(ids[-1]) + 1
    kept = kept_rows(oa, ob, base, pa * base + pb)
    got = old.with_pairs(kept, ids, pa, pb, g["new_cost"], g["new_tcost"])
    with small_chunks():  # the merge and the search work a chunk at a time at scale
        assert np.array_equal(kept_rows(oa, ob, base, pa * base + pb), kept)
        assert_same(old.with_pairs(kept, ids, pa, pb, g["new_cost"], g["new_tcost"]), want)
    assert_same(got, want)
    assert_same_routes(got, want, g)


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


@settings(max_examples=200, deadline=None)
@given(growths())
def test_update_snapshot_from_scored_pairs_equals_snapshot_of(g: dict) -> None:
    """Through the network's helper: person ids, key bases that grow with the ids."""
    w = GraphWeights()
    ids, n_old = g["ids"], g["n_old"]
    old = scored(g["old"], ids, g["old_cost"] / 2)
    new = scored(g["new"], ids, g["new_cost"] / 2)
    snap = snapshot_of(old, ids[:n_old], g["old_tcost"], w)
    got = update_snapshot(snap, old, new, ids, g["new_tcost"], w)
    assert_same(got, snapshot_of(new, ids, g["new_tcost"], w))
    if len(g["old"]) == len(g["new"]) and n_old == ids.size:  # a new day: same pairs
        assert got.indices is snap.indices
    if g["old"]:  # a pair gone: the caller must build
        gone = g["old"][len(g["old"]) // 2]
        fewer = scored([p for p in g["new"] if p != gone], ids, g["new_cost"][1:] / 2)
        with pytest.raises(ValueError, match="gone"):
            update_snapshot(snap, old, fewer, ids, g["new_tcost"], w)


def test_rows_list_higher_neighbours_then_lower_ones_ascending() -> None:
    a, b = columns([(0, 2), (0, 3), (1, 2), (2, 3), (2, 4)])
    snap = Snapshot.from_edges(np.arange(5), a, b, np.arange(5.0))
    row = snap.indices[snap.indptr[2] : snap.indptr[3]]
    assert row.tolist() == [3, 4, 0, 1]
    assert snap.edge is not None
    assert snap.edge[snap.indptr[2] : snap.indptr[3]].tolist() == [3, 4, 0, 2]


def test_removed_pair_unknown_or_inserted_person_is_refused() -> None:
    ids = np.array([1, 2, 3, 4])
    pa, pb = np.array([1, 2, 3]), np.array([2, 3, 4])
    snap = Snapshot.from_edges(ids[:3], pa[:2] - 1, pb[:2] - 1, np.ones(2))
    with pytest.raises(ValueError, match="gone"):
        kept_rows(pa[:2], pb[:2], 5, pa[1:] * 5 + pb[1:])
    kept = kept_rows(pa[:2], pb[:2], 5, pa * 5 + pb)
    assert kept.tolist() == [0, 1]
    with pytest.raises(ValueError, match="among the old ids"):
        snap.with_pairs(kept, np.array([0, 1, 2, 3]), pa, pb, np.ones(3), np.zeros(4))
    with pytest.raises(ValueError, match="missing from the ids"):
        snap.with_pairs(kept, ids[:3], pa, pb, np.ones(3), np.zeros(3))


def test_unsorted_pairs_keep_no_edge_map_and_cannot_be_updated() -> None:
    a, b = columns([(1, 2), (0, 1)])
    snap = Snapshot.from_edges(np.arange(3), a, b, np.ones(2))
    assert snap.edge is None
    with pytest.raises(ValueError, match="sorted pairs"):
        snap.recost(np.ones(2))
