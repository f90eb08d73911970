"""Exact top-k loop-free routes over a compact CSR snapshot of the graph.

A route is a simple path from a source (the user, or a teammate with a start cost) to a
target (anyone in a target set: a company's current staff, or one person), with at most
``max_edges`` edges. Targets end a route (nobody is routed *through* a target); blocked
people are never used. Costs are non-negative (``-log`` of probabilities), so a route's
cost is the sum of its edges plus the target's own cost.

How (best-first from the targets, guided by cached bounds from the sources):

1. Forward bounds ``H_r(v)``: the cheapest way from any source to ``v`` in at most ``r``
   edges (start cost included), ignoring the loop-free rule and the targets, so it never
   over-estimates. They depend only on who asks (the sources) and who is blocked, not on the
   target, so they are computed once per snapshot and asker (a frontier-limited
   Bellman-Ford, ``r`` rounds) and reused by every query after.
2. Best-first expansion of partial paths *backwards* from every target at once, ordered by
   ``target cost + cost so far + H_(edges left)(last node)``. The bound is admissible and
   consistent, so complete paths (reaching a source) come off the heap in cost order: the
   first ``k`` are exactly the top ``k``. A query's own work is a handful of pops; no table
   is built per target.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from carson.graph._snapshot import Snapshot

INF = float("inf")
_FWD_CACHE = 4


@dataclass(frozen=True)
class Found:
    cost: float
    path: tuple[int, ...]
    """Node indices from the source to the target."""


class Router:
    """Top-k route search over one snapshot; caches forward bounds per asker.

    Not thread-safe (a query briefly masks the cached bounds): callers serialise queries,
    as ``routes.py`` does with the network's lock."""

    def __init__(self, snap: Snapshot) -> None:
        self.s = snap
        n = snap.n
        self._mark = np.zeros(n, dtype=bool)
        self._slot = np.zeros(n, dtype=np.int64)
        self._fwd: dict[tuple[object, ...], list[np.ndarray]] = {}
        self._frontier: dict[tuple[object, ...], np.ndarray] = {}

    # ------------------------------------------------------------- helpers

    def _gather(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Neighbour indices and costs of ``nodes``, concatenated; plus segment lengths."""
        indptr = self.s.indptr
        starts = indptr[nodes]
        lens = indptr[nodes + 1] - starts
        total = int(lens.sum())
        if total == 0:
            return np.empty(0, np.int32), np.empty(0), lens
        offsets = np.cumsum(lens) - lens
        idx = np.arange(total, dtype=np.int64) - np.repeat(offsets - starts, lens)
        return self.s.indices[idx], self.s.cost[idx], lens

    def forward_bounds(
        self, sources: Sequence[tuple[int, float]], blocked: np.ndarray, upto: int
    ) -> list[np.ndarray]:
        """``H_0..H_upto`` for these sources (cached): ``H_r[v]`` is the least start cost plus
        walk cost from a source to ``v`` in at most ``r`` edges through unblocked nodes."""
        start: dict[int, float] = {}
        for s0, c0 in sources:
            start[int(s0)] = min(float(c0), start.get(int(s0), INF))
        key = (tuple(sorted(start.items())), blocked.tobytes())
        tabs = self._fwd.get(key)
        if tabs is None:
            if len(self._fwd) >= _FWD_CACHE:
                old = next(iter(self._fwd))
                del self._fwd[old], self._frontier[old]
            h0 = np.full(self.s.n, INF)
            h0[list(start)] = list(start.values())
            tabs = self._fwd[key] = [h0]
            self._frontier[key] = np.array(sorted(start), dtype=np.int64)
        if len(tabs) > upto:
            return tabs
        frontier = self._frontier[key]
        passable = np.ones(self.s.n, dtype=bool)
        passable[blocked] = False
        passable[list(start)] = True  # a blocked source still starts paths (a looser bound)
        while len(tabs) <= upto:
            prev = tabs[-1]
            cur = prev.copy()
            frontier = frontier[passable[frontier]]
            if frontier.size:
                nb, w, lens = self._gather(frontier)
                np.minimum.at(cur, nb, w + np.repeat(prev[frontier], lens))
            frontier = np.flatnonzero(cur < prev)
            tabs.append(cur)
        self._frontier[key] = frontier
        return tabs

    # ---------------------------------------------------------------- query

    def top_k(
        self,
        sources: Sequence[tuple[int, float]],
        targets: np.ndarray,
        *,
        k: int = 5,
        max_edges: int = 4,
        blocked: np.ndarray | None = None,
        max_per_first: int | None = None,
        primary: int | None = None,
        bound_blocked: np.ndarray | None = None,
    ) -> list[Found]:
        """The ``k`` cheapest loop-free paths from any source to any target.

        ``sources``: (node index, start cost). Paths never pass through a target or a
        blocked node (a blocked source may still start one). ``max_per_first``: cap on
        accepted routes per first contact (the node after ``primary``, or the source itself
        for other sources). ``bound_blocked``: the part of ``blocked`` that stays the same
        from query to query (the cached forward bounds respect it; default: all of it).
        """
        if k <= 0 or max_edges <= 0 or not sources:
            return []
        start: dict[int, float] = {}
        for s0, c0 in sources:
            start[int(s0)] = min(float(c0), start.get(int(s0), INF))
        src = np.fromiter(start, dtype=np.int64, count=len(start))
        blocked = (
            np.unique(np.asarray(blocked, dtype=np.int64))
            if blocked is not None and len(blocked)
            else np.empty(0, dtype=np.int64)
        )
        mark = self._mark
        try:
            mark[src] = True
            mark[blocked] = True
            targets = self._distinct(np.asarray(targets, dtype=np.int64))
            targets = targets[~mark[targets]]
        finally:
            mark[src] = False
            mark[blocked] = False
        if targets.size == 0:
            return []
        if bound_blocked is not None:
            bound_blocked = np.intersect1d(blocked, np.asarray(bound_blocked, dtype=np.int64))
        tabs = self.forward_bounds(
            sources, blocked if bound_blocked is None else bound_blocked, max_edges
        )
        roots = self.s.tcost[targets] + tabs[max_edges][targets]
        # Targets and blocked non-sources can't be stepped on: hide them from the bounds
        # (so they are never a child) for this query, then put the values back.
        shut = np.concatenate([targets, blocked[~np.isin(blocked, src, assume_unique=True)]])
        used = tabs[:max_edges]
        saved = [t[shut] for t in used]
        try:
            for t in used:
                t[shut] = INF
            return self._best_first(
                start,
                targets,
                roots,
                used,
                k,
                max_edges,
                max_per_first,
                primary,
                {int(b) for b in blocked.tolist()},
            )
        finally:
            for t, old in zip(used, saved, strict=True):
                t[shut] = old

    def _distinct(self, nodes: np.ndarray) -> np.ndarray:
        """Distinct values of ``nodes`` in O(len) without sorting (first occurrences kept)."""
        if nodes.size < 2:
            return nodes
        pos = np.arange(nodes.size)
        self._slot[nodes[::-1]] = pos[::-1]
        return nodes[self._slot[nodes] == pos]

    def _best_first(
        self,
        start: dict[int, float],
        targets: np.ndarray,
        roots: np.ndarray,
        tabs: list[np.ndarray],
        k: int,
        max_edges: int,
        max_per_first: int | None,
        primary: int | None,
        blocked: set[int],
    ) -> list[Found]:
        """Pop partial paths (target first) in bound order; children wait in sorted sibling
        groups, so each expansion costs one heap push instead of one per neighbour."""
        indptr, indices, cost, tcost = self.s.indptr, self.s.indices, self.s.cost, self.s.tcost
        # Heap entries: (f, seq, path, g, child nodes, child f's, child edge costs, i), where
        # ``path`` runs from the last node reached to the target and ``g`` is its cost. A
        # complete path is an entry with no children and its cost as f.
        heap: list[
            tuple[float, int, tuple[int, ...], float, list[int], list[float], list[float], int]
        ] = []
        order = roots.argsort(kind="stable")
        m = int(roots[order].searchsorted(INF))
        if m == 0:
            return []
        order = order[:m]
        heap.append(
            (
                float(roots[order[0]]),
                0,
                (),
                0.0,
                targets[order].tolist(),
                roots[order].tolist(),
                tcost[targets[order]].tolist(),
                0,
            )
        )
        seq = 1
        # With one source, a partial path that reached it is done: its bound would count
        # walks that come back to it, so extending it only wastes pops.
        lone = len(start) == 1
        out: list[Found] = []
        per_first: dict[int, int] = {}
        while heap and len(out) < k:
            f, _, rest, g0, kids, fs, ws, i = heapq.heappop(heap)
            if not kids:  # a complete path, ``rest`` runs source → target
                if max_per_first is not None:
                    first = rest[1] if rest[0] == primary else rest[0]
                    if per_first.get(first, 0) >= max_per_first:
                        continue
                    per_first[first] = per_first.get(first, 0) + 1
                out.append(Found(cost=f, path=rest))
                continue
            if i + 1 < len(kids):
                heapq.heappush(heap, (fs[i + 1], seq, rest, g0, kids, fs, ws, i + 1))
                seq += 1
            v = kids[i]
            if v in rest:
                continue
            path = (v, *rest)
            g = g0 + ws[i]
            if rest:
                c0 = start.get(v)
                if c0 is not None:
                    heapq.heappush(heap, (g + c0, seq, path, g, [], [], [], 0))
                    seq += 1
                    if lone:  # going on could only lead back to this source: a loop
                        continue
                if v in blocked:
                    continue
            left = max_edges - len(rest)
            if left <= 0:
                continue
            lo, hi = int(indptr[v]), int(indptr[v + 1])
            w = cost[lo:hi]
            vals = w + tabs[left - 1][indices[lo:hi]]
            sel = vals.argsort(kind="stable")
            vals = vals[sel]
            m = int(vals.searchsorted(INF))
            if m == 0:
                continue
            sel = sel[:m]
            fs_new = (g + vals[:m]).tolist()
            heapq.heappush(
                heap,
                (fs_new[0], seq, path, g, indices[lo:hi][sel].tolist(), fs_new, w[sel].tolist(), 0),
            )
            seq += 1
        return out
