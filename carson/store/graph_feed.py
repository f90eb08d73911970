"""Reads that feed the relationship graph: whole columns as numpy arrays, and one pair's rows.

Building the graph needs a few integer columns of the big tables (ties, interactions and
their participants, jobs, people), read through ``_sql_columns`` (``group_concat`` text
parsed by numpy, small fields packed into one value, text as codes in SQL), chunks shared
by a reader and its twin (:func:`twin_of`). No evidence JSON is read for the build: a tie's
evidence, jobs, notes and shared interactions are fetched per pair, by index, when a route
card or explanation asks (:func:`pair_ties` and friends). What changed since a build is
``graph_edits``'s.

``at`` is kept as the stored local wall-clock time, to the second (any UTC offset is
ignored), as Unix seconds; a value SQLite cannot read counts as 1970 (ancient).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from carson.models import Channel
from carson.store import _sql_columns as sq

if TYPE_CHECKING:
    from carson.store.db import Store


@contextmanager
def twin_of(store: Store) -> Iterator[Store | None]:
    """Another connection to ``store``'s file that sees the very rows ``store`` does, for
    the bulk reads to share between two cores (their ``twin`` argument); None when it
    can't: ``store`` is not inside a read transaction, or a write was committed between
    its snapshot and the twin's (the write marker differs), so read on ``store`` alone."""
    if not store.db.in_transaction:
        yield None
        return
    from carson.errors import CarsonError
    from carson.store.db import Store

    try:
        other = Store(store.home, create=False)
    except (CarsonError, sqlite3.Error):  # it only shares work: without it, one reads all
        yield None
        return
    try:
        other.db.execute("BEGIN")
        same = signature(other) == signature(store)
        yield other if same else None
    finally:
        if other.db.in_transaction:
            other.db.execute("COMMIT")
        other.close()


def tie_columns(
    store: Store,
    contexts: Sequence[str],
    since: int = 0,
    upto: int = sq.TOP,
    twin: Store | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, context) of every tie (with an id past ``since`` and up to ``upto``) in id
    order; context is its index in ``contexts`` (-1 for any other value). No evidence: see
    :func:`pair_ties`. ``twin``: see :func:`twin_of`."""
    db = store.db
    other = None if twin is None else twin.db
    ctx, params = sq.code("context", contexts, -1, db, "ties")
    ba, bb = sq.bits(db, "ties", "a"), sq.bits(db, "ties", "b")
    bc = max(1, (len(contexts) + 1).bit_length())
    if ba and bb:
        # The CASE parameters come first in the statement, before the rowid range.
        word = [(f"{ctx} + 1", bc), ("a", ba), ("b", bb)]
        cols = sq.packed(db, "ties", [word], params, since, upto, other)
        if cols is not None:
            return cols[1], cols[2], cols[0] - 1
    a, b, c = sq.columns(db, "ties", ["a", "b", ctx], params, since, upto, other)
    return a, b, c


@dataclass
class InteractionColumns:
    """One row per participant of every interaction, ordered by interaction then position."""

    id: np.ndarray
    at: np.ndarray
    """Unix seconds (wall clock) of the interaction."""
    channel: np.ndarray
    """Index into ``channels``."""
    direction: np.ndarray
    """0 mutual (or anything else), 1 outbound, 2 inbound."""
    person: np.ndarray
    channels: list[str]
    """Channel names, sorted: the model's, or every stored one if the store has others."""


_DIRECTIONS = ("mutual", "outbound", "inbound")
"""Directions by their code in :class:`InteractionColumns` (any other value reads as 0)."""


