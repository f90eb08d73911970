"""``carson outcome``: record what happened when you asked for an intro."""

from __future__ import annotations

import typer

from carson.cli import _common
from carson.models import OutcomeKind


def outcome(
    result: OutcomeKind = typer.Argument(
        ..., help="intro_made, declined, no_response or meeting_booked."
    ),
    via: str | None = typer.Option(None, "--via", help="Who you asked for the intro."),
    to: str = typer.Option(..., "--to", help="Who the intro was to."),
    json_out: bool = _common.json_option,
) -> None:
    """Log an intro outcome; calibration of meeting probabilities learns from it."""
    from carson.graph import log_outcome

    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        saved = log_outcome(store, result, via=via, to=to)
        names = {p: store.get_person(p) for p in saved.path}
    if json_out:
        _common.print_json(saved)
        return
    chain = " → ".join(n.name if (n := names[p]) else str(p) for p in saved.path)
    shown = f" (Carson had said {saved.predicted:.0%})" if saved.predicted is not None else ""
    typer.echo(f"Logged {saved.outcome.value} for {chain}{shown}.")


def register(app: typer.Typer) -> None:
    app.command("outcome")(outcome)
