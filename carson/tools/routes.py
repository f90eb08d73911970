"""``find_routes`` and ``how_do_i_know``: thin wrappers over ``carson.graph``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from carson.models import Route
from carson.tools.base import ToolContext, ToolError, tool


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindRoutesArgs(_Args):
    target_company: str | None = Field(None, description="Company to get into, e.g. Goldman Sachs.")
    target_person: str | None = Field(None, description="A person to reach, e.g. Harry Smith.")
    k: int = Field(5, ge=1, le=20, description="How many routes.")
    max_hops: int = Field(3, ge=1, le=5, description="At most this many intermediaries.")
    exclude: list[str] = Field(default_factory=list, description="People or companies to avoid.")
    title_filter: str | None = Field(
        None, description='Only targets whose title matches, e.g. "VP|Head of|CFO".'
    )
    via_team: bool = Field(False, description="Also route through teammates' networks.")


class RoutesResult(BaseModel):
    target: str
    """The company or person the routes lead to."""
    routes: list[Route]


@tool("find_routes", FindRoutesArgs)
def find_routes(ctx: ToolContext, args: FindRoutesArgs) -> RoutesResult:
    """Ranked warm-intro routes into a company (anyone working there now) or to one person,
    with meeting probability, its range and the evidence behind every hop."""
    from carson.graph import find_routes as graph_routes

    if not args.target_company and not args.target_person:
        raise ToolError(
            "find_routes needs a target_company or a target_person.",
            'e.g. {"target_company": "Goldman Sachs"}',
        )
    routes = graph_routes(
        ctx.store,
        target_company=args.target_company if not args.target_person else None,
        target_person=args.target_person,
        k=args.k,
        max_hops=args.max_hops,
        exclude=args.exclude,
        title_filter=args.title_filter,
        via_team=args.via_team,
    )
    target = args.target_person or args.target_company or ""
    if routes and args.target_company and routes[0].target_org:
        target = routes[0].target_org
    elif routes and args.target_person:
        target = routes[0].hops[-1].name
    return RoutesResult(target=target, routes=routes)


class PersonArgs(_Args):
    person: str = Field(description="The person's name.")


@tool("how_do_i_know", PersonArgs)
def how_do_i_know(ctx: ToolContext, args: PersonArgs) -> RoutesResult:
    """The user's best paths to one person, each hop with its evidence."""
    from carson.graph import how_do_i_know as graph_know

    person = ctx.resolver.person(args.person)
    routes = graph_know(ctx.store, person.name)
    return RoutesResult(target=person.name, routes=routes)
