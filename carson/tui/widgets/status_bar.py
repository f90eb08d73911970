"""The status bar: active brain, data home, counts, last import."""

from __future__ import annotations

from pathlib import Path

from textual.content import Content
from textual.widgets import Static

from carson.tui.manager import Status


def short_home(home: str) -> str:
    """The data home with the user's home directory shown as ``~``."""
    path = Path(home)
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


class StatusBar(Static):
    """One line at the bottom of the chat."""

    def __init__(self, *, home_label: str | None = None, id: str | None = None) -> None:
        super().__init__("Loading your network…", id=id)
        self.home_label = home_label

    def show(self, status: Status, *, mode: str | None = None) -> None:
        home = self.home_label or short_home(status.home)
        parts = [
            "[b]$brain[/b]",
            "$home",
            f"{status.people:,} people · {status.ties:,} ties · {status.notes:,} notes",
            "last import $last" if status.last_import else "no imports yet",
        ]
        if mode:
            parts.insert(0, "[reverse] $mode [/reverse]")
        self.update(
            Content.from_markup(
                " · ".join(parts),
                brain=status.brain,
                home=home,
                last=status.last_import or "",
                mode=mode or "",
            )
        )
