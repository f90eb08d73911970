"""Schema migrations: named, ordered functions, each recorded in ``_migrations``.

Add a migration by appending a function to ``MIGRATIONS``; never edit one that has
shipped. ``migrate`` applies the ones a file has not seen, each in its own
transaction, so a blank file and an old file both end on the newest schema.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

Migration = Callable[[sqlite3.Connection], None]


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run DDL statement by statement (``executescript`` would commit the open transaction)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement!r}")


def m001_initial(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            first_name TEXT,
            last_name TEXT,
            location TEXT,
            birthday TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            is_me INTEGER NOT NULL DEFAULT 0,
            is_team INTEGER NOT NULL DEFAULT 0,
            source TEXT
        );
        CREATE INDEX people_name ON people(name COLLATE NOCASE);
        CREATE UNIQUE INDEX people_one_me ON people(is_me) WHERE is_me = 1;

        -- emails, phones and profile URLs: each value belongs to one person
        CREATE TABLE identifiers (
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'url')),
            value TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            source TEXT,
            PRIMARY KEY (kind, value)
        );
        CREATE INDEX identifiers_person ON identifiers(person_id);

        CREATE TABLE organizations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            domain TEXT,
            aliases TEXT NOT NULL DEFAULT '[]',
            industry TEXT,
            parent_id INTEGER REFERENCES organizations(id)
        );
        CREATE UNIQUE INDEX organizations_name ON organizations(name COLLATE NOCASE);

        CREATE TABLE employments (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            org_id INTEGER NOT NULL REFERENCES organizations(id),
            title TEXT,
            start TEXT,
            end TEXT,
            current INTEGER NOT NULL DEFAULT 1,
            source TEXT
        );
        CREATE INDEX employments_person ON employments(person_id);
        CREATE INDEX employments_org ON employments(org_id, current);

        CREATE TABLE ties (
            id INTEGER PRIMARY KEY,
            a INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            b INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            context TEXT NOT NULL,
            source TEXT,
            owner_id INTEGER REFERENCES people(id),
            since TEXT,
            evidence TEXT NOT NULL DEFAULT '[]',
            strength REAL,
            CHECK (a < b),
            UNIQUE (a, b, context)
        );
        CREATE INDEX ties_b ON ties(b);

        CREATE TABLE interactions (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            channel TEXT NOT NULL,
            direction TEXT NOT NULL,
            subject TEXT,
            summary TEXT,
            source TEXT,
            source_id TEXT UNIQUE
        );
        CREATE INDEX interactions_at ON interactions(at);
        CREATE TABLE interaction_people (
            interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (interaction_id, person_id)
        );
        CREATE INDEX interaction_people_person ON interaction_people(person_id);

        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            at TEXT NOT NULL,
            source TEXT
        );
        CREATE TABLE note_people (
            note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            PRIMARY KEY (note_id, person_id)
        );
        CREATE INDEX note_people_person ON note_people(person_id);

        CREATE TABLE outcomes (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            path TEXT NOT NULL,
            target_org_id INTEGER REFERENCES organizations(id),
            outcome TEXT NOT NULL,
            predicted REAL,
            features TEXT NOT NULL DEFAULT '{}'
        );
        """,
    )


def m002_ingest_provenance_and_merges(db: sqlite3.Connection) -> None:
    """Where each person field came from, merge history (for undo), rejected duplicates."""
    _run_script(
        db,
        """
        CREATE TABLE field_sources (
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            value TEXT,
            source TEXT NOT NULL,
            PRIMARY KEY (person_id, field, source)
        );
        CREATE TABLE merges (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kept_id INTEGER NOT NULL,
            merged_id INTEGER NOT NULL,
            merged_name TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            undone_at TEXT
        );
        CREATE TABLE dedupe_rejections (
            a INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            b INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            PRIMARY KEY (a, b)
        );
        """,
    )


def m003_employment_seen(db: sqlite3.Connection) -> None:
    """The date of the newest export that stated a job, so older exports never undo it."""
    _run_script(db, "ALTER TABLE employments ADD COLUMN seen TEXT;")


def m004_note_vectors_and_orgs(db: sqlite3.Connection) -> None:
    """What the notes index derives per note, kept beside it for lookups by id.

    ``note_vectors``: the embedding (float32 bytes) and the embedder that made it, so
    a person's notes are scored without a Chroma call. ``note_orgs``: the organisations
    a note is about (named in it, or a linked person's employer when it was written).
    Both are rebuilt by ``carson reindex``.
    """
    _run_script(
        db,
        """
        CREATE TABLE note_vectors (
            note_id INTEGER PRIMARY KEY REFERENCES notes(id) ON DELETE CASCADE,
            embedder TEXT NOT NULL,
            vector BLOB NOT NULL
        );
        CREATE INDEX note_vectors_embedder ON note_vectors(embedder, note_id);
        CREATE TABLE note_orgs (
            note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            PRIMARY KEY (note_id, org_id)
        );
        CREATE INDEX note_orgs_org ON note_orgs(org_id);
        """,
    )


