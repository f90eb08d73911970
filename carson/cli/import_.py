"""``carson import``: bring in contacts, calendars and mail from the files you have."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from carson.cli import _common

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from carson.store import Store


class _LazyProgress:
    """A rich progress bar that only appears once an import has run for a second."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.monotonic()
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < 1.0:
                return
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

            self.bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                TaskProgressColumn(),
                TimeRemainingColumn(),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        assert self.task is not None
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def import_(
    first: str = typer.Argument(..., metavar="[FORMAT] PATH", help="What to import."),
    second: str | None = typer.Argument(None, hidden=True),
    fmt: str | None = typer.Option(
        None,
        "--format",
        "-f",
        help="linkedin, google, vcard, ics, mbox or carson (default: detected from content).",
    ),
    owner: str | None = typer.Option(
        None, "--owner", help="A teammate whose export this is; their ties join the team graph."
    ),
    me: list[str] = typer.Option(
        [], "--me", help="Your own email address (repeatable), for mail and calendar direction."
    ),
    name: str | None = typer.Option(None, "--name", help="Your name, on the first import."),
    with_bodies: bool = typer.Option(
        False, "--with-bodies", help="Mailbox: keep a short summary of each message body."
    ),
    json_out: bool = _common.json_option,
) -> None:
    """Import LinkedIn, Google Contacts, vCard, calendar (.ics), mailbox (.mbox) or Carson CSV.

    carson import Connections.csv · carson import linkedin export.zip --owner "Priya Patel"
    · carson import contacts.vcf · carson import calendar.ics --me me@work.com
    """
    from carson.ingest import import_path

    if second is not None:
        fmt = fmt or first
        path = Path(second)
    else:
        path = Path(first)
    s = _common.settings()
    emails = list(dict.fromkeys([*me, *s.me_emails]))
    bar = None if json_out else _LazyProgress(f"Importing {path.name}")
    with _common.open_store(s) as store:
        try:
            report = import_path(
                store,
                path,
                fmt=fmt,
                owner=owner,
                me_emails=emails,
                me_name=name,
                with_bodies=with_bodies,
                progress=bar,
            )
        finally:
            if bar is not None:
                bar.close()
        if json_out:
            _common.print_json(report.as_dict())
        else:
            typer.echo(f"Imported {path.name} ({', '.join(report.formats)}):")
            for line in report.lines():
                typer.echo(line)
        _update_map(store, quiet=json_out)


def _update_map(store: Store, *, quiet: bool) -> None:
    """Bring the relationship map up to date with what was imported, and save it (see
    ``carson.graph.load_network``), so the next question does not wait for it: the first
    build of a million people reads the store for ~15 s, adding an import's rows to a
    saved map takes a few."""
    from rich.console import Console

    from carson.graph import load_network, wait_saved

    console = Console(stderr=True, quiet=quiet)
    with console.status("Updating your relationship map…", spinner="dots"):
        load_network(store)
        wait_saved()


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
