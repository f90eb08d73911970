"""Reads that feed the relationship graph: whole columns as numpy arrays, and one pair's rows.

Building the graph needs a few integer columns of the big tables (ties, interactions and
their participants). Fetching them as row tuples costs a Python tuple and an int object per
value, which is most of a large build; here SQLite joins each chunk of a column into one
comma-separated string (``group_concat``) that numpy parses in C. Strings (tie context,
channel, direction) become codes in SQL. No evidence JSON is read for the build: a tie's
evidence, jobs, notes and shared interactions are fetched per pair, by index, when a route
card or explanation asks (:func:`pair_ties` and friends).

``at`` is kept as the stored local wall-clock time, to the second (any UTC offset is
ignored), as Unix seconds; a value SQLite cannot read counts as 1970 (ancient).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from carson.models import Channel

if TYPE_CHECKING:
    from carson.store.db import Store

_CHUNK = 1 << 20
"""Rows per ``group_concat`` chunk (a few MB of text per column)."""

_SPLIT = 1 << 16
"""Rowids from which a table read is split between two connections (see :func:`twin_of`)."""

T = TypeVar("T")
U = TypeVar("U")


def _seconds(expr: str) -> str:
    """SQL for the Unix seconds of an ISO date-time column, wall clock, 0 when unreadable.

    Only the first 19 characters count (no fraction, no UTC offset); a value of exactly 19
    goes in whole, since ``substr`` costs more than the date arithmetic itself."""
    if sqlite3.sqlite_version_info >= (3, 38, 0):
        whole, cut = f"unixepoch({expr})", f"unixepoch(substr({expr}, 1, 19))"
    else:
        whole = f"CAST(strftime('%s', {expr}) AS INTEGER)"
        cut = f"CAST(strftime('%s', substr({expr}, 1, 19)) AS INTEGER)"
    return f"ifnull(CASE WHEN length({expr}) = 19 THEN {whole} ELSE {cut} END, 0)"


def _code(
    expr: str,
    values: Sequence[str],
    default: int,
    db: sqlite3.Connection | None = None,
    table: str = "",
) -> tuple[str, list[str]]:
    """SQL mapping a text column to the index of its value in ``values`` (else ``default``).

    With ``db`` and ``table`` (``expr`` then being a column of it), the values come in the
    order of their counts among the table's first rows: a row's value is compared until
    one matches, so the common ones first make the CASE several times cheaper."""
    if not values:
        return str(default), []
    order = list(range(len(values)))
    if db is not None:
        cur = db.cursor()
        cur.row_factory = None
        sample = f"SELECT {expr}, count(*) FROM (SELECT {expr} FROM {table} LIMIT 20000) GROUP BY 1"
        seen = dict(cur.execute(sample).fetchall())
        order.sort(key=lambda i: -int(seen.get(values[i], 0)))
    whens = " ".join(f"WHEN ? THEN {i}" for i in order)
    return f"CASE {expr} {whens} ELSE {default} END", [values[i] for i in order]


def _ints(text: str | None, n: int) -> np.ndarray:
    if n == 0 or text is None:
        return np.empty(0, dtype=np.int64)
    out = np.fromstring(text, dtype=np.int64, sep=",")  # text mode: parsed in C
    if out.size != n:
        raise ValueError(f"expected {n} values, parsed {out.size}")
    return out


_TOP = 2**63 - 1


def _span(
    db: sqlite3.Connection, table: str, since: int, upto: int = _TOP
) -> tuple[int, int] | None:
    """The rowids past ``since`` and up to ``upto`` as (first, last), or None when there
    are none. (Two index lookups: ``min`` and ``max`` in one SELECT with a range would
    scan the range.)"""
    lo, hi = db.execute(
        f"SELECT (SELECT min(rowid) FROM {table} WHERE rowid > ? AND rowid <= ?),"
        f" (SELECT max(rowid) FROM {table} WHERE rowid > ? AND rowid <= ?)",
        (since, upto, since, upto),
    ).fetchone()
    return None if lo is None else (int(lo), int(hi))


def together(first: Callable[[], T], second: Callable[[], U]) -> tuple[T, U]:
    """``first()`` here while ``second()`` runs on a thread; both results (an exception of
    either is raised here, after both ended)."""
    got: list[U] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            got.append(second())
        except BaseException as exc:  # re-raised below, in the caller's thread
            failed.append(exc)

    worker = threading.Thread(target=run, name="carson-graph-read")
    worker.start()
    try:
        mine = first()
    finally:
        worker.join()
    if failed:
        raise failed[0]
    return mine, got[0]


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


def _read_chunks(
    db: sqlite3.Connection,
    table: str,
    sql: str,
    parse: Callable[[tuple[Any, ...]], T],
    params: Sequence[object] = (),
    since: int = 0,
    upto: int = _TOP,
    twin: sqlite3.Connection | None = None,
) -> list[T]:
    """``parse`` of ``sql`` (aggregates over ``table`` ending in ``WHERE rowid >= ? AND
    rowid < ?``, the count of rows first) for each rowid chunk past ``since`` and up to
    ``upto`` that has rows, in rowid order.

    With ``twin`` (another connection to the same file, see :func:`twin_of`), the upper
    half of the rowids is read on it, in a thread, while ``db`` reads the lower half:
    SQLite runs without the GIL, so two cores share a big table's read."""
    span = _span(db, table, since, upto)
    if span is None:
        return []
    lo, hi = span[0], span[1] + 1

    def run(conn: sqlite3.Connection, start: int, end: int) -> list[T]:
        cur = conn.cursor()
        cur.row_factory = None
        out = []
        for at in range(start, end, _CHUNK):
            row = cur.execute(sql, (*params, at, min(at + _CHUNK, end))).fetchone()
            if int(row[0]):
                out.append(parse(row))
        return out

    if twin is None or hi - lo < _SPLIT:
        return run(db, lo, hi)
    mid = (lo + hi) // 2
    below, above = together(lambda: run(db, lo, mid), lambda: run(twin, mid, hi))
    return below + above


