"""``reconnect_suggestions`` and ``help_first``: relationship upkeep from the graph.

Reconnect: strong ties that have gone quiet. Help first: introductions the user could
make between two people they know well who don't know each other yet and share an
industry, so the seller gives before asking.
"""

from __future__ import annotations

from datetime import datetime
from itertools import combinations

from pydantic import BaseModel, ConfigDict, Field

from carson.models import Evidence
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
    evidence: list[Evidence] = Field(default_factory=list)


class ReconnectResult(BaseModel):
    suggestions: list[ReconnectLine]


def _age_days(now: datetime, then: datetime | None) -> float:
    return 10_000.0 if then is None else max(0.0, (now - then).total_seconds() / 86400)


@tool("reconnect_suggestions", ReconnectArgs)
def reconnect_suggestions(ctx: ToolContext, args: ReconnectArgs) -> ReconnectResult:
    """People the user knows well but hasn't been in touch with lately, worth a
    check-in before an ask."""
    from carson.graph import load_network

    net = load_network(ctx.store)
    me = net.me_id
    if me is None or me not in net.graph:
        raise ToolError("Carson doesn't know who you are yet.", "Import your own contacts first.")
    scored: list[tuple[float, ReconnectLine]] = []
    for other in net.graph.neighbors(me):
        info = net.tie(me, other)
        p = net.people.get(other)
        if info is None or p is None or p.is_team:
            continue
        age = _age_days(net.now, info.last_contact)
        if age < 60 or info.strength < 0.25:
            continue
        score = info.strength * min(age, 1500) / 365
        months = int(age // 30)
        why = (
            f"no contact in {months} months"
            if info.last_contact is not None
            else "no recorded contact"
        )
        scored.append(
            (
                score,
                ReconnectLine(
                    name=p.name,
                    title=p.title,
                    company=p.company,
                    relationship=info.context.value,
                    strength=round(info.strength, 2),
                    last_contact=info.last_contact,
                    why=why,
                    evidence=info.evidence[:2],
                ),
            )
        )
    scored.sort(key=lambda s: s[0], reverse=True)
    return ReconnectResult(suggestions=[line for _, line in scored[: args.k]])


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
    if me is None or me not in net.graph:
        raise ToolError("Carson doesn't know who you are yet.", "Import your own contacts first.")
    industry = {o.id: o.industry for o in net.orgs.values()}
    friends: dict[int, float] = {}
    for other in net.graph.neighbors(me):
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
        if net.graph.has_edge(a, b):
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
        person=net.people[focus].name if focus in net.people else None, ideas=ideas[: args.k]
    )
