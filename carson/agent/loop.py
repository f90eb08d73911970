"""The one agent loop, on langchain-core messages, used by every face.

A turn: the brain (any LangChain chat model: the offline planner, ``ChatOpenAI``, the
strict fake in tests) sees the system prompt, the conversation and the new request; each
tool call it makes is validated and run, its structured result goes back inside a
delimited data block; the loop ends when the brain answers in words, or after
``max_steps`` model calls. When a model server cannot call tools, the offline planner
chooses the tools and the model only rewords the planner's answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from pydantic import BaseModel

from carson.agent.prompts import load_prompt
from carson.agent.safety import data_block, strip_control
from carson.errors import CarsonError
from carson.models import Route
from carson.tools import ToolContext, ToolRun, registry, run_tool

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

MAX_STEPS = 6
ROUTE_TOOLS = ("find_routes", "how_do_i_know")

OnToken = Callable[[str], None]


class ToolsUnsupportedError(CarsonError):
    """The model server answered, but cannot call tools (the loop falls back)."""

    title = "No tool calling"


@dataclass
class TurnResult:
    answer: str
    tool_calls: list[ToolRun] = field(default_factory=list)
    messages: list[BaseMessage] = field(default_factory=list)
    """What this turn added to the conversation (the request, model replies, tool results)."""
    notice: str | None = None
    """Something the user should know once, e.g. a fallback to the offline planner."""
    rehearsal: dict[str, Any] | None = None
    """Set while a rehearsal runs after this turn: role, via, to, speaker, the persona's
    latest line, and the turns so far (see ``carson.agent.conversation``)."""
    feedback: BaseModel | None = None
    """The rehearsal's feedback (``carson.drafting.Feedback``) on the turn that ended it."""

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "answer": self.answer,
            "tool_calls": [t.as_json() for t in self.tool_calls],
        }
        if self.notice:
            out["notice"] = self.notice
        if self.rehearsal is not None:
            out["rehearsal"] = self.rehearsal
        if self.feedback is not None:
            out["feedback"] = self.feedback.model_dump(mode="json")
        return out


# Kept for the package's lazy export.
ToolCallRecord = ToolRun


def recent_routes(messages: Sequence[BaseMessage]) -> list[Route]:
    """The routes of the last successful route-finding tool call in the conversation."""
    for msg in reversed(messages):
        if isinstance(msg, ToolMessage) and msg.name in ROUTE_TOOLS and msg.status != "error":
            artifact = msg.artifact if isinstance(msg.artifact, dict) else None
            if artifact and artifact.get("routes"):
                return [Route.model_validate(r) for r in artifact["routes"]]
    return []


def system_prompt(ctx: ToolContext) -> str:
    me = ctx.store.me()
    # an imported field: one plain line, never markup or instructions
    name = " ".join(strip_control(me.name).replace("<", " ").split())[:60] if me else ""
    return load_prompt("system").render(
        user_name=name or "the seller",
        today=date.today().isoformat(),
        tool_guidance=load_prompt("tool_guidance").render(),
    )


def tool_message(run: ToolRun, call_id: str) -> ToolMessage:
    payload = run.result
    return ToolMessage(
        content=data_block(f"tool:{run.name}", json.dumps(payload, ensure_ascii=False)),
        tool_call_id=call_id,
        name=run.name,
        artifact=payload,
        status="success" if run.ok else "error",
    )


