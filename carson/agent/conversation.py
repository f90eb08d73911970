"""A conversation: the brain, the tools and the history, for any face.

    conv = Conversation(settings, store, model=None, session="deal-gs")
    result = conv.ask("quickest way into Goldman Sachs?", on_token=print)
    result.answer, result.tool_calls

The CLI (``carson ask``), the chat and the evals all go through this class, so they
share one loop. With ``session`` the history is loaded from and saved to the data home.
"""

from __future__ import annotations

from langchain_core.messages import BaseMessage

from carson.agent.brains import brain_spec, make_brain, make_planner
from carson.agent.loop import Agent, OnToken, TurnResult
from carson.agent.session import Session
from carson.config import Settings
from carson.store import Store
from carson.tools import ToolContext


class Conversation:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        model: str | None = None,
        session: str | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.kind, self.model_name = brain_spec(settings, model)
        ctx = ToolContext(store, settings)
        brain = make_brain(settings, store, model=model, resolver=ctx.resolver)
        self.agent = Agent(
            brain,
            ctx,
            fallback=(lambda: make_planner(store, resolver=ctx.resolver))
            if self.kind != "offline"
            else None,
        )
        self.session = Session(settings.home, session) if session else None
        self.history: list[BaseMessage] = self.session.load() if self.session else []

    @property
    def brain_label(self) -> str:
        return "offline" if self.kind == "offline" else f"openai:{self.model_name}"

    def ask(self, text: str, *, on_token: OnToken | None = None) -> TurnResult:
        result = self.agent.run(text, self.history, on_token=on_token)
        self.history.extend(result.messages)
        if self.session is not None:
            self.session.save(self.history)
        return result
