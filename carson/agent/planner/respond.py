"""The offline planner's reply to a conversation, and the light brain the CLI runs.

``respond(planner, messages)`` is the whole brain: on a new request it answers with tool
calls (or a question back); once tool results are in, with words composed from them.
:class:`OfflineBrain` exposes it with the three methods the agent loop calls
(``bind_tools``, ``invoke``, ``stream``) without importing LangChain's chat-model stack,
which costs a large share of ``carson ask``'s 2 s budget; ``PlannerChatModel`` is the
same reply as a LangChain ``BaseChatModel`` for anything that wants a real one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)

from carson.agent.planner.compose import compose
from carson.agent.planner.plan import Planner
from carson.resolve import Resolver
from carson.store import Store


def respond(planner: Planner, messages: Sequence[BaseMessage]) -> AIMessage:
    last_human = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    if last_human < 0:
        return AIMessage(content="Ask me something, e.g. the quickest way into a company.")
    tool_results = [m for m in messages[last_human + 1 :] if isinstance(m, ToolMessage)]
    if tool_results:
        triples = [
            (
                m.name or "",
                m.artifact if isinstance(m.artifact, dict) else {"error": str(m.content)},
                m.status != "error",
            )
            for m in tool_results
        ]
        return AIMessage(content=compose(triples))
    human = messages[last_human]
    text = human.content if isinstance(human.content, str) else str(human.content)
    plan = planner.plan(text, messages[:last_human])
    if not plan.calls:
        return AIMessage(content=plan.reply or "")
    calls = [
        {"name": c.name, "args": c.args, "id": f"plan_{uuid.uuid4().hex[:12]}", "type": "tool_call"}
        for c in plan.calls
    ]
    return AIMessage(content="", tool_calls=calls)


class OfflineBrain:
    """The offline planner behind the agent loop's interface (no network, deterministic)."""

    streams_tokens = False
    """The answer exists whole; the loop hands it to ``on_token`` in one piece."""

    def __init__(
        self, store: Store, *, use_embeddings: bool = True, resolver: Resolver | None = None
    ) -> None:
        self.store = store
        self.use_embeddings = use_embeddings
        self.resolver = resolver
        """Shared with the tools when given, so names are loaded once per process."""
        self._planner: Planner | None = None

    @property
    def planner(self) -> Planner:
        if self._planner is None:
            self._planner = Planner(
                self.store, use_embeddings=self.use_embeddings, resolver=self.resolver
            )
        return self._planner

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> OfflineBrain:
        return self  # the planner knows Carson's tools by name

    def invoke(self, messages: Sequence[BaseMessage], **kwargs: Any) -> AIMessage:
        return respond(self.planner, messages)

    def stream(self, messages: Sequence[BaseMessage], **kwargs: Any) -> Iterator[AIMessageChunk]:
        reply = self.invoke(messages)
        yield AIMessageChunk(
            content=reply.content,
            tool_call_chunks=[
                {"name": c["name"], "args": json.dumps(c["args"]), "id": c["id"],
                 "index": i, "type": "tool_call_chunk"}
                for i, c in enumerate(reply.tool_calls)
            ],
        )  # fmt: skip