def interaction_columns(
    store: Store, since: tuple[int, int] = (0, 0), twin: Store | None = None
) -> InteractionColumns:
    """Every interaction's participants with its time, channel and direction, as columns;
    with ``since`` (an interaction id, a participant rowid), only interactions past the
    first and participant rows past the second (see :func:`added_to_old`). ``twin``: see
    :func:`twin_of`.

    The two tables are read separately and joined in numpy (an inner join, as SQL would)."""
    db = store.db
    other = None if twin is None else twin.db
    channels = sorted(c.value for c in Channel)
    ch, params = sq.code("channel", channels, -1, db, "interactions")
    direction, dparams = sq.code(
        "direction", ["mutual", "outbound", "inbound"], 0, db, "interactions"
    )
    bi = sq.bits(db, "interactions", "id")
    bc = max(1, (len(channels) + 1).bit_length())
    cols = None
    if bi:
        # Channel, direction and id in one packed value; the time on its own (it may be < 0).
        got = sq.packed(
            db,
            "interactions",
            [[(f"{ch} + 1", bc), (direction, 2), ("id", bi)], [(sq.seconds("at"), 0)]],
            [*params, *dparams],
            since[0],
            twin=other,
        )
        if got is not None:
            cols = [got[2], got[3], got[0] - 1, got[1]]
    if cols is None:
        cols = sq.columns(
            db,
            "interactions",
            ["id", sq.seconds("at"), ch, direction],
            [*params, *dparams],
            since[0],
            twin=other,
        )
    iid, at, chan, dirn = cols
    if chan.size and int(chan.min()) < 0:  # a channel the model does not name: read them all
        channels = sorted(r[0] for r in db.execute("SELECT DISTINCT channel FROM interactions"))
        ch, params = sq.code("channel", channels, -1)
        chan = sq.columns(db, "interactions", [ch], params, since[0], int(iid[-1]))[0]
    pid_i, person, pos = _participants(db, since[1], other)
    # Order participants by (interaction, position); usually they already are.
    if pid_i.size > 1:
        ok = (pid_i[1:] > pid_i[:-1]) | ((pid_i[1:] == pid_i[:-1]) & (pos[1:] > pos[:-1]))
        if not ok.all():
            order = np.lexsort((pos, pid_i))
            pid_i, person = pid_i[order], person[order]
    del pos
    at_row = _rows_of(iid, pid_i)
    keep = iid[at_row] == pid_i if iid.size else np.zeros(pid_i.size, dtype=bool)
    if not keep.all():
        pid_i, person, at_row = pid_i[keep], person[keep], at_row[keep]
    return InteractionColumns(
        id=pid_i,
        at=at[at_row],
        channel=chan[at_row].astype(np.int16),
        direction=dirn[at_row].astype(np.int8),
        person=person,
        channels=channels,
    )


def _rows_of(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each of ``wanted``, the index of that value in ``ids`` (increasing), or of some
    other value where it is missing (check ``ids[rows] == wanted``). A lookup table over
    the ids' range when they are dense enough (a gather, several times faster than a binary
    search per value), else ``searchsorted``."""
    if ids.size == 0:
        return np.zeros(wanted.size, dtype=np.int64)
    lo, hi = int(ids[0]), int(ids[-1])
    if hi - lo >= 4 * ids.size + 1024:
        return np.minimum(np.searchsorted(ids, wanted), ids.size - 1)
    table = np.full(hi - lo + 1, -1, dtype=np.int64)
    table[ids - lo] = np.arange(ids.size)
    return table[np.clip(wanted - lo, 0, hi - lo)]


NO_DAY = -(2**31)
"""A date that is unknown (NULL) or that SQLite cannot read, in :func:`job_columns`."""


def _day(expr: str) -> str:
    """SQL for the days since 1970 of an ISO date column, ``NO_DAY`` when unreadable."""
    return f"ifnull(CAST(julianday({expr}) - 2440587.5 AS INTEGER), {NO_DAY})"


@dataclass
class PeopleColumns:
    """Everyone in id order: ids, flags (1 the user, 2 on the team) and names as one UTF-8
    buffer with each name's length in bytes."""

    id: np.ndarray
    flags: np.ndarray
    name_buf: np.ndarray
    """uint8: the names back to back."""
    name_len: np.ndarray


def people_columns(store: Store, since: int = 0, twin: Store | None = None) -> PeopleColumns | None:
    """:class:`PeopleColumns` of everyone (with an id past ``since``; names joined by NUL
    in SQL and cut apart in numpy), or None when a name itself holds a NUL character (read
    :func:`people_rows` instead)."""
    sql = (
        "SELECT count(*), group_concat(id), group_concat(is_me + 2 * is_team),"
        " group_concat(name, char(0)) FROM people WHERE rowid >= ? AND rowid < ?"
    )
    ids, flags, bufs, lens = [], [], [], []
    other = None if twin is None else twin.db
    for n, i, f, names in sq.read_chunks(store.db, "people", sql, tuple, since=since, twin=other):
        raw = np.frombuffer(names.encode("utf-8", "surrogatepass"), dtype=np.uint8)
        cut = np.flatnonzero(raw == 0)
        if cut.size != n - 1:
            return None
        ids.append(sq.ints(i, n))
        flags.append(sq.ints(f, n).astype(np.uint8))
        lens.append(np.diff(np.concatenate(([-1], cut, [raw.size]))) - 1)
        bufs.append(np.delete(raw, cut))
    if not ids:
        empty = np.empty(0, dtype=np.int64)
        return PeopleColumns(empty, empty.astype(np.uint8), empty.astype(np.uint8), empty)
    out = PeopleColumns(*(np.concatenate(x) for x in (ids, flags, bufs, lens)))
    if out.id.size > 1 and not bool((out.id[1:] > out.id[:-1]).all()):
        return None
    return out


