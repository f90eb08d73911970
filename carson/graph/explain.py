"""Words for routes: the one-line summary, labels, and a plain-text rendering."""

from __future__ import annotations

from carson.models import Hop, Route, RouteKind, TieContext

_CONTEXT_WORDS = {
    TieContext.family: "family",
    TieContext.roommate: "roommates",
    TieContext.friend: "friends",
    TieContext.classmate: "classmates",
    TieContext.colleague: "colleagues",
    TieContext.client: "client relationship",
    TieContext.teammate: "teammates",
    TieContext.met_once: "met once",
    TieContext.linkedin: "connected on LinkedIn",
    TieContext.co_attendee: "in meetings together",
    TieContext.co_recipient: "on threads together",
    TieContext.acquaintance: "acquaintances",
}

_YOUR = {
    TieContext.family: "your family",
    TieContext.roommate: "your former roommate",
    TieContext.friend: "your friend",
    TieContext.classmate: "your classmate",
    TieContext.colleague: "your colleague",
    TieContext.client: "your client",
    TieContext.teammate: "your teammate",
    TieContext.met_once: "met once",
    TieContext.linkedin: "LinkedIn connection",
    TieContext.co_attendee: "met in meetings",
    TieContext.co_recipient: "shared email threads",
    TieContext.acquaintance: "acquaintance",
}


def context_words(ctx: TieContext | None) -> str:
    return _CONTEXT_WORDS.get(ctx, "know each other") if ctx else "know each other"


def percent(p: float) -> str:
    return f"{round(p * 100):d}%"


def odds(route: Route) -> str:
    return (
        f"Probability of getting a meeting: {percent(route.probability)} "
        f"({percent(route.low)}–{percent(route.high)})."
    )


def describe(h: Hop) -> str:
    """'Harry Smith (Managing Director, Goldman Sachs)'."""
    bits = ", ".join(x for x in (h.title, h.company) if x)
    return f"{h.name} ({bits})" if bits else h.name


def _target(h: Hop) -> str:
    """'Harry Smith, Managing Director at Goldman Sachs'."""
    if h.title and h.company:
        return f"{h.name}, {h.title} at {h.company}"
    if h.company:
        return f"{h.name} at {h.company}"
    return h.name


def summarize(route: Route) -> str:
    """'Contact John Jacobs (your friend); they can connect you to Harry Smith …'."""
    hops = route.hops
    target = hops[-1]
    start = 0
    lead = ""
    if route.via_teammate:
        lead = f"Ask {route.via_teammate} (teammate) to make the intro. "
        start = 0 if hops[0].name == route.via_teammate else 1
    chain = hops[start:]
    if len(chain) == 2:
        if route.via_teammate:
            text = (
                f"{lead}{chain[0].name} knows {_target(target)} "
                f"({context_words(target.relationship)})."
            )
        else:
            rel = _YOUR.get(target.relationship, "you know them") if target.relationship else ""
            text = f"Reach out directly to {_target(target)} ({rel})."
    else:
        first = chain[1]
        if route.via_teammate:
            text = f"{lead}{chain[0].name} → {first.name} ({context_words(first.relationship)})"
        else:
            rel = _YOUR.get(first.relationship, "") if first.relationship else ""
            text = f"Contact {first.name}" + (f" ({rel})" if rel else "")
        middle = chain[2:-1]
        for h in middle:
            text += f" → {h.name} ({context_words(h.relationship)})"
        joiner = "; they can connect you to " if not middle and not route.via_teammate else " → "
        text += f"{joiner}{_target(target)} ({context_words(target.relationship)})."
    text += " " + odds(route)
    if route.label:
        text += f" Note: {route.label}."
    return text


def render(route: Route, index: int | None = None) -> str:
    """A multi-line plain-text card for terminals."""
    kind = "[alumni] " if route.kind == RouteKind.alumni else ""
    head = f"{index}. " if index is not None else ""
    chances = odds(route)
    lines = [
        f"{head}{kind}{' '.join(route.summary.replace(chances, '').split())}",
        f"   {chances}",
    ]
    for i, h in enumerate(route.hops):
        who = describe(h)
        if i == 0:
            lines.append(f"     {who}" + ("  (you)" if not route.via_teammate else ""))
            continue
        strength = f"{h.strength:.2f}" if h.strength is not None else "?"
        stale = "  [stale]" if h.stale else ""
        lines.append(f"   → {who}  — {context_words(h.relationship)}, strength {strength}{stale}")
        for ev in h.evidence[:4]:
            lines.append(f"       · {ev.text}")
    return "\n".join(lines)
