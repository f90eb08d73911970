"""The built-in demo network: a believable seller's world, generated deterministically.

``load_demo(home)`` builds it once into ``home`` (the demo's own data home) and
returns the store's counts; the same seed and anchor date give the same world, byte
for byte. The world is anchored at a date (default: today) so that "talked last
month" stays true whenever it is generated. See ``_cases.py`` for the named clear
cases (John Jacobs, Harry Smith, Derek Lawson, Priya Patel, Sarah Lee, Marcus Chen).
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from carson import locations
from carson.errors import UsageError
from carson.store import Counts, Store

__all__ = ["MIN_ANCHOR", "REUSE_DAYS", "load_demo"]

MIN_ANCHOR = date(2025, 9, 1)
"""The clear cases (Marcus Chen left Goldman in June 2025) need an anchor after this."""

REUSE_DAYS = 7
"""Without an explicit anchor, a demo built up to this many days ago is reused as is."""


def load_demo(
    home: Path, *, seed: int = 7, fresh: bool = False, anchor: date | None = None
) -> Counts:
    """Generate the demo network into ``home`` (once; again with ``fresh``) and return counts.

    ``home`` already holding this demo (same seed, and the same ``anchor``, or one from
    the last ``REUSE_DAYS`` days when no anchor is given) is left alone. A demo with
    another seed or anchor is replaced. A home holding anyone's own data raises
    ``UsageError``: the demo goes into its own home.
    """
    home = Path(home)
    wanted = anchor or date.today()
    if wanted < MIN_ANCHOR:
        raise UsageError(
            f"The demo network can't be anchored at {wanted.isoformat()}.",
            f"Use a date on or after {MIN_ANCHOR.isoformat()}.",
        )
    if locations.db_path(home).exists():
        with Store(home) as store:
            held_seed = store.get_meta("demo_seed")
            held_anchor = store.get_meta("demo_anchor")
            counts = store.counts()
        if held_seed is None:
            if counts.people or counts.organizations or counts.notes or counts.interactions:
                raise UsageError(
                    f"{home} holds your own Carson data "
                    f"({counts.people:,} {'person' if counts.people == 1 else 'people'}), "
                    "not the demo network.",
                    "The demo goes into its own home: unset CARSON_HOME (or point it at an "
                    "empty folder) and run `carson demo` again.",
                )
        elif not fresh and held_seed == str(seed) and _same_world(held_anchor, anchor):
            return counts
        _wipe(home)
    from carson.demo._generate import build_world
    from carson.demo._write import write_world

    world = build_world(seed, wanted)
    with Store(home) as store:
        write_world(store, world)
        return store.counts()


def _same_world(held: str | None, anchor: date | None) -> bool:
    if held is None:
        return False
    held_day = date.fromisoformat(held)
    if anchor is not None:
        return held_day == anchor
    return date.today() - timedelta(days=REUSE_DAYS) <= held_day <= date.today()


def _wipe(home: Path) -> None:
    """Remove a demo store and its derived indexes, so a new world starts clean."""
    db = locations.db_path(home)
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)
    shutil.rmtree(locations.notes_index_dir(home), ignore_errors=True)
