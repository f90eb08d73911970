"""What changed in the store since a graph build: rowid marks and the edit log.

A build keeps each fed table's last rowid (:func:`high_water`) and the row there
(:func:`rows_at`). Later, the rows past the marks are the new ones (:func:`new_since`, which
lowers a mark where rows at the top were deleted, since SQLite hands those rowids out
again), and the triggers of ``m006_graph_edits`` name the people an edit touched
(:func:`touched`), whose rows are then read again by index (:func:`ties_of`,
:func:`interactions_of`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from carson.models import Channel
from carson.store import _sql_columns as sq
from carson.store.graph_feed import InteractionColumns

if TYPE_CHECKING:
    from carson.store.db import Store

FED: dict[str, str] = {
    "people": "name, is_me, is_team",
    "employments": 'person_id, org_id, title, start, "end", current',
    "ties": "a, b, context",
    "interactions": "at, channel, direction",
    "interaction_people": "interaction_id, person_id, position",
}
"""The tables the build reads rows of, and the columns it reads."""


def high_water(store: Store) -> dict[str, int]:
    """The last rowid of each table in :data:`FED` and of the ``graph_touched`` and
    ``graph_deletes`` logs (0 when empty)."""
    db = store.db
    return {
        t: int(db.execute(f"SELECT ifnull(max(rowid), 0) FROM {t}").fetchone()[0])
        for t in (*FED, "graph_touched", "graph_deletes")
    }


def new_since(store: Store, marks: dict[str, int]) -> dict[str, int]:
    """For each table of ``marks`` (:func:`high_water` at a build): the rowid past which
    every row is new since then. That is the mark, or lower where rows at the top were
    deleted since (SQLite reuses their rowids; see ``m006_graph_edits``)."""
    cur = store.db.cursor()
    cur.row_factory = None
    lows = dict(
        cur.execute(
            "SELECT tbl, min(top) FROM graph_deletes WHERE id > ? GROUP BY tbl",
            (marks.get("graph_deletes", 0),),
        ).fetchall()
    )
    return {t: min(m, int(lows.get(t, m))) for t, m in marks.items()}


def touched(store: Store, since: int, what: str) -> np.ndarray:
    """The people an edit touched since the log's rowid ``since`` (sorted, distinct; see
    ``m006_graph_edits``): ``"person"``, their own row or jobs; ``"pairs"``, a tie or an
    interaction of theirs."""
    cur = store.db.cursor()
    cur.row_factory = None
    rows = cur.execute(
        "SELECT DISTINCT person_id FROM graph_touched WHERE id > ? AND what = ? ORDER BY person_id",
        (since, what),
    ).fetchall()
    return np.array([r[0] for r in rows], dtype=np.int64)


def joined_old(store: Store, since: tuple[int, int]) -> np.ndarray:
    """Everyone on the interactions at or before ``since[0]`` that gained a participant row
    past ``since[1]`` (someone added to an interaction read before), sorted."""
    cur = store.db.cursor()
    cur.row_factory = None
    rows = cur.execute(
        "SELECT DISTINCT person_id FROM interaction_people WHERE interaction_id IN"
        # "+": a scan of the new rows by rowid, not of the primary key's index
        " (SELECT interaction_id FROM interaction_people WHERE rowid > ? AND +interaction_id <= ?)"
        " ORDER BY person_id",
        (since[1], since[0]),
    ).fetchall()
    return np.array([r[0] for r in rows], dtype=np.int64)


def ties_of(
    store: Store, people: np.ndarray, contexts: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`tie_columns` of just the ties with one of ``people`` at either end (by
    index), in id order."""
    ctx, params = sq.code("context", contexts, -1)
    cur = store.db.cursor()
    cur.row_factory = None
    ids = json.dumps([int(p) for p in people])
    rows = cur.execute(
        f"SELECT id, a, b, {ctx} FROM ties WHERE a IN (SELECT value FROM json_each(?))"
        f" UNION SELECT id, a, b, {ctx} FROM ties WHERE b IN (SELECT value FROM json_each(?))"
        " ORDER BY 1",
        (*params, ids, *params, ids),
    ).fetchall()
    got = np.array(rows, dtype=np.int64).reshape(-1, 4)
    return got[:, 1].copy(), got[:, 2].copy(), got[:, 3].copy()


def interactions_of(store: Store, people: np.ndarray) -> InteractionColumns:
    """:func:`interaction_columns` of just the interactions one of ``people`` is on (by
    index), all their participants, ordered by interaction then position."""
    channels = sorted(c.value for c in Channel)
    cur = store.db.cursor()
    cur.row_factory = None
    rows = cur.execute(
        f"SELECT i.id, {sq.seconds('i.at')}, i.channel,"
        " CASE i.direction WHEN 'outbound' THEN 1 WHEN 'inbound' THEN 2 ELSE 0 END,"
        " p.person_id FROM interactions i JOIN interaction_people p ON p.interaction_id = i.id"
        " WHERE i.id IN (SELECT interaction_id FROM interaction_people"
        "  WHERE person_id IN (SELECT value FROM json_each(?)))"
        " ORDER BY i.id, p.position",
        (json.dumps([int(p) for p in people]),),
    ).fetchall()
    seen = sorted({r[2] for r in rows} | set(channels))
    code = {c: k for k, c in enumerate(seen)}
    n = len(rows)
    return InteractionColumns(
        id=np.fromiter((r[0] for r in rows), dtype=np.int64, count=n),
        at=np.fromiter((r[1] for r in rows), dtype=np.int64, count=n),
        channel=np.fromiter((code[r[2]] for r in rows), dtype=np.int16, count=n),
        direction=np.fromiter((r[3] for r in rows), dtype=np.int8, count=n),
        person=np.fromiter((r[4] for r in rows), dtype=np.int64, count=n),
        channels=seen,
    )


def rows_at(store: Store, marks: dict[str, int]) -> dict[str, list[Any] | None]:
    """The read columns of the row at each table's mark (None where there is none): kept
    with a build, and compared later to check that the rows it read are still the same
    ones (a file swapped for another, or renumbered, reads as changed)."""
    cur = store.db.cursor()
    cur.row_factory = None
    out: dict[str, list[Any] | None] = {}
    for table, mark in marks.items():
        if table not in FED:
            continue
        row = cur.execute(f"SELECT {FED[table]} FROM {table} WHERE rowid = ?", (mark,)).fetchone()
        out[table] = None if row is None else list(row)
    return out
