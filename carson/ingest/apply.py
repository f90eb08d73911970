"""Writing parsed records into the store: resolve, create or update, tie, record.

One ``Importer`` per file, used inside one ``store.write()`` transaction. The owner
is whose export this is: the user (``is_me``) or a teammate (``--owner``); their
ties carry ``owner_id``. Everything is idempotent: identifiers resolve to the same
people, interactions are keyed by their source id, ties merge their evidence and
notes are not written twice.

The hot path never reads the store per record: what it needs (identifiers, names,
jobs, the owner's ties, people's fields) is loaded once into dicts, records resolve
against those, and new rows wait in ``_Pending`` to be written in batches, thousands
of rows a statement (``_writer``). Messages and meetings, and who was on them
together, are ``_mail``'s. This module holds contacts, their jobs, and the ties and
notes a Carson CSV names.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from carson.ingest._mail import MAX_GROUP, MailImport
from carson.ingest.entities import normalize
from carson.ingest.records import ContactRecord, NoteRecord, Problem, TieRecord
from carson.models import Note

__all__ = ["MAX_GROUP", "Importer"]

# Sources whose newer exports say where someone works now (a changed company = a move).
_CURRENT_JOB_SOURCES = {"linkedin"}
# Flush buffered rows after this many new people.
_BATCH = 4_000


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Importer(MailImport):
    """Imports one file's records: contacts, messages and meetings, ties and notes."""

    # ------------------------------------------------------------------- contacts

    def contact(self, rec: ContactRecord) -> int:
        """Import one contact; return the person's id."""
        org = rec.organization
        pid, _ = self.index.match(
            name=rec.name,
            emails=rec.emails,
            phones=rec.phones,
            urls=rec.urls,
            organization=org,
        )
        source = rec.source
        report = self.report
        if pid is None:
            oid = self._org(org) if org else None
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
                oid=oid,
            )
            if oid is not None:
                self._add_job(pid, oid, rec.title, source, indexed=True)
            created = changed = True
        else:
            created = False
            changed = self._update_person(pid, rec)
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
        if rec.related or rec.notes:
            changed |= self._related_and_notes(pid, rec)
        if created:
            report.created += 1
        elif not changed:
            report.unchanged += 1
        elif self._person(pid)[5] != source:
            report.merged += 1
        else:
            report.updated += 1
        if self._next_pid - self._pending_from >= _BATCH:
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

    def _add_job(
        self,
        pid: int,
        oid: int,
        title: str | None,
        source: str,
        *,
        start: date | None = None,
        current: bool = True,
        indexed: bool = False,
    ) -> None:
        """A new job, buffered (``indexed``: the entity index already knows it)."""
        eid = self._next_eid
        self._next_eid = eid + 1
        seen = self._as_of_iso
        self._p.jobs[eid] = [
            eid,
            pid,
            oid,
            title,
            start.isoformat() if start else None,
            None,
            int(current),
            source,
            seen,
        ]
        job = [eid, oid, title, current, source, seen]
        jobs = self._jobs.get(pid)
        if jobs is None:
            self._jobs[pid] = [job]
        else:
            jobs.append(job)
        if not indexed:
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

    def _employment(self, pid: int, rec: ContactRecord) -> bool:
        """Someone already stored (or made earlier in this file) states a job."""
        if not rec.organization:
            return False
        oid = self._org(rec.organization)
        source = rec.source
        jobs = self._jobs.get(pid)
        if not jobs:
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
