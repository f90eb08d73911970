"""``carson reindex``: rebuild the notes search index from the store."""

from __future__ import annotations

import time

import typer

from carson.cli import _common


def reindex(json_out: bool = _common.json_option) -> None:
    """Rebuild the notes index from SQLite (after a crash, a restore or an embedder change)."""
    from carson.notes.index import open_index

    s = _common.settings()
    started = time.perf_counter()
    with _common.open_store(s, create=False) as store:
        index = open_index(store.home, s)
        count = index.rebuild(store)
    seconds = round(time.perf_counter() - started, 2)
    data = {
        "notes": count,
        "embedder": index.embedder.name,
        "index": str(index.path),
        "seconds": seconds,
    }
    if json_out:
        _common.print_json(data)
        return
    typer.echo(f"Indexed {count:,} notes with {index.embedder.name} in {seconds:.1f} s.")


def register(app: typer.Typer) -> None:
    app.command("reindex")(reindex)