def m005_write_marker(db: sqlite3.Connection) -> None:
    """Nothing to change: applying it gives a file written before write markers existed its
    first marker (``migrate`` sets a fresh one with every migration it applies)."""


_TOUCHED = {
    # table: (the columns the graph reads, what an edit touches: "person" (the person's
    # own row or jobs) or "pairs" (ties and interactions), SQL for the people it touches)
    "people": (("id", "name", "is_me", "is_team"), "person", "VALUES (OLD.id), (NEW.id)"),
    "employments": (
        ("id", "person_id", "org_id", "title", "start", "end", "current"),
        "person",
        "VALUES (OLD.person_id), (NEW.person_id)",
    ),
    "ties": (("id", "a", "b", "context"), "pairs", "VALUES (OLD.a), (OLD.b), (NEW.a), (NEW.b)"),
    "interactions": (
        ("id", "at", "channel", "direction"),
        "pairs",
        "SELECT person_id FROM interaction_people WHERE interaction_id IN (OLD.id, NEW.id)",
    ),
    "interaction_people": (
        ("interaction_id", "person_id", "position"),
        "pairs",
        # everyone on the interaction: who is first (the owner) shapes all its pairs
        "SELECT person_id FROM interaction_people"
        " WHERE interaction_id IN (OLD.interaction_id, NEW.interaction_id)"
        " UNION SELECT OLD.person_id UNION SELECT NEW.person_id",
    ),
}


def m006_graph_edits(db: sqlite3.Connection) -> None:
    """Log edits of the rows the graph reads (an UPDATE that changes a column it reads, or
    a DELETE; adding rows logs nothing), so a build can start from the last one instead of
    reading everything again:

    - ``graph_touched``: the people an edit touched, and whether it was their own row or
      jobs (``person``: read them again) or a tie or an interaction (``pairs``: sum their
      pairs again);
    - ``graph_deletes``: the table's top rowid after each delete. SQLite gives the next
      row the top + 1, so deleting the last rows makes new rows reuse rowids a build had
      read up to: every row past the lowest such top since a build is new to it.

    Triggers, so no write path can forget."""
    db.execute(
        "CREATE TABLE graph_touched"
        " (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL, what TEXT NOT NULL)"
    )
    db.execute("CREATE TABLE graph_deletes (id INTEGER PRIMARY KEY, tbl TEXT, top INTEGER)")
    for table, (cols, what, who) in _TOUCHED.items():
        quoted = ", ".join(f'"{c}"' for c in cols)
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in cols)
        log = f"INSERT INTO graph_touched (person_id, what) SELECT *, '{what}' FROM ({who});"
        db.execute(
            f"CREATE TRIGGER {table}_graph_update AFTER UPDATE OF {quoted} ON {table}"
            f" WHEN {changed} BEGIN {log} END"
        )
        gone = log.replace("NEW.", "OLD.") + (
            f" INSERT INTO graph_deletes (tbl, top)"
            f" VALUES ('{table}', (SELECT ifnull(max(rowid), 0) FROM {table}));"
        )
        db.execute(f"CREATE TRIGGER {table}_graph_delete AFTER DELETE ON {table} BEGIN {gone} END")


MIGRATIONS: list[Migration] = [
    m001_initial,
    m002_ingest_provenance_and_merges,
    m003_employment_seen,
    m004_note_vectors_and_orgs,
    m005_write_marker,
    m006_graph_edits,
]


def write_marker(db: sqlite3.Connection) -> int:
    """The file's write marker: a random value every committed write changes (0: none yet).

    It lives in ``PRAGMA user_version`` (four bytes of the file header, written with the
    transaction that changes it, read in O(1), left out of dumps). Random rather than a
    counter, so a store rebuilt or restored from a copy never repeats a marker that derived
    data (the graph's cache) was keyed on.
    """
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def bump_write_marker(db: sqlite3.Connection) -> None:
    """Give the file a new write marker; call inside the write's transaction."""
    old = write_marker(db)
    new = old
    while new in (old, 0):
        new = secrets.randbits(31)
    db.execute(f"PRAGMA user_version = {new}")


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply every migration the file has not seen; return the names applied."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
    applied: list[str] = []
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            fn(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (fn.__name__, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            bump_write_marker(db)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied.append(fn.__name__)
    return applied
