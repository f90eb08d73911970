"""How the chat reaches the agent: one ``carson.agent.Conversation`` per chat.

Free-text turns run the agent loop (the same one ``carson ask`` uses). Slash commands
and route-card keys run the agent's own tools by name (``carson.tools``) and are written
into the conversation's history as tool calls, so a later "draft the email for route 2"
sees the routes a card showed.
"""

from __future__ import annotations

from itertools import count
from typing import Any, cast

from carson.config import Settings
from carson.errors import CarsonError
from carson.store import Store
from carson.tui.manager import AgentTurn, RehearsalSession, TokenFn, ToolFn

_ids = count(1)


class ToolFailed(CarsonError):
    """A tool said no: its message, and the fix (or the "did you mean")."""

    title = "Carson"


def _turn_call(run: Any) -> dict[str, Any]:
    return {
        "name": run.name,
        "args": run.args,
        "result": run.value if run.ok and run.value is not None else run.result,
        "ok": run.ok,
    }


class AgentEngine:
    """The agent loop for free text, the agent's tools for commands; one shared history."""

    def __init__(self, settings: Settings, store: Store, *, model: str | None = None) -> None:
        from carson.agent.conversation import Conversation

        self.settings = settings
        self.store = store
        self.conv = Conversation(settings, store, model=model)

    @property
    def label(self) -> str:
        return self.conv.brain_label

    def set_model(self, model: str) -> str:
        from carson.agent.conversation import Conversation

        conv = Conversation(self.settings, self.store, model=model)
        conv.history = self.conv.history
        self.conv = conv
        return self.label

    def turn(self, text: str, *, on_token: TokenFn | None, on_tool: ToolFn | None) -> AgentTurn:
        streamed = False

        def tokens(piece: str) -> None:
            nonlocal streamed
            streamed = True
            if on_token is not None:
                on_token(piece)

        # The offline planner answers at once: no streaming, so the cards can stand in
        # for its long route text. Model brains stream token by token.
        stream = on_token is not None and self.conv.kind != "offline"
        result = self.conv.ask(text, on_token=tokens if stream else None)
        answer = result.answer
        if result.notice:
            answer = f"*{result.notice}*\n\n{answer}"
        calls = [_turn_call(run) for run in result.tool_calls]
        return AgentTurn(answer, calls, streamed=streamed)

    def call(self, tool: str, args: dict[str, Any]) -> Any:
        """Run one tool as the agent would, and record it in the conversation."""
        from langchain_core.messages import AIMessage, HumanMessage

        from carson.agent.loop import recent_routes, tool_message
        from carson.tools import run_tool

        ctx = self.conv.agent.ctx
        ctx.recent_routes = recent_routes(self.conv.history)
        run = run_tool(ctx, tool, args)
        call_id = f"chat_{next(_ids)}"
        self.conv.history.extend(
            [
                HumanMessage(content=f"(chat command) {tool} {args}"),
                AIMessage(content="", tool_calls=[{"name": tool, "args": args, "id": call_id}]),
                tool_message(run, call_id),
                AIMessage(content=f"(shown in the chat) {tool}"),
            ]
        )
        if not run.ok:
            result = run.result
            hint = result.get("hint")
            if result.get("suggestions") and not hint:
                hint = "Did you mean " + " or ".join(f'"{s}"' for s in result["suggestions"])
            raise ToolFailed(str(result.get("error") or run.error), hint)
        return run.value

    def rehearsal(self, result: Any) -> RehearsalSession:
        # The rehearse tool started the call (from a question or a command); the rehearsal
        # screen drives it from here, so the conversation stops routing messages to it
        # and the chat's next question goes to the agent, not to the persona.
        taken = self.conv.take_rehearsal()
        session = getattr(result, "session", None) or taken
        if session is None:
            raise CarsonError("The rehearsal did not start.", "Try /rehearse again.")
        if session.brain is None:  # started by a command: the model speaks for the persona too
            session.brain = self.conv.persona_brain()
        return cast(RehearsalSession, session)


def make_engine(settings: Settings, store: Store) -> AgentEngine:
    return AgentEngine(settings, store)
