"""The graph's on-disk cache: same answers as a build, rebuilt after any write, and a
damaged or mismatched entry is ignored (rebuilt), never an error."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from carson.graph import _cache, build_network, find_routes, load_network
from carson.graph.network import Network, invalidate
from carson.graph.weights import GraphWeights
from carson.store import Store


@pytest.fixture(autouse=True)
def _fresh_process_cache() -> Iterator[None]:
    invalidate()
    yield
    invalidate()


def _entries(home: Path) -> list[Path]:
    root = _cache.root(home)
    return sorted(p for p in root.iterdir() if not p.name.startswith(".")) if root.exists() else []


def _routes(store: Store, net: Network) -> list[dict[str, object]]:
    got = find_routes(store, target_company="Goldman Sachs", network=net)
    got += find_routes(store, target_company="Morgan Stanley", via_team=True, network=net)
    got += find_routes(store, target_person="Harry Smith", network=net)
    return [r.model_dump(mode="json") for r in got]


def _assert_same(a: Network, b: Network) -> None:
    for f in ("ids", "indptr", "indices", "cost", "tcost"):
        assert np.array_equal(getattr(a.snapshot, f), getattr(b.snapshot, f)), f
    for f in ("a", "b", "strength", "context", "stale", "keys"):
        assert np.array_equal(getattr(a.pairs, f), getattr(b.pairs, f)), f
    assert a.pairs.base == b.pairs.base
    assert (a.me_id, a.team_ids, a.now) == (b.me_id, b.team_ids, b.now)
    assert dict(a.people) == dict(b.people)
    assert dict(a.staff) == dict(b.staff)
    assert dict(a.former) == dict(b.former)
    assert dict(a.titles) == dict(b.titles)
    assert a.orgs == b.orgs


def _from_disk(store: Store) -> Network:
    """``load_network`` as a new process would call it (nothing cached in memory)."""
    invalidate()
    return load_network(store)


def test_a_cache_hit_gives_what_a_build_gives(demo_store: Store) -> None:
    built = load_network(demo_store)
    assert not built.from_cache
    assert len(_entries(demo_store.home)) == 1
    loaded = _from_disk(demo_store)
    assert loaded.from_cache and loaded is not built
    fresh = build_network(demo_store)
    _assert_same(loaded, fresh)
    _assert_same(built, fresh)
    assert _routes(demo_store, loaded) == _routes(demo_store, fresh)
    me = loaded.me_id
    assert me is not None
    friend = max(loaded.graph.neighbors(me), key=lambda o: loaded.graph.edges[me, o]["strength"])
    assert loaded.graph.edges[me, friend] == fresh.graph.edges[me, friend]
    assert loaded.tie(me, friend) == fresh.tie(me, friend)


def test_a_new_process_loads_the_cache(demo_store: Store) -> None:
    load_network(demo_store)
    code = (
        "import sys; from pathlib import Path; from carson.store import Store;"
        " from carson.graph import load_network;"
        " net = load_network(Store(Path(sys.argv[1]), create=False));"
        " print(net.from_cache, net.people[net.me_id].name)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(demo_store.home)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert out[0] == "True"
    assert out[1:] == build_network(demo_store).people[demo_store.me().id].name.split()  # type: ignore[union-attr]


def _first_tie(store: Store) -> tuple[int, int, int, str]:
    me = store.me()
    assert me is not None and me.id is not None
    row = store.db.execute(
        "SELECT id, a, b, context FROM ties WHERE (a = ? OR b = ?) AND context = 'friend'"
        " ORDER BY id LIMIT 1",
        (me.id, me.id),
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2]), str(row[3])


def test_an_in_place_update_of_a_tie_rebuilds(demo_store: Store) -> None:
    tie_id, a, b, _ = _first_tie(demo_store)
    before = load_network(demo_store)
    assert before.graph.edges[a, b]["context"] == "friend"
    with demo_store.write():  # same counts, same ids: only the marker tells
        demo_store.db.execute("UPDATE ties SET context = 'linkedin' WHERE id = ?", (tie_id,))
    after = load_network(demo_store)
    assert after is not before and not after.from_cache
    assert after.graph.edges[a, b]["context"] != "friend"
    assert after.graph.edges[a, b]["strength"] < before.graph.edges[a, b]["strength"]
    again = _from_disk(demo_store)  # a new process sees the new entry, not the old one
    assert again.from_cache
    _assert_same(again, build_network(demo_store))


def test_an_in_place_update_of_an_interaction_date_rebuilds(demo_store: Store) -> None:
    me = demo_store.me()
    assert me is not None and me.id is not None
    iid, other = demo_store.db.execute(
        "SELECT p.interaction_id, q.person_id FROM interaction_people p"
        " JOIN interaction_people q ON q.interaction_id = p.interaction_id"
        " AND q.person_id != p.person_id WHERE p.person_id = ? ORDER BY p.interaction_id DESC"
        " LIMIT 1",
        (me.id,),
    ).fetchone()
    before = load_network(demo_store)
    strength = before.graph.edges[me.id, other]["strength"]
    with demo_store.write():
        demo_store.db.execute(
            "UPDATE interactions SET at = '1990-01-01T09:00:00' WHERE id = ?", (iid,)
        )
    after = _from_disk(demo_store)
    assert not after.from_cache
    _assert_same(after, build_network(demo_store))
    assert after.graph.edges[me.id, other]["strength"] != strength


def test_a_changed_current_job_moves_the_person(demo_store: Store) -> None:
    gs = demo_store.organization_named("Goldman Sachs")
    harry = demo_store.people_named("Harry Smith")[0]
    assert gs is not None and gs.id is not None and harry.id is not None
    before = load_network(demo_store)
    assert harry.id in before.staff[gs.id]
    job_id = demo_store.db.execute(
        "SELECT id FROM employments WHERE person_id = ? AND org_id = ? AND current = 1",
        (harry.id, gs.id),
    ).fetchone()[0]
    with demo_store.write():
        demo_store.update_employments([("Managing Director", "2026-01-31", 0, None, job_id)])
    after = _from_disk(demo_store)
    assert not after.from_cache
    assert harry.id not in after.staff.get(gs.id, [])
    assert (harry.id, date(2026, 1, 31)) in after.former[gs.id]
    routes = find_routes(demo_store, target_company="Goldman Sachs", network=after)
    assert all(r.path[-1] != harry.id for r in routes if r.kind.value != "alumni")


def _one_column(home: Path, name: str) -> Path:
    (entry,) = _entries(home)
    return entry / f"{name}.npy"


@pytest.mark.parametrize(
    "damage",
    ["truncate", "flip", "garbage_header", "delete", "manifest", "foreign_key"],
)
def test_a_damaged_entry_is_rebuilt_silently(demo_store: Store, damage: str) -> None:
    reference = build_network(demo_store)
    load_network(demo_store)
    path = _one_column(demo_store.home, "snap_cost")
    data = path.read_bytes()
    manifest = path.parent / "manifest.json"
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        mid = len(data) // 2
        path.write_bytes(data[:mid] + bytes([data[mid] ^ 0xFF]) + data[mid + 1 :])
    elif damage == "garbage_header":
        path.write_bytes(b"not numpy" + data[9:])
    elif damage == "delete":
        path.unlink()
    elif damage == "manifest":
        manifest.write_text("{")
    else:  # an entry whose manifest names another key under this key's directory name
        doc = json.loads(manifest.read_text())
        doc["key"]["marker"] += 1
        manifest.write_text(json.dumps(doc))
    net = _from_disk(demo_store)
    assert not net.from_cache
    _assert_same(net, reference)
    assert _routes(demo_store, net) == _routes(demo_store, reference)
    assert _from_disk(demo_store).from_cache  # the rebuild wrote a good entry back


def test_another_day_or_other_weights_are_not_reused(demo_store: Store) -> None:
    load_network(demo_store)
    day = datetime(2026, 5, 1)
    other_day = load_network(demo_store, now=day)
    assert not other_day.from_cache and other_day.now == day
    w = GraphWeights(half_life_days=30)
    other_w = load_network(demo_store, weights=w)
    assert not other_w.from_cache and other_w.weights == w
    _assert_same(other_w, build_network(demo_store, weights=w))
    assert len(_entries(demo_store.home)) == 3
    invalidate()
    assert load_network(demo_store, now=day).from_cache
    assert load_network(demo_store, weights=w).from_cache
    assert load_network(demo_store).from_cache
    load_network(demo_store, now=datetime(2026, 6, 1))
    assert len(_entries(demo_store.home)) == 3  # the oldest entry made room


def test_a_write_in_progress_is_never_cached(demo_store: Store) -> None:
    tie_id, a, b, _ = _first_tie(demo_store)
    before = load_network(demo_store)
    with pytest.raises(RuntimeError), demo_store.write():
        demo_store.db.execute("UPDATE ties SET context = 'linkedin' WHERE id = ?", (tie_id,))
        inside = load_network(demo_store)
        assert inside.graph.edges[a, b]["context"] != "friend"
        raise RuntimeError("roll back")
    after = _from_disk(demo_store)
    assert after.from_cache
    assert after.graph.edges[a, b]["context"] == "friend"
    _assert_same(after, before)


def test_a_second_writer_of_the_same_entry_replaces_it_whole(demo_store: Store) -> None:
    load_network(demo_store)
    (entry,) = _entries(demo_store.home)
    key = json.loads((entry / "manifest.json").read_text())["key"]
    cols = _cache.load(demo_store.home, key)
    assert cols is not None
    assert _cache.save(demo_store.home, key, cols)  # as a racing process would
    assert _entries(demo_store.home) == [entry]
    assert [p.name for p in _cache.root(demo_store.home).iterdir()] == [entry.name]
    assert _from_disk(demo_store).from_cache


def test_processes_building_at_once_leave_one_good_entry(demo_store: Store) -> None:
    code = (
        "import sys; from pathlib import Path; from carson.store import Store;"
        " from carson.graph import load_network;"
        " net = load_network(Store(Path(sys.argv[1]), create=False));"
        " print(net.from_cache, net.snapshot.n)"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(demo_store.home)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outs = [p.communicate()[0].split() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0]
    n = build_network(demo_store).snapshot.n
    assert all(int(o[1]) == n for o in outs)
    (entry,) = _entries(demo_store.home)
    assert [p.name for p in _cache.root(demo_store.home).iterdir()] == [entry.name]
    got = _from_disk(demo_store)
    assert got.from_cache
    _assert_same(got, build_network(demo_store))
