"""``carson export``: write your whole map out as JSON or CSV files."""

from __future__ import annotations

from pathlib import Path

import typer

from carson.cli import _common


def export(
    fmt: str = typer.Option("json", "--format", "-f", help="json (one file) or csv (per table)."),
    out: Path = typer.Option(Path("carson-export"), "--out", help="Folder to write into."),
    json_out: bool = _common.json_option,
) -> None:
    """Export every person, organisation, tie, interaction and note (re-importable)."""
    from carson.ingest.export import export_store

    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        files = export_store(store, out, fmt)
        counts = store.counts()
    if json_out:
        _common.print_json(
            {
                "files": [str(f) for f in files],
                "people": counts.people,
                "ties": counts.ties,
                "interactions": counts.interactions,
                "notes": counts.notes,
            }
        )
        return
    typer.echo(
        f"Exported {counts.people:,} people, {counts.ties:,} ties, "
        f"{counts.interactions:,} interactions and {counts.notes:,} notes to {out}/"
    )
    for f in files:
        typer.echo(f"  {f}")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
