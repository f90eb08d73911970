"""People: their rows, their identifiers (emails, phones, profile URLs) and where each
field's value came from."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from carson.errors import StoreError
from carson.models import Person
from carson.store._base import StoreBase, _d, _date

_IDENT_KINDS = (("email", "emails"), ("phone", "phones"), ("url", "urls"))

PERSON_COLUMNS = (
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
)
"""The people table's own columns (identifiers have a table of their own)."""


class PeopleMixin(StoreBase):
    """``Store``'s people, their identifiers and their fields' sources."""

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

    def update_person_fields(self, pid: int, **fields: object) -> None:
        """Set some of a person's own fields, leaving identifiers (and their sources) alone."""
        self._require_tx()
        allowed = set(PERSON_COLUMNS) - {"id"}
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
