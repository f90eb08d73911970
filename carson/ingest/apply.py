"""Writing parsed records into the store: resolve, create or update, tie, record.

One ``Importer`` per file, used inside one ``store.write()`` transaction. The owner
is whose export this is: the user (``is_me``) or a teammate (``--owner``); their
ties carry ``owner_id``. Everything is idempotent: identifiers resolve to the same
people, interactions are keyed by their source id, ties merge their evidence and
notes are not written twice.

The hot path never reads the store per record: what it needs (identifiers, names,
jobs, the owner's ties, people's fields) is loaded once into dicts, records resolve
against those, and new rows wait in ``_Pending`` to be written with ``executemany``
(row ids are assigned here: the transaction holds the writer lock). Rare changes to
rows that already exist are written at once. Mail is flushed every few thousand
messages, and who-was-on-the-same-message is counted by SQLite over the stored
rows, so memory stays bounded by the number of people, not messages or pairs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from carson.ingest.entities import EntityIndex, normalize
from carson.ingest.records import (
    ContactRecord,
    InteractionRecord,
    NoteRecord,
    Party,
    Problem,
    TieRecord,
)
from carson.ingest.report import ImportReport
from carson.models import Channel, Direction, Note, Organization, Person, Tie, TieContext
from carson.store import Store

# A message or meeting with more people than this says little about who knows whom.
MAX_GROUP = 12
# Sources whose newer exports say where someone works now (a changed company = a move).
_CURRENT_JOB_SOURCES = {"linkedin"}
# Flush buffered rows after this many new people or interactions.
_BATCH = 10_000
_MAIL_BATCH = 4_000


_NOUNS = {Channel.meeting: "meeting", Channel.email: "email", Channel.message: "message"}
_SOURCES = {Channel.meeting: "calendar", Channel.email: "mbox", Channel.message: "linkedin"}


@lru_cache(maxsize=8192)
def _day(d: date) -> str:
    return f"{d:%d %b %Y}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


@lru_cache(maxsize=4096)
def _ev(text: str, source: str, at: date | None) -> tuple[dict[str, Any], str]:
    """One piece of evidence as stored: the dict and its one-element JSON list."""
    d = {"text": text, "source": source, "at": at.isoformat() if at else None}
    return d, json.dumps([d])


@dataclass
class _Pending:
    """New rows waiting for ``executemany``, in the order foreign keys need them."""

    people: list[tuple[object, ...]] = field(default_factory=list)
    identifiers: list[tuple[object, ...]] = field(default_factory=list)
    field_sources: dict[tuple[int, str, str], str | None] = field(default_factory=dict)
    jobs: dict[int, list[Any]] = field(default_factory=dict)
    job_updates: dict[int, tuple[object, ...]] = field(default_factory=dict)
    ties: dict[tuple[int, int, str], list[Any]] = field(default_factory=dict)
    mail: list[tuple[Any, ...]] = field(default_factory=list)
    people_ids: set[int] = field(default_factory=set)
    mail_ids: set[str] = field(default_factory=set)


class Importer:
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
        """The date the export was made (LinkedIn): older evidence never overrides newer."""
        self.new_note_ids: list[int] = []
        ids = store.max_ids()
        self._next_pid = ids["people"] + 1
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

    # ------------------------------------------------------------------ writing

    def flush(self) -> None:
        """Write every buffered row."""
        p, store = self._p, self.store
        if p.people:
            store.bulk_insert("people", p.people)
        if p.identifiers:
            store.bulk_insert("identifiers", p.identifiers)
        if p.field_sources:
            store.upsert_field_sources([(*k[:2], v, k[2]) for k, v in p.field_sources.items()])
        if p.jobs:
            store.bulk_insert_ids("employments", list(map(tuple, p.jobs.values())))
        if p.job_updates:
            store.update_employments(list(p.job_updates.values()))
        if p.ties:
            store.bulk_insert(
                "ties",
                [
                    (*k, r[0], r[1], r[2], r[5] if len(r[3]) == 1 else json.dumps(r[3]), r[4])
                    for k, r in p.ties.items()
                ],
            )
        if p.mail:
            self._write_mail(p.mail)
        self._p = _Pending()

    def _settle(self, pid: int) -> None:
        """Before writing to a person directly: make sure their row is in the store."""
        if pid in self._p.people_ids:
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
        emails: list[str] = (),  # type: ignore[assignment]
        phones: list[str] = (),  # type: ignore[assignment]
        urls: list[str] = (),  # type: ignore[assignment]
        birthday: date | None = None,
        location: str | None = None,
        tags: list[str] = (),  # type: ignore[assignment]
        provenance: bool = False,
    ) -> int:
        """A new person, buffered; returns their id."""
        name = " ".join(name.split()) or "?"
        pid = self._next_pid
        self._next_pid += 1
        p = self._p
        bday = birthday.isoformat() if birthday else None
        tag_list = list(dict.fromkeys(tags))
        tags_json = json.dumps(tag_list) if tag_list else "[]"
        p.people.append((pid, name, first_name, last_name, location, bday, tags_json, 0, 0, source))
        p.people_ids.add(pid)
        if self._people is not None:
            self._people[pid] = [first_name, last_name, bday, location, tag_list, source]
        index = self.index
        index.add_name(pid, name)
        by_ident = index.by_ident
        for kind, values in (("email", emails), ("phone", phones), ("url", urls)):
            pos = 0
            for v in values:
                if (kind, v) in by_ident:
                    continue
                p.identifiers.append((pid, kind, v, pos, source))
                index.add_ident(pid, kind, v)
                pos += 1
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
        key = (a, b, context.value) if a < b else (b, a, context.value)
        ev, ev_json = _ev(text, source, at)
        old = self._evidence(key)
        if old is not None:
            if ev in old:
                return False
            old.append(ev)
            if key not in self._p.ties:
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
            since.isoformat() if since else None,
            evidence,
            strength,
            ev_json,  # the evidence as JSON while it is the only piece
        ]
        return True

    def _org(self, name: str) -> int:
        oid = self.index.org_id(name)
        if oid is None:
            org = self.store.add_organization(Organization(name=name))
            assert org.id is not None
            oid = org.id
            self.index.add_org(oid, name)
        return oid

    # ------------------------------------------------------------------- contacts

    def contact(self, rec: ContactRecord) -> int:
        """Import one contact; return the person's id."""
        pid, _ = self.index.match(
            name=rec.name,
            emails=rec.emails,
            phones=rec.phones,
            urls=rec.urls,
            organization=rec.organization,
        )
        source = rec.source
        created = pid is None
        if pid is None:
            pid = self._create(
                rec.name,
                source,
                first_name=rec.first_name,
                last_name=rec.last_name,
                emails=rec.emails,
                phones=rec.phones,
                urls=rec.urls,
                birthday=rec.birthday,
                location=rec.location,
                tags=rec.tags,
                provenance=True,
            )
            changed = True
        else:
            changed = self._update_person(pid, rec)
        changed |= self._employment(pid, rec, created)
        if rec.evidence:
            changed |= self._tie(
                self.owner_id,
                pid,
                rec.tie_context,
                rec.evidence,
                source,
                at=rec.connected_on,
                since=rec.connected_on,
            )
        if rec.related or rec.notes:
            changed |= self._related_and_notes(pid, rec)
        if created:
            self.report.created += 1
        elif not changed:
            self.report.unchanged += 1
        elif self._person(pid)[5] != source:
            self.report.merged += 1
        else:
            self.report.updated += 1
        if len(self._p.people) >= _BATCH:
            self.flush()
        return pid

    def _related_and_notes(self, pid: int, rec: ContactRecord) -> bool:
        changed = False
        source = rec.source
        for rel in rec.related:
            rid, _ = self.index.match(name=rel.name)
            if rid is None:
                same = self.index.by_name.get(normalize(rel.name), [])
                rid = same[0] if len(same) == 1 else self._new_person(rel.name, source)
            changed |= self._tie(
                pid, rid, rel.context, f"{rec.name}'s {rel.label} ({source} card)", source
            )
        notes = self._note_set()
        for text in rec.notes:
            if (pid, text) in notes:
                continue
            self.flush()
            note = self.store.add_note(
                Note(text=text, people=[pid], at=_now(), source=f"{source}:{self.file}")
            )
            assert note.id is not None
            self.new_note_ids.append(note.id)
            notes.add((pid, text))
            changed = True
        return changed

    def _note_set(self) -> set[tuple[int, str]]:
        if self._notes is None:
            self._notes = {(pid, text) for _, pid, text in self.store.note_texts()}
        return self._notes

    def _update_person(self, pid: int, rec: ContactRecord) -> bool:
        row = self._person(pid)
        changed = False
        index = self.index
        for kind, values in (("email", rec.emails), ("phone", rec.phones), ("url", rec.urls)):
            for v in values:
                if (kind, v) in index.by_ident:
                    continue
                pos = sum(1 for k, _ in index.idents_of.get(pid, ()) if k == kind)
                self._p.identifiers.append((pid, kind, v, pos, rec.source))
                index.add_ident(pid, kind, v)
                changed = True
        updates: dict[str, object] = {}
        for i, fld in enumerate(("first_name", "last_name", "birthday", "location")):
            val = getattr(rec, fld)
            if val and row[i] is None:
                updates[fld] = val
                row[i] = val.isoformat() if isinstance(val, date) else val
                if fld in ("birthday", "location"):
                    self._p.field_sources[(pid, fld, rec.source)] = str(row[i])
        new_tags = [t for t in dict.fromkeys(rec.tags) if t not in row[4]]
        if new_tags:
            row[4] = row[4] + new_tags
            updates["tags"] = row[4]
        if updates:
            self._settle(pid)
            self.store.update_person_fields(pid, **updates)
            changed = True
        return changed

    def _add_job(self, pid: int, oid: int, title: str | None, source: str, **when: Any) -> None:
        eid = self._next_eid
        self._next_eid += 1
        start, end = when.get("start"), when.get("end")
        current = when.get("current", True)
        seen = self.as_of.isoformat() if self.as_of else None
        self._p.jobs[eid] = [
            eid,
            pid,
            oid,
            title,
            start.isoformat() if start else None,
            end.isoformat() if end else None,
            int(current),
            source,
            seen,
        ]
        self._jobs.setdefault(pid, []).append([eid, oid, title, current, source, seen])
        self.index.add_job(pid, oid)

    def _update_job(self, job: list[Any], *, end: date | None = None) -> None:
        """Write a stored or pending job's title, end, current and seen as ``job`` has them."""
        eid = job[0]
        if end is not None:
            job[3] = False
        pending = self._p.jobs.get(eid)
        if pending is not None:
            pending[3], pending[8] = job[2], job[5]
            if end is not None:
                pending[5], pending[6] = end.isoformat(), 0
        else:
            old = self._p.job_updates.get(eid)
            ended = end.isoformat() if end else (old[1] if old else None)
            self._p.job_updates[eid] = (job[2], ended, int(job[3]), job[5], eid)

    def _seen(self, job: list[Any]) -> None:
        """This export states the job too: remember its date when it is newer."""
        if self.as_of is not None and (job[5] or "") < self.as_of.isoformat():
            job[5] = self.as_of.isoformat()
            self._update_job(job)

    def _employment(self, pid: int, rec: ContactRecord, created: bool) -> bool:
        if not rec.organization:
            return False
        oid = self._org(rec.organization)
        source = rec.source
        jobs = self._jobs.get(pid)
        if created or not jobs:
            self._add_job(pid, oid, rec.title, source)
            return True
        newest = max((j[5] for j in jobs if j[4] == source and j[5]), default=None)
        if self.as_of is not None and newest and self.as_of.isoformat() < newest:
            # an older export: it may add a past job, never move someone back
            if any(j[1] == oid for j in jobs):
                return False
            self._add_job(pid, oid, rec.title, source, current=False)
            return True
        current = [j for j in jobs if j[3]]
        for job in current:
            if job[1] == oid:
                changed = bool(rec.title and job[2] != rec.title and job[4] == source)
                if changed:
                    job[2] = rec.title
                    self._update_job(job)
                self._seen(job)
                return changed
        when: date | None = None
        if current:
            movable = [j for j in current if j[4] == source or source in _CURRENT_JOB_SOURCES]
            if not movable:
                return False  # another source knows better where they work now
            when = self.as_of or self.today
            for job in movable:
                self._update_job(job, end=when)
        self._add_job(pid, oid, rec.title, source, start=when)
        return True

    # --------------------------------------------------------------- interactions

    def _party(self, p: Party, source: str) -> int | None:
        if p.is_owner or (p.email and p.email in self.owner_emails):
            return self.owner_id
        emails = [p.email] if p.email else []
        urls = [p.url] if p.url else []
        name = p.name or (p.email.split("@")[0] if p.email else None)
        if not name:
            return None
        pid, _ = self.index.match(name=name, emails=emails, urls=urls)
        if pid is None and not emails and not urls:
            same = self.index.by_name.get(normalize(name), [])
            pid = same[0] if len(same) == 1 else None
        if pid is None:
            pid = self._create(name, source, emails=emails, urls=urls)
        return pid

    def interaction(self, rec: InteractionRecord) -> None:
        sender = self._party(rec.sender, rec.source) if rec.sender else None
        others = [pid for p in rec.others if (pid := self._party(p, rec.source)) is not None]
        people = list(dict.fromkeys([*([sender] if sender else []), *others]))
        owner_named = self.owner_id in people
        if owner_named:
            people.remove(self.owner_id)
        if not people:
            return
        if rec.source_id in self._p.mail_ids:
            self.report.unchanged += 1
            return
        self._p.mail_ids.add(rec.source_id)
        direction = rec.direction or (
            Direction.outbound if sender == self.owner_id else Direction.inbound
        )
        self._p.mail.append((rec, direction, people, owner_named))
        if len(self._p.mail) >= _MAIL_BATCH:
            self.flush()

    def _write_mail(self, mail: list[tuple[Any, ...]]) -> None:
        known = self.store.known_source_ids([m[0].source_id for m in mail])
        rows: list[tuple[object, ...]] = []
        members: list[tuple[int, int, int]] = []
        pairable: list[int] = []
        owner = self.owner_id
        for rec, direction, people, owner_named in mail:
            if rec.source_id in known:
                self.report.unchanged += 1
                continue
            iid = self._next_iid
            self._next_iid += 1
            rows.append(
                (
                    iid,
                    rec.at.isoformat(),
                    rec.channel.value,
                    direction.value,
                    rec.subject,
                    rec.summary,
                    rec.source,
                    rec.source_id,
                )
            )
            members.append((iid, owner, 0))
            members.extend((iid, pid, pos) for pos, pid in enumerate(people, 1))
            self.report.created += 1
            if len(people) <= MAX_GROUP:
                if len(people) > 1 and not rec.is_list:
                    pairable.append(iid)
                if owner_named or rec.channel == Channel.meeting:
                    for pid in people:
                        self._pair(pid, rec)
        self.store.bulk_insert_ids("interactions", rows)
        self.store.bulk_insert_ids("interaction_people", members)
        if pairable:
            self.store.add_pair_candidates(pairable)
            self._pairs_waiting = True

    def _pair(self, pid: int, rec: InteractionRecord) -> None:
        hit = self._owner_pairs.get(pid)
        if hit is None:
            self._owner_pairs[pid] = [1, rec.at, rec.subject, rec.channel]
        else:
            hit[0] += 1
            if rec.at >= hit[1]:
                hit[1], hit[2] = rec.at, rec.subject

    @staticmethod
    def _pair_text(n: int, at: date, subject: str | None, channel: Channel) -> str:
        noun = _NOUNS.get(channel, "conversation")
        what = f' "{subject}"' if subject else ""
        if n == 1:
            return f"Both on the {noun}{what} on {_day(at)}"
        return f"Both on {n} {noun}s, latest{what} on {_day(at)}"

    def finish(self) -> None:
        """Write what is buffered, then the co-attendance / co-recipient evidence."""
        self.flush()
        if self._pairs_waiting:
            self._pairs_waiting = False
            self.store.add_pair_ties(self.owner_id)
        for pid, (n, at, subject, channel) in self._owner_pairs.items():
            if channel == Channel.meeting:
                ctx, text = TieContext.co_attendee, self._pair_text(n, at, subject, channel)
            else:
                ctx = TieContext.acquaintance
                noun = "message" if channel == Channel.message else "email"
                text = (
                    f"{n} {noun}{'s' if n > 1 else ''} between you, latest"
                    f"{f' {chr(34)}{subject}{chr(34)}' if subject else ''} on {at:%d %b %Y}"
                )
            self._tie(self.owner_id, pid, ctx, text, self._source(channel), at=at.date())
        self._owner_pairs.clear()
        self.flush()

    @staticmethod
    def _source(channel: Channel) -> str:
        return _SOURCES.get(channel, channel.value)

    # ------------------------------------------------------------ ties and notes

    def tie_record(self, rec: TieRecord, resolve: Any) -> None:
        self.flush()
        a, b = resolve.many([rec.a, rec.b])
        self.flush()
        if self._tie(
            a,
            b,
            rec.context,
            rec.text,
            "carson",
            at=rec.since,
            since=rec.since,
            strength=rec.strength,
        ):
            self.report.created += 1
        else:
            self.report.unchanged += 1

    def note_record(self, rec: NoteRecord, resolve: Any) -> None:
        self.flush()
        people = resolve.many(rec.people)
        self.flush()
        text = rec.text
        notes = self._note_set()
        if people and all((pid, text) in notes for pid in people):
            self.report.unchanged += 1
            return
        note = self.store.add_note(
            Note(text=text, people=people, at=rec.at or _now(), source=f"carson:{self.file}")
        )
        assert note.id is not None
        self.new_note_ids.append(note.id)
        for pid in people:
            notes.add((pid, text))
        self.report.created += 1

    def problem(self, p: Problem) -> None:
        if p.warning:
            self.report.warnings.append(p)
        else:
            self.report.skip(p)
