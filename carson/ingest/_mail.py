"""Messages and meetings: who took part, stored in batches, and who was on them together.

Interactions wait in the writer's buffer and go out every ``_MAIL_BATCH``; those
already stored (same source id) are counted as unchanged. Who-was-on-the-same-message
is counted by SQLite over the stored rows (``Store.add_pair_ties``), so memory stays
bounded by the number of people, never by messages or pairs. Mailing-list traffic
gives no co-recipient evidence.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from carson.ingest._writer import _Writer
from carson.ingest.entities import normalize
from carson.ingest.records import InteractionRecord, Party
from carson.models import Channel, Direction, TieContext

# A message or meeting with more people than this says little about who knows whom.
MAX_GROUP = 12
_MAIL_BATCH = 4_000
_NOUNS = {Channel.meeting: "meeting", Channel.email: "email", Channel.message: "message"}
_SOURCES = {Channel.meeting: "calendar", Channel.email: "mbox", Channel.message: "linkedin"}
# Enum .value is a Python-level property; a dict hit is cheaper, twice a message.
_VALUE: dict[Channel | Direction, str] = {
    **{c: c.value for c in Channel},
    **{d: d.value for d in Direction},
}


@lru_cache(maxsize=8192)
def _day(d: date) -> str:
    return f"{d:%d %b %Y}"


class MailImport(_Writer):
    def _party(self, p: Party, source: str) -> int | None:
        if p.is_owner or (p.email and p.email in self.owner_emails):
            return self.owner_id
        if p.email and not p.url:  # most mail: an address seen before
            found = self.index.by_ident.get(("email", p.email))
            if found is not None:
                return found
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
        created = 0
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
                    _VALUE[rec.channel],
                    _VALUE[direction],
                    rec.subject,
                    rec.summary,
                    rec.source,
                    rec.source_id,
                )
            )
            members.append((iid, owner, 0))
            members += [(iid, pid, pos) for pos, pid in enumerate(people, 1)]
            created += 1
            if len(people) <= MAX_GROUP:
                if len(people) > 1 and not rec.is_list:
                    pairable.append(iid)
                if owner_named or rec.channel == Channel.meeting:
                    for pid in people:
                        self._pair(pid, rec)
        self.report.created += created
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
