"""Hybrid note search: vector similarity plus exact matches on people and companies.

"Harry Smith payroll" finds the notes linked to Harry even when they only say
"Harry": the names in the query are resolved to people and organisations, every
note linked to them is scored against the rest of the query, and those get a fixed
bonus on top of their similarity. Notes the vector search finds on its own compete
on similarity alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from carson.errors import UsageError
from carson.notes.index import (
    NotesIndex,
    Row,
    all_of,
    any_of,
    open_index,
    org_mentions,
    timestamp,
    where_clause,
)

if TYPE_CHECKING:
    from carson.config import Settings
    from carson.resolve import Resolver
    from carson.store import Store

ENTITY_BONUS = 0.2
"""Added to the similarity of a note linked to a person or company the query names."""
MIN_SCORE = 0.15
"""Below this a note is unrelated to the query (all-MiniLM-L6-v2 cosine), so it is left out."""
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_CAPITALISED = re.compile(r"\b([A-Z][a-z]{2,})(?:['’]s)?\b")


@dataclass(frozen=True)
class NoteHit:
    """One note found by ``search_notes``."""

    id: int
    text: str
    people: list[int]
    date: datetime
    score: float
    """Cosine similarity to the query, plus ``ENTITY_BONUS`` when ``matched`` is not empty."""
    similarity: float
    source: str | None = None
    people_names: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    """Names from the query (people, companies) this note is linked to."""

    @property
    def ref(self) -> str:
        """How drafts and evidence cite it: ``note:12``."""
        return f"note:{self.id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "people": [
                {"id": pid, "name": name}
                for pid, name in zip(self.people, self.people_names, strict=True)
            ],
            "date": self.date.isoformat(),
            "score": round(self.score, 4),
            "similarity": round(self.similarity, 4),
            "source": self.source,
            "matched": self.matched,
        }


@dataclass
class _Query:
    text: str
    people: dict[int, str] = field(default_factory=dict)
    orgs: dict[int, str] = field(default_factory=dict)
    residual: str = ""


def _understand(query: str, resolver: Resolver) -> _Query:
    """Find the people and companies ``query`` names, and what it asks about them."""
    from carson.resolve import normalize

    q = _Query(query)
    name_words: set[str] = set()
    for person in resolver.people_in_text(query):
        assert person.id is not None
        q.people[person.id] = person.name
        name_words.update(normalize(person.name).split())
    # A lone first name ("Harry's family") counts when it means exactly one person.
    for match in _CAPITALISED.finditer(query):
        word = match.group(1)
        if normalize(word) in name_words:
            continue
        ids = resolver.person_ids(word)
        if len(ids) == 1 and ids[0] not in q.people:
            alone = resolver.store.get_person(ids[0])
            if alone is not None:
                q.people[ids[0]] = alone.name
                name_words.add(normalize(word))
    org_names = resolver.organization_names()
    for oid in org_mentions(query, org_names):
        org = resolver.store.get_organization(oid)
        if org is not None:
            q.orgs[oid] = org.name
            for label in [org.name, *org.aliases]:
                name_words.update(normalize(label).split())
    kept = [t for t in _TOKEN.findall(query) if normalize(t) not in name_words]
    q.residual = " ".join(kept).strip()
    return q


def _resolve_person(resolver: Resolver, person: str | int) -> int:
    if isinstance(person, int):
        return person
    found = resolver.person(person)
    assert found.id is not None
    return found.id


def _resolve_org(resolver: Resolver, org: str | int) -> int:
    if isinstance(org, int):
        return org
    found = resolver.organization(org)
    assert found.id is not None
    return found.id


def search_notes(
    store: Store,
    query: str,
    person: str | int | None = None,
    k: int = 5,
    *,
    org: str | int | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    source: str | None = None,
    min_score: float = MIN_SCORE,
    settings: Settings | None = None,
    resolver: Resolver | None = None,
    index: NotesIndex | None = None,
) -> list[NoteHit]:
    """The ``k`` notes that best answer ``query``, best first.

    ``person`` / ``org`` (a name or an id) keep only notes linked to them; ``since`` /
    ``until`` bound the note's date (a date includes its whole day); ``source`` keeps
    one source (``carson``, ``agent``, an importer's name). An unknown or ambiguous
    name raises ``UnknownPersonError`` / ``UnknownOrganizationError`` with "did you
    mean" suggestions. Notes scoring under ``min_score`` are left out. A blank query
    lists the filtered notes, newest first.
    """
    from carson.resolve import Resolver

    if k <= 0:
        raise UsageError(f"k must be at least 1 (got {k}).", "Ask for --k 1 or more.")
    resolver = resolver or Resolver(store)
    index = index or open_index(store.home, settings)
    person_id = _resolve_person(resolver, person) if person is not None else None
    org_id = _resolve_org(resolver, org) if org is not None else None
    where = where_clause(
        person_ids=[person_id] if person_id is not None else [],
        org_ids=[org_id] if org_id is not None else [],
        since=since,
        until=until,
        source=source,
    )
    index.sync(store)

    # Notes about one person: look them up by id and score them all exactly.
    person_notes = store.note_ids(person_ids=[person_id]) if person_id is not None else None
    if not query.strip():
        if where is None:
            raise UsageError(
                "Search for something: the query is empty.",
                'Give a query (carson notes search "payroll") or a --person to list.',
            )
        zero = np.zeros(index.embedder.dim, dtype=np.float32)
        rows = index.matching(zero, ids=person_notes, where=where)
        rows.sort(key=lambda r: (timestamp(r.at), r.id), reverse=True)
        return _hits(store, rows[:k], {})

    q = _understand(query, resolver)
    if person_id is not None:
        q.people.pop(person_id, None)
    if org_id is not None:
        q.orgs.pop(org_id, None)
    vector = index.embedder.embed([q.residual or query])[0]

    found: dict[int, Row] = {}
    if person_notes is not None:
        rows = index.matching(vector, ids=person_notes, where=where)
    else:
        rows = index.nearest(vector, k=k, where=where)
    for row in rows:
        found[row.id] = row
    if q.people:
        linked = store.note_ids(person_ids=list(q.people))
        if person_notes is not None:
            linked = sorted(set(linked) & set(person_notes))
        for row in index.matching(vector, ids=linked, where=where):
            found[row.id] = row
    if q.orgs:
        named_orgs = any_of(*[{f"o_{o}": True} for o in q.orgs])
        for row in index.matching(vector, where=all_of(where, named_orgs)):
            found[row.id] = row
    for row in found.values():
        row.matched = [name for pid, name in q.people.items() if pid in row.people] + [
            name for oid, name in q.orgs.items() if oid in row.orgs
        ]
    kept = [r for r in found.values() if _score(r) >= min_score]
    ranked = sorted(kept, key=lambda r: (-_score(r), -timestamp(r.at), r.id))
    return _hits(store, ranked[:k], {})


def _score(row: Row) -> float:
    return round(row.similarity + (ENTITY_BONUS if row.matched else 0.0), 6)


def _hits(store: Store, rows: list[Row], names: dict[int, str]) -> list[NoteHit]:
    for row in rows:
        for pid in row.people:
            if pid not in names:
                person = store.get_person(pid)
                names[pid] = person.name if person else f"person {pid}"
    return [
        NoteHit(
            id=r.id,
            text=r.text,
            people=r.people,
            people_names=[names[p] for p in r.people],
            date=r.at,
            score=_score(r),
            similarity=r.similarity,
            source=r.source,
            matched=r.matched,
        )
        for r in rows
    ]
