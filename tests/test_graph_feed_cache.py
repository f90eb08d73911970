"""The feed entry: the rows a whole build read, saved beside the graph cache. A build after
an upgrade or a change of weights starts from it (and what changed since) rather than
reading the store whole, and gives what a whole build gives; a damaged, foreign or
too-old feed entry is ignored, never an error."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from test_graph_cache import _add_contact, _assert_same, _entries, _from_disk, _routes

from carson.graph import _cache, _feed, _grow, build_network, invalidate, load_network
from carson.graph.weights import GraphWeights
from carson.ingest.dedupe import merge
from carson.store import Store


@pytest.fixture(autouse=True)
def _fresh_process_cache() -> Iterator[None]:
    invalidate()
    yield
    invalidate()


def _count_whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gets an item for each whole read of the store from now on."""
    reads: list[int] = []
    real = _feed.Feed.read.__func__  # type: ignore[attr-defined]

    def counted(cls: type[_feed.Feed], *a: object, **k: object) -> _feed.Feed:
        reads.append(1)
        return real(cls, *a, **k)  # type: ignore[no-any-return]

    monkeypatch.setattr(_feed.Feed, "read", classmethod(counted))
    return reads


def _upgrade(home: Path) -> None:
    """What a new version of the graph's code finds: no graph entry of its own."""
    shutil.rmtree(_cache.root(home))


