"""The graph feed reads the same facts as plain SQL over the tables, as columns or per pair."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from carson import _par
from carson.graph import build_network
from carson.graph._columns import CONTEXTS
from carson.store import Store, _sql_columns, graph_edits, graph_feed


def test_tie_columns_match_the_table_in_id_order(demo_store: Store) -> None:
    a, b, c = graph_feed.tie_columns(demo_store, CONTEXTS)
    rows = demo_store.db.execute("SELECT a, b, context FROM ties ORDER BY id").fetchall()
    assert a.size == len(rows) > 1000
    assert a.tolist() == [r[0] for r in rows]
    assert b.tolist() == [r[1] for r in rows]
    assert [CONTEXTS[i] for i in c.tolist()] == [r[2] for r in rows]
    # A context outside the list reads as -1.
    _, _, c2 = graph_feed.tie_columns(demo_store, ["friend"])
    assert set(c2.tolist()) == {-1, 0}


def _joined(store: Store) -> list[tuple[int, int, str, str, int]]:
    """The reference: the join the feed replaces, with SQLite's own date arithmetic."""
    return [
        tuple(r)
        for r in store.db.execute(
            "SELECT i.id, CAST(strftime('%s', substr(i.at, 1, 19)) AS INTEGER), i.channel,"
            " i.direction, p.person_id FROM interactions i"
            " JOIN interaction_people p ON p.interaction_id = i.id ORDER BY i.id, p.position"
        )
    ]


def _as_rows(ic: graph_feed.InteractionColumns) -> list[tuple[int, int, str, str, int]]:
    dirs = ("mutual", "outbound", "inbound")
    return [
        (i, t, ic.channels[c], dirs[d], p)
        for i, t, c, d, p in zip(
            ic.id.tolist(),
            ic.at.tolist(),
            ic.channel.tolist(),
            ic.direction.tolist(),
            ic.person.tolist(),
            strict=True,
        )
    ]


def test_interaction_columns_match_the_sql_join(demo_store: Store) -> None:
    ref = _joined(demo_store)
    assert len(ref) > 1000
    assert {r[3] for r in ref} <= {"mutual", "outbound", "inbound"}
    assert _as_rows(graph_feed.interaction_columns(demo_store)) == ref


def test_interaction_columns_sort_and_join_out_of_order_rows(store: Store) -> None:
    from carson.models import Person

    with store.write():
        ids = [store.add_person(Person(name=f"P{i}")).id for i in range(4)]
        db = store.db
        db.execute(
            "INSERT INTO interactions (id, at, channel, direction) VALUES"
            " (7, '2025-03-04T10:20:30+02:00', 'meeting', 'mutual'),"
            " (3, '2024-01-02T03:04:05', 'fax', 'outbound'),"  # a channel the model lacks
            " (9, '2024-05-05T00:00:00', 'call', 'inbound')"  # nobody on it: dropped
        )
        # Participants stored out of (interaction, position) order.
        db.executemany(
            "INSERT INTO interaction_people (interaction_id, person_id, position) VALUES (?, ?, ?)",
            [(7, ids[2], 2), (3, ids[1], 1), (7, ids[0], 0), (3, ids[0], 0), (7, ids[3], 1)],
        )
    got = _as_rows(graph_feed.interaction_columns(store))
    assert got == _joined(store)
    assert [r[4] for r in got] == [ids[0], ids[1], ids[0], ids[3], ids[2]]
    assert got[2][1] == 1741083630  # 2025-03-04T10:20:30 as wall clock, offset ignored


def test_pair_reads_find_one_pairs_rows(demo_store: Store) -> None:
    a, b = demo_store.db.execute(
        "SELECT a, b FROM ties WHERE evidence != '[]' ORDER BY id LIMIT 1"
    ).fetchone()
    ties = graph_feed.pair_ties(demo_store, b, a)
    assert ties and all((t[1], t[2]) == (a, b) for t in ties)
    assert all(isinstance(json.loads(t[5]), list) for t in ties)
    shared = {r[0] for r in graph_feed.shared_interactions(demo_store, a, b)}
    both = {
        r[0]
        for r in demo_store.db.execute(
            "SELECT interaction_id FROM interaction_people WHERE person_id = ?"
            " INTERSECT SELECT interaction_id FROM interaction_people WHERE person_id = ?",
            (a, b),
        )
    }
    assert shared == both
    for n in graph_feed.shared_notes(demo_store, a, b):
        assert {a, b} <= {int(x) for x in n[4].split(",")}
    jobs = graph_feed.employment_rows(demo_store, [a, b])
    assert {j[0] for j in jobs} <= {a, b}


