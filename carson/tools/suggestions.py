"""``reconnect_suggestions`` and ``help_first``: relationship upkeep from the graph.

Reconnect: strong ties that have gone quiet. Help first: introductions the user could
make between two people they know well who don't know each other yet and share an
industry, so the seller gives before asking.
"""

from __future__ import annotations

from datetime import datetime
from itertools import combinations

from pydantic import BaseModel, ConfigDict, Field

from carson.graph.strength import TieInfo
from carson.models import Evidence, TieContext
from carson.notes.details import DetailKind
from carson.tools.base import ToolContext, ToolError, tool


class ReconnectArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    k: int = Field(5, ge=1, le=25)


class ReconnectLine(BaseModel):
    name: str
    title: str | None = None
    company: str | None = None
    relationship: str
    strength: float
    last_contact: datetime | None = None
    why: str
    opener: str | None = None
    """A personal detail from the notes to open with (untrusted: quoted from a note)."""
    evidence: list[Evidence] = Field(default_factory=list)


class ReconnectResult(BaseModel):
    suggestions: list[ReconnectLine]


CADENCE_DAYS: dict[TieContext, int] = {
    TieContext.family: 30,
    TieContext.friend: 45,
    TieContext.client: 45,
    TieContext.roommate: 60,
    TieContext.colleague: 90,
    TieContext.classmate: 180,
    TieContext.acquaintance: 180,
    TieContext.met_once: 180,
    TieContext.co_attendee: 180,
    TieContext.co_recipient: 180,
}
"""How often a relationship of this kind wants a touch: a check-in is due after this long.
Ties known only from LinkedIn (and teammates) are never suggested."""
IMPORTANCE: dict[TieContext, float] = {
    TieContext.family: 1.0,
    TieContext.friend: 0.95,
    TieContext.client: 0.9,
    TieContext.roommate: 0.9,
    TieContext.colleague: 0.6,
    TieContext.classmate: 0.5,
    TieContext.acquaintance: 0.35,
    TieContext.met_once: 0.25,
    TieContext.co_attendee: 0.25,
    TieContext.co_recipient: 0.2,
}
"""What a relationship of this kind is worth keeping warm, before its current strength:
a close friend who went quiet a year ago has decayed, and is exactly who to call."""
_OPENERS = {DetailKind.family, DetailKind.hobby, DetailKind.event}
"""Details worth opening a check-in with: their life, not their payroll problems."""
OVERDUE_CAP = 4.0
"""Ten times overdue is not ten times as urgent: ties past 4x their cadence rank alike."""


def _age_days(now: datetime, then: datetime | None) -> float | None:
    return None if then is None else max(0.0, (now - then).total_seconds() / 86400)


def _cadence_words(days: int) -> str:
    return f"every {days // 7} weeks" if days < 90 else f"every {round(days / 30)} months"


