"""The store facts a draft may use, each with its source in the store.

A draft says nothing the store does not hold: who the seller, the connector and the
target are (``employment:7``), how they know each other (``tie:12``), when the seller
last talked to the connector (``interaction:311``), and the personal details and
business context the notes hold (``note:40``). ``gather`` collects them once; the
composers read only this bundle, and the grounding check compares drafts against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from carson.errors import CarsonError, UsageError
from carson.models import (
    Employment,
    Interaction,
    Organization,
    Person,
    Route,
    RouteKind,
    Tie,
    TieContext,
)
from carson.resolve import Resolver
from carson.store import Store


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that mark a note sentence as a personal detail worth asking about.
PERSONAL_CUES = wordset(
    """
    wife husband partner daughter son kid kids children child baby newborn twins family
    mom mum dad mother father parents sister brother grandson granddaughter grandkids
    wedding married engaged honeymoon anniversary birthday graduation graduated graduating
    college university school freshman semester marathon race triathlon half-marathon
    golf tennis running cycling climbing skiing hike hiking surf surfing yoga sailing fishing
    dog puppy cat vacation holiday trip travel travelling traveling moved relocated
    renovating garden guitar piano concert surgery knee retired retiring sabbatical
    """
)

# Words that mark a note sentence as a business reason ("why now").
BUSINESS_CUES = wordset(
    """
    payroll vendor provider rfp budget renewal contract migrating migration moving
    switching replacing evaluating evaluation pain pains problem problems issues errors
    hiring expanding expansion launch launching rollout consolidating consolidation
    audit compliance headcount tooling platform
    """
)

SENIOR_TITLE = re.compile(
    r"\b(chief|ceo|cfo|coo|cto|cio|chro|president|founder|partner|managing director|md|"
    r"svp|evp|vp|vice president|head of|director|general manager|treasurer|controller)\b",
    re.IGNORECASE,
)

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[a-z][a-z'-]*")


@dataclass(frozen=True)
class Fact:
    """One checkable statement and where in the store it comes from."""

    kind: str
    """seller | connector | target | relationship | connection | interaction | detail |
    business | reason"""
    text: str
    source: str
    """e.g. "tie:12", "note:40", "interaction:311", "employment:7", "user"."""
    at: date | None = None


@dataclass(frozen=True)
class Detail:
    """A personal detail from a note (the shape ``carson.notes.personal_details`` returns)."""

    text: str
    kind: str
    date: date | None
    note_id: int | None


@dataclass
class Job:
    title: str | None
    org: Organization | None
    employment: Employment | None

    @property
    def org_name(self) -> str | None:
        return self.org.name if self.org else None


@dataclass
class DraftFacts:
    """Everything a draft may say about one ask: the seller asks ``via`` for ``to``."""

    me: Person
    via: Person
    to: Person
    my_job: Job
    via_job: Job
    to_job: Job
    my_ties: list[Tie]
    """Ties between the seller and the connector."""
    their_ties: list[Tie]
    """Ties between the connector and the target."""
    last_interaction: Interaction | None
    details: list[Detail]
    """Personal details about the connector, most useful first."""
    business: list[tuple[str, int, date]]
    """(sentence, note id, date) of notes about the target's business."""
    product: str | None
    reason: str
    reason_source: str
    now: datetime
    target_company: str | None = None
    """The route's final company when the target is a stepping stone to it."""
    former: Job | None = None
    """On an alumni route, the target's past job at the company the seller wants in: they
    left ("left Goldman in 2025") and may still know who owns the problem there."""
    facts: list[Fact] = field(default_factory=list)

    # ------------------------------------------------------------ conveniences

    @property
    def me_first(self) -> str:
        return first_name(self.me)

    @property
    def via_first(self) -> str:
        return first_name(self.via)

    @property
    def to_first(self) -> str:
        return first_name(self.to)

    @property
    def my_context(self) -> TieContext | None:
        return _best_context(self.my_ties)

    @property
    def their_context(self) -> TieContext | None:
        return _best_context(self.their_ties)

    @property
    def days_since_contact(self) -> int | None:
        if self.last_interaction is None:
            return None
        return (self.now.date() - self.last_interaction.at.date()).days

    @property
    def senior_target(self) -> bool:
        return bool(self.to_job.title and SENIOR_TITLE.search(self.to_job.title))

    def add(self, kind: str, text: str, source: str, at: date | None = None) -> None:
        if not any(f.text == text and f.source == source for f in self.facts):
            self.facts.append(Fact(kind, text, source, at))


