"""Rehearsal feedback: each checkpoint met or missed, quoting the seller's own lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from carson.tui.widgets import clean

if TYPE_CHECKING:
    from carson.drafting.rehearsal import Feedback


def feedback_content(fb: Feedback) -> Content:
    parts = [
        Content.from_markup(
            "[b]$score/$out checkpoints met[/b]  [dim]$role call: $via → $to[/dim]",
            score=fb.score,
            out=fb.out_of,
            role=fb.role,
            via=clean(fb.via),
            to=clean(fb.to),
        )
    ]
    for c in fb.checkpoints:
        if c.met:
            parts.append(
                Content.from_markup(
                    '[b $text-success]✓[/] [b]$name[/b]: you said "$quote"',
                    name=c.name,
                    quote=clean(c.quote),
                )
            )
        elif c.said:  # the line where it should have happened, then what to say instead
            parts.append(
                Content.from_markup(
                    '[b $text-error]✗[/] [b]$name[/b]: you said "$said"\n    $advice',
                    name=c.name,
                    said=clean(c.said),
                    advice=clean(c.advice),
                )
            )
        else:
            parts.append(
                Content.from_markup(
                    "[b $text-error]✗[/] [b]$name[/b]: $advice",
                    name=c.name,
                    advice=clean(c.advice),
                )
            )
    return Content("\n").join(parts)


class FeedbackPanel(Static):
    def __init__(self, feedback: Feedback) -> None:
        super().__init__(feedback_content(feedback))
        self.feedback = feedback
        self.border_title = "Rehearsal feedback"
