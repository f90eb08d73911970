"""The vectorised strength pass agrees with StrengthModel, the per-pair reference."""

from __future__ import annotations

import pytest

from carson.graph import load_network
from carson.graph._columns import CONTEXTS
from carson.store import Store


def test_every_demo_pair_matches_the_reference_model(demo_store: Store) -> None:
    net = load_network(demo_store)
    sc = net.pairs
    assert sc is not None and sc.a.size > 4000
    contexts = set()
    for i in range(sc.a.size):
        a, b = int(sc.a[i]), int(sc.b[i])
        ref = net.tie(a, b)
        assert ref is not None
        assert float(sc.strength[i]) == pytest.approx(ref.strength, abs=2e-6), (a, b)
        assert CONTEXTS[int(sc.context[i])] == ref.context.value, (a, b)
        assert bool(sc.stale[i]) == ref.stale, (a, b)
        contexts.add(ref.context.value)
    # The demo exercises ties, colleague overlap, co-presence and the fallbacks.
    assert {"friend", "colleague", "linkedin", "acquaintance"} <= contexts
    assert contexts & {"co-attendee", "co-recipient"}


def test_graph_view_and_tie_evidence_are_consistent(demo_store: Store) -> None:
    net = load_network(demo_store)
    me = net.me_id
    assert me is not None
    friend = max(net.graph.neighbors(me), key=lambda o: net.graph.edges[me, o]["strength"])
    info = net.tie(me, friend)
    assert info is not None and info.evidence
    assert net.graph.edges[me, friend]["strength"] == pytest.approx(info.strength, abs=2e-6)
    assert net.tie(me, me) is None


@pytest.mark.parametrize("multi", [False, True])
def test_hand_built_world_matches_the_reference(store: Store, multi: bool) -> None:
    from test_graph_routes import NOW, build_world

    from carson.models import TieContext

    w = build_world(store)
    if multi:  # several contexts on one pair, equal bases (teammate = friend), colleagues
        with store.write():
            w.tie("Sam Seller", "John Jacobs", TieContext.classmate)
            w.tie("John Jacobs", "Harry Smith", TieContext.linkedin)
            w.tie("Sam Seller", "Priya Patel", TieContext.friend)
            w.tie("Sam Seller", "Marcus Chen", TieContext.linkedin)
    net = load_network(store, now=NOW)
    sc = net.pairs
    assert sc is not None and sc.a.size >= 7
    for i in range(sc.a.size):
        ref = net.tie(int(sc.a[i]), int(sc.b[i]))
        assert ref is not None
        assert float(sc.strength[i]) == pytest.approx(ref.strength, abs=2e-6)
        assert CONTEXTS[int(sc.context[i])] == ref.context.value
        assert bool(sc.stale[i]) == ref.stale
        if multi and {w.ids["Sam Seller"], w.ids["Priya Patel"]} == {int(sc.a[i]), int(sc.b[i])}:
            assert ref.context == TieContext.teammate
            assert len(ref.contexts) == 2


def test_slot_matching_of_jobs_equals_the_general_expansion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """People with one or two dated jobs are matched slot by slot; the answer (longest
    overlap, first match on ties, its end) must be the one the all-pairs expansion gives."""
    import numpy as np

    from carson.graph import _finish
    from carson.graph._columns import Signals
    from carson.graph._finish import _overlaps

    rng = np.random.default_rng(5)
    today = np.datetime64("2026-02-02")
    empty = np.empty(0, dtype=np.int64)
    slot_hits = 0
    for t in range(400):
        people = int(rng.integers(2, 30))
        jobs = int(rng.integers(1, 2 * people + 1) if t % 2 else rng.integers(1, 80))
        start = np.datetime64("2015-01-01") + rng.integers(0, 3000, jobs).astype("timedelta64[D]")
        start[rng.random(jobs) < 0.1] = np.datetime64("NaT")
        end = start + rng.integers(0, 2000, jobs).astype("timedelta64[D]")
        current = rng.random(jobs) < 0.4
        end[current | (rng.random(jobs) < 0.1)] = np.datetime64("NaT")
        m = int(rng.integers(1, 60))
        a, b = rng.integers(0, people, m), rng.integers(0, people, m)
        sig = Signals(
            tie_a=a,
            tie_b=b,
            tie_ctx=np.zeros(m, dtype=np.int16),
            it_id=empty,
            it_at=empty,
            it_channel=empty.astype(np.int16),
            it_dir=empty.astype(np.int8),
            it_pid=empty,
            emp_person=rng.integers(0, people, jobs),
            emp_org=rng.integers(0, int(rng.integers(1, 5)), jobs),
            emp_start=start,
            emp_end=end,
            emp_current=current,
            note_a=empty,
            note_b=empty,
        )
        months, last = _overlaps(sig, a, b, today)
        with monkeypatch.context() as mp:
            mp.setattr(_finish, "_SLOTS", 0)
            ref_months, ref_last = _overlaps(sig, a, b, today)
        assert months.tolist() == ref_months.tolist()
        found = months >= 0
        assert last[found].tolist() == ref_last[found].tolist()
        slot_hits += int(found.sum())
    assert slot_hits > 1000