_CONTEXT_RANK = [
    TieContext.family,
    TieContext.roommate,
    TieContext.friend,
    TieContext.teammate,
    TieContext.classmate,
    TieContext.colleague,
    TieContext.client,
    TieContext.acquaintance,
    TieContext.met_once,
    TieContext.co_attendee,
    TieContext.co_recipient,
    TieContext.linkedin,
]


def _best_context(ties: list[Tie]) -> TieContext | None:
    contexts = {t.context for t in ties}
    return next((c for c in _CONTEXT_RANK if c in contexts), None)


def first_name(person: Person) -> str:
    return person.first_name or person.name.split()[0]


def _job(store: Store, person: Person) -> Job:
    assert person.id is not None
    jobs = store.employments(person_id=person.id, current=True)
    if not jobs:
        return Job(None, None, None)
    jobs.sort(key=lambda e: e.start or date.min, reverse=True)
    emp = jobs[0]
    return Job(emp.title, store.get_organization(emp.org_id), emp)


def _former_job(store: Store, person: Person, org_id: int) -> Job | None:
    """The person's most recent ended job at ``org_id``, if any."""
    past = [e for e in store.employments(person_id=person.id, org_id=org_id) if not e.current]
    if not past:
        return None
    emp = max(past, key=lambda e: (e.end or date.min, e.start or date.min))
    return Job(emp.title, store.get_organization(org_id), emp)


def _between(store: Store, a: int, b: int) -> list[Tie]:
    return [t for t in store.ties(person_id=a) if {t.a, t.b} == {a, b}]


def _last_interaction(store: Store, me: int, via: int, now: datetime) -> Interaction | None:
    for it in store.interactions(person_id=via, limit=400):
        if me in it.participants and it.at.replace(tzinfo=None) <= now.replace(tzinfo=None):
            return it
    return None


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def fallback_details(
    store: Store, person: Person, *, now: datetime, limit: int = 3
) -> list[Detail]:
    """Personal details from a person's notes: recent sentences with a personal cue."""
    assert person.id is not None
    first = first_name(person).lower()
    found: list[Detail] = []
    for note in store.notes(person_id=person.id):
        if note.at.replace(tzinfo=None) > now.replace(tzinfo=None):
            continue
        for sentence in _sentences(note.text):
            words = _words(sentence)
            if words & PERSONAL_CUES and (first in words or f"{first}'s" in words):
                found.append(Detail(sentence, "personal", note.at.date(), note.id))
                break
        if len(found) >= limit:
            break
    return found


def personal_details(
    store: Store, person: Person, *, now: datetime, limit: int = 3
) -> list[Detail]:
    """Warm details (family, hobbies, events) from ``carson.notes``, else the local fallback."""
    try:
        from carson.notes.details import DetailKind
        from carson.notes.details import personal_details as notes_details
    except ImportError:
        return fallback_details(store, person, now=now, limit=limit)
    assert person.id is not None
    warm = {DetailKind.family, DetailKind.hobby, DetailKind.event}
    found = notes_details(store, person.id, now=now, limit=limit, kinds=warm)
    return [Detail(d.text, str(d.kind), d.date, d.note_id) for d in found]


