"""Tie strength for every pair at once, over flat numpy columns of the store's signals.

This is the build-time twin of :meth:`StrengthModel.score`: the same formula (see
``strength.py``), vectorised, without evidence sentences. ``StrengthModel`` stays the
reference and the explainer: a route card asks it for one pair's evidence lazily, and a
test checks both agree on every pair of the demo network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

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


def score_pairs(sig: Signals, w: GraphWeights, now: datetime) -> Scored:
    """Strength, strongest context and staleness of every pair that has a tie or contact."""
    now_s = unix_seconds(now)
    today = np.datetime64(now.date(), "D")
    hl = w.half_life_days
    cbase = np.array([w.context_base.get(c, 0.2) for c in CONTEXTS])

    # Owner-to-other contacts and co-presence pairs from interaction rows.
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

    # Pair universe: ties and interactions (co-presence included).
    all_ids = [sig.tie_a, sig.tie_b, oo_x, oo_y, cx, cy]
    base = int(max((int(x.max()) for x in all_ids if x.size), default=0)) + 1

    def keys(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.minimum(x, y).astype(np.int64) * base + np.maximum(x, y)

    parts = [(sig.tie_a, sig.tie_b), (oo_x, oo_y), (cx, cy)]
    uniq, (inv_t, inv_oo, inv_co) = _pair_keys(parts, base)
    n = uniq.size
    n_ties = inv_t.size
    pa, pb = uniq // base, uniq % base

    # Activity: recency x volume x reciprocity x channel, plus co-presence. Powers and logs
    # are costly, so they run only over the pairs that need them.
    has_tie = np.zeros(n, dtype=bool)
    has_tie[inv_t] = True
    # Per-pair sums run over the pairs that have contact only (compact indices), not all.
    act, loc = _dense_unique(inv_oo, n)
    na = act.size
    at_oo = sig.it_at[oo]
    ch_oo = sig.it_channel[oo]
    dir_oo = sig.it_dir[oo]
    chw = np.array([w.channel_weight.get(c, 0.4) for c in sig.channels])
    count = np.bincount(loc, minlength=na)
    recent = _decay(now_s, at_oo, hl)
    recent *= chw[ch_oo]
    weighted = np.bincount(loc, weights=recent, minlength=na)
    del recent
    outbound = np.bincount(loc, weights=dir_oo == 1, minlength=na)
    inbound = np.bincount(loc, weights=dir_oo == 2, minlength=na)
    mutual = np.bincount(loc, weights=dir_oo == 0, minlength=na)
    is_meeting = np.array([c == "meeting" for c in sig.channels])
    meetings = np.bincount(loc, weights=is_meeting[ch_oo], minlength=na)
    last_act = _group_max(na, loc, at_oo)
    del at_oo, ch_oo, dir_oo, inv_oo, loc

    activity = np.zeros(n)
    volume = np.minimum(1.0, np.log1p(weighted) / np.log1p(w.volume_saturation))
    two_way = (mutual > 0) | ((outbound > 0) & (inbound > 0))
    recip = np.where(two_way, 1.0, w.one_way_factor)
    # activity = weight * sqrt(decay * volume) * recip, in place on one array
    part = _decay(now_s, last_act, hl)
    part *= volume
    np.sqrt(part, out=part)
    part *= w.activity_weight
    part *= recip
    activity[act] = part
    del part
    has_act = np.zeros(n, dtype=bool)
    has_act[act] = True
    one_meeting = np.zeros(n, dtype=bool)
    one_meeting[act] = (count == 1) & (meetings > 0)
    last = np.full(n, _NONE, dtype=np.int64)
    last[act] = last_act
    del weighted, outbound, inbound, mutual, volume, two_way, recip, count, meetings, last_act

    co, cloc = _dense_unique(inv_co, n)
    meeting_like = np.array([c in ("meeting", "event", "call") for c in sig.channels])
    co_meet_row = meeting_like[sig.it_channel[cg]]
    co_meet = np.bincount(cloc, weights=co_meet_row, minlength=co.size)
    co_thr = np.bincount(cloc, weights=~co_meet_row, minlength=co.size)
    co_last = _group_max(co.size, cloc, sig.it_at[cg])
    del inv_co, cloc, co_meet_row
    co_vol = np.minimum(1.0, np.log1p(co_meet + 0.5 * co_thr) / np.log1p(10))
    co_part = w.co_presence_weight * _half(_age(now_s, co_last), hl) * co_vol
    activity[co] = 1 - (1 - activity[co]) * (1 - co_part)
    has_co = np.zeros(n, dtype=bool)
    has_co[co] = True
    co_meets = np.zeros(n, dtype=bool)
    co_meets[co] = co_meet > 0
    last[co] = np.maximum(last[co], co_last)
    has_last = has_act | has_co
    del co_vol, co_part, co_meet, co_thr, co_last

    # Colleague overlap at a shared employer (longest overlap, first found on ties).
    col_months, col_end = _overlaps(sig, pa, pb, today)
    has_col = col_months >= 0

    # Context part: best base b1, each further distinct context adds 30 % of its base:
    # 1 - ctx = (1 - b1) * prod(1 - 0.3 b) over the others.
    # Tie rows name distinct (pair, context)s, as the store's UNIQUE (a, b, context) ensures.
    t_base = cbase[sig.tie_ctx]
    single = int(np.count_nonzero(has_tie)) == n_ties  # at most one tie row per pair
    b1 = np.zeros(n)
    prod = np.ones(n)
    primary = np.full(n, -1, dtype=np.int64)
    if single:
        b1[inv_t] = t_base
        np.multiply(t_base, 0.3, out=t_base)  # prod = 1 - 0.3 * base, in place
        np.subtract(1.0, t_base, out=t_base)
        prod[inv_t] = t_base
        primary[inv_t] = sig.tie_ctx
    elif n_ties:
        np.maximum.at(b1, inv_t, t_base)
        np.multiply.at(prod, inv_t, 1 - 0.3 * t_base)
        rank = np.unique(-cbase, return_inverse=True)[1].astype(np.int64)
        stride = np.int64(n_ties)
        best = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(best, inv_t, rank[sig.tie_ctx] * stride + np.arange(n_ties))
        tied = best < np.iinfo(np.int64).max
        primary[tied] = sig.tie_ctx[best[tied] % stride]
    tie_col = np.zeros(n, dtype=bool)
    tie_col[inv_t[sig.tie_ctx == _COLLEAGUE]] = True
    add_col = has_col & ~tie_col
    # Overlap adds "colleague" if no tie says so; any colleague context adds the bonus base.
    col = np.flatnonzero(add_col)
    got = b1[col]
    np.maximum(got, cbase[_COLLEAGUE], out=got)
    b1[col] = got
    got = prod[col]
    got *= 1 - 0.3 * cbase[_COLLEAGUE]
    prod[col] = got
    col = np.flatnonzero(has_col | tie_col)
    mon = col_months[col]
    # bonus = min(0.95, base + (bonus * min(1, months / full) if overlap else 0)), in place
    bonus = np.divide(mon, w.colleague_overlap_months)
    np.minimum(bonus, 1.0, out=bonus)
    bonus *= w.colleague_bonus
    bonus[mon < 0] = 0.0
    bonus += cbase[_COLLEAGUE]
    np.minimum(bonus, 0.95, out=bonus)
    got = b1[col]
    np.maximum(got, bonus, out=got)
    b1[col] = got
    np.multiply(bonus, 0.3, out=bonus)
    np.subtract(1.0, bonus, out=bonus)
    got = prod[col]
    got *= bonus
    prod[col] = got
    has_ctx = has_tie | has_col
    # From here on, arithmetic runs in place: at 1M people every fresh pairs-sized temporary
    # costs more in page faults than the arithmetic itself.
    # ctx = 1 - (1 - b1) * (prod / (1 - 0.3 * b1))
    den = np.multiply(b1, 0.3)
    np.subtract(1.0, den, out=den)
    np.divide(prod, den, out=prod)
    np.subtract(1.0, b1, out=b1)
    np.multiply(b1, prod, out=prod)
    ctx = np.subtract(1.0, prod, out=prod)
    ctx[~has_ctx] = 0.0
    del t_base, b1, den, col, bonus, got, mon

    # Strongest context: highest base, earliest stored tie on equal bases; colleague overlap
    # after the ties; co-presence or a fallback only when nothing else is known.
    tie_best = cbase[np.maximum(primary, 0)]
    tie_best[primary < 0] = -1.0
    primary[add_col & (cbase[_COLLEAGUE] > tie_best)] = _COLLEAGUE
    del tie_best
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
    today_d = int(today.astype(np.int64))
    past = np.flatnonzero(~has_last & has_col & (col_end < today_d))
    since_end = (today_d - col_end[past]).astype(np.float64)
    fade[past] = w.context_no_contact * (floor + (1 - floor) * _half(since_end, hl))
    np.multiply(ctx, fade, out=ctx)
    del fade

    # strength = 1 - (1 - ctx) * (1 - activity), then notes that mention both people.
    np.subtract(1.0, ctx, out=ctx)
    np.subtract(1.0, activity, out=activity)
    np.multiply(ctx, activity, out=ctx)
    strength = np.subtract(1.0, ctx, out=ctx)
    nk = keys(sig.note_a, sig.note_b)
    pos = np.minimum(np.searchsorted(uniq, nk), max(n - 1, 0))
    hit = uniq[pos] == nk if n else np.zeros(0, dtype=bool)
    noted, loc = _dense_unique(pos[hit], max(n, 1))
    note_part = w.note_bonus * np.minimum(3, np.bincount(loc, minlength=noted.size))
    s_noted = strength[noted]
    strength[noted] = s_noted + note_part * (1 - s_noted)
    np.minimum(strength, 1.0, out=strength)
    np.clip(strength, 0.0, 1.0, out=strength)
    np.round(strength, 6, out=strength)
    stale = ~has_tie
    stale[lst] = last_age > w.stale_days
    return Scored(
        a=pa,
        b=pb,
        strength=strength,
        context=primary.astype(np.int8),
        stale=stale,
        base=base,
        keys=uniq,
    )


_SLOTS = 2
"""People with at most this many dated jobs are matched slot by slot (no expansion)."""


@dataclass
class Jobs:
    """Dated jobs (or one slot of everyone's) as int32 columns: org, and the first and last
    day and month of the job (days and months since 1970; current jobs last until today)."""

    org: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    start_m: np.ndarray
    stop_m: np.ndarray

    def take(self, rows: np.ndarray, size: int, fill: np.ndarray) -> Jobs:
        """Columns indexed by ``fill`` (``rows[k]`` goes to ``fill[k]``), -1 elsewhere."""
        cols = []
        for col in (self.org, self.start, self.stop, self.start_m, self.stop_m):
            out = np.full(size, -1, dtype=np.int32)
            out[fill] = col[rows]
            cols.append(out)
        return Jobs(*cols)


def _overlaps(
    sig: Signals, pa: np.ndarray, pb: np.ndarray, today: np.datetime64
) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: months of the longest overlap at a shared employer (-1 if none) and the
    day it ended (days since 1970; meaningless where there is none), as int32.

    Only jobs with a start and an end (or current) can overlap. Most people have one or
    two such jobs, so their pairs are matched slot by slot (first job of ``a`` against
    first job of ``b``, …) with whole-column gathers into reused buffers; pairs where
    someone has more go through the general expansion. Ties on months go to the first
    match in job order.
    """
    n = pa.size
    best = np.full(n, -1, dtype=np.int32)
    stop_day = np.zeros(n, dtype=np.int32)
    if n == 0 or sig.emp_person.size == 0:
        return best, stop_day
    stop = np.where(np.isnat(sig.emp_end) & sig.emp_current, today, sig.emp_end)
    dated = np.flatnonzero(~(np.isnat(sig.emp_start) | np.isnat(stop)))
    if dated.size == 0:
        return best, stop_day
    start = sig.emp_start[dated]
    stop = stop[dated]
    jobs = Jobs(
        org=sig.emp_org[dated].astype(np.int32),
        start=start.astype(np.int64).astype(np.int32),
        stop=stop.astype(np.int64).astype(np.int32),
        start_m=start.astype("datetime64[M]").astype(np.int64).astype(np.int32),
        stop_m=stop.astype("datetime64[M]").astype(np.int64).astype(np.int32),
    )
    person = sig.emp_person[dated]
    size = int(max(person.max(), pa.max(), pb.max())) + 1
    order = sort_order(person)  # each person's jobs, in store order
    count = np.bincount(person, minlength=size)
    first = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(count, out=first[1:])
    many = count > _SLOTS
    slots = []
    for s0 in range(_SLOTS):
        has = np.flatnonzero((count > s0) & ~many)
        slots.append(jobs.take(order[first[has] + s0], size, has))
    org_a = np.empty(n, dtype=np.int32)
    org_b = np.empty(n, dtype=np.int32)
    known = np.empty(n, dtype=bool)
    same = np.empty(n, dtype=bool)
    for i, si in enumerate(slots):
        np.take(si.org, pa, out=org_a)
        np.greater_equal(org_a, 0, out=known)
        for j, sj in enumerate(slots):
            if i + j and not (count[~many] > max(i, j)).any():
                continue
            np.take(sj.org, pb, out=org_b)
            np.equal(org_a, org_b, out=same)
            same &= known
            hit = np.flatnonzero(same)
            for c in range(0, hit.size, _CHUNK):
                h = hit[c : c + _CHUNK]
                x, y = pa[h], pb[h]
                mon, hi, ok = _overlap_of(si, x, sj, y)
                ok &= mon > best[h]
                best[h[ok]] = mon[ok]
                stop_day[h[ok]] = hi[ok]
    del org_a, org_b, known, same
    general = np.flatnonzero(many[pa] | many[pb])
    if general.size:
        # Everyone's jobs against everyone's, in job order, for the remaining pairs.
        seg, item = _expand(first[pa[general] + 1] - first[pa[general]], first[pa[general]])
        pair, x = general[seg], order[item]
        seg, item = _expand(first[pb[pair] + 1] - first[pb[pair]], first[pb[pair]])
        pair, x, y = pair[seg], x[seg], order[item]
        match = jobs.org[x] == jobs.org[y]
        pair, x, y = pair[match], x[match], y[match]
        mon, hi, ok = _overlap_of(jobs, x, jobs, y)
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


def _overlap_of(
    jx: Jobs, x: np.ndarray, jy: Jobs, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Months of overlap of jobs ``jx[x]`` and ``jy[y]``, its last day, and whether they
    overlap at all (a later start than the other's end)."""
    lo = np.maximum(jx.start[x], jy.start[y])
    hi = np.minimum(jx.stop[x], jy.stop[y])
    ok = lo < hi
    mon = np.minimum(jx.stop_m[x], jy.stop_m[y])
    mon -= np.maximum(jx.start_m[x], jy.start_m[y])
    np.maximum(mon, 0, out=mon)
    return mon, hi, ok
