"""Calendar ``.ics``: each event with attendees becomes a meeting with each of them.

Read with ``icalendar``; when a whole calendar will not parse (an invalid date in one
event, say) the events are read one by one so the good ones still import. Attendees
inside a VALARM (reminder targets), loose ATTENDEE lines outside any VEVENT and
Google's synthetic ``…@virtual`` contacts are not people.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import icalendar

from carson.errors import ImportFormatError
from carson.ingest import _text
from carson.ingest._text import to_naive_utc
from carson.ingest.records import InteractionRecord, Party, Problem, Record
from carson.models import Channel, Direction

_EVENT = re.compile(r"^BEGIN:VEVENT\s*$.*?^END:VEVENT\s*$", re.M | re.S)


def _events(text: str, file: str) -> Iterator[tuple[int, Any] | Problem]:
    """(line, VEVENT component) for every event, or a problem per unreadable event."""
    try:
        comps = icalendar.Calendar.from_ical(text, multiple=True)
        events = [e for c in comps for e in c.walk("VEVENT")]
    except Exception:  # icalendar raises many kinds; fall back to event by event
        events = None
    starts = [text.count("\n", 0, m.start()) + 1 for m in _EVENT.finditer(text)]
    if events is not None:
        for i, ev in enumerate(events):
            yield (starts[i] if i < len(starts) else 0), ev
        return
    for m, line in zip(_EVENT.finditer(text), starts, strict=True):
        try:
            yield line, icalendar.Event.from_ical(m.group(0))
        except Exception as exc:
            yield Problem(file, f"unreadable event ({str(exc)[:120]})", line)


def _party(prop: Any) -> Party | None:
    if prop is None:
        return None
    addr = _text.email(str(prop))
    cn = _text.clean(getattr(prop, "params", {}).get("CN", "")) or None
    if cn and addr and addr in cn.lower():
        # "Page, Larry <l.page@google.com> (l.page@google.com)": keep the name part
        cn = _text.clean(re.sub(r"[<(].*$", "", cn)).strip(" ,") or None
    if cn and "@" in cn and _text.email(cn) == addr:
        cn = None
    if addr and addr.endswith("@virtual"):
        return None
    if not addr and not cn:
        return None
    return Party(_text.person_name(cn) if cn else None, addr)


def parse(text: str, file: str) -> Iterator[Record]:
    if "BEGIN:VEVENT" not in text.upper():
        raise ImportFormatError(
            f"{file}: no events (BEGIN:VEVENT) in this calendar file.",
            "Export the calendar as .ics with its events.",
        )
    n = 0
    for item in _events(text, file):
        if isinstance(item, Problem):
            yield item
            continue
        line, ev = item
        n += 1
        attendees = ev.get("attendee")
        if attendees is None:
            continue
        if not isinstance(attendees, list):
            attendees = [attendees]
        organizer = _party(ev.get("organizer"))
        others: list[Party] = []
        seen: set[str] = set()
        for a in attendees:
            p = _party(a)
            if p is None:
                continue
            key = p.email or p.name or ""
            if key in seen or (organizer and key == (organizer.email or organizer.name)):
                continue
            seen.add(key)
            others.append(p)
        if not others:
            continue
        try:
            start = ev.decoded("dtstart")
        except Exception:
            yield Problem(file, "event has attendees but no readable start time", line, n)
            continue
        if not isinstance(start, date):
            yield Problem(file, "event start is not a date", line, n)
            continue
        uid = str(ev.get("uid") or "")
        rid = ev.get("recurrence-id")
        key = f"{uid}|{rid.to_ical().decode() if rid is not None else ''}"
        if not uid:
            key = f"{start}|{ev.get('summary')}|{','.join(p.email or '' for p in others)}"
        yield InteractionRecord(
            at=to_naive_utc(start),
            channel=Channel.meeting,
            source="calendar",
            source_id="ics:" + hashlib.sha1(key.encode()).hexdigest()[:24],
            sender=organizer,
            others=others,
            subject=_text.clean(ev.get("summary")) or None,
            direction=Direction.mutual,
            line=line,
            record=n,
        )
