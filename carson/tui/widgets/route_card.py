"""Route cards: one per route, each hop with who they are, how they know the previous
person (evidence) and a strength bar; the route's meeting probability with its range."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from carson.models import Hop, Route, RouteKind, TieContext
from carson.tui.widgets import clean

BAR_CELLS = 8

_CONTEXT = {
    TieContext.family: "family",
    TieContext.roommate: "roommates",
    TieContext.friend: "friends",
    TieContext.classmate: "classmates",
    TieContext.colleague: "colleagues",
    TieContext.client: "client",
    TieContext.teammate: "teammates",
    TieContext.met_once: "met once",
    TieContext.linkedin: "LinkedIn",
    TieContext.co_attendee: "meetings",
    TieContext.co_recipient: "threads",
    TieContext.acquaintance: "acquaintances",
}


def pct(p: float) -> str:
    return f"{round(p * 100):d}%"


def strength_bar(strength: float | None) -> str:
    """``█████░░░`` for a strength in [0, 1]."""
    if strength is None:
        return "·" * BAR_CELLS
    full = max(0, min(BAR_CELLS, round(strength * BAR_CELLS)))
    return "█" * full + "░" * (BAR_CELLS - full)


def who(h: Hop) -> str:
    bits = ", ".join(clean(x) for x in (h.title, h.company) if x)
    return f"{clean(h.name)} · {bits}" if bits else clean(h.name)


def card_content(route: Route, *, details: bool = False) -> Content:
    """The card body: the hops, their ties and evidence (all of it with ``details``)."""
    parts: list[Content] = []
    first, rest = route.hops[0], route.hops[1:]
    lead = "you" if not route.via_teammate else "teammate"
    parts.append(Content.from_markup("[dim]$lead[/dim] [b]$who[/b]", lead=lead, who=who(first)))
    for h in rest:
        rel = _CONTEXT.get(h.relationship, "know each other") if h.relationship else "knows"
        stale = " [$warning](gone cold)[/]" if h.stale else ""
        strength = f"{h.strength:.2f}" if h.strength is not None else "?"
        parts.append(Content.from_markup(" [$accent]→[/] [b]$who[/b]", who=who(h)))
        parts.append(
            Content.from_markup(
                f"   [$success]$bar[/] $strength  [i]$rel[/i]{stale}",
                bar=strength_bar(h.strength),
                strength=strength,
                rel=rel,
            )
        )
        evidence = h.evidence if details else h.evidence[:1]
        for ev in evidence:
            parts.append(Content.from_markup("     [dim]· $text[/dim]", text=clean(ev.text)))
        if not details and len(h.evidence) > 1:
            parts.append(
                Content.from_markup("     [dim]  +$n more (enter)[/dim]", n=len(h.evidence) - 1)
            )
    if details:
        parts.append(Content.from_markup("\n$summary", summary=clean(route.summary)))
    if route.label:
        parts.append(Content.from_markup("[$warning]$label[/]", label=clean(route.label)))
    return Content("\n").join(parts)


class RouteCard(Vertical, can_focus=True):
    """One route. Keys: ``e`` email, ``c`` phone script, ``r`` rehearse, ``enter`` details."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "choose('email')", "Email"),
        Binding("c", "choose('call')", "Call script"),
        Binding("r", "choose('rehearse')", "Rehearse"),
        Binding("enter", "details", "Details"),
        Binding("down,j", "app.focus_next", "Next", show=False),
        Binding("up,k", "app.focus_previous", "Previous", show=False),
    ]

    @dataclass
    class Chosen(Message):
        """The seller picked an action on a route (``index`` counts from 1)."""

        card: RouteCard
        index: int
        action: str

    @classmethod
    def bound_keys(cls) -> set[str]:
        """Every key the card binds (typing anything else goes to the prompt)."""
        return {k for b in cls.BINDINGS if isinstance(b, Binding) for k in b.key.split(",")}

    def __init__(self, route: Route, index: int) -> None:
        super().__init__(classes="alumni" if route.kind == RouteKind.alumni else "")
        self.route = route
        self.index = index
        self.details = False
        kind = " · former staff" if route.kind == RouteKind.alumni else ""
        self.border_title = (
            f"{index} · {pct(route.probability)} meeting ({pct(route.low)}–{pct(route.high)}){kind}"
        )

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(card_content(self.route), classes="body")

    def _body(self) -> Static:
        return self.query_one(".body", Static)

    scroll_to_top_on_layout = False
    """Set on the first card of an answer: once laid out, scroll it to the top."""

    def on_resize(self) -> None:
        if self.scroll_to_top_on_layout and self.parent is not None:
            self.scroll_to_top_on_layout = False
            container = self.parent.parent
            if isinstance(container, Widget):
                container.scroll_to_widget(self, top=True, animate=False)

    def on_focus(self) -> None:
        self.border_subtitle = "e email · c call · r rehearse · ⏎ details"
        self.scroll_visible()

    def on_blur(self) -> None:
        self.border_subtitle = ""

    def action_details(self) -> None:
        self.details = not self.details
        self._body().update(card_content(self.route, details=self.details))
        self.set_class(self.details, "details")

    def action_choose(self, action: str) -> None:
        self.post_message(self.Chosen(self, self.index, action))


class RouteCards(Vertical):
    """The cards of one route answer."""

    def __init__(self, routes: list[Route]) -> None:
        super().__init__()
        self.routes = routes

    def compose(self):  # type: ignore[no-untyped-def]
        for i, route in enumerate(self.routes, start=1):
            yield RouteCard(route, i)

    @property
    def cards(self) -> list[RouteCard]:
        return list(self.query(RouteCard))

    def first(self) -> RouteCard | None:
        cards = self.cards
        return cards[0] if cards else None
