"""Per-pair statistics merge, rebase and finish to what scoring all rows at once gives.

Signals are store-shaped and random: ties in id order (several contexts on some pairs, no
(pair, context) twice), interactions whose participants are an owner and others, some
dated after the statistics' day (calendars hold future meetings), dated and undated jobs,
notes about a few people. Appended rows have bigger ids, and bring new people.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carson import _par
from carson.graph._columns import CONTEXTS, Scored, Signals, unix_seconds
from carson.graph._finish import finish, score_pairs
from carson.graph._stats import PairStats, pair_stats
from carson.graph.weights import GraphWeights

REF0 = datetime(2026, 3, 1, 8, 30)
CHANNELS = ["call", "email", "event", "meeting", "message"]
W = GraphWeights()


def _world(seed: int, people: int) -> tuple[Signals, int, int, int]:
    """All signals, and where the old part ends: tie rows, interaction rows, person ids."""
    rng = np.random.default_rng(seed)
    old_people = max(3, people * 2 // 3)

    def pick(k: int, hi: int, lo: int = 1) -> np.ndarray:
        return rng.integers(lo, hi + 1, k)

    # Ties: old ones among old people, appended ones touching new people too.
    ties: dict[tuple[int, int, int], None] = {}
    n_old_ties = 0
    for hi in (old_people, people):
        for _ in range(people * 2):
            a, b = pick(2, hi)
            if a == b:
                continue
            # A few pairs get several contexts (and often equal bases: friend = teammate).
            for c in rng.choice(len(CONTEXTS), 1 + (rng.random() < 0.2) * 2, replace=False):
                ties.setdefault((int(a), int(b), int(c)), None)
        if hi == old_people:
            n_old_ties = len(ties)
    t = np.array(list(ties), dtype=np.int64).reshape(-1, 3)
    tie_a, tie_b = np.minimum(t[:, 0], t[:, 1]), np.maximum(t[:, 0], t[:, 1])

    # Interactions: id order, owner at position 0, then the others (groups up to 14).
    ids: list[int] = []
    pid: list[int] = []
    at: list[int] = []
    chan: list[int] = []
    dirn: list[int] = []
    ref_s = int(unix_seconds(REF0))
    n_old_rows = 0
    iid = 0
    for part, hi in enumerate((old_people, people)):
        for k in range(people * 2):
            iid += 1
            size = int(rng.choice([2, 2, 2, 3, 4, 6, 13, 14]))
            who = rng.choice(np.arange(1, hi + 1), min(size, hi), replace=False)
            # Mostly past, some in the future of REF0 (and of the appended part's day),
            # always the first of each part: one and five months ahead.
            when = ref_s + int(rng.integers(-3 * 365, 240 if part else 120)) * 86400
            when += int(rng.integers(0, 86400))
            if k == 0:
                when = ref_s + (30 + 120 * part) * 86400
            elif rng.random() < 0.05:
                who[-1] = who[0]  # the owner listed twice: not a contact
            c, d = int(rng.integers(0, len(CHANNELS))), int(rng.integers(0, 3))
            for p in who:
                ids.append(iid)
                pid.append(int(p))
                at.append(when)
                chan.append(c)
                dirn.append(d)
        if part == 0:
            n_old_rows = len(ids)

    # Jobs: few orgs, dated or not, some current.
    n_jobs = people * 2
    start = np.datetime64("2012-01-01") + rng.integers(0, 5000, n_jobs).astype("timedelta64[D]")
    start[rng.random(n_jobs) < 0.1] = np.datetime64("NaT")
    end = start + rng.integers(30, 3000, n_jobs).astype("timedelta64[D]")
    current = rng.random(n_jobs) < 0.3
    end[current | (rng.random(n_jobs) < 0.1)] = np.datetime64("NaT")
    notes = [sorted(set(pick(int(rng.integers(2, 5)), people).tolist())) for _ in range(people)]
    na = [x for ppl in notes for i, x in enumerate(ppl) for _ in ppl[i + 1 :]]
    nb = [y for ppl in notes for i, _ in enumerate(ppl) for y in ppl[i + 1 :]]
    sig = Signals(
        tie_a=tie_a,
        tie_b=tie_b,
        tie_ctx=t[:, 2].astype(np.int16),
        it_id=np.array(ids, dtype=np.int64),
        it_at=np.array(at, dtype=np.int64),
        it_channel=np.array(chan, dtype=np.int16),
        it_dir=np.array(dirn, dtype=np.int8),
        it_pid=np.array(pid, dtype=np.int64),
        emp_person=pick(n_jobs, people),
        emp_org=pick(n_jobs, 4),
        emp_start=start,
        emp_end=end,
        emp_current=current,
        note_a=np.array(na, dtype=np.int64),
        note_b=np.array(nb, dtype=np.int64),
        channels=CHANNELS,
    )
    return sig, n_old_ties, n_old_rows, old_people


def _rows(sig: Signals, ties: slice, rows: slice) -> Signals:
    """The ties and interaction rows given (jobs and notes stay: finish reads them)."""
    return replace(
        sig,
        tie_a=sig.tie_a[ties],
        tie_b=sig.tie_b[ties],
        tie_ctx=sig.tie_ctx[ties],
        it_id=sig.it_id[rows],
        it_at=sig.it_at[rows],
        it_channel=sig.it_channel[rows],
        it_dir=sig.it_dir[rows],
        it_pid=sig.it_pid[rows],
    )


def _assert_same(got: Scored, ref: Scored) -> None:
    """Same pairs, context and staleness; strength within the last rounded place (sums
    added in another order, or rebased rather than decayed row by row, can land on the
    other side of a rounding boundary)."""
    assert got.base == ref.base
    assert got.a.dtype == ref.a.dtype and np.array_equal(got.a, ref.a)
    assert np.array_equal(got.b, ref.b)
    assert np.array_equal(got.keys, ref.keys)
    assert np.array_equal(got.context, ref.context)
    assert np.array_equal(got.stale, ref.stale)
    assert np.abs(got.strength - ref.strength).max(initial=0.0) <= 1e-6 + 1e-12


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    people=st.integers(4, 120),
    gap=st.integers(0, 200),
    later=st.integers(0, 400),
)
def test_merged_stats_finish_to_scoring_everything(
    seed: int, people: int, gap: int, later: int
) -> None:
    """Old rows' stats at ref0 merged with appended rows' at ref1 >= ref0, finished at
    now >= ref1, score as all rows at once; future-dated rows included, some of which are
    in the past by ref1 or by now."""
    sig, n_ties, n_rows, _ = _world(seed, people)
    ref1 = REF0 + timedelta(days=gap, hours=5)
    now = ref1 + timedelta(days=later, minutes=7)
    old = pair_stats(_rows(sig, slice(0, n_ties), slice(0, n_rows)), W, REF0)
    new = pair_stats(_rows(sig, slice(n_ties, None), slice(n_rows, None)), W, ref1)
    merged = old.merge(new)
    assert merged.ref == ref1
    _assert_same(finish(merged, sig, W, now), score_pairs(sig, W, now))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), people=st.integers(4, 120), days=st.integers(1, 900))
def test_rebased_stats_finish_to_scoring_at_the_later_day(
    seed: int, people: int, days: int
) -> None:
    sig, *_ = _world(seed, people)
    stats = pair_stats(sig, W, REF0)
    assert stats.fut_pair.size  # the world has future-dated contacts
    later = REF0 + timedelta(days=days, hours=3)
    rebased = stats.rebase(later)
    assert rebased.ref == later
    # Side rows that are past by then are folded in; the rest stay aside.
    assert (rebased.fut_at > unix_seconds(later)).all()
    assert rebased.fut_pair.size <= stats.fut_pair.size
    want = score_pairs(sig, W, later)
    _assert_same(finish(rebased, sig, W, later), want)
    # Finishing the older stats at the later day rebases on the fly: the same answer.
    _assert_same(finish(stats, sig, W, later), want)
    # And finishing stats at their own day is scoring, bit for bit.
    ref = score_pairs(sig, W, REF0)
    got = finish(stats, sig, W, REF0)
    assert np.array_equal(got.strength, ref.strength)


@pytest.mark.parametrize("threads", [False, True])
def test_appended_rows_in_several_deltas_merge_in_order(
    threads: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also with every pass split between two threads, as at scale."""
    if threads:
        monkeypatch.setattr(_par, "WAYS", 2)
        monkeypatch.setattr(_par, "SMALL", 0)
    sig, n_ties, n_rows, _ = _world(7, 90)
    cuts_t = [0, n_ties // 2, n_ties, (n_ties + sig.tie_a.size) // 2, sig.tie_a.size]
    # Cut interaction rows between interactions (a delta never splits one).
    starts = np.flatnonzero(np.diff(sig.it_id, prepend=-1))
    mid = int(starts[np.searchsorted(starts, n_rows // 2)])
    late = int(starts[np.searchsorted(starts, (n_rows + sig.it_id.size) // 2)])
    cuts_r = [0, mid, n_rows, late, sig.it_id.size]
    stats = None
    for k in range(4):
        day = REF0 + timedelta(days=30 * k)
        part = pair_stats(
            _rows(sig, slice(cuts_t[k], cuts_t[k + 1]), slice(cuts_r[k], cuts_r[k + 1])), W, day
        )
        stats = part if stats is None else stats.merge(part)
    assert stats is not None
    now = REF0 + timedelta(days=200)
    _assert_same(finish(stats, sig, W, now), score_pairs(sig, W, now))


def test_a_later_tie_with_an_equal_base_does_not_take_the_context() -> None:
    """friend and teammate have the same base: the earlier stored one names the pair."""
    empty = np.empty(0, dtype=np.int64)
    friend, teammate = CONTEXTS.index("friend"), CONTEXTS.index("teammate")
    family = CONTEXTS.index("family")
    assert W.context_base["friend"] == W.context_base["teammate"]

    world = _world(1, 4)[0]

    def ties(a: list[int], b: list[int], c: list[int]) -> Signals:
        return replace(
            world,
            tie_a=np.array(a),
            tie_b=np.array(b),
            tie_ctx=np.array(c, dtype=np.int16),
            it_id=empty,
            it_at=empty,
            it_channel=empty.astype(np.int16),
            it_dir=empty.astype(np.int8),
            it_pid=empty,
        )

    old = ties([1, 2], [2, 3], [friend, friend])
    new = ties([1, 2], [2, 3], [teammate, family])
    both = ties([1, 2, 1, 2], [2, 3, 2, 3], [friend, friend, teammate, family])
    merged = pair_stats(old, W, REF0).merge(pair_stats(new, W, REF0))
    assert merged.tie_ctx.tolist() == [friend, family]
    _assert_same(finish(merged, both, W, REF0), score_pairs(both, W, REF0))


def test_stats_round_trip_through_arrays() -> None:
    sig, *_ = _world(3, 60)
    stats = pair_stats(sig, W, REF0)
    cols = stats.arrays()
    assert all(isinstance(v, np.ndarray) for v in cols.values())
    back = PairStats.from_arrays(cols)
    assert back.ref == stats.ref and back.weights == stats.weights
    later = REF0 + timedelta(days=40)
    _assert_same(finish(back, sig, W, later), finish(stats, sig, W, later))
    broken = dict(cols, stats_count=cols["stats_count"][:-1])
    with pytest.raises(ValueError, match="differ in length"):
        PairStats.from_arrays(broken)


def test_going_back_in_time_or_mixing_weights_is_refused() -> None:
    sig, *_ = _world(4, 30)
    stats = pair_stats(sig, W, REF0)
    before = REF0 - timedelta(seconds=1)
    with pytest.raises(ValueError, match="back in time"):
        stats.rebase(before)
    with pytest.raises(ValueError, match="before their day"):
        finish(stats, sig, W, before)
    other = GraphWeights(half_life_days=90)
    with pytest.raises(ValueError, match="other weights"):
        finish(stats, sig, other, REF0)
    with pytest.raises(ValueError, match="different weights"):
        stats.merge(pair_stats(sig, other, REF0))


def test_empty_stats_merge_and_finish() -> None:
    sig, *_ = _world(5, 40)
    empty = pair_stats(_rows(sig, slice(0, 0), slice(0, 0)), W, REF0)
    assert empty.n == 0
    assert finish(empty, sig, W, REF0).a.size == 0
    full = pair_stats(sig, W, REF0)
    for merged in (empty.merge(full), full.merge(empty)):
        _assert_same(finish(merged, sig, W, REF0), score_pairs(sig, W, REF0))