def test_evidence_is_read_on_demand_even_after_the_store_closed(demo_home: Path) -> None:
    store = Store(demo_home)
    net = build_network(store)
    me = net.me_id
    assert me is not None
    friend = max(net.graph.neighbors(me), key=lambda o: net.graph.edges[me, o]["strength"])
    before = net.tie(me, friend)
    store.close()
    net._ties.clear()  # forget the cached explanation: read again from a reopened store
    after = net.tie(me, friend)
    assert before is not None and before.evidence
    assert after == before
    assert np.isclose(after.strength, net.graph.edges[me, friend]["strength"], atol=2e-6)


def test_write_marker_changes_with_every_committed_write_and_only_then(store: Store) -> None:
    from carson.models import Person

    first = store.write_marker()
    assert first != 0  # migrations give a new file its first marker
    with store.write():
        pid = store.add_person(Person(name="Ada Lovelace")).id
    added = store.write_marker()
    assert added != first
    with store.write():  # a transaction that changes no row
        store.get_meta("anything")
    assert store.write_marker() == added
    with pytest.raises(RuntimeError), store.write():
        store.update_person_fields(pid, name="Ada King")
        raise RuntimeError("rolled back")
    assert store.write_marker() == added
    # An in-place UPDATE (no new row, same counts) changes it too, seen from another
    # connection to the same file.
    with store.write():
        store.update_person_fields(pid, name="Ada King")
    other = Store(store.home)
    assert other.write_marker() == store.write_marker() != added
    other.close()


def test_writes_the_graph_does_not_read_leave_the_marker_and_its_cache_be(
    store: Store,
) -> None:
    """A search's index rows, a logged outcome and a note about one person change none of
    the graph's pairs, so a million-person graph is not rebuilt after them; a note about
    two people links them, so it is."""
    from datetime import datetime

    from carson.graph import load_network
    from carson.models import Note, Outcome, OutcomeKind, Person

    with store.write():
        a = store.add_person(Person(name="Ada Lovelace", is_me=True)).id or 0
        b = store.add_person(Person(name="Charles Babbage")).id or 0
    net = load_network(store)
    marker = store.write_marker()
    with store.write():
        nid = store.add_note(Note(text="Coffee with Ada", at=datetime(2025, 1, 1), people=[a])).id
        store.put_note_index_rows("some-embedder", [(nid or 0, b"\0" * 8, [])])
        store.add_outcome(
            Outcome(at=datetime(2025, 1, 3), path=[a, b], outcome=OutcomeKind.declined)
        )
    assert store.write_marker() == marker
    assert load_network(store) is net  # the same cached network
    with store.write():
        store.clear_note_index_rows()
    assert store.write_marker() == marker
    with store.write():  # a graph row inside the same transaction still counts
        store.add_outcome(
            Outcome(at=datetime(2025, 1, 4), path=[a, b], outcome=OutcomeKind.intro_made)
        )
        store.add_note(Note(text="Ada and Charles", at=datetime(2025, 1, 2), people=[a, b]))
    assert store.write_marker() != marker
    assert load_network(store) is not net


def test_people_and_job_columns_match_the_rows(demo_store: Store) -> None:
    people = graph_feed.people_columns(demo_store)
    assert people is not None
    rows = graph_feed.people_rows(demo_store)
    assert people.id.tolist() == [r[0] for r in rows]
    assert people.flags.tolist() == [(r[2] and 1) | (r[3] and 2) for r in rows]
    assert people.name_buf.tobytes().decode() == "".join(r[1] for r in rows)
    assert people.name_len.tolist() == [len(r[1].encode()) for r in rows]
    jobs = graph_feed.job_columns(demo_store)
    assert jobs is not None
    ref = graph_feed.employment_rows(demo_store)
    day = lambda s: (  # noqa: E731
        graph_feed.NO_DAY if s is None else int(np.datetime64(s, "D").astype(np.int64))
    )
    assert list(
        zip(
            jobs.person.tolist(),
            jobs.org.tolist(),
            jobs.title,
            jobs.start.tolist(),
            jobs.end.tolist(),
            jobs.current.tolist(),
            strict=True,
        )
    ) == [(p, o, t, day(s), day(e), bool(c)) for p, o, t, s, e, c in ref]
    assert any(t is None for t in jobs.title) or all(r[2] is not None for r in ref)


