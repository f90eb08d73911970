"""Carson's store: SQLite (WAL) as the single source of truth."""

from carson.store.db import Counts, Store

__all__ = ["Counts", "Store"]