class Agent:
    """Runs turns of one conversation against a brain and Carson's tools."""

    def __init__(
        self,
        brain: BaseChatModel | Any,
        ctx: ToolContext,
        *,
        max_steps: int = MAX_STEPS,
        fallback: Callable[[], BaseChatModel | Any] | None = None,
    ) -> None:
        self.brain = brain
        self.ctx = ctx
        self.max_steps = max_steps
        self.fallback = fallback
        """Builds the offline planner if this brain turns out unable to call tools."""
        self.wording: BaseChatModel | Any | None = None
        self.tools = registry()

    def _bound(self) -> Any:
        return self.brain.bind_tools([t.schema() for t in self.tools.values()])

    def _call(self, messages: list[BaseMessage], on_token: OnToken | None) -> AIMessage:
        from carson.agent.brains import translate_error

        try:
            bound = self._bound()
            if on_token is None or not getattr(self.brain, "streams_tokens", True):
                reply = bound.invoke(messages)
                if on_token is not None and isinstance(reply.content, str) and reply.content:
                    on_token(strip_control(reply.content))
            else:
                acc: AIMessageChunk | None = None
                for chunk in bound.stream(messages):
                    if isinstance(chunk.content, str) and chunk.content:
                        on_token(strip_control(chunk.content))
                    acc = chunk if acc is None else acc + chunk
                reply = AIMessage(
                    content=acc.content if acc else "",
                    tool_calls=acc.tool_calls if acc else [],
                    id=acc.id if acc else None,
                )
        except CarsonError:
            raise
        except Exception as exc:
            err = translate_error(exc)
            if err is None:
                raise
            raise err from exc
        if not isinstance(reply, AIMessage):
            reply = AIMessage(content=str(getattr(reply, "content", reply)))
        return reply

    def run(
        self,
        text: str,
        history: Sequence[BaseMessage] = (),
        *,
        on_token: OnToken | None = None,
    ) -> TurnResult:
        """One user turn: returns the answer, the tool calls behind it, the new messages."""
        request = HumanMessage(content=text)
        new: list[BaseMessage] = [request]
        runs: list[ToolRun] = []
        self.ctx.recent_routes = recent_routes(history)
        notice: str | None = None
        system = SystemMessage(content=system_prompt(self.ctx))
        answer: str | None = None
        for _ in range(self.max_steps):
            messages = [system, *history, *new]
            try:
                reply = self._call(messages, None if self.wording else on_token)
            except ToolsUnsupportedError as exc:
                if self.fallback is None:
                    raise
                self.wording, self.brain = self.brain, self.fallback()
                notice = f"{exc.message} Using the offline planner to choose tools."
                continue
            new.append(reply)
            if not reply.tool_calls:
                answer = reply.content if isinstance(reply.content, str) else str(reply.content)
                break
            for call in reply.tool_calls:
                run = run_tool(self.ctx, call["name"], call.get("args") or {})
                runs.append(run)
                new.append(tool_message(run, call.get("id") or f"call_{len(runs)}"))
                if run.ok and run.name in ROUTE_TOOLS and run.value is not None:
                    self.ctx.recent_routes = list(getattr(run.value, "routes", []))
        if answer is None:
            answer = (
                f"I stopped after {self.max_steps} steps without a final answer. "
                "Try asking more specifically."
            )
            new.append(AIMessage(content=answer))
        elif self.wording is not None:
            answer = self._reword(answer, on_token)
            new[-1] = AIMessage(content=answer)
        return TurnResult(strip_control(answer), runs, new, notice)

    def _reword(self, answer: str, on_token: OnToken | None) -> str:
        """A model without tools words the planner's answer; the facts stay the planner's."""
        from carson.agent.brains import translate_error

        assert self.wording is not None
        prompt = load_prompt("wording").render(answer=data_block("planner", answer))
        messages = [SystemMessage(content=prompt), HumanMessage(content="Write the answer.")]
        try:
            if on_token is None:
                text = str(self.wording.invoke(messages).content)
            else:
                parts: list[str] = []
                for chunk in self.wording.stream(messages):
                    if isinstance(chunk.content, str) and chunk.content:
                        on_token(strip_control(chunk.content))
                        parts.append(chunk.content)
                text = "".join(parts)
        except Exception as exc:
            err = translate_error(exc)
            if err is None:
                raise
            raise err from exc
        return text.strip() or answer