def test_a_nul_in_a_name_or_title_falls_back_to_rows(store: Store) -> None:
    from datetime import date

    from carson.graph import build_network
    from carson.models import Employment, Organization, Person

    with store.write():
        a = store.add_person(Person(name="Nul\x00Name", is_me=True)).id
        b = store.add_person(Person(name="Bea")).id
        o = store.add_organization(Organization(name="Acme")).id
        assert a is not None and b is not None and o is not None
        store.add_employment(
            Employment(person_id=b, org_id=o, title="VP\x00Sales", start=date(2020, 1, 2))
        )
        store.add_employment(Employment(person_id=a, org_id=o, title=None))
    assert graph_feed.people_columns(store) is None
    assert graph_feed.job_columns(store) is None
    net = build_network(store)
    assert net.people[a].name == "Nul\x00Name"
    assert net.people[b].title == "VP\x00Sales" and net.people[a].title is None
    assert net.staff[o] == [b, a]


@pytest.mark.parametrize("odd_position", [70_000, -3, -1])
def test_participants_outside_the_packed_range_are_read_exactly(
    store: Store, odd_position: int
) -> None:
    from carson.models import Person

    with store.write():
        ids = [store.add_person(Person(name=f"P{i}")).id for i in range(3)]
        db = store.db
        db.execute(
            "INSERT INTO interactions (id, at, channel, direction) VALUES"
            " (1, '2025-03-04T10:20:30', 'meeting', 'mutual')"
        )
        db.executemany(
            "INSERT INTO interaction_people (interaction_id, person_id, position) VALUES (?, ?, ?)",
            [(1, ids[0], 0), (1, ids[1], odd_position), (1, ids[2], 5)],
        )
    got = _as_rows(graph_feed.interaction_columns(store))
    assert got == _joined(store)
    assert [r[4] for r in got] == sorted(
        ids, key=lambda i: {ids[0]: 0, ids[1]: odd_position, ids[2]: 5}[i]
    )


def test_edits_are_logged_by_person_and_additions_never(store: Store) -> None:
    """Adding rows logs nothing (a build can read just the new rows); changing a column the
    graph reads, or deleting a row, logs the people it touched: whose own row or jobs
    changed, or whose pairs (a tie, an interaction, a participant)."""
    from datetime import datetime

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

    with store.write():
        a = store.add_person(Person(name="Ada Lovelace", is_me=True)).id or 0
        b = store.add_person(Person(name="Charles Babbage")).id or 0
        c = store.add_person(Person(name="Mary Somerville")).id or 0
        org = store.add_organization(Organization(name="Analytical Engines")).id or 0
        store.add_employment(Employment(person_id=c, org_id=org, title="Analyst"))
        store.add_tie(Tie(a=a, b=b, context=TieContext.friend))
        store.add_interaction(
            Interaction(
                at=datetime(2025, 1, 1),
                channel=Channel.email,
                direction=Direction.outbound,
                participants=[a, b, c],
                source_id="m1",
            )
        )
    marks = graph_edits.high_water(store)
    assert marks["graph_touched"] == 0 and marks["graph_deletes"] == 0
    assert marks["ties"] == 1 and marks["interaction_people"] == 3
    with store.write():  # the same tie again: its evidence merges, nothing read changes
        store.add_tie(Tie(a=a, b=b, context=TieContext.friend))
        store.update_person_fields(b, name="Charles Babbage")  # same value
        store.update_person_fields(b, location="London")  # a column the graph never reads
    assert graph_edits.high_water(store)["graph_touched"] == 0
    with store.write():
        store.update_person_fields(b, name="Charles B.")
        store.db.execute("UPDATE employments SET title = 'Lead' WHERE person_id = ?", (c,))
    assert graph_edits.touched(store, 0, "person").tolist() == sorted([b, c])
    assert graph_edits.touched(store, 0, "pairs").size == 0
    mark = graph_edits.high_water(store)["graph_touched"]
    with store.write():
        store.db.execute("UPDATE ties SET context = 'colleague' WHERE id = 1")
    assert graph_edits.touched(store, mark, "pairs").tolist() == sorted([a, b])
    mark = graph_edits.high_water(store)["graph_touched"]
    with store.write():
        store.db.execute("DELETE FROM interactions")  # cascades to its participants
    assert graph_edits.touched(store, mark, "pairs").tolist() == sorted([a, b, c])
    # Deleting the top rows lowers the rowid past which rows are new.
    assert graph_edits.new_since(store, marks)["interaction_people"] == 0
    assert graph_edits.new_since(store, marks)["ties"] == 1