def _business_notes(store: Store, facts: DraftFacts) -> list[tuple[str, int, date]]:
    """Recent note sentences about the target (or their company) with a business cue."""
    out: list[tuple[str, int, date]] = []
    assert facts.to.id is not None
    org = facts.to_job.org
    names = {facts.to.name.lower(), *(n.lower() for n in ([org.name, *org.aliases] if org else []))}
    for note in store.notes(person_id=facts.to.id):
        for sentence in _sentences(note.text):
            low = sentence.lower()
            if _words(sentence) & BUSINESS_CUES and any(n in low for n in names):
                assert note.id is not None
                out.append((sentence, note.id, note.at.date()))
                break
        if len(out) >= 2:
            break
    return out


def product_of(store: Store, me: Person, job: Job) -> str | None:
    """What the seller sells: ``meta.product``, else the seller's company industry."""
    product = store.get_meta("product")
    if product:
        return product
    if job.org and job.org.industry:
        return job.org.industry
    return None


BUYER_TITLE = re.compile(
    r"\b(payroll|hr|people|human|compensation|benefits|finance|financial|controller|"
    r"treasurer|cfo|chro|accounting)\b",
    re.IGNORECASE,
)


def _domain(product: str | None) -> str | None:
    """ "Payroll software" → "payroll": what the product is about."""
    if not product:
        return None
    words = [w for w in product.lower().split() if w not in {"software", "services", "platform"}]
    return " ".join(words) or None


def _past_role(job: Job) -> str:
    """ "worked at Goldman Sachs from 2019 to 2025" (or "until 2025", or "before")."""
    emp = job.employment
    start = emp.start if emp is not None else None
    end = emp.end if emp is not None else None
    if start and end and start.year != end.year:
        span = f"from {start.year} to {end.year}"
    else:
        span = f"until {end.year}" if end else "before"
    return f"worked at {job.org_name} {span}"


def default_reason(facts: DraftFacts) -> str:
    """One sentence: why this target, from the seller's product and the target's role."""
    seller = facts.my_job.org_name or "my company"
    what = f"{seller} builds {facts.product.lower()}" if facts.product else f"I work at {seller}"
    role, org, first = facts.to_job.title, facts.to_job.org_name, facts.to_first
    domain = _domain(facts.product)
    if facts.former is not None:  # an alumnus: what they know is the old team
        who = f"who owns {domain} there" if domain else "who decides on it there"
        return f"{what}, and {first} {_past_role(facts.former)}, so would know {who}"
    if role and org and BUYER_TITLE.search(role):
        return f"{what}, and as {role} at {org}, {first} owns the problems it solves"
    if role and org and domain:
        return f"{what}, and as {role} at {org}, {first} would know who owns {domain} there"
    if role and org:
        return f"{what}, and as {role} at {org}, {first} would know who decides on it there"
    if org:
        return f"{what}, and {first} would know how {org} handles it today"
    return f"{what}, and {first} would be a great person to learn from"


def resolve_pair(
    store: Store, via: str | Person | None, to: str | Person | None, route: Route | None
) -> tuple[Person, Person, str | None]:
    """(connector, target, final company) from names, people or a route."""
    target_company: str | None = None
    if route is not None:
        me = store.me()
        ids = route.path
        start = 1 if me is not None and ids and ids[0] == me.id else 0
        if len(ids) - start < 2:
            raise UsageError(
                "That route has no one to ask for an introduction: you know the target directly.",
                "Reach out to them yourself, or pick another route.",
            )
        via_p, to_p = store.get_person(ids[start]), store.get_person(ids[start + 1])
        assert via_p is not None and to_p is not None
        if route.target_org and ids[start + 1] != ids[-1]:
            target_company = route.target_org
        return via_p, to_p, target_company
    if via is None or to is None:
        raise UsageError(
            "A draft needs a connector and a target.",
            'Name both, e.g. --via "John Jacobs" --to "Harry Smith", or pick a route.',
        )
    resolver = Resolver(store)
    via_p = via if isinstance(via, Person) else resolver.person(via)
    to_p = to if isinstance(to, Person) else resolver.person(to)
    return via_p, to_p, target_company


