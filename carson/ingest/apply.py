"""Writing parsed records into the store: resolve, create or update, tie, record.

One ``Importer`` per file, used inside one ``store.write()`` transaction. The owner
is whose export this is: the user (``is_me``) or a teammate (``--owner``); their
ties carry ``owner_id``. Everything is idempotent: identifiers resolve to the same
people, interactions are keyed by their source id, ties merge their evidence and
notes are not written twice.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime
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
from carson.models import (
    Channel,
    Direction,
    Employment,
    Evidence,
    Interaction,
    Note,
    Organization,
    Person,
    Tie,
    TieContext,
)
from carson.store import Store

# A message or meeting with more people than this says little about who knows whom.
MAX_GROUP = 12
# Sources whose newer exports say where someone works now (a changed company = a move).
_CURRENT_JOB_SOURCES = {"linkedin"}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


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
        self._ties: dict[tuple[int, int, str], list[dict[str, object]]] = {}
        for _tid, a, b, ctx, ev in store.tie_rows():
            self._ties[(a, b, ctx)] = json.loads(ev)
        self._notes: set[tuple[int, str]] = {(pid, text) for _, pid, text in store.note_texts()}
        self._current: dict[int, list[Employment]] = defaultdict(list)
        for emp in store.employments(current=True):
            self._current[emp.person_id].append(emp)
        self._pairs: dict[tuple[int, int], list[object]] = {}
        self._owner_pairs: dict[int, list[object]] = {}
        self.new_note_ids: list[int] = []
        # New people from plain rows are buffered and written with executemany (ids assigned
        # here: the transaction holds the writer lock, so nobody else inserts meanwhile).
        self._buf: dict[str, list[tuple[object, ...]]] = defaultdict(list)
        self._pending: set[int] = set()
        self._next_pid = store.max_person_id() + 1

    # -------------------------------------------------------------------- helpers

    def flush(self) -> None:
        """Write buffered new people (and their identifiers, jobs and ties)."""
        if not self._pending:
            return
        for table in ("people", "identifiers", "field_sources", "employments", "ties"):
            if self._buf[table]:
                self.store.bulk_insert(table, self._buf[table])
        for emp in self.store.employments(current=True):
            if emp.person_id in self._pending:
                self._current[emp.person_id].append(emp)
        self._buf.clear()
        self._pending.clear()

    def _fast_new(self, rec: ContactRecord) -> bool:
        """Buffer a contact nobody matches; False when it needs the full path."""
        if rec.related or rec.notes:
            return False
        pid = self._next_pid
        self._next_pid += 1
        src = rec.source
        self._buf["people"].append(
            (
                pid,
                rec.name,
                rec.first_name,
                rec.last_name,
                rec.location,
                rec.birthday.isoformat() if rec.birthday else None,
                json.dumps(list(dict.fromkeys(rec.tags))),
                0,
                0,
                src,
            )
        )
        self._pending.add(pid)
        self.index.add_name(pid, rec.name)
        for kind, values in (("email", rec.emails), ("phone", rec.phones), ("url", rec.urls)):
            pos = 0
            for v in dict.fromkeys(values):
                if (kind, v) in self.index.by_ident:
                    continue
                self._buf["identifiers"].append((pid, kind, v, pos, src))
                self.index.add_ident(pid, kind, v)
                pos += 1
        self._buf["field_sources"].append((pid, "name", rec.name, src))
        for fld, val in (("birthday", rec.birthday), ("location", rec.location)):
            if val:
                self._buf["field_sources"].append((pid, fld, str(val), src))
        if rec.organization:
            oid = self._org(rec.organization)
            self._buf["employments"].append((pid, oid, rec.title, None, None, 1, src))
            self.index.orgs_of[pid].add(oid)
        if rec.evidence and pid != self.owner_id:
            lo, hi = min(pid, self.owner_id), max(pid, self.owner_id)
            ev = {
                "text": rec.evidence,
                "source": src,
                "at": rec.connected_on.isoformat() if rec.connected_on else None,
            }
            since = rec.connected_on.isoformat() if rec.connected_on else None
            self._buf["ties"].append(
                (lo, hi, rec.tie_context.value, src, self.owner_id, since, json.dumps([ev]), None)
            )
            self._ties[(lo, hi, rec.tie_context.value)] = [ev]
        if len(self._buf["people"]) >= 5000:
            self.flush()
        return True

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
        lo, hi = min(a, b), max(a, b)
        ev = Evidence(text=text, source=source, at=at)
        key = (lo, hi, context.value)
        dumped = ev.model_dump(mode="json")
        old = self._ties.get(key)
        if old is not None and dumped in old:
            return False
        self.store.add_tie(
            Tie(
                a=lo,
                b=hi,
                context=context,
                source=source,
                owner_id=self.owner_id,
                since=since,
                evidence=[ev],
                strength=strength,
            )
        )
        self._ties.setdefault(key, []).append(dumped)
        return True

    def _org(self, name: str) -> int:
        oid = self.index.org_id(name)
        if oid is None:
            org = self.store.add_organization(Organization(name=name))
            assert org.id is not None
            oid = org.id
            self.index.add_org(oid, name)
        return oid

    def _new_person(
        self,
        name: str,
        source: str,
        *,
        emails: list[str] = (),  # type: ignore[assignment]
        phones: list[str] = (),
        urls: list[str] = (),  # type: ignore[assignment]
        **fields: object,
    ) -> int:
        def free(kind: str, values: list[str]) -> list[str]:
            return [v for v in dict.fromkeys(values) if (kind, v) not in self.index.by_ident]

        person = self.store.add_person(
            Person(
                name=name,
                source=source,
                emails=free("email", emails),
                phones=free("phone", phones),
                urls=free("url", urls),
                **fields,
            )
        )
        assert person.id is not None
        pid = person.id
        self._next_pid = max(self._next_pid, pid + 1)
        self.index.add_name(pid, person.name)
        for kind, values in (
            ("email", person.emails),
            ("phone", person.phones),
            ("url", person.urls),
        ):
            for v in values:
                self.index.add_ident(pid, kind, v)
        return pid

    # ------------------------------------------------------------------- contacts

    def contact(self, rec: ContactRecord) -> int:
        """Import one contact; return the person's id."""
        pid, how = self.index.match(
            name=rec.name,
            emails=rec.emails,
            phones=rec.phones,
            urls=rec.urls,
            organization=rec.organization,
        )
        if pid is None and self._fast_new(rec):
            self.report.created += 1
            return self._next_pid - 1
        self.flush()
        source = rec.source
        changed = False
        created = pid is None
        if pid is None:
            pid = self._new_person(
                rec.name,
                source,
                emails=rec.emails,
                phones=rec.phones,
                urls=rec.urls,
                first_name=rec.first_name,
                last_name=rec.last_name,
                birthday=rec.birthday,
                location=rec.location,
                tags=rec.tags,
            )
            for fld, val in (
                ("name", rec.name),
                ("birthday", rec.birthday),
                ("location", rec.location),
            ):
                if val:
                    self.store.set_field_source(pid, fld, str(val), source)
        else:
            changed |= self._update_person(pid, rec)
        changed |= self._employment(pid, rec)
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
        for rel in rec.related:
            rid, _ = self.index.match(name=rel.name)
            if rid is None:
                same = self.index.by_name.get(normalize(rel.name), [])
                rid = same[0] if len(same) == 1 else self._new_person(rel.name, source)
            changed |= self._tie(
                pid, rid, rel.context, f"{rec.name}'s {rel.label} ({source} card)", source
            )
        for text in rec.notes:
            if (pid, text) in self._notes:
                continue
            note = self.store.add_note(
                Note(text=text, people=[pid], at=_now(), source=f"{source}:{self.file}")
            )
            assert note.id is not None
            self.new_note_ids.append(note.id)
            self._notes.add((pid, text))
            changed = True
        if created:
            self.report.created += 1
        elif not changed:
            self.report.unchanged += 1
        elif self._from_other_source(pid, source, how):
            self.report.merged += 1
        else:
            self.report.updated += 1
        return pid

    def _from_other_source(self, pid: int, source: str, how: str | None) -> bool:
        person = self.store.get_person(pid)
        return person is not None and person.source != source

    def _update_person(self, pid: int, rec: ContactRecord) -> bool:
        person = self.store.get_person(pid)
        assert person is not None
        changed = False
        for kind, values in (("email", rec.emails), ("phone", rec.phones), ("url", rec.urls)):
            for v in values:
                if (kind, v) in self.index.by_ident:
                    continue
                if self.store.add_identifier(pid, kind, v, rec.source):
                    self.index.add_ident(pid, kind, v)
                    changed = True
        updates: dict[str, object] = {}
        for fld in ("first_name", "last_name", "birthday", "location"):
            val = getattr(rec, fld)
            if val and getattr(person, fld) is None:
                updates[fld] = val
                if fld in ("birthday", "location"):
                    self.store.set_field_source(pid, fld, str(val), rec.source)
        new_tags = [t for t in rec.tags if t not in person.tags]
        if new_tags:
            updates["tags"] = person.tags + new_tags
        if updates:
            self.store.update_person_fields(pid, **updates)
            changed = True
        return changed

    def _employment(self, pid: int, rec: ContactRecord) -> bool:
        if not rec.organization:
            return False
        oid = self._org(rec.organization)
        current = self._current.get(pid, [])
        for emp in current:
            if emp.org_id == oid:
                if rec.title and emp.title != rec.title and emp.source == rec.source:
                    self.store.update_employment(emp.model_copy(update={"title": rec.title}))
                    emp.title = rec.title
                    return True
                return False
        if current:
            movable = [
                e for e in current if e.source == rec.source or rec.source in _CURRENT_JOB_SOURCES
            ]
            if not movable:
                return False  # another source knows better where they work now
            for emp in movable:
                self.store.update_employment(
                    emp.model_copy(update={"end": self.today, "current": False})
                )
                current.remove(emp)
            start: date | None = self.today
        else:
            start = None
        emp = self.store.add_employment(
            Employment(
                person_id=pid,
                org_id=oid,
                title=rec.title,
                start=start,
                current=True,
                source=rec.source,
            )
        )
        self._current[pid].append(emp)
        self.index.orgs_of[pid].add(oid)
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
            pid = self._new_person(name, source, emails=emails, urls=urls)
        return pid

    def interaction(self, rec: InteractionRecord) -> None:
        self.flush()
        sender = self._party(rec.sender, rec.source) if rec.sender else None
        others = [pid for p in rec.others if (pid := self._party(p, rec.source)) is not None]
        people = [pid for pid in dict.fromkeys([*([sender] if sender else []), *others])]
        owner_named = self.owner_id in people
        people = [pid for pid in people if pid != self.owner_id]
        if not people:
            return
        direction = rec.direction or (
            Direction.outbound if sender == self.owner_id else Direction.inbound
        )
        stored = self.store.add_interaction(
            Interaction(
                at=rec.at,
                channel=rec.channel,
                participants=[self.owner_id, *people],
                direction=direction,
                subject=rec.subject,
                summary=rec.summary,
                source=rec.source,
                source_id=rec.source_id,
            )
        )
        if stored is None:
            self.report.unchanged += 1
            return
        self.report.created += 1
        if len(people) <= MAX_GROUP:
            for i, a in enumerate(people):
                for b in people[i + 1 :]:
                    self._pair(self._pairs, (min(a, b), max(a, b)), rec)
            if owner_named or rec.channel == Channel.meeting:
                for pid in people:
                    self._pair(self._owner_pairs, pid, rec)

    @staticmethod
    def _pair(agg: dict, key: object, rec: InteractionRecord) -> None:  # type: ignore[type-arg]
        hit = agg.get(key)
        if hit is None:
            agg[key] = [1, rec.at, rec.subject, rec.channel]
        else:
            hit[0] += 1
            if rec.at >= hit[1]:
                hit[1], hit[2] = rec.at, rec.subject

    def _pair_text(self, n: int, at: datetime, subject: str | None, channel: Channel) -> str:
        noun = {"meeting": "meeting", "email": "email", "message": "message"}.get(
            channel.value, "conversation"
        )
        what = f' "{subject}"' if subject else ""
        if n == 1:
            return f"Both on the {noun}{what} on {at:%d %b %Y}"
        return f"Both on {n} {noun}s, latest{what} on {at:%d %b %Y}"

    def finish(self) -> None:
        """Write the co-attendance / co-recipient evidence gathered from new interactions."""
        self.flush()
        for (a, b), (n, at, subject, channel) in self._pairs.items():  # type: ignore[misc]
            ctx = TieContext.co_attendee if channel == Channel.meeting else TieContext.co_recipient
            self._tie(
                a,
                b,
                ctx,
                self._pair_text(n, at, subject, channel),
                self._source(channel),
                at=at.date(),
            )
        for pid, (n, at, subject, channel) in self._owner_pairs.items():  # type: ignore[misc]
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

    @staticmethod
    def _source(channel: Channel) -> str:
        return {"meeting": "calendar", "email": "mbox", "message": "linkedin"}.get(
            channel.value, channel.value
        )

    # ------------------------------------------------------------ ties and notes

    def tie_record(self, rec: TieRecord, resolve: Any) -> None:
        self.flush()
        a, b = resolve.many([rec.a, rec.b])
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
        text = rec.text
        if people and all((pid, text) in self._notes for pid in people):
            self.report.unchanged += 1
            return
        note = self.store.add_note(
            Note(text=text, people=people, at=rec.at or _now(), source=f"carson:{self.file}")
        )
        assert note.id is not None
        self.new_note_ids.append(note.id)
        for pid in people:
            self._notes.add((pid, text))
        self.report.created += 1

    def problem(self, p: Problem) -> None:
        if p.warning:
            self.report.warnings.append(p)
        else:
            self.report.skip(p)
