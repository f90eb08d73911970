"""``carson status``: what is in the store, where it lives, which brain is active."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from carson.cli import _common
from carson.store import meta


def status(json_out: bool = _common.json_option) -> None:
    """Show counts of people, organisations, ties, interactions and notes."""
    s = _common.settings()
    with _common.open_store(s) as store:
        counts = asdict(store.counts())
        last_import = meta.last_import(store)
        me = store.me()
    data = {
        **counts,
        "home": str(s.home),
        "brain": s.brain,
        "me": me.name if me else None,
        "last_import": last_import,
    }
    if json_out:
        _common.print_json(data)
        return
    typer.echo(f"Carson store at {data['home']}")
    typer.echo(f"  brain          {data['brain']}")
    if me:
        typer.echo(f"  you            {me.name}")
    for key in (
        "people",
        "organizations",
        "employments",
        "ties",
        "interactions",
        "notes",
        "outcomes",
    ):
        typer.echo(f"  {key:<14} {data[key]:>7,}")
    typer.echo(f"  last import    {_describe(last_import)}")


def _describe(last: dict[str, object] | None) -> str:
    if not last:
        return "never"
    when = str(last["at"])[:16].replace("T", " ")
    if last.get("file"):
        return f"{when} ({Path(str(last['file'])).name}, {last.get('format', '?')})"
    return when


def register(app: typer.Typer) -> None:
    app.command("status")(status)
