"""The compact CSR snapshot of the graph that routing runs over, and its updates.

:meth:`Snapshot.from_edges` packs pairs sorted by key into symmetric CSR arrays (each
node's row: its neighbours above it ascending, then those below it ascending), keeping the
map from each slot to its pair row. :meth:`Snapshot.recost` (the same pairs at new costs)
and :meth:`Snapshot.with_pairs` (pairs and people added or removed) update a snapshot
without packing it again, into arrays identical to a fresh pack.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from carson import _par


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
    sort_words(packed)
    values = (packed >> np.uint64(shift)).view(np.int64)
    packed &= np.uint64((1 << shift) - 1)
    return values, packed.view(np.int64)


def sort_words(words: np.ndarray) -> None:
    """Sort distinct packed words in place (any sort gives the same result): by a merge of
    their ascending runs (numpy's stable sort, timsort) when they are nearly in order, as
    rows read in store order often are, else by quicksort. One compare pass tells which:
    timsort runs through a sorted array in one pass, and merges a few runs several times
    faster than quicksort sorts them, but is slower on shuffled data."""
    n = int(words.size)
    if n < 2:
        return
    descents = int(np.count_nonzero(words[1:] < words[:-1]))
    if descents * _NEARLY < n:
        words.sort(kind="stable")
    else:
        words.sort()


_NEARLY = 32
"""Words with fewer than one descent in this many are merged rather than quicksorted."""


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
        and can be re-costed, or have pairs and people added and removed, without a rebuild
        (:meth:`recost`, :meth:`with_pairs`). Each side is grouped by one sort of packed
        (node, edge) words (none for side ``a`` of sorted pairs, already in node order) and
        scattered into place in chunks, the two sides on two threads, so the only full-size
        arrays made are the words and the CSR itself.
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
        cnt_a, cnt_b = np.bincount(a, minlength=n), np.bincount(b, minlength=n)
        np.cumsum(cnt_a + cnt_b, out=indptr[1:])
        # The k-th row of side "a" in node order goes to indptr[v] + (k - first_a[v]), with
        # first_a[v] the rows of nodes before v; side "b" goes after the node's "a" edges.
        off_a = indptr[:-1] - (np.cumsum(cnt_a) - cnt_a)
        off_b = indptr[:-1] + cnt_a - (np.cumsum(cnt_b) - cnt_b)
        del cnt_a, cnt_b
        mask = np.uint64((1 << int(shift)) - 1)

        def side(own: np.ndarray, off: np.ndarray, other: np.ndarray, in_order: bool) -> None:
            words = None
            if not in_order:
                words = _packed(own, shift)
                sort_words(words)
            for c in range(0, m, _CHUNK):
                e = min(m, c + _CHUNK)
                if words is None:  # rows in node order already: row k is the k-th
                    row: np.ndarray | slice = slice(c, e)
                    pos = off[own[c:e]]
                else:
                    w = words[c:e]
                    row = (w & mask).view(np.int64)
                    pos = off[(w >> shift).view(np.int64)]
                pos += np.arange(c, e, dtype=np.int64)
                indices[pos] = other[row]
                cost_sorted[pos] = cost[row]
                if edge is not None:
                    edge[pos] = np.arange(c, e) if words is None else row

        # The two sides fill disjoint slots: one on each core (``_par``). Sorted pairs have
        # side "a" in node order already; side "b" is grouped by one sort of packed words.
        _par.both(
            lambda: side(b, off_b, a, False),
            lambda: side(a, off_a, b, edge is not None),
            items=m,
        )
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
        cost: np.ndarray | Callable[[np.ndarray | None], np.ndarray],
        tcost: np.ndarray,
        old: tuple[np.ndarray, np.ndarray] | None = None,
        changed: np.ndarray | None = None,
    ) -> Snapshot:
        """This snapshot with pairs and people added and removed, without a rebuild: equals
        ``from_edges`` on the new pairs (as node indices of ``ids``), ``cost``, ``tcost``.

        ``kept``: the new row of each old pair, -1 if it is gone (:func:`kept_rows`);
        ``ids``: every person id now, sorted (people may be removed, added or inserted: node
        indices follow); ``pa``, ``pb``: the new pairs as person ids, sorted, ``pa < pb``
        (only the added ones are read); ``cost`` per new pair, or a function giving the
        costs of some new rows (None: all), asked only for those needed; ``tcost`` per
        person; ``old``: the old pairs as person ids (only the gone and changed ones are
        read; needed when there are some); ``changed``: the old pairs kept whose cost is
        not the same (sorted rows; None: any may differ).

        The slots of gone pairs are found by binary search in their two rows, the added
        pairs' places likewise, and the old slots copied around both, renumbered and given
        their new pair rows on the way (no full-size temporaries): stretch by stretch
        between the changes when they are few, else a chunk at a time. With few
        ``changed``, old slots keep their costs and just the changed ones (found by
        search) get new ones.
        """
        edge = self._edge()
        ids = np.asarray(ids, dtype=np.int64)
        n, nn, m, big = self.n, int(ids.size), edge.size // 2, int(np.size(pa))
        if kept.size != m or (m and not -1 <= int(kept.min()) <= int(kept.max()) < big):
            raise ValueError(f"{kept.size} kept rows for a snapshot of {m} pairs")
        if not callable(cost):
            cost = np.asarray(cost, dtype=np.float64)
            if cost.size != big:
                raise ValueError("new pairs and costs differ in length")
        if big != np.size(pb):
            raise ValueError("new pairs: a and b differ in length")
        tcost = self._tcost(tcost, nn)
        if nn and not bool((ids[1:] > ids[:-1]).all()):
            raise ValueError("person ids must be sorted and distinct")
        # Old node -> new node (-1: removed); node order is id order in both, so the map
        # is monotone and every row keeps its slots' order.
        renumber = _Renumber(self.ids, ids)
        gone = np.flatnonzero(kept < 0)
        drop, drop_rows = self._gone_slots(gone, old, m)
        # Added pairs: rows of the new pairs that no old one took.
        fresh = np.ones(big + 1, dtype=bool)
        fresh[kept] = False  # a gone pair's -1 lands on the spare last flag
        add = np.flatnonzero(fresh[:big])
        del fresh
        lo, hi = _nodes_of(ids, pa[add]), _nodes_of(ids, pb[add])
        if not bool((lo < hi).all()):
            raise ValueError("new pairs must be sorted with a < b")
        # Each new pair fills a slot in both its rows. Within a row, slots run by rank
        # (neighbour, plus nn for the neighbours below the node): merge by it.
        v, u = np.concatenate([lo, hi]), np.concatenate([hi, lo])
        rank = u + nn * (u < v)
        order = np.argsort(v * (2 * nn) + rank, kind="stable")
        v, u, rows = v[order], u[order], np.concatenate([add, add])[order]
        # Place of each added slot among the old ones: in its node's old row (compared by
        # person id, which orders old and new nodes alike), or where that row would be.
        pv = ids[v]
        j = np.searchsorted(self.ids, pv)
        row_lo = self.indptr[j]
        has_row = j < n
        has_row[has_row] = self.ids[j[has_row]] == pv[has_row]
        row_hi = np.where(has_row, self.indptr[np.minimum(j + 1, n)], row_lo)
        pu = ids[u]
        top = int(max(ids[-1] if nn else 0, self.ids[-1] if n else 0)) + 1
        at = _row_search(self.indices, row_lo, row_hi, pv, pu + top * (pu < pv), top, self.ids)
        # Row sizes now: the old row's, less its gone slots, plus its added ones.
        left = np.diff(self.indptr) - np.bincount(drop_rows, minlength=n)
        indptr = np.zeros(nn + 1, dtype=np.int64)
        alive = renumber.alive
        if bool(left[~alive].any()):
            raise ValueError("people were removed whose pairs were kept")
        indptr[1:][renumber.to_new[alive]] = left[alive]
        indptr[1:] += np.bincount(v, minlength=nn)
        np.cumsum(indptr, out=indptr)
        # Output slot of each added one: the old slots kept before it, plus the added ones.
        at_out = at - np.searchsorted(drop, at) + np.arange(at.size)
        size = int(indptr[-1])
        reuse = changed is not None and changed.size * _REUSE <= m
        if not reuse and callable(cost):
            cost = cost(None)
        out = _Out(
            np.empty(size, dtype=self.indices.dtype),
            np.empty(size, dtype=kept.dtype),
            np.empty(size, dtype=np.float64),
            renumber,
            _RowMap(kept, gone),
            None if reuse or callable(cost) else cost,
        )
        if 2 * drop.size + at.size <= _RUNS:  # few changes: copy the stretches between whole
            pieces = [
                (c, min(q, c + _CHUNK), t + c - p)
                for p, q, t in zip(*(r.tolist() for r in _runs(drop, at, 2 * m)), strict=True)
                for c in range(p, q, _CHUNK)
            ]

            def copy(lo: int, hi: int) -> None:
                for p, q, t in pieces[lo:hi]:
                    out.copy(self, p, q, t)

            # Pieces fill disjoint slots: the two cores take them in turn (``_par``).
            _par.chunks(copy, len(pieces), 1)
        else:
            self._copy_chunks(out, drop, at_out)
        costs = cost(rows) if callable(cost) else cost[rows]
        out.indices[at_out] = u
        out.edge[at_out] = rows
        out.cost[at_out] = costs
        if reuse and changed is not None and changed.size:  # the old pairs costed anew
            if old is None:
                raise ValueError("costs changed: give the old pairs to find their slots")
            x, y = _nodes_of(ids, old[0][changed]), _nodes_of(ids, old[1][changed])
            moved = np.take(kept, changed)
            costs = cost(moved) if callable(cost) else cost[moved]
            for v, u in ((x, y), (y, x)):
                at = _row_search(out.indices, indptr[v], indptr[v + 1], v, u + nn * (u < v), nn)
                if int(at.max()) >= size or not np.array_equal(out.edge[at], moved):
                    raise ValueError("the changed rows given are not kept old pairs")
                out.cost[at] = costs
        return Snapshot(
            ids=ids, indptr=indptr, indices=out.indices, cost=out.cost, tcost=tcost, edge=out.edge
        )

    def _copy_chunks(self, out: _Out, drop: np.ndarray, at_out: np.ndarray) -> None:
        """Copy the old slots kept around the added ones (at ``at_out``), a chunk of the
        output at a time, by masks: for many changes."""
        # The k-th kept old slot is k plus the gone slots up to it: gone slot i has
        # drop[i] - i kept ones before it.
        gap = drop - np.arange(drop.size)

        def chunk(c: int, e: int) -> None:
            i0, i1 = (int(x) for x in np.searchsorted(at_out, [c, e]))
            k0, k1 = c - i0, e - i1  # ordinals of the old slots kept in this chunk
            s0, s1 = (int(x) for x in np.array([k0, k1]) + np.searchsorted(gap, [k0, k1], "right"))
            d0, d1 = (int(x) for x in np.searchsorted(drop, [s0, s1]))
            if i0 == i1 and d0 == d1:
                out.copy(self, s0, s1, c)
                return
            dst = np.ones(e - c, dtype=bool)
            dst[at_out[i0:i1] - c] = False
            indices, edge, cost = out.converted(self, s0, s1)
            if d0 < d1:  # leave the gone slots out
                src = np.ones(s1 - s0, dtype=bool)
                src[drop[d0:d1] - s0] = False
                indices, edge, cost = indices[src], edge[src], cost[src]
            out.indices[c:e][dst] = indices
            out.edge[c:e][dst] = edge
            out.cost[c:e][dst] = cost

        # Each chunk fills its own slots: the two cores take them in turn (``_par``).
        _par.chunks(chunk, out.indices.size, _CHUNK)

    def _gone_slots(
        self, gone: np.ndarray, old: tuple[np.ndarray, np.ndarray] | None, m: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The slots of the old pairs that are gone (rows ``gone``), sorted, and the old
        node whose row holds each: found by binary search for the other end in both rows."""
        if gone.size == 0:
            return gone, gone
        if old is None or np.size(old[0]) != m or np.size(old[1]) != m:
            raise ValueError("pairs are gone: give the old pairs to find their slots")
        x, y = _nodes_of(self.ids, old[0][gone]), _nodes_of(self.ids, old[1][gone])
        n, ptr = self.n, self.indptr
        in_x = _row_search(self.indices, ptr[x], ptr[x + 1], x, y + n * (y < x), n)
        in_y = _row_search(self.indices, ptr[y], ptr[y + 1], y, x + n * (x < y), n)
        slots, nodes = np.concatenate([in_x, in_y]), np.concatenate([x, y])
        edge = self._edge()
        if int(slots.max()) >= edge.size or not np.array_equal(edge[slots], np.tile(gone, 2)):
            raise ValueError("the old pairs given are not the snapshot's")
        order = np.argsort(slots)
        return slots[order], nodes[order]

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


@dataclass
class _Out:
    """The new CSR arrays being filled, and how an old slot's values become new ones."""

    indices: np.ndarray
    edge: np.ndarray
    cost: np.ndarray
    renumber: _Renumber
    rows_of: _RowMap
    new_cost: np.ndarray | None
    """Cost per new pair, or None to keep the old slots' costs."""

    def converted(self, snap: Snapshot, p: int, q: int) -> tuple[np.ndarray, ...]:
        """Old slots ``p:q``'s new neighbour index, pair row and cost."""
        assert snap.edge is not None
        rows = self.rows_of(snap.edge[p:q])
        cost = snap.cost[p:q] if self.new_cost is None else np.take(self.new_cost, rows)
        return self.renumber(snap.indices[p:q]), rows, cost

    def copy(self, snap: Snapshot, p: int, q: int, t: int) -> None:
        """Old slots ``p:q`` (none gone) into new slots from ``t``, a chunk at a time."""
        for c in range(p, q, _CHUNK):
            e = min(q, c + _CHUNK)
            at = slice(t + c - p, t + e - p)
            self.indices[at], self.edge[at], self.cost[at] = self.converted(snap, c, e)


def _runs(drop: np.ndarray, at: np.ndarray, end: int) -> tuple[np.ndarray, ...]:
    """The stretches ``[p, q)`` of old slots ``0:end`` between gone slots (``drop``) and
    the places added slots go (before old slot ``at``), and the new slot ``t`` each
    starts at: the old slots kept before it plus the added ones."""
    cuts = np.concatenate([[0, end], drop, drop + 1, at])
    cuts.sort()
    cuts = cuts[np.flatnonzero(np.diff(cuts, prepend=-1))]
    p, q = cuts[:-1], cuts[1:]
    keep = ~np.isin(p, drop)
    p, q = p[keep], q[keep]
    t = p - np.searchsorted(drop, p) + np.searchsorted(at, p, "right")
    return p, q, t


_RUNS = 1 << 12
"""Most changes (gone slots count twice) whose stretches are copied one by one; with more,
the copy goes by masks a chunk a time."""


class _Renumber:
    """Old node index → new one, for people removed or inserted: ``to_new`` (-1 for the
    removed; ``alive``). Node order is id order in both, so it is monotone and rows keep
    their order. Applied to neighbour lists by a compare-and-add per node where the shift
    changes when they are few (a merge removes one person), else by a table lookup."""

    def __init__(self, old_ids: np.ndarray, ids: np.ndarray) -> None:
        n, nn = old_ids.size, ids.size
        self.same = nn >= n and np.array_equal(ids[:n], old_ids)
        if self.same:
            self.to_new = np.arange(n)
            self.alive = np.ones(n, dtype=bool)
            return
        top = int(max(old_ids[-1] if n else 0, ids[-1] if nn else 0))
        if top <= _DENSE * (n + nn):  # store row ids, dense: rank through a table of them
            rank = np.full(top + 1, -1, dtype=np.int64)
            rank[ids] = np.arange(nn)
            to_new = rank[old_ids]
            alive = to_new >= 0
        else:
            to_new = np.searchsorted(ids, old_ids)
            alive = to_new < nn
            alive[alive] = ids[to_new[alive]] == old_ids[alive]
            to_new[~alive] = -1
        self.to_new, self.alive = to_new, alive
        live = np.flatnonzero(alive)
        shift = to_new[live] - live
        steps = np.flatnonzero(np.diff(shift)) + 1
        self.first = int(shift[0]) if live.size else 0
        self.steps = [(int(live[i]), int(shift[i] - shift[i - 1])) for i in steps]
        self.table = to_new.astype(np.int32) if len(self.steps) > _STEPS else None

    def __call__(self, nb: np.ndarray) -> np.ndarray:
        """New indices of old neighbours ``nb`` (alive ones; the removed ones' are junk)."""
        if self.same:
            return nb
        if self.table is not None:
            return np.take(self.table, nb)
        out = nb + np.asarray(self.first, dtype=nb.dtype)
        for at, step in self.steps:
            if step == 1:
                out += nb >= at
            elif step == -1:
                out -= nb >= at
            else:
                out += (nb >= at) * np.asarray(step, dtype=nb.dtype)
        return out


_DENSE = 4
"""Ids up to this many times the people are ranked through a table, else searched."""
_STEPS = 8
"""Most shift changes applied by compare-and-add (each a pass) before a table lookup."""
_REUSE = 8
"""Old costs are copied (and the changed ones searched for) when at most 1/_REUSE of the
old pairs changed cost; else every slot's cost is looked up."""


class _RowMap:
    """``np.take(kept, rows)`` for many old pair rows at once, faster when few pairs came
    or went: ``kept`` then runs in long stretches of consecutive rows, so a row in a block
    of ``2**_BLOCK`` rows in one stretch is its block's offset from a small table that
    stays in cache, and only rows in the other blocks are looked up in ``kept``."""

    def __init__(self, kept: np.ndarray, gone: np.ndarray) -> None:
        self.kept = kept
        m = kept.size
        starts = np.arange(0, m, 1 << _BLOCK)
        ends = np.minimum(starts + (1 << _BLOCK), m) - 1
        first, last = kept[starts].astype(np.int64), kept[ends].astype(np.int64)
        # New rows increase with the old ones: a block with no gone row whose ends span
        # its length has no added row in between either.
        whole = (first >= 0) & (last - first == ends - starts)
        whole[gone >> _BLOCK] = False  # rows ``gone`` are those with -1
        self.offset: np.ndarray | None = None
        if m and whole.mean() >= 0.5:
            low = np.iinfo(kept.dtype).min  # any row plus it is negative: look it up
            self.offset = np.where(whole, first - starts, low).astype(kept.dtype)

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        if self.offset is None:
            return np.take(self.kept, rows)
        out = np.take(self.offset, rows >> _BLOCK)
        out += rows
        miss = np.flatnonzero(out < 0)
        out[miss] = np.take(self.kept, rows[miss])
        return out


_BLOCK = 8


def kept_rows(
    old_a: np.ndarray,
    old_b: np.ndarray,
    base: int,
    new_keys: np.ndarray,
    *,
    gone: bool = False,
    old_keys: np.ndarray | None = None,
) -> np.ndarray:
    """Row in ``new_keys`` (sorted ``a * base + b``) of each old pair ``(old_a, old_b)``
    (sorted, distinct), int32 when it fits. A pair missing from the new ones (removed) is
    -1 with ``gone``, a ValueError without. ``old_keys``: the old pairs' keys on the same
    ``base``, when at hand (else made from ``old_a``, ``old_b``). A chunk at a time, in the
    stretch of ``new_keys`` the chunk spans: every ``_SAMPLE``-th key is searched and the
    keys after it assumed to follow it, then those that don't (a pair added or removed
    nearby) searched."""
    m = int(np.size(old_a))
    kept = np.empty(m, dtype=_edge_dtype(int(new_keys.size)))
    step = np.arange(_SAMPLE)
    start = 0
    for c in range(0, m, _KEPT_CHUNK):
        if old_keys is not None:
            part = old_keys[c : c + _KEPT_CHUNK]
        else:
            part = old_a[c : c + _KEPT_CHUNK].astype(np.int64)
            part *= base
            part += old_b[c : c + _KEPT_CHUNK]
        stop = int(np.searchsorted(new_keys, part[-1], side="right"))
        window = new_keys[start:stop]
        if window.size == part.size:
            pos = np.arange(start, start + part.size)
        else:  # a place past the window holds a bigger key: it is searched below
            ends = np.searchsorted(window, part[::_SAMPLE]) + start
            pos = (ends[:, None] + step).ravel()[: part.size]
            if int(ends[-1]) + _SAMPLE > new_keys.size:  # places past the last key
                np.minimum(pos, new_keys.size - 1, out=pos)
        if pos.size and new_keys.size:
            bad = np.flatnonzero(np.take(new_keys, pos) != part)
        else:
            bad = np.arange(part.size)
        if bad.size:  # a pair added or removed nearby: search these
            at = np.searchsorted(window, part[bad])
            found = at < window.size
            found[found] = window[at[found]] == part[bad[found]]
            if not gone and not bool(found.all()):
                raise ValueError("some old pairs are gone from the new ones")
            pos[bad] = np.where(found, at + start, -1)
        kept[c : c + part.size] = pos
        start = stop
    return kept


_KEPT_CHUNK = 1 << 16


def changed_rows(kept: np.ndarray, old: np.ndarray, new: np.ndarray) -> np.ndarray | None:
    """The old rows kept (:func:`kept_rows`, not -1) whose value in ``old`` differs from
    their new row's in ``new``, a chunk at a time; None as soon as they are more than
    1/``_REUSE`` of the rows (:meth:`Snapshot.with_pairs` would not use them)."""
    found = [np.empty(0, dtype=np.int64)]
    if new.size == 0:  # every old pair is gone
        return found[0]
    count, limit = 0, kept.size // _REUSE
    for c in range(0, kept.size, _CHUNK):
        rows = kept[c : c + _CHUNK]
        diff = np.take(new, rows) != old[c : c + _CHUNK]
        diff &= rows >= 0
        found.append(np.flatnonzero(diff) + c)
        count += found[-1].size
        if count > limit:
            return None
    return np.concatenate(found)


_SAMPLE = 16


def _nodes_of(ids: np.ndarray, pids: np.ndarray) -> np.ndarray:
    """Node indices of person ids that must all be in ``ids`` (ValueError otherwise)."""
    pos = np.searchsorted(ids, pids)
    if pids.size and not (int(pos.max()) < ids.size and np.array_equal(ids[pos], pids)):
        raise ValueError("new pairs name people missing from the ids")
    return pos


def _row_search(
    indices: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    v: np.ndarray,
    rank: np.ndarray,
    nn: int,
    ids: np.ndarray | None = None,
) -> np.ndarray:
    """For each query, the first slot in ``indices[lo:hi]`` (node ``v``'s row) whose rank
    (neighbour, plus ``nn`` below ``v``) is not below ``rank``: a binary search, all
    queries at once. With ``ids``, neighbours (and ``v``, ``rank``, ``nn``) are person ids
    (``ids[indices]``) instead of node indices."""
    lo, hi = lo.copy(), hi.copy()
    live = np.flatnonzero(lo < hi)
    while live.size:
        low, high = lo[live], hi[live]
        mid = (low + high) >> 1
        x = indices[mid].astype(np.int64) if ids is None else ids[indices[mid]]
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
