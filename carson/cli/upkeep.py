"""``carson reconnect`` and ``carson give``: keeping the map warm.

``reconnect`` lists the people overdue for a check-in for their kind of relationship
(a friend every six weeks, a classmate twice a year), closest first, each with a detail
from the notes to open with. ``give`` lists introductions you could make for others:
two people you know well who share an industry and don't know each other yet. Both are
the agent's own tools (``carson ask "who should I reconnect with?"`` says the same).
"""

from __future__ import annotations

from typing import Any

import typer

from carson.cli import _common


def _run(tool: str, args: dict[str, Any], json_out: bool) -> None:
    from carson.agent.planner.compose import compose
    from carson.tools import ToolContext, registry

    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        t = registry()[tool]
        result = t.fn(ToolContext(store, s), t.args.model_validate(args))
    data = result.model_dump(mode="json", exclude_none=True)
    if json_out:
        _common.print_json(data)
    else:
        typer.echo(compose([(tool, data, True)]))


def reconnect(
    k: int = typer.Option(5, "--k", "-k", min=1, max=25, help="How many people."),
    json_out: bool = _common.json_option,
) -> None:
    """Show whom to reconnect with: close ties gone quiet for their kind of relationship."""
    _run("reconnect_suggestions", {"k": k}, json_out)


def give(
    person: str | None = typer.Option(
        None, "--person", "-p", help="Someone you want to help: introductions for them."
    ),
    k: int = typer.Option(5, "--k", "-k", min=1, max=25, help="How many introductions."),
    json_out: bool = _common.json_option,
) -> None:
    """Show introductions you could make for others (help first, ask later)."""
    _run("help_first", {"k": k, **({"person": person} if person else {})}, json_out)


def register(app: typer.Typer) -> None:
    app.command("reconnect")(reconnect)
    app.command("give")(give)