@dataclass
class JobRows:
    """Every job in id order, as columns (what :func:`employment_rows` reads, in bulk)."""

    id: np.ndarray
    person: np.ndarray
    org: np.ndarray
    title: list[str | None]
    start: np.ndarray
    """Days since 1970, ``NO_DAY`` when unknown."""
    end: np.ndarray
    current: np.ndarray


def job_columns(store: Store, since: int = 0, twin: Store | None = None) -> JobRows | None:
    """:class:`JobRows` (of the jobs with an id past ``since``), or None when a title holds
    a NUL character (read :func:`employment_rows` instead). A NULL title travels as
    ``"\\x01"``."""
    start_day, end_day = _day("start"), _day('"end"')
    sql = (
        "SELECT count(*), group_concat(id), group_concat(person_id), group_concat(org_id),"
        f" group_concat(current), group_concat({start_day}), group_concat({end_day}),"
        " group_concat(ifnull(title, char(1)), char(0)) FROM employments"
        " WHERE rowid >= ? AND rowid < ?"
    )
    cols: list[list[np.ndarray]] = [[], [], [], [], [], []]
    titles: list[str | None] = []
    other = None if twin is None else twin.db
    for row in sq.read_chunks(store.db, "employments", sql, tuple, since=since, twin=other):
        n = int(row[0])
        for k in range(6):
            cols[k].append(sq.ints(row[1 + k], n))
        got = row[7].split("\x00")
        if len(got) != n:
            return None
        titles += [None if t == "\x01" else t for t in got]
    jid, person, org, current, start, end = (
        np.concatenate(c) if c else np.empty(0, dtype=np.int64) for c in cols
    )
    return JobRows(jid, person, org, titles, start, end, current.astype(bool))


def _participants(
    db: sqlite3.Connection, since: int = 0, twin: sqlite3.Connection | None = None
) -> list[np.ndarray]:
    """(interaction id, person id, position) of every ``interaction_people`` row, packed
    into one value a row when they fit. Positions go in as ``position + 1`` capped at
    ``top``: if one lands on ``top`` or 0, or below (which makes its row's value, and so
    its interaction id, negative), the rows are read apart instead."""
    bi = sq.bits(db, "interaction_people", "interaction_id")
    bp = sq.bits(db, "interaction_people", "person_id")
    names = ["interaction_id", "person_id", "position"]
    if bi and bp:
        bpos = min(16, 62 - bi - bp)
        if bpos >= 2:
            top = (1 << bpos) - 1
            got = sq.packed(
                db,
                "interaction_people",
                [
                    [
                        ("interaction_id", bi),
                        ("person_id", bp),
                        (f"min(position + 1, {top})", bpos),
                    ]
                ],
                since=since,
                twin=twin,
            )
            if got is not None:
                pos = got[2]
                if not pos.size or (
                    int(pos.min()) > 0 and int(pos.max()) < top and int(got[0].min()) >= 0
                ):
                    return [got[0], got[1], pos - 1]
    return sq.columns(db, "interaction_people", names, since=since, twin=twin)


def people_rows(
    store: Store, since: int = 0, ids: Sequence[int] | None = None
) -> list[tuple[int, str, int, int]]:
    """(id, name, is_me, is_team) of everyone (with an id past ``since``; or with one of
    ``ids``, by index), in id order."""
    cur = store.db.cursor()
    cur.row_factory = None
    if ids is not None:
        return cur.execute(
            "SELECT id, name, is_me, is_team FROM people"
            " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps([int(i) for i in ids]),),
        ).fetchall()
    return cur.execute(
        "SELECT id, name, is_me, is_team FROM people WHERE id > ? ORDER BY id", (since,)
    ).fetchall()


