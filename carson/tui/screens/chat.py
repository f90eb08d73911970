"""The chat screen: the conversation, the prompt, the thinking line and the status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown
from textual.widgets.markdown import MarkdownStream

from carson.tui.manager import ChatManager, Reply, Status
from carson.tui.widgets.feedback import FeedbackPanel
from carson.tui.widgets.message import CarsonMessage, ErrorMessage, Thinking, UserMessage
from carson.tui.widgets.prompt import PromptArea
from carson.tui.widgets.route_card import RouteCard, RouteCards
from carson.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from carson.tui.app import CarsonApp

WELCOME = """\
**Hi, I'm Carson.** Ask for a warm route into any company, e.g.
*quickest way into Goldman Sachs?* — then pick a route: `e` email, `c` call, `r` rehearse.
Type `/help` or press `F1` for every command and key."""

_ACTIONS = {"email": "/draft", "call": "/call", "rehearse": "/rehearse"}


class ChatScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "focus_prompt", "Prompt", show=False),
        Binding("ctrl+l", "clear", "Clear"),
        Binding("f2", "focus_routes", "Routes"),
    ]

    def __init__(self, manager: ChatManager, *, home_label: str | None = None) -> None:
        super().__init__()
        self.manager = manager
        self.home_label = home_label
        self.busy = False
        self._stream: MarkdownStream | None = None
        self.last_status: Status | None = None

    @property
    def carson(self) -> CarsonApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="conversation"):
            yield CarsonMessage(WELCOME)
        yield Thinking(id="thinking")
        yield PromptArea(
            placeholder="Ask Carson… e.g. quickest way into Goldman Sachs?  (/help)", id="prompt"
        )
        yield StatusBar(home_label=self.home_label, id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Thinking).display = False
        self.query_one(PromptArea).focus()
        self.load()

    # ----------------------------------------------------------- background

    @work(thread=True, group="load", exit_on_error=False)
    def load(self) -> None:
        """Open the store and count (after first paint), then warm up the agent."""
        try:
            status = self.manager.status()
        except Exception as exc:  # shown in the chat; the app keeps running
            from carson.tui.manager import ErrorInfo

            self.app.call_from_thread(self._show_error, ErrorInfo.of(exc))  # type: ignore[arg-type]  # textual types async callbacks as Never
            return
        self.app.call_from_thread(self.show_status, status)
        try:
            self.manager.warm()
        except Exception as exc:
            from carson.tui.manager import ErrorInfo

            self.app.call_from_thread(self._show_error, ErrorInfo.of(exc))  # type: ignore[arg-type]  # textual types async callbacks as Never
            return
        try:
            nudge = self.manager.nudge()
        except Exception:  # a reminder is a nicety: never an error on opening
            nudge = None
        if nudge:
            self.app.call_from_thread(self._show_nudge, nudge)  # type: ignore[arg-type]  # textual types async callbacks as Never

    async def _show_nudge(self, text: str) -> None:
        if len(self.conversation.children) == 1:  # only before the seller's first question
            await self.conversation.mount(CarsonMessage(text))

    def show_status(self, status: Status) -> None:
        self.last_status = status
        self.query_one(StatusBar).show(status)

    @work(thread=True, group="agent", exit_on_error=False)
    def run_turn(self, text: str) -> None:
        thinking = self.query_one(Thinking)
        reply = self.manager.handle(
            text,
            on_token=lambda t: self.app.call_from_thread(self._append_token, t),  # type: ignore[arg-type]  # textual types async callbacks as Never
            on_tool=lambda name: self.app.call_from_thread(thinking.tool, name),
        )
        refresh = any(c.get("name") == "log_note" for c in reply.tool_calls)
        status = self.manager.status() if refresh else None
        self.app.call_from_thread(self.show_reply, reply)  # type: ignore[arg-type]  # textual types async callbacks as Never
        if status is not None:
            self.app.call_from_thread(self.show_status, status)

    # -------------------------------------------------------------- showing

    @property
    def conversation(self) -> VerticalScroll:
        return self.query_one("#conversation", VerticalScroll)

    async def _append_token(self, token: str) -> None:
        if self._stream is None:
            message = CarsonMessage()
            await self.conversation.mount(message)
            self._stream = Markdown.get_stream(message)
        await self._stream.write(token)
        self.conversation.scroll_end(animate=False)

    async def _show_error(self, error: object) -> None:
        from carson.tui.manager import ErrorInfo

        assert isinstance(error, ErrorInfo)
        await self.conversation.mount(ErrorMessage(error))
        self.conversation.scroll_end(animate=False)

    def send(self, text: str, *, echo: str | None = None) -> None:
        """Show the seller's entry and hand it to the agent in a worker."""
        if self.busy:
            self.notify("Carson is still working on the last one.", severity="warning")
            return
        self.busy = True
        self.conversation.mount(UserMessage(echo or text))
        self.conversation.scroll_end(animate=False)
        self.query_one(Thinking).start()
        self.run_turn(text)

    async def show_reply(self, reply: Reply) -> None:
        self.busy = False
        self.query_one(Thinking).stop()
        conv = self.conversation
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None
        if reply.action == "clear":
            await conv.remove_children()
        elif reply.action == "help":
            self.carson.action_help()
        if reply.error is not None:
            await conv.mount(ErrorMessage(reply.error))
        if reply.text and not reply.streamed:
            await conv.mount(CarsonMessage(reply.text))
        if reply.routes:
            cards = RouteCards(reply.routes)
            await conv.mount(cards)
            first = cards.first()
            if first is not None:
                first.focus()
                first.scroll_to_top_on_layout = True
                return
        if reply.feedback is not None:
            await conv.mount(FeedbackPanel(reply.feedback))
        conv.scroll_end(animate=False)
        if reply.draft is not None:
            from carson.tui.screens.draft import DraftScreen

            self.app.push_screen(DraftScreen(self.manager, reply.draft))
        if reply.rehearsal is not None:
            from carson.tui.screens.rehearsal import RehearsalScreen

            self.app.push_screen(RehearsalScreen(self.manager, reply.rehearsal))

    # -------------------------------------------------------------- events

    def on_prompt_area_submitted(self, event: PromptArea.Submitted) -> None:
        self.send(event.text)

    def on_route_card_chosen(self, event: RouteCard.Chosen) -> None:
        command = f"{_ACTIONS[event.action]} {event.index}"
        self.send(command)

    def on_key(self, event: events.Key) -> None:
        """Typing while a route card is selected goes to the prompt."""
        if (
            isinstance(self.focused, RouteCard)
            and event.is_printable
            and event.character
            and event.key not in RouteCard.bound_keys()
            and event.key != "question_mark"
        ):
            event.stop()
            prompt = self.query_one(PromptArea)
            prompt.focus()
            prompt.insert(event.character)

    def action_focus_prompt(self) -> None:
        self.query_one(PromptArea).focus()

    def action_focus_routes(self) -> None:
        groups = list(self.query(RouteCards))
        first = groups[-1].first() if groups else None
        if first is not None:
            first.focus()

    async def action_clear(self) -> None:
        await self.conversation.remove_children()
        self.query_one(PromptArea).focus()
