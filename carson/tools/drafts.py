"""``draft_intro_email``, ``draft_phone_script`` and ``rehearse``: wrappers over
``carson.drafting``. Drafts are written and saved, never sent."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from carson.models import Draft, Route, RouteKind
from carson.tools.base import ToolContext, ToolError, tool


def _drafting() -> ModuleType:
    try:
        return import_module("carson.drafting")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("carson.drafting"):
            raise ToolError(
                "Drafting is not available yet in this version of Carson.",
                "Use the routes and their evidence to write the email yourself.",
            ) from exc
        raise


class DraftArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    via: str | None = Field(None, description="The connector who would make the intro.")
    to: str | None = Field(None, description="The person to be introduced to.")
    route_index: int | None = Field(
        None, ge=1, description="A route from the last answer, counting from 1."
    )


class DraftEmailArgs(DraftArgs):
    reason: str | None = Field(None, description="The business reason, in one sentence.")


class DraftResult(BaseModel):
    draft: Draft


def connector(route: Route) -> int | None:
    """Where the person to ask sits in ``route.hops``: 1 after the seller, 0 for a
    teammate's route ("ask Priya to introduce you"); None when the seller knows the
    target directly."""
    start = 0 if route.via_teammate else 1
    return start if len(route.hops) - start >= 2 else None


def _askable(route: Route) -> list[int]:
    """The people on ``route`` one could ask for the intro (everyone but the asker and the
    target; the teammate too on a teammate's route)."""
    start = connector(route)
    return [] if start is None else route.path[start:-1]


def _ends(ctx: ToolContext, args: DraftArgs) -> tuple[str | None, str | None, Route | None]:
    route: Route | None = None
    if args.route_index is not None:
        route = ctx.route(args.route_index)
    elif args.via and not args.to and ctx.recent_routes:
        via = ctx.resolver.person(args.via)
        route = next((r for r in ctx.recent_routes if via.id in _askable(r)), None)
    elif args.to and not args.via and ctx.recent_routes:
        to = ctx.resolver.person(args.to)
        route = next((r for r in ctx.recent_routes if r.path[-1] == to.id), None)
    if route is not None:
        start = connector(route)
        if start is None:
            raise _direct(ctx, route)
        return route.hops[start].name, route.hops[-1].name, route
    if not args.via and not args.to:
        raise ToolError(
            "Who is the draft for?",
            'Name the connector and the target ("via John Jacobs to Harry Smith") '
            "or a route number.",
        )
    return args.via, args.to, None


def _direct(ctx: ToolContext, route: Route) -> ToolError:
    """The error for drafting an intro along a route to someone the seller knows."""
    name = route.hops[-1].name
    if route.kind != RouteKind.alumni:
        return ToolError(
            f"You know {name} directly: no intro needed.",
            "Write to them yourself, or pick a route with a connector.",
        )
    # An alumnus you know: ask them yourself; a route on to the old team may be on screen.
    onward = next(
        (
            i
            for i, r in enumerate(ctx.recent_routes, 1)
            if r.kind == RouteKind.current and connector(r) == 1 and r.hops[1].name == name
        ),
        None,
    )
    hint = f"Ask them yourself who owns it at {route.target_org} now" + (
        f", or draft route {onward}: {name} → {ctx.recent_routes[onward - 1].hops[-1].name}."
        if onward
        else "."
    )
    return ToolError(
        f"You know {name} directly, and they used to work at {route.target_org}.", hint
    )


@tool("draft_intro_email", DraftEmailArgs)
def draft_intro_email(ctx: ToolContext, args: DraftEmailArgs) -> DraftResult:
    """Draft an intro-request email to the connector (with a forwardable blurb for the
    target), grounded in store facts. Saved as a file; never sent."""
    drafting = _drafting()
    via, to, route = _ends(ctx, args)
    draft = drafting.draft_email(ctx.store, via=via, to=to, route=route, reason=args.reason)
    return DraftResult(draft=draft)


@tool("draft_phone_script", DraftArgs)
def draft_phone_script(ctx: ToolContext, args: DraftArgs) -> DraftResult:
    """Draft a phone script for asking the connector: opener, context, the ask, likely
    objections with answers, the close."""
    drafting = _drafting()
    via, to, route = _ends(ctx, args)
    draft = drafting.draft_call(ctx.store, via=via, to=to, route=route)
    return DraftResult(draft=draft)


class RehearseArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["connector", "target", "gatekeeper"] = Field(
        "connector", description="Whom Carson plays."
    )
    via: str | None = Field(None, description="The connector the call is with.")
    to: str | None = Field(None, description="The person the seller wants to meet.")
    route_index: int | None = Field(
        None, ge=1, description="A route from the last answer, counting from 1."
    )


class RehearseResult(BaseModel):
    role: str
    via: str
    to: str
    speaker: str
    opening: str
    """The persona's first line; the seller answers it."""
    checkpoints: list[str]
    next_step: str
    _session: Any = PrivateAttr(default=None)

    @property
    def session(self) -> Any:
        """The live ``carson.drafting.Rehearsal`` (a conversation carries it on)."""
        return self._session


NEXT_STEP = (
    'Your next message is your line to {speaker}; say /end (or "how did I do?") for '
    'feedback, or start with "Carson," to ask me something mid-call.'
)


def _best_route(ctx: ToolContext, name: str) -> tuple[str, Route | None]:
    """The person ``name`` means, and the seller's best route to them (if any)."""
    from carson.graph import how_do_i_know

    person = ctx.resolver.person(name)
    routes = how_do_i_know(ctx.store, person.name, k=1)
    return person.name, routes[0] if routes else None


def _no_intro(name: str) -> ToolError:
    return ToolError(
        f"You know {name} directly: there is no intro to rehearse.",
        f'Rehearse asking them yourself: "rehearse the call with {name}".',
    )


def _connector_to(ctx: ToolContext, name: str) -> str:
    """The first hop of the best route to ``name``: who made the intro in the practice call."""
    name, route = _best_route(ctx, name)
    if route is None:
        raise ToolError(
            f"There is no route to {name} in your network, so nobody made the intro.",
            f'Name the connector: "rehearse the call with {name}, John made the intro".',
        )
    start = connector(route)
    if start is None:
        raise _no_intro(name)
    return route.hops[start].name


def _persona(ctx: ToolContext, name: str) -> tuple[str, str | None, str]:
    """(via, to, role) for "rehearse the call with NAME" with no routes on screen.

    Someone the seller knows is the connector of the practice call. Someone they would be
    introduced to ("pretend to be Harry Smith", Harry two hops away) is the target, and
    the first hop of the best route to them is the connector who made the intro.
    """
    name, route = _best_route(ctx, name)
    start = connector(route) if route is not None else None
    if route is not None and start is not None:
        return route.hops[start].name, name, "target"
    return name, None, "connector"


@tool("rehearse", RehearseArgs)
def rehearse(ctx: ToolContext, args: RehearseArgs) -> RehearseResult:
    """Start a call rehearsal: Carson plays the connector, the target or a gatekeeper,
    using what the store knows about them. The seller's next messages are their lines."""
    drafting = _drafting()
    via, to = args.via, args.to
    if args.route_index is not None:
        route = ctx.route(args.route_index)
        start = connector(route)
        if start is None:
            raise _no_intro(route.hops[-1].name)
        via, to = route.hops[start].name, route.hops[-1].name
    elif ctx.recent_routes and not to:
        route = ctx.recent_routes[0]
        if via:
            person = ctx.resolver.person(via)
            route = next((r for r in ctx.recent_routes if person.id in r.path), route)
        start = connector(route)
        if start is not None:
            via = via or route.hops[start].name
            to = route.hops[-1].name
    role: str = args.role
    if not via and to and role != "connector":
        via = _connector_to(ctx, to)
    if not via:
        raise ToolError(
            "Whom should I play?", 'Name the connector, e.g. "rehearse the call with John".'
        )
    if role == "connector" and not to and not ctx.recent_routes:
        via, to, role = _persona(ctx, via)
    r = drafting.Rehearsal.start(ctx.store, via=via, role=role, to=to)
    result = RehearseResult(
        role=r.role,
        via=r.facts.via.name,
        to=r.facts.to.name,
        speaker=r.speaker,
        opening=r.opening,
        checkpoints=list(r.checkpoint_names),
        next_step=NEXT_STEP.format(speaker=r.speaker),
    )
    result._session = r
    return result
