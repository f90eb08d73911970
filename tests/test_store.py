"""The store: round-trips of every model, transactions, the writer lock, crash safety."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest

from carson.errors import StoreError, StoreLockedError
from carson.models import (
    Channel,
    Direction,
    Employment,
    Evidence,
    Interaction,
    Note,
    Organization,
    Outcome,
    OutcomeKind,
    Person,
    Tie,
    TieContext,
)
from carson.store import Store
from carson.store.migrations import MIGRATIONS


def test_people_round_trip_with_identifiers(store: Store) -> None:
    person = Person(
        name="  Harry   Smith ",
        first_name="Harry",
        last_name="Smith",
        emails=["Harry.Smith@GS.com", "harry@example.org"],
        phones=["+1 212 555 0100"],
        urls=["https://www.linkedin.com/in/harrysmith"],
        location="New York",
        birthday=date(1980, 3, 4),
        tags=["banker"],
        is_team=False,
        source="vcard",
    )
    with store.write():
        saved = store.add_person(person)
    assert saved.id is not None
    loaded = store.get_person(saved.id)
    assert loaded == saved
    assert loaded.name == "Harry Smith"
    assert loaded.emails == ["harry.smith@gs.com", "harry@example.org"]
    assert store.person_by_identifier("email", "harry@example.org") == saved
    assert store.people() == [saved]


def test_me_is_unique(store: Store) -> None:
    with store.write():
        store.add_person(Person(name="Jordan Reyes", is_me=True))
    with pytest.raises(StoreError, match="already has a person flagged as you"), store.write():
        store.add_person(Person(name="Someone Else", is_me=True))
    me = store.me()
    assert me is not None and me.name == "Jordan Reyes"


def test_an_identifier_belongs_to_one_person(store: Store) -> None:
    with store.write():
        store.add_person(Person(name="A One", emails=["same@x.com"]))
    with pytest.raises(StoreError, match="already belongs"), store.write():
        store.add_person(Person(name="B Two", emails=["same@x.com"]))
    assert store.counts().people == 1  # the failed transaction left nothing behind


def test_orgs_employments_ties_interactions_notes_outcomes_round_trip(store: Store) -> None:
    with store.write():
        me = store.add_person(Person(name="Jordan Reyes", is_me=True))
        john = store.add_person(Person(name="John Jacobs"))
        harry = store.add_person(Person(name="Harry Smith"))
        gs = store.add_organization(
            Organization(name="Goldman Sachs", domain="gs.com", aliases=["GS"], industry="Banking")
        )
        assert me.id and john.id and harry.id and gs.id
        emp = store.add_employment(
            Employment(
                person_id=harry.id,
                org_id=gs.id,
                title="Managing Director",
                start=date(2015, 1, 1),
                source="linkedin",
            )
        )
        old = store.add_employment(
            Employment(
                person_id=john.id,
                org_id=gs.id,
                title="Analyst",
                start=date(2005, 6, 1),
                end=date(2008, 1, 1),
                current=False,
            )
        )
        tie = store.add_tie(
            Tie(
                a=harry.id,
                b=john.id,
                context=TieContext.roommate,
                owner_id=me.id,
                since=date(2001, 9, 1),
                evidence=[Evidence(text="college roommates", source="note:1", at=date(2021, 3, 4))],
            )
        )
        it = store.add_interaction(
            Interaction(
                at=datetime(2026, 10, 20, 9, 30),
                channel=Channel.call,
                participants=[me.id, john.id],
                direction=Direction.mutual,
                subject="catch-up",
                source="demo",
                source_id="call-1",
            )
        )
        note = store.add_note(
            Note(
                text="John's daughter Emma starts at Michigan",
                people=[john.id],
                at=datetime(2026, 8, 1),
            )
        )
        outcome = store.add_outcome(
            Outcome(
                at=datetime(2026, 11, 1),
                path=[me.id, john.id, harry.id],
                target_org_id=gs.id,
                outcome=OutcomeKind.meeting_booked,
                predicted=0.37,
                features={"hops": 2.0},
            )
        )
    assert tie.a < tie.b
    assert store.get_organization(gs.id) == gs
    assert store.organization_named("goldman sachs") == gs
    assert store.employments(person_id=harry.id) == [emp]
    assert store.employments(org_id=gs.id, current=False) == [old]
    assert store.ties(person_id=john.id) == [tie]
    assert store.interactions(person_id=john.id) == [it]
    assert store.notes(person_id=john.id) == [note]
    assert store.get_note(note.id or 0) == note
    assert store.outcomes() == [outcome]
    counts = store.counts()
    assert (counts.people, counts.organizations, counts.ties, counts.interactions) == (3, 1, 1, 1)


def test_ties_merge_evidence_and_interactions_are_idempotent(store: Store) -> None:
    with store.write():
        a = store.add_person(Person(name="A One"))
        b = store.add_person(Person(name="B Two"))
        assert a.id and b.id
        store.add_tie(Tie(a=a.id, b=b.id, context="colleague", evidence=[Evidence(text="x")]))
        merged = store.add_tie(
            Tie(
                a=b.id,
                b=a.id,
                context="colleague",
                evidence=[Evidence(text="x"), Evidence(text="y")],
            )
        )
        first = store.add_interaction(
            Interaction(
                at=datetime(2026, 1, 1), channel="email", participants=[a.id, b.id], source_id="m1"
            )
        )
        again = store.add_interaction(
            Interaction(
                at=datetime(2026, 1, 1), channel="email", participants=[a.id, b.id], source_id="m1"
            )
        )
    assert [e.text for e in merged.evidence] == ["x", "y"]
    assert len(store.ties()) == 1
    assert first is not None and again is None
    assert store.counts().interactions == 1


def test_writes_outside_a_transaction_are_refused(store: Store) -> None:
    with pytest.raises(RuntimeError):
        store.add_person(Person(name="Nobody"))


def test_a_failed_transaction_rolls_back_everything(store: Store) -> None:
    with pytest.raises(ZeroDivisionError), store.write():
        store.add_person(Person(name="Gone Soon"))
        1 / 0  # noqa: B018
    assert store.counts().people == 0


def test_migrations_bring_a_blank_file_to_the_newest_schema(tmp_path: Path) -> None:
    (tmp_path / "carson.db").touch()
    store = Store(tmp_path)
    done = [r[0] for r in store.db.execute("SELECT name FROM _migrations ORDER BY rowid")]
    assert done == [m.__name__ for m in MIGRATIONS]
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    # Reopening applies nothing twice.
    again = Store(tmp_path)
    assert again.db.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)
    assert again.integrity_check() == "ok"


def test_missing_store_is_a_clear_error_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="No Carson store"):
        Store(tmp_path / "nothing-here", create=False)


def _child(code: str, home: Path) -> subprocess.Popen[str]:
    script = textwrap.dedent(code)
    return subprocess.Popen(
        [sys.executable, "-c", script, str(home)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_a_second_writer_gets_a_clear_error(store: Store) -> None:
    child = _child(
        """
        import sys, time
        from carson.store import Store
        from carson.models import Person
        s = Store(sys.argv[1])
        with s.write():
            s.add_person(Person(name="Held By Child"))
            print("locked", flush=True)
            time.sleep(30)
        """,
        store.home,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "locked"
        other = Store(store.home, lock_timeout=0.2)
        with pytest.raises(StoreLockedError) as info, other.write():
            other.add_person(Person(name="Second Writer"))
        assert f"pid {child.pid}" in info.value.message
        assert "try again" in (info.value.hint or "")
        # Reading still works while the other process writes (WAL).
        assert other.counts().people == 0
    finally:
        child.kill()
        child.wait()
    # Once the writer is gone, the lock is free again.
    with store.write():
        store.add_person(Person(name="After The Crash"))
    assert store.counts().people == 1


def test_killing_a_write_midway_leaves_the_store_consistent(store: Store) -> None:
    with store.write():
        store.add_person(Person(name="Before The Crash"))
    child = _child(
        """
        import sys
        from datetime import datetime
        from carson.store import Store
        from carson.models import Person, Interaction
        s = Store(sys.argv[1])
        with s.write():
            for i in range(1_000_000):
                p = s.add_person(Person(name=f"Person {i}", emails=[f"p{i}@x.com"]))
                if i == 2000:
                    print("writing", flush=True)
        """,
        store.home,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    fresh = Store(store.home)
    assert fresh.integrity_check() == "ok"
    assert [p.name for p in fresh.people()] == ["Before The Crash"]
    with fresh.write():
        fresh.add_person(Person(name="Life Goes On"))
    assert fresh.counts().people == 2
