"""What every part of the store shares: the connection, the write guards, date columns.

``Store`` (``db.py``) opens the connection and runs the transactions; the mixins that
hold each kind of row's reads and writes (``_people``, ``_records``, ``_notes``,
``_dedupe``, ``_bulk``) subclass ``StoreBase``, which names what their methods use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime


def _d(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class StoreBase:
    """The connection and write guards the store's mixins use; ``Store`` sets them up."""

    db: sqlite3.Connection
    _in_tx: bool
    _aside: int  # rows of this transaction the graph does not read (`_off_graph`)

    @contextmanager
    def _off_graph(self) -> Iterator[None]:
        """Rows written inside are none of the graph's: they don't move the write marker."""
        before = self.db.total_changes
        try:
            yield
        finally:
            self._aside += self.db.total_changes - before

    def _require_tx(self) -> None:
        if not self._in_tx:
            raise RuntimeError("store writes must run inside `with store.write():`")
