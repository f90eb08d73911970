"""Carson's domain types (pydantic v2). Every other layer speaks these.

Ids are the store's integer row ids; a model not yet stored has ``id=None``.
Ties are undirected: the store keeps ``a < b``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Person(_Model):
    id: int | None = None
    name: str
    """Display name, e.g. "Harry Smith"."""
    first_name: str | None = None
    last_name: str | None = None
    emails: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    urls: list[str] = Field(default_factory=list)
    """Profile URLs (LinkedIn and the like)."""
    location: str | None = None
    birthday: date | None = None
    tags: list[str] = Field(default_factory=list)
    is_me: bool = False
    """The user themself."""
    is_team: bool = False
    """A teammate whose network may be imported and routed through."""
    source: str | None = None

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, v: str) -> str:
        v = " ".join(v.split())
        if not v:
            raise ValueError("a person needs a name")
        return v

    @field_validator("emails")
    @classmethod
    def _lower_emails(cls, v: list[str]) -> list[str]:
        seen: list[str] = []
        for e in v:
            e = e.strip().lower()
            if e and e not in seen:
                seen.append(e)
        return seen


class Organization(_Model):
    id: int | None = None
    name: str
    domain: str | None = None
    aliases: list[str] = Field(default_factory=list)
    """Other names people use: "GS", "Goldman"."""
    industry: str | None = None
    parent_id: int | None = None


class Employment(_Model):
    id: int | None = None
    person_id: int
    org_id: int
    title: str | None = None
    start: date | None = None
    end: date | None = None
    current: bool = True
    source: str | None = None
    seen: date | None = None
    """The date of the newest export that stated this job (imports set it): an older
    export never overwrites what a newer one said."""


class TieContext(StrEnum):
    family = "family"
    friend = "friend"
    roommate = "roommate"
    classmate = "classmate"
    colleague = "colleague"
    client = "client"
    teammate = "teammate"
    met_once = "met-once"
    linkedin = "linkedin"
    """Connected on LinkedIn, and nothing more is known."""
    co_attendee = "co-attendee"
    co_recipient = "co-recipient"
    acquaintance = "acquaintance"


class Evidence(_Model):
    """A short sentence a person can check, with where it came from."""

    text: str
    source: str | None = None
    """e.g. "note:12", "linkedin", "calendar", "employment"."""
    at: date | None = None


class Tie(_Model):
    id: int | None = None
    a: int
    b: int
    context: TieContext
    source: str | None = None
    owner_id: int | None = None
    """Whose network this tie came from (the user or a teammate); None: unknown."""
    since: date | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    strength: float | None = None
    """Filled in by the graph layer, in [0, 1]."""

    @model_validator(mode="before")
    @classmethod
    def _order_ends(cls, data: Any) -> Any:
        if (
            isinstance(data, dict)
            and isinstance(data.get("a"), int)
            and isinstance(data.get("b"), int)
        ):
            if data["a"] == data["b"]:
                raise ValueError("a tie joins two different people")
            if data["a"] > data["b"]:
                data = {**data, "a": data["b"], "b": data["a"]}
        return data


class Channel(StrEnum):
    email = "email"
    meeting = "meeting"
    call = "call"
    message = "message"
    event = "event"


class Direction(StrEnum):
    outbound = "outbound"
    """From the owner (the user or a teammate) to the others."""
    inbound = "inbound"
    mutual = "mutual"
    """Both sides took part (a meeting, a call)."""


class Interaction(_Model):
    id: int | None = None
    at: datetime
    channel: Channel
    participants: list[int]
    """Person ids; the first is the owner (whoever's mailbox or calendar this is)."""
    direction: Direction = Direction.mutual
    subject: str | None = None
    summary: str | None = None
    source: str | None = None
    source_id: str | None = None
    """A stable id from the source (Message-ID, UID) that makes re-imports idempotent."""


class Note(_Model):
    id: int | None = None
    text: str
    people: list[int] = Field(default_factory=list)
    at: datetime
    source: str | None = None

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("a note needs some text")
        return v


class OutcomeKind(StrEnum):
    intro_made = "intro_made"
    declined = "declined"
    no_response = "no_response"
    meeting_booked = "meeting_booked"


class Outcome(_Model):
    """An intro asked for along a route, and what happened."""

    id: int | None = None
    at: datetime
    path: list[int]
    """Person ids along the route, from the asker to the target."""
    target_org_id: int | None = None
    outcome: OutcomeKind
    predicted: float | None = None
    """The meeting probability Carson showed when the intro was asked."""
    features: dict[str, float] = Field(default_factory=dict)
    """Per-route features at asking time, for calibration."""


class RouteKind(StrEnum):
    current = "current"
    """Ends at someone who works at the target now."""
    alumni = "alumni"
    """Ends at someone who used to work there ("left Goldman in 2025")."""


class Hop(_Model):
    """One person on a route, and how they know the person before them."""

    person_id: int
    name: str
    title: str | None = None
    company: str | None = None
    company_id: int | None = None
    relationship: TieContext | None = None
    """How this person knows the previous one; None on the first hop (the asker)."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Checkable sentences behind that relationship."""
    strength: float | None = None
    """Tie strength to the previous person, in [0, 1]."""
    probability: float | None = None
    """Chance this hop's introduction happens (prior or calibrated)."""
    stale: bool = False
    """The tie to the previous person has gone cold (no recent contact)."""


class Route(_Model):
    """A warm-intro route from the asker (the user or a teammate) to a target person."""

    kind: RouteKind = RouteKind.current
    hops: list[Hop]
    """Ordered from the asker (``hops[0]``) to the target (``hops[-1]``)."""
    target_org_id: int | None = None
    target_org: str | None = None
    via_teammate: str | None = None
    """Set when the route starts with a teammate: "ask Priya to introduce you…"."""
    probability: float
    """Meeting probability (calibrated when outcomes exist)."""
    low: float
    high: float
    """An 80% interval around ``probability``."""
    cost: float = 0.0
    """Routing cost (-log of the uncalibrated probability); lower is better."""
    summary: str
    """One line a person can read: who to contact, who they connect you to, the odds."""
    label: str | None = None
    """Extra labelling, e.g. "left Goldman Sachs in 2025 — may still know the team"."""
    features: dict[str, float] = Field(default_factory=dict)
    """Per-route features used by calibration (stored with logged outcomes)."""

    @property
    def path(self) -> list[int]:
        return [h.person_id for h in self.hops]


class DraftKind(StrEnum):
    email = "email"
    """An intro-request email to the connector, with a forwardable blurb."""
    call = "call"
    """A phone script for asking the connector in person."""


class FactRef(_Model):
    """A fact a draft used, and where in the store it comes from."""

    text: str
    source: str
    """e.g. "tie:12", "note:40", "interaction:311", "employment:7", "user"."""


class Grounding(_Model):
    """The grounding check's verdict on a draft."""

    ok: bool
    flagged: list[str] = Field(default_factory=list)
    """Names, companies, dates, numbers or personal details the store does not hold."""


class Draft(_Model):
    """An intro-request email or phone script, composed from store facts and checked."""

    kind: DraftKind
    subject: str | None = None
    body: str
    blurb: str | None = None
    """The forwardable blurb (emails): 3-4 sentences the connector can forward as is."""
    facts_used: list[FactRef] = Field(default_factory=list)
    grounding: Grounding
    via: str
    to: str
    reason: str | None = None
    brain: str = "offline"
    created_at: datetime
    path: str | None = None
    """Where the draft was saved under the data home, once saved."""
