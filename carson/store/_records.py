"""Organisations, employments, ties and interactions: the rows the graph is built from."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime

from carson.errors import StoreError
from carson.models import Employment, Evidence, Interaction, Organization, Tie
from carson.store._base import StoreBase, _d, _date


class RecordsMixin(StoreBase):
    """``Store``'s organisations, employments, ties and interactions."""

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
