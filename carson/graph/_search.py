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

INF = float("inf")
_FWD_CACHE = 4


def sort_order(x: np.ndarray) -> np.ndarray:
    """``np.argsort(x, kind="stable")`` for non-negative integers, faster (see ``sort_pairs``)."""
    return sort_pairs(x)[1]


def sort_pairs(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(np.sort(x), np.argsort(x, kind="stable"))`` for non-negative integers. When value
    and position fit in 64 bits together, one plain sort of the packed words gives both
    (several times faster than ``argsort``, and no gather to get the sorted values)."""
    n = int(x.size)
    if n == 0:
        return x.astype(np.int64), np.empty(0, dtype=np.int64)
    shift = max(1, (n - 1).bit_length())
    if int(x.max()).bit_length() + shift > 64 or int(x.min()) < 0:
        order = np.argsort(x, kind="stable")
        return x[order], order
    packed = x.astype(np.uint64)
    packed <<= np.uint64(shift)
    packed |= np.arange(n, dtype=np.uint64)
    packed.sort()
    values = (packed >> np.uint64(shift)).view(np.int64)
    packed &= np.uint64((1 << shift) - 1)
    return values, packed.view(np.int64)


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
    edge: np.ndarray | None = None
    """CSR slot → row of its pair in the edges the snapshot was built from (int32 when it
    fits); kept only when those were sorted pairs (see :meth:`from_edges`), whose layout
    :meth:`recost` and :meth:`with_pairs` update in place of a rebuild."""

    @property
    def n(self) -> int:
        return int(self.ids.shape[0])

    @property
    def nbytes(self) -> int:
        arrays = [self.ids, self.indptr, self.indices, self.cost, self.tcost]
        return sum(a.nbytes for a in arrays) + (0 if self.edge is None else self.edge.nbytes)

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
        """Build from undirected edges given as node-index arrays ``a``, ``b`` (a != b).

        Each node's row lists the edges where it is ``a`` (in input order), then those where
        it is ``b``. For sorted pairs (by ``(a, b)``, ``a < b``, as ``Scored`` holds them)
        that is the node's neighbours above it ascending, then those below it ascending: a
        layout fixed by the set of pairs, so the snapshot keeps ``edge`` (slot → pair row)
        and can be re-costed or given more pairs without a rebuild. Each side is grouped by
        one sort of packed (node, edge) words (none when already sorted, as ``score_pairs``
        gives ``a``) and scattered into place in chunks, so the only full-size arrays made
        are the words and the CSR itself.
        """
        n = int(ids.shape[0])
        a, b = np.asarray(a), np.asarray(b)
        m = int(a.size)
        cost = np.asarray(cost, dtype=np.float64)
        indptr = np.zeros(n + 1, dtype=np.int64)
        indices = np.empty(2 * m, dtype=np.int32)
        cost_sorted = np.empty(2 * m, dtype=np.float64)
        if tcost is None:
            tcost = np.zeros(n, dtype=np.float64)
        edge = np.empty(2 * m, dtype=_edge_dtype(m)) if _sorted_pairs(a, b) else None
        snap = cls(
            ids=np.asarray(ids, dtype=np.int64),
            indptr=indptr,
            indices=indices,
            cost=cost_sorted,
            tcost=np.asarray(tcost, dtype=np.float64),
            edge=edge,
        )
        if m == 0:
            return snap
        shift = np.uint64(max(1, (m - 1).bit_length()))
        if max(int(a.max()), int(b.max())).bit_length() + int(shift) > 64:
            raise ValueError("too many edges or nodes for a snapshot")
        nodes = np.arange(n + 1, dtype=np.uint64) << shift
        sides = []
        for own in (a, b):
            words = _packed(own, shift)
            if m > 1 and not bool((words[1:] >= words[:-1]).all()):
                words.sort()
            sides.append((words, np.searchsorted(words, nodes)))
        (wa, start_a), (wb, start_b) = sides
        cnt_a, cnt_b = np.diff(start_a), np.diff(start_b)
        np.cumsum(cnt_a + cnt_b, out=indptr[1:])
        # Row k of side "a" (k-th in node order) goes to indptr[v] + (k - start_a[v]); side
        # "b" goes after the node's "a" edges.
        off_a = indptr[:-1] - start_a[:-1]
        off_b = indptr[:-1] + cnt_a - start_b[:-1]
        mask = np.uint64((1 << int(shift)) - 1)
        for words, off, other in ((wa, off_a, b), (wb, off_b, a)):
            for c in range(0, m, _CHUNK):
                w = words[c : c + _CHUNK]
                row = (w & mask).view(np.int64)
                pos = off[(w >> shift).view(np.int64)]
                pos += np.arange(c, c + w.size, dtype=np.int64)
                indices[pos] = other[row]
                cost_sorted[pos] = cost[row]
                if edge is not None:
                    edge[pos] = row
        return snap

    def recost(self, cost: np.ndarray, tcost: np.ndarray | None = None) -> Snapshot:
        """The same pairs with new costs (``cost`` per pair row, as given to
        :meth:`from_edges`): one gather, ``indptr``, ``indices`` and ``edge`` shared.
        ``tcost``: new target costs (default: these). Equals ``from_edges`` on the pairs."""
        edge = self._edge()
        cost = np.asarray(cost, dtype=np.float64)
        if 2 * cost.size != edge.size:
            raise ValueError(f"{cost.size} costs for a snapshot of {edge.size // 2} pairs")
        return Snapshot(
            ids=self.ids,
            indptr=self.indptr,
            indices=self.indices,
            cost=np.take(cost, edge),
            tcost=self.tcost if tcost is None else self._tcost(tcost, self.n),
            edge=edge,
        )

    def with_pairs(
        self,
        kept: np.ndarray,
        ids: np.ndarray,
        pa: np.ndarray,
        pb: np.ndarray,
        cost: np.ndarray,
        tcost: np.ndarray,
    ) -> Snapshot:
        """This snapshot with pairs (and people) added, without a rebuild: equals
        ``from_edges`` on the new pairs (as node indices of ``ids``), ``cost``, ``tcost``.

        ``kept``: the new row of each old pair (:func:`kept_rows`: ValueError if a pair was
        removed); ``ids``: every person id, the old ones first (new people come after
        everyone, else ValueError: build instead); ``pa``, ``pb``: the new pairs as person
        ids, sorted, ``pa < pb`` (only the added ones are read); ``cost`` per new pair,
        ``tcost`` per person. The added pairs' slots are merged into the old rows, and the
        old slots copied around them a chunk at a time (no full-size temporaries).
        """
        edge = self._edge()
        ids = np.asarray(ids, dtype=np.int64)
        n, nn, m, big = self.n, int(ids.size), edge.size // 2, int(np.size(pa))
        if kept.size != m or (m and not 0 <= int(kept[-1]) < big):
            raise ValueError(f"{kept.size} kept rows for a snapshot of {m} pairs")
        if nn < n or not np.array_equal(ids[:n], self.ids):
            raise ValueError("people were removed or inserted among the old ids")
        cost = np.asarray(cost, dtype=np.float64)
        if not cost.size == big == np.size(pb):
            raise ValueError("new pairs and costs differ in length")
        tcost = self._tcost(tcost, nn)
        fresh = np.ones(big, dtype=bool)
        fresh[kept] = False
        add = np.flatnonzero(fresh)
        del fresh
        lo, hi = _nodes_of(ids, pa[add]), _nodes_of(ids, pb[add])
        if not bool((lo < hi).all()):
            raise ValueError("new pairs must be sorted with a < b")
        # Each new pair fills a slot in both its rows. Within a row, slots run by rank
        # (neighbour, plus nn for the neighbours below the node): merge by it.
        v, u = np.concatenate([lo, hi]), np.concatenate([hi, lo])
        rank = u + nn * (u < v)
        order = np.argsort(v * (2 * nn) + rank, kind="stable")
        v, u, rank, rows = v[order], u[order], rank[order], np.concatenate([add, add])[order]
        old_ptr = np.empty(nn + 1, dtype=np.int64)
        old_ptr[: n + 1] = self.indptr
        old_ptr[n + 1 :] = self.indptr[-1]
        # New slot of each added one: its place among the old slots, plus the added before it.
        at = _row_search(self.indices, old_ptr[v], old_ptr[v + 1], v, rank, nn)
        at += np.arange(at.size)
        size = 2 * big
        indices = np.empty(size, dtype=self.indices.dtype)
        new_edge = np.empty(size, dtype=kept.dtype)
        out = np.empty(size, dtype=np.float64)
        for c in range(0, size, _CHUNK):  # old slots around the added ones, a chunk a time
            e = min(size, c + _CHUNK)
            i0, i1 = np.searchsorted(at, [c, e])
            keep = np.ones(e - c, dtype=bool)
            keep[at[i0:i1] - c] = False
            src = slice(c - int(i0), e - int(i1))
            indices[c:e][keep] = self.indices[src]
            taken = np.take(kept, edge[src])
            new_edge[c:e][keep] = taken
            out[c:e][keep] = np.take(cost, taken)
        indices[at] = u
        new_edge[at] = rows
        out[at] = cost[rows]
        indptr = old_ptr
        indptr[1:] += np.cumsum(np.bincount(v, minlength=nn))
        return Snapshot(
            ids=ids, indptr=indptr, indices=indices, cost=out, tcost=tcost, edge=new_edge
        )

    def _edge(self) -> np.ndarray:
        if self.edge is None:
            raise ValueError("snapshot not built from sorted pairs: no slot → pair map")
        return self.edge

    @staticmethod
    def _tcost(tcost: np.ndarray, n: int) -> np.ndarray:
        tcost = np.asarray(tcost, dtype=np.float64)
        if tcost.shape != (n,):
            raise ValueError(f"{tcost.size} target costs for {n} people")
        return tcost


_CHUNK = 1 << 20
"""Rows per chunk when scattering edges into the CSR arrays (small reused temporaries)."""


def kept_rows(old_a: np.ndarray, old_b: np.ndarray, base: int, new_keys: np.ndarray) -> np.ndarray:
    """Row in ``new_keys`` (sorted ``a * base + b``) of each old pair ``(old_a, old_b)``
    (sorted, distinct), int32 when it fits; ValueError if one is missing (a pair was
    removed). A chunk at a time, in the stretch of ``new_keys`` the chunk spans: every
    ``_SAMPLE``-th key is searched, the runs between two that moved by exactly the run's
    length are filled in (no new pair among them), the rest searched; then all checked."""
    m = int(np.size(old_a))
    kept = np.empty(m, dtype=_edge_dtype(int(new_keys.size)))
    step = np.arange(_SAMPLE)
    start = 0
    for c in range(0, m, _KEPT_CHUNK):
        part = old_a[c : c + _KEPT_CHUNK].astype(np.int64)
        part *= base
        part += old_b[c : c + _KEPT_CHUNK]
        stop = int(np.searchsorted(new_keys, part[-1], side="right"))
        window = new_keys[start:stop]
        if window.size == part.size:
            pos = np.arange(part.size)
        else:
            ends = np.append(np.searchsorted(window, part[::_SAMPLE]), window.size)
            runs = np.minimum(_SAMPLE, part.size - np.arange(0, part.size, _SAMPLE))
            pos = (np.repeat(ends[:-1], _SAMPLE) + np.tile(step, ends.size - 1))[: part.size]
            dirty = np.flatnonzero(np.diff(ends) != runs)
            if dirty.size:
                at = (dirty[:, None] * _SAMPLE + step).ravel()
                at = at[at < part.size]
                pos[at] = np.searchsorted(window, part[at])
        if not (int(pos.max()) < window.size and np.array_equal(window[pos], part)):
            raise ValueError("some old pairs are gone from the new ones")
        pos += start
        kept[c : c + part.size] = pos
        start = int(pos[-1]) + 1
    return kept


_KEPT_CHUNK = 1 << 16
_SAMPLE = 16


def _nodes_of(ids: np.ndarray, pids: np.ndarray) -> np.ndarray:
    """Node indices of person ids that must all be in ``ids`` (ValueError otherwise)."""
    pos = np.searchsorted(ids, pids)
    if pids.size and not (int(pos.max()) < ids.size and np.array_equal(ids[pos], pids)):
        raise ValueError("new pairs name people missing from the ids")
    return pos


def _row_search(
    indices: np.ndarray, lo: np.ndarray, hi: np.ndarray, v: np.ndarray, rank: np.ndarray, nn: int
) -> np.ndarray:
    """For each query, the first slot in ``indices[lo:hi]`` (node ``v``'s row) whose rank
    (neighbour, plus ``nn`` below ``v``) is not below ``rank``: a binary search, all
    queries at once."""
    lo, hi = lo.copy(), hi.copy()
    live = np.flatnonzero(lo < hi)
    while live.size:
        low, high = lo[live], hi[live]
        mid = (low + high) >> 1
        x = indices[mid].astype(np.int64)
        x += nn * (x < v[live])
        right = x < rank[live]
        lo[live] = np.where(right, mid + 1, low)
        hi[live] = np.where(right, high, mid)
        live = live[lo[live] < hi[live]]
    return lo


def _edge_dtype(m: int) -> type[np.signedinteger]:
    return np.int32 if m < 2**31 else np.int64


def _sorted_pairs(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether the pairs are sorted by ``(a, b)``, distinct, with ``a < b``."""
    if a.size == 0:
        return True
    a0, a1, b0, b1 = a[:-1], a[1:], b[:-1], b[1:]
    return bool((a < b).all() and (a1 >= a0).all() and ((a1 != a0) | (b1 > b0)).all())


def _packed(own: np.ndarray, shift: np.uint64) -> np.ndarray:
    """``own[k] << shift | k`` as uint64 words (their sort orders by node, then edge)."""
    words = np.empty(own.size, dtype=np.uint64)
    for c in range(0, own.size, _CHUNK):
        part = own[c : c + _CHUNK].astype(np.uint64)
        part <<= shift
        part |= np.arange(c, c + part.size, dtype=np.uint64)
        words[c : c + part.size] = part
    return words


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
