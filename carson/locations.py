"""Every place Carson keeps data, in one module.

``CARSON_HOME`` overrides the data home (tests always point it at a temporary
directory). Without it, data lives in ``platformdirs.user_data_dir("carson")`` and
the demo network in a sibling ``carson-demo`` directory, so it never mixes with the
user's own map.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

HOME_ENV = "CARSON_HOME"


def explicit_home() -> Path | None:
    """The home named by ``CARSON_HOME``, if set."""
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def data_home() -> Path:
    """Where the user's own store lives."""
    return explicit_home() or Path(user_data_dir("carson", appauthor=False))


def demo_home() -> Path:
    """Where ``carson demo`` keeps the demo network (``CARSON_HOME`` is used as is)."""
    return explicit_home() or Path(user_data_dir("carson-demo", appauthor=False))


def db_path(home: Path) -> Path:
    return home / "carson.db"


def lock_path(home: Path) -> Path:
    return home / "carson.lock"


def notes_index_dir(home: Path) -> Path:
    return home / "notes-index"


def drafts_dir(home: Path) -> Path:
    return home / "drafts"


def sessions_dir(home: Path) -> Path:
    return home / "sessions"
