"""A replay of the agent for snapshot tests: the demo flow's real tool results, recorded
once by ``tools/screenshots.py --record``, so the pictures stay the same from day to day
(the live demo is anchored at today's date)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from carson.config import Settings
from carson.drafting.rehearsal import Feedback
from carson.errors import UsageError
from carson.tui.app import CarsonApp
from carson.tui.manager import AgentTurn, ChatManager, Status, TokenFn, ToolFn

DATA = Path(__file__).parent / "data" / "replay.json"


def load() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


class ReplaySession:
    def __init__(self, data: dict[str, Any]) -> None:
        self.speaker = data["speaker"]
        self.role = data["role"]
        self.opening = data["opening"]
        self._replies = list(data["replies"])
        self._feedback = Feedback.model_validate(data["feedback"])

    def reply(self, line: str) -> str:
        return self._replies.pop(0)

    def end(self) -> Feedback:
        return self._feedback


class ReplayEngine:
    """Answers the recorded question and tools; anything else is a test error."""

    def __init__(self) -> None:
        self.data = load()

    def turn(self, text: str, *, on_token: TokenFn | None, on_tool: ToolFn | None) -> AgentTurn:
        if text != self.data["question"]:
            raise AssertionError(f"the replay has no answer for {text!r}")
        result = self.data["find_routes"]
        return AgentTurn(
            self.data["answer"], [{"name": "find_routes", "args": {}, "result": result}]
        )

    def call(self, tool: str, args: dict[str, Any]) -> Any:
        if tool not in self.data:
            raise AssertionError(f"the replay has no result for {tool}")
        return self.data[tool]

    def set_model(self, model: str) -> str:
        raise UsageError("The replay has one brain.")

    def rehearsal(self, result: Any) -> ReplaySession:
        return ReplaySession(self.data["rehearsal"])


class ReplayManager(ChatManager):
    """The real manager on the replay engine, with the recorded status bar."""

    def status(self) -> Status:
        return Status(**load()["status"])

    def nudge(self, k: int = 3) -> str | None:
        return None  # the live one names people by how long they've been quiet, from today


def replay_app(settings: Settings, *, theme: str = "textual-dark") -> CarsonApp:
    return CarsonApp(ReplayManager(settings, engine=ReplayEngine()), theme=theme)
