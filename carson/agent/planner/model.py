"""The offline planner as a LangChain chat model, so the one loop drives it like any other.

On a human message it answers with tool calls (or a question back); once the tool results
are in, it answers in words composed from them. Deterministic, no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, PrivateAttr

from carson.agent.planner.compose import compose
from carson.agent.planner.plan import Plan, Planner
from carson.store import Store


class PlannerChatModel(BaseChatModel):
    """Carson's offline brain."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    use_embeddings: bool = True
    _planner: Planner | None = PrivateAttr(default=None)
    _store: Store | None = PrivateAttr(default=None)
    _counter: int = PrivateAttr(default=0)

    @classmethod
    def for_store(cls, store: Store, *, use_embeddings: bool = True) -> PlannerChatModel:
        model = cls(use_embeddings=use_embeddings)
        model._store = store
        return model

    @property
    def planner(self) -> Planner:
        if self._planner is None:
            if self._store is None:
                raise RuntimeError("PlannerChatModel needs a store: use for_store(store)")
            self._planner = Planner(self._store, use_embeddings=self.use_embeddings)
        return self._planner

    @property
    def _llm_type(self) -> str:
        return "carson-offline-planner"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> PlannerChatModel:  # type: ignore[override]
        # The planner knows Carson's tools by name; schemas add nothing.
        return self

    def plan(self, text: str, history: Sequence[BaseMessage] = ()) -> Plan:
        return self.planner.plan(text, history)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        last_human = max(
            (i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1
        )
        after = messages[last_human + 1 :]
        tool_results = [m for m in after if isinstance(m, ToolMessage)]
        if last_human < 0:
            reply = AIMessage(content="Ask me something, e.g. the quickest way into a company.")
        elif tool_results:
            triples = [
                (
                    m.name or "",
                    m.artifact if isinstance(m.artifact, dict) else {"error": str(m.content)},
                    m.status != "error",
                )
                for m in tool_results
            ]
            reply = AIMessage(content=compose(triples))
        else:
            human = messages[last_human]
            text = human.content if isinstance(human.content, str) else str(human.content)
            history = messages[:last_human]
            plan = self.plan(text, history)
            if plan.calls:
                calls = []
                for c in plan.calls:
                    self._counter += 1
                    calls.append(
                        {"name": c.name, "args": c.args, "id": f"plan_{self._counter}",
                         "type": "tool_call"}
                    )  # fmt: skip
                reply = AIMessage(content="", tool_calls=calls)
            else:
                reply = AIMessage(content=plan.reply or "")
        return ChatResult(generations=[ChatGeneration(message=reply)])
