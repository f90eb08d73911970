"""Tie strength for every pair at once, over flat numpy columns of the store's signals.

This is the build-time twin of :meth:`StrengthModel.score`: the same formula (see
``strength.py``), vectorised, without evidence sentences. ``StrengthModel`` stays the
reference and the explainer: a route card asks it for one pair's evidence lazily, and a
test checks both agree on every pair of the demo network.

Scoring runs in two steps, ``score_pairs = finish(pair_stats(sig, w, now), sig, w, now)``:
:func:`pair_stats` turns tie and interaction rows into per-pair sums that do not depend on
``now`` (the costly part: grouping ~20M rows by pair), which merge with the sums of rows
appended later and move to a later day exactly (:class:`PairStats`); :func:`finish` is the
rest, one vectorised pass over the pairs at ``now``, with colleague overlap and notes read
whole. At 1M people / 9.6M pairs (``tools/bench/pair_stats_bench.py``, first calls in a
fresh process): ~2.4 s for the sums (~414 MB of them), ~1.4-1.7 s to finish, ~1.2 s to
merge a 1 % append's (~0.3 s once the process has memory to reuse).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from carson.graph._search import sort_order, sort_pairs
from carson.graph.weights import GraphWeights
from carson.models import TieContext

if TYPE_CHECKING:
    from carson.graph._tables import JobColumns
    from carson.store.graph_feed import InteractionColumns

CONTEXTS: list[str] = [c.value for c in TieContext]
CTX_CODE: dict[str, int] = {c: i for i, c in enumerate(CONTEXTS)}
_COLLEAGUE = CTX_CODE[TieContext.colleague]
_EPOCH = datetime(1970, 1, 1)
_NONE = np.iinfo(np.int64).min


@dataclass
class Signals:
    """Every tie-strength signal as flat columns; people are named by their ids."""

    tie_a: np.ndarray
    tie_b: np.ndarray
    tie_ctx: np.ndarray
    """Index into :data:`CONTEXTS`, one row per stored tie (store order); no (pair, context)
    twice, as the store's UNIQUE (a, b, context) guarantees."""
    it_id: np.ndarray
    """Interaction id of each participant row, rows ordered by interaction then position."""
    it_at: np.ndarray
    """Unix seconds (wall clock) of the interaction."""
    it_channel: np.ndarray
    """Index into ``channels``."""
    it_dir: np.ndarray
    """0 mutual, 1 outbound, 2 inbound."""
    it_pid: np.ndarray
    emp_person: np.ndarray
    emp_org: np.ndarray
    emp_start: np.ndarray
    """datetime64[D], NaT when unknown."""
    emp_end: np.ndarray
    emp_current: np.ndarray
    note_a: np.ndarray
    """One row per (note, pair of people it mentions), for notes about 2-6 people."""
    note_b: np.ndarray
    channels: list[str] = field(default_factory=lambda: ["email"])

    @classmethod
    def from_feed(
        cls,
        ties: tuple[np.ndarray, np.ndarray, np.ndarray],
        interactions: InteractionColumns,
        jobs: JobColumns,
        note_people: Sequence[Sequence[int]],
    ) -> Signals:
        """From the ``carson.store.graph_feed`` reads: tie columns (a, b, index into
        :data:`CONTEXTS`), interaction columns, the jobs as columns and note people."""
        i64 = np.int64
        na: list[int] = []
        nb: list[int] = []
        for ppl in note_people:
            ids = sorted(set(ppl))
            if 2 <= len(ids) <= 6:
                for i, x in enumerate(ids):
                    for y in ids[i + 1 :]:
                        na.append(x)
                        nb.append(y)
        ta, tb, tc = ties
        if tc.size and int(tc.min()) < 0:
            raise ValueError("a stored tie has a context Carson does not know")
        it = interactions
        return cls(
            tie_a=np.minimum(ta, tb),
            tie_b=np.maximum(ta, tb),
            tie_ctx=tc.astype(np.int16),
            it_id=it.id,
            it_at=it.at,
            it_channel=it.channel,
            it_dir=it.direction,
            it_pid=it.person,
            emp_person=jobs.person,
            emp_org=jobs.org,
            emp_start=jobs.start,
            emp_end=jobs.end,
            emp_current=jobs.current,
            note_a=np.array(na, dtype=i64),
            note_b=np.array(nb, dtype=i64),
            channels=it.channels or ["email"],
        )


