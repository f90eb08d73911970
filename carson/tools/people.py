"""``person_profile``: who someone is, their jobs, ties with evidence, last interactions."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from carson.models import Evidence
from carson.tools.base import ToolContext, tool
from carson.tools.routes import PersonArgs


class JobLine(BaseModel):
    company: str
    title: str | None = None
    start: date | None = None
    end: date | None = None
    current: bool = True


class TieLine(BaseModel):
    name: str
    relationship: str
    strength: float | None = None
    stale: bool = False
    evidence: list[Evidence] = Field(default_factory=list)


class InteractionLine(BaseModel):
    at: datetime
    channel: str
    subject: str | None = None
    with_people: list[str] = Field(default_factory=list)


class DetailLine(BaseModel):
    kind: str
    """family, hobby, event or pain."""
    text: str
    """Untrusted: quoted from a note."""
    date: date
    note_id: int


class ProfileResult(BaseModel):
    id: int
    name: str
    title: str | None = None
    company: str | None = None
    location: str | None = None
    is_me: bool = False
    is_team: bool = False
    jobs: list[JobLine] = Field(default_factory=list)
    ties: list[TieLine] = Field(default_factory=list)
    """Strongest first."""
    you: TieLine | None = None
    """How the user knows them directly, if at all."""
    last_interactions: list[InteractionLine] = Field(default_factory=list)
    details: list[DetailLine] = Field(default_factory=list)
    """Recent personal details from the notes (family, hobbies, events, pains), best first."""


@tool("person_profile", PersonArgs)
def person_profile(ctx: ToolContext, args: PersonArgs) -> ProfileResult:
    """Who a person is: current title and company, job history, strongest ties with
    evidence, and the last interactions with them."""
    from carson.graph import load_network
    from carson.notes.details import personal_details

    store = ctx.store
    person = ctx.resolver.person(args.person)
    assert person.id is not None
    orgs = {o.id: o.name for o in store.organizations()}
    emps = sorted(
        store.employments(person_id=person.id),
        key=lambda e: (e.current, e.start or date.min),
        reverse=True,
    )
    jobs = [
        JobLine(
            company=orgs.get(e.org_id, "?"),
            title=e.title,
            start=e.start,
            end=e.end,
            current=e.current,
        )
        for e in emps
    ]
    current = next((j for j in jobs if j.current), None)
    net = load_network(store)
    ties: list[TieLine] = []
    you: TieLine | None = None
    if person.id in net.people:
        for other in net.neighbors(person.id):
            info = net.tie(person.id, other)
            if info is None or other not in net.people:
                continue
            line = TieLine(
                name=net.people[other].name,
                relationship=str(info.context.value),
                strength=round(info.strength, 2),
                stale=info.stale,
                evidence=info.evidence[:3],
            )
            if other == net.me_id:
                you = line
            ties.append(line)
    ties.sort(key=lambda t: t.strength or 0.0, reverse=True)
    names = dict(store.person_names())
    last = [
        InteractionLine(
            at=i.at,
            channel=i.channel.value,
            subject=i.subject,
            with_people=[names.get(p, "?") for p in i.participants if p != person.id][:5],
        )
        for i in store.interactions(person_id=person.id, limit=5)
    ]
    details = [
        DetailLine(kind=d.kind.value, text=d.text, date=d.date, note_id=d.note_id)
        for d in personal_details(store, person.id, limit=4)
    ]
    return ProfileResult(
        id=person.id,
        name=person.name,
        title=current.title if current else None,
        company=current.company if current else None,
        location=person.location,
        is_me=person.is_me,
        is_team=person.is_team,
        jobs=jobs,
        ties=ties[:8],
        you=you,
        last_interactions=last,
        details=details,
    )
