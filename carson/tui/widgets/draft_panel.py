"""The draft panel: subject, body and forwardable blurb in editable text areas, with the
grounding check's verdict in plain sight."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static, TextArea

from carson.models import Draft, DraftKind
from carson.tui.widgets import clean

_KIND = {DraftKind.email: "Intro email", DraftKind.call: "Phone script"}


def grounding_content(draft: Draft) -> Content:
    g = draft.grounding
    if g.ok:
        n = len(draft.facts_used)
        return Content.from_markup(
            "[b $text-success]✓ Grounded[/] every fact is in your store ($n used)", n=n
        )
    flagged = ", ".join(clean(f) for f in g.flagged) or "unverified claims"
    return Content.from_markup(
        "[b $text-warning]⚠ Not grounded[/] check before sending: $flagged", flagged=flagged
    )


class DraftPanel(Vertical):
    """Shows one draft; ``text()`` returns it as edited, ready to copy or save."""

    def __init__(self, draft: Draft, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.draft = draft

    def compose(self) -> ComposeResult:
        d = self.draft
        yield Static(self._title(), id="draft-title")
        yield Static(grounding_content(d), id="grounding")
        if d.kind == DraftKind.email:
            with Horizontal(id="subject-row"):
                yield Label("Subject ", id="subject-label")
                yield Input(clean(d.subject), id="subject", compact=True, placeholder="Subject")
        body = TextArea(clean(d.body), id="body", soft_wrap=True, compact=True)
        body.border_title = "Email to " + d.via if d.kind == DraftKind.email else "Script"
        yield body
        if d.kind == DraftKind.email:
            blurb = TextArea(clean(d.blurb), id="blurb", soft_wrap=True, compact=True)
            blurb.border_title = f"Forwardable blurb (for {d.via} to send {d.to})"
            yield blurb

    def _title(self) -> Content:
        d = self.draft
        what = _KIND[d.kind]
        title = clean(d.subject) if d.kind == DraftKind.call and d.subject else what
        return Content.from_markup(
            "[b]$title[/b]  [dim]via $via → $to · $brain[/dim]",
            title=title,
            via=clean(d.via),
            to=clean(d.to),
            brain=d.brain,
        )

    def show(self, draft: Draft) -> None:
        """Replace the shown draft (after "regenerate")."""
        self.draft = draft
        self.query_one("#draft-title", Static).update(self._title())
        self.query_one("#grounding", Static).update(grounding_content(draft))
        self.query_one("#body", TextArea).load_text(clean(draft.body))
        if draft.kind == DraftKind.email:
            self.query_one("#subject", Input).value = clean(draft.subject)
            self.query_one("#blurb", TextArea).load_text(clean(draft.blurb))

    def text(self) -> str:
        """The draft as edited: subject, body and blurb, as a person would paste it."""
        body = self.query_one("#body", TextArea).text.rstrip()
        if self.draft.kind != DraftKind.email:
            title = f"{self.draft.subject}\n\n" if self.draft.subject else ""
            return f"{title}{body}\n"
        subject = self.query_one("#subject", Input).value
        blurb = self.query_one("#blurb", TextArea).text.rstrip()
        text = f"Subject: {subject}\n\n{body}\n"
        if blurb:
            text += f"\n--- forwardable blurb ---\n{blurb}\n"
        return text
