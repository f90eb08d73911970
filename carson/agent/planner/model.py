"""The offline planner as a LangChain chat model, for anything that wants a ``BaseChatModel``
(LangChain agents, ``with_fallbacks``, callbacks). It answers exactly as ``OfflineBrain``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, PrivateAttr

from carson.agent.planner.plan import Plan, Planner
from carson.agent.planner.respond import respond
from carson.store import Store


class PlannerChatModel(BaseChatModel):
    """Carson's offline brain as a LangChain chat model."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    streams_tokens: ClassVar[bool] = False

    use_embeddings: bool = True
    _planner: Planner | None = PrivateAttr(default=None)
    _store: Store | None = PrivateAttr(default=None)

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
        return self  # the planner knows Carson's tools by name

    def plan(self, text: str, history: Sequence[BaseMessage] = ()) -> Plan:
        return self.planner.plan(text, history)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=respond(self.planner, messages))])
