"""Per-pair sums of the strength formula that do not depend on ``now`` (see ``_columns``).

:func:`pair_stats` groups tie and interaction rows by pair; :class:`PairStats` merges the
sums of rows stored later and moves them to a later day exactly; ``_finish.finish`` turns
them into strengths.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from carson import _par
from carson.graph._columns import (
    _CHUNK,
    _COLLEAGUE,
    _IN,
    _MUTUAL,
    _NONE,
    _OUT,
    CONTEXTS,
    Signals,
    _decay,
    _dense_unique,
    _group_max,
    _pair_keys,
    _unique,
    unix_seconds,
)
from carson.graph.weights import GraphWeights

if TYPE_CHECKING:
    pass


def _stats_weights(w: GraphWeights) -> str:
    """Digest of the weights :func:`pair_stats` folds into its sums (stats built with other
    weights cannot be merged or finished with these)."""
    used = {
        "half_life_days": w.half_life_days,
        "context_base": sorted(w.context_base.items()),
        "channel_weight": sorted(w.channel_weight.items()),
        "max_group_size": w.max_group_size,
    }
    return hashlib.sha256(json.dumps(used).encode()).hexdigest()[:32]


def _ctx_base(w: GraphWeights) -> np.ndarray:
    return np.array([w.context_base.get(c, 0.2) for c in CONTEXTS])


@dataclass
class PairStats:
    """Every per-pair aggregate of the strength formula that does not depend on ``now``,
    over some tie and interaction rows, one row per pair sorted by ``(a, b)`` with ``a < b``.

    Rows stored later only add to these (sums add, maxima max, flags or), and a day passing
    only rescales the decayed sum, so stats of appended rows :meth:`merge` into the old
    ones and :meth:`rebase` moves them to a later day; :func:`finish` turns them into
    strengths at any ``now >= ref`` in one vectorised pass over the pairs. Jobs (colleague
    overlap, which depends on today) and notes are not in here: ``finish`` reads them.

    ``weighted`` is ``sum(chw * 2 ** (-max(0, ref - at) / half_life))`` over every contact
    row, as of ``ref``. Rows dated after ``ref`` (calendars hold future meetings) count
    in full there, as the formula clamps their age at 0; they are also kept aside
    (``fut_*``) so that a later day can weigh them right: a rebase past them folds them in
    with their true decay and drops them from the side list.
    """

    ref: datetime
    half_life: float
    """Days (the weights' ``half_life_days``)."""
    ctx_base: np.ndarray
    """float64 base strength of each of :data:`CONTEXTS` (to pick a merged pair's context)."""
    weights: str
    """Digest of the weights the sums were built with (see :func:`_stats_weights`)."""
    a: np.ndarray
    """int64 person ids, ``a < b``, sorted by ``(a, b)`` (int64 as :class:`Scored` has them:
    :func:`finish` hands these very arrays on)."""
    b: np.ndarray
    tie_ctx: np.ndarray
    """int8 strongest tie context: highest base, earliest stored tie on equal bases; -1
    where the pair has no tie."""
    tie_col: np.ndarray
    """bool: some tie of the pair says colleague."""
    count: np.ndarray
    """int32 owner-to-other contact rows."""
    meetings: np.ndarray
    """int32 of them in meetings."""
    dirs: np.ndarray
    """uint8 directions seen (bits ``_OUT``, ``_IN``, ``_MUTUAL``)."""
    last: np.ndarray
    """int64 Unix seconds of the last contact row (``_NONE`` without)."""
    weighted: np.ndarray
    """float64 channel-weighted decayed contact sum as of ``ref`` (see above)."""
    multi_pair: np.ndarray
    """int64 rows (ascending) of the pairs with several ties (a few): the context part
    needs the product of ``1 - 0.3 * base`` over a pair's ties, which for one tie is that
    tie's (see :meth:`tie_prod`)."""
    multi_prod: np.ndarray
    """float64 the product, for those pairs."""
    co_pair: np.ndarray
    """int64 rows (ascending) of the pairs two non-owners share interactions in: few in
    most stores, so co-presence is kept for these pairs only."""
    co_meet: np.ndarray
    """int32 meetings, events or calls the two attended together (no owner among them)."""
    co_thr: np.ndarray
    """int32 other shared interactions (threads)."""
    co_last: np.ndarray
    """int64 Unix seconds of the last shared one."""
    fut_pair: np.ndarray
    """int64 row of each contact row dated after ``ref``."""
    fut_at: np.ndarray
    """int64 its Unix seconds."""
    fut_w: np.ndarray
    """float64 its channel weight."""

    _PAIR_COLS = (
        "a",
        "b",
        "tie_ctx",
        "tie_col",
        "count",
        "meetings",
        "dirs",
        "last",
        "weighted",
    )
    _MULTI_COLS = ("multi_pair", "multi_prod")
    _CO_COLS = ("co_pair", "co_meet", "co_thr", "co_last")
    _FUT_COLS = ("fut_pair", "fut_at", "fut_w")

    @property
    def n(self) -> int:
        return int(self.a.size)

    @property
    def ref_s(self) -> float:
        return unix_seconds(self.ref)

    def keys(self, base: int) -> np.ndarray:
        """``a * base + b`` (sorted) for a ``base`` above every id."""
        k = self.a.astype(np.int64)
        k *= base
        k += self.b
        return k

    def tie_prod(self, rows: np.ndarray) -> np.ndarray:
        """Product of ``1 - 0.3 * base`` over the ties of the pairs at ``rows`` (1 for a
        pair without ties)."""
        out = self.ctx_base[np.maximum(self.tie_ctx[rows], 0)] * 0.3
        np.subtract(1.0, out, out=out)
        out[self.tie_ctx[rows] < 0] = 1.0
        k = np.searchsorted(self.multi_pair, rows)
        hit = k < self.multi_pair.size
        hit[hit] = self.multi_pair[k[hit]] == rows[hit]
        out[hit] = self.multi_prod[k[hit]]
        return out

    # ------------------------------------------------------------ arrays and back

    def arrays(self) -> dict[str, np.ndarray]:
        """Every column by name (what a cache writes)."""
        names = self._PAIR_COLS + self._MULTI_COLS + self._CO_COLS + self._FUT_COLS
        out = {f"stats_{c}": getattr(self, c) for c in names}
        out["stats_ref"] = np.array([np.datetime64(self.ref, "us").astype(np.int64)])
        out["stats_half_life"] = np.array([self.half_life], dtype=np.float64)
        out["stats_ctx_base"] = self.ctx_base
        out["stats_weights"] = np.array([self.weights])
        return out

    @classmethod
    def from_arrays(cls, a: Mapping[str, np.ndarray]) -> PairStats:
        names = cls._PAIR_COLS + cls._MULTI_COLS + cls._CO_COLS + cls._FUT_COLS
        cols = {c: a[f"stats_{c}"] for c in names}
        ref = np.datetime64(int(a["stats_ref"][0]), "us").astype(datetime)
        s = cls(
            ref=ref,
            half_life=float(a["stats_half_life"][0]),
            ctx_base=a["stats_ctx_base"],
            weights=str(a["stats_weights"][0]),
            **cols,
        )
        s.check()
        return s

    def _sides(self) -> tuple[tuple[tuple[str, ...], np.ndarray], ...]:
        """Each side list's columns (the first names a pair row) and that row column."""
        return (
            (self._MULTI_COLS, self.multi_pair),
            (self._CO_COLS, self.co_pair),
            (self._FUT_COLS, self.fut_pair),
        )

    def take(self, mask: np.ndarray) -> PairStats:
        """Only the pairs where ``mask`` is true; side-list rows follow their pairs."""
        new_row = np.cumsum(mask) - 1
        changes: dict[str, Any] = {}

        def pick(c: str) -> None:
            changes[c] = getattr(self, c)[mask]

        _each_column(pick, self._PAIR_COLS, self.n)
        for cols, rows in self._sides():
            ok = mask[rows]
            changes.update({c: getattr(self, c)[ok] for c in cols[1:]})
            changes[cols[0]] = new_row[rows[ok]]
        return replace(self, **changes)

    def check(self) -> None:
        """Raise ValueError unless the columns fit together (a damaged cache must not be
        used)."""
        n = self.n
        if any(getattr(self, c).shape != (n,) for c in self._PAIR_COLS):
            raise ValueError("pair statistics columns differ in length")
        for cols, rows in self._sides():
            m = rows.size
            if any(getattr(self, c).shape != (m,) for c in cols):
                raise ValueError("pair statistics side-list columns differ in length")
            if m and (int(rows.min()) < 0 or int(rows.max()) >= n):
                raise ValueError("pair statistics side list names a pair it does not hold")
        if self.ctx_base.shape != (len(CONTEXTS),):
            raise ValueError("pair statistics were built for other contexts")

    # ------------------------------------------------------------ moving in time

    def _sum_at(self, t_s: float) -> tuple[np.ndarray, np.ndarray]:
        """``weighted`` as of ``t_s >= ref`` (a fresh array) and which side rows are still
        in the future then."""
        f = float(_decay(t_s, np.array([self.ref_s]), self.half_life)[0])
        out = self.weighted * f
        still = self.fut_at > t_s
        if self.fut_pair.size:
            # Side rows counted in full at ref were scaled by f with the rest: give them
            # their own decay at t_s instead (still 1 while they are in the future).
            fix = self.fut_w * _decay(t_s, self.fut_at, self.half_life)
            fix -= self.fut_w * f
            np.add.at(out, self.fut_pair, fix)
        return out, still

    def rebase(self, ref2: datetime) -> PairStats:
        """The same statistics as of a later ``ref2`` (decayed sums scaled by
        ``2 ** (-(ref2 - ref) / half_life)``; side rows now in the past folded in)."""
        t_s = unix_seconds(ref2)
        if t_s < self.ref_s:
            raise ValueError(f"can't rebase pair statistics back in time ({ref2} < {self.ref})")
        if t_s == self.ref_s:
            return self
        weighted, still = self._sum_at(t_s)
        return replace(
            self,
            ref=ref2,
            weighted=weighted,
            fut_pair=self.fut_pair[still],
            fut_at=self.fut_at[still],
            fut_w=self.fut_w[still],
        )

    # ------------------------------------------------------------ merging

    def merge(self, other: PairStats) -> PairStats:
        """Statistics over both sets of rows, ``other``'s stored after ``self``'s (appended
        ties and interactions: on equal bases, ``self``'s tie stays the strongest context).
        Both are rebased to the later ``ref`` first. An interaction's participant rows must
        all be on one side.

        Finished, merged statistics give :func:`score_pairs`'s pairs, contexts and
        staleness exactly; a strength can differ in its last rounded place (1e-6): sums are
        added in another order than one pass over every row adds them, and a rebase scales a
        decayed sum where scoring decays each row, so a value a hair from a rounding
        boundary can round the other way."""
        if other.weights != self.weights:
            raise ValueError("can't merge pair statistics built with different weights")
        ref = max(self.ref, other.ref, key=unix_seconds)
        x, y = self.rebase(ref), other.rebase(ref)
        if y.n == 0:
            return x
        if x.n == 0:
            return y
        top = max(int(x.b.max()), int(y.b.max()))
        if (top + 1).bit_length() * 2 > 63:
            raise ValueError("person ids too large to merge pair statistics")
        base = top + 1
        kx, ky = x.keys(base), y.keys(base)
        pos = np.searchsorted(kx, ky)
        found = np.zeros(ky.size, dtype=bool)
        inside = pos < kx.size
        found[inside] = kx[pos[inside]] == ky[inside]
        del kx, ky
        new = np.flatnonzero(~found)
        old = np.flatnonzero(found)
        # Merged row of each y row that is new, and of each x row (shifted by the new rows
        # inserted before it).
        new_at = pos[new] + np.arange(new.size)
        size = x.n + new.size
        from_x = np.ones(size, dtype=bool)
        from_x[new_at] = False

        def shift(rows: np.ndarray) -> np.ndarray:
            return rows + np.searchsorted(pos[new], rows, side="right")

        old_at = shift(pos[old])
        y_at = np.empty(y.n, dtype=np.int64)
        y_at[new] = new_at
        y_at[old] = old_at
        cols: dict[str, Any] = {}

        def merged(c: str) -> None:
            cx, cy = getattr(x, c), getattr(y, c)
            out = np.empty(size, dtype=np.result_type(cx, cy))
            out[from_x] = cx
            out[new_at] = cy[new]
            got, add = out[old_at], cy[old]
            if c == "tie_ctx":
                # A later tie wins only with a strictly higher base.
                better = (add >= 0) & ((got < 0) | (x.ctx_base[add] > x.ctx_base[got]))
                got = np.where(better, add, got)
            elif c in ("tie_col", "dirs"):
                got = got | add
            elif c == "last":
                got = np.maximum(got, add)
            elif c not in ("a", "b"):
                got = got + add
            out[old_at] = got
            cols[c] = out

        _each_column(merged, self._PAIR_COLS, size)
        # Tie products: a pair with ties on both sides multiplies its two, and has several.
        both = old[(x.tie_ctx[pos[old]] >= 0) & (y.tie_ctx[old] >= 0)]
        prod = x.tie_prod(pos[both]) * y.tie_prod(both)
        # Stable sort: where a pair is listed twice, its product of both sides comes first.
        multi = np.concatenate([y_at[both], shift(x.multi_pair), y_at[y.multi_pair]])
        order = np.argsort(multi, kind="stable")
        multi = multi[order]
        first = np.flatnonzero(np.diff(multi, prepend=-1))
        cols["multi_pair"] = multi[first]
        cols["multi_prod"] = np.concatenate([prod, x.multi_prod, y.multi_prod])[order][first]
        # Co-presence rows of both, at their merged rows; a pair on both sides adds up.
        co_pair = np.concatenate([shift(x.co_pair), y_at[y.co_pair]])
        order = np.argsort(co_pair, kind="stable")
        co_pair = co_pair[order]
        starts = np.flatnonzero(np.diff(co_pair, prepend=-1))
        for c in ("co_meet", "co_thr", "co_last"):
            both = np.concatenate([getattr(x, c), getattr(y, c)])[order]
            add = np.maximum if c == "co_last" else np.add
            cols[c] = add.reduceat(both, starts) if both.size else both
        cols["co_pair"] = co_pair[starts]
        fut_pair = np.concatenate([shift(x.fut_pair), y_at[y.fut_pair]])
        return replace(
            x,
            **cols,
            fut_pair=fut_pair,
            fut_at=np.concatenate([x.fut_at, y.fut_at]),
            fut_w=np.concatenate([x.fut_w, y.fut_w]),
        )


_DIR_BIN = np.zeros(256, dtype=np.int8)
"""Bin of each stored direction byte: 1 outbound, 2 inbound, 0 anything else (mutual)."""
_DIR_BIN[1], _DIR_BIN[2] = 1, 2


def _dir_bins(d: np.ndarray) -> np.ndarray:
    """Each direction's bin (see ``_DIR_BIN``): one table lookup for bytes."""
    if d.dtype.itemsize == 1:
        return _DIR_BIN[d.view(np.uint8)]
    return np.where(d == 1, 1, np.where(d == 2, 2, 0)).astype(np.int8)


def _contacts(
    sig: Signals, w: GraphWeights
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Owner-to-other contact rows (row indices, owner, other) and co-presence pairs of two
    non-owners in small groups (x, y, first row of the interaction)."""
    rows = sig.it_id.size
    first = np.ones(rows, dtype=bool)
    np.not_equal(sig.it_id[1:], sig.it_id[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    group: np.ndarray = np.cumsum(first, dtype=np.int32 if rows < 2**31 else np.int64)
    np.subtract(group, 1, out=group)
    owner = sig.it_pid[starts]  # of each interaction
    # Rows of someone other than their interaction's owner, a chunk at a time (no
    # rows-sized array of owners; chunks shared between two threads).
    other = np.empty(rows, dtype=bool)

    def others(c: int, e: int) -> None:
        np.not_equal(sig.it_pid[c:e], owner[group[c:e]], out=other[c:e])
        other[c:e] &= ~first[c:e]

    _par.chunks(others, rows, _CHUNK)
    oo = np.flatnonzero(other)
    oo_x, oo_y = owner[group[oo]], sig.it_pid[oo]
    # Others on each interaction (int32 when rows fit), and the interactions of 2 to
    # max_group_size others: few, so each size picks its own from them.
    sizes = np.empty(starts.size, dtype=group.dtype)
    np.subtract(starts[1:], starts[:-1], out=sizes[:-1])
    sizes[-1:] = rows - starts[-1:]
    sizes -= 1
    small = np.flatnonzero((sizes >= 2) & (sizes <= w.max_group_size))
    small_sizes = sizes[small]
    del sizes
    co_x: list[np.ndarray] = []
    co_y: list[np.ndarray] = []
    co_g: list[np.ndarray] = []
    for m in range(2, min(int(small_sizes.max(initial=0)), w.max_group_size) + 1):
        gs = small[small_sizes == m]
        if gs.size == 0:
            continue
        at = starts[gs][:, None] + 1 + np.arange(m)
        iu, ju = np.triu_indices(m, 1)
        co_x.append(sig.it_pid[at[:, iu]].ravel())
        co_y.append(sig.it_pid[at[:, ju]].ravel())
        co_g.append(np.repeat(starts[gs], iu.size))
    cx = np.concatenate(co_x) if co_x else np.empty(0, np.int64)
    cy = np.concatenate(co_y) if co_y else np.empty(0, np.int64)
    cg = np.concatenate(co_g) if co_g else np.empty(0, np.int64)
    return oo, oo_x, oo_y, cx, cy, cg


def pair_stats(sig: Signals, w: GraphWeights, ref: datetime) -> PairStats:
    """The per-pair statistics of the ties and interactions in ``sig`` as of ``ref`` (see
    :class:`PairStats`); its jobs and notes are not read.

    Once every row knows its pair, work is split between two threads (``_par``), each part
    making its own columns: the tie columns (with the pairs' ids and co-presence) beside
    numbering the contact rows' pairs, then the contact sums beside their flags."""
    ref_s = unix_seconds(ref)
    cbase = _ctx_base(w)
    oo, oo_x, oo_y, cx, cy, cg = _contacts(sig, w)

    # Pair universe: ties and interactions (co-presence included).
    all_ids = [sig.tie_a, sig.tie_b, oo_x, oo_y, cx, cy]
    base = int(max((int(x.max()) for x in all_ids if x.size), default=0)) + 1
    parts = [(sig.tie_a, sig.tie_b), (oo_x, oo_y), (cx, cy)]
    uniq, (inv_t, inv_oo, inv_co) = _pair_keys(parts, base)
    del oo_x, oo_y, cx, cy
    n = uniq.size

    def ids() -> dict[str, np.ndarray]:
        pa = uniq // base
        # The remainder in the keys' buffer: no fresh pairs-sized one.
        return {"a": pa, "b": np.remainder(uniq, base, out=uniq)}

    ties, (act, loc) = _par.both(
        lambda: {**_tie_sums(sig, inv_t, n, cbase), **ids(), **_co_sums(sig, inv_co, cg, n)},
        lambda: _dense_unique(inv_oo, n),
        items=n,
    )
    rows = _Contacts(sig, w, act, loc, sig.it_at[oo], sig.it_channel[oo], sig.it_dir[oo], n)
    sums, flags = _par.both(lambda: rows.sums(ref_s), rows.flags, items=n)
    return PairStats(
        ref=ref.replace(tzinfo=None),
        half_life=w.half_life_days,
        ctx_base=cbase,
        weights=_stats_weights(w),
        **ties,
        **sums,
        **flags,
    )


def _tie_sums(sig: Signals, inv_t: np.ndarray, n: int, cbase: np.ndarray) -> dict[str, np.ndarray]:
    """The strongest tie context of each of ``n`` pairs (``inv_t``: each tie row's), the
    product the context part needs for pairs with several ties, and the colleague flag."""
    # Tie rows name distinct (pair, context)s, as the store's UNIQUE (a, b, context) ensures.
    n_ties = inv_t.size
    tie_ctx = np.full(n, -1, dtype=np.int8)
    multi_pair = np.empty(0, dtype=np.int64)
    multi_prod = np.empty(0)
    has_tie = np.zeros(n, dtype=bool)
    has_tie[inv_t] = True
    if int(np.count_nonzero(has_tie)) == n_ties:  # at most one tie row per pair
        tie_ctx[inv_t] = sig.tie_ctx
    elif n_ties:
        prod = np.ones(n)
        np.multiply.at(prod, inv_t, 1 - 0.3 * cbase[sig.tie_ctx])
        multi_pair = np.flatnonzero(np.bincount(inv_t, minlength=n) > 1)
        multi_prod = prod[multi_pair]
        del prod
        rank = np.unique(-cbase, return_inverse=True)[1].astype(np.int64)
        stride = np.int64(n_ties)
        best = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(best, inv_t, rank[sig.tie_ctx] * stride + np.arange(n_ties))
        tied = best < np.iinfo(np.int64).max
        tie_ctx[tied] = sig.tie_ctx[best[tied] % stride]
    del has_tie
    tie_col = np.zeros(n, dtype=bool)
    tie_col[inv_t[sig.tie_ctx == _COLLEAGUE]] = True
    return {
        "tie_ctx": tie_ctx,
        "multi_pair": multi_pair,
        "multi_prod": multi_prod,
        "tie_col": tie_col,
    }


@dataclass
class _Contacts:
    """Owner-to-other contact rows, by the pair (of ``n``) each is on: sums over the pairs
    that have contact only (``act``; ``loc``: each row's index among them), scattered
    into the pair columns. :meth:`sums` and :meth:`flags` make different columns: they run
    on two threads."""

    sig: Signals
    w: GraphWeights
    act: np.ndarray
    loc: np.ndarray
    at: np.ndarray
    """Each row's Unix seconds, channel and direction."""
    channel: np.ndarray
    direction: np.ndarray
    n: int

    def _chw(self) -> np.ndarray:
        return np.array([self.w.channel_weight.get(c, 0.4) for c in self.sig.channels])

    def sums(self, ref_s: float) -> dict[str, np.ndarray]:
        """Contact rows and their channel-weighted decayed sum as of ``ref_s``, and the rows
        dated after it."""
        act, loc, na = self.act, self.loc, self.act.size
        chw = self._chw()
        count = np.zeros(self.n, dtype=np.int32)
        count[act] = np.bincount(loc, minlength=na)
        recent = _decay(ref_s, self.at, self.w.half_life_days)
        for c in range(0, recent.size, _CHUNK):
            recent[c : c + _CHUNK] *= chw[self.channel[c : c + _CHUNK]]
        weighted = np.zeros(self.n)
        weighted[act] = np.bincount(loc, weights=recent, minlength=na)
        del recent
        fut = np.flatnonzero(self.at > ref_s)
        return {
            "count": count,
            "weighted": weighted,
            "fut_pair": act[loc[fut]].astype(np.int64),
            "fut_at": self.at[fut].astype(np.int64),
            "fut_w": chw[self.channel[fut]],
        }

    def flags(self) -> dict[str, np.ndarray]:
        """The directions seen, the meetings and the last contact."""
        act, loc, na = self.act, self.loc, self.act.size
        # A flag per pair for each of outbound, inbound and mutual.
        bins = _dir_bins(self.direction)
        seen = np.zeros(na, dtype=np.uint8)
        dirs_act = np.zeros(na, dtype=np.uint8)
        for k, bit in ((1, _OUT), (2, _IN), (0, _MUTUAL)):
            seen[:] = 0
            seen[loc[bins == k]] = bit
            dirs_act |= seen
        del bins, seen
        dirs = np.zeros(self.n, dtype=np.uint8)
        dirs[act] = dirs_act
        del dirs_act
        is_meeting = np.array([c == "meeting" for c in self.sig.channels])
        meetings = np.zeros(self.n, dtype=np.int32)
        meetings[act] = np.bincount(loc[is_meeting[self.channel]], minlength=na)
        last = np.full(self.n, _NONE, dtype=np.int64)
        last[act] = _group_max(na, loc, self.at)
        return {"dirs": dirs, "meetings": meetings, "last": last}


def _co_sums(sig: Signals, inv_co: np.ndarray, cg: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Co-presence of two non-owners: the pairs (of ``n``) that have some (``inv_co``: each
    co-presence row's pair, ``cg``: its interaction's first row) and their sums."""
    # Few co-presence rows in most stores: sorted, not marked in a pairs-sized table.
    co, cloc = _dense_unique(inv_co, n) if inv_co.size * 16 > n else _unique(inv_co)
    meeting_like = np.array([c in ("meeting", "event", "call") for c in sig.channels])
    co_meet_row = meeting_like[sig.it_channel[cg]]
    return {
        "co_pair": co.astype(np.int64),
        "co_meet": np.bincount(cloc[co_meet_row], minlength=co.size).astype(np.int32),
        "co_thr": np.bincount(cloc[~co_meet_row], minlength=co.size).astype(np.int32),
        "co_last": _group_max(co.size, cloc, sig.it_at[cg]),
    }


def _each_column(work: Callable[[str], None], names: tuple[str, ...], rows: int) -> None:
    """``work(name)`` for each column, every other one on the second core (``_par``):
    columns of mixed widths shared about evenly. Each must write only its own output."""

    def run(part: tuple[str, ...]) -> None:
        for c in part:
            work(c)

    _par.both(lambda: run(names[0::2]), lambda: run(names[1::2]), items=rows)
