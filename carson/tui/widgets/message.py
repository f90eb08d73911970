"""Conversation entries: the seller's lines, Carson's Markdown replies, errors, thinking."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Markdown, Static

from carson.tui.manager import ErrorInfo
from carson.tui.widgets import clean

_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class UserMessage(Static):
    """What the seller typed."""

    def __init__(self, text: str, *, speaker: str = "You") -> None:
        super().__init__(Content.from_markup("[b]$who[/b]  $text", who=speaker, text=clean(text)))


class CarsonMessage(Markdown):
    """Carson's reply, rendered as Markdown (streamed into when the brain streams)."""

    def __init__(self, markdown: str = "", *, speaker: str | None = None) -> None:
        super().__init__(clean(markdown))
        if speaker:
            self.border_title = speaker


class ErrorMessage(Static):
    """A readable error: title, what went wrong, and the fix. Never a traceback."""

    def __init__(self, error: ErrorInfo) -> None:
        markup = "[b]$message[/b]" + ("\n$hint" if error.hint else "")
        super().__init__(
            Content.from_markup(markup, message=clean(error.message), hint=clean(error.hint))
        )
        self.border_title = error.title
        self.error = error


class Thinking(Static):
    """ "Thinking…" with the tool being run, while the agent works."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._frame = 0
        self._label = "Thinking"

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.1, self._tick, pause=True)

    def start(self, label: str = "Thinking") -> None:
        self._label = label
        self.display = True
        self._render_frame()
        self._timer.resume()

    def tool(self, name: str) -> None:
        self._label = f"Running {name.replace('_', ' ')}"
        self._render_frame()

    def stop(self) -> None:
        self._timer.pause()
        self.display = False

    def _tick(self) -> None:
        self._frame = (self._frame + 1) % len(_SPINNER)
        self._render_frame()

    def _render_frame(self) -> None:
        self.update(f"{_SPINNER[self._frame]} {self._label}…")
