"""The Carson chat app and its one factory, ``build_app(settings)``.

Start-up paints the prompt first; the store, counts and the agent load in workers
afterwards, so the prompt is usable at once.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from carson.config import Settings
from carson.tui.manager import ChatManager, Engine
from carson.tui.screens.chat import ChatScreen

DARK = "textual-dark"
LIGHT = "textual-light"


class CarsonApp(App[None]):
    CSS_PATH = "carson.tcss"
    TITLE = "Carson"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help"),
        Binding("ctrl+t", "toggle_theme", "Theme"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        manager: ChatManager,
        *,
        home_label: str | None = None,
        theme: str = DARK,
    ) -> None:
        super().__init__()
        self.manager = manager
        self.home_label = home_label
        self.theme = theme

    def on_mount(self) -> None:
        from carson.notes.index import REBUILD_NOTICES

        REBUILD_NOTICES.append(self._rebuild_notice)
        self.push_screen(ChatScreen(self.manager, home_label=self.home_label))

    def _rebuild_notice(self, notes: int, embedder: str) -> None:
        """The notes index rebuilds itself (from a worker thread): say why it takes a while."""
        self.call_from_thread(
            self.notify,
            f"Re-embedding your {notes:,} notes with the faster embedder; once only.",
            title="Notes",
        )

    @property
    def chat(self) -> ChatScreen:
        for screen in self.screen_stack:
            if isinstance(screen, ChatScreen):
                return screen
        raise LookupError("the chat screen is not open")

    def action_help(self) -> None:
        from carson.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def on_unmount(self) -> None:
        from carson.notes.index import REBUILD_NOTICES

        if self._rebuild_notice in REBUILD_NOTICES:
            REBUILD_NOTICES.remove(self._rebuild_notice)
        self.manager.close()


def build_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    home_label: str | None = None,
    theme: str = DARK,
) -> CarsonApp:
    """The chat on ``settings.home``. ``engine`` replaces the agent (tests, scripts);
    ``home_label`` replaces the data home shown in the status bar (stable screenshots)."""
    return CarsonApp(ChatManager(settings, engine=engine), home_label=home_label, theme=theme)