def job_rows(
    store: Store, since: int = 0, people: Sequence[int] | None = None
) -> list[tuple[int, int, int, str | None, str | None, str | None, int]]:
    """(id, person id, org id, title, start, end, current) of every job (with an id past
    ``since``; or of these people, by index), in id order."""
    cur = store.db.cursor()
    cur.row_factory = None
    sql = 'SELECT id, person_id, org_id, title, start, "end", current FROM employments'
    if people is not None:
        return cur.execute(
            sql + " WHERE person_id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps([int(p) for p in people]),),
        ).fetchall()
    return cur.execute(sql + " WHERE id > ? ORDER BY id", (since,)).fetchall()


def employment_rows(
    store: Store, people: Sequence[int] | None = None, since: int = 0
) -> list[tuple[int, int, str | None, str | None, str | None, int]]:
    """(person id, org id, title, start, end, current) of every job (or these people's;
    or those with an id past ``since``), in id order."""
    cur = store.db.cursor()
    cur.row_factory = None
    sql = 'SELECT person_id, org_id, title, start, "end", current FROM employments'
    if people is None:
        return cur.execute(sql + " WHERE id > ? ORDER BY id", (since,)).fetchall()
    marks = ",".join("?" * len(people))
    return cur.execute(f"{sql} WHERE person_id IN ({marks}) ORDER BY id", list(people)).fetchall()


def org_names(store: Store) -> dict[int, str]:
    """Every organisation's name by id."""
    cur = store.db.cursor()
    cur.row_factory = None
    return dict(cur.execute("SELECT id, name FROM organizations"))


def note_people(store: Store) -> list[list[int]]:
    """The person ids of every note about two or more people, in note id order."""
    cur = store.db.cursor()
    cur.row_factory = None
    return [
        [int(x) for x in r[0].split(",")]
        for r in cur.execute(
            "SELECT group_concat(person_id) FROM note_people"
            " GROUP BY note_id HAVING count(*) >= 2 ORDER BY note_id"
        )
    ]


# ------------------------------------------------------------------ one pair, on demand


def pair_ties(store: Store, a: int, b: int) -> list[tuple[int, int, int, str, int | None, str]]:
    """(id, a, b, context, owner id, evidence JSON) of the ties between two people, in id
    order (an index lookup on ``UNIQUE (a, b, context)``)."""
    lo, hi = min(a, b), max(a, b)
    cur = store.db.cursor()
    cur.row_factory = None
    return cur.execute(
        "SELECT id, a, b, context, owner_id, evidence FROM ties WHERE a = ? AND b = ? ORDER BY id",
        (lo, hi),
    ).fetchall()


def shared_interactions(store: Store, a: int, b: int) -> list[tuple[int, int, str, str, int]]:
    """(interaction id, at as Unix seconds, channel, direction, person id) of every
    participant of the interactions both people were on, ordered by interaction then
    position; a direction other than outbound/inbound reads as ``mutual``."""
    cur = store.db.cursor()
    cur.row_factory = None
    return cur.execute(
        f"SELECT i.id, {sq.seconds('i.at')}, i.channel,"
        " CASE i.direction WHEN 'outbound' THEN 'outbound' WHEN 'inbound' THEN 'inbound'"
        " ELSE 'mutual' END, p.person_id"
        " FROM interactions i JOIN interaction_people p ON p.interaction_id = i.id"
        " WHERE i.id IN (SELECT interaction_id FROM interaction_people WHERE person_id = ?"
        "  INTERSECT SELECT interaction_id FROM interaction_people WHERE person_id = ?)"
        " ORDER BY i.id, p.position",
        (a, b),
    ).fetchall()


def shared_notes(store: Store, a: int, b: int) -> list[tuple[int, str, str, str | None, str]]:
    """(id, at, text, source, comma-separated person ids) of every note about both people,
    in id order."""
    cur = store.db.cursor()
    cur.row_factory = None
    return cur.execute(
        "SELECT n.id, n.at, n.text, n.source,"
        " (SELECT group_concat(person_id) FROM note_people WHERE note_id = n.id)"
        " FROM notes n WHERE n.id IN (SELECT note_id FROM note_people WHERE person_id = ?"
        "  INTERSECT SELECT note_id FROM note_people WHERE person_id = ?)"
        " ORDER BY n.id",
        (a, b),
    ).fetchall()


# ------------------------------------------------------------------ what was added since


def signature(store: Store) -> tuple[int, int]:
    """What the graph is rebuilt on: the store's write marker (which every committed write
    changes, in-place UPDATEs included) and its schema version (which migrations change)."""
    version = int(store.db.execute("PRAGMA schema_version").fetchone()[0])
    return store.write_marker(), version
