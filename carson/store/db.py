"""The store: every SQL statement Carson runs lives in this module.

SQLite in WAL mode is the single source of truth. Reads need no lock. Every write
goes through ``Store.write()``: it takes the cross-process writer lock, opens an
``IMMEDIATE`` transaction, and commits or rolls back as a whole, so a write killed
half-way leaves the file as it was before it began.

Keeping SQL here (and DDL in ``migrations.py``) is what lets another backend such
as PostgreSQL be added later behind the same methods.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

from carson import locations
from carson.errors import StoreError
from carson.models import (
    Employment,
    Evidence,
    Interaction,
    Note,
    Organization,
    Outcome,
    Person,
    Tie,
)
from carson.store.lock import WriterLock
from carson.store.migrations import bump_write_marker, migrate, write_marker

_IDENT_KINDS = (("email", "emails"), ("phone", "phones"), ("url", "urls"))


@dataclass(frozen=True)
class Counts:
    people: int
    organizations: int
    employments: int
    ties: int
    interactions: int
    notes: int
    outcomes: int


def _d(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _note(row: sqlite3.Row, people: list[int]) -> Note:
    return Note(
        id=row["id"],
        text=row["text"],
        at=datetime.fromisoformat(row["at"]),
        source=row["source"],
        people=people,
    )


class Store:
    """A Carson data home's SQLite store."""

    def __init__(self, home: Path, *, lock_timeout: float = 1.0, create: bool = True) -> None:
        self.home = Path(home)
        self.path = locations.db_path(self.home)
        if not create and not self.path.exists():
            raise StoreError(
                f"No Carson store at {self.home}.",
                "Try the demo with `carson demo`, or start yours with `carson import FILE`.",
            )
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"Can't open the store at {self.path}: {exc}.",
                "Check that the folder exists and is writable, or set CARSON_HOME.",
            ) from exc
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self._lock = WriterLock(locations.lock_path(self.home), timeout=lock_timeout)
        self._in_tx = False
        self._aside = 0
        """Rows written in this transaction that the graph does not read (`_off_graph`)."""
        mode = self.db.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal" or self._needs_migration():
            with self._locked():
                self.db.execute("PRAGMA journal_mode = WAL")
                migrate(self.db)

    # ---------------------------------------------------------------- plumbing

    def _needs_migration(self) -> bool:
        from carson.store.migrations import MIGRATIONS

        try:
            done = {r[0] for r in self.db.execute("SELECT name FROM _migrations")}
        except sqlite3.OperationalError:
            return True
        return any(m.__name__ not in done for m in MIGRATIONS)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._lock.acquire()
        try:
            yield
        finally:
            self._lock.release()

    @contextmanager
    def write(self) -> Iterator[Store]:
        """One transaction under the writer lock; nested calls join the outer one."""
        if self._in_tx:
            yield self
            return
        with self._locked():
            self.db.execute("BEGIN IMMEDIATE")
            self._in_tx = True
            changes = self.db.total_changes
            self._aside = 0
            try:
                yield self
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            else:
                # once per transaction that wrote rows the graph reads: a search's index
                # rows, an outcome or a note about one person leave the graph's cache be
                if self.db.total_changes - changes > self._aside:
                    bump_write_marker(self.db)
                self.db.execute("COMMIT")
            finally:
                self._in_tx = False

    @contextmanager
    def _off_graph(self) -> Iterator[None]:
        """Rows written inside are none of the graph's: they don't move the write marker."""
        before = self.db.total_changes
        try:
            yield
        finally:
            self._aside += self.db.total_changes - before

    def _require_tx(self) -> None:
        if not self._in_tx:
            raise RuntimeError("store writes must run inside `with store.write():`")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write_marker(self) -> int:
        """Changes with every committed write that changed rows (any process, any
        connection), and only then: what derived data such as the graph's cache is keyed
        on. O(1). See ``migrations.write_marker``."""
        return write_marker(self.db)

    def integrity_check(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    def counts(self) -> Counts:
        def n(table: str) -> int:
            return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        return Counts(
            people=n("people"),
            organizations=n("organizations"),
            employments=n("employments"),
            ties=n("ties"),
            interactions=n("interactions"),
            notes=n("notes"),
            outcomes=n("outcomes"),
        )

    # -------------------------------------------------------------------- meta

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._require_tx()
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # ------------------------------------------------------------------ people

    def add_person(self, person: Person) -> Person:
        self._require_tx()
        if person.is_me and self.db.execute("SELECT 1 FROM people WHERE is_me = 1").fetchone():
            raise StoreError(
                f"Can't add {person.name} as you: the store already has a person flagged as you.",
                "Update that person instead of adding a second one.",
            )
        cur = self.db.execute(
            "INSERT INTO people (name, first_name, last_name, location, birthday, tags, is_me,"
            " is_team, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                person.name,
                person.first_name,
                person.last_name,
                person.location,
                _d(person.birthday),
                json.dumps(person.tags),
                int(person.is_me),
                int(person.is_team),
                person.source,
            ),
        )
        pid = int(cur.lastrowid or 0)
        self._write_identifiers(pid, person, person.source)
        return person.model_copy(update={"id": pid})

    def _write_identifiers(self, pid: int, person: Person, source: str | None) -> None:
        rows = []
        for kind, field in _IDENT_KINDS:
            for pos, value in enumerate(getattr(person, field)):
                rows.append((pid, kind, value, pos, source))
        try:
            self.db.executemany(
                "INSERT INTO identifiers (person_id, kind, value, position, source)"
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )
        except sqlite3.IntegrityError as exc:
            raise StoreError(
                f"{person.name}: an email, phone or profile URL already belongs to someone else.",
                "Merge the two people (carson dedupe) instead of adding a second one.",
            ) from exc

    def _person_from_row(self, row: sqlite3.Row, idents: dict[str, list[str]]) -> Person:
        return Person(
            id=row["id"],
            name=row["name"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            location=row["location"],
            birthday=_date(row["birthday"]),
            tags=json.loads(row["tags"]),
            is_me=bool(row["is_me"]),
            is_team=bool(row["is_team"]),
            source=row["source"],
            emails=idents.get("email", []),
            phones=idents.get("phone", []),
            urls=idents.get("url", []),
        )

    def _identifiers(self, pid: int) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for row in self.db.execute(
            "SELECT kind, value FROM identifiers WHERE person_id = ? ORDER BY kind, position",
            (pid,),
        ):
            out.setdefault(row[0], []).append(row[1])
        return out

    def get_person(self, pid: int) -> Person | None:
        row = self.db.execute("SELECT * FROM people WHERE id = ?", (pid,)).fetchone()
        return self._person_from_row(row, self._identifiers(pid)) if row else None

    def people(self) -> list[Person]:
        idents: dict[int, dict[str, list[str]]] = {}
        for row in self.db.execute(
            "SELECT person_id, kind, value FROM identifiers ORDER BY person_id, kind, position"
        ):
            idents.setdefault(row[0], {}).setdefault(row[1], []).append(row[2])
        return [
            self._person_from_row(row, idents.get(row["id"], {}))
            for row in self.db.execute("SELECT * FROM people ORDER BY id")
        ]

    def person_names(self) -> list[tuple[int, str]]:
        """(id, name) of everyone, cheaply, for name matching."""
        return [(r[0], r[1]) for r in self.db.execute("SELECT id, name FROM people ORDER BY id")]

    def me(self) -> Person | None:
        row = self.db.execute("SELECT id FROM people WHERE is_me = 1").fetchone()
        return self.get_person(row[0]) if row else None

    def team(self) -> list[Person]:
        ids = [r[0] for r in self.db.execute("SELECT id FROM people WHERE is_team = 1 ORDER BY id")]
        return [p for p in (self.get_person(i) for i in ids) if p is not None]

    def person_by_identifier(self, kind: str, value: str) -> Person | None:
        row = self.db.execute(
            "SELECT person_id FROM identifiers WHERE kind = ? AND value = ?", (kind, value)
        ).fetchone()
        return self.get_person(row[0]) if row else None

    def people_named(self, name: str) -> list[Person]:
        ids = [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM people WHERE name = ? COLLATE NOCASE ORDER BY id", (name,)
            )
        ]
        return [p for p in (self.get_person(i) for i in ids) if p is not None]

    # ----------------------------------------------------------- organizations

    def add_organization(self, org: Organization) -> Organization:
        self._require_tx()
        try:
            cur = self.db.execute(
                "INSERT INTO organizations (name, domain, aliases, industry, parent_id)"
                " VALUES (?, ?, ?, ?, ?)",
                (org.name, org.domain, json.dumps(org.aliases), org.industry, org.parent_id),
            )
        except sqlite3.IntegrityError as exc:
            raise StoreError(f'An organisation called "{org.name}" already exists.') from exc
        return org.model_copy(update={"id": int(cur.lastrowid or 0)})

    def update_organization(self, org: Organization) -> Organization:
        self._require_tx()
        self.db.execute(
            "UPDATE organizations SET name = ?, domain = ?, aliases = ?, industry = ?,"
            " parent_id = ? WHERE id = ?",
            (org.name, org.domain, json.dumps(org.aliases), org.industry, org.parent_id, org.id),
        )
        return org

    @staticmethod
    def _org_from_row(row: sqlite3.Row) -> Organization:
        return Organization(
            id=row["id"],
            name=row["name"],
            domain=row["domain"],
            aliases=json.loads(row["aliases"]),
            industry=row["industry"],
            parent_id=row["parent_id"],
        )

    def get_organization(self, oid: int) -> Organization | None:
        row = self.db.execute("SELECT * FROM organizations WHERE id = ?", (oid,)).fetchone()
        return self._org_from_row(row) if row else None

    def organization_named(self, name: str) -> Organization | None:
        row = self.db.execute(
            "SELECT * FROM organizations WHERE name = ? COLLATE NOCASE", (name,)
        ).fetchone()
        return self._org_from_row(row) if row else None

    def organizations(self) -> list[Organization]:
        return [
            self._org_from_row(r)
            for r in self.db.execute("SELECT * FROM organizations ORDER BY id")
        ]

    # ------------------------------------------------------------- employments

    def add_employment(self, emp: Employment) -> Employment:
        self._require_tx()
        cur = self.db.execute(
            "INSERT INTO employments (person_id, org_id, title, start, end, current, source,"
            " seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                emp.person_id,
                emp.org_id,
                emp.title,
                _d(emp.start),
                _d(emp.end),
                int(emp.current),
                emp.source,
                _d(emp.seen),
            ),
        )
        return emp.model_copy(update={"id": int(cur.lastrowid or 0)})

    def employments(
        self,
        *,
        person_id: int | None = None,
        org_id: int | None = None,
        current: bool | None = None,
    ) -> list[Employment]:
        where, args = [], []
        if person_id is not None:
            where.append("person_id = ?")
            args.append(person_id)
        if org_id is not None:
            where.append("org_id = ?")
            args.append(org_id)
        if current is not None:
            where.append("current = ?")
            args.append(int(current))
        sql = "SELECT * FROM employments"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id"
        return [
            Employment(
                id=r["id"],
                person_id=r["person_id"],
                org_id=r["org_id"],
                title=r["title"],
                start=_date(r["start"]),
                end=_date(r["end"]),
                current=bool(r["current"]),
                source=r["source"],
                seen=_date(r["seen"]),
            )
            for r in self.db.execute(sql, args)
        ]

    # -------------------------------------------------------------------- ties

    def add_tie(self, tie: Tie) -> Tie:
        """Insert a tie, or merge its evidence into the existing tie of the same context."""
        self._require_tx()
        row = self.db.execute(
            "SELECT id, evidence FROM ties WHERE a = ? AND b = ? AND context = ?",
            (tie.a, tie.b, tie.context.value),
        ).fetchone()
        evidence = [e.model_dump(mode="json") for e in tie.evidence]
        if row:
            old = json.loads(row["evidence"])
            merged = old + [e for e in evidence if e not in old]
            self.db.execute(
                "UPDATE ties SET evidence = ?, since = COALESCE(since, ?),"
                " owner_id = COALESCE(owner_id, ?) WHERE id = ?",
                (json.dumps(merged), _d(tie.since), tie.owner_id, row["id"]),
            )
            return tie.model_copy(
                update={"id": row["id"], "evidence": [Evidence(**e) for e in merged]}
            )
        cur = self.db.execute(
            "INSERT INTO ties (a, b, context, source, owner_id, since, evidence, strength)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                tie.a,
                tie.b,
                tie.context.value,
                tie.source,
                tie.owner_id,
                _d(tie.since),
                json.dumps(evidence),
                tie.strength,
            ),
        )
        return tie.model_copy(update={"id": int(cur.lastrowid or 0)})

    def ties(self, *, person_id: int | None = None) -> list[Tie]:
        if person_id is None:
            rows = self.db.execute("SELECT * FROM ties ORDER BY id")
        else:
            rows = self.db.execute(
                "SELECT * FROM ties WHERE a = ? OR b = ? ORDER BY id", (person_id, person_id)
            )
        return [
            Tie(
                id=r["id"],
                a=r["a"],
                b=r["b"],
                context=r["context"],
                source=r["source"],
                owner_id=r["owner_id"],
                since=_date(r["since"]),
                evidence=[Evidence(**e) for e in json.loads(r["evidence"])],
                strength=r["strength"],
            )
            for r in rows
        ]

    # ------------------------------------------------------------ interactions

    def add_interaction(self, it: Interaction) -> Interaction | None:
        """Insert an interaction; one whose ``source_id`` is already stored is skipped (None)."""
        self._require_tx()
        cur = self.db.execute(
            "INSERT INTO interactions (at, channel, direction, subject, summary, source, source_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO NOTHING",
            (
                it.at.isoformat(),
                it.channel.value,
                it.direction.value,
                it.subject,
                it.summary,
                it.source,
                it.source_id,
            ),
        )
        if cur.rowcount == 0:
            return None
        iid = int(cur.lastrowid or 0)
        self.db.executemany(
            "INSERT OR IGNORE INTO interaction_people (interaction_id, person_id, position)"
            " VALUES (?, ?, ?)",
            [(iid, pid, pos) for pos, pid in enumerate(it.participants)],
        )
        return it.model_copy(update={"id": iid})

    def interactions(
        self, *, person_id: int | None = None, limit: int | None = None
    ) -> list[Interaction]:
        if person_id is None:
            sql, args = "SELECT * FROM interactions ORDER BY at DESC, id DESC", []
        else:
            sql = (
                "SELECT i.* FROM interactions i JOIN interaction_people p"
                " ON p.interaction_id = i.id WHERE p.person_id = ? ORDER BY i.at DESC, i.id DESC"
            )
            args = [person_id]
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        rows = self.db.execute(sql, args).fetchall()
        parts = self._participants([r["id"] for r in rows])
        return [
            Interaction(
                id=r["id"],
                at=datetime.fromisoformat(r["at"]),
                channel=r["channel"],
                direction=r["direction"],
                subject=r["subject"],
                summary=r["summary"],
                source=r["source"],
                source_id=r["source_id"],
                participants=parts.get(r["id"], []),
            )
            for r in rows
        ]

    def _participants(self, ids: list[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(
                f"SELECT interaction_id, person_id FROM interaction_people"
                f" WHERE interaction_id IN ({marks}) ORDER BY interaction_id, position",
                chunk,
            ):
                out.setdefault(r[0], []).append(r[1])
        return out

    def interaction_rows(self) -> Iterator[tuple[int, str, str, str, int, int]]:
        """(interaction id, at, channel, direction, person id, position) for every participant.

        A flat, cheap feed for the graph layer's tie-strength signals.
        """
        yield from self.db.execute(
            "SELECT i.id, i.at, i.channel, i.direction, p.person_id, p.position"
            " FROM interactions i JOIN interaction_people p ON p.interaction_id = i.id"
            " ORDER BY i.id, p.position"
        )

    # ------------------------------------------------------------------- notes

    def add_note(self, note: Note) -> Note:
        self._require_tx()
        # The graph reads notes about two or more people (they link them); one about a
        # single person ("coffee with Sarah") changes none of its pairs.
        alone = len(set(note.people)) < 2
        with self._off_graph() if alone else nullcontext():
            cur = self.db.execute(
                "INSERT INTO notes (text, at, source) VALUES (?, ?, ?)",
                (note.text, note.at.isoformat(), note.source),
            )
            nid = int(cur.lastrowid or 0)
            self.db.executemany(
                "INSERT OR IGNORE INTO note_people (note_id, person_id) VALUES (?, ?)",
                [(nid, pid) for pid in note.people],
            )
        return note.model_copy(update={"id": nid})

    def notes(self, *, person_id: int | None = None) -> list[Note]:
        """Every note (by id), or one person's notes (newest first), people linked."""
        people: dict[int, list[int]] = {}
        if person_id is None:
            rows = self.db.execute("SELECT * FROM notes ORDER BY id").fetchall()
            links = self.db.execute("SELECT note_id, person_id FROM note_people ORDER BY rowid")
        else:
            rows = self.db.execute(
                "SELECT n.* FROM notes n JOIN note_people p ON p.note_id = n.id"
                " WHERE p.person_id = ? ORDER BY n.at DESC, n.id DESC",
                (person_id,),
            ).fetchall()
            # only the links of this person's notes: a draft reads a few notes, not 100k
            links = self.db.execute(
                "SELECT note_id, person_id FROM note_people WHERE note_id IN"
                " (SELECT note_id FROM note_people WHERE person_id = ?) ORDER BY rowid",
                (person_id,),
            )
        for r in links:
            people.setdefault(r[0], []).append(r[1])
        return [_note(r, people.get(r["id"], [])) for r in rows]

    def get_note(self, nid: int) -> Note | None:
        return self.notes_by_id([nid]).get(nid)

    def note_stats(self) -> tuple[int, int]:
        """(number of notes, highest note id): a cheap check that a derived index is current."""
        row = self.db.execute("SELECT count(*), coalesce(max(id), 0) FROM notes").fetchone()
        return int(row[0]), int(row[1])

    def note_ids(self, *, person_ids: Iterable[int] | None = None) -> list[int]:
        """Every note id, or those linked to any of ``person_ids``, ascending."""
        if person_ids is None:
            return [int(r[0]) for r in self.db.execute("SELECT id FROM notes ORDER BY id")]
        wanted = sorted(set(person_ids))
        out: set[int] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            out.update(
                int(r[0])
                for r in self.db.execute(
                    f"SELECT note_id FROM note_people WHERE person_id IN ({marks})", chunk
                )
            )
        return sorted(out)

    def change_token(self) -> tuple[int, int]:
        """Changes when anything was committed since (by this connection or another): O(1).

        ``PRAGMA data_version`` moves on other connections' commits, ``total_changes``
        on this one's writes, so a cache keyed by it is never stale.
        """
        version = int(self.db.execute("PRAGMA data_version").fetchone()[0])
        return version, int(self.db.total_changes)

    def notes_by_id(self, ids: Iterable[int]) -> dict[int, Note]:
        """The stored notes with these ids (missing ids are left out), people linked."""
        wanted = sorted(set(ids))
        rows: list[sqlite3.Row] = []
        people: dict[int, list[int]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows.extend(self.db.execute(f"SELECT * FROM notes WHERE id IN ({marks})", chunk))
            for r in self.db.execute(
                f"SELECT note_id, person_id FROM note_people WHERE note_id IN ({marks})"
                " ORDER BY rowid",
                chunk,
            ):
                people.setdefault(r[0], []).append(r[1])
        return {r["id"]: _note(r, people.get(r["id"], [])) for r in rows}

    def put_note_index_rows(
        self, embedder: str, rows: Iterable[tuple[int, bytes, Iterable[int]]]
    ) -> None:
        """Record (note id, vector bytes, organisation ids) as the notes index derived them."""
        self._require_tx()
        with self._off_graph():
            self._put_note_index_rows(embedder, rows)

    def _put_note_index_rows(
        self, embedder: str, rows: Iterable[tuple[int, bytes, Iterable[int]]]
    ) -> None:
        for note_id, vector, orgs in rows:
            self.db.execute(
                "INSERT OR REPLACE INTO note_vectors (note_id, embedder, vector) VALUES (?, ?, ?)",
                (note_id, embedder, vector),
            )
            self.db.execute("DELETE FROM note_orgs WHERE note_id = ?", (note_id,))
            self.db.executemany(
                "INSERT OR IGNORE INTO note_orgs (note_id, org_id) VALUES (?, ?)",
                [(note_id, org_id) for org_id in orgs],
            )

    def clear_note_index_rows(self, note_ids: Iterable[int] | None = None) -> None:
        """Forget what the notes index derived: for these notes, or all of them."""
        self._require_tx()
        with self._off_graph():
            if note_ids is None:
                self.db.execute("DELETE FROM note_vectors")
                self.db.execute("DELETE FROM note_orgs")
                return
            keys = [(i,) for i in note_ids]
            self.db.executemany("DELETE FROM note_vectors WHERE note_id = ?", keys)
            self.db.executemany("DELETE FROM note_orgs WHERE note_id = ?", keys)

    def note_vectors(self, ids: Iterable[int], embedder: str) -> list[tuple[int, bytes]]:
        """(note id, vector bytes) for those of ``ids`` that ``embedder`` has embedded."""
        wanted = sorted(set(ids))
        out: list[tuple[int, bytes]] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            out.extend(
                (int(r[0]), bytes(r[1]))
                for r in self.db.execute(
                    f"SELECT note_id, vector FROM note_vectors WHERE note_id IN ({marks})"
                    " AND embedder = ?",
                    [*chunk, embedder],
                )
            )
        return out

    def note_vector_stats(self, embedder: str) -> tuple[int, int]:
        """(notes with a vector from ``embedder``, highest such note id): compare ``note_stats``."""
        row = self.db.execute(
            "SELECT count(*), coalesce(max(note_id), 0) FROM note_vectors WHERE embedder = ?",
            (embedder,),
        ).fetchone()
        return int(row[0]), int(row[1])

    def note_ids_with_vectors(self, embedder: str) -> list[int]:
        """Ids of the notes ``embedder`` has a vector for, ascending."""
        return [
            int(r[0])
            for r in self.db.execute(
                "SELECT note_id FROM note_vectors WHERE embedder = ? ORDER BY note_id", (embedder,)
            )
        ]

    def note_ids_for_orgs(self, org_ids: Iterable[int]) -> list[int]:
        """Ids of the notes about any of these organisations (as the notes index found)."""
        wanted = sorted(set(org_ids))
        marks = ",".join("?" * len(wanted))
        return [
            int(r[0])
            for r in self.db.execute(
                f"SELECT DISTINCT note_id FROM note_orgs WHERE org_id IN ({marks})"
                " ORDER BY note_id",
                wanted,
            )
        ]

    def note_org_links(self, org_ids: Iterable[int]) -> tuple[int, int]:
        """(links from notes to these organisations, highest note id): two indexed lookups,
        so a company's share of the notes is known without reading them."""
        wanted = sorted(set(org_ids))
        if not wanted:
            return 0, 0
        marks = ",".join("?" * len(wanted))
        about = self.db.execute(
            f"SELECT count(*) FROM note_orgs WHERE org_id IN ({marks})", wanted
        ).fetchone()[0]
        bound = self.db.execute("SELECT coalesce(max(id), 0) FROM notes").fetchone()[0]
        return int(about), int(bound)

    def note_vectors_for_orgs(
        self, org_ids: Iterable[int], embedder: str
    ) -> list[tuple[int, bytes]]:
        """(note id, vector bytes) of every note about any of these organisations, one query."""
        wanted = sorted(set(org_ids))
        marks = ",".join("?" * len(wanted))
        return [
            (int(r[0]), r[1])
            for r in self.db.execute(
                "SELECT v.note_id, v.vector FROM note_vectors v WHERE v.embedder = ?"
                f" AND v.note_id IN (SELECT note_id FROM note_orgs WHERE org_id IN ({marks}))",
                [embedder, *wanted],
            )
        ]

    def note_orgs(self, note_ids: Iterable[int]) -> dict[int, list[int]]:
        """Organisation ids each of these notes is about."""
        wanted = sorted(set(note_ids))
        out: dict[int, list[int]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(
                f"SELECT note_id, org_id FROM note_orgs WHERE note_id IN ({marks}) ORDER BY rowid",
                chunk,
            ):
                out.setdefault(int(r[0]), []).append(int(r[1]))
        return out

    # ---------------------------------------------------------------- outcomes

    def add_outcome(self, outcome: Outcome) -> Outcome:
        """Outcomes feed calibration, read per query: none of the graph's rows."""
        self._require_tx()
        with self._off_graph():
            return self._add_outcome(outcome)

    def _add_outcome(self, outcome: Outcome) -> Outcome:
        cur = self.db.execute(
            "INSERT INTO outcomes (at, path, target_org_id, outcome, predicted, features)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                outcome.at.isoformat(),
                json.dumps(outcome.path),
                outcome.target_org_id,
                outcome.outcome.value,
                outcome.predicted,
                json.dumps(outcome.features),
            ),
        )
        return outcome.model_copy(update={"id": int(cur.lastrowid or 0)})

    def outcomes(self) -> list[Outcome]:
        return [
            Outcome(
                id=r["id"],
                at=datetime.fromisoformat(r["at"]),
                path=json.loads(r["path"]),
                target_org_id=r["target_org_id"],
                outcome=r["outcome"],
                predicted=r["predicted"],
                features=json.loads(r["features"]),
            )
            for r in self.db.execute("SELECT * FROM outcomes ORDER BY id")
        ]

    # ------------------------------------------------ ingest: identifiers, provenance

    def add_identifier(self, pid: int, kind: str, value: str, source: str | None) -> bool:
        """Give a person one more email/phone/url (with its own source); False if taken."""
        self._require_tx()
        pos = self.db.execute(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM identifiers"
            " WHERE person_id = ? AND kind = ?",
            (pid, kind),
        ).fetchone()[0]
        cur = self.db.execute(
            "INSERT OR IGNORE INTO identifiers (person_id, kind, value, position, source)"
            " VALUES (?, ?, ?, ?, ?)",
            (pid, kind, value, pos, source),
        )
        return cur.rowcount > 0

    def identifier_rows(self) -> list[tuple[str, str, int]]:
        """(kind, value, person id) of every email, phone and profile URL."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute("SELECT kind, value, person_id FROM identifiers")
        ]

    def identifier_sources(self, pid: int) -> list[tuple[str, str, str | None]]:
        """(kind, value, source) of one person's identifiers."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                "SELECT kind, value, source FROM identifiers WHERE person_id = ?"
                " ORDER BY kind, position",
                (pid,),
            )
        ]

    def set_field_source(self, pid: int, field: str, value: str | None, source: str) -> None:
        """Remember which source gave a person's field its value."""
        self._require_tx()
        self.db.execute(
            "INSERT INTO field_sources (person_id, field, value, source) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (person_id, field, source) DO UPDATE SET value = excluded.value",
            (pid, field, value, source),
        )

    def field_sources(self, pid: int) -> list[tuple[str, str | None, str]]:
        """(field, value, source) recorded for a person."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                "SELECT field, value, source FROM field_sources WHERE person_id = ?"
                " ORDER BY field, source",
                (pid,),
            )
        ]

    def note_texts(self) -> list[tuple[int, int, str]]:
        """(note id, person id, text) for every note about someone."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                "SELECT n.id, p.person_id, n.text"
                " FROM notes n JOIN note_people p ON p.note_id = n.id"
            )
        ]

    # ------------------------------------------------------ dedupe: merge and undo

    def _row(self, sql: str, args: tuple[object, ...]) -> dict[str, object] | None:
        row = self.db.execute(sql, args).fetchone()
        return dict(row) if row else None

    def merge_people(self, kept_id: int, merged_id: int, at: datetime) -> int:
        """Fold ``merged_id`` into ``kept_id``; return the merge id (for ``undo_merge``)."""
        self._require_tx()
        kept = self._row("SELECT * FROM people WHERE id = ?", (kept_id,))
        gone = self._row("SELECT * FROM people WHERE id = ?", (merged_id,))
        if kept is None or gone is None or kept_id == merged_id:
            raise StoreError("Can't merge: both people must exist and be different.")
        snap: dict[str, object] = {"kept": kept, "merged": gone}
        snap["identifiers"] = [
            dict(r)
            for r in self.db.execute("SELECT * FROM identifiers WHERE person_id = ?", (merged_id,))
        ]
        self.db.execute(
            "UPDATE identifiers SET person_id = ?, position = position + 1000 WHERE person_id = ?",
            (kept_id, merged_id),
        )
        snap["field_sources"] = [
            dict(r)
            for r in self.db.execute(
                "SELECT * FROM field_sources WHERE person_id = ?", (merged_id,)
            )
        ]
        copied = []
        for fs in snap["field_sources"]:  # type: ignore[attr-defined]
            cur = self.db.execute(
                "INSERT OR IGNORE INTO field_sources (person_id, field, value, source)"
                " VALUES (?, ?, ?, ?)",
                (kept_id, fs["field"], fs["value"], fs["source"]),
            )
            if cur.rowcount:
                copied.append([fs["field"], fs["source"]])
        snap["field_sources_copied"] = copied
        snap["employments"] = [
            r[0]
            for r in self.db.execute("SELECT id FROM employments WHERE person_id = ?", (merged_id,))
        ]
        self.db.execute(
            "UPDATE employments SET person_id = ? WHERE person_id = ?", (kept_id, merged_id)
        )
        ties: list[dict[str, object]] = []
        for t in [
            dict(r)
            for r in self.db.execute(
                "SELECT * FROM ties WHERE a = ? OR b = ?", (merged_id, merged_id)
            )
        ]:
            other = t["a"] if t["b"] == merged_id else t["b"]
            entry: dict[str, object] = {"row": t}
            if other == kept_id:
                self.db.execute("DELETE FROM ties WHERE id = ?", (t["id"],))
                entry["action"] = "deleted"
            else:
                a, b = sorted((kept_id, int(other)))  # type: ignore[call-overload]
                hit = self.db.execute(
                    "SELECT id, evidence FROM ties WHERE a = ? AND b = ? AND context = ?",
                    (a, b, t["context"]),
                ).fetchone()
                if hit:
                    old = json.loads(hit[1])
                    new = old + [e for e in json.loads(str(t["evidence"])) if e not in old]
                    self.db.execute(
                        "UPDATE ties SET evidence = ? WHERE id = ?", (json.dumps(new), hit[0])
                    )
                    self.db.execute("DELETE FROM ties WHERE id = ?", (t["id"],))
                    entry.update(action="folded", into=hit[0], old_evidence=hit[1])
                else:
                    self.db.execute("UPDATE ties SET a = ?, b = ? WHERE id = ?", (a, b, t["id"]))
                    entry["action"] = "moved"
            ties.append(entry)
        snap["ties"] = ties
        snap["owned_ties"] = [
            r[0] for r in self.db.execute("SELECT id FROM ties WHERE owner_id = ?", (merged_id,))
        ]
        self.db.execute("UPDATE ties SET owner_id = ? WHERE owner_id = ?", (kept_id, merged_id))
        for table, key in (("interaction_people", "interaction_id"), ("note_people", "note_id")):
            rows = [
                dict(r)
                for r in self.db.execute(f"SELECT * FROM {table} WHERE person_id = ?", (merged_id,))
            ]
            both = {
                r[0]
                for r in self.db.execute(
                    f"SELECT {key} FROM {table} WHERE person_id = ?", (kept_id,)
                )
            }
            for r in rows:
                r["shared"] = r[key] in both
            self.db.execute(
                f"DELETE FROM {table} WHERE person_id = ? AND {key} IN"
                f" (SELECT {key} FROM {table} WHERE person_id = ?)",
                (merged_id, kept_id),
            )
            self.db.execute(
                f"UPDATE {table} SET person_id = ? WHERE person_id = ?", (kept_id, merged_id)
            )
            snap[table] = rows
        tags = json.loads(str(kept["tags"]))
        tags += [t for t in json.loads(str(gone["tags"])) if t not in tags]
        self.db.execute(
            "UPDATE people SET first_name = COALESCE(first_name, ?),"
            " last_name = COALESCE(last_name, ?), location = COALESCE(location, ?),"
            " birthday = COALESCE(birthday, ?), tags = ?, is_team = MAX(is_team, ?)"
            " WHERE id = ?",
            (
                gone["first_name"],
                gone["last_name"],
                gone["location"],
                gone["birthday"],
                json.dumps(tags),
                gone["is_team"],
                kept_id,
            ),
        )
        if gone["is_me"]:
            self.db.execute("UPDATE people SET is_me = 0 WHERE id = ?", (merged_id,))
            self.db.execute("UPDATE people SET is_me = 1 WHERE id = ?", (kept_id,))
        self.db.execute("DELETE FROM people WHERE id = ?", (merged_id,))
        cur = self.db.execute(
            "INSERT INTO merges (at, kept_id, merged_id, merged_name, snapshot)"
            " VALUES (?, ?, ?, ?, ?)",
            (at.isoformat(), kept_id, merged_id, gone["name"], json.dumps(snap)),
        )
        return int(cur.lastrowid or 0)

    def merges(self) -> list[dict[str, object]]:
        """Merge history, newest first: id, at, kept_id, merged_id, merged_name, undone_at."""
        return [
            dict(r)
            for r in self.db.execute(
                "SELECT id, at, kept_id, merged_id, merged_name, undone_at FROM merges"
                " ORDER BY id DESC"
            )
        ]

    def undo_merge(self, merge_id: int, at: datetime) -> int:
        """Split a merged person back out, as they were; return their (original) id."""
        self._require_tx()
        row = self.db.execute(
            "SELECT snapshot, undone_at FROM merges WHERE id = ?", (merge_id,)
        ).fetchone()
        if row is None:
            raise StoreError(
                f"No merge #{merge_id}.", "List merges with `carson dedupe --history`."
            )
        if row[1]:
            raise StoreError(f"Merge #{merge_id} was already undone.")
        snap = json.loads(row[0])
        kept, gone = snap["kept"], snap["merged"]
        kid, mid = kept["id"], gone["id"]
        if gone["is_me"]:
            self.db.execute("UPDATE people SET is_me = 0 WHERE id = ?", (kid,))
        cols = list(gone)
        self.db.execute(
            f"INSERT INTO people ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [gone[c] for c in cols],
        )
        self.db.execute(
            "UPDATE people SET first_name = ?, last_name = ?, location = ?, birthday = ?,"
            " tags = ?, is_team = ?, is_me = ? WHERE id = ?",
            (
                kept["first_name"],
                kept["last_name"],
                kept["location"],
                kept["birthday"],
                kept["tags"],
                kept["is_team"],
                kept["is_me"],
                kid,
            ),
        )
        for ident in snap["identifiers"]:
            self.db.execute(
                "UPDATE identifiers SET person_id = ?, position = ? WHERE kind = ? AND value = ?",
                (mid, ident["position"], ident["kind"], ident["value"]),
            )
        for fs in snap["field_sources"]:
            self.db.execute(
                "INSERT OR REPLACE INTO field_sources (person_id, field, value, source)"
                " VALUES (?, ?, ?, ?)",
                (mid, fs["field"], fs["value"], fs["source"]),
            )
        for field, source in snap["field_sources_copied"]:
            self.db.execute(
                "DELETE FROM field_sources WHERE person_id = ? AND field = ? AND source = ?",
                (kid, field, source),
            )
        if snap["employments"]:
            marks = ",".join("?" * len(snap["employments"]))
            self.db.execute(
                f"UPDATE employments SET person_id = ? WHERE id IN ({marks})",
                [mid, *snap["employments"]],
            )
        tie_cols = (
            "id",
            "a",
            "b",
            "context",
            "source",
            "owner_id",
            "since",
            "evidence",
            "strength",
        )
        for entry in snap["ties"]:
            t = entry["row"]
            if entry["action"] == "moved":
                self.db.execute(
                    "UPDATE ties SET a = ?, b = ? WHERE id = ?", (t["a"], t["b"], t["id"])
                )
            else:
                if entry["action"] == "folded":
                    self.db.execute(
                        "UPDATE ties SET evidence = ? WHERE id = ?",
                        (entry["old_evidence"], entry["into"]),
                    )
                self.db.execute(
                    f"INSERT INTO ties ({', '.join(tie_cols)}) VALUES ({', '.join('?' * 9)})",
                    [t[c] for c in tie_cols],
                )
        for tid in snap["owned_ties"]:
            self.db.execute("UPDATE ties SET owner_id = ? WHERE id = ?", (mid, tid))
        for table, key in (("interaction_people", "interaction_id"), ("note_people", "note_id")):
            for r in snap[table]:
                if r["shared"]:
                    cols = [c for c in r if c != "shared"]
                    self.db.execute(
                        f"INSERT OR IGNORE INTO {table} ({', '.join(cols)})"
                        f" VALUES ({', '.join('?' * len(cols))})",
                        [r[c] for c in cols],
                    )
                else:
                    self.db.execute(
                        f"UPDATE {table} SET person_id = ? WHERE person_id = ? AND {key} = ?",
                        (mid, kid, r[key]),
                    )
        self.db.execute("UPDATE merges SET undone_at = ? WHERE id = ?", (at.isoformat(), merge_id))
        return int(mid)

    def reject_duplicate(self, a: int, b: int, at: datetime) -> None:
        """Remember that two people are not the same (``carson dedupe`` stops offering them)."""
        self._require_tx()
        a, b = sorted((a, b))
        self.db.execute(
            "INSERT OR IGNORE INTO dedupe_rejections (a, b, at) VALUES (?, ?, ?)",
            (a, b, at.isoformat()),
        )

    def rejected_duplicates(self) -> set[tuple[int, int]]:
        return {(r[0], r[1]) for r in self.db.execute("SELECT a, b FROM dedupe_rejections")}

    def update_person_fields(self, pid: int, **fields: object) -> None:
        """Set some of a person's own fields, leaving identifiers (and their sources) alone."""
        self._require_tx()
        allowed = set(self._BULK["people"]) - {"id"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown person fields: {sorted(unknown)}")
        values = []
        for key, value in fields.items():
            if key == "tags":
                value = json.dumps(value)
            elif key in ("is_me", "is_team"):
                value = int(bool(value))
            elif isinstance(value, date):
                value = value.isoformat()
            values.append(value)
        sets = ", ".join(f"{k} = ?" for k in fields)
        self.db.execute(f"UPDATE people SET {sets} WHERE id = ?", [*values, pid])

    # ------------------------------------------------------------- bulk (imports)

    @contextmanager
    def large_cache(self, mb: int = 64) -> Iterator[None]:
        """Give SQLite a page cache of up to ``mb`` MB while a large import runs.

        The default (2 MB) is smaller than what a big import touches, so SQLite writes
        dirty pages to the WAL before the commit and reads them back. The cache is memory
        SQLite takes only as it needs it, and is given back afterwards; durability is
        unchanged (the import is still one transaction).
        """
        old = int(self.db.execute("PRAGMA cache_size").fetchone()[0])
        self.db.execute(f"PRAGMA cache_size = {-int(mb) * 1024}")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA cache_size = {old}")

    _BULK: ClassVar[dict[str, tuple[str, ...]]] = {
        "people": (
            "id",
            "name",
            "first_name",
            "last_name",
            "location",
            "birthday",
            "tags",
            "is_me",
            "is_team",
            "source",
        ),
        "identifiers": ("person_id", "kind", "value", "position", "source"),
        "field_sources": ("person_id", "field", "value", "source"),
        "employments": ("person_id", "org_id", "title", "start", "end", "current", "source"),
        "ties": ("a", "b", "context", "source", "owner_id", "since", "evidence", "strength"),
    }

    def bulk_insert(self, table: str, rows: Iterable[tuple[object, ...]]) -> None:
        """Insert many already-validated rows at once (imports; columns as in ``_BULK``)."""
        self._require_tx()
        cols = self._BULK[table]
        self.db.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            rows,
        )

    def bulk_insert_values(
        self,
        table: str,
        rows: Sequence[tuple[object, ...]],
        *,
        ids: bool = False,
    ) -> None:
        """Insert many rows, thousands a statement (columns as in ``_BULK``, or in
        ``_BULK_IDS`` with ``ids``): a multi-row ``VALUES`` is one SQLite step, its
        binding one C loop."""
        self._require_tx()
        cols = (self._BULK_IDS if ids else self._BULK)[table]
        names = ", ".join(f'"{c}"' for c in cols)
        head = f"INSERT INTO {table} ({names}) VALUES "
        one = f"({', '.join('?' * len(cols))})"
        per = max(1, self.db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(cols))
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            self.db.execute(
                head + ", ".join([one] * len(chunk)), list(itertools.chain.from_iterable(chunk))
            )

    # ------------------------------------------- flat rows, no models

    def _tuples(self, sql: str) -> list[tuple[Any, ...]]:
        cur = self.db.cursor()
        cur.row_factory = None
        return cur.execute(sql).fetchall()

    # ------------------------------------------- imports: flat reads, batched writes

    _BULK_IDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "organizations": ("id", "name"),
        "employments": (
            "id",
            "person_id",
            "org_id",
            "title",
            "start",
            "end",
            "current",
            "source",
            "seen",
        ),
        "interactions": (
            "id",
            "at",
            "channel",
            "direction",
            "subject",
            "summary",
            "source",
            "source_id",
        ),
        "interaction_people": ("interaction_id", "person_id", "position"),
    }

    def max_ids(self) -> dict[str, int]:
        """Highest row id of people, organisations, employments and interactions (imports
        assign the next)."""
        return {
            t: int(self.db.execute(f"SELECT COALESCE(MAX(id), 0) FROM {t}").fetchone()[0])
            for t in ("people", "organizations", "employments", "interactions")
        }

    def bulk_insert_ids(self, table: str, rows: Iterable[tuple[object, ...]]) -> None:
        """Insert many rows whose ids the caller assigned (columns as in ``_BULK_IDS``)."""
        self._require_tx()
        cols = ", ".join(f'"{c}"' for c in self._BULK_IDS[table])
        marks = ", ".join("?" * len(self._BULK_IDS[table]))
        self.db.executemany(
            f"INSERT INTO {table} ({cols}) VALUES ({marks})",
            rows,
        )

    def person_rows(self) -> list[tuple[Any, ...]]:
        """(id, first_name, last_name, birthday, location, tags JSON, source) of everyone."""
        return self._tuples(
            "SELECT id, first_name, last_name, birthday, location, tags, source FROM people"
        )

    def employment_rows(self) -> list[tuple[Any, ...]]:
        """(id, person id, org id, title, current, source, seen) of every job, in id order.

        ``seen`` is the date of the newest export that stated the job (imports set it).
        """
        return self._tuples(
            "SELECT id, person_id, org_id, title, current, source, seen FROM employments"
            " ORDER BY id"
        )

    def update_employments(self, rows: Iterable[tuple[object, ...]]) -> None:
        """Set title, end, current and seen of jobs: rows of (title, end, current, seen, id)."""
        self._require_tx()
        self.db.executemany(
            'UPDATE employments SET title = ?, "end" = ?, current = ?, seen = ? WHERE id = ?',
            rows,
        )

    def upsert_field_sources(self, rows: Iterable[tuple[object, ...]]) -> None:
        """Record (person id, field, value, source) provenance rows, replacing older values."""
        self._require_tx()
        self.db.executemany(
            "INSERT INTO field_sources (person_id, field, value, source) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (person_id, field, source) DO UPDATE SET value = excluded.value",
            rows,
        )

    def tie_rows_of(self, pid: int) -> list[tuple[int, int, str, str]]:
        """(a, b, context, evidence JSON) of every tie that involves one person."""
        cur = self.db.cursor()
        cur.row_factory = None
        return cur.execute(
            "SELECT a, b, context, evidence FROM ties WHERE a = ? UNION ALL"
            " SELECT a, b, context, evidence FROM ties WHERE b = ?",
            (pid, pid),
        ).fetchall()

    def tie_evidence(self, a: int, b: int, context: str) -> str | None:
        """The evidence JSON of one tie (``a < b``), or None when there is no such tie."""
        row = self.db.execute(
            "SELECT evidence FROM ties WHERE a = ? AND b = ? AND context = ?", (a, b, context)
        ).fetchone()
        return row[0] if row else None

    def known_source_ids(self, source_ids: list[str]) -> set[str]:
        """Which of these interaction source ids are already stored."""
        out: set[str] = set()
        for start in range(0, len(source_ids), 500):
            chunk = source_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            out.update(
                r[0]
                for r in self.db.execute(
                    f"SELECT source_id FROM interactions WHERE source_id IN ({marks})", chunk
                )
            )
        return out

    def add_pair_candidates(self, interaction_ids: list[int]) -> None:
        """Remember interactions whose participants may know each other (a scratch table)."""
        self._require_tx()
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS pair_candidates (id INTEGER PRIMARY KEY)")
        self.db.executemany(
            "INSERT OR IGNORE INTO pair_candidates (id) VALUES (?)",
            [(i,) for i in interaction_ids],
        )

    def add_pair_ties(self, owner_id: int) -> int:
        """Tie every two people (besides the owner) on the remembered interactions.

        One tie per pair, context ``co-attendee`` for meetings and ``co-recipient``
        otherwise, with one piece of evidence that counts their shared interactions and
        names the latest ("Both on 3 emails, latest "Re: Intro" on 04 Nov 2025"); a
        stored tie gains that evidence unless it already has it. The scratch table is
        emptied. Returns the number of pairs.
        """
        self._require_tx()
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS pair_candidates (id INTEGER PRIMARY KEY)")
        cur = self.db.execute(
            "INSERT INTO ties (a, b, context, source, owner_id, since, evidence, strength)"
            " SELECT a, b, CASE channel WHEN 'meeting' THEN 'co-attendee' ELSE 'co-recipient' END,"
            "  src, ?, NULL, json_array(json_object('text',"
            "   CASE WHEN n = 1 THEN 'Both on the ' || noun"
            "    ELSE 'Both on ' || n || ' ' || noun || 's, latest' END"
            "   || CASE WHEN subject IS NOT NULL AND subject != ''"
            "    THEN ' \"' || subject || '\"' ELSE '' END"
            "   || ' on ' || strftime('%d', at) || ' '"
            "   || substr('JanFebMarAprMayJunJulAugSepOctNovDec',"
            "    3 * CAST(strftime('%m', at) AS INTEGER) - 2, 3) || ' ' || strftime('%Y', at),"
            "   'source', src, 'at', date(at))), NULL"
            " FROM (SELECT p1.person_id AS a, p2.person_id AS b, count(*) AS n, max(i.at) AS at,"
            "   i.subject AS subject, i.channel AS channel,"
            "   CASE i.channel WHEN 'meeting' THEN 'calendar' WHEN 'email' THEN 'mbox'"
            "    WHEN 'message' THEN 'linkedin' ELSE i.channel END AS src,"
            "   CASE i.channel WHEN 'meeting' THEN 'meeting' WHEN 'email' THEN 'email'"
            "    WHEN 'message' THEN 'message' ELSE 'conversation' END AS noun"
            # CROSS JOIN keeps this join order: from the remembered interactions out (left
            # to itself, SQLite walks every participant row in the store, by person)
            "  FROM pair_candidates c"
            "  CROSS JOIN interaction_people p1 CROSS JOIN interaction_people p2"
            "  CROSS JOIN interactions i"
            "  WHERE p1.interaction_id = c.id AND p1.position > 0"
            "   AND p2.interaction_id = c.id AND p2.position > 0"
            "   AND p2.person_id > p1.person_id AND i.id = c.id"
            "  GROUP BY p1.person_id, p2.person_id) WHERE true"
            " ON CONFLICT (a, b, context) DO UPDATE SET"
            " evidence = json_insert(ties.evidence, '$[#]',"
            "  json_extract(excluded.evidence, '$[0]')),"
            " owner_id = COALESCE(ties.owner_id, excluded.owner_id)"
            " WHERE NOT EXISTS (SELECT 1 FROM json_each(ties.evidence) e"
            "  WHERE e.value = json_extract(excluded.evidence, '$[0]'))",
            (owner_id,),
        )
        self.db.execute("DELETE FROM pair_candidates")
        return int(cur.rowcount)
