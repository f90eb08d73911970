"""The graph's on-disk cache: same answers as a build, rebuilt after any write, and a
damaged or mismatched entry is ignored (rebuilt), never an error."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from carson.graph import _cache, build_network, find_routes, invalidate, load_network
from carson.graph.network import Network
from carson.graph.weights import GraphWeights
from carson.store import Store


@pytest.fixture(autouse=True)
def _fresh_process_cache() -> Iterator[None]:
    invalidate()
    yield
    invalidate()


def _entries(home: Path, kind: str = "graph") -> list[Path]:
    root = _cache.root(home, kind)
    return sorted(p for p in root.iterdir() if not p.name.startswith(".")) if root.exists() else []


def _routes(store: Store, net: Network) -> list[dict[str, object]]:
    got = find_routes(store, target_company="Goldman Sachs", network=net)
    got += find_routes(store, target_company="Morgan Stanley", via_team=True, network=net)
    got += find_routes(store, target_person="Harry Smith", network=net)
    return [r.model_dump(mode="json") for r in got]


def _assert_same(a: Network, b: Network, *, grown: bool = False) -> None:
    """Identical arrays; a network grown from an earlier build may differ from a fresh
    build's strengths in the last of their 6 rounded places (its decayed sums were scaled
    rather than summed anew), and its costs by as little."""
    for f in ("ids", "indptr", "indices", "cost", "tcost"):
        x, y = getattr(a.snapshot, f), getattr(b.snapshot, f)
        assert (
            np.allclose(x, y, rtol=0, atol=1e-5) if grown and f == "cost" else np.array_equal(x, y)
        ), f
    for f in ("a", "b", "strength", "context", "stale", "keys"):
        x, y = getattr(a.pairs, f), getattr(b.pairs, f)
        same = (
            np.allclose(x, y, rtol=0, atol=1.01e-6)
            if grown and f == "strength"
            else np.array_equal(x, y)
        )
        assert same, f
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


def _add_contact(store: Store, name: str, at: datetime, *, job: str | None = None) -> int:
    """A new person with a tie to the user, an e-mail thread with them and a job: what an
    import adds (rows only, no edits)."""
    from carson.models import (
        Channel,
        Direction,
        Employment,
        Interaction,
        Organization,
        Person,
        Tie,
        TieContext,
    )

    me = store.me()
    assert me is not None and me.id is not None
    with store.write():
        pid = store.add_person(Person(name=name)).id or 0
        store.add_tie(Tie(a=min(me.id, pid), b=max(me.id, pid), context=TieContext.client))
        for k in range(3):
            store.add_interaction(
                Interaction(
                    at=at - timedelta(days=10 * k),
                    channel=Channel.email,
                    direction=Direction.inbound if k % 2 else Direction.outbound,
                    participants=[me.id, pid],
                    source_id=f"{name}-{k}",
                )
            )
        if job:
            org = store.organization_named(job) or store.add_organization(Organization(name=job))
            store.add_employment(
                Employment(person_id=pid, org_id=org.id or 0, title="VP Payroll", current=True)
            )
    return pid


def test_rows_added_since_the_last_build_are_added_to_it(demo_store: Store) -> None:
    """An import's new people, ties, interactions and jobs are read alone and merged into
    the last build's sums and snapshot: the same network a build from scratch gives."""
    built = load_network(demo_store)
    assert not built.grown
    pid = _add_contact(
        demo_store, "Nadia Okafor", built.now - timedelta(days=3), job="Goldman Sachs"
    )
    grown = _from_disk(demo_store)
    assert grown.grown and not grown.from_cache
    fresh = build_network(demo_store)
    _assert_same(grown, fresh, grown=True)
    assert grown.people[pid].company == "Goldman Sachs"
    me = grown.me_id
    assert me is not None and grown.graph.has_edge(me, pid)
    assert _routes(demo_store, grown) == _routes(demo_store, fresh)
    assert any(
        r.path[-1] == pid
        for r in find_routes(demo_store, target_company="Goldman Sachs", network=grown)
    )
    # The grown network was saved: the next process loads it as it is.
    again = _from_disk(demo_store)
    assert again.from_cache
    _assert_same(again, grown)