def _columns(
    db: sqlite3.Connection,
    table: str,
    exprs: Sequence[str],
    params: Sequence[object] = (),
    since: int = 0,
    upto: int = _TOP,
    twin: sqlite3.Connection | None = None,
    cut: Callable[[list[np.ndarray]], list[np.ndarray]] | None = None,
) -> list[np.ndarray]:
    """Integer SQL expressions over every row of ``table`` (with a rowid past ``since`` and
    up to ``upto``) as int64 arrays, one value per row in each, in rowid order (``cut``:
    what to make of each chunk's columns instead, e.g. fields packed in them).

    The expressions must not be NULL (``group_concat`` would skip the value: the count
    check raises instead). Each chunk is a rowid range; ``twin``: see :func:`_read_chunks`."""
    cols = ", ".join(f"group_concat({e})" for e in exprs)
    sql = f"SELECT count(*), {cols} FROM {table} WHERE rowid >= ? AND rowid < ?"

    def parse(row: tuple[Any, ...]) -> list[np.ndarray]:
        n = int(row[0])
        got = [_ints(row[1 + k], n) for k in range(len(exprs))]
        return got if cut is None else cut(got)

    chunks = _read_chunks(db, table, sql, parse, params, since, upto, twin)
    if not chunks:
        empty = [np.empty(0, dtype=np.int64) for _ in exprs]
        return empty if cut is None else cut(empty)
    return [np.concatenate(p) if len(p) > 1 else p[0] for p in zip(*chunks, strict=True)]


def _bits(db: sqlite3.Connection, table: str, column: str) -> int | None:
    """Bits that hold every value of an indexed integer column (two index lookups), or None
    when it holds a negative value (or nothing)."""
    lo, hi = db.execute(
        f"SELECT (SELECT min({column}) FROM {table}), (SELECT max({column}) FROM {table})"
    ).fetchone()
    if not isinstance(lo, int) or not isinstance(hi, int) or lo < 0:
        return None
    return max(1, hi.bit_length())


def _packed(
    db: sqlite3.Connection,
    table: str,
    words: Sequence[Sequence[tuple[str, int]]],
    params: Sequence[object] = (),
    since: int = 0,
    upto: int = _TOP,
    twin: sqlite3.Connection | None = None,
) -> list[np.ndarray] | None:
    """Integer SQL expressions over every row in one scan, several packed into each value
    read and cut apart in numpy (fewer values through ``group_concat`` is most of what a
    column costs). Each word is a list of ``(expr, bits)`` fields, the first in the highest
    bits, each in ``0 .. 2**bits - 1``; a word of one field with 0 bits is read as is.
    Returns every field's column in order, or None when a word does not fit in 62 bits
    (read the columns apart with :func:`_columns`); ``twin``: see :func:`_read_chunks`."""
    exprs: list[str] = []
    layout: list[list[tuple[int, int]]] = []
    for fields in words:
        if len(fields) == 1 and fields[0][1] == 0:
            exprs.append(fields[0][0])
            layout.append([(0, 0)])
            continue
        at = sum(b for _, b in fields)
        if at > 62:
            return None
        shifts = []
        for _, b in fields:
            at -= b
            shifts.append((at, b))
        exprs.append(
            " | ".join(f"(({e}) << {sh})" for (e, _), (sh, _) in zip(fields, shifts, strict=True))
        )
        layout.append(shifts)

    def cut(cols: list[np.ndarray]) -> list[np.ndarray]:
        out = []
        for col, shifts in zip(cols, layout, strict=True):
            for i, (sh, b) in enumerate(shifts):
                if b == 0:
                    out.append(col)
                elif i == 0:  # the top field: nothing above it
                    out.append(col >> sh)
                elif sh == 0:  # the bottom field, the word's last use: in place
                    out.append(np.bitwise_and(col, (1 << b) - 1, out=col))
                else:
                    out.append((col >> sh) & ((1 << b) - 1))
        return out

    return _columns(db, table, exprs, params, since, upto, twin, cut)


