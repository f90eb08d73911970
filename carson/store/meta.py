"""Typed readers for the ``meta`` table's well-known keys."""

from __future__ import annotations

import json
from typing import Any

from carson.store.db import Store


def last_import(store: Store) -> dict[str, Any] | None:
    """The last import as ``{"at": iso-time, "file"?, "format"?, counts…}``, or None.

    Imports record a JSON object; the demo and older stores hold a bare ISO time.
    """
    raw = store.get_meta("last_import")
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return {"at": raw}
    if isinstance(data, dict) and isinstance(data.get("at"), str):
        return data
    return {"at": raw}