@dataclass
class Scored:
    """One row per pair of people with any signal, sorted by ``(a, b)`` with ``a < b``."""

    a: np.ndarray
    b: np.ndarray
    strength: np.ndarray
    context: np.ndarray
    """int8 index into :data:`CONTEXTS` of the strongest context."""
    stale: np.ndarray
    base: int
    """``key = a * base + b``; ``keys`` are sorted."""
    keys: np.ndarray

    def find(self, a: int, b: int) -> int:
        """Row of the pair, or -1."""
        lo, hi = (a, b) if a < b else (b, a)
        key = lo * self.base + hi
        i = int(np.searchsorted(self.keys, key))
        return i if i < self.keys.size and int(self.keys[i]) == key else -1


def unix_seconds(now: datetime) -> float:
    return (now.replace(tzinfo=None) - _EPOCH).total_seconds()


def _expand(counts: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For segments of given lengths and start offsets: (segment of each item, item index)."""
    seg = np.repeat(np.arange(counts.size), counts)
    first = np.cumsum(counts) - counts
    return seg, starts[seg] + (np.arange(seg.size) - first[seg])


def _unique(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and each element's index into them (sort-based: numpy's
    hash-based ``unique`` is pathologically slow on large int64 arrays)."""
    s, order = sort_pairs(x)
    flag = np.empty(s.size, dtype=bool)
    flag[:1] = True
    np.not_equal(s[1:], s[:-1], out=flag[1:])
    uniq = s[flag]
    np.cumsum(flag, out=s)  # reuse the sorted values' buffer for the group numbers
    s -= 1
    inv = np.empty(x.size, dtype=np.int64)
    inv[order] = s
    return uniq, inv


def _age(now_s: float, t: np.ndarray) -> np.ndarray:
    """Days from Unix seconds ``t`` to now (never negative)."""
    return np.maximum(0.0, now_s - t.astype(np.float64)) / 86400.0


def _half(days: np.ndarray, half_life: float) -> np.ndarray:
    return np.exp2(days * (-1.0 / half_life))


def _decay(now_s: float, t: np.ndarray, half_life: float) -> np.ndarray:
    """``_half(_age(now_s, t), half_life)`` in one fresh array (same arithmetic, in place)."""
    out = t.astype(np.float64)
    np.subtract(now_s, out, out=out)
    np.maximum(out, 0.0, out=out)
    np.divide(out, 86400.0, out=out)
    np.multiply(out, -1.0 / half_life, out=out)
    return np.exp2(out, out=out)


def _dense_unique(x: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``_unique(x)`` for values in ``0..n-1``, without sorting: mark, rank, look up."""
    seen = np.zeros(n, dtype=bool)
    seen[x] = True
    rank: np.ndarray = np.cumsum(seen, dtype=np.int32 if n < 2**31 else np.int64)
    np.subtract(rank, 1, out=rank)
    return np.flatnonzero(seen), rank[x]


def _group_max(n: int, inv: np.ndarray, vals: np.ndarray) -> np.ndarray:
    out = np.full(n, _NONE, dtype=np.int64)
    np.maximum.at(out, inv, vals)
    return out


_CHUNK = 1 << 20
"""Rows per chunk in the chunked passes: a chunk's temporaries (a few MB) are recycled by
the allocator, where a fresh pairs-sized array costs a page fault per page touched."""


def _pair_keys(
    parts: list[tuple[np.ndarray, np.ndarray]], base: int
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Distinct unordered pairs ``min * base + max`` over all parts (sorted), and for each
    part the index of each of its rows' pair. Equivalent to ``np.unique`` of the
    concatenated keys with ``return_inverse``, with one sort of packed (key, row) words
    and no full-size temporaries besides the words themselves."""
    sizes = [int(x.size) for x, _ in parts]
    total = sum(sizes)
    shift = max(1, (total - 1).bit_length()) if total else 1
    if total == 0 or (base * base).bit_length() + shift > 64:
        keys = [np.minimum(x, y).astype(np.int64) * base + np.maximum(x, y) for x, y in parts]
        uniq, inv = _unique(np.concatenate(keys))
        return uniq, np.split(inv, np.cumsum(sizes)[:-1])
    words = np.empty(total, dtype=np.uint64)
    at = 0
    ub, ushift = np.uint64(base), np.uint64(shift)
    for x, y in parts:
        for c in range(0, x.size, _CHUNK):
            xc, yc = x[c : c + _CHUNK], y[c : c + _CHUNK]
            lo = np.minimum(xc, yc).astype(np.uint64)
            lo *= ub
            lo += np.maximum(xc, yc).astype(np.uint64)
            lo <<= ushift
            lo |= np.arange(at + c, at + c + lo.size, dtype=np.uint64)
            words[at + c : at + c + lo.size] = lo
        at += x.size
    words.sort()
    # Pass 1: where a new key starts; pass 2: the keys, and each row's group number.
    new = np.empty(total, dtype=bool)
    prev = None
    for c in range(0, total, _CHUNK):
        v = words[c : c + _CHUNK] >> ushift
        part = new[c : c + v.size]
        part[0] = prev is None or v[0] != prev
        np.not_equal(v[1:], v[:-1], out=part[1:])
        prev = v[-1]
    uniq = np.empty(int(np.count_nonzero(new)), dtype=np.int64)
    inv = np.empty(total, dtype=np.int32 if total < 2**31 else np.int64)
    mask = np.uint64((1 << shift) - 1)
    done = 0
    for c in range(0, total, _CHUNK):
        w = words[c : c + _CHUNK]
        flag = new[c : c + w.size]
        group = np.cumsum(flag, dtype=inv.dtype)
        group += done - 1
        got = (w[flag] >> ushift).view(np.int64)
        uniq[done : done + got.size] = got
        done += got.size
        inv[(w & mask).view(np.int64)] = group
    return uniq, np.split(inv, np.cumsum(sizes)[:-1])


_OUT, _IN, _MUTUAL = 1, 2, 4
"""Bits of :attr:`PairStats.dirs`: the owner wrote, the other wrote, a two-way exchange."""


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

    def check(self) -> None:
        """Raise ValueError unless the columns fit together (a damaged cache must not be
        used)."""
        n = self.n
        if any(getattr(self, c).shape != (n,) for c in self._PAIR_COLS):
            raise ValueError("pair statistics columns differ in length")
        for cols, rows in (
            (self._MULTI_COLS, self.multi_pair),
            (self._CO_COLS, self.co_pair),
            (self._FUT_COLS, self.fut_pair),
        ):
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
        for c in self._PAIR_COLS:
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


def _contacts(
    sig: Signals, w: GraphWeights
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Owner-to-other contact rows (row indices, owner, other) and co-presence pairs of two
    non-owners in small groups (x, y, first row of the interaction)."""
    first = np.ones(sig.it_id.size, dtype=bool)
    first[1:] = sig.it_id[1:] != sig.it_id[:-1]
    starts = np.flatnonzero(first)
    group = np.cumsum(first) - 1
    owner = sig.it_pid[starts][group]
    oo = np.flatnonzero(~first & (sig.it_pid != owner))
    oo_x, oo_y = owner[oo], sig.it_pid[oo]
    sizes = np.diff(np.append(starts, sig.it_id.size)) - 1
    co_x: list[np.ndarray] = []
    co_y: list[np.ndarray] = []
    co_g: list[np.ndarray] = []
    for m in range(2, min(int(sizes.max(initial=0)), w.max_group_size) + 1):
        gs = np.flatnonzero(sizes == m)
        if gs.size == 0:
            continue
        rows = starts[gs][:, None] + 1 + np.arange(m)
        iu, ju = np.triu_indices(m, 1)
        co_x.append(sig.it_pid[rows[:, iu]].ravel())
        co_y.append(sig.it_pid[rows[:, ju]].ravel())
        co_g.append(np.repeat(starts[gs], iu.size))
    cx = np.concatenate(co_x) if co_x else np.empty(0, np.int64)
    cy = np.concatenate(co_y) if co_y else np.empty(0, np.int64)
    cg = np.concatenate(co_g) if co_g else np.empty(0, np.int64)
    return oo, oo_x, oo_y, cx, cy, cg


def pair_stats(sig: Signals, w: GraphWeights, ref: datetime) -> PairStats:
    """The per-pair statistics of the ties and interactions in ``sig`` as of ``ref`` (see
    :class:`PairStats`); its jobs and notes are not read."""
    ref_s = unix_seconds(ref)
    hl = w.half_life_days
    cbase = _ctx_base(w)
    oo, oo_x, oo_y, cx, cy, cg = _contacts(sig, w)

    # Pair universe: ties and interactions (co-presence included).
    all_ids = [sig.tie_a, sig.tie_b, oo_x, oo_y, cx, cy]
    base = int(max((int(x.max()) for x in all_ids if x.size), default=0)) + 1
    parts = [(sig.tie_a, sig.tie_b), (oo_x, oo_y), (cx, cy)]
    uniq, (inv_t, inv_oo, inv_co) = _pair_keys(parts, base)
    del oo_x, oo_y, cx, cy
    n = uniq.size
    n_ties = inv_t.size
    pa = uniq // base
    pb = uniq % base
    del uniq

    # Ties: the strongest context and the product the context part needs.
    # Tie rows name distinct (pair, context)s, as the store's UNIQUE (a, b, context) ensures.
    tie_ctx = np.full(n, -1, dtype=np.int8)
    multi_pair = np.empty(0, dtype=np.int64)
    multi_prod = np.empty(0)
    t_base = cbase[sig.tie_ctx]
    has_tie = np.zeros(n, dtype=bool)
    has_tie[inv_t] = True
    if int(np.count_nonzero(has_tie)) == n_ties:  # at most one tie row per pair
        tie_ctx[inv_t] = sig.tie_ctx
    elif n_ties:
        prod = np.ones(n)
        np.multiply.at(prod, inv_t, 1 - 0.3 * t_base)
        multi_pair = np.flatnonzero(np.bincount(inv_t, minlength=n) > 1)
        multi_prod = prod[multi_pair]
        del prod
        rank = np.unique(-cbase, return_inverse=True)[1].astype(np.int64)
        stride = np.int64(n_ties)
        best = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(best, inv_t, rank[sig.tie_ctx] * stride + np.arange(n_ties))
        tied = best < np.iinfo(np.int64).max
        tie_ctx[tied] = sig.tie_ctx[best[tied] % stride]
    del t_base, has_tie
    tie_col = np.zeros(n, dtype=bool)
    tie_col[inv_t[sig.tie_ctx == _COLLEAGUE]] = True
    del inv_t

    # Owner-to-other contacts: sums over the pairs that have contact only (compact
    # indices), scattered into the pair columns.
    act, loc = _dense_unique(inv_oo, n)
    na = act.size
    at_oo = sig.it_at[oo]
    ch_oo = sig.it_channel[oo]
    chw = np.array([w.channel_weight.get(c, 0.4) for c in sig.channels])
    count = np.zeros(n, dtype=np.int32)
    count[act] = np.bincount(loc, minlength=na)
    recent = _decay(ref_s, at_oo, hl)
    recent *= chw[ch_oo]
    weighted = np.zeros(n)
    weighted[act] = np.bincount(loc, weights=recent, minlength=na)
    del recent
    # Outbound, inbound and mutual counts in one pass: 3 bins per pair.
    dir3 = np.where(sig.it_dir[oo] == 1, 1, np.where(sig.it_dir[oo] == 2, 2, 0))
    dir3 += loc.astype(np.int64) * 3
    by_dir = np.bincount(dir3, minlength=3 * na).reshape(na, 3) > 0
    del dir3
    dirs = np.zeros(n, dtype=np.uint8)
    dirs[act] = by_dir[:, 1] * _OUT | by_dir[:, 2] * _IN | by_dir[:, 0] * _MUTUAL
    del by_dir
    is_meeting = np.array([c == "meeting" for c in sig.channels])
    meetings = np.zeros(n, dtype=np.int32)
    meetings[act] = np.bincount(loc[is_meeting[ch_oo]], minlength=na)
    last = np.full(n, _NONE, dtype=np.int64)
    last[act] = _group_max(na, loc, at_oo)
    fut = np.flatnonzero(at_oo > ref_s)
    fut_pair = act[loc[fut]].astype(np.int64)
    fut_at = at_oo[fut].astype(np.int64)
    fut_w = chw[ch_oo[fut]]
    del at_oo, ch_oo, inv_oo, loc, act

    # Co-presence of two non-owners.
    co, cloc = _dense_unique(inv_co, n)
    meeting_like = np.array([c in ("meeting", "event", "call") for c in sig.channels])
    co_meet_row = meeting_like[sig.it_channel[cg]]
    co_meet = np.bincount(cloc[co_meet_row], minlength=co.size).astype(np.int32)
    co_thr = np.bincount(cloc[~co_meet_row], minlength=co.size).astype(np.int32)
    co_last = _group_max(co.size, cloc, sig.it_at[cg])
    return PairStats(
        ref=ref.replace(tzinfo=None),
        half_life=hl,
        ctx_base=cbase,
        weights=_stats_weights(w),
        a=pa,
        b=pb,
        tie_ctx=tie_ctx,
        multi_pair=multi_pair,
        multi_prod=multi_prod,
        tie_col=tie_col,
        count=count,
        meetings=meetings,
        dirs=dirs,
        last=last,
        weighted=weighted,
        co_pair=co.astype(np.int64),
        co_meet=co_meet,
        co_thr=co_thr,
        co_last=co_last,
        fut_pair=fut_pair,
        fut_at=fut_at,
        fut_w=fut_w,
    )


@dataclass
class _Now:
    """What scoring at one ``now`` needs besides the statistics."""

    w: GraphWeights
    now_s: float
    today_d: int
    scale: float
    """``2 ** (-(now - ref) / half_life)``: the decayed sums' rebase to now."""
    fix_pair: np.ndarray
    """Side rows' pairs (sorted) and what each adds to its pair's sum at now."""
    fix: np.ndarray
    jobs: _JobIndex | None


def finish(stats: PairStats, sig: Signals, w: GraphWeights, now: datetime) -> Scored:
    """Strength, strongest context and staleness of every pair in ``stats`` at ``now``
    (``>= stats.ref``), with colleague overlap from ``sig``'s jobs and notes from its note
    pairs (its ties and interactions are not read: they are in ``stats``).

    Pairs are scored a chunk at a time: every pair's arithmetic is its own, and a chunk's
    temporaries are recycled by the allocator where pairs-sized ones would each cost a page
    fault per page (at 1M people, more than the arithmetic)."""
    now_s = unix_seconds(now)
    if now_s < stats.ref_s:
        raise ValueError(f"can't finish pair statistics before their day ({now} < {stats.ref})")
    if stats.weights != _stats_weights(w):
        raise ValueError("pair statistics were built with other weights")
    n = stats.n
    base = int(stats.b.max(initial=0)) + 1
    today = np.datetime64(now.date(), "D")
    scale, fix_pair, fix = 1.0, np.empty(0, dtype=np.int64), np.empty(0)
    if now_s != stats.ref_s:  # at ref itself: the sums as they are, bit for bit
        scale = float(_decay(now_s, np.array([stats.ref_s]), stats.half_life)[0])
        order = sort_order(stats.fut_pair)
        fix_pair = stats.fut_pair[order]
        fix = stats.fut_w[order] * _decay(now_s, stats.fut_at[order], stats.half_life)
        fix -= stats.fut_w[order] * scale
    at = _Now(
        w=w,
        now_s=now_s,
        today_d=int(today.astype(np.int64)),
        scale=scale,
        fix_pair=fix_pair,
        fix=fix,
        jobs=_job_index(sig, today, base),
    )
    pa = stats.a.astype(np.int64, copy=False)
    pb = stats.b.astype(np.int64, copy=False)
    keys = np.empty(n, dtype=np.int64)
    strength = np.empty(n)
    context = np.empty(n, dtype=np.int8)
    stale = np.empty(n, dtype=bool)
    for lo in range(0, n, _CHUNK):
        hi = min(n, lo + _CHUNK)
        np.multiply(pa[lo:hi], base, out=keys[lo:hi])
        keys[lo:hi] += pb[lo:hi]
        s, c, st = _score_chunk(stats, lo, hi, pa[lo:hi], pb[lo:hi], at)
        strength[lo:hi] = s
        context[lo:hi] = c
        stale[lo:hi] = st

    # Notes that mention both people. A note about someone in no pair (id >= base) names
    # no pair: leave it out before packing keys (its key could spell another pair's).
    lo_id = np.minimum(sig.note_a, sig.note_b).astype(np.int64)
    hi_id = np.maximum(sig.note_a, sig.note_b).astype(np.int64)
    inside = hi_id < base
    nk = lo_id[inside] * base + hi_id[inside]
    pos = np.minimum(np.searchsorted(keys, nk), max(n - 1, 0))
    hit = keys[pos] == nk if n else np.zeros(0, dtype=bool)
    noted, loc = _unique(pos[hit])
    note_part = w.note_bonus * np.minimum(3, np.bincount(loc, minlength=noted.size))
    s_noted = strength[noted]
    strength[noted] = s_noted + note_part * (1 - s_noted)
    np.minimum(strength, 1.0, out=strength)
    np.clip(strength, 0.0, 1.0, out=strength)
    np.round(strength, 6, out=strength)
    return Scored(a=pa, b=pb, strength=strength, context=context, stale=stale, base=base, keys=keys)


def _score_chunk(
    stats: PairStats, lo: int, hi: int, pa: np.ndarray, pb: np.ndarray, at: _Now
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Strength before notes, strongest context and staleness of pairs ``lo:hi``."""
    w = at.w
    now_s = at.now_s
    hl = w.half_life_days
    cbase = stats.ctx_base
    n = hi - lo
    tie_ctx = stats.tie_ctx[lo:hi]
    has_tie = tie_ctx >= 0

    # Activity: recency x volume x reciprocity x channel, plus co-presence. Powers and logs
    # are costly, so they run only over the pairs that need them.
    count = stats.count[lo:hi]
    act = np.flatnonzero(count)
    weighted = stats.weighted[lo:hi][act]
    if at.scale != 1.0 or at.fix.size:
        weighted *= at.scale
        i, j = np.searchsorted(at.fix_pair, [lo, hi])
        if j > i:
            np.add.at(weighted, np.searchsorted(act, at.fix_pair[i:j] - lo), at.fix[i:j])
    dirs = stats.dirs[lo:hi][act]
    last_act = stats.last[lo:hi][act]
    activity = np.zeros(n)
    volume = np.minimum(1.0, np.log1p(weighted) / np.log1p(w.volume_saturation))
    two_way = ((dirs & _MUTUAL) != 0) | (((dirs & _OUT) != 0) & ((dirs & _IN) != 0))
    recip = np.where(two_way, 1.0, w.one_way_factor)
    # activity = weight * sqrt(decay * volume) * recip, in place on one array
    part = _decay(now_s, last_act, hl)
    part *= volume
    np.sqrt(part, out=part)
    part *= w.activity_weight
    part *= recip
    activity[act] = part
    has_act = np.zeros(n, dtype=bool)
    has_act[act] = True
    one_meeting = np.zeros(n, dtype=bool)
    one_meeting[act] = (count[act] == 1) & (stats.meetings[lo:hi][act] > 0)
    last = np.full(n, _NONE, dtype=np.int64)
    last[act] = last_act

    i, j = np.searchsorted(stats.co_pair, [lo, hi])
    co = stats.co_pair[i:j] - lo
    co_meet = stats.co_meet[i:j]
    co_thr = stats.co_thr[i:j]
    co_last = stats.co_last[i:j]
    co_vol = np.minimum(1.0, np.log1p(co_meet + 0.5 * co_thr) / np.log1p(10))
    co_part = w.co_presence_weight * _half(_age(now_s, co_last), hl) * co_vol
    activity[co] = 1 - (1 - activity[co]) * (1 - co_part)
    has_co = np.zeros(n, dtype=bool)
    has_co[co] = True
    co_meets = np.zeros(n, dtype=bool)
    co_meets[co] = co_meet > 0
    last[co] = np.maximum(last[co], co_last)
    has_last = has_act | has_co

    # Colleague overlap at a shared employer (longest overlap, first found on ties).
    col_months, col_end = _overlaps_at(at.jobs, pa, pb)
    has_col = col_months >= 0

    # Context part: best base b1, each further distinct context adds 30 % of its base:
    # 1 - ctx = (1 - b1) * prod(1 - 0.3 b) over the others. The best tie base is the base of
    # the strongest tie context.
    primary = tie_ctx.astype(np.int64)
    tie_best = cbase[np.maximum(primary, 0)]
    tie_best[~has_tie] = -1.0
    b1 = np.where(has_tie, tie_best, 0.0)
    # 1 - 0.3 * base of the pair's tie (1 without), or the product over its several ties.
    prod = np.multiply(tie_best, 0.3)
    np.subtract(1.0, prod, out=prod)
    prod[~has_tie] = 1.0
    i, j = np.searchsorted(stats.multi_pair, [lo, hi])
    prod[stats.multi_pair[i:j] - lo] = stats.multi_prod[i:j]
    tie_col = stats.tie_col[lo:hi]
    add_col = has_col & ~tie_col
    # Overlap adds "colleague" if no tie says so; any colleague context adds the bonus base.
    added = np.flatnonzero(add_col)
    b1[added] = np.maximum(b1[added], cbase[_COLLEAGUE])
    prod[added] *= 1 - 0.3 * cbase[_COLLEAGUE]
    col = np.flatnonzero(has_col | tie_col)
    mon = col_months[col]
    # bonus = min(0.95, base + (bonus * min(1, months / full) if overlap else 0)), in place
    bonus = np.divide(mon, w.colleague_overlap_months)
    np.minimum(bonus, 1.0, out=bonus)
    bonus *= w.colleague_bonus
    bonus[mon < 0] = 0.0
    bonus += cbase[_COLLEAGUE]
    np.minimum(bonus, 0.95, out=bonus)
    b1[col] = np.maximum(b1[col], bonus)
    np.multiply(bonus, 0.3, out=bonus)
    np.subtract(1.0, bonus, out=bonus)
    prod[col] *= bonus
    has_ctx = has_tie | has_col
    # ctx = 1 - (1 - b1) * (prod / (1 - 0.3 * b1)), in place
    den = np.multiply(b1, 0.3)
    np.subtract(1.0, den, out=den)
    np.divide(prod, den, out=prod)
    np.subtract(1.0, b1, out=b1)
    np.multiply(b1, prod, out=prod)
    ctx = np.subtract(1.0, prod, out=prod)
    ctx[~has_ctx] = 0.0

    # Strongest context: highest base, earliest stored tie on equal bases; colleague overlap
    # after the ties; co-presence or a fallback only when nothing else is known.
    primary[added[cbase[_COLLEAGUE] > tie_best[added]]] = _COLLEAGUE
    idx = np.flatnonzero(~has_ctx & has_co)
    primary[idx] = np.where(
        co_meets[idx], CTX_CODE[TieContext.co_attendee], CTX_CODE[TieContext.co_recipient]
    )
    idx = np.flatnonzero(~has_ctx & ~has_co)
    fallback = np.where(
        one_meeting[idx], CTX_CODE[TieContext.met_once], CTX_CODE[TieContext.acquaintance]
    )
    primary[idx] = fallback
    ctx[idx] = cbase[fallback] * 0.5

    # Quiet ties fade toward the context floor.
    floor = w.context_floor
    fade = np.full(n, w.context_no_contact)
    lst = np.flatnonzero(has_last)
    last_age = _age(now_s, last[lst])
    fade[lst] = floor + (1 - floor) * _half(last_age, hl)
    past = np.flatnonzero(~has_last & has_col & (col_end < at.today_d))
    since_end = (at.today_d - col_end[past]).astype(np.float64)
    fade[past] = w.context_no_contact * (floor + (1 - floor) * _half(since_end, hl))
    np.multiply(ctx, fade, out=ctx)

    # strength = 1 - (1 - ctx) * (1 - activity)
    np.subtract(1.0, ctx, out=ctx)
    np.subtract(1.0, activity, out=activity)
    np.multiply(ctx, activity, out=ctx)
    strength = np.subtract(1.0, ctx, out=ctx)
    stale = ~has_tie
    stale[lst] = last_age > w.stale_days
    return strength, primary.astype(np.int8), stale


def score_pairs(sig: Signals, w: GraphWeights, now: datetime) -> Scored:
    """Strength, strongest context and staleness of every pair that has a tie or contact."""
    return finish(pair_stats(sig, w, now), sig, w, now)


_SLOTS = 2
"""People with at most this many dated jobs are matched slot by slot (no expansion)."""


@dataclass
class Jobs:
    """Dated jobs as int32 columns: org, first and last day (days since 1970; current jobs
    last until today)."""

    org: np.ndarray
    start: np.ndarray
    stop: np.ndarray


@dataclass
class _Slot:
    """Each person's job number ``s`` (people with few jobs): org (-1 for none), and first
    and last day packed in one int64 (``start << 32 | stop``: one gather per side)."""

    org: np.ndarray
    span: np.ndarray


@dataclass
class _JobIndex:
    """Everyone's dated jobs at one ``today``, indexed by person (see :func:`_overlaps`)."""

    jobs: Jobs
    order: np.ndarray
    """Job rows by person, in store order within a person."""
    first: np.ndarray
    """``order[first[p]:first[p + 1]]`` are person ``p``'s jobs."""
    many: np.ndarray
    """bool per person: more than ``_SLOTS`` jobs (matched by the general expansion)."""
    slots: list[_Slot]
    pairs: list[tuple[int, int]]
    """The slot pairs someone fills."""
    day0: int
    months: np.ndarray
    """int32 months since 1970 of days ``day0, day0 + 1, …`` (every job day spanned)."""

    def overlap(
        self, x0: np.ndarray, x1: np.ndarray, y0: np.ndarray, y1: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Months of overlap of jobs from ``x0`` to ``x1`` and from ``y0`` to ``y1``, its
        last day, and whether they overlap at all (a later start than the other's end).
        Months are whole calendar months between the later start's month and the earlier
        end's (months never decrease as days go on: the month of the later start is the
        later of the two starts' months)."""
        lo = np.maximum(x0, y0)
        hi = np.minimum(x1, y1)
        ok = lo < hi
        mon = self.months[hi - self.day0]
        mon -= self.months[lo - self.day0]
        np.maximum(mon, 0, out=mon)
        return mon, hi, ok


def _job_index(sig: Signals, today: np.datetime64, size: int) -> _JobIndex | None:
    """The index for people ``0..size-1`` (and whoever has a job), or None if no job can
    overlap another: only jobs with a start and an end (or current) can."""
    if sig.emp_person.size == 0:
        return None
    stop = np.where(np.isnat(sig.emp_end) & sig.emp_current, today, sig.emp_end)
    dated = np.flatnonzero(~(np.isnat(sig.emp_start) | np.isnat(stop)))
    if dated.size == 0:
        return None
    jobs = Jobs(
        org=sig.emp_org[dated].astype(np.int32),
        start=sig.emp_start[dated].astype(np.int64).astype(np.int32),
        stop=stop[dated].astype(np.int64).astype(np.int32),
    )
    day0 = int(min(jobs.start.min(), jobs.stop.min()))
    days = np.arange(day0, int(max(jobs.start.max(), jobs.stop.max())) + 1)
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    person = sig.emp_person[dated]
    size = max(size, int(person.max()) + 1)
    order = sort_order(person)  # each person's jobs, in store order
    count = np.bincount(person, minlength=size)
    first = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(count, out=first[1:])
    many = count > _SLOTS
    span = jobs.start.astype(np.int64) << 32
    span |= jobs.stop.astype(np.int64) & 0xFFFFFFFF
    slots = []
    for s0 in range(_SLOTS):
        has = np.flatnonzero((count > s0) & ~many)
        rows = order[first[has] + s0]
        org = np.full(size, -1, dtype=np.int32)
        org[has] = jobs.org[rows]
        packed = np.zeros(size, dtype=np.int64)
        packed[has] = span[rows]
        slots.append(_Slot(org, packed))
    filled = [bool((count[~many] > k).any()) for k in range(_SLOTS)]
    return _JobIndex(
        jobs=jobs,
        order=order,
        first=first,
        many=many,
        slots=slots,
        pairs=[(i, j) for i in range(_SLOTS) for j in range(_SLOTS) if filled[max(i, j)]],
        day0=day0,
        months=months.astype(np.int32),
    )


def _overlaps(
    sig: Signals, pa: np.ndarray, pb: np.ndarray, today: np.datetime64
) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: months of the longest overlap at a shared employer (-1 if none) and the
    day it ended (days since 1970; meaningless where there is none), as int32.

    Only jobs with a start and an end (or current) can overlap. Most people have one or
    two such jobs, so their pairs are matched slot by slot (first job of ``a`` against
    first job of ``b``, …) with whole-column gathers; pairs where someone has more go
    through the general expansion. Ties on months go to the first match in job order.
    """
    size = int(max(pa.max(initial=0), pb.max(initial=0))) + 1
    return _overlaps_at(_job_index(sig, today, size) if pa.size else None, pa, pb)


def _overlaps_at(
    ix: _JobIndex | None, pa: np.ndarray, pb: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_overlaps` with the job index built (for people up to every id in the pairs)."""
    n = pa.size
    best = np.full(n, -1, dtype=np.int32)
    stop_day = np.zeros(n, dtype=np.int32)
    if n == 0 or ix is None:
        return best, stop_day
    used = sorted({i for i, _ in ix.pairs} | {j for _, j in ix.pairs})
    org_a = {i: ix.slots[i].org[pa] for i in used}
    org_b = {j: ix.slots[j].org[pb] for j in used}
    same = np.empty(n, dtype=bool)
    for i, j in ix.pairs:
        np.equal(org_a[i], org_b[j], out=same)
        same &= org_a[i] >= 0
        hit = np.flatnonzero(same)
        for c in range(0, hit.size, _CHUNK):
            h = hit[c : c + _CHUNK]
            sx = ix.slots[i].span[pa[h]]
            sy = ix.slots[j].span[pb[h]]
            x0, y0 = (sx >> 32).astype(np.int32), (sy >> 32).astype(np.int32)
            mon, hi, ok = ix.overlap(x0, sx.astype(np.int32), y0, sy.astype(np.int32))
            ok &= mon > best[h]
            best[h[ok]] = mon[ok]
            stop_day[h[ok]] = hi[ok]
    del org_a, org_b, same
    general = np.flatnonzero(ix.many[pa] | ix.many[pb])
    if general.size:
        # Everyone's jobs against everyone's, in job order, for the remaining pairs.
        first, order, jobs = ix.first, ix.order, ix.jobs
        seg, item = _expand(first[pa[general] + 1] - first[pa[general]], first[pa[general]])
        pair, x = general[seg], order[item]
        seg, item = _expand(first[pb[pair] + 1] - first[pb[pair]], first[pb[pair]])
        pair, x, y = pair[seg], x[seg], order[item]
        match = jobs.org[x] == jobs.org[y]
        pair, x, y = pair[match], x[match], y[match]
        mon, hi, ok = ix.overlap(jobs.start[x], jobs.stop[x], jobs.start[y], jobs.stop[y])
        pair, mon, hi = pair[ok], mon[ok], hi[ok]
        # Longest per pair; on equal months the first match (the rows are in job order).
        z = np.int64(pair.size)
        key = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(key, pair, (mon.max(initial=0) - mon).astype(np.int64) * z + np.arange(z))
        got = np.flatnonzero(key < np.iinfo(np.int64).max)
        pick = key[got] % z
        best[got] = mon[pick]
        stop_day[got] = hi[pick]
    return best, stop_day
