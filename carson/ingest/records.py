"""What the format parsers produce: plain records, before entity resolution.

A parser turns a file into a stream of these; ``carson.ingest.apply`` resolves them
against the store and writes them. Parsers never touch the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from carson.models import Channel, Direction, TieContext


@dataclass(slots=True)
class Problem:
    """A record that could not be imported (or imported with a caveat), and why."""

    file: str
    reason: str
    line: int | None = None
    record: int | None = None
    warning: bool = False
    """The record still imported; this is a caveat about it."""

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"file": self.file}
        if self.line is not None:
            out["line"] = self.line
        if self.record is not None:
            out["record"] = self.record
        out["reason"] = self.reason
        return out


@dataclass(slots=True)
class Related:
    """Another person a contact card names (spouse, manager, assistant, friend)."""

    name: str
    context: TieContext
    label: str


@dataclass(slots=True)
class ContactRecord:
    """One person from an address book or a connections list."""

    name: str
    source: str
    """Short source label: "linkedin", "google", "vcard"."""
    first_name: str | None = None
    last_name: str | None = None
    # sequences, empty by default: nothing changes a record once a parser has made it
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    urls: Sequence[str] = ()
    organization: str | None = None
    title: str | None = None
    connected_on: date | None = None
    birthday: date | None = None
    location: str | None = None
    notes: Sequence[str] = ()
    tags: Sequence[str] = ()
    related: Sequence[Related] = ()
    tie_context: TieContext = TieContext.acquaintance
    evidence: str | None = None
    """The sentence that explains the tie to the owner ("Connected on LinkedIn on …")."""
    line: int | None = None
    record: int | None = None


@dataclass(slots=True)
class Party:
    """Someone named in a message or meeting: a display name and/or an address."""

    name: str | None = None
    email: str | None = None
    url: str | None = None
    is_owner: bool = False
    """Known to be the owner (whose mailbox or export this is)."""


@dataclass(slots=True)
class InteractionRecord:
    """A message or meeting between the owner and others."""

    at: datetime
    channel: Channel
    source: str
    source_id: str
    sender: Party | None = None
    others: list[Party] = field(default_factory=list)
    """Everyone besides the sender (recipients, attendees)."""
    subject: str | None = None
    summary: str | None = None
    direction: Direction | None = None
    """Fixed by the parser when it knows; else worked out from the owner's addresses."""
    is_list: bool = False
    """Mailing-list traffic: its recipients are not evidence that people know each other."""
    line: int | None = None
    record: int | None = None


@dataclass(slots=True)
class TieRecord:
    """A tie between two people named by the user (Carson CSV/JSON)."""

    a: str
    b: str
    context: TieContext
    text: str
    strength: float | None = None
    since: date | None = None
    line: int | None = None
    record: int | None = None


@dataclass(slots=True)
class NoteRecord:
    text: str
    people: list[str]
    at: datetime | None = None
    line: int | None = None
    record: int | None = None


@dataclass(slots=True)
class ExportInfo:
    """What a parser learns about the whole file before its records (comes first)."""

    as_of: date | None = None
    """When the export was made: evidence older than what is stored never overrides it."""


Record = ExportInfo | ContactRecord | InteractionRecord | TieRecord | NoteRecord | Problem
