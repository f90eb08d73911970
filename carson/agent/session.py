"""Saved conversations under ``locations.sessions_dir(home)``, one JSON file each.

``carson ask --session NAME`` loads the messages, runs a turn, and saves them back, so
follow-ups ("what about Morgan Stanley?") work from the shell too.

The file is ``{"version": 2, "messages": [...], "rehearsal": {...} | null}``: the
rehearsal running in the conversation, if any (``carson.drafting.RehearsalState`` as
JSON). Version 1 files (messages only) still load, with no rehearsal.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
VERSION = 2
"""2 added ``rehearsal``; version 1 files load as a conversation with none running."""


@dataclass
class Saved:
    """What a session file holds."""

    messages: list[BaseMessage]
    rehearsal: dict[str, Any] | None = None
    """The running rehearsal's saved state, as JSON, or None."""


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
        return self.read().messages

    def read(self) -> Saved:
        """The messages and the running rehearsal (empty for a new session)."""
        if not self.path.exists():
            return Saved([])
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            messages = list(messages_from_dict(data["messages"]))
            rehearsal = data.get("rehearsal")
            if rehearsal is not None and not isinstance(rehearsal, dict):
                raise TypeError("rehearsal is not an object")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UsageError(
                f"The saved session {self.name!r} at {self.path} is damaged.",
                "Delete that file, or use another --session name.",
            ) from exc
        return Saved(messages, rehearsal)

    def save(self, messages: list[BaseMessage], *, rehearsal: dict[str, Any] | None = None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if len(messages) > MAX_MESSAGES:
            messages = messages[-MAX_MESSAGES:]
            # start at a request, never between a tool call and its result
            first = next((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), 0)
            messages = messages[first:]
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps(
                {
                    "version": VERSION,
                    "messages": messages_to_dict(messages),
                    "rehearsal": rehearsal,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        os.replace(tmp, self.path)
