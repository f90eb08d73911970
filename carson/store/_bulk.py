"""Imports: bulk inserts, flat rows without models, and the batched writes of an import."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

from carson.store._base import StoreBase
from carson.store._people import PERSON_COLUMNS


class BulkMixin(StoreBase):
    """``Store``'s bulk inserts, flat reads and batched writes for imports."""

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
        "people": PERSON_COLUMNS,
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
