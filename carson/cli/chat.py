"""Opening the chat: ``carson`` on your own network, ``carson demo`` on the demo one."""

from __future__ import annotations

from carson import locations
from carson.cli import _common
from carson.errors import StoreError


def open_chat(*, demo: bool) -> None:
    """Run the Textual chat on the data home; the store and agent load after first paint."""
    s = _common.settings()
    if not demo and not locations.db_path(s.home).exists():
        raise StoreError(
            f"No Carson store at {s.home} yet.",
            "Try the demo with `carson demo`, or start yours with `carson import FILE`.",
        )
    from carson.tui.app import build_app

    build_app(s).run()
