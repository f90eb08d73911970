"""How the chat reaches the agent.

Slash commands and route-card keys run the agent's own tools (``carson.tools``), so the
chat and the CLI behave the same. Free-text turns go to the agent loop
(``carson.agent``) when it is installed; until then, to a stand-in that only answers
route questions through the same ``find_routes`` tool.
"""

from __future__ import annotations

import re
from typing import Any

from carson.config import Settings
from carson.errors import CarsonError, UnknownPersonError, UsageError
from carson.store import Store
from carson.tui.manager import AgentTurn, RehearsalSession, TokenFn, ToolFn

_TARGET = re.compile(
    r"(?:into|to|at|reach|meet|with)\s+(?P<target>[A-Z0-9][\w&.'\- ]*?)\s*[?.!]*$",
    re.IGNORECASE,
)


class ToolFailed(CarsonError):
    """A tool said no: its message, and the fix (or the "did you mean")."""

    title = "Carson"


class ToolEngine:
    """The agent's tools, called by name, with the conversation's recent routes."""

    def __init__(self, settings: Settings, store: Store) -> None:
        from carson.tools import ToolContext

        self.settings = settings
        self.store = store
        self.ctx = ToolContext(store=store, settings=settings)

    def set_model(self, model: str) -> str:
        if model != "offline":
            raise UsageError(
                f"Can't switch to {model} from the chat yet.",
                "Set CARSON_MODEL (and OPENAI_API_KEY or OPENAI_BASE_URL), then restart.",
            )
        return "offline"

    def call(self, tool: str, args: dict[str, Any]) -> Any:
        from carson.tools import run_tool

        run = run_tool(self.ctx, tool, args)
        if not run.ok:
            result = run.result
            hint = result.get("hint")
            if result.get("suggestions") and not hint:
                hint = "Did you mean " + " or ".join(f'"{s}"' for s in result["suggestions"])
            raise ToolFailed(str(result.get("error") or run.error), hint)
        routes = getattr(run.value, "routes", None)
        if tool in ("find_routes", "how_do_i_know") and routes:
            self.ctx.recent_routes = list(routes)
        return run.value

    def rehearsal(self, *, via: str, to: str | None, role: str) -> RehearsalSession:
        from carson.drafting import Rehearsal

        return Rehearsal.start(self.store, via=via, to=to, role=role)

    def turn(self, text: str, *, on_token: TokenFn | None, on_tool: ToolFn | None) -> AgentTurn:
        m = _TARGET.search(text.strip())
        target = m.group("target").strip() if m else text.strip()
        if on_tool is not None:
            on_tool("find_routes")
        args = {"target_company": target}
        try:
            result = self.call("find_routes", args)
        except ToolFailed as exc:
            if exc.hint:
                raise
            raise UnknownPersonError(target, kind="company") from exc
        routes = result.routes
        best = routes[0]
        answer = (
            f"**{len(routes)} routes into {result.target}.** Best: {best.summary}\n\n"
            "Pick a route: `e` email · `c` call script · `r` rehearse · `enter` details."
        )
        return AgentTurn(answer, [{"name": "find_routes", "args": args, "result": result}])


def make_engine(settings: Settings, store: Store) -> ToolEngine:
    return ToolEngine(settings, store)
