"""``carson dedupe``: likely duplicates to merge or reject, and undo for merges."""

from __future__ import annotations

import typer

from carson.cli import _common

app = typer.Typer(help="Find likely duplicate people; merge, reject, or undo a merge.")


@app.callback(invoke_without_command=True)
def dedupe(
    ctx: typer.Context,
    limit: int = typer.Option(50, help="How many candidate pairs to show."),
    json_out: bool = _common.json_option,
) -> None:
    """List likely duplicates (merge with `carson dedupe merge KEEP OTHER`)."""
    if ctx.invoked_subcommand is not None:
        return
    from carson.ingest.dedupe import candidates

    with _common.open_store(_common.settings()) as store:
        found = candidates(store, limit=limit)
    if json_out:
        _common.print_json([c.as_dict() for c in found])
        return
    if not found:
        typer.echo("No likely duplicates.")
        return
    for c in found:
        typer.echo(f"#{c.a} {c.a_name}  ⇄  #{c.b} {c.b_name}   ({c.reason}, {c.score:.0f})")
    typer.echo("Merge: carson dedupe merge KEEP OTHER · Not the same: carson dedupe reject A B")


@app.command("merge")
def merge_cmd(
    keep: int = typer.Argument(..., help="Id of the person to keep."),
    other: int = typer.Argument(..., help="Id of the person merged into them."),
    json_out: bool = _common.json_option,
) -> None:
    """Merge two people; every field keeps its source, and `carson dedupe undo` reverses it."""
    from carson.ingest.dedupe import merge

    with _common.open_store(_common.settings()) as store:
        mid = merge(store, keep, other)
    if json_out:
        _common.print_json({"merge": mid, "kept": keep, "merged": other})
        return
    typer.echo(f"Merged #{other} into #{keep} (merge {mid}; undo: carson dedupe undo {mid}).")


@app.command("reject")
def reject_cmd(
    a: int = typer.Argument(...),
    b: int = typer.Argument(...),
    json_out: bool = _common.json_option,
) -> None:
    """Mark two people as different, so they are not offered again."""
    from carson.ingest.dedupe import reject

    with _common.open_store(_common.settings()) as store:
        reject(store, a, b)
    if json_out:
        _common.print_json({"rejected": [a, b]})
        return
    typer.echo(f"#{a} and #{b} are different people; noted.")


@app.command("undo")
def undo_cmd(
    merge_id: int | None = typer.Argument(None, help="Merge to undo (default: the latest)."),
    json_out: bool = _common.json_option,
) -> None:
    """Split a merged person back out."""
    from carson.ingest.dedupe import undo

    with _common.open_store(_common.settings()) as store:
        pid = undo(store, merge_id)
    if json_out:
        _common.print_json({"restored": pid})
        return
    typer.echo(f"Restored #{pid}.")


@app.command("history")
def history_cmd(json_out: bool = _common.json_option) -> None:
    """Past merges, newest first."""
    with _common.open_store(_common.settings()) as store:
        rows = store.merges()
    if json_out:
        _common.print_json(rows)
        return
    for m in rows:
        state = f"undone {m['undone_at']}" if m["undone_at"] else "active"
        typer.echo(
            f"merge {m['id']}: #{m['merged_id']} {m['merged_name']} → #{m['kept_id']}"
            f" at {m['at']} ({state})"
        )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="dedupe")
