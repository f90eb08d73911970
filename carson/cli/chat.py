"""Opening the chat (the Textual app lands with the chat issue)."""

from __future__ import annotations

import typer

from carson.cli import _common


def open_chat(*, demo: bool) -> None:
    s = _common.settings()
    with _common.open_store(s) as store:
        counts = store.counts()
    try:
        from carson.tui.app import build_app  # type: ignore[import-not-found]
    except ModuleNotFoundError:
        typer.echo(
            f"Carson is ready on {'the demo network' if demo else 'your network'} "
            f"({counts.people:,} people, {counts.ties:,} ties) at {s.home}. "
            "The chat window is not built yet: try `carson status`."
        )
        return
    build_app(s).run()