def test_reads_since_a_mark_return_only_the_rows_added_after_it(demo_store: Store) -> None:
    from datetime import datetime

    from carson.models import Channel, Direction, Interaction, Person, Tie, TieContext

    marks = graph_edits.high_water(demo_store)
    before = graph_edits.rows_at(demo_store, marks)
    since_it = (marks["interactions"], marks["interaction_people"])
    assert graph_feed.tie_columns(demo_store, CONTEXTS, since=marks["ties"])[0].size == 0
    assert graph_feed.interaction_columns(demo_store, since_it).id.size == 0
    with demo_store.write():
        x = demo_store.add_person(Person(name="Grace Hopper")).id or 0
        y = demo_store.add_person(Person(name="Alan Turing")).id or 0
        demo_store.add_tie(Tie(a=x, b=y, context=TieContext.colleague))
        demo_store.add_interaction(
            Interaction(
                at=datetime(2025, 2, 3, 10, 0),
                channel=Channel.call,
                direction=Direction.inbound,
                participants=[y, x],
                source_id="call-1",
            )
        )
    a, b, c = graph_feed.tie_columns(demo_store, CONTEXTS, since=marks["ties"])
    assert (a.tolist(), b.tolist(), [CONTEXTS[i] for i in c]) == ([x], [y], ["colleague"])
    ic = graph_feed.interaction_columns(demo_store, since_it)
    assert ic.person.tolist() == [y, x]
    wall = (datetime(2025, 2, 3, 10, 0) - datetime(1970, 1, 1)).total_seconds()
    assert ic.at.tolist() == [int(wall)] * 2
    people = graph_feed.people_columns(demo_store, since=marks["people"])
    assert people is not None and people.id.tolist() == [x, y]
    assert graph_edits.joined_old(demo_store, since_it).size == 0
    assert graph_edits.rows_at(demo_store, marks) == before
    # Just these people's ties and interactions, read by index, as the bulk reads give them.
    ta, tb, tc = graph_edits.ties_of(demo_store, np.array([y]), CONTEXTS)
    assert (ta.tolist(), tb.tolist(), tc.tolist()) == ([x], [y], [CONTEXTS.index("colleague")])
    mine = graph_edits.interactions_of(demo_store, np.array([x]))
    assert _as_rows(mine) == [r for r in _joined(demo_store) if r[0] == ic.id[0]]
    # Someone added to an interaction read before is not a new interaction: say so.
    old_iid = demo_store.db.execute("SELECT min(id) FROM interactions").fetchone()[0]
    on_it = [
        r[0]
        for r in demo_store.db.execute(
            "SELECT person_id FROM interaction_people WHERE interaction_id = ?", (old_iid,)
        )
    ]
    with demo_store.write():
        demo_store.db.execute(
            "INSERT INTO interaction_people (interaction_id, person_id, position)"
            " VALUES (?, ?, 99)",
            (old_iid, x),
        )
    assert graph_edits.joined_old(demo_store, since_it).tolist() == sorted([*on_it, x])


