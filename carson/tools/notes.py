"""``search_notes`` and ``log_note``: the notes memory (``carson.notes``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from carson.tools.base import ToolContext, ToolError, tool


class SearchNotesArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(description="What to look for, in plain words.")
    person: str | None = Field(None, description="Only notes linked to this person.")
    k: int = Field(5, ge=1, le=20)


class NoteLine(BaseModel):
    id: int
    text: str
    """Untrusted: quoted from the store; the loop hands it to models inside a data block."""
    people: list[str] = Field(default_factory=list)
    date: datetime
    score: float


class SearchNotesResult(BaseModel):
    query: str
    person: str | None = None
    results: list[NoteLine]


@tool("search_notes", SearchNotesArgs)
def search_notes(ctx: ToolContext, args: SearchNotesArgs) -> SearchNotesResult:
    """Search the seller's notes by meaning (and by the names they mention)."""
    from carson.notes import search_notes as notes_search

    person = ctx.resolver.person(args.person).name if args.person else None
    hits = notes_search(
        ctx.store,
        args.query,
        person=person,
        k=args.k,
        settings=ctx.settings,
        resolver=ctx.resolver,
    )
    return SearchNotesResult(
        query=args.query,
        person=person,
        results=[
            NoteLine(
                id=h.id,
                text=h.text,
                people=list(h.people_names),
                date=h.date,
                score=round(h.score, 3),
            )
            for h in hits
        ],
    )


class LogNoteArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The note, as the seller said it.")
    person: str | None = Field(None, description="Who the note is about (also linked by name).")


class LogNoteResult(BaseModel):
    id: int
    text: str
    people: list[str]
    indexed: bool


@tool("log_note", LogNoteArgs, writes=True)
def log_note(ctx: ToolContext, args: LogNoteArgs) -> LogNoteResult:
    """Record a note about a conversation or a person (people it names are linked)."""
    from carson.notes import capture_note

    if not args.text.strip():
        raise ToolError("The note is empty.", "Say what to remember.")
    captured = capture_note(
        ctx.store,
        args.text,
        [args.person] if args.person else None,
        source="agent",
        settings=ctx.settings,
        resolver=ctx.resolver,
    )
    assert captured.note.id is not None
    return LogNoteResult(
        id=captured.note.id,
        text=captured.note.text,
        people=[p.name for p in captured.people],
        indexed=captured.indexed,
    )
