"""The store: a Carson data home's SQLite file, and the ``Store`` that reads and writes it.

SQLite in WAL mode is the single source of truth. Reads need no lock. Every write
goes through ``Store.write()``: it takes the cross-process writer lock, opens an
``IMMEDIATE`` transaction, and commits or rolls back as a whole, so a write killed
half-way leaves the file as it was before it began.

This module holds the plumbing (connection, lock, transactions, write marker, meta);
each kind of row's reads and writes is a mixin beside it: ``_people`` (people,
identifiers, provenance), ``_records`` (organisations, employments, ties,
interactions), ``_notes`` (notes, the notes index's rows, outcomes), ``_dedupe``
(merge and undo) and ``_bulk`` (imports). Keeping SQL in this package (and DDL in
``migrations.py``) is what lets another backend such as PostgreSQL be added later
behind the same methods.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from carson import locations
from carson.errors import StoreError
from carson.store._bulk import BulkMixin
from carson.store._dedupe import DedupeMixin
from carson.store._notes import NotesMixin
from carson.store._people import PeopleMixin
from carson.store._records import RecordsMixin
from carson.store.lock import WriterLock
from carson.store.migrations import bump_write_marker, migrate, write_marker


@dataclass(frozen=True)
class Counts:
    people: int
    organizations: int
    employments: int
    ties: int
    interactions: int
    notes: int
    outcomes: int


class Store(PeopleMixin, RecordsMixin, NotesMixin, DedupeMixin, BulkMixin):
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

    def change_token(self) -> tuple[int, int]:
        """Changes when anything was committed since (by this connection or another): O(1).

        ``PRAGMA data_version`` moves on other connections' commits, ``total_changes``
        on this one's writes, so a cache keyed by it is never stale.
        """
        version = int(self.db.execute("PRAGMA data_version").fetchone()[0])
        return version, int(self.db.total_changes)

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
