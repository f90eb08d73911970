"""Tool plumbing: the context tools run in, the registry, and error capture."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from carson.config import Settings
from carson.errors import CarsonError
from carson.store import Store

if TYPE_CHECKING:
    from carson.models import Route
    from carson.resolve import Resolver

TOOL_MODULES = ("routes", "people", "notes", "drafts", "suggestions", "outcomes")


class ToolError(CarsonError):
    """A tool could not do what it was asked; returned to the model as the tool's result."""

    title = "Tool"


@dataclass
class ToolContext:
    """What a tool may use: the store, the settings, and what the conversation showed."""

    store: Store
    settings: Settings
    recent_routes: list[Route] = field(default_factory=list)
    """The routes shown last in this conversation, so ``route_index=2`` means the second."""
    _resolver: Resolver | None = None

    @property
    def resolver(self) -> Resolver:
        if self._resolver is None:
            from carson.resolve import Resolver

            self._resolver = Resolver(self.store)
        return self._resolver

    def route(self, index: int) -> Route:
        """The ``index``-th (from 1) route shown last."""
        if not self.recent_routes:
            raise ToolError(
                f"There is no route {index} yet.",
                'Ask for routes first, e.g. "quickest way into Goldman Sachs".',
            )
        if not 1 <= index <= len(self.recent_routes):
            raise ToolError(
                f"There is no route {index}: the last answer showed "
                f"{len(self.recent_routes)} route(s).",
                f"Pick a number from 1 to {len(self.recent_routes)}.",
            )
        return self.recent_routes[index - 1]


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args: type[BaseModel]
    fn: Callable[[ToolContext, Any], BaseModel]
    writes: bool = False

    def schema(self) -> dict[str, Any]:
        """The OpenAI function-tool schema for this tool."""
        params = self.args.model_json_schema()
        params.pop("title", None)
        for prop in params.get("properties", {}).values():
            prop.pop("title", None)
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": params},
        }


@dataclass
class ToolRun:
    """One tool call as it happened: what was asked and what came back."""

    name: str
    args: dict[str, Any]
    result: dict[str, Any]
    ok: bool
    error: str | None = None
    value: BaseModel | None = None

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "args": self.args, "result": self.result}


_REGISTRY: dict[str, Tool] = {}


def tool(
    name: str, args: type[BaseModel], *, writes: bool = False
) -> Callable[[Callable[[ToolContext, Any], BaseModel]], Callable[[ToolContext, Any], BaseModel]]:
    """Register a function as a tool; its docstring's first paragraph is the description."""

    def wrap(
        fn: Callable[[ToolContext, Any], BaseModel],
    ) -> Callable[[ToolContext, Any], BaseModel]:
        doc = (fn.__doc__ or name).strip().split("\n\n")[0]
        _REGISTRY[name] = Tool(name, " ".join(doc.split()), args, fn, writes)
        return fn

    return wrap


@cache
def registry() -> dict[str, Tool]:
    """Every tool, by name (modules imported on first call)."""
    for mod in TOOL_MODULES:
        import_module(f"carson.tools.{mod}")
    return dict(_REGISTRY)


def run_tool(ctx: ToolContext, name: str, args: dict[str, Any] | None) -> ToolRun:
    """Validate ``args``, run the tool, and capture any failure as a result for the model."""
    args = dict(args or {})
    tools = registry()
    if name not in tools:
        msg = f"No tool called {name!r}. Tools: {', '.join(sorted(tools))}."
        return ToolRun(name, args, {"error": msg}, ok=False, error=msg)
    t = tools[name]
    try:
        parsed = t.args.model_validate(args)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'args'}: {e['msg']}" for e in exc.errors()
        )
        msg = f"Bad arguments for {name}: {problems}."
        return ToolRun(name, args, {"error": msg}, ok=False, error=msg)
    try:
        value = t.fn(ctx, parsed)
    except CarsonError as exc:
        result: dict[str, Any] = {"error": exc.message}
        if exc.hint:
            result["hint"] = exc.hint
        suggestions = getattr(exc, "suggestions", None)
        if suggestions:
            result["suggestions"] = list(suggestions)
        return ToolRun(name, args, result, ok=False, error=str(exc))
    return ToolRun(
        name, args, value.model_dump(mode="json", exclude_none=True), ok=True, value=value
    )
