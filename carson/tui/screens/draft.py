"""The draft screen: edit the email or script, copy it, save it, or compose it again."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, TextArea

from carson.models import Draft
from carson.tui.manager import ChatManager, ErrorInfo
from carson.tui.widgets.draft_panel import DraftPanel


class DraftScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+g", "copy", "Copy", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+r", "regenerate", "Regenerate", priority=True),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, manager: ChatManager, draft: Draft) -> None:
        super().__init__()
        self.manager = manager
        self.draft = draft
        self.saved_to: str | None = None

    def compose(self) -> ComposeResult:
        yield DraftPanel(self.draft, id="draft")
        yield Footer()

    def on_mount(self) -> None:
        if self.app.is_headless:  # tests and screenshots: no blinking cursor
            for area in self.query(TextArea):
                area.cursor_blink = False
        self.query_one("#body", TextArea).focus()

    @property
    def panel(self) -> DraftPanel:
        return self.query_one(DraftPanel)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.panel.text())
        self.notify("Copied to the clipboard (OSC 52).", title="Copied")

    def action_save(self) -> None:
        try:
            path = self.manager.save_draft(self.panel.draft, self.panel.text())
        except OSError as exc:
            self.notify(f"Can't save the draft: {exc}.", title="Save", severity="error")
            return
        self.saved_to = str(path)
        self.notify(f"Saved to {path}", title="Saved")

    def action_regenerate(self) -> None:
        self.notify("Composing the draft again…", title="Regenerate")
        self.regenerate()

    @work(thread=True, group="draft", exclusive=True, exit_on_error=False)
    def regenerate(self) -> None:
        try:
            draft = self.manager.redraft(self.panel.draft)
        except Exception as exc:
            err = ErrorInfo.of(exc)
            self.app.call_from_thread(
                self.notify, f"{err.message} {err.hint or ''}", title=err.title, severity="error"
            )
            return
        self.app.call_from_thread(self.panel.show, draft)

    def action_close(self) -> None:
        self.dismiss()
