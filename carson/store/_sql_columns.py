"""Integer columns out of SQLite fast: the machinery under ``graph_feed``.

Fetching rows as tuples costs a Python tuple and an int object per value, which is most of
a large read; here SQLite joins each chunk of a column into one comma-separated string
(``group_concat``) that numpy parses in C, several small fields packed into each value
(:func:`packed`), and text columns become codes in SQL (:func:`code`). A big table can be
read in two halves on two connections at once (:func:`read_chunks`): SQLite runs without
the GIL.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from carson import _par

CHUNK = 1 << 18
"""Rows per ``group_concat`` chunk (a few MB of text per column; small enough for two
connections to share a table evenly)."""

SPLIT = 1 << 16
"""Rowids from which a table read is split between two connections (see ``graph_feed.twin_of``)."""

T = TypeVar("T")


def seconds(expr: str) -> str:
    """SQL for the Unix seconds of an ISO date-time column, wall clock, 0 when unreadable.

    Only the first 19 characters count (no fraction, no UTC offset); a value of exactly 19
    goes in whole, since ``substr`` costs more than the date arithmetic itself."""
    if sqlite3.sqlite_version_info >= (3, 38, 0):
        whole, cut = f"unixepoch({expr})", f"unixepoch(substr({expr}, 1, 19))"
    else:
        whole = f"CAST(strftime('%s', {expr}) AS INTEGER)"
        cut = f"CAST(strftime('%s', substr({expr}, 1, 19)) AS INTEGER)"
    return f"ifnull(CASE WHEN length({expr}) = 19 THEN {whole} ELSE {cut} END, 0)"


def code(
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


def ints(text: str | None, n: int) -> np.ndarray:
    if n == 0 or text is None:
        return np.empty(0, dtype=np.int64)
    out = np.fromstring(text, dtype=np.int64, sep=",")  # text mode: parsed in C
    if out.size != n:
        raise ValueError(f"expected {n} values, parsed {out.size}")
    return out


TOP = 2**63 - 1


def span(db: sqlite3.Connection, table: str, since: int, upto: int = TOP) -> tuple[int, int] | None:
    """The rowids past ``since`` and up to ``upto`` as (first, last), or None when there
    are none. (Two index lookups: ``min`` and ``max`` in one SELECT with a range would
    scan the range.)"""
    lo, hi = db.execute(
        f"SELECT (SELECT min(rowid) FROM {table} WHERE rowid > ? AND rowid <= ?),"
        f" (SELECT max(rowid) FROM {table} WHERE rowid > ? AND rowid <= ?)",
        (since, upto, since, upto),
    ).fetchone()
    return None if lo is None else (int(lo), int(hi))


def read_chunks(
    db: sqlite3.Connection,
    table: str,
    sql: str,
    parse: Callable[[tuple[Any, ...]], T],
    params: Sequence[object] = (),
    since: int = 0,
    upto: int = TOP,
    twin: sqlite3.Connection | None = None,
) -> list[T]:
    """``parse`` of ``sql`` (aggregates over ``table`` ending in ``WHERE rowid >= ? AND
    rowid < ?``, the count of rows first) for each rowid chunk past ``since`` and up to
    ``upto`` that has rows, in rowid order.

    With ``twin`` (another connection to the same file, see ``graph_feed.twin_of``), it
    reads chunks in a thread while ``db`` does, each taking the next chunk not yet taken:
    SQLite runs without the GIL, so two cores share a big table's read."""
    rows = span(db, table, since, upto)
    if rows is None:
        return []
    lo, hi = rows[0], rows[1] + 1
    starts = range(lo, hi, CHUNK)
    got: list[T | None] = [None] * len(starts)
    taken = iter(range(len(starts)))
    lock = threading.Lock()
    failed = threading.Event()  # one side failed (or was interrupted): the other stops too

    def run(conn: sqlite3.Connection) -> None:
        cur = conn.cursor()
        cur.row_factory = None
        try:
            while not failed.is_set():
                with lock:
                    k = next(taken, None)
                if k is None:
                    return
                at = starts[k]
                row = cur.execute(sql, (*params, at, min(at + CHUNK, hi))).fetchone()
                if int(row[0]):
                    got[k] = parse(row)
        except BaseException:
            failed.set()
            raise

    if twin is None or hi - lo < SPLIT or len(starts) < 2:
        run(db)
    else:  # both connections take the next chunk until none is left
        _par.both(lambda: run(db), lambda: run(twin))
    return [g for g in got if g is not None]


def columns(
    db: sqlite3.Connection,
    table: str,
    exprs: Sequence[str],
    params: Sequence[object] = (),
    since: int = 0,
    upto: int = TOP,
    twin: sqlite3.Connection | None = None,
    cut: Callable[[list[np.ndarray]], list[np.ndarray]] | None = None,
) -> list[np.ndarray]:
    """Integer SQL expressions over every row of ``table`` (with a rowid past ``since`` and
    up to ``upto``) as int64 arrays, one value per row in each, in rowid order (``cut``:
    what to make of each chunk's columns instead, e.g. fields packed in them).

    The expressions must not be NULL (``group_concat`` would skip the value: the count
    check raises instead). Each chunk is a rowid range; ``twin``: see :func:`read_chunks`."""
    cols = ", ".join(f"group_concat({e})" for e in exprs)
    sql = f"SELECT count(*), {cols} FROM {table} WHERE rowid >= ? AND rowid < ?"

    def parse(row: tuple[Any, ...]) -> list[np.ndarray]:
        n = int(row[0])
        got = [ints(row[1 + k], n) for k in range(len(exprs))]
        return got if cut is None else cut(got)

    chunks = read_chunks(db, table, sql, parse, params, since, upto, twin)
    if not chunks:
        empty = [np.empty(0, dtype=np.int64) for _ in exprs]
        return empty if cut is None else cut(empty)
    return [np.concatenate(p) if len(p) > 1 else p[0] for p in zip(*chunks, strict=True)]


def bits(db: sqlite3.Connection, table: str, column: str) -> int | None:
    """Bits that hold every value of an indexed integer column (two index lookups), or None
    when it holds a negative value (or nothing)."""
    lo, hi = db.execute(
        f"SELECT (SELECT min({column}) FROM {table}), (SELECT max({column}) FROM {table})"
    ).fetchone()
    if not isinstance(lo, int) or not isinstance(hi, int) or lo < 0:
        return None
    return max(1, hi.bit_length())


def packed(
    db: sqlite3.Connection,
    table: str,
    words: Sequence[Sequence[tuple[str, int]]],
    params: Sequence[object] = (),
    since: int = 0,
    upto: int = TOP,
    twin: sqlite3.Connection | None = None,
) -> list[np.ndarray] | None:
    """Integer SQL expressions over every row in one scan, several packed into each value
    read and cut apart in numpy (fewer values through ``group_concat`` is most of what a
    column costs). Each word is a list of ``(expr, bits)`` fields, the first in the highest
    bits, each in ``0 .. 2**bits - 1``; a word of one field with 0 bits is read as is.
    Returns every field's column in order, or None when a word does not fit in 62 bits
    (read the columns apart with :func:`columns`); ``twin``: see :func:`read_chunks`."""
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

    return columns(db, table, exprs, params, since, upto, twin, cut)
