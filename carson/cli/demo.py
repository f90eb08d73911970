"""``carson demo``: load the built-in demo network into its own home and open the chat."""

from __future__ import annotations

import os

import typer

from carson import locations


def demo(
    no_chat: bool = typer.Option(False, "--no-chat", help="Only load the demo network."),
    seed: int = typer.Option(7, help="Seed of the generated world (same seed, same world)."),
    fresh: bool = typer.Option(False, "--fresh", help="Rebuild the demo network from scratch."),
) -> None:
    """Open Carson on a built-in demo network (no API key, no network needed)."""
    from carson.demo import load_demo

    home = locations.demo_home()
    os.environ[locations.HOME_ENV] = str(home)
    counts = load_demo(home, seed=seed, fresh=fresh)
    if no_chat:
        typer.echo(
            f"Demo network ready at {home}: {counts.people:,} people, "
            f"{counts.organizations:,} organisations, {counts.interactions:,} interactions, "
            f"{counts.notes:,} notes."
        )
        return
    from carson.cli.chat import open_chat

    open_chat(demo=True)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
