"""Recording a note: link the people it is about, store it, index it.

SQLite first, in one transaction; the Chroma index after. If indexing fails the
note is still stored, and the next search (``NotesIndex.sync``) or
``carson reindex`` indexes it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from carson.errors import CarsonError, UsageError
from carson.models import Note, Person

if TYPE_CHECKING:
    from carson.config import Settings
    from carson.resolve import Resolver
    from carson.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CapturedNote:
    note: Note
    people: list[Person]
    """Everyone linked: the ``people`` asked for, then those the text names."""
    indexed: bool
    index_error: str | None = None


def _when(at: date | datetime | None) -> datetime:
    if at is None:
        return datetime.now().replace(microsecond=0)
    if isinstance(at, datetime):
        return at
    return datetime.combine(at, time(12, 0))


def capture_note(
    store: Store,
    text: str,
    people: Sequence[str | int] | None = None,
    at: date | datetime | None = None,
    *,
    source: str = "carson",
    settings: Settings | None = None,
    resolver: Resolver | None = None,
) -> CapturedNote:
    """Record a note and say who it was linked to and whether the index has it.

    ``people`` are names (resolved with "did you mean" on a typo or an ambiguity:
    ``UnknownPersonError`` / ``AmbiguousPersonError``, before anything is written)
    or person ids. Full names mentioned in ``text`` are linked as well.
    """
    from carson.resolve import Resolver

    if not text.strip():
        raise UsageError("The note is empty.", 'Write what you learned: carson note "…"')
    resolver = resolver or Resolver(store)
    linked: list[Person] = []
    for ref in people or []:
        if isinstance(ref, int):
            found = store.get_person(ref)
            if found is None:
                raise UsageError(f"No person with id {ref}.", "Pass a name or a stored id.")
        else:
            found = resolver.person(ref)
        if all(p.id != found.id for p in linked):
            linked.append(found)
    for found in resolver.people_in_text(text):
        if all(p.id != found.id for p in linked):
            linked.append(found)

    note = Note(
        text=text.strip(), people=[p.id for p in linked if p.id], at=_when(at), source=source
    )
    with store.write():
        note = store.add_note(note)

    try:
        from carson.notes.index import open_index

        open_index(store.home, settings).add(store, [note], resolver=resolver)
    except CarsonError as exc:
        log.warning("note %s stored but not indexed: %s", note.id, exc)
        return CapturedNote(note, linked, indexed=False, index_error=str(exc))
    except Exception as exc:  # Chroma's own failures: the store still has the note
        log.warning("note %s stored but not indexed: %s", note.id, exc)
        return CapturedNote(note, linked, indexed=False, index_error=f"{type(exc).__name__}: {exc}")
    return CapturedNote(note, linked, indexed=True)


def record_note(
    store: Store,
    text: str,
    people: Sequence[str | int] | None = None,
    at: date | datetime | None = None,
    *,
    source: str = "carson",
    settings: Settings | None = None,
) -> Note:
    """Store a note (people linked), then index it; returns the stored note.

    The agent's ``log_note`` calls this with ``source="agent"``.
    """
    return capture_note(store, text, people, at, source=source, settings=settings).note
