"""What the conversation established, and what the planner answers with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage

from carson.agent.loop import recent_routes
from carson.models import Route


@dataclass
class Call:
    name: str
    args: dict[str, Any]


@dataclass
class Plan:
    calls: list[Call] = field(default_factory=list)
    reply: str | None = None
    intent: str | None = None
    how: str | None = None


@dataclass
class Context:
    """What the conversation established: the last call, the routes shown, who was named."""

    last: Call | None = None
    routes: list[Route] = field(default_factory=list)
    last_person: str | None = None
    last_company: str | None = None

    @classmethod
    def from_history(cls, history: Sequence[BaseMessage]) -> Context:
        ctx = cls(routes=recent_routes(history))
        for msg in history:
            if isinstance(msg, AIMessage) and msg.tool_calls:
                call = msg.tool_calls[-1]
                args = dict(call.get("args") or {})
                ctx.last = Call(call["name"], args)
                for key in ("target_person", "person", "to", "via"):
                    if isinstance(args.get(key), str):
                        ctx.last_person = args[key]
                        break
                if isinstance(args.get("target_company"), str):
                    ctx.last_company = args["target_company"]
        if ctx.routes and ctx.last is not None and ctx.last.name == "find_routes":
            top = ctx.routes[0].hops[-1].name
            ctx.last_person = ctx.last.args.get("target_person") or top
        return ctx

    def route_people(self) -> set[int]:
        return {pid for r in self.routes for pid in r.path}

    def connectors(self) -> set[int]:
        return {pid for r in self.routes for pid in r.path[1:-1]}

    def targets(self) -> set[int]:
        return {r.path[-1] for r in self.routes}
