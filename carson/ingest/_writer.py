"""The import's working state and its batched writes (see ``apply`` for the whole story).

``_Writer`` loads what resolution needs once (identifiers, names, jobs, the owner's
ties), creates people and ties in memory, and writes new rows thousands a statement
(``Store.bulk_insert_values``) when ``flush`` is called; row ids are assigned here,
since the transaction holds the writer lock. Rare changes to rows that already exist
are written at once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from carson.ingest.entities import EntityIndex
from carson.ingest.report import ImportReport
from carson.models import Person, Tie, TieContext
from carson.store import Store


@lru_cache(maxsize=4096)
def _ev(text: str, source: str, at: date | None) -> tuple[dict[str, Any], str]:
    """One piece of evidence as stored: the dict and its one-element JSON list."""
    d = {"text": text, "source": source, "at": at.isoformat() if at else None}
    return d, json.dumps([d])


# TieContext.value is a Python-level property; a dict hit is cheaper, once a row.
_CONTEXT = {c: c.value for c in TieContext}


@lru_cache(maxsize=8192)
def _iso(d: date) -> str:
    return d.isoformat()


@dataclass
class _Pending:
    """New rows waiting to be written, in the order foreign keys need them."""

    orgs: list[tuple[int, str]] = field(default_factory=list)
    people: list[tuple[object, ...]] = field(default_factory=list)
    identifiers: list[tuple[object, ...]] = field(default_factory=list)
    field_sources: dict[tuple[int, str, str], str | None] = field(default_factory=dict)
    jobs: dict[int, list[Any]] = field(default_factory=dict)
    job_updates: dict[int, tuple[object, ...]] = field(default_factory=dict)
    ties: dict[tuple[int, int, str], list[Any]] = field(default_factory=dict)
    mail: list[tuple[Any, ...]] = field(default_factory=list)
    mail_ids: set[str] = field(default_factory=set)


class _Writer:
    def __init__(
        self,
        store: Store,
        *,
        owner: Person,
        owner_emails: list[str],
        file: str,
        report: ImportReport,
        index: EntityIndex | None = None,
        today: date | None = None,
        as_of: date | None = None,
    ) -> None:
        assert owner.id is not None
        self.store = store
        self.owner = owner
        self.owner_id: int = owner.id
        self.owner_emails = {e.lower() for e in owner_emails} | set(owner.emails)
        self.file = file
        self.report = report
        self.index = index or EntityIndex(store)
        self.today = today or date.today()
        self.as_of = as_of
        self.new_note_ids: list[int] = []
        ids = store.max_ids()
        self._next_pid = ids["people"] + 1
        self._pending_from = self._next_pid
        """People with this id or higher were made here and wait in the buffer."""
        self._next_oid = ids["organizations"] + 1
        self._next_eid = ids["employments"] + 1
        self._next_iid = ids["interactions"] + 1
        self._p = _Pending()
        # evidence of ties, by (a, b, context): a JSON string until first looked at
        self._ties: dict[tuple[int, int, str], Any] = {}
        for a, b, ctx, ev in store.tie_rows_of(self.owner_id):
            self._ties[(a, b, ctx)] = ev
        # jobs, as [id, org id, title, current, source, seen (ISO date of the export)]
        self._jobs: dict[int, list[list[Any]]] = {}
        for eid, pid, oid, title, current, source, seen in store.employment_rows():
            self._jobs.setdefault(pid, []).append([eid, oid, title, bool(current), source, seen])
        self._people: dict[int, list[Any]] | None = None
        self._notes: set[tuple[int, str]] | None = None
        self._owner_pairs: dict[int, list[Any]] = {}
        self._pairs_waiting = False

    @property
    def as_of(self) -> date | None:
        """The date the export was made (LinkedIn): older evidence never overrides newer."""
        return self._as_of

    @as_of.setter
    def as_of(self, value: date | None) -> None:
        self._as_of = value
        self._as_of_iso = value.isoformat() if value else None

    # ------------------------------------------------------------------ writing

    def flush(self) -> None:
        """Write every buffered row."""
        p, store = self._p, self.store
        if not (p.orgs or p.people or p.identifiers or p.field_sources or p.jobs
                or p.job_updates or p.ties or p.mail):  # fmt: skip
            return
        self._p = _Pending()
        self._pending_from = self._next_pid
        insert = store.bulk_insert_values
        if p.orgs:
            insert("organizations", p.orgs, ids=True)
        if p.people:
            insert("people", p.people)
        if p.identifiers:
            insert("identifiers", p.identifiers)
        if p.field_sources:
            store.upsert_field_sources([(*k[:2], v, k[2]) for k, v in p.field_sources.items()])
        if p.jobs:
            insert("employments", list(map(tuple, p.jobs.values())), ids=True)
        if p.job_updates:
            store.update_employments(list(p.job_updates.values()))
        if p.ties:
            insert(
                "ties",
                [
                    (*k, r[0], r[1], r[2], r[5] if len(r[3]) == 1 else json.dumps(r[3]), r[4])
                    for k, r in p.ties.items()
                ],
            )
        if p.mail:
            self._write_mail(p.mail)

    def _write_mail(self, mail: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError  # ``_mail.MailImport`` writes interactions

    def _settle(self, pid: int) -> None:
        """Before writing to a person directly: make sure their row is in the store."""
        if pid >= self._pending_from:
            self.flush()

    def _person(self, pid: int) -> list[Any]:
        """[first, last, birthday, location, tags, source] of a stored or pending person."""
        if self._people is None:
            self.flush()  # people made so far are loaded with everyone else
            self._people = {
                r[0]: [r[1], r[2], r[3], r[4], r[5], r[6]] for r in self.store.person_rows()
            }
        row = self._people.get(pid)
        if row is None:  # written by someone else inside this transaction (rare)
            self._settle(pid)
            person = self.store.get_person(pid)
            assert person is not None
            row = [person.first_name, person.last_name, person.birthday, person.location,
                   person.tags, person.source]  # fmt: skip
            if person.birthday is not None:
                row[2] = person.birthday.isoformat()
            self._people[pid] = row
        if isinstance(row[4], str):
            row[4] = json.loads(row[4])
        return row

    def _create(
        self,
        name: str,
        source: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        emails: Sequence[str] = (),
        phones: Sequence[str] = (),
        urls: Sequence[str] = (),
        birthday: date | None = None,
        location: str | None = None,
        tags: Sequence[str] = (),
        provenance: bool = False,
        oid: int | None = None,
    ) -> int:
        """A new person, buffered; returns their id. ``oid``: where they work (indexed only)."""
        name = " ".join(name.split()) or "?"
        pid = self._next_pid
        self._next_pid = pid + 1
        p = self._p
        bday = birthday.isoformat() if birthday else None
        if tags:
            tag_list = list(dict.fromkeys(tags))
            tags_json = json.dumps(tag_list)
        else:
            tag_list, tags_json = [], "[]"
        p.people.append((pid, name, first_name, last_name, location, bday, tags_json, 0, 0, source))
        if self._people is not None:
            self._people[pid] = [first_name, last_name, bday, location, tag_list, source]
        idents: list[tuple[str, str]] = []
        if emails or phones or urls:
            by_ident = self.index.by_ident
            rows = p.identifiers
            for kind, values in (("email", emails), ("phone", phones), ("url", urls)):
                pos = 0
                for v in values:
                    ident = (kind, v)
                    if ident in by_ident or ident in idents:
                        continue
                    rows.append((pid, kind, v, pos, source))
                    idents.append(ident)
                    pos += 1
        self.index.add_person(pid, name, idents, oid)
        if provenance:  # the name's source is the person's own ``source``
            if bday:
                p.field_sources[(pid, "birthday", source)] = bday
            if location:
                p.field_sources[(pid, "location", source)] = location
        return pid

    def _new_person(self, name: str, source: str) -> int:
        """Someone only named (in a Carson CSV, or as a contact's relation)."""
        return self._create(name, source)

    # -------------------------------------------------------------------- ties

    def _evidence(self, key: tuple[int, int, str]) -> list[dict[str, Any]] | None:
        ev = self._ties.get(key)
        if ev is None and self.owner_id not in key[:2] and key not in self._p.ties:
            ev = self.store.tie_evidence(*key)
            if ev is not None:
                self._ties[key] = ev
        if isinstance(ev, str):
            ev = self._ties[key] = json.loads(ev)
        return ev

    def _tie(
        self,
        a: int,
        b: int,
        context: TieContext,
        text: str,
        source: str,
        at: date | None = None,
        since: date | None = None,
        strength: float | None = None,
    ) -> bool:
        """Upsert a tie; True when it is new or gained evidence."""
        if a == b:
            return False
        ctx = _CONTEXT[context]
        key = (a, b, ctx) if a < b else (b, a, ctx)
        ev, ev_json = _ev(text, source, at)
        old = self._evidence(key)
        if old is not None:
            if ev in old:
                return False
            old.append(ev)
            if key in self._p.ties:
                return True
            self.store.add_tie(
                Tie(
                    a=key[0],
                    b=key[1],
                    context=context,
                    source=source,
                    owner_id=self.owner_id,
                    since=since,
                    evidence=[ev],  # type: ignore[list-item]
                    strength=strength,
                )
            )
            return True
        evidence = [ev]
        self._ties[key] = evidence
        self._p.ties[key] = [
            source,
            self.owner_id,
            _iso(since) if since else None,
            evidence,
            strength,
            ev_json,  # the evidence as JSON while it is the only piece
        ]
        return True

    def _org(self, name: str) -> int:
        """The organisation called ``name``, made (buffered) when there is none yet."""
        oid = self.index.org_id(name)
        if oid is None:
            # a new normalised name: the store's unique (case-blind) name can't clash
            oid = self._next_oid
            self._next_oid += 1
            self._p.orgs.append((oid, name))
            self.index.add_org(oid, name)
        return oid
