"""``carson path``: how do I know this person? Best routes with evidence."""

from __future__ import annotations

import typer

from carson.cli import _common


def path(
    person: str = typer.Argument(..., help='Who, e.g. "Harry Smith".'),
    k: int = typer.Option(3, "--k", "-k", help="How many routes."),
    max_hops: int = typer.Option(3, "--max-hops", help="Most intermediaries."),
    json_out: bool = _common.json_option,
) -> None:
    """Show how you know someone: your best paths to them, each tie with its evidence."""
    from carson.graph import how_do_i_know
    from carson.graph.explain import render

    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        found = how_do_i_know(store, person, k=k, max_hops=max_hops)
    if json_out:
        _common.print_json({"routes": found})
        return
    for i, r in enumerate(found, 1):
        typer.echo(render(r, i))
        typer.echo("")


def register(app: typer.Typer) -> None:
    app.command("path")(path)
