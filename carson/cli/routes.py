"""``carson routes``: ranked warm-intro routes into a company or to a person."""

from __future__ import annotations

import typer

from carson.cli import _common


def routes(
    target: str = typer.Argument(
        ..., help='A company ("Goldman Sachs", "GS") or, with --person, a person.'
    ),
    person: bool = typer.Option(False, "--person", help="TARGET is a person, not a company."),
    k: int = typer.Option(5, "--k", "-k", help="How many routes."),
    max_hops: int = typer.Option(
        3, "--max-hops", help="Most intermediaries between asker and target."
    ),
    exclude: list[str] = typer.Option(
        [], "--exclude", help="A person or company to avoid (repeatable)."
    ),
    title: str | None = typer.Option(
        None, "--title", help='Only targets whose title matches, e.g. "VP|Head of|CFO".'
    ),
    team: bool = typer.Option(False, "--team", help="Also route through teammates' networks."),
    json_out: bool = _common.json_option,
) -> None:
    """Show the quickest warm routes into a company (or to a person), with evidence and odds."""
    from carson.graph import find_routes
    from carson.graph.explain import render

    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        found = find_routes(
            store,
            target_company=None if person else target,
            target_person=target if person else None,
            k=k,
            max_hops=max_hops,
            exclude=exclude,
            title_filter=title,
            via_team=team,
        )
    if json_out:
        _common.print_json({"routes": found})
        return
    for i, r in enumerate(found, 1):
        typer.echo(render(r, i))
        typer.echo("")


def register(app: typer.Typer) -> None:
    app.command("routes")(routes)