def test_a_whole_build_saves_its_rows_and_a_rebuild_starts_from_them(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _count_whole_reads(monkeypatch)
    first = load_network(demo_store)
    assert not first.from_feed and reads == [1]
    assert len(_entries(demo_store.home, "feed")) == 1
    _upgrade(demo_store.home)
    monkeypatch.setattr(_cache, "_SMALL", 0)  # every column mapped read-only, as at scale
    again = _from_disk(demo_store)
    assert reads == [1]  # not read whole again
    assert again.from_feed and not again.grown and not again.from_cache
    fresh = build_network(demo_store)
    _assert_same(again, fresh)
    assert _routes(demo_store, again) == _routes(demo_store, fresh)
    assert _from_disk(demo_store).from_cache  # it saved a graph entry too


def test_other_weights_start_from_the_feed(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_network(demo_store)
    reads = _count_whole_reads(monkeypatch)
    w = GraphWeights(half_life_days=30)
    net = load_network(demo_store, weights=w)
    assert net.from_feed and net.weights == w and reads == []
    _assert_same(net, build_network(demo_store, weights=w))


def test_writes_since_the_feed_are_grown_onto_it(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New people and rows, an edited tie and a merge after the feed was read: the build
    from the feed is grown by them (read by index), as a graph entry would be."""
    built = load_network(demo_store)
    # Two busy people, neither in the rows at the feed's marks (a changed row there reads
    # as another file put in the store's place: everything is read again).
    at_marks = {
        int(x)
        for q in (
            "SELECT a, b FROM ties ORDER BY id DESC LIMIT 1",
            "SELECT person_id FROM interaction_people ORDER BY rowid DESC LIMIT 1",
            "SELECT person_id FROM employments ORDER BY id DESC LIMIT 1",
        )
        for x in demo_store.db.execute(q).fetchone()
    }
    pid = _add_contact(
        demo_store, "Nadia Okafor", built.now - timedelta(days=3), job="Goldman Sachs"
    )
    me = demo_store.me()
    assert me is not None and me.id is not None
    keep, gone = [
        int(r[0])
        for r in demo_store.db.execute(
            "SELECT person_id FROM interaction_people GROUP BY person_id"
            " ORDER BY count(*) DESC, person_id LIMIT 20"
        )
        if r[0] not in at_marks | {me.id, pid}
    ][:2]
    merge(demo_store, keep, gone)
    with demo_store.write():
        demo_store.db.execute(
            "UPDATE ties SET context = 'family' WHERE id = (SELECT min(id) FROM ties)"
        )
    _upgrade(demo_store.home)
    reads = _count_whole_reads(monkeypatch)
    net = _from_disk(demo_store)
    assert net.from_feed and net.grown and reads == []
    assert gone not in net.people and net.people[pid].company == "Goldman Sachs"
    fresh = build_network(demo_store)
    _assert_same(net, fresh, grown=True)
    assert _routes(demo_store, net) == _routes(demo_store, fresh)


def test_too_many_edits_since_the_feed_read_everything_and_save_a_new_feed(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_network(demo_store)
    (old,) = _entries(demo_store.home, "feed")
    with demo_store.write():
        demo_store.db.execute("UPDATE ties SET context = 'family' WHERE id <= 3")
    _upgrade(demo_store.home)
    monkeypatch.setattr(_grow, "REDO_MAX", 1)
    reads = _count_whole_reads(monkeypatch)
    net = _from_disk(demo_store)
    assert reads == [1] and not net.from_feed and not net.grown
    _assert_same(net, build_network(demo_store))
    (new,) = _entries(demo_store.home, "feed")  # the old one made room
    assert new != old
    _upgrade(demo_store.home)
    reads.clear()
    assert _from_disk(demo_store).from_feed and reads == []


def test_a_feed_older_than_most_of_the_store_is_not_grown(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Growing reads the rows added since on one connection: when more came since than
    the feed holds, reading everything (on two) is quicker."""
    read_at = dict.fromkeys(("people", "employments", "ties", "interactions"), 10)
    read_at["interaction_people"] = 10
    assert _feed.worth_growing(read_at, {**read_at, "ties": 60, "graph_touched": 99})
    assert not _feed.worth_growing(read_at, {**read_at, "ties": 61, "graph_touched": 0})
    load_network(demo_store)
    _add_contact(demo_store, "Nadia Okafor", datetime(2026, 1, 5))
    _upgrade(demo_store.home)
    monkeypatch.setattr(_feed, "worth_growing", lambda *_: False)
    reads = _count_whole_reads(monkeypatch)
    assert not _from_disk(demo_store).from_feed and reads == [1]


@pytest.mark.parametrize("damage", ["flip", "delete", "manifest", "rows", "code"])
def test_a_damaged_or_foreign_feed_is_read_again_silently(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    load_network(demo_store)
    (entry,) = _entries(demo_store.home, "feed")
    column, manifest = entry / "tie_a.npy", entry / "manifest.json"
    if damage == "flip":
        data = column.read_bytes()
        column.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    elif damage == "delete":
        column.unlink()
    elif damage == "manifest":
        manifest.write_text("{")
    elif damage == "rows":  # another file put in the store's place since
        doc = json.loads(manifest.read_text())
        doc["state"]["rows"]["ties"][2] = "nonsense"
        manifest.write_text(json.dumps(doc))
        _add_contact(demo_store, "Nadia Okafor", datetime(2026, 1, 5))
    else:  # a feed saved by other reading code
        monkeypatch.setattr(_feed, "SOURCES", (*_feed.SOURCES, "another.py"))
    _upgrade(demo_store.home)
    reads = _count_whole_reads(monkeypatch)
    net = _from_disk(demo_store)
    assert reads == [1] and not net.from_feed
    _assert_same(net, build_network(demo_store))


def test_the_feed_digest_covers_every_module_that_reads_it() -> None:
    """A feed entry is keyed on the sources that read the rows: a module left out would let
    an upgraded Carson build from rows the old code read differently."""
    graph = Path(_feed.__file__).parent
    listed = {(graph / name).resolve() for name in _feed.SOURCES}
    needed = {(graph / n).resolve() for n in ("_feed.py", "_cache.py", "_tables.py", "_columns.py")}
    needed |= {(graph.parent / "_par.py").resolve()}
    needed |= {
        (graph.parent / "store" / n).resolve()
        for n in ("graph_feed.py", "graph_edits.py", "_sql_columns.py")
    }
    assert needed - listed == set()
    assert all(p.exists() for p in listed)
