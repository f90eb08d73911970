"""Hybrid note search: vector similarity plus exact matches on people and companies.

"Harry Smith payroll" finds the notes linked to Harry even when they only say
"Harry": the names in the query are resolved to people and organisations, the
notes linked to them are scored against the rest of the query, and those get a fixed
bonus on top of their similarity. Notes the vector search finds on its own compete
on similarity alone. A big company's notes are not all scored: only its most similar
few can rank, and they are found among the nearest notes (``_nearest_with_orgs``).
"""

from __future__ import annotations

import heapq
import re
import threading
import weakref
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from carson.errors import UsageError
from carson.models import Note
from carson.notes.index import (
    NotesIndex,
    Row,
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
ORG_EXACT_MAX = 1000
"""A named company with up to this many notes has them all scored exactly (from SQLite)."""
ORG_CANDIDATES_MAX = 1000
"""The most nearest notes searched for a big named company's best ones (~10 ms at 100k)."""
ORG_CANDIDATES_PER_HIT = 6
"""Nearest notes searched per note of the company wanted, times its share of all notes."""
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


class _Names:
    """What query parsing needs from a resolver, indexed once (not per query)."""

    def __init__(self, resolver: Resolver) -> None:
        self.orgs = resolver.organization_names()
        self.people = resolver.person_keys()
        self.by_word: dict[str, set[int]] = {}
        for key, ids in self.people.items():
            words = key.split()
            for word in {words[0], words[-1]}:
                self.by_word.setdefault(word, set()).update(ids)

    def lone_word(self, word: str) -> list[int]:
        """Who a single capitalised word names: a one-word name, else first or last names."""
        return list(self.people.get(word) or self.by_word.get(word) or ())


_NAMES: weakref.WeakKeyDictionary[Resolver, _Names] = weakref.WeakKeyDictionary()
_RESOLVERS: weakref.WeakKeyDictionary[Store, tuple[tuple[int, int], Resolver]] = (
    weakref.WeakKeyDictionary()
)
_CACHE_LOCK = threading.Lock()


def shared_resolver(store: Store) -> Resolver:
    """One ``Resolver`` per store, rebuilt only after something was written to it."""
    from carson.resolve import Resolver

    token = store.change_token()
    with _CACHE_LOCK:
        cached = _RESOLVERS.get(store)
        if cached is not None and cached[0] == token:
            return cached[1]
    resolver = Resolver(store)
    with _CACHE_LOCK:
        _RESOLVERS[store] = (token, resolver)
    return resolver


def _names(resolver: Resolver) -> _Names:
    with _CACHE_LOCK:
        names = _NAMES.get(resolver)
    if names is None:
        names = _Names(resolver)
        with _CACHE_LOCK:
            _NAMES[resolver] = names
    return names


def _understand(query: str, resolver: Resolver) -> _Query:
    """Find the people and companies ``query`` names, and what it asks about them."""
    from carson.resolve import normalize

    names = _names(resolver)
    q = _Query(query)
    name_words: set[str] = set()
    for person in resolver.people_in_text(query):
        assert person.id is not None
        q.people[person.id] = person.name
        name_words.update(normalize(person.name).split())
    # A lone first name ("Harry's family") counts when it means exactly one person.
    for match in _CAPITALISED.finditer(query):
        word = normalize(match.group(1))
        if word in name_words:
            continue
        ids = names.lone_word(word)
        if len(ids) == 1 and ids[0] not in q.people:
            alone = resolver.store.get_person(ids[0])
            if alone is not None:
                q.people[ids[0]] = alone.name
                name_words.add(word)
    for oid in org_mentions(query, names.orgs):
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


def _day_end(until: date | datetime) -> datetime:
    if isinstance(until, datetime):
        return until
    return datetime.combine(until, datetime.max.time())


def _admits(
    note: Note,
    since: date | datetime | None,
    until: date | datetime | None,
    source: str | None,
) -> bool:
    """The same date and source tests as ``where_clause`` (a date includes its whole day)."""
    ts = timestamp(note.at)
    if since is not None and ts < timestamp(since):
        return False
    if until is not None:
        if isinstance(until, datetime):
            if ts > timestamp(until):
                return False
        elif ts >= timestamp(until) + 86400:
            return False
    return not source or (note.source or "") == source


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

    Cost: one query embedding and one Chroma top-k call when no person or company is
    involved. Notes of a person or company (a filter, or a name in the query) are
    looked up by id in SQLite and scored exactly against their stored vectors, except
    a big company named in the query: one wider Chroma call finds its best notes.
    """
    if k <= 0:
        raise UsageError(f"k must be at least 1 (got {k}).", "Ask for --k 1 or more.")
    resolver = resolver or shared_resolver(store)
    index = index or open_index(store.home, settings)
    person_id = _resolve_person(resolver, person) if person is not None else None
    org_id = _resolve_org(resolver, org) if org is not None else None
    dated = since is not None or until is not None or bool(source)
    index.sync(store)

    # Notes about one person or company: their ids come from SQLite.
    allowed: set[int] | None = None
    if person_id is not None:
        allowed = set(store.note_ids(person_ids=[person_id]))
    if org_id is not None:
        of_org = set(store.note_ids_for_orgs([org_id]))
        allowed = of_org if allowed is None else allowed & of_org
    notes: dict[int, Note] = {}

    def admitted(ids: set[int]) -> set[int]:
        if allowed is not None:
            ids &= allowed
        if not dated or not ids:
            return ids
        notes.update(store.notes_by_id(ids - notes.keys()))
        return {i for i in ids if i in notes and _admits(notes[i], since, until, source)}

    if not query.strip():
        if allowed is None and not dated:
            raise UsageError(
                "Search for something: the query is empty.",
                'Give a query (carson notes search "payroll") or a --person to list.',
            )
        if allowed is None:
            ids = {
                r.id
                for r in index.matching(
                    np.zeros(index.embedder.dim, np.float32), where=_where(since, until, source)
                )
            }
        else:
            ids = admitted(set(allowed))
        notes.update(store.notes_by_id(ids - notes.keys()))
        newest = sorted(ids, key=lambda i: (timestamp(notes[i].at), i), reverse=True)[:k]
        return _hits(store, [_row(notes[i], 0.0) for i in newest], {})

    q = _understand(query, resolver)
    if person_id is not None:
        q.people.pop(person_id, None)
    if org_id is not None:
        q.orgs.pop(org_id, None)
    vector = index.embedder.embed([q.residual or query])[0]

    sims: dict[int, float] = {}
    named: set[int] = set()
    if allowed is not None:
        sims.update(index.score_ids(store, vector, admitted(set(allowed))))
    elif q.orgs and not dated:
        scored, about = _nearest_with_orgs(store, index, vector, set(q.orgs), k)
        sims.update(scored)
        named |= about
    else:
        sims.update(index.nearest_ids(vector, k=k, where=_where(since, until, source)))
    if q.people:
        named |= admitted(set(store.note_ids(person_ids=list(q.people))))
    if q.orgs and (allowed is not None or dated):
        named |= admitted(set(store.note_ids_for_orgs(list(q.orgs))))
    if named:
        sims.update(index.score_ids(store, vector, named - sims.keys()))

    scores = {
        nid: round(sim + (ENTITY_BONUS if nid in named else 0.0), 6) for nid, sim in sims.items()
    }
    kept = [nid for nid, score in scores.items() if score >= min_score]
    if not kept:
        return []
    # Rank by score; the dates (the tie-break) are only needed near the k-th score.
    floor = scores[heapq.nlargest(k, kept, key=scores.__getitem__)[-1]]
    near = [nid for nid in kept if scores[nid] >= floor - 1e-6]
    notes.update(store.notes_by_id(set(near) - notes.keys()))
    orgs = store.note_orgs(near) if q.orgs else {}
    rows = []
    for nid in near:
        note = notes.get(nid)
        if note is None:
            continue
        row = _row(note, sims[nid], orgs.get(nid, []))
        if nid in named:
            row.matched = [name for pid, name in q.people.items() if pid in row.people] + [
                name for oid, name in q.orgs.items() if oid in row.orgs
            ]
        rows.append(row)
    rows.sort(key=lambda r: (-_score(r), -timestamp(r.at), r.id))
    return _hits(store, rows[:k], {})


def _nearest_with_orgs(
    store: Store, index: NotesIndex, vector: np.ndarray, orgs: set[int], k: int
) -> tuple[dict[int, float], set[int]]:
    """The ``k`` nearest notes, plus every note about ``orgs`` that can reach the top ``k``.

    Returns (note id -> similarity, the ids of those about ``orgs``). All of a named
    company's notes get the same bonus, so only its ``k`` most similar can rank. For a
    small company they are scored exactly from SQLite. A big one's (thousands of notes:
    reading all their vectors took ~80-120 ms at 100,000 notes) are found among the
    nearest few hundred notes overall, sized so ~6k of them are expected to be the
    company's: when at least ``k`` are, every other note about it is less similar than
    all of them and cannot rank. Otherwise (a query far from all its notes) they are
    scored exactly. The nearest notes come from Chroma's HNSW, so a big company's best
    notes are as approximate as a plain query's (the bench prints HNSW's recall).
    """
    about, bound = store.note_org_links(orgs)
    if about <= ORG_EXACT_MAX:
        sims = dict(index.nearest_ids(vector, k=k))
        of_orgs = index.score_orgs(store, vector, orgs)
        sims.update(of_orgs)
        return sims, {nid for nid, _ in of_orgs}
    wide = min(ORG_CANDIDATES_MAX, max(4 * k, -(-ORG_CANDIDATES_PER_HIT * k * bound // about)))
    near = index.nearest_ids(vector, k=wide)
    sims = dict(near)
    linked = store.note_orgs(sims)
    found = {nid for nid, ids in linked.items() if not orgs.isdisjoint(ids)}
    if len(found) >= k or len(near) < wide:
        return sims, found
    of_orgs = index.score_orgs(store, vector, orgs)
    sims.update(of_orgs)
    return sims, {nid for nid, _ in of_orgs}


def _where(
    since: date | datetime | None, until: date | datetime | None, source: str | None
) -> dict[str, Any] | None:
    return where_clause(since=since, until=until, source=source)


def _row(note: Note, similarity: float, orgs: list[int] | None = None) -> Row:
    assert note.id is not None
    return Row(
        id=note.id,
        text=note.text,
        people=list(note.people),
        orgs=list(orgs or []),
        at=note.at,
        source=note.source,
        similarity=similarity,
    )


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
