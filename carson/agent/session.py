"""Saved conversations under ``locations.sessions_dir(home)``, one JSON file each.

``carson ask --session NAME`` loads the messages, runs a turn, and saves them back, so
follow-ups ("what about Morgan Stanley?") work from the shell too.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from langchain_core.messages import (
    BaseMessage,
    HumanMessage,
    messages_from_dict,
    messages_to_dict,
)

from carson import locations
from carson.errors import UsageError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_MESSAGES = 200
"""Older messages are dropped past this many (the planner only needs recent context)."""


class Session:
    """One named conversation."""

    def __init__(self, home: Path, name: str) -> None:
        if not _NAME.match(name) or ".." in name:
            raise UsageError(
                f'"{name}" is not a usable session name.',
                "Use letters, digits, dots, dashes or underscores (up to 64).",
            )
        self.name = name
        self.path = locations.sessions_dir(home) / f"{name}.json"

    def load(self) -> list[BaseMessage]:
        if not self.path.exists():
            return []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return list(messages_from_dict(data["messages"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(
                f"The saved session {self.name!r} at {self.path} is damaged.",
                "Delete that file, or use another --session name.",
            ) from exc

    def save(self, messages: list[BaseMessage]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if len(messages) > MAX_MESSAGES:
            messages = messages[-MAX_MESSAGES:]
            # start at a request, never between a tool call and its result
            first = next((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), 0)
            messages = messages[first:]
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"version": 1, "messages": messages_to_dict(messages)}, ensure_ascii=False),
            encoding="utf-8",
        )
        os.replace(tmp, self.path)
