"""The ``carson`` command: one module per command, registered here.

Errors surface as one line on stderr (``Error: …`` plus the fix) and a non-zero
exit code; ``--debug`` (or ``CARSON_DEBUG=1``) shows the traceback instead.
"""

from __future__ import annotations

import os
import sys

import typer

from carson import __version__
from carson.cli import _common

app = typer.Typer(
    name="carson",
    help="Carson: your relationship GPS. Ask for the quickest warm route into any company.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"carson {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
) -> None:
    """Open the chat on your own network when no command is given."""
    if debug:
        _common.DEBUG = True
    if ctx.invoked_subcommand is None:
        from carson.cli.chat import open_chat

        open_chat(demo=False)


# One module per command (see STYLE.md); each exposes ``register(app)``.
COMMAND_MODULES = [
    "status",
    "demo",
    "routes",
    "path",
    "outcome",
    "calibration",
    "import_",
    "export",
    "dedupe",
    "note",
    "notes",
    "reindex",
    "draft",
    "rehearse",
    "upkeep",
    "ask",
]


def _register() -> None:
    from importlib import import_module

    for name in COMMAND_MODULES:
        import_module(f"carson.cli.{name}").register(app)


_register()


def _rebuild_notice(notes: int, embedder: str) -> None:
    sys.stderr.write(
        f"Carson: re-embedding your {notes:,} notes with {embedder} (the faster embedder; "
        "once, then searches are instant)…\n"
    )
    sys.stderr.flush()


def main() -> None:
    """Console-script entry point: run the app and render Carson errors at the edge."""
    if os.environ.get("CARSON_DEBUG"):
        _common.DEBUG = True
    from carson.notes.index import REBUILD_NOTICES

    REBUILD_NOTICES.append(_rebuild_notice)
    try:
        app()
    except _common.CarsonError as exc:
        if _common.DEBUG:
            raise
        _common.print_error(exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
