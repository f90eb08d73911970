"""The store: every SQL statement Carson runs lives in this module.

SQLite in WAL mode is the single source of truth. Reads need no lock. Every write
goes through ``Store.write()``: it takes the cross-process writer lock, opens an
``IMMEDIATE`` transaction, and commits or rolls back as a whole, so a write killed
half-way leaves the file as it was before it began.

Keeping SQL here (and DDL in ``migrations.py``) is what lets another backend such
as PostgreSQL be added later behind the same methods.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

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
from carson.store.migrations import migrate

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
            try:
                yield self
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            else:
                self.db.execute("COMMIT")
            finally:
                self._in_tx = False

    def _require_tx(self) -> None:
        if not self._in_tx:
            raise RuntimeError("store writes must run inside `with store.write():`")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    def update_person(self, person: Person) -> Person:
        """Overwrite a stored person's fields and identifiers."""
        self._require_tx()
        if person.id is None:
            raise ValueError("update_person needs a stored person")
        self.db.execute(
            "UPDATE people SET name = ?, first_name = ?, last_name = ?, location = ?,"
            " birthday = ?, tags = ?, is_me = ?, is_team = ?, source = ? WHERE id = ?",
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
                person.id,
            ),
        )
        self.db.execute("DELETE FROM identifiers WHERE person_id = ?", (person.id,))
        self._write_identifiers(person.id, person, person.source)
        return person

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

    def organization_by_domain(self, domain: str) -> Organization | None:
        row = self.db.execute(
            "SELECT * FROM organizations WHERE domain = ? COLLATE NOCASE ORDER BY id", (domain,)
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
            "INSERT INTO employments (person_id, org_id, title, start, end, current, source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                emp.person_id,
                emp.org_id,
                emp.title,
                _d(emp.start),
                _d(emp.end),
                int(emp.current),
                emp.source,
            ),
        )
        return emp.model_copy(update={"id": int(cur.lastrowid or 0)})

    def update_employment(self, emp: Employment) -> Employment:
        self._require_tx()
        self.db.execute(
            "UPDATE employments SET person_id = ?, org_id = ?, title = ?, start = ?, end = ?,"
            " current = ?, source = ? WHERE id = ?",
            (
                emp.person_id,
                emp.org_id,
                emp.title,
                _d(emp.start),
                _d(emp.end),
                int(emp.current),
                emp.source,
                emp.id,
            ),
        )
        return emp

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

    def set_tie_strengths(self, strengths: Iterable[tuple[int, float]]) -> None:
        self._require_tx()
        self.db.executemany(
            "UPDATE ties SET strength = ? WHERE id = ?", [(s, i) for i, s in strengths]
        )

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
        if person_id is None:
            rows = self.db.execute("SELECT * FROM notes ORDER BY id").fetchall()
        else:
            rows = self.db.execute(
                "SELECT n.* FROM notes n JOIN note_people p ON p.note_id = n.id"
                " WHERE p.person_id = ? ORDER BY n.at DESC, n.id DESC",
                (person_id,),
            ).fetchall()
        people: dict[int, list[int]] = {}
        for r in self.db.execute("SELECT note_id, person_id FROM note_people ORDER BY rowid"):
            people.setdefault(r[0], []).append(r[1])
        return [
            Note(
                id=r["id"],
                text=r["text"],
                at=datetime.fromisoformat(r["at"]),
                source=r["source"],
                people=people.get(r["id"], []),
            )
            for r in rows
        ]

    def get_note(self, nid: int) -> Note | None:
        row = self.db.execute("SELECT * FROM notes WHERE id = ?", (nid,)).fetchone()
        if not row:
            return None
        people = [
            r[0]
            for r in self.db.execute(
                "SELECT person_id FROM note_people WHERE note_id = ? ORDER BY rowid", (nid,)
            )
        ]
        return Note(
            id=row["id"],
            text=row["text"],
            at=datetime.fromisoformat(row["at"]),
            source=row["source"],
            people=people,
        )

    def note_stats(self) -> tuple[int, int]:
        """(number of notes, highest note id): a cheap check that a derived index is current."""
        row = self.db.execute("SELECT count(*), coalesce(max(id), 0) FROM notes").fetchone()
        return int(row[0]), int(row[1])

    def note_ids(self) -> list[int]:
        return [int(r[0]) for r in self.db.execute("SELECT id FROM notes ORDER BY id")]

    # ---------------------------------------------------------------- outcomes

    def add_outcome(self, outcome: Outcome) -> Outcome:
        self._require_tx()
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
