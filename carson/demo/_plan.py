"""The demo world as plain data, before it is written through the Store API.

People, organisations and notes are referred to by their position in the world's
lists; ``_write.py`` maps positions to store ids. Every random choice goes through
``World.rng``, in a fixed order, so the same seed and anchor give the same world.

``World.stream(*key)`` switches ``rng`` to a sub-stream of the seed for one phase or
one entity (``random.Random("7/former/42")``, seeded through SHA-512, never
``hash()``). Choices that depend on dates (does this job overlap that one?) then
only reach their own stream, so moving the anchor a day shifts dates without
reshuffling who knows whom.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from carson.models import Channel, Direction, TieContext

WINDOW_DAYS = 3 * 365
"""Interactions cover the three years that end on the anchor date."""


@dataclass
class PlanOrg:
    name: str
    domain: str
    industry: str
    kind: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class PlanJob:
    org: int
    title: str
    start: date
    end: date | None = None

    @property
    def current(self) -> bool:
        return self.end is None


@dataclass
class PlanPerson:
    first: str
    last: str
    location: str | None = None
    jobs: list[PlanJob] = field(default_factory=list)
    """Oldest first; the last one is current unless it has an end."""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    birthday: date | None = None
    tags: list[str] = field(default_factory=list)
    is_me: bool = False
    is_team: bool = False
    scripted: bool = False
    """A named clear case: the crowd generators leave them alone."""

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def job(self) -> PlanJob | None:
        """The current job, if any."""
        return self.jobs[-1] if self.jobs and self.jobs[-1].current else None


@dataclass(eq=False)
class PlanNote:
    text: str
    people: list[int]
    at: datetime
    key: int = -1
    """Position after sorting by time; becomes the store id's order."""


@dataclass
class PlanEvidence:
    text: str
    source: str | None = None
    at: date | None = None
    note: PlanNote | None = None
    """When set, the source becomes ``note:<id>`` of that note."""


@dataclass
class PlanTie:
    a: int
    b: int
    context: TieContext
    owner: int | None
    since: date | None
    evidence: list[PlanEvidence]
    source: str


@dataclass
class PlanInteraction:
    at: datetime
    channel: Channel
    participants: list[int]
    direction: Direction
    subject: str | None = None
    summary: str | None = None


class World:
    """Everything the demo holds, built up by the generator modules."""

    def __init__(self, seed: int, anchor: date) -> None:
        self.seed = seed
        self.anchor = anchor
        self.rng = random.Random(seed)
        self.orgs: list[PlanOrg] = []
        self.org_index: dict[str, int] = {}
        self.people: list[PlanPerson] = []
        self.ties: list[PlanTie] = []
        self._tie_keys: dict[tuple[int, int, str], PlanTie] = {}
        self.interactions: list[PlanInteraction] = []
        self.notes: list[PlanNote] = []
        self.named: dict[str, int] = {}
        """Named clear cases by name, e.g. ``named["John Jacobs"]``."""
        self.scripted_pairs: set[tuple[int, int]] = set()
        """Owner-contact pairs whose activity is written by hand (membership only)."""

    def stream(self, *key: object) -> None:
        """Draw from here on from the seed's sub-stream named by ``key``."""
        self.rng = random.Random("/".join(str(k) for k in (self.seed, *key)))

    # ------------------------------------------------------------ dates

    @property
    def window_start(self) -> date:
        return self.anchor - timedelta(days=WINDOW_DAYS)

    def days_ago(self, n: int) -> date:
        return self.anchor - timedelta(days=n)

    def day_between(self, lo: date, hi: date) -> date:
        span = (hi - lo).days
        return lo + timedelta(days=self.rng.randint(0, max(span, 0)))

    def at(self, day: date, *, business: bool = True) -> datetime:
        """A time on ``day`` at a plausible hour; business contact moves off weekends."""
        if business and day.weekday() >= 5:
            friday = day - timedelta(days=day.weekday() - 4)
            day = friday if friday >= self.window_start else friday + timedelta(days=3)
        hour = self.rng.choice((8, 9, 10, 11, 13, 14, 15, 16, 17) if business else (10, 12, 18, 19))
        return datetime.combine(day, time(hour, self.rng.choice((0, 15, 30, 45))))

    # ------------------------------------------------------------ building

    def add_org(self, org: PlanOrg) -> int:
        self.orgs.append(org)
        self.org_index[org.name] = len(self.orgs) - 1
        return len(self.orgs) - 1

    def add_person(self, person: PlanPerson) -> int:
        self.people.append(person)
        idx = len(self.people) - 1
        if person.scripted:
            self.named[person.name] = idx
        return idx

    def add_tie(
        self,
        a: int,
        b: int,
        context: TieContext,
        evidence: PlanEvidence,
        *,
        owner: int | None,
        since: date | None = None,
        source: str | None = None,
    ) -> PlanTie | None:
        """Add a tie (ends in any order); a repeat of the same pair and context adds nothing."""
        if a == b:
            return None
        lo, hi = min(a, b), max(a, b)
        key = (lo, hi, context.value)
        if key in self._tie_keys:
            return None
        tie = PlanTie(lo, hi, context, owner, since, [evidence], source or evidence.source or "")
        self._tie_keys[key] = tie
        self.ties.append(tie)
        return tie

    def has_tie(self, a: int, b: int) -> bool:
        lo, hi = min(a, b), max(a, b)
        return any((lo, hi, c.value) in self._tie_keys for c in TieContext)

    def note(self, text: str, people: list[int], at: datetime) -> PlanNote:
        n = PlanNote(text, people, at)
        self.notes.append(n)
        return n

    def interact(
        self,
        at: datetime,
        channel: Channel,
        participants: list[int],
        direction: Direction,
        subject: str | None = None,
        summary: str | None = None,
    ) -> PlanInteraction:
        it = PlanInteraction(at, channel, participants, direction, subject, summary)
        self.interactions.append(it)
        return it


def years(start: date, end: date) -> str:
    """ "4 years", "1 year" or "8 months" for an overlap, rounded."""
    days = (end - start).days
    if days < 365:
        months = max(1, round(days / 30.44))
        return f"{months} month" if months == 1 else f"{months} months"
    n = round(days / 365.25)
    return f"{n} year" if n == 1 else f"{n} years"


def overlap(a: PlanJob, b: PlanJob, today: date) -> tuple[date, date] | None:
    """The stretch two jobs (at the same org) ran side by side, if any."""
    lo = max(a.start, b.start)
    hi = min(a.end or today, b.end or today)
    return (lo, hi) if hi > lo else None


def worked_together(org: str, span: tuple[date, date], *, still: bool) -> str:
    lo, hi = span
    if still:
        return f"work together at {org} since {lo.year} ({years(lo, hi)})"
    return f"worked together at {org} {lo.year}–{hi.year} ({years(lo, hi)})"
