"""A strict, scripted chat model for tests: queue replies and tool calls, fail on surprises.

    fake = ScriptedChatModel()
    fake.add_tool_call("find_routes", target_company="Goldman Sachs")
    fake.add_reply("Ask John.")
    ... run the agent ...
    fake.assert_done()          # every queued reply was used

A call with nothing queued raises ``UnexpectedModelCall``; ``assert_done`` fails on
leftovers. Each call's messages are kept in ``fake.seen`` for assertions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, Field


class UnexpectedModelCall(AssertionError):
    """The code under test called the model more often than the test scripted."""


class ScriptedChatModel(BaseChatModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    queue: list[AIMessage | Exception | Callable[[list[BaseMessage]], AIMessage]] = Field(
        default_factory=list
    )
    seen: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[Any] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    # ----------------------------------------------------------------- script

    def add_reply(self, text: str) -> ScriptedChatModel:
        self.queue.append(AIMessage(content=text))
        return self

    def add_tool_call(self, name: str, **args: Any) -> ScriptedChatModel:
        n = sum(1 for q in self.queue if isinstance(q, AIMessage)) + len(self.seen) + 1
        self.queue.append(
            AIMessage(
                content="",
                tool_calls=[{"name": name, "args": args, "id": f"call_{n}", "type": "tool_call"}],
            )
        )
        return self

    def add_error(self, exc: Exception) -> ScriptedChatModel:
        self.queue.append(exc)
        return self

    def add_function(self, fn: Callable[[list[BaseMessage]], AIMessage]) -> ScriptedChatModel:
        self.queue.append(fn)
        return self

    def assert_done(self) -> None:
        if self.queue:
            raise AssertionError(f"{len(self.queue)} scripted model repl(ies) never used")

    # ------------------------------------------------------------ chat model

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:  # type: ignore[override]
        self.bound_tools = list(tools)
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.seen.append(list(messages))
        if not self.queue:
            raise UnexpectedModelCall(
                f"unexpected model call #{len(self.seen)}: nothing scripted; last message: "
                f"{messages[-1].content!r:.200}"
            )
        item = self.queue.pop(0)
        if isinstance(item, Exception):
            raise item
        reply = item(messages) if callable(item) else item
        return ChatResult(generations=[ChatGeneration(message=reply)])
