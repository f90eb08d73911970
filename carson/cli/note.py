"""``carson note``: record what you learned, linked to the people it is about."""

from __future__ import annotations

import re
from datetime import date, datetime

import typer

from carson.cli import _common
from carson.errors import UsageError

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    """Text safe to print to a terminal: control characters removed."""
    return _CONTROL.sub("", text)


def parse_when(value: str | None, option: str) -> datetime | None:
    """``YYYY-MM-DD`` or an ISO date-time, for --at / --since / --until."""
    if value is None:
        return None
    try:
        if len(value.strip()) == 10:
            d = date.fromisoformat(value.strip())
            return datetime(d.year, d.month, d.day)
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{option} {value!r} is not a date.",
            f"Write it as YYYY-MM-DD, e.g. {option} 2025-03-04.",
        ) from None


def note(
    text: str = typer.Argument(..., help='What you learned, e.g. "Coffee with Sarah Lee — …".'),
    person: list[str] = typer.Option(
        [],
        "--person",
        "-p",
        help="Someone the note is about (repeatable); names in TEXT count too.",
    ),
    at: str | None = typer.Option(None, "--at", help="When it happened (YYYY-MM-DD); default now."),
    json_out: bool = _common.json_option,
) -> None:
    """Record a note; the people it names are linked and it becomes searchable."""
    from carson.notes.capture import capture_note

    when = parse_when(at, "--at")
    s = _common.settings()
    with _common.open_store(s) as store:
        got = capture_note(store, text, person, when, settings=s)
    note = got.note
    if json_out:
        _common.print_json(
            {
                "id": note.id,
                "text": note.text,
                "people": [{"id": p.id, "name": p.name} for p in got.people],
                "date": note.at.isoformat(),
                "source": note.source,
                "indexed": got.indexed,
                "index_error": got.index_error,
            }
        )
        return
    who = ", ".join(clean(p.name) for p in got.people) or "nobody (name people with --person)"
    typer.echo(f"Saved note {note.id} ({note.at.date().isoformat()}), linked to {who}.")
    if not got.indexed:
        typer.echo(
            f"Not searchable yet ({clean(got.index_error or 'index error')}); "
            "the next search or `carson reindex` adds it.",
            err=True,
        )


def register(app: typer.Typer) -> None:
    app.command("note")(note)
