"""Dedupe: merging two people into one, undoing a merge from its snapshot, and the
pairs the user said are not the same person."""

from __future__ import annotations

import json
from datetime import datetime

from carson.errors import StoreError
from carson.store._base import StoreBase


class DedupeMixin(StoreBase):
    """``Store``'s merges of two people, their undo, and rejected pairs."""

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
