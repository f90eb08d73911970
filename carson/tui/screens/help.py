"""The help screen (``?`` or F1): every key binding and slash command."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

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


def help_markdown(sections: list[tuple[str, list[tuple[str, str]]]]) -> str:
    out = ["# Carson: keys and commands", ""]
    for title, rows in sections:
        out += [f"**{title}**", "", "| Key | Does |", "|---|---|"]
        out += [f"| `{k}` | {d} |" for k, d in rows]
        out.append("")
    out += ["**Slash commands**", "", "| Command | Does |", "|---|---|"]
    for usage in SLASH_COMMANDS.values():
        cmd, _, does = usage.partition(": ")
        out.append(f"| `{cmd}` | {does} |")
    return "\n".join(out)


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


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(help_markdown(all_sections()))

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss()
