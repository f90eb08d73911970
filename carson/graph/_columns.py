"""Tie strength for every pair at once, over flat numpy columns of the store's signals.

This is the build-time twin of :meth:`StrengthModel.score`: the same formula (see
``strength.py``), vectorised, without evidence sentences. ``StrengthModel`` stays the
reference and the explainer: a route card asks it for one pair's evidence lazily, and a
test checks both agree on every pair of the demo network.

Scoring runs in two steps, ``score_pairs = finish(pair_stats(sig, w, now), sig, w, now)``:
``_stats.pair_stats`` turns tie and interaction rows into per-pair sums that do not depend
on ``now`` (the costly part: grouping ~20M rows by pair), which merge with the sums of rows
appended later and move to a later day exactly (``_stats.PairStats``); ``_finish.finish``
is the rest, one vectorised pass over the pairs at ``now``, with colleague overlap and
notes read whole. At 1M people / 9.6M pairs (a cold build of the routes bench's store,
median of 3, 2 cores; ``tools/bench/pair_stats_bench.py`` times the parts apart): ~1.9 s
for the sums (~414 MB of them, mostly first touches of that memory), ~0.75 s to finish.

This module holds what both steps share: the input columns (:class:`Signals`), the output
(:class:`Scored`) and the numpy helpers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from carson import _par
from carson.graph._snapshot import sort_pairs, sort_words
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
        if ta.dtype != tb.dtype or not bool((ta <= tb).all()):  # else they are min and max
            ta, tb = np.minimum(ta, tb), np.maximum(ta, tb)
        it = interactions
        return cls(
            tie_a=ta,
            tie_b=tb,
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

    def take(self, rows: np.ndarray) -> Scored:
        """The pairs at ``rows`` (indices or a mask), in that order."""
        return Scored(
            a=self.a[rows],
            b=self.b[rows],
            strength=self.strength[rows],
            context=self.context[rows],
            stale=self.stale[rows],
            base=self.base,
            keys=self.keys[rows],
        )

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
    ub, ushift = np.uint64(base), np.uint64(shift)
    firsts = [0, *np.cumsum(sizes).tolist()]  # each part's first row among all

    # The passes are split in chunks shared between two threads (``_par.chunks``): each
    # chunk writes its own slice of words, flags, keys and groups, and its own rows of inv.
    def pack(c: int, e: int) -> None:  # rows c:e of all parts, in part order
        for k, (x, y) in enumerate(parts):
            lo_row, hi_row = max(c, firsts[k]), min(e, firsts[k + 1])
            if lo_row >= hi_row:
                continue
            xc = x[lo_row - firsts[k] : hi_row - firsts[k]]
            yc = y[lo_row - firsts[k] : hi_row - firsts[k]]
            lo = np.minimum(xc, yc).astype(np.uint64)
            lo *= ub
            lo += np.maximum(xc, yc).astype(np.uint64)
            lo <<= ushift
            lo |= np.arange(lo_row, hi_row, dtype=np.uint64)
            words[lo_row:hi_row] = lo

    _par.chunks(pack, total, _CHUNK)
    sort_words(words)
    # Pass 1: where a new key starts, and how many start in each chunk; pass 2: the keys,
    # and each row's group number.
    new = np.empty(total, dtype=bool)
    starts_in = np.zeros(-(-total // _CHUNK), dtype=np.int64)

    def flags(c: int, e: int) -> None:
        v = words[c:e] >> ushift
        part = new[c:e]
        part[0] = c == 0 or v[0] != words[c - 1] >> ushift
        np.not_equal(v[1:], v[:-1], out=part[1:])
        starts_in[c // _CHUNK] = np.count_nonzero(part)

    _par.chunks(flags, total, _CHUNK)
    before = np.cumsum(starts_in) - starts_in
    uniq = np.empty(int(starts_in.sum()), dtype=np.int64)
    inv = np.empty(total, dtype=np.int32 if total < 2**31 else np.int64)
    mask = np.uint64((1 << shift) - 1)

    def number(c: int, e: int) -> None:
        w = words[c:e]
        flag = new[c:e]
        done = int(before[c // _CHUNK])
        group = np.cumsum(flag, dtype=inv.dtype)
        group += done - 1
        got = (w[flag] >> ushift).view(np.int64)
        uniq[done : done + got.size] = got
        inv[(w & mask).view(np.int64)] = group

    _par.chunks(number, total, _CHUNK)
    return uniq, np.split(inv, np.cumsum(sizes)[:-1])


_OUT, _IN, _MUTUAL = 1, 2, 4
"""Bits of :attr:`PairStats.dirs`: the owner wrote, the other wrote, a two-way exchange."""
