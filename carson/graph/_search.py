"""Exact top-k loop-free routes over a compact CSR snapshot of the graph.

A route is a simple path from a source (the user, or a teammate with a start cost) to a
target (anyone in a target set: a company's current staff, or one person), with at most
``max_edges`` edges. Targets end a route (nobody is routed *through* a target); blocked
people are never used. Costs are non-negative (``-log`` of probabilities), so a route's
cost is the sum of its edges plus the target's own cost.

How (bounded bidirectional search):

1. Lower bounds ``LB(v, r)``: the cheapest way from ``v`` to a target using at most ``r``
   more edges, ignoring the loop-free rule (so it never over-estimates). They are computed
   for exactly the nodes a route can visit: forward levels from the sources
   (``F_0 = sources``, ``F_1 = their neighbours``, …) and backward tables from the targets
   (``B_1`` = neighbours of targets, …), expanding whichever side's frontier has fewer edges
   until the two meet at the middle edge, then a min-plus sweep back down the forward levels.
2. Best-first expansion of partial paths from the sources, ordered by
   ``cost so far + LB(last node, edges left)``. The bound is admissible and consistent, so
   complete paths come off the heap in cost order: the first ``k`` are exactly the top ``k``.

All per-query state lives in buffers allocated once per snapshot and reset by index.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

INF = float("inf")
MAX_BACKWARD = 2


@dataclass
class Snapshot:
    """The routing view of the graph: node indices ``0..n-1`` and symmetric CSR arrays."""

    ids: np.ndarray
    """Person id of each node index (sorted ascending)."""
    indptr: np.ndarray
    """int64, length n+1."""
    indices: np.ndarray
    """int32 neighbour indices."""
    cost: np.ndarray
    """float64 edge cost (``-log`` hop probability), aligned with ``indices``."""
    tcost: np.ndarray
    """float64 per-node target cost (``-log`` chance the person takes the meeting)."""

    @property
    def n(self) -> int:
        return int(self.ids.shape[0])

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.ids, self.indptr, self.indices, self.cost, self.tcost))

    def index_of(self, pid: int) -> int:
        i = int(np.searchsorted(self.ids, pid))
        if i >= self.n or int(self.ids[i]) != pid:
            raise KeyError(pid)
        return i

    def indices_of(self, pids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Node indices of the given person ids (ids not in the snapshot are dropped)."""
        arr = np.asarray(pids, dtype=np.int64)
        if arr.size == 0:
            return np.empty(0, dtype=np.int64)
        pos = np.searchsorted(self.ids, arr)
        pos = np.minimum(pos, self.n - 1)
        return pos[self.ids[pos] == arr]

    @classmethod
    def from_edges(
        cls,
        ids: np.ndarray,
        a: np.ndarray,
        b: np.ndarray,
        cost: np.ndarray,
        tcost: np.ndarray | None = None,
    ) -> Snapshot:
        """Build from undirected edges given as node-index arrays ``a``, ``b`` (a != b)."""
        n = int(ids.shape[0])
        src = np.concatenate([a, b]).astype(np.int32, copy=False)
        dst = np.concatenate([b, a]).astype(np.int32, copy=False)
        c = np.concatenate([cost, cost]).astype(np.float64, copy=False)
        order = np.argsort(src, kind="stable")
        indices = dst[order]
        cost_sorted = c[order]
        del dst, c
        counts = np.bincount(src, minlength=n)
        del src, order
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        if tcost is None:
            tcost = np.zeros(n, dtype=np.float64)
        return cls(
            ids=np.asarray(ids, dtype=np.int64),
            indptr=indptr,
            indices=indices,
            cost=cost_sorted,
            tcost=np.asarray(tcost, dtype=np.float64),
        )


@dataclass(frozen=True)
class Found:
    cost: float
    path: tuple[int, ...]
    """Node indices from the source to the target."""


