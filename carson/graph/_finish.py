"""Strengths at ``now`` from the per-pair sums (see ``_columns``): activity, co-presence,
colleague overlap at a shared employer, context fade and notes, one vectorised pass over
the pairs; and :func:`score_pairs`, both steps at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from carson import _par
from carson.graph._columns import (
    _CHUNK,
    _COLLEAGUE,
    _IN,
    _MUTUAL,
    _NONE,
    _OUT,
    CTX_CODE,
    Scored,
    Signals,
    _age,
    _decay,
    _expand,
    _half,
    _unique,
    unix_seconds,
)
from carson.graph._snapshot import sort_order
from carson.graph._stats import PairStats, _stats_weights, pair_stats
from carson.graph.weights import GraphWeights
from carson.models import TieContext

if TYPE_CHECKING:
    pass


_FINISH_CHUNK = 1 << 17
"""Pairs scored at a time: a chunk's ~40 temporaries (1 MB each) stay within what the C
allocator keeps for reuse; at 1M-pair chunks (8 MB each) they went back to the system and
every chunk faulted its pages in again (~150,000 page faults at 1M people)."""


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

    Pairs are scored a chunk at a time, chunks shared among two threads (``_par``): every
    pair's arithmetic is its own, and a chunk's temporaries are recycled by the allocator
    (see ``_FINISH_CHUNK``) where pairs-sized ones would each cost a page fault per page (at
    1M people, more than the arithmetic)."""
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

    def score(lo: int, hi: int) -> None:
        np.multiply(pa[lo:hi], base, out=keys[lo:hi])
        keys[lo:hi] += pb[lo:hi]
        s, c, st = _score_chunk(stats, lo, hi, pa[lo:hi], pb[lo:hi], at)
        strength[lo:hi] = s
        context[lo:hi] = c
        stale[lo:hi] = st

    _par.chunks(score, n, _FINISH_CHUNK)

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
