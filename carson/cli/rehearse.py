"""``carson rehearse``: practise the call, turn by turn, then get feedback."""

from __future__ import annotations

import sys

import typer

from carson.cli import _common


def rehearse(
    via: str = typer.Option(..., "--via", help="The person you will call (the connector)."),
    to: str | None = typer.Option(None, "--to", help="Whom you will ask to meet."),
    role: str = typer.Option(
        "connector", "--role", help="Whom Carson plays: connector, target or gatekeeper."
    ),
    json_out: bool = _common.json_option,
) -> None:
    """Carson plays the other side of the call; type your lines, /end for feedback."""
    from carson.agent.planner.rehearsal import is_end
    from carson.cli.draft import _brain
    from carson.drafting import Rehearsal

    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        session = Rehearsal.start(store, via=via, to=to, role=role, brain=_brain(s))
        interactive = sys.stdin.isatty()
        if not json_out:
            typer.echo(
                f"Rehearsing your call ({role}: {session.facts.via.name} → "
                f"{session.facts.to.name}). Type your lines; /end to finish."
            )
            typer.echo(f"{session.speaker}: {session.opening}")
        for raw in sys.stdin:
            line = raw.strip()
            if not line:
                continue
            if is_end(line):  # /end, "end the rehearsal", "how did I do?"
                break
            if not interactive and not json_out:
                typer.echo(f"you: {line}")
            answer = session.reply(line)
            if not json_out:
                typer.echo(f"{session.speaker}: {answer}")
        feedback = session.end()
    if json_out:
        _common.print_json(feedback)
    else:
        typer.echo("")
        typer.echo(feedback.render(), nl=False)


def register(app: typer.Typer) -> None:
    app.command("rehearse")(rehearse)
