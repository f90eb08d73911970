"""``carson notes``: search notes by meaning, list a person's details, show the index."""

from __future__ import annotations

import typer

from carson.cli import _common
from carson.cli.note import clean, parse_when

notes_app = typer.Typer(
    name="notes",
    help="Search your notes and the personal details in them.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@notes_app.command("search")
def search(
    query: str = typer.Argument(..., help='What you are looking for, e.g. "payroll problems".'),
    person: str | None = typer.Option(None, "--person", "-p", help="Only notes about this person."),
    org: str | None = typer.Option(None, "--org", help="Only notes about this company."),
    since: str | None = typer.Option(None, "--since", help="Only notes on or after YYYY-MM-DD."),
    until: str | None = typer.Option(None, "--until", help="Only notes on or before YYYY-MM-DD."),
    source: str | None = typer.Option(
        None, "--source", help='Only notes from a source ("carson").'
    ),
    k: int = typer.Option(5, "--k", "-k", help="How many notes."),
    json_out: bool = _common.json_option,
) -> None:
    """Find the notes that best match QUERY (by meaning, and by the names it mentions)."""
    from carson.notes.search import search_notes

    since_at = parse_when(since, "--since")
    until_at = parse_when(until, "--until")
    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        hits = search_notes(
            store,
            query,
            person=person,
            k=k,
            org=org,
            since=since_at.date() if since_at else None,
            until=until_at.date() if until_at else None,
            source=source,
            settings=s,
        )
    if json_out:
        _common.print_json({"results": [h.to_json() for h in hits]})
        return
    if not hits:
        typer.echo("No notes match. Try other words, or drop a filter.")
        return
    for i, h in enumerate(hits, 1):
        who = ", ".join(clean(n) for n in h.people_names) or "nobody linked"
        typer.echo(f"{i}. {h.date.date().isoformat()}  {who}  (score {h.score:.2f}, note {h.id})")
        typer.echo(f"   {clean(h.text)}")


@notes_app.command("details")
def details(
    person: str = typer.Argument(..., help='The person, e.g. "Harry Smith".'),
    limit: int = typer.Option(3, "--limit", "-n", help="How many details."),
    json_out: bool = _common.json_option,
) -> None:
    """Recent personal details about PERSON worth asking about next time."""
    from carson.notes.details import personal_details
    from carson.resolve import Resolver

    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        who = Resolver(store).person(person)
        assert who.id is not None
        found = personal_details(store, who.id, limit=limit)
    if json_out:
        _common.print_json(
            {"person": {"id": who.id, "name": who.name}, "details": [d.to_json() for d in found]}
        )
        return
    if not found:
        typer.echo(f"No recent personal details about {clean(who.name)} in your notes.")
        return
    for d in found:
        typer.echo(f"- [{d.kind.value}] {clean(d.text)}  ({d.date.isoformat()}, {d.source})")


@notes_app.command("info")
def info(json_out: bool = _common.json_option) -> None:
    """Which embedding model Carson uses (package, file, checksum) and the index size."""
    from dataclasses import asdict

    from carson import locations
    from carson.notes.index import open_index

    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        index = open_index(store.home, s)
        notes_in_store = store.note_stats()[0]
        indexed = index.count()
    embedder = asdict(index.embedder.info())
    data = {
        "embedder": embedder,
        "index": str(locations.notes_index_dir(s.home)),
        "indexed": indexed,
        "notes": notes_in_store,
    }
    if json_out:
        _common.print_json(data)
        return
    e = embedder
    typer.echo(f"embedder  {e['name']} ({e['dim']} dims)")
    if e.get("package"):
        typer.echo(f"package   {e['package']}")
    if e.get("file"):
        typer.echo(f"file      {e['file']}")
    if e.get("sha256"):
        typer.echo(f"sha256    {e['sha256']}")
    typer.echo(f"index     {data['index']}  ({indexed:,} of {notes_in_store:,} notes)")


def register(app: typer.Typer) -> None:
    app.add_typer(notes_app, name="notes")