class _CountingConnection:
    """A connection whose cursors count the chunks they read, per table."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.reads: dict[str, int] = {}

    def cursor(self) -> _CountingConnection:
        self._cur = self.db.cursor()
        self._cur.row_factory = None
        return self

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        table = sql.split(" FROM ")[1].split()[0]
        self.reads[table] = self.reads.get(table, 0) + 1
        return self._cur.execute(sql, params)

    row_factory = None


@pytest.mark.parametrize("order", ["at once", "twin first"])
def test_a_twin_shares_the_reads_and_gives_the_same_columns(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch, order: str
) -> None:
    """Tables read in chunks (small ones, so there are many) shared by a reader and its
    twin give the very columns one connection reads, in the same order: with both
    connections at once, and with the twin's side run first (so it takes every chunk,
    which threads on a tiny store may or may not do)."""
    from carson.graph._load import _reading
    from carson.graph._tables import JobColumns

    if order == "twin first":

        def serial(first, second, **_):  # type: ignore[no-untyped-def]
            theirs = second()
            return [first(), theirs]

        monkeypatch.setattr(_par, "both", serial)

    alone = (
        graph_feed.tie_columns(demo_store, CONTEXTS),
        _as_rows(graph_feed.interaction_columns(demo_store)),
        graph_feed.people_columns(demo_store),
        graph_feed.job_columns(demo_store),
    )
    monkeypatch.setattr(_sql_columns, "SPLIT", 16)
    monkeypatch.setattr(_sql_columns, "CHUNK", 97)
    with _reading(demo_store) as rd, graph_feed.twin_of(rd) as twin:
        assert twin is not None and twin.db is not rd.db
        counting = _CountingConnection(twin.db)
        twin.db = counting  # type: ignore[assignment]
        both = (
            graph_feed.tie_columns(rd, CONTEXTS, twin=twin),
            _as_rows(graph_feed.interaction_columns(rd, twin=twin)),
            graph_feed.people_columns(rd, twin=twin),
            graph_feed.job_columns(rd, twin=twin),
        )
        twin.db = counting.db
        assert JobColumns.read(twin).person.tolist() == both[3].person.tolist()
    if order == "twin first":
        for table in ("ties", "interactions", "interaction_people", "employments", "people"):
            assert counting.reads.get(table, 0) >= 2, counting.reads
    for x, y in zip(alone[0], both[0], strict=True):
        assert x.tolist() == y.tolist()
    assert alone[1] == both[1]
    assert alone[2] is not None and both[2] is not None
    assert alone[2].id.tolist() == both[2].id.tolist()
    assert alone[2].name_buf.tobytes() == both[2].name_buf.tobytes()
    assert alone[3] is not None and both[3] is not None
    assert alone[3].id.tolist() == both[3].id.tolist() and alone[3].title == both[3].title


def test_no_twin_outside_a_read_transaction_or_after_a_write(demo_store: Store) -> None:
    """A twin must see exactly the reader's rows: none for a connection that is not in a
    read transaction, nor when a write was committed after the reader's snapshot."""
    from carson.graph._load import _reading
    from carson.models import Person

    with graph_feed.twin_of(demo_store) as twin:
        assert twin is None
    with _reading(demo_store) as rd:
        graph_feed.signature(rd)  # the snapshot starts at the first read
        with demo_store.write():
            demo_store.add_person(Person(name="Written Meanwhile"))
        with graph_feed.twin_of(rd) as twin:
            assert twin is None
    with _reading(demo_store) as rd, graph_feed.twin_of(rd) as twin:
        assert twin is not None


@pytest.mark.parametrize("gap", [1, 3, 10_000])  # a lookup table, then a binary search
def test_rows_of_finds_each_id_and_flags_the_missing(gap: int) -> None:
    ids = np.arange(5, 5 + 400 * gap, gap, dtype=np.int64)
    present = ids[[0, 7, 7, 399, 123]]
    missing = np.array([0, 4, ids[-1] + 1, ids[-1] + 10**6] + ([6] if gap > 1 else []))
    wanted = np.concatenate([present, missing])
    rows = graph_feed._rows_of(ids, wanted)
    found = ids[rows] == wanted
    assert found.tolist() == [True] * present.size + [False] * missing.size
    assert rows[: present.size].tolist() == [0, 7, 7, 399, 123]
    assert graph_feed._rows_of(ids[:0], wanted).tolist() == [0] * wanted.size


def test_a_failed_chunk_stops_both_connections_and_raises(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error (or Ctrl-C) on one connection's chunk reaches the caller, and the other
    connection stops taking chunks rather than read the rest of the table first."""
    from carson.graph._load import _reading

    monkeypatch.setattr(_sql_columns, "SPLIT", 16)
    monkeypatch.setattr(_sql_columns, "CHUNK", 16)
    calls: list[int] = []

    def parse(row: tuple[object, ...]) -> int:
        calls.append(1)
        if len(calls) == 3:
            raise ValueError("a damaged chunk")
        return 0

    sql = "SELECT count(*) FROM ties WHERE rowid >= ? AND rowid < ?"
    with _reading(demo_store) as rd, graph_feed.twin_of(rd) as twin:
        assert twin is not None
        chunks = len(_sql_columns.read_chunks(rd.db, "ties", sql, lambda r: 0, twin=twin.db))
        assert chunks > 40
        with pytest.raises(ValueError, match="a damaged chunk"):
            _sql_columns.read_chunks(rd.db, "ties", sql, parse, twin=twin.db)
    assert len(calls) < chunks // 2
