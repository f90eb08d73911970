"""``log_outcome``: what happened when an intro was asked (feeds calibration)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from carson.tools.base import ToolContext, ToolError, tool

OutcomeName = Literal["intro_made", "declined", "no_response", "meeting_booked"]


class LogOutcomeArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: OutcomeName
    route_index: int | None = Field(None, ge=1, description="Route number as shown, from 1.")
    via: str | None = Field(None, description="The connector who was asked.")
    to: str | None = Field(None, description="The target person, when no route is named.")


class LogOutcomeResult(BaseModel):
    id: int
    outcome: str
    path: list[str]
    predicted: float | None = None
    at: datetime


@tool("log_outcome", LogOutcomeArgs, writes=True)
def log_outcome(ctx: ToolContext, args: LogOutcomeArgs) -> LogOutcomeResult:
    """Record the outcome of an intro request along a route (intro_made, declined,
    no_response, meeting_booked); Carson's meeting odds learn from it."""
    from carson.graph import log_outcome as graph_log

    route = ctx.route(args.route_index) if args.route_index else None
    if route is None and args.via and not args.to and ctx.recent_routes:
        via = ctx.resolver.person(args.via)
        route = next((r for r in ctx.recent_routes if via.id in r.path), None)
    if route is None and not args.to:
        raise ToolError(
            "Which intro was it?", "Give the route number, or who it was to (and via whom)."
        )
    out = graph_log(ctx.store, args.outcome, route=route, via=args.via, to=args.to)
    names = dict(ctx.store.person_names())
    assert out.id is not None
    return LogOutcomeResult(
        id=out.id,
        outcome=out.outcome.value,
        path=[names.get(p, "?") for p in out.path],
        predicted=out.predicted,
        at=out.at,
    )