def test_a_new_day_starts_from_the_last_build(demo_store: Store) -> None:
    """Strengths decay daily: the next day's network rescales the saved sums (including a
    meeting that was in the future and now is past) rather than reading the store."""
    day = load_network(demo_store).now
    _add_contact(demo_store, "Future Meeting", day + timedelta(days=5))
    load_network(demo_store)
    for later in (day + timedelta(days=1), day + timedelta(days=40)):
        invalidate()
        grown = load_network(demo_store, now=later)
        assert grown.grown and grown.now == later
        fresh = build_network(demo_store, now=later)
        _assert_same(grown, fresh, grown=True)
        assert _routes(demo_store, grown) == _routes(demo_store, fresh)


def test_a_new_day_links_the_columns_it_did_not_change(demo_store: Store) -> None:
    """The next day's entry shares the files of the columns that stayed the same (the
    layout of the routing arrays, the people, the sums) instead of writing them again."""
    day = load_network(demo_store).now
    (first,) = _entries(demo_store.home)
    invalidate()
    assert load_network(demo_store, now=day + timedelta(days=1)).grown
    (second,) = [e for e in _entries(demo_store.home) if e != first]
    for name in ("snap_indices", "snap_indptr", "people_ids", "stats_weighted"):
        assert (first / f"{name}.npy").stat().st_ino == (second / f"{name}.npy").stat().st_ino
    assert (first / "snap_cost.npy").stat().st_ino != (second / "snap_cost.npy").stat().st_ino
    assert _from_disk(demo_store).from_cache


def test_edited_ties_and_interactions_are_summed_again_for_the_people_they_touch(
    demo_store: Store,
) -> None:
    """An edit of a tie or an interaction (or its deletion) logs the people it touched;
    the next network drops their pairs' sums and sums their rows again, by index."""
    tie_id, a, b, _ = _first_tie(demo_store)
    load_network(demo_store)
    with demo_store.write():
        demo_store.db.execute("UPDATE ties SET context = 'linkedin' WHERE id = ?", (tie_id,))
    after = _from_disk(demo_store)
    assert after.grown
    assert after.graph.edges[a, b]["context"] != "friend"
    _assert_same(after, build_network(demo_store), grown=True)
    with demo_store.write():
        demo_store.db.execute(
            "DELETE FROM interactions WHERE id = (SELECT max(id) FROM interactions)"
        )
        demo_store.db.execute(
            "UPDATE interactions SET at = '1990-01-01T09:00:00'"
            " WHERE id = (SELECT min(id) FROM interactions)"
        )
    after = _from_disk(demo_store)
    assert after.grown
    _assert_same(after, build_network(demo_store), grown=True)
    assert _routes(demo_store, after) == _routes(demo_store, build_network(demo_store))
    # Rows deleted at the top, then new ones that reuse their rowids: still new.
    top_tie = demo_store.db.execute("SELECT max(id) FROM ties").fetchone()[0]
    top_it = demo_store.db.execute("SELECT max(id) FROM interactions").fetchone()[0]
    with demo_store.write():
        demo_store.db.execute("DELETE FROM ties WHERE id = ?", (top_tie,))
        demo_store.db.execute("DELETE FROM interactions WHERE id >= ?", (top_it - 2,))
    _add_contact(demo_store, "Nadia Okafor", after.now - timedelta(days=2))
    assert demo_store.db.execute("SELECT max(id) FROM ties").fetchone()[0] == top_tie
    after = _from_disk(demo_store)
    assert after.grown
    _assert_same(after, build_network(demo_store), grown=True)