class Router:
    """Top-k route search with reusable per-query buffers (one Router per snapshot)."""

    def __init__(self, snap: Snapshot) -> None:
        self.s = snap
        n = snap.n
        self._is_target = np.zeros(n, dtype=bool)
        self._term = np.full(n, INF)
        self._blocked = np.zeros(n, dtype=bool)
        self._lb: dict[int, np.ndarray] = {}
        self._touched: list[tuple[np.ndarray, np.ndarray]] = []
        self._slot = np.zeros(n, dtype=np.int64)
        self._targets = np.empty(0, dtype=np.int64)

    # ------------------------------------------------------------- helpers

    def _buf(self, r: int) -> np.ndarray:
        """``LB(., r)``; target nodes always hold their own target cost (they end a route)."""
        buf = self._lb.get(r)
        if buf is None:
            buf = self._lb[r] = np.full(self.s.n, INF)
            self._touched.append((buf, self._targets))
            buf[self._targets] = self._term[self._targets]
        return buf

    def _unique(self, nodes: np.ndarray) -> np.ndarray:
        """Distinct values of ``nodes`` in O(len) without sorting (order not kept)."""
        if nodes.size == 0:
            return nodes.astype(np.int64)
        pos = np.arange(nodes.size)
        self._slot[nodes] = pos
        return nodes[self._slot[nodes] == pos].astype(np.int64)

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

    def _value(self, nb: np.ndarray, r: int) -> np.ndarray:
        """Best completion from each neighbour ``u`` with ``r`` edges left after reaching it."""
        return self._term[nb] if r <= 0 else self._buf(r)[nb]

    def _degree_sum(self, nodes: np.ndarray) -> int:
        ip = self.s.indptr
        return int((ip[nodes + 1] - ip[nodes]).sum())

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
    ) -> list[Found]:
        """The ``k`` cheapest loop-free paths from any source to any target.

        ``sources``: (node index, start cost). ``max_per_first``: cap on accepted routes per
        first contact (the node after ``primary``, or the source itself for other sources).
        """
        if k <= 0 or max_edges <= 0 or not sources:
            return []
        src_nodes = np.unique(np.asarray([s for s, _ in sources], dtype=np.int64))
        targets = np.setdiff1d(np.asarray(targets, dtype=np.int64), src_nodes)
        if blocked is not None and len(blocked):
            blocked = np.asarray(blocked, dtype=np.int64)
            targets = targets[~np.isin(targets, blocked)]
        if targets.size == 0:
            return []
        try:
            self._is_target[targets] = True
            self._term[targets] = self.s.tcost[targets]
            self._targets = targets
            for r, buf in self._lb.items():
                if r <= max_edges:
                    buf[targets] = self._term[targets]
                    self._touched.append((buf, targets))
            if blocked is not None and len(blocked):
                self._blocked[blocked] = True
            self._bounds(src_nodes, targets, max_edges)
            return self._best_first(sources, k, max_edges, max_per_first, primary)
        finally:
            self._is_target[targets] = False
            self._term[targets] = INF
            if blocked is not None and len(blocked):
                self._blocked[blocked] = False
            for buf, idx in self._touched:
                buf[idx] = INF
            self._touched.clear()

    def _bounds(self, src_nodes: np.ndarray, targets: np.ndarray, max_edges: int) -> None:
        levels: list[np.ndarray] = [src_nodes]
        gathered: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        back_frontier = targets
        back_cost = self._degree_sum(targets)
        fwd_cost = self._degree_sum(src_nodes)
        b = 0
        # Expand the cheaper side until forward depth + backward depth = max_edges - 1.
        while len(levels) - 1 + b < max_edges - 1:
            if b < MAX_BACKWARD and back_cost < fwd_cost:
                b += 1
                back_frontier = self._backward(b, back_frontier, targets)
                back_cost = self._degree_sum(back_frontier)
            else:
                nb, w, lens = self._gather(levels[-1])
                gathered.append((nb, w, lens))
                keep = ~(self._is_target[nb] | self._blocked[nb])
                nxt = self._unique(nb[keep])
                levels.append(nxt)
                fwd_cost = self._degree_sum(nxt)
        # Min-plus sweep down the forward levels.
        a = len(levels) - 1
        for d in range(a, -1, -1):
            r = max_edges - d
            nodes = levels[d]
            if nodes.size == 0:
                continue
            nb, w, lens = gathered[d] if d < a else self._gather(nodes)
            vals = w + self._value(nb, r - 1) if nb.size else np.empty(0)
            best = np.full(nodes.size, INF)
            nz = lens > 0
            if vals.size:
                seg_starts = (np.cumsum(lens) - lens)[nz]
                best[nz] = np.minimum.reduceat(vals, seg_starts)
            buf = self._buf(r)
            buf[nodes] = best
            self._touched.append((buf, nodes))

    def _backward(self, j: int, frontier: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Dense table ``LB(., j)`` for non-target nodes within ``j`` edges of a target."""
        src = targets if j == 1 else np.union1d(targets, frontier)
        nb, w, lens = self._gather(src)
        from_val = self._term[src] if j == 1 else self._value(src, j - 1)
        vals = w + np.repeat(from_val, lens)
        keep = ~(self._is_target[nb] | self._blocked[nb]) & np.isfinite(vals)
        nb, vals = nb[keep], vals[keep]
        buf = self._buf(j)
        np.minimum.at(buf, nb, vals)
        reached = self._unique(nb)
        self._touched.append((buf, reached))
        return reached

    def _best_first(
        self,
        sources: Sequence[tuple[int, float]],
        k: int,
        max_edges: int,
        max_per_first: int | None,
        primary: int | None,
    ) -> list[Found]:
        """Pop partial paths in bound order; children wait in sorted sibling groups, so each
        expansion costs one heap push instead of one per neighbour."""
        indptr, indices, cost = self.s.indptr, self.s.indices, self.s.cost
        is_target = self._is_target
        # Heap entries: (f, seq, parent path, parent g, child nodes, child f's, child g's, i).
        heap: list[
            tuple[float, int, tuple[int, ...], float, list[int], list[float], list[float], int]
        ] = []
        seq = 0
        top = self._buf(max_edges)
        roots = sorted((c0 + float(top[s]), int(s), c0) for s, c0 in sources)
        roots = [r for r in roots if r[0] < INF]
        if roots:
            heap.append(
                (
                    roots[0][0],
                    seq,
                    (),
                    0.0,
                    [r[1] for r in roots],
                    [r[0] for r in roots],
                    [r[2] for r in roots],
                    0,
                )
            )
        out: list[Found] = []
        per_first: dict[int, int] = {}

        def first_of(path: tuple[int, ...]) -> int:
            return path[1] if path[0] == primary and len(path) > 1 else path[0]

        while heap and len(out) < k:
            f, _, parent, _pg, kids, fs, gs, i = heapq.heappop(heap)
            if i + 1 < len(kids):
                seq += 1
                heapq.heappush(heap, (fs[i + 1], seq, parent, _pg, kids, fs, gs, i + 1))
            v = kids[i]
            if v in parent:
                continue
            path = (*parent, v)
            g = gs[i]
            if (
                max_per_first is not None
                and (len(path) > 1 or path[0] != primary)
                and per_first.get(first_of(path), 0) >= max_per_first
            ):
                continue
            if len(path) > 1 and is_target[v]:
                out.append(Found(cost=f, path=path))
                if max_per_first is not None:
                    fc = first_of(path)
                    per_first[fc] = per_first.get(fc, 0) + 1
                continue
            left = max_edges - (len(path) - 1)
            lo, hi = int(indptr[v]), int(indptr[v + 1])
            nb = indices[lo:hi]
            w = cost[lo:hi]
            vals = w + self._value(nb, left - 1)
            ok = np.flatnonzero(vals < INF)
            if ok.size == 0:
                continue
            ok = ok[np.argsort(vals[ok], kind="stable")]
            # Children stay as arrays; a child already on the path is skipped when popped.
            seq += 1
            fs_new = (g + vals[ok]).tolist()
            heapq.heappush(
                heap, (fs_new[0], seq, path, g, nb[ok].tolist(), fs_new, (g + w[ok]).tolist(), 0)
            )
        return out
