"""Store a generated ``World`` through the Store API, in one transaction.

Going through ``Store.add_*`` means the demo is exactly what an import would
produce. Notes are written before ties so tie evidence can cite ``note:<id>``;
interactions and notes are written in time order, so ids follow the calendar.
"""

from __future__ import annotations

from datetime import datetime, time

from carson.demo._plan import World
from carson.models import Employment, Evidence, Interaction, Note, Organization, Person, Tie
from carson.store import Store

SOURCE = "demo"


def write_world(store: Store, w: World) -> None:
    with store.write():
        orgs: list[int] = []
        for o in w.orgs:
            stored = store.add_organization(
                Organization(name=o.name, domain=o.domain, aliases=o.aliases, industry=o.industry)
            )
            orgs.append(_id(stored.id))
        people: list[int] = []
        for p in w.people:
            stored_p = store.add_person(
                Person(
                    name=p.name,
                    first_name=p.first,
                    last_name=p.last,
                    emails=p.emails,
                    phones=p.phones,
                    urls=p.urls,
                    location=p.location,
                    birthday=p.birthday,
                    tags=p.tags,
                    is_me=p.is_me,
                    is_team=p.is_team,
                    source=SOURCE,
                )
            )
            people.append(_id(stored_p.id))
        for i, p in enumerate(w.people):
            for job in p.jobs:
                store.add_employment(
                    Employment(
                        person_id=people[i],
                        org_id=orgs[job.org],
                        title=job.title,
                        start=job.start,
                        end=job.end,
                        current=job.current,
                        source=SOURCE,
                    )
                )
        notes = sorted(w.notes, key=lambda n: (n.at, n.text))
        note_ids: list[int] = []
        for k, n in enumerate(notes):
            n.key = k
            stored_n = store.add_note(
                Note(text=n.text, people=[people[i] for i in n.people], at=n.at, source=SOURCE)
            )
            note_ids.append(_id(stored_n.id))
        for t in w.ties:
            store.add_tie(
                Tie(
                    a=people[t.a],
                    b=people[t.b],
                    context=t.context,
                    source=t.source,
                    owner_id=people[t.owner] if t.owner is not None else None,
                    since=t.since,
                    evidence=[
                        Evidence(
                            text=e.text,
                            source=f"note:{note_ids[e.note.key]}" if e.note else e.source,
                            at=e.at,
                        )
                        for e in t.evidence
                    ],
                )
            )
        ordered = sorted(w.interactions, key=lambda it: (it.at, it.participants))
        for k, it in enumerate(ordered):
            store.add_interaction(
                Interaction(
                    at=it.at,
                    channel=it.channel,
                    participants=[people[i] for i in it.participants],
                    direction=it.direction,
                    subject=it.subject,
                    summary=it.summary,
                    source=SOURCE,
                    source_id=f"demo-{w.seed}-{k:05d}",
                )
            )
        store.set_meta("demo_seed", str(w.seed))
        store.set_meta("demo_anchor", w.anchor.isoformat())
        store.set_meta("last_import", datetime.combine(w.anchor, time(9, 0)).isoformat())


def _id(value: int | None) -> int:
    assert value is not None
    return value
