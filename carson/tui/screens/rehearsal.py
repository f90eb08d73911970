"""Rehearsal mode: Carson plays the connector (or target, or gatekeeper), the seller
practises, and ``/end`` shows feedback against the script's checkpoints."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from carson.tui.manager import ChatManager, ErrorInfo, RehearsalTurn
from carson.tui.widgets import clean
from carson.tui.widgets.feedback import FeedbackPanel
from carson.tui.widgets.message import CarsonMessage, ErrorMessage, Thinking, UserMessage
from carson.tui.widgets.prompt import PromptArea

if TYPE_CHECKING:
    from carson.drafting.rehearsal import Feedback


class RehearsalScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "end", "End + feedback", priority=True),
        Binding("escape", "close", "Back to chat"),
    ]

    def __init__(self, manager: ChatManager, opening: RehearsalTurn) -> None:
        super().__init__()
        self.manager = manager
        self.opening = opening
        self.feedback: Feedback | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        role = getattr(self.manager.rehearsal, "role", "connector")
        yield Static(
            Content.from_markup(
                "[b]Rehearsal[/b] · Carson plays [b]$who[/b] ($role) · [b]/end[/b] for feedback",
                who=clean(self.opening.speaker),
                role=role,
            ),
            id="rehearsal-title",
        )
        with VerticalScroll(id="lines"):
            yield CarsonMessage(self.opening.text, speaker=self.opening.speaker)
        yield Thinking(id="thinking")
        yield PromptArea(placeholder="Your line… (/end for feedback)", id="prompt")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Thinking).display = False
        self.query_one(PromptArea).focus()

    @property
    def lines(self) -> VerticalScroll:
        return self.query_one("#lines", VerticalScroll)

    def on_prompt_area_submitted(self, event: PromptArea.Submitted) -> None:
        event.stop()
        if self.feedback is not None:
            self.notify("This rehearsal is over: esc goes back to the chat.")
            return
        if event.text.strip().lower() in ("/end", "/stop", "/done"):
            self.action_end()
            return
        if self.busy:
            return
        self.busy = True
        self.lines.mount(UserMessage(event.text))
        self.call_after_refresh(self.lines.scroll_end, animate=False)  # once it is laid out
        self.query_one(Thinking).start(f"{self.opening.speaker} is thinking")
        self.say(event.text)

    @work(thread=True, group="rehearsal", exit_on_error=False)
    def say(self, line: str) -> None:
        try:
            turn = self.manager.rehearsal_reply(line)
        except Exception as exc:
            self.app.call_from_thread(self._show, None, ErrorInfo.of(exc))  # type: ignore[arg-type]  # textual types async callbacks as Never
            return
        self.app.call_from_thread(self._show, turn, None)  # type: ignore[arg-type]  # textual types async callbacks as Never

    async def _show(self, turn: RehearsalTurn | None, error: ErrorInfo | None) -> None:
        self.busy = False
        self.query_one(Thinking).stop()
        if turn is not None:
            await self.lines.mount(CarsonMessage(turn.text, speaker=turn.speaker))
        if error is not None:
            await self.lines.mount(ErrorMessage(error))
        self.lines.scroll_end(animate=False)

    def action_end(self) -> None:
        if self.feedback is not None or self.busy:
            return
        try:
            self.feedback = self.manager.end_rehearsal()
        except Exception as exc:
            self.lines.mount(ErrorMessage(ErrorInfo.of(exc)))
            return
        self.lines.mount(FeedbackPanel(self.feedback))
        self.call_after_refresh(self.lines.scroll_end, animate=False)  # once it is laid out
        self.query_one(PromptArea).placeholder = "Rehearsal over: esc goes back to the chat"

    def action_close(self) -> None:
        self.dismiss()