@tool("reconnect_suggestions", ReconnectArgs)
def reconnect_suggestions(ctx: ToolContext, args: ReconnectArgs) -> ReconnectResult:
    """People the user knows well but hasn't been in touch with lately, worth a
    check-in before an ask: overdue for their kind of relationship (a friend every six
    weeks, a classmate twice a year), the closest and most overdue first, each with a
    personal detail from the notes to open with."""
    from carson.graph import load_network
    from carson.graph.strength import humanize_age
    from carson.notes.details import personal_details

    net = load_network(ctx.store)
    me = net.me_id
    if me is None or me not in net.people:
        raise ToolError("Carson doesn't know who you are yet.", "Import your own contacts first.")
    scored: list[tuple[float, int, TieInfo]] = []
    for other in net.neighbors(me):
        info = net.tie(me, other)
        p = net.people.get(other)
        cadence = CADENCE_DAYS.get(info.context) if info is not None else None
        if info is None or p is None or p.is_team or cadence is None:
            continue
        importance = max(IMPORTANCE.get(info.context, 0.2), info.strength)
        age = _age_days(net.now, info.last_contact)
        if age is None:
            # Nothing recorded (a classmate from an import): due, but behind anyone known
            # to be overdue, and only for relationships worth keeping warm.
            overdue = 1.0
            if importance < 0.5:
                continue
        else:
            overdue = age / cadence
            if overdue < 1.0:
                continue
        scored.append((importance * min(overdue, OVERDUE_CAP), other, info))
    scored.sort(key=lambda s: (-s[0], s[1]))
    lines: list[ReconnectLine] = []
    for _, other, info in scored[: args.k]:
        p = net.people[other]
        cadence = CADENCE_DAYS[info.context]
        age = _age_days(net.now, info.last_contact)
        if age is None:
            why = "no contact on record"
        else:
            why = f"last in touch {humanize_age(age)} (worth a check-in {_cadence_words(cadence)})"
        details = personal_details(ctx.store, other, now=net.now, limit=1, kinds=_OPENERS)
        lines.append(
            ReconnectLine(
                name=p.name,
                title=p.title,
                company=p.company,
                relationship=info.context.value,
                strength=round(info.strength, 2),
                last_contact=info.last_contact,
                why=why,
                opener=details[0].text if details else None,
                evidence=info.evidence[:2],
            )
        )
    return ReconnectResult(suggestions=lines)


class HelpFirstArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person: str | None = Field(None, description="Someone the user wants to help.")
    k: int = Field(5, ge=1, le=25)


class IntroIdea(BaseModel):
    introduce: str
    to: str
    why: str
    score: float


class HelpFirstResult(BaseModel):
    person: str | None = None
    ideas: list[IntroIdea]


@tool("help_first", HelpFirstArgs)
def help_first(ctx: ToolContext, args: HelpFirstArgs) -> HelpFirstResult:
    """Introductions the user could make for others: two people they know well who don't
    know each other yet and work in the same industry."""
    from carson.graph import load_network

    net = load_network(ctx.store)
    me = net.me_id
    if me is None or me not in net.people:
        raise ToolError("Carson doesn't know who you are yet.", "Import your own contacts first.")
    industry = {o.id: o.industry for o in net.orgs.values()}
    friends: dict[int, float] = {}
    for other in net.neighbors(me):
        info = net.tie(me, other)
        p = net.people.get(other)
        if info is not None and p is not None and not p.is_team and info.strength >= 0.45:
            friends[other] = info.strength
    focus: int | None = None
    if args.person:
        person = ctx.resolver.person(args.person)
        focus = person.id
        if focus not in friends:
            info = net.tie(me, focus) if focus is not None else None
            friends[focus or -1] = info.strength if info else 0.3

    def ind(pid: int) -> str | None:
        p = net.people.get(pid)
        return industry.get(p.org_id) if p and p.org_id is not None else None

    pairs = (
        [(focus, o) for o in friends if o != focus]
        if focus is not None
        else list(combinations(sorted(friends), 2))
    )
    ideas: list[IntroIdea] = []
    for a, b in pairs:
        if net.pairs.find(a, b) >= 0:  # they know each other already
            continue
        pa, pb = net.people.get(a), net.people.get(b)
        if pa is None or pb is None or pa.org_id == pb.org_id:
            continue
        same = ind(a) is not None and ind(a) == ind(b)
        if not same:
            continue
        score = friends[a] * friends[b]
        why = (
            f"both in {ind(a)}: {pa.name} ({pa.title or '?'}, {pa.company or '?'}) and "
            f"{pb.name} ({pb.title or '?'}, {pb.company or '?'}) don't know each other yet"
        )
        ideas.append(IntroIdea(introduce=pa.name, to=pb.name, why=why, score=round(score, 3)))
    ideas.sort(key=lambda i: i.score, reverse=True)
    return HelpFirstResult(
        person=net.people[focus].name if focus is not None and focus in net.people else None,
        ideas=ideas[: args.k],
    )
