"""The help screen (``?`` or F1): every key binding and slash command."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from carson.tui.manager import SLASH_COMMANDS

PROMPT_KEYS = [
    ("enter", "Send"),
    ("ctrl+j", "New line (multi-line entry)"),
    ("up / down", "Previous / next entry from history"),
]


def _key(key: str) -> str:
    return " / ".join(k.replace("question_mark", "?") for k in key.split(","))


def binding_rows(bindings: list[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for b in bindings:
        if isinstance(b, Binding):
            rows.append((_key(b.key), b.description or b.action.replace("_", " ")))
    return rows


def all_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """Read from the classes' own BINDINGS, so the help never goes stale."""
    from carson.tui.app import CarsonApp
    from carson.tui.screens.chat import ChatScreen
    from carson.tui.screens.draft import DraftScreen
    from carson.tui.screens.rehearsal import RehearsalScreen
    from carson.tui.widgets.route_card import RouteCard

    return [
        ("Everywhere", binding_rows(CarsonApp.BINDINGS)),
        ("Prompt", PROMPT_KEYS),
        ("Chat", binding_rows(ChatScreen.BINDINGS)),
        ("Route card (selected)", binding_rows(RouteCard.BINDINGS)),
        ("Draft", binding_rows(DraftScreen.BINDINGS)),
        ("Rehearsal", binding_rows(RehearsalScreen.BINDINGS)),
    ]


def help_content(sections: list[tuple[str, list[tuple[str, str]]]]) -> Content:
    """The same listing as ``help_markdown``, compact: one line per key."""
    lines = [
        Content.from_markup("[b $text-accent]Carson: keys and commands[/]  [dim]esc closes[/]")
    ]
    rows = [*sections]
    commands = [tuple(u.partition(": ")[::2]) for u in SLASH_COMMANDS.values()]
    rows.append(("Slash commands (type in the prompt)", [(c, d) for c, d in commands]))
    for title, items in rows:
        lines.append(Content.from_markup("\n[b]$title[/b]", title=title))
        for key, does in items:
            lines.append(
                Content.from_markup("  [$text-accent]$key[/] $does", key=f"{key:<14}", does=does)
            )
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_content(all_sections()))

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss()