def gather(
    store: Store,
    *,
    via: str | Person | None = None,
    to: str | Person | None = None,
    route: Route | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> DraftFacts:
    """Collect the facts for the seller asking ``via`` to introduce them to ``to``."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    me = store.me()
    if me is None or me.id is None:
        raise CarsonError(
            "The store doesn't know who you are, so a draft can't be signed.",
            "Import your own contacts first (carson import), or try `carson demo`.",
        )
    via_p, to_p, target_company = resolve_pair(store, via, to, route)
    assert via_p.id is not None and to_p.id is not None
    if via_p.id == to_p.id:
        raise UsageError(
            f"{via_p.name} can't introduce you to themself.",
            "Name a different connector with --via, or reach out directly.",
        )
    if me.id in (via_p.id, to_p.id):
        raise UsageError("A draft asks someone else for an introduction, not you.", None)
    facts = DraftFacts(
        me=me,
        via=via_p,
        to=to_p,
        my_job=_job(store, me),
        via_job=_job(store, via_p),
        to_job=_job(store, to_p),
        my_ties=_between(store, me.id, via_p.id),
        their_ties=_between(store, via_p.id, to_p.id),
        last_interaction=_last_interaction(store, me.id, via_p.id, now),
        details=[],
        business=[],
        product=None,
        reason="",
        reason_source="",
        now=now,
        target_company=target_company,
    )
    if route is not None and route.kind == RouteKind.alumni and route.target_org_id is not None:
        facts.former = _former_job(store, to_p, route.target_org_id)
    facts.details = personal_details(store, via_p, now=now)
    facts.business = _business_notes(store, facts)
    facts.product = product_of(store, me, facts.my_job)
    _record(facts)
    if reason and reason.strip():
        facts.reason = " ".join(reason.split()).rstrip(".")
        facts.reason_source = "user"
        facts.add("reason", facts.reason, "user")
    else:
        facts.reason = default_reason(facts)
        facts.reason_source = "derived"
    return facts


def _record(facts: DraftFacts) -> None:
    """Fill ``facts.facts`` with every statement the composers may draw on."""
    for who, job, kind in (
        (facts.me, facts.my_job, "seller"),
        (facts.via, facts.via_job, "connector"),
        (facts.to, facts.to_job, "target"),
    ):
        if job.employment is not None:
            role = f"{job.title} at {job.org_name}" if job.title else f"works at {job.org_name}"
            facts.add(kind, f"{who.name}: {role}", f"employment:{job.employment.id}")
        else:
            facts.add(kind, who.name, f"person:{who.id}")
    former = facts.former
    if former is not None and former.employment is not None:
        facts.add(
            "target",
            f"{facts.to.name}: {_past_role(former)}{f' ({former.title})' if former.title else ''}",
            f"employment:{former.employment.id}",
        )
    if facts.product:
        seller = facts.my_job.org_name or "The seller"
        facts.add("seller", f"{seller} sells {facts.product}", "meta")
    for tie in facts.my_ties + facts.their_ties:
        kind = "relationship" if tie in facts.my_ties else "connection"
        texts = [e.text for e in tie.evidence] or [str(tie.context)]
        for text in texts:
            facts.add(kind, f"{tie.context}: {text}", f"tie:{tie.id}", tie.since)
    it = facts.last_interaction
    if it is not None:
        what = it.subject or it.summary or ""
        text = f"last {it.channel} with {facts.via.name} on {it.at.date().isoformat()}"
        text = f"{text}: {what}" if what else text
        facts.add("interaction", text, f"interaction:{it.id}", it.at.date())
    for d in facts.details:
        facts.add("detail", d.text, f"note:{d.note_id}", d.date)
    for sentence, nid, at in facts.business:
        facts.add("business", sentence, f"note:{nid}", at)