def tie_columns(
    store: Store,
    contexts: Sequence[str],
    since: int = 0,
    upto: int = _TOP,
    twin: Store | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, context) of every tie (with an id past ``since`` and up to ``upto``) in id
    order; context is its index in ``contexts`` (-1 for any other value). No evidence: see
    :func:`pair_ties`. ``twin``: see :func:`twin_of`."""
    db = store.db
    other = None if twin is None else twin.db
    ctx, params = _code("context", contexts, -1, db, "ties")
    ba, bb = _bits(db, "ties", "a"), _bits(db, "ties", "b")
    bc = max(1, (len(contexts) + 1).bit_length())
    if ba and bb:
        # The CASE parameters come first in the statement, before the rowid range.
        word = [(f"{ctx} + 1", bc), ("a", ba), ("b", bb)]
        cols = _packed(db, "ties", [word], params, since, upto, other)
        if cols is not None:
            return cols[1], cols[2], cols[0] - 1
    a, b, c = _columns(db, "ties", ["a", "b", ctx], params, since, upto, other)
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
    ch, params = _code("channel", channels, -1, db, "interactions")
    direction, dparams = _code(
        "direction", ["mutual", "outbound", "inbound"], 0, db, "interactions"
    )
    bi = _bits(db, "interactions", "id")
    bc = max(1, (len(channels) + 1).bit_length())
    cols = None
    if bi:
        # Channel, direction and id in one packed value; the time on its own (it may be < 0).
        got = _packed(
            db,
            "interactions",
            [[(f"{ch} + 1", bc), (direction, 2), ("id", bi)], [(_seconds("at"), 0)]],
            [*params, *dparams],
            since[0],
            twin=other,
        )
        if got is not None:
            cols = [got[2], got[3], got[0] - 1, got[1]]
    if cols is None:
        cols = _columns(
            db,
            "interactions",
            ["id", _seconds("at"), ch, direction],
            [*params, *dparams],
            since[0],
            twin=other,
        )
    iid, at, chan, dirn = cols
    if chan.size and int(chan.min()) < 0:  # a channel the model does not name: read them all
        channels = sorted(r[0] for r in db.execute("SELECT DISTINCT channel FROM interactions"))
        ch, params = _code("channel", channels, -1)
        chan = _columns(db, "interactions", [ch], params, since[0], int(iid[-1]))[0]
    pid_i, person, pos = _participants(db, since[1], other)
    # Order participants by (interaction, position); usually they already are.
    if pid_i.size > 1:
        ok = (pid_i[1:] > pid_i[:-1]) | ((pid_i[1:] == pid_i[:-1]) & (pos[1:] > pos[:-1]))
        if not ok.all():
            order = np.lexsort((pos, pid_i))
            pid_i, person = pid_i[order], person[order]
    del pos
    at_row = np.minimum(np.searchsorted(iid, pid_i), max(iid.size - 1, 0))
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
    for n, i, f, names in _read_chunks(store.db, "people", sql, tuple, since=since, twin=other):
        raw = np.frombuffer(names.encode("utf-8", "surrogatepass"), dtype=np.uint8)
        cut = np.flatnonzero(raw == 0)
        if cut.size != n - 1:
            return None
        ids.append(_ints(i, n))
        flags.append(_ints(f, n).astype(np.uint8))
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
    for row in _read_chunks(store.db, "employments", sql, tuple, since=since, twin=other):
        n = int(row[0])
        for k in range(6):
            cols[k].append(_ints(row[1 + k], n))
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
    bi = _bits(db, "interaction_people", "interaction_id")
    bp = _bits(db, "interaction_people", "person_id")
    names = ["interaction_id", "person_id", "position"]
    if bi and bp:
        bpos = min(16, 62 - bi - bp)
        if bpos >= 2:
            top = (1 << bpos) - 1
            got = _packed(
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
    return _columns(db, "interaction_people", names, since=since, twin=twin)


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
        f"SELECT i.id, {_seconds('i.at')}, i.channel,"
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
    ctx, params = _code("context", contexts, -1)
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
        f"SELECT i.id, {_seconds('i.at')}, i.channel,"
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


def signature(store: Store) -> tuple[int, int]:
    """What the graph is rebuilt on: the store's write marker (which every committed write
    changes, in-place UPDATEs included) and its schema version (which migrations change)."""
    version = int(store.db.execute("PRAGMA schema_version").fetchone()[0])
    return store.write_marker(), version
