"""The prompt: multi-line entry, Enter to send, history on up/down."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import TextArea


class PromptArea(TextArea):
    """Enter sends; ctrl+j (or shift+enter) starts a new line; up/down walk the history
    when the cursor is on the first/last line."""

    @dataclass
    class Submitted(Message):
        prompt: PromptArea
        text: str

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(
            "",
            soft_wrap=True,
            show_line_numbers=False,
            compact=True,
            highlight_cursor_line=False,
            placeholder=placeholder,
            id=id,
        )
        self.entries: list[str] = []
        self._pos: int | None = None
        self._draft = ""

    def on_mount(self) -> None:
        if self.app.is_headless:  # tests and screenshots: no blinking cursor
            self.cursor_blink = False

    def _remember(self, text: str) -> None:
        if text and (not self.entries or self.entries[-1] != text):
            self.entries.append(text)
        self._pos = None
        self._draft = ""

    def _show(self, text: str, *, at_end: bool) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end if at_end else (0, len(text.split("\n")[0])))

    async def _on_key(self, event: events.Key) -> None:
        key = event.key
        if key == "enter":
            event.stop()
            event.prevent_default()
            text = self.text.strip()
            if text:
                self._remember(text)
                self.load_text("")
                self.post_message(self.Submitted(self, text))
            return
        if key in ("ctrl+j", "shift+enter", "alt+enter"):
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        await super()._on_key(event)

    def action_cursor_up(self, select: bool = False) -> None:
        if select or self.cursor_location[0] != 0 or not self.entries:
            super().action_cursor_up(select)
            return
        if self._pos is None:
            self._draft = self.text
            self._pos = len(self.entries)
        if self._pos > 0:
            self._pos -= 1
            self._show(self.entries[self._pos], at_end=False)

    def action_cursor_down(self, select: bool = False) -> None:
        last = self.cursor_location[0] == self.document.line_count - 1
        if select or self._pos is None or not last:
            super().action_cursor_down(select)
            return
        self._pos += 1
        if self._pos >= len(self.entries):
            self._pos = None
            self._show(self._draft, at_end=True)
        else:
            self._show(self.entries[self._pos], at_end=True)