def test_a_merge_of_two_people_is_grown_and_too_many_edits_read_everything(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from carson.graph import _grow
    from carson.ingest.dedupe import merge

    # Two busy people (not the user, nor anyone the routes below name).
    named = {p.id for n in ("Harry Smith", "John Jacobs") for p in demo_store.people_named(n)}
    me = demo_store.me()
    busy = [
        int(r[0])
        for r in demo_store.db.execute(
            "SELECT person_id FROM interaction_people GROUP BY person_id"
            " ORDER BY count(*) DESC, person_id LIMIT 10"
        )
        if me is None or r[0] != me.id
    ]
    keep, gone = [p for p in busy if p not in named][:2]
    load_network(demo_store)
    merge(demo_store, keep, gone)  # ties and interactions move, a person goes
    merged = _from_disk(demo_store)
    assert merged.grown and gone not in merged.people
    _assert_same(merged, build_network(demo_store), grown=True)
    assert _routes(demo_store, merged) == _routes(demo_store, build_network(demo_store))
    monkeypatch.setattr(_grow, "REDO_MAX", 1)
    tie_id, *_ = _first_tie(demo_store)
    with demo_store.write():
        demo_store.db.execute("UPDATE ties SET context = 'family' WHERE id = ?", (tie_id,))
    everything = _from_disk(demo_store)
    assert not everything.grown and not everything.from_cache
    _assert_same(everything, build_network(demo_store))


def test_renamed_people_and_edited_jobs_are_read_again_and_the_rest_grown(
    demo_store: Store,
) -> None:
    harry = demo_store.people_named("Harry Smith")[0]
    assert harry.id is not None
    load_network(demo_store)
    with demo_store.write():
        demo_store.update_person_fields(harry.id, name="Harold Smith")
        demo_store.db.execute(
            "UPDATE employments SET title = 'Partner' WHERE person_id = ? AND current = 1",
            (harry.id,),
        )
    grown = _from_disk(demo_store)
    assert grown.grown
    assert grown.people[harry.id].name == "Harold Smith"
    assert grown.people[harry.id].title == "Partner"
    _assert_same(grown, build_network(demo_store), grown=True)


def test_a_store_swapped_under_the_cache_is_read_again(demo_store: Store) -> None:
    """The rows at the last build's marks must still be the ones it read: in another file
    put in the store's place (a restored backup) they differ, and everything is read."""
    load_network(demo_store)
    (entry,) = _entries(demo_store.home)
    (feed,) = _entries(demo_store.home, "feed")
    for manifest in (entry / "manifest.json", feed / "manifest.json"):
        doc = json.loads(manifest.read_text())
        a, b, context = doc["state"]["rows"]["ties"]
        assert [a, b, context] == list(
            demo_store.db.execute(
                "SELECT a, b, context FROM ties ORDER BY id DESC LIMIT 1"
            ).fetchone()
        )
        doc["state"]["rows"]["ties"] = [a, b, "family" if context != "family" else "friend"]
        manifest.write_text(json.dumps(doc))
    _add_contact(demo_store, "Nadia Okafor", datetime(2026, 1, 5))
    after = _from_disk(demo_store)
    assert not after.grown and not after.from_cache
    _assert_same(after, build_network(demo_store))


def test_a_big_entry_is_written_in_the_background_and_before_exit(demo_store: Store) -> None:
    """Past ``_SAVE_INLINE`` bytes the entry is written by a thread (the network comes back
    first); a process that exits right away still leaves the whole entry behind."""
    code = (
        "import sys; from pathlib import Path; from carson.store import Store;"
        " from carson.graph import _load;"
        " _load._SAVE_INLINE = 0;"
        " net = _load.load_network(Store(Path(sys.argv[1]), create=False));"
        " print(len(_load._SAVING), net.from_cache)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(demo_store.home)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["1", "False"]  # returned with the write still pending
    (entry,) = _entries(demo_store.home)
    assert (entry / "manifest.json").exists()
    got = _from_disk(demo_store)
    assert got.from_cache
    _assert_same(got, build_network(demo_store))


def test_the_code_digest_covers_every_module_that_shapes_the_columns() -> None:
    """An entry is keyed on a digest of the sources that read, sum, score and pack the
    columns: a module left out would let an upgraded Carson load columns the old code made."""
    graph = Path(_cache.__file__).parent
    listed = {(graph / name).resolve() for name in _cache._SOURCES}
    needed = {p.resolve() for p in graph.glob("_*.py") if p.name != "__init__.py"}
    needed |= {(graph / n).resolve() for n in ("network.py", "weights.py", "../_par.py")}
    needed |= {
        (graph.parent / "store" / n).resolve()
        for n in ("graph_feed.py", "graph_edits.py", "_sql_columns.py")
    }
    assert needed - listed == set()
    assert all(p.exists() for p in listed)
