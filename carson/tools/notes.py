"""``search_notes`` and ``log_note``: the notes memory (``carson.notes``)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

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
    fallback: Literal["details", "latest"] | None = None
    """Set when no note matched the query about ``person``: ``details`` are the personal
    details of the kind asked about ("family"), ``latest`` their most recent notes."""
    kinds: list[str] = Field(default_factory=list)
    """With ``fallback="details"``: the kinds of detail the query asked about."""


_KIND_WORDS: dict[str, re.Pattern[str]] = {
    kind: re.compile(rf"\b({words})\b", re.I)
    for kind, words in {
        "family": r"famil(y|ies)|kids?|child(ren)?|wife|husband|spouse|partner|daughters?|"
        r"sons?|married|marriage|parents|baby",
        "hobby": r"hobb(y|ies)|interests?|sports?|passions?|free time|weekends?|for fun",
        "event": r"events?|news|milestones?|trips?|travels?|vacations?|holidays?|moves?",
        "pain": r"pains?|problems?|challenges?|issues?|frustrations?|struggles?|headaches?|"
        r"pain points?",
    }.items()
}


def detail_kinds(query: str) -> list[str]:
    """The kinds of personal detail a query asks about: "his family" → ["family"]."""
    return [kind for kind, rx in _KIND_WORDS.items() if rx.search(query)]


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
    if not hits and person is not None:
        return _about_person(ctx, args.query, person, args.k)
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


def _about_person(ctx: ToolContext, query: str, person: str, k: int) -> SearchNotesResult:
    """Nothing about ``person`` matched ``query`` closely: what the notes do say about them.

    "What do I know about John's family?" matches no note by meaning when the note says
    "His wife is Dana", so the details of the kind asked about come back instead (from all
    of the person's notes, however old); a question with no such kind gets their latest
    notes.
    """
    from carson.notes.details import DetailKind, personal_details

    found = ctx.resolver.person(person)
    assert found.id is not None
    kinds = detail_kinds(query)
    if kinds:
        details = personal_details(
            ctx.store,
            found.id,
            limit=k,
            kinds={DetailKind(kind) for kind in kinds},
            max_age_days=100 * 366,
        )
        if details:
            return SearchNotesResult(
                query=query,
                person=person,
                fallback="details",
                kinds=kinds,
                results=[
                    NoteLine(
                        id=d.note_id,
                        text=d.text,
                        people=[person],
                        date=datetime.combine(d.date, datetime.min.time()),
                        score=0.0,
                    )
                    for d in details
                ],
            )
    names = dict(ctx.store.person_names())
    latest = ctx.store.notes(person_id=found.id)[:k]
    return SearchNotesResult(
        query=query,
        person=person,
        fallback="latest" if latest else None,
        results=[
            NoteLine(
                id=n.id or 0,
                text=n.text,
                people=[names.get(pid, "?") for pid in n.people],
                date=n.at,
                score=0.0,
            )
            for n in latest
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
