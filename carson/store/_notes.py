"""Notes, what the notes index derived from them (vectors, organisations), and outcomes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import nullcontext
from datetime import datetime

from carson.models import Note, Outcome
from carson.store._base import StoreBase


def _note(row: sqlite3.Row, people: list[int]) -> Note:
    return Note(
        id=row["id"],
        text=row["text"],
        at=datetime.fromisoformat(row["at"]),
        source=row["source"],
        people=people,
    )


class NotesMixin(StoreBase):
    """``Store``'s notes, the notes index's rows and outcomes."""

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

    def note_texts(self) -> list[tuple[int, int, str]]:
        """(note id, person id, text) for every note about someone."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                "SELECT n.id, p.person_id, n.text"
                " FROM notes n JOIN note_people p ON p.note_id = n.id"
            )
        ]

    # -------------------------------------------------------------- notes index

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
